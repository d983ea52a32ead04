"""data/instruments.csv: the real table keeps its rules, and each kind of broken copy gives one clear line.

Rules the schema states (enum, pattern, foreign keys) come from the validator; rules that tie one
column to another come from twotracks.rules_instruments, which the validator runs too.
"""

from __future__ import annotations

import pytest
from conftest import REAL_DATA, first_row_where, get_value, only_problem, read_table, set_value

from twotracks.rules_instruments import instrument_problems
from twotracks.schema import load_package
from twotracks.validate import check_table, validate

TABLE = "instruments.csv"


def rule_problems(data_dir):
    """The instrument rules alone, on the rows the validator reads."""
    tables = load_package(data_dir)
    instruments, events = (check_table(tables, name, data_dir)[0] for name in ("instruments", "events"))
    return instrument_problems(instruments, events)


def only_rule_problem(data_dir):
    problems = rule_problems(data_dir)
    assert len(problems) == 1, "\n".join(map(str, problems))
    assert [str(p) for p in validate(data_dir)] == [str(problems[0])], "make validate reports it, once"
    return problems[0]


def replaced_row(data_dir) -> int:
    return first_row_where(data_dir / TABLE, "status", lambda v: v == "replaced")


def test_the_real_table_keeps_every_rule():
    assert rule_problems(REAL_DATA) == []


def test_the_2021_notice_is_replaced_by_the_2026_notice_and_not_in_force():
    header, rows = read_table(REAL_DATA / TABLE)
    by_number = {r[header.index("doc_number_en")]: dict(zip(header, r)) for r in rows}
    old, new = by_number["Yinfa [2021] No. 237"], by_number["Yinfa [2026] No. 42"]
    assert (old["status"], old["status_date"], old["replaced_by"]) == ("replaced", "2026-02-06", new["instrument_id"])
    assert new["status"] == "in-force"


def test_replaced_by_an_unknown_instrument_is_one_schema_line(data_copy):
    row = replaced_row(data_copy)
    set_value(data_copy / TABLE, row, "replaced_by", "no-such-instrument")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (TABLE, row, "replaced_by")
    assert "'no-such-instrument' does not match any instrument_id in instruments.csv" in problem.message


def test_a_status_outside_the_list_is_one_schema_line(data_copy):
    set_value(data_copy / TABLE, 1, "status", "valid")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (TABLE, 1, "status")


def test_a_replaced_instrument_without_status_date(data_copy):
    row = replaced_row(data_copy)
    set_value(data_copy / TABLE, row, "status_date", "")
    problem = only_rule_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (TABLE, row, "status_date")
    assert "status 'replaced' needs a status_date" in str(problem)
    assert str(problem).count("\n") == 0 and str(problem).startswith(f"{TABLE}, row {row} (line ")


@pytest.mark.parametrize("status", ["repealed", "in-force"])
def test_any_dated_status_without_status_date(data_copy, status):
    row = first_row_where(data_copy / TABLE, "status", lambda v: v == "unknown")
    set_value(data_copy / TABLE, row, "status", status)
    problem = only_rule_problem(data_copy)
    assert (problem.row, problem.column) == (row, "status_date") and f"status '{status}'" in problem.message


#: an edit to the row of a replaced instrument -> the column of the one problem, and its words
REPLACED_ROW_EDITS = {
    "without a successor": ("replaced_by", "", "replaced_by", "must name its successor"),
    "a successor but not replaced": ("status", "repealed", "replaced_by", "the status is 'repealed'"),
    "a status before it was issued": ("status_date", "2020-01-01", "status_date", "before the instrument's own event"),
    "replaced before its successor was issued": ("status_date", "2025-01-01", "status_date", "before its successor"),
}


@pytest.mark.parametrize("case", list(REPLACED_ROW_EDITS))
def test_a_replaced_instrument_edited_against_a_rule(data_copy, case):
    edited, value, column, words = REPLACED_ROW_EDITS[case]
    row = replaced_row(data_copy)
    set_value(data_copy / TABLE, row, edited, value)
    problem = only_rule_problem(data_copy)
    assert (problem.row, problem.column) == (row, column) and words in problem.message


def test_an_instrument_that_replaces_itself(data_copy):
    row = replaced_row(data_copy)
    set_value(data_copy / TABLE, row, "replaced_by", get_value(data_copy / TABLE, row, "instrument_id"))
    problem = only_rule_problem(data_copy)
    assert (problem.row, problem.column) == (row, "replaced_by") and "cannot replace itself" in problem.message


def test_two_instruments_that_replace_each_other_are_named_as_a_cycle(data_copy):
    row = replaced_row(data_copy)
    own, successor = (get_value(data_copy / TABLE, row, c) for c in ("instrument_id", "replaced_by"))
    successor_row = first_row_where(data_copy / TABLE, "instrument_id", lambda v: v == successor)
    status_date = get_value(data_copy / TABLE, successor_row, "status_date")
    for column, value in (("status", "replaced"), ("replaced_by", own), ("status_date", status_date)):
        set_value(data_copy / TABLE, successor_row, column, value)
    problems = rule_problems(data_copy)
    assert sorted(p.row for p in problems) == sorted([row, successor_row]), "\n".join(map(str, problems))
    assert all(p.column == "replaced_by" and "replacements form a cycle" in p.message for p in problems)
