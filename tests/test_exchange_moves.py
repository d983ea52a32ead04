"""Validation of the exchange-moves table: each kind of error in a broken copy gives one clear problem."""

from __future__ import annotations

import pytest

from conftest import first_row_where, get_value, only_problem, set_value
from twotracks.validate import validate

TABLE = "exchange_moves.csv"


@pytest.mark.parametrize("column, target", [
    ("exchange_id", "actor_id in actors.csv"),
    ("partner_id", "actor_id in actors.csv"),
    ("event_id", "event_id in events.csv"),
    ("source_id", "source_id in sources.csv"),
])
def test_dangling_foreign_key(data_copy, column, target):
    row = first_row_where(data_copy / TABLE, column, lambda v: v != "")
    set_value(data_copy / TABLE, row, column, "no-such-thing")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (TABLE, row, column)
    assert f"'no-such-thing' does not match any {target}" in problem.message


@pytest.mark.parametrize("column, value", [
    ("kind", "comeback"), ("free_trade_zone", "maybe"), ("amount_currency", "BTC"), ("count_bound", "lots"),
    ("confidence", "certain"), ("date_precision", "week"),
])
def test_unknown_enum_value(data_copy, column, value):
    row = first_row_where(data_copy / TABLE, column, lambda v: v != "")
    set_value(data_copy / TABLE, row, column, value)
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, column)
    assert f"'{value}' is not a known value" in problem.message


def test_an_amount_needs_its_currency(data_copy):
    row = first_row_where(data_copy / TABLE, "amount", lambda v: v != "")
    set_value(data_copy / TABLE, row, "amount_currency", "")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "amount_currency") and "say its amount_currency" in problem.message


def test_a_currency_needs_an_amount(data_copy):
    row = first_row_where(data_copy / TABLE, "amount", lambda v: v != "")
    set_value(data_copy / TABLE, row, "amount", "")
    problems = validate(data_copy)
    assert {(p.row, p.column) for p in problems} == {(row, "amount_currency"), (row, "amount_bound")}


def test_a_count_needs_its_unit(data_copy):
    row = first_row_where(data_copy / TABLE, "count", lambda v: v != "")
    set_value(data_copy / TABLE, row, "count_unit", "")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "count_unit")


def test_an_amount_is_a_number_not_words(data_copy):
    row = first_row_where(data_copy / TABLE, "amount", lambda v: v != "")
    set_value(data_copy / TABLE, row, "amount", "100 million")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "amount") and "not a number" in problem.message


def test_quote_not_in_its_source(data_copy):
    row = first_row_where(data_copy / TABLE, "quote", lambda v: v != "")
    quote = get_value(data_copy / TABLE, row, "quote")
    set_value(data_copy / TABLE, row, "quote", quote[:12] + "#never written")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (TABLE, row, "quote")
    assert "first 12 characters" in problem.message


def test_a_rumour_without_a_note_is_refused(data_copy):
    row = first_row_where(data_copy / TABLE, "kind", lambda v: v == "rumour")
    set_value(data_copy / TABLE, row, "confidence_note", "")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "confidence_note")


def test_duplicate_move_id(data_copy):
    set_value(data_copy / TABLE, 3, "move_id", get_value(data_copy / TABLE, 1, "move_id"))
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (3, "move_id") and "already used in row 1" in problem.message


def test_missing_table_is_reported(data_copy):
    (data_copy / TABLE).unlink()
    problem = only_problem(data_copy)
    assert problem.file == TABLE and "file not found" in problem.message
