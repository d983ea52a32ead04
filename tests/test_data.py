"""Loading tables: types, missing values, recorded reads, and clear errors on bad data."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import REAL_DATA, set_value
from twotracks import data
from twotracks.validate import DataValidationError


def test_load_table_gives_string_columns_with_missing_as_na():
    events = data.load_table("events", REAL_DATA)
    assert list(events.columns)[:3] == ["event_id", "date", "date_precision"]
    assert str(events["event_id"].dtype) == "string"
    assert events["date_end"].isna().any()
    assert not (events["date_end"] == "").any()


def test_raw_table_columns_get_their_schema_types():
    raw = data.load_table("ccaf_mining_map_country_share", REAL_DATA)
    assert pd.api.types.is_datetime64_any_dtype(raw["date"])
    assert pd.api.types.is_float_dtype(raw["monthly_absolute_hashrate_EH/S"])


def test_load_table_refuses_a_broken_table_and_lists_the_problem(data_copy):
    set_value(data_copy / "events.csv", 2, "track", "maybe")
    with pytest.raises(DataValidationError) as caught:
        data.load_table("events", data_copy)
    assert "events.csv, row 2 (line 3), column 'track'" in str(caught.value)


def test_unknown_table_is_named():
    with pytest.raises(KeyError, match="no table 'nope'"):
        data.load_table("nope", REAL_DATA)


def test_reads_are_recorded_for_the_build(tmp_path, monkeypatch):
    log = tmp_path / "reads"
    monkeypatch.setenv(data.READ_LOG_ENV, str(log))
    data.load_table("actors", REAL_DATA)
    data.corpus_text("004_e56791ab76590737.txt", REAL_DATA)
    assert log.read_text().splitlines() == [
        "data/datapackage.json#actors", "data/actors.csv", "data/corpus/004_e56791ab76590737.txt",
    ]


def test_data_dir_can_be_redirected(tmp_path, monkeypatch):
    monkeypatch.setenv("TWOTRACKS_DATA", str(tmp_path))
    assert data.data_dir() == tmp_path.resolve()


def test_year_and_start_of_dates_of_any_precision():
    dates = pd.Series(["2013-12-05", "2016-10", "2019"], dtype="string")
    assert data.year_of(dates).tolist() == [2013, 2016, 2019]
    assert [d.strftime("%Y-%m-%d") for d in data.start_of(dates)] == ["2013-12-05", "2016-10-01", "2019-01-01"]
