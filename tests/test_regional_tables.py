"""The regional and framing tables: each kind of error in a broken copy gives one clear problem."""

from __future__ import annotations

import pytest

from conftest import first_row_where, get_value, only_problem, set_value
from twotracks.validate import validate

POLICIES = "regional_policies.csv"


def row_with(data_dir, column):
    return first_row_where(data_dir / POLICIES, column, lambda v: v != "")


def test_unknown_province_code(data_copy):
    set_value(data_copy / POLICIES, 3, "province_code", "CN-XX")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (POLICIES, 3, "province_code")
    assert "'CN-XX' does not match any province_code in provinces.csv" in problem.message


def test_old_numeric_iso_code_is_rejected(data_copy):
    set_value(data_copy / "provinces.csv", 2, "province_code", "CN-11")
    problems = validate(data_copy)
    assert any(p.file == "provinces.csv" and p.column == "province_code" and "expected form" in p.message for p in problems)


def test_money_without_its_unit(data_copy):
    row = row_with(data_copy, "money")
    set_value(data_copy / POLICIES, row, "money_unit", "")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "money_unit")
    assert "has no unit" in problem.message


def test_unit_without_a_value(data_copy):
    row = first_row_where(data_copy / POLICIES, "count", lambda v: v == "")
    set_value(data_copy / POLICIES, row, "count_unit", "projects")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "count")


def test_yuan_is_not_a_count_unit(data_copy):
    row = row_with(data_copy, "count")
    set_value(data_copy / POLICIES, row, "count_unit", "billion-yuan")
    problem = only_problem(data_copy)
    assert problem.column == "count_unit" and "not a known value" in problem.message


def test_blockchain_part_larger_than_the_whole(data_copy):
    row = row_with(data_copy, "count_blockchain")
    whole = int(get_value(data_copy / POLICIES, row, "count"))
    set_value(data_copy / POLICIES, row, "count_blockchain", str(whole + 1))
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "count_blockchain")
    assert "larger than count" in problem.message


def test_blockchain_part_needs_its_basis(data_copy):
    row = row_with(data_copy, "count_blockchain")
    set_value(data_copy / POLICIES, row, "count_blockchain_basis", "")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "count_blockchain_basis")


def test_count_must_be_an_integer(data_copy):
    row = row_with(data_copy, "count")
    set_value(data_copy / POLICIES, row, "count", "86 projects")
    problem = only_problem(data_copy)
    assert problem.column == "count" and "not an integer" in problem.message


def test_dangling_event_link(data_copy):
    row = row_with(data_copy, "event_id")
    set_value(data_copy / POLICIES, row, "event_id", "2020-no-such-event")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "event_id")


def test_upper_bound_date_kind_is_an_enum(data_copy):
    set_value(data_copy / POLICIES, 1, "date_kind", "around")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (1, "date_kind")


def test_policy_quote_must_be_verbatim(data_copy):
    row = row_with(data_copy, "quote")
    set_value(data_copy / POLICIES, row, "quote", get_value(data_copy / POLICIES, row, "quote")[:12] + " 99 projects")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "quote") and "not verbatim" in problem.message


@pytest.mark.parametrize("column, value", [("tile_col", "-1"), ("tile_row", "north")])
def test_tile_position_must_be_a_non_negative_integer(data_copy, column, value):
    set_value(data_copy / "provinces.csv", 4, column, value)
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("provinces.csv", 4, column)


def test_speaker_must_be_a_known_actor(data_copy):
    set_value(data_copy / "corpus_quotes.csv", 2, "actor_id", "nobody")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("corpus_quotes.csv", 2, "actor_id")


def test_speaker_quote_must_be_verbatim(data_copy):
    set_value(data_copy / "corpus_quotes.csv", 1, "quote", "Words nobody said.")
    problem = only_problem(data_copy)
    assert (problem.file, problem.column) == ("corpus_quotes.csv", "quote")


def test_tiles_do_not_overlap_and_every_division_has_one():
    from conftest import REAL_DATA, read_table

    header, rows = read_table(REAL_DATA / "provinces.csv")
    places = [(r[header.index("tile_col")], r[header.index("tile_row")]) for r in rows]
    assert len(rows) == 34 and len(set(places)) == len(places)


def test_count_by_others_needs_a_known_bound(data_copy):
    set_value(data_copy / "regional_counts.csv", 1, "bound", "roughly")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("regional_counts.csv", 1, "bound")


def test_count_by_others_cannot_be_in_yuan(data_copy):
    set_value(data_copy / "regional_counts.csv", 2, "count_unit", "billion-yuan")
    problem = only_problem(data_copy)
    assert (problem.file, problem.column) == ("regional_counts.csv", "count_unit")


def test_count_by_others_links_to_a_real_event(data_copy):
    row = first_row_where(data_copy / "regional_counts.csv", "event_id", lambda v: v != "")
    set_value(data_copy / "regional_counts.csv", row, "event_id", "2020-02-nothing")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("regional_counts.csv", row, "event_id")
