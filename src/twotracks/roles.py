"""Each actor's part on the two tracks: how many blockchain-yes and crypto-no events it takes part in.

An actor is credited with the events it takes part in itself (any role in data/event_actors.csv). By
default a parent is not credited with its subordinates' events: the Ministry of Industry and Information
Technology did not found the Qingdao institute because its research institute did. ``with_subordinates``
gives the other reading, for comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from .hierarchy import lineage

STATE_TRACKS = ("blockchain-yes", "crypto-no")

#: Kinds of actor that are the party-state or owned or backed by it (data/datapackage.json, actors.kind).
STATE_KINDS = (
    "party-organ",
    "state-council-body",
    "ministry-or-commission",
    "regulator",
    "central-bank",
    "state-owned-enterprise",
    "state-backed-institute",
    "provincial-government",
    "municipal-government",
    "district-government",
)


def event_links(event_actors: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, actor), with the event's track."""
    return event_actors.merge(events[["event_id", "track"]], on="event_id", how="left", validate="many_to_one")


def track_counts(links: pd.DataFrame, actor_ids: Sequence[str], tracks: Sequence[str] = STATE_TRACKS) -> pd.DataFrame:
    """Distinct events per actor and track, for every actor in ``actor_ids`` (0 where it took part in none)."""
    chosen = links[links["track"].isin(tracks)]
    counts = chosen.groupby(["actor_id", "track"])["event_id"].nunique().unstack("track")
    counts = counts.reindex(index=list(actor_ids), columns=list(tracks)).fillna(0).astype(int)
    counts.index.name, counts.columns.name = "actor_id", None
    return counts


def with_subordinates(
    links: pd.DataFrame, parent: Mapping[str, str | None], tracks: Sequence[str] = STATE_TRACKS
) -> pd.DataFrame:
    """Distinct events per actor and track, crediting each actor also with every subordinate's events.

    An event in which a body and its subordinate both take part counts once.
    """
    chosen = links[links["track"].isin(tracks)]
    chains = lineage(parent)
    # Each link counts for its actor and for every body above it; an actor outside the tree credits only itself.
    credited = chosen.assign(credited_to=chosen["actor_id"].map(lambda actor: chains.get(actor, [actor])))
    credited = credited.explode("credited_to")
    counts = credited.groupby(["credited_to", "track"])["event_id"].nunique().unstack("track")
    counts = counts.reindex(index=list(parent), columns=list(tracks)).fillna(0).astype(int)
    counts.index.name, counts.columns.name = "actor_id", None
    return counts


def role_on_tracks(counts: pd.DataFrame) -> pd.Series:
    """'both', 'blockchain-yes only', 'crypto-no only' or 'neither', from per-track counts."""
    yes, no = counts["blockchain-yes"] > 0, counts["crypto-no"] > 0
    role = pd.Series("neither", index=counts.index, dtype="object")
    role[yes & ~no] = "blockchain-yes only"
    role[no & ~yes] = "crypto-no only"
    role[yes & no] = "both"
    return role
