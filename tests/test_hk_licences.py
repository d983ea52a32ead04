"""Validation of the Hong Kong licences table: a broken copy gives one clear problem naming file, row and column."""

from __future__ import annotations

import pytest
from conftest import REAL_DATA, first_row_where, get_value, only_problem, read_table, set_value

from twotracks.validate import validate

TABLE = "hk_licences.csv"


@pytest.mark.parametrize(
    "column, target",
    [
        ("actor_id", "actor_id in actors.csv"),
        ("regulator_id", "actor_id in actors.csv"),
        ("event_id", "event_id in events.csv"),
        ("source_id", "source_id in sources.csv"),
    ],
)
def test_dangling_foreign_key(data_copy, column, target):
    row = first_row_where(data_copy / TABLE, column, lambda v: v != "")
    set_value(data_copy / TABLE, row, column, "no-such-thing")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (TABLE, row, column)
    assert f"'no-such-thing' does not match any {target}" in problem.message


@pytest.mark.parametrize(
    "column, value",
    [
        ("regime", "bank"),
        ("status", "pending"),
        ("confidence", "certain"),
        ("date_precision", "week"),
    ],
)
def test_unknown_enum_value(data_copy, column, value):
    # a row with a confidence note, so that an unknown confidence is the one problem (any non-'stated' needs a note)
    row = first_row_where(data_copy / TABLE, "confidence_note", lambda v: v != "")
    set_value(data_copy / TABLE, row, column, value)
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (TABLE, row, column)
    assert f"'{value}' is not a known value" in problem.message


@pytest.mark.parametrize("column", ["platform", "regulator_id", "source_id"])
def test_a_required_value_is_missing(data_copy, column):
    set_value(data_copy / TABLE, 1, column, "")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (TABLE, 1, column)


def test_a_date_must_match_its_precision(data_copy):
    row = first_row_where(data_copy / TABLE, "date_precision", lambda v: v == "day")
    set_value(data_copy / TABLE, row, "date_precision", "month")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (TABLE, row, "date")
    assert "does not match date_precision 'month'" in problem.message


def test_a_duplicate_licence_id(data_copy):
    set_value(data_copy / TABLE, 2, "licence_id", get_value(data_copy / TABLE, 1, "licence_id"))
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (TABLE, 2, "licence_id")


def test_an_inferred_row_needs_its_note(data_copy):
    row = first_row_where(data_copy / TABLE, "confidence", lambda v: v == "inferred")
    set_value(data_copy / TABLE, row, "confidence_note", "")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (TABLE, row, "confidence_note")


def test_the_real_table_is_valid_and_each_regime_has_its_regulator():
    assert [p for p in validate(REAL_DATA) if p.file == TABLE] == []
    header, rows = read_table(REAL_DATA / TABLE)
    regulator = {"vatp": "hk-sfc", "stablecoin-issuer": "hkma"}
    wrong = [
        (i, r[header.index("licence_id")])
        for i, r in enumerate(rows, 1)
        if regulator[r[header.index("regime")]] != r[header.index("regulator_id")]
    ]
    assert wrong == [], f"{TABLE}: rows whose regulator does not license their regime: {wrong}"
