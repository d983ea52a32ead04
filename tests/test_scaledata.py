"""The benchmark's scale generator: a larger copy of the data package that is still valid."""

from __future__ import annotations

import pytest
from conftest import REAL_DATA, read_table
from scaledata import plan, scale_package

from twotracks.paths import ROOT
from twotracks.schema import load_package
from twotracks.validate import validate


def test_a_scaled_package_is_valid_and_each_table_is_that_many_times_larger(tmp_path):
    target = scale_package(3, tmp_path / "x3")
    assert [str(p) for p in validate(target)] == []
    tables = load_package(REAL_DATA)
    reference = {name for name, columns in plan(tables, _rows(tables)).items() if columns is None}
    for table in tables:
        _, original = read_table(REAL_DATA / table.path)
        _, scaled = read_table(target / table.path)
        assert len(scaled) == (1 if table.name in reference else 3) * len(original), table.name
        assert scaled[: len(original)] == original, f"copy 0 of {table.name} is not the package as it is"


def _rows(tables):
    out = {}
    for table in tables:
        header, rows = read_table(REAL_DATA / table.path)
        out[table.name] = [dict(zip(header, r)) for r in rows]
    return out


def test_only_tables_whose_keys_take_no_suffix_are_kept_once():
    tables = load_package(REAL_DATA)
    columns = plan(tables, _rows(tables))
    assert columns["provinces"] is None  # CN-XX codes: a suffix would break the ISO pattern
    assert "province_code" not in columns["regional_policies"]  # references to it stay as they are
    assert {"event_id", "source_id"} <= set(columns["events"])
    assert {"term_id", "term_en"} <= set(columns["glossary"])  # unique columns are identities too


def test_quotes_stay_verbatim_and_keys_resolve_within_each_copy(tmp_path):
    target = scale_package(2, tmp_path / "x2")
    header, rows = read_table(target / "events.csv")
    copies = [r for r in rows if r[header.index("event_id")].endswith("-x1")]
    assert copies and all(r[header.index("source_id")].endswith("-x1") for r in copies)
    quoted = [r for r in copies if r[header.index("quote")]]
    assert quoted, "the data have quotes: the scaled copy must keep them"


def test_it_never_writes_into_data(tmp_path):
    with pytest.raises(ValueError, match="never writes into data/"):
        scale_package(2, ROOT / "data")
