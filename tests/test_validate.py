"""The validator: the real data passes; each kind of error in a broken copy gives one clear problem."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REAL_DATA, first_row_where, get_value, only_problem, read_table, set_value, write_table
from twotracks.validate import date_bounds, validate


def test_real_data_package_is_valid():
    assert [str(p) for p in validate(REAL_DATA)] == []


def test_malformed_date_names_file_row_and_column(data_copy):
    set_value(data_copy / "events.csv", 3, "date", "2021-02-30")
    set_value(data_copy / "events.csv", 3, "date_precision", "day")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("events.csv", 3, "date")
    assert "not a real calendar date" in problem.message
    assert str(problem).startswith("events.csv, row 3 (line 4), column 'date': ")


def test_date_form_must_match_its_precision(data_copy):
    row = first_row_where(data_copy / "events.csv", "date_precision", lambda v: v == "day")
    set_value(data_copy / "events.csv", row, "date_precision", "month")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "date")
    assert "does not match date_precision 'month'" in problem.message


def test_range_that_ends_before_it_starts(data_copy):
    row = first_row_where(data_copy / "events.csv", "date_precision", lambda v: v == "day")
    set_value(data_copy / "events.csv", row, "date_end", "1999-01-01")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "date_end")
    assert "ends" in problem.message


@pytest.mark.parametrize("table, column, value", [("events.csv", "track", "crypto-maybe"), ("actors.csv", "level", "galactic")])
def test_unknown_enum_value(data_copy, table, column, value):
    set_value(data_copy / table, 2, column, value)
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (table, 2, column)
    assert f"'{value}' is not a known value" in problem.message


def test_missing_required_value(data_copy):
    set_value(data_copy / "events.csv", 5, "title", "")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("events.csv", 5, "title")
    assert problem.message == "a required value is missing"


def test_dangling_foreign_key(data_copy):
    set_value(data_copy / "event_actors.csv", 4, "actor_id", "no-such-actor")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("event_actors.csv", 4, "actor_id")
    assert "'no-such-actor' does not match any actor_id in actors.csv" in problem.message


def test_dangling_self_reference(data_copy):
    row = first_row_where(data_copy / "actors.csv", "parent_id", lambda v: v != "")
    set_value(data_copy / "actors.csv", row, "parent_id", "nobody")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("actors.csv", row, "parent_id")


def test_oversight_cycle(data_copy):
    header, rows = read_table(data_copy / "actors.csv")
    child_row = first_row_where(data_copy / "actors.csv", "parent_id", lambda v: v != "")
    child = rows[child_row - 1][header.index("actor_id")]
    parent = rows[child_row - 1][header.index("parent_id")]
    parent_row = first_row_where(data_copy / "actors.csv", "actor_id", lambda v: v == parent)
    set_value(data_copy / "actors.csv", parent_row, "parent_id", child)
    messages = [p.message for p in validate(data_copy)]
    assert messages and all("cycle" in m for m in messages)


def test_duplicate_id(data_copy):
    first = get_value(data_copy / "events.csv", 1, "event_id")
    set_value(data_copy / "events.csv", 2, "event_id", first)
    problems = validate(data_copy)
    duplicate = [p for p in problems if "duplicate" in p.message]
    assert len(duplicate) == 1
    assert (duplicate[0].row, duplicate[0].column) == (2, "event_id")
    assert "already used in row 1" in duplicate[0].message


def test_quote_not_in_its_source(data_copy):
    row = first_row_where(data_copy / "events.csv", "quote", lambda v: v != "")
    quote = get_value(data_copy / "events.csv", row, "quote")
    set_value(data_copy / "events.csv", row, "quote", quote[:10] + " (words the source never wrote)")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "quote")
    assert "not verbatim" in problem.message and "first 10 characters" in problem.message


def test_confidence_note_required_unless_stated(data_copy):
    row = first_row_where(data_copy / "events.csv", "confidence", lambda v: v == "stated")
    set_value(data_copy / "events.csv", row, "confidence", "reported")
    set_value(data_copy / "events.csv", row, "confidence_note", "")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "confidence_note")


def test_file_not_utf8(data_copy):
    path = data_copy / "actors.csv"
    path.write_bytes(path.read_bytes().replace("中".encode(), "中".encode("gb18030"), 1))
    problem = only_problem(data_copy)
    assert problem.file == "actors.csv" and "not valid UTF-8" in problem.message and problem.line > 1


def test_wrong_delimiter(data_copy):
    path = data_copy / "sources.csv"
    header, rows = read_table(path)
    path.write_text(";".join(header) + "\n", encoding="utf-8")
    problems = validate(data_copy)
    assert any(p.file == "sources.csv" and "';'-delimited" in p.message for p in problems)


def test_extra_column(data_copy):
    header, rows = read_table(data_copy / "events.csv")
    write_table(data_copy / "events.csv", header + ["mood"], [r + ["sunny"] for r in rows])
    problem = only_problem(data_copy)
    assert (problem.file, problem.line, problem.column) == ("events.csv", 1, "mood")
    assert "not in the schema" in problem.message


def test_row_with_too_many_values(data_copy):
    header, rows = read_table(data_copy / "event_actors.csv")
    rows[2] = rows[2] + ["stray"]
    write_table(data_copy / "event_actors.csv", header, rows)
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.line) == ("event_actors.csv", 3, 4)
    assert "header has 3 columns" in problem.message


def test_empty_file(data_copy):
    (data_copy / "event_actors.csv").write_text("", encoding="utf-8")
    problem = only_problem(data_copy)
    assert problem.file == "event_actors.csv" and "empty" in problem.message


def test_missing_file(data_copy):
    (data_copy / "actors.csv").unlink()
    problem = only_problem(data_copy)
    assert problem.file == "actors.csv" and "file not found" in problem.message


def test_raw_ccaf_share_must_be_a_percentage(data_copy):
    path = data_copy / "raw" / "ccaf_mining_map_country_share.csv"
    set_value(path, 7, "monthly_hashrate_%", "1.74")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("raw/ccaf_mining_map_country_share.csv", 7, "monthly_hashrate_%")


def test_markup_in_a_text_field_is_data_not_an_error(data_copy):
    # Text is escaped where it is shown, so markup is valid data; it must not break validation.
    set_value(data_copy / "events.csv", 1, "description", "<script>alert('x')</script> & <b>bold</b>")
    assert validate(data_copy) == []


def test_date_bounds_cover_each_precision():
    assert [d.isoformat() for d in date_bounds("2020")] == ["2020-01-01", "2020-12-31"]
    assert [d.isoformat() for d in date_bounds("2020-02")] == ["2020-02-01", "2020-02-29"]
    assert [d.isoformat() for d in date_bounds("2021-12")] == ["2021-12-01", "2021-12-31"]
    assert [d.isoformat() for d in date_bounds("2021-09-24")] == ["2021-09-24", "2021-09-24"]


def test_command_line_prints_each_problem_and_exits_1(data_copy):
    set_value(data_copy / "events.csv", 2, "track", "maybe")
    result = subprocess.run([sys.executable, "-m", "twotracks.validate", str(data_copy)], capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{data_copy}/events.csv, row 2 (line 3), column 'track': 'maybe' is not a known value" in result.stderr
    assert "1 problem(s) in 1 file(s)" in result.stderr


def test_command_line_accepts_valid_data():
    result = subprocess.run([sys.executable, "-m", "twotracks.validate", str(REAL_DATA)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_descriptor_is_a_valid_frictionless_data_package():
    """The reference implementation agrees: the descriptor conforms and the data pass its checks too."""
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(REAL_DATA / "datapackage.json"))
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors] + [e.message for e in report.errors]
    assert report.valid, "\n".join(errors[:20])
