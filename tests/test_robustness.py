"""The robustness table: each finding recomputed under each reading of the data."""

from __future__ import annotations

import pandas as pd
import pytest

from twotracks.robustness import (
    AS_CODED,
    AS_COUNTED,
    COUNTED_WITHOUT_UNCERTAIN,
    DATA_INFRASTRUCTURE_LEFT_OUT,
    LEAD_ISSUER_ONLY,
    RECORDS_COUNTED,
    STANDARD_VARIANTS,
    WITHOUT_UNCERTAIN,
    Finding,
    compose,
    is_data_infrastructure,
    robustness_table,
    surviving,
    without_kinds,
    without_roles,
)

EVENTS = pd.DataFrame(
    {
        "event_id": ["e1", "e2", "e3", "e4"],
        "kind": ["regulation", "filing-batch", "plan", "ban"],
        "confidence": ["stated", "stated", "inferred", "reported"],
    }
)
LINKS = pd.DataFrame(
    {
        "event_id": ["e1", "e1", "e2", "e3", "e4"],
        "actor_id": ["a", "b", "a", "b", "b"],
        "role": ["issuer", "co-issuer", "issuer", "issuer", "co-issuer"],
    }
)
TABLES = {"events": EVENTS, "event_actors": LINKS}


def n_events(tables):
    return len(tables["events"])


def links_of_b(tables):
    return int((tables["event_actors"]["actor_id"] == "b").sum())


def test_each_variant_recomputes_and_marks_what_fails():
    findings = [
        Finding("at least two events", n_events, lambda n: n >= 2),
        Finding("b takes part at least once", links_of_b, lambda n: n >= 1),
    ]
    variants = [
        AS_CODED,
        WITHOUT_UNCERTAIN,
        without_kinds("no filing batches", ["filing-batch"]),
        without_roles("co-issuers not credited", ["co-issuer"]),
    ]
    table = robustness_table(findings, TABLES, variants)
    assert list(table.columns) == [
        "finding",
        "as coded",
        "without inferred or reported rows",
        "no filing batches",
        "co-issuers not credited",
        "survives",
    ]
    first = table.iloc[0]
    assert first["as coded"] == "4"
    assert first["without inferred or reported rows"] == "2"  # e3 inferred, e4 reported dropped
    assert first["no filing batches"] == "3"
    assert table.iloc[1]["without inferred or reported rows"] == "1"  # e4's link goes with e4
    assert table.iloc[1]["co-issuers not credited"] == "1"
    assert table["survives"].tolist() == ["yes", "yes"]
    assert surviving(table) == ["at least two events", "b takes part at least once"]


def test_a_finding_that_fails_in_one_variant_does_not_survive():
    table = robustness_table([Finding("more than two events", n_events, lambda n: n > 2)], TABLES)
    assert table.iloc[0]["without inferred or reported rows"] == "2 (does not hold)"
    assert table.iloc[0]["survives"] == "no"
    assert surviving(table) == []


def test_variants_do_not_change_the_tables_given():
    robustness_table([Finding("n", n_events, lambda n: True)], TABLES, [WITHOUT_UNCERTAIN])
    assert len(TABLES["events"]) == 4 and len(TABLES["event_actors"]) == 5


def test_bad_calls_say_what_is_wrong():
    with pytest.raises(ValueError, match="no findings"):
        robustness_table([], TABLES)
    with pytest.raises(ValueError, match="labels must differ"):
        robustness_table([Finding("n", n_events, bool)], TABLES, [AS_CODED, AS_CODED])


def test_standard_readings_leave_out_records_then_uncertain_rows_or_count_everything():
    table = robustness_table([Finding("n", n_events, lambda n: n >= 1)], TABLES, STANDARD_VARIANTS)
    assert table.iloc[0][AS_COUNTED.label] == "3"  # the filing batch e2 is left out
    assert table.iloc[0][COUNTED_WITHOUT_UNCERTAIN.label] == "1"  # and then e3, e4
    assert table.iloc[0][RECORDS_COUNTED.label] == "4"
    lead = robustness_table([Finding("b", links_of_b, lambda n: n >= 1)], TABLES, [LEAD_ISSUER_ONLY])
    # b's co-issuer links (e1, e4) dropped, its issuer link on e3 kept
    assert lead.iloc[0][LEAD_ISSUER_ONLY.label] == "1"


def test_compose_applies_in_order():
    both = compose("x", without_kinds("a", ["ban"]), without_kinds("b", ["plan"]))
    assert sorted(both.transform(TABLES)["events"]["event_id"]) == ["e1", "e2"]


def test_data_infrastructure_reading_drops_the_marked_events_and_their_links_after_the_main_count():
    events = EVENTS.assign(
        confidence_note=[None, None, "Track coded blockchain-yes as the data-infrastructure side of the track", "other"]
    )
    tables = {"events": events, "event_actors": LINKS}
    out = DATA_INFRASTRUCTURE_LEFT_OUT.transform(tables)
    # e2 is a filing batch (left out by the main count), e3 is marked; e1 and e4 stay, with their links only
    assert sorted(out["events"]["event_id"]) == ["e1", "e4"]
    assert sorted(out["event_actors"]["event_id"]) == ["e1", "e1", "e4"]
    assert list(is_data_infrastructure(events)) == [False, False, True, False]
    with pytest.raises(KeyError, match="confidence_note"):
        is_data_infrastructure(EVENTS)
