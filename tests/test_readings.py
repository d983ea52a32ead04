"""Variants over any table: uncertain rows dropped, rows kept by a test, a column recoded; inputs unchanged."""

from __future__ import annotations

import pandas as pd
import pytest

from twotracks.readings import keep_rows, recoded, without_uncertain


def tables():
    moves = pd.DataFrame(
        {
            "move_id": ["a", "b", "c"],
            "kind": ["lab", "donation", "lab"],
            "confidence": ["stated", "inferred", "reported"],
        }
    )
    counts = pd.DataFrame({"count_id": ["x", "y"], "confidence": ["inferred", "stated"]})
    return {"exchange_moves": moves, "regional_counts": counts}


def test_without_uncertain_drops_inferred_and_reported_rows_in_each_named_table_only():
    given = tables()
    out = without_uncertain(["exchange_moves"]).transform(given)
    assert out["exchange_moves"]["move_id"].tolist() == ["a"]
    assert out["regional_counts"]["count_id"].tolist() == ["x", "y"]  # not named: untouched
    assert len(given["exchange_moves"]) == 3  # the input is not changed
    both = without_uncertain(["exchange_moves", "regional_counts"]).transform(given)
    assert both["regional_counts"]["count_id"].tolist() == ["y"]


def test_keep_rows_and_recoded():
    given = tables()
    kept = keep_rows("labs only", "exchange_moves", lambda f: f["kind"] == "lab").transform(given)
    assert kept["exchange_moves"]["move_id"].tolist() == ["a", "c"]
    broad = recoded(
        "all returns", "exchange_moves", "kind", lambda f: f["kind"].replace({"donation": "lab"})
    ).transform(given)
    assert broad["exchange_moves"]["kind"].tolist() == ["lab", "lab", "lab"]
    assert given["exchange_moves"]["kind"].tolist() == ["lab", "donation", "lab"]


def test_a_missing_table_or_column_is_named():
    with pytest.raises(KeyError, match="no table 'events'"):
        without_uncertain(["events"]).transform(tables())
    with pytest.raises(KeyError, match="no 'confidence' column"):
        without_uncertain(["exchange_moves"]).transform({"exchange_moves": pd.DataFrame({"kind": ["lab"]})})
    with pytest.raises(KeyError, match="no table 'x'"):
        keep_rows("l", "x", lambda f: f["kind"] == "lab").transform(tables())


def test_verdict_names_the_readings_where_a_finding_fails():
    from twotracks.readings import verdict
    from twotracks.robustness import AS_CODED, Finding, robustness_table

    table = robustness_table(
        [
            Finding("some labs", lambda t: int((t["exchange_moves"]["kind"] == "lab").sum()), lambda n: n > 0),
            Finding("two rows", lambda t: len(t["exchange_moves"]), lambda n: n >= 2),
        ],
        tables(),
        [AS_CODED, without_uncertain(["exchange_moves"])],
    )
    assert verdict(table, "some labs") == "Robust: it holds under every reading"
    assert verdict(table, "two rows") == "Not robust: it fails under 'without inferred or reported rows'"
    with pytest.raises(KeyError, match="no single finding"):
        verdict(table, "absent")
