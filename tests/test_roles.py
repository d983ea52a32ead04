"""Crediting actors with the events they take part in, on each track."""

from __future__ import annotations

import pandas as pd
from conftest import REAL_DATA

from twotracks import data
from twotracks.hierarchy import descendants
from twotracks.roles import STATE_KINDS, event_links, role_on_tracks, track_counts, with_subordinates

EVENTS = pd.DataFrame(
    {"event_id": ["e1", "e2", "e3", "e4"], "track": ["blockchain-yes", "crypto-no", "blockchain-yes", "other"]}
)
EVENT_ACTORS = pd.DataFrame(
    {
        "event_id": ["e1", "e1", "e2", "e3", "e4"],
        "actor_id": ["ministry", "institute", "bank", "institute", "ministry"],
        "role": ["issuer", "founder", "issuer", "subject", "participant"],
    }
)
PARENT = {"council": None, "ministry": "council", "institute": "ministry", "bank": "council", "idle": None}


def test_direct_counts_are_distinct_events_per_track_with_zero_for_none():
    counts = track_counts(event_links(EVENT_ACTORS, EVENTS), list(PARENT))
    assert counts.loc["ministry"].tolist() == [1, 0]  # the 'other' event is not counted
    assert counts.loc["institute"].tolist() == [2, 0]
    assert counts.loc["bank"].tolist() == [0, 1]
    assert counts.loc["council"].tolist() == [0, 0]  # a parent is not credited with its children's events


def test_with_subordinates_counts_an_event_shared_with_a_child_once():
    counts = with_subordinates(event_links(EVENT_ACTORS, EVENTS), PARENT)
    assert counts.loc["ministry"].tolist() == [2, 0]  # e1 (itself and its institute) once, e3 via the institute
    assert counts.loc["council"].tolist() == [2, 1]
    assert counts.loc["idle"].tolist() == [0, 0]


def test_role_on_tracks():
    counts = pd.DataFrame({"blockchain-yes": [1, 0, 2, 0], "crypto-no": [0, 3, 1, 0]}, index=list("abcd"))
    assert role_on_tracks(counts).tolist() == ["blockchain-yes only", "crypto-no only", "both", "neither"]


def test_state_kinds_are_kinds_the_schema_allows():
    actors = data.load_table("actors", REAL_DATA)
    from twotracks.schema import load_package, table_by_name

    allowed = next(f for f in table_by_name(load_package(REAL_DATA), "actors").fields if f.name == "kind").enum
    assert set(STATE_KINDS) <= set(allowed)
    assert actors["kind"].isin(STATE_KINDS).any()


def test_real_data_bodies_on_both_tracks_took_part_in_events_of_both():
    """The chapter's 'both tracks' finding, recomputed from the tables behind it."""
    events = data.load_table("events", REAL_DATA)
    links = event_links(data.load_table("event_actors", REAL_DATA), events)
    for actor in ("pboc", "miit", "ndrc"):
        tracks = set(links.loc[links["actor_id"] == actor, "track"])
        assert {"blockchain-yes", "crypto-no"} <= tracks, actor


def test_with_subordinates_equals_its_definition_on_the_real_data():
    """Crediting through each body's chain of superiors gives what a search below each body gives."""
    actors = data.load_table("actors", REAL_DATA)
    parent = {a: (p if isinstance(p, str) else None) for a, p in zip(actors["actor_id"], actors["parent_id"])}
    links = event_links(data.load_table("event_actors", REAL_DATA), data.load_table("events", REAL_DATA))
    fast = with_subordinates(links, parent)
    for actor in parent:
        group = {actor} | descendants(parent, actor)
        mine = links[links["actor_id"].isin(group)]
        for track in fast.columns:
            assert fast.loc[actor, track] == mine.loc[mine["track"] == track, "event_id"].nunique(), (actor, track)
