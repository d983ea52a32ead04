"""Loading tables: types, missing values, recorded reads, and clear errors on bad data."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REAL_DATA, first_row_where, set_value

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
        "data/datapackage.json#actors",
        "data/actors.csv",
        "data/corpus/004_e56791ab76590737.txt",
    ]


def test_data_dir_can_be_redirected(tmp_path, monkeypatch):
    monkeypatch.setenv("TWOTRACKS_DATA", str(tmp_path))
    assert data.data_dir() == tmp_path.resolve()


def test_year_and_start_of_dates_of_any_precision():
    dates = pd.Series(["2013-12-05", "2016-10", "2019"], dtype="string")
    assert data.year_of(dates).tolist() == [2013, 2016, 2019]
    assert [d.strftime("%Y-%m-%d") for d in data.start_of(dates)] == ["2013-12-05", "2016-10-01", "2019-01-01"]


@pytest.mark.parametrize("value", ["nan", "inf", "1e400", "1_000", "１２", "٣"])
def test_load_table_refuses_what_python_would_parse_but_the_schema_does_not_mean(data_copy, value):
    row = first_row_where(data_copy / "exchange_moves.csv", "amount", lambda v: v != "")
    set_value(data_copy / "exchange_moves.csv", row, "amount", value)
    with pytest.raises(DataValidationError) as caught:
        data.load_table("exchange_moves", data_copy)
    assert f"exchange_moves.csv, row {row} (line {row + 1}), column 'amount'" in str(caught.value)


def test_numbers_load_as_pandas_would_read_them():
    policies = data.load_table("regional_policies", REAL_DATA)
    assert str(policies["count"].dtype) == "Int64"
    assert str(policies["money"].dtype) == str(pd.to_numeric(policies["money"].astype("string")).dtype)


def test_reads_outside_the_project_are_refused_not_stamped_as_absolute_paths(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv(data.READ_LOG_ENV, str(tmp_path / "reads"))
    monkeypatch.setenv("TWOTRACKS_DATA", str(data_copy))
    with pytest.raises(ValueError, match="outside the project"):
        data.load_table("actors")
    assert not (tmp_path / "reads").exists() or str(data_copy) not in (tmp_path / "reads").read_text()


def test_a_corpus_text_not_utf8_is_one_clear_error(data_copy):
    (data_copy / "corpus" / "004_e56791ab76590737.txt").write_bytes(b"\xff\xfe broken")
    with pytest.raises(DataValidationError, match="corpus/004_e56791ab76590737.txt: not valid UTF-8"):
        data.corpus_text("004_e56791ab76590737.txt", data_copy)


def test_the_project_root_is_found_from_the_working_directory(tmp_path, monkeypatch):
    from bookbuild import toc
    from twotracks import paths

    (tmp_path / "_config.yml").write_text("title: a copy\n")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.delenv("TWOTRACKS_DATA", raising=False)
    assert paths.root() == paths.ROOT == toc.ROOT == tmp_path.resolve()
    assert data.data_dir() == tmp_path.resolve() / "data"
    monkeypatch.chdir(tmp_path.parent)
    with pytest.raises(FileNotFoundError, match="no _config.yml"):
        paths.root()


def test_tiles_do_not_overlap_and_every_division_has_one():
    provinces = data.load_table("provinces", REAL_DATA)
    places = list(zip(provinces["tile_col"], provinces["tile_row"]))
    assert len(provinces) == 34 and len(set(places)) == len(places)
