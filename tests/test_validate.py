"""The validator: the real data pass; each kind of error in a broken copy gives exactly one clear problem.

Most cases are one row of BROKEN: a way to break a copy of data/, and the file, row, column and words of
the one problem it must give. The row is found in the data (the first row with a value in that column), so
the cases survive new rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REAL_DATA, first_row_where, get_value, only_problem, read_table, set_value, write_table

from twotracks.validate import validate

NONEMPTY = lambda v: v != ""  # noqa: E731


def put(file, column, value, row=None, where=NONEMPTY):
    """Set ``column`` of ``row`` (default: the first row where ``where`` holds) to ``value``; return its place."""

    def breaks(data):
        number = row or first_row_where(data / file, column, where)
        set_value(
            data / file, number, column, value(get_value(data / file, number, column)) if callable(value) else value
        )
        return file, number, column

    return breaks


def whole_file(file, change, line=None, column=None):
    def breaks(data):
        change(data / file)
        return file, None, column

    return breaks


def _rewrite(sep):
    def change(path):
        header, rows = read_table(path)
        path.write_text("\n".join(sep.join(r) for r in [header, *rows]) + "\n", encoding="utf-8")

    return change


def _columns(edit):
    def change(path):
        header, rows = read_table(path)
        write_table(path, *edit(header, rows))

    return change


def _replace(path, make):
    path.unlink()
    make(path)


def _corpus_file(change):
    """Break the corpus file of the first corpus source: the problem is at that source's corpus_file."""

    def breaks(data):
        row = first_row_where(data / "sources.csv", "corpus_file", NONEMPTY)
        change(data / "corpus" / get_value(data / "sources.csv", row, "corpus_file"))
        return "sources.csv", row, "corpus_file"

    return breaks


def _gb18030(path):
    path.write_bytes(path.read_bytes().replace("中".encode(), "中".encode("gb18030"), 1))


DAY = lambda v: v == "day"  # noqa: E731
PLACE = "place"

#: case -> (how to break the copy, words the one problem's message must contain)
BROKEN = {
    # values against the descriptor (frictionless)
    "unknown track": (put("events.csv", "track", "crypto-maybe", row=2), "'crypto-maybe' is not a known value"),
    "unknown level": (put("actors.csv", "level", "galactic", row=2), "'galactic' is not a known value"),
    "missing required value": (put("events.csv", "title", "", row=5), "a required value is missing"),
    "date in another form": (
        put("events.csv", "date", "24/09/2021", row=2),
        "'24/09/2021' does not have the expected form",
    ),
    "stray spaces": (put("events.csv", "track", " crypto-no", row=2), "leading or trailing spaces"),
    "negative tile": (put("provinces.csv", "tile_col", "-1", row=4), "below the minimum"),
    "not a web address": (put("sources.csv", "url", "javascript:alert(1)"), "expected form"),
    # characters a URL may not hold: a page that printed this one raw would end its attribute at the quote
    "quote in an address": (put("sources.csv", "url", 'https://example.org/a"onmouseover=x'), "expected form"),
    "space in an address": (put("sources.csv", "url", "https://example.org/a b"), "expected form"),
    "count in words": (put("regional_policies.csv", "count", "86 projects"), "not an integer"),
    "amount in words": (put("exchange_moves.csv", "amount", "100 million"), "not a number"),
    "yuan as a count unit": (put("regional_policies.csv", "count_unit", "billion-yuan"), "not a known value"),
    "date kind": (put("regional_policies.csv", "date_kind", "around", row=1), "not a known value"),
    "bound of others' count": (put("regional_counts.csv", "bound", "roughly", row=1), "not a known value"),
    "yuan in others' count": (put("regional_counts.csv", "count_unit", "billion-yuan", row=2), "not a known value"),
    "raw share not a percentage": (
        put("raw/ccaf_mining_map_country_share.csv", "monthly_hashrate_%", "1.74", row=7),
        "expected form",
    ),
    **{
        f"exchange move {c}": (put("exchange_moves.csv", c, v), f"'{v}' is not a known value")
        for c, v in [
            ("kind", "comeback"),
            ("free_trade_zone", "maybe"),
            ("amount_currency", "BTC"),
            ("count_bound", "lots"),
            ("confidence", "certain"),
            ("date_precision", "week"),
        ]
    },
    "duplicate move id": (
        lambda d: put("exchange_moves.csv", "move_id", get_value(d / "exchange_moves.csv", 1, "move_id"), row=3)(d),
        "already used in row 1",
    ),
    # foreign keys (frictionless)
    "dangling actor": (
        put("event_actors.csv", "actor_id", "no-such-actor", row=4),
        "'no-such-actor' does not match any actor_id in actors.csv",
    ),
    "dangling parent (same table)": (
        put("actors.csv", "parent_id", "nobody"),
        "does not match any actor_id in actors.csv",
    ),
    "unknown province": (
        put("regional_policies.csv", "province_code", "CN-XX", row=3),
        "'CN-XX' does not match any province_code in provinces.csv",
    ),
    "dangling policy event": (
        put("regional_policies.csv", "event_id", "2020-no-such-event"),
        "does not match any event_id",
    ),
    "unknown speaker": (put("corpus_quotes.csv", "actor_id", "nobody", row=2), "does not match any actor_id"),
    "dangling count event": (put("regional_counts.csv", "event_id", "2020-02-nothing"), "does not match any event_id"),
    **{
        f"dangling exchange move {c}": (
            put("exchange_moves.csv", c, "no-such-thing"),
            f"'no-such-thing' does not match any {t}",
        )
        for c, t in [
            ("exchange_id", "actor_id in actors.csv"),
            ("partner_id", "actor_id in actors.csv"),
            ("event_id", "event_id in events.csv"),
            ("source_id", "source_id in sources.csv"),
        ]
    },
    # the one parser: what Python's int(), float(), \d and fromisoformat would let through
    "nan amount": (put("exchange_moves.csv", "amount", "nan"), "'nan' is not a number"),
    "inf amount": (put("exchange_moves.csv", "amount", "inf"), "'inf' is not a number"),
    "1e400 amount": (put("exchange_moves.csv", "amount", "1e400"), "too large to be a finite number"),
    "1_000 amount": (put("exchange_moves.csv", "amount", "1_000"), "'1_000' is not a number"),
    "full-width digits in an amount": (put("exchange_moves.csv", "amount", "１２"), "not a number"),
    "Arabic-Indic digits in a count": (put("regional_policies.csv", "count", "٨٦"), "not an integer"),
    "Arabic-Indic digits in a date": (
        put(
            "events.csv",
            "date",
            lambda v: v.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
            where=DAY and (lambda v: len(v) == 10),
        ),
        "expected form",
    ),
    "ISO week date": (
        put("raw/ccaf_mining_map_country_share.csv", "date", "2021-W05-1", row=3),
        "not a date in the form",
    ),
    "year 9999 (typed date)": (
        put("raw/ccaf_mining_map_country_share.csv", "date", "9999-12-31", row=3),
        "outside the plausible range",
    ),
    "year 9999 (a status date)": (put("actors.csv", "status_date", "9999-12-31", row=1), "outside the plausible range"),
    "year 1066": (put("sources.csv", "date", "1066", row=1), "outside the plausible range"),
    "control character": (
        put("events.csv", "title", lambda v: v[:5] + "\x07" + v[5:], row=2),
        "control character U+0007",
    ),
    **{
        f"invisible {name} in a text field": (
            put("events.csv", "title", lambda v, c=c: v[:5] + c + v[5:], row=2),
            words,
        )
        for name, c, words in [
            ("zero-width space", "\u200b", "U+200B (ZERO WIDTH SPACE)"),
            ("bidi override", "\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
            ("line separator", "\u2028", "U+2028 (LINE SEPARATOR)"),
        ]
    },
    "zero-width space in a unique term": (
        put("glossary.csv", "term_en", lambda v: v + "\u200b", row=1),
        "invisible character U+200B",
    ),
    "formula in a text field": (
        put("events.csv", "description", '=HYPERLINK("http://x.example","click")', row=2),
        "formula",
    ),
    # the report's own rules
    "not a real calendar date": (
        put("events.csv", "date", "2021-02-30", where=lambda v: len(v) == 10),
        "not a real calendar date",
    ),
    "date at another precision": (
        lambda d: put("events.csv", "date_precision", "month", where=DAY)(d)[:2] + ("date",),
        "does not match date_precision 'month'",
    ),
    "range ends before it starts": (
        put("events.csv", "date_end", "1999-01-01", where=lambda v: True),
        "ends (1999-01-01) before it starts",
    ),
    "confidence without a note": (
        lambda d: (
            put("events.csv", "confidence", "reported", where=lambda v: v == "stated")(d)
            and put(
                "events.csv",
                "confidence_note",
                "",
                row=first_row_where(d / "events.csv", "confidence", lambda v: v == "reported"),
            )(d)
        ),
        "say why in confidence_note",
    ),
    "rumour without a note": (
        lambda d: put(
            "exchange_moves.csv",
            "confidence_note",
            "",
            row=first_row_where(d / "exchange_moves.csv", "kind", lambda v: v == "rumour"),
        )(d),
        "say why",
    ),
    "money without its unit": (
        lambda d: put(
            "regional_policies.csv",
            "money_unit",
            "",
            row=first_row_where(d / "regional_policies.csv", "money", NONEMPTY),
        )(d),
        "has no unit",
    ),
    "unit without a value": (
        lambda d: (
            put(
                "regional_policies.csv",
                "count_unit",
                "projects",
                row=first_row_where(d / "regional_policies.csv", "count", lambda v: v == ""),
            )(d)[:2]
            + ("count",)
        ),
        "but count is empty",
    ),
    "part larger than the whole": (
        lambda d: put("regional_policies.csv", "count_blockchain", lambda v: "100000")(d),
        "larger than count",
    ),
    "part without its basis": (
        lambda d: put(
            "regional_policies.csv",
            "count_blockchain_basis",
            "",
            row=first_row_where(d / "regional_policies.csv", "count_blockchain", NONEMPTY),
        )(d),
        "go together",
    ),
    "amount without its currency": (
        lambda d: put(
            "exchange_moves.csv",
            "amount_currency",
            "",
            row=first_row_where(d / "exchange_moves.csv", "amount", NONEMPTY),
        )(d),
        "say its amount_currency",
    ),
    "count without its unit": (
        lambda d: put(
            "exchange_moves.csv", "count_unit", "", row=first_row_where(d / "exchange_moves.csv", "count", NONEMPTY)
        )(d),
        "has no unit",
    ),
    "quote not verbatim": (
        put("events.csv", "quote", lambda v: v[:10] + " (words the source never wrote)"),
        "first 10 characters",
    ),
    "policy quote not verbatim": (
        put("regional_policies.csv", "quote", lambda v: v[:12] + " 99 projects"),
        "not verbatim",
    ),
    "speaker quote not verbatim": (put("corpus_quotes.csv", "quote", "Words nobody said.", row=1), "not verbatim"),
    "exchange quote not verbatim": (
        put("exchange_moves.csv", "quote", lambda v: v[:12] + "#never written"),
        "first 12 characters",
    ),
    # whole files
    "file not UTF-8": (whole_file("actors.csv", _gb18030), "not valid UTF-8"),
    "byte-order mark": (
        whole_file("sources.csv", lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())),
        "byte-order mark",
    ),
    "semicolons": (whole_file("sources.csv", _rewrite(";")), "';'-delimited"),
    "tabs": (whole_file("event_actors.csv", _rewrite("\t")), "tab-delimited"),
    "extra column": (
        whole_file(
            "events.csv", _columns(lambda h, rows: (h + ["mood"], [r + ["sunny"] for r in rows])), column="mood"
        ),
        "not in the schema",
    ),
    "missing column": (
        whole_file(
            "events.csv",
            _columns(
                lambda h, rows: ([c for c in h if c != PLACE], [[v for c, v in zip(h, r) if c != PLACE] for r in rows])
            ),
            column=PLACE,
        ),
        "missing from the header",
    ),
    "repeated column": (
        whole_file(
            "event_actors.csv",
            _columns(lambda h, rows: (h + ["actor_id"], [r + [r[1]] for r in rows])),
            column="actor_id",
        ),
        "appears 2 times in the header",
    ),
    "row too long": (
        whole_file("event_actors.csv", _columns(lambda h, rows: (h, rows[:2] + [rows[2] + ["stray"]] + rows[3:]))),
        "header has 3 columns",
    ),
    "unclosed quote": (
        whole_file(
            "event_actors.csv",
            lambda p: p.write_text(p.read_text(encoding="utf-8") + '2021-x,"pboc\n', encoding="utf-8"),
        ),
        "header has 3 columns",
    ),
    "blank line": (
        whole_file(
            "event_actors.csv",
            lambda p: p.write_text(p.read_text(encoding="utf-8").replace("\n", "\n\n", 1), encoding="utf-8"),
        ),
        "blank line",
    ),
    "empty file": (whole_file("event_actors.csv", lambda p: p.write_text("", encoding="utf-8")), "file is empty"),
    "missing file": (whole_file("actors.csv", lambda p: p.unlink()), "file not found"),
    "missing table": (whole_file("exchange_moves.csv", lambda p: p.unlink()), "file not found"),
    "field over 128 KiB": (put("events.csv", "description", "x" * 140_000, row=2), "128 KiB"),
    "row of only commas": (
        whole_file(
            "event_actors.csv", lambda p: p.write_text(p.read_text(encoding="utf-8") + ",,\n", encoding="utf-8")
        ),
        "row is empty",
    ),
    "empty primary key": (put("glossary.csv", "term_id", "", row=2), "a required value is missing"),
    "header and no rows": (
        whole_file("event_actors.csv", lambda p: p.write_text(p.read_text(encoding="utf-8").split("\n")[0] + "\n")),
        "has a header but no rows",
    ),
    "count too large for Int64": (put("regional_policies.csv", "count", "9" * 30), "too large"),
    "count of 5,000 digits": (put("regional_policies.csv", "count", "9" * 5000), "too large"),
    "amount not exact as a float": (put("exchange_moves.csv", "amount", "9007199254740993"), "too large"),
    # files that are there but cannot be read (permission denied: test_an_unreadable_file_is_one_line)
    "descriptor is a folder": (whole_file("datapackage.json", lambda p: _replace(p, Path.mkdir)), "is a folder"),
    "table is a folder": (whole_file("event_actors.csv", lambda p: _replace(p, Path.mkdir)), "is a folder"),
    "table is a symlink loop": (
        whole_file("event_actors.csv", lambda p: _replace(p, lambda p: p.symlink_to(p.name))),
        "cannot be read",
    ),
    "corpus file is a folder": (_corpus_file(lambda p: _replace(p, Path.mkdir)), "is a folder"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_each_broken_copy_gives_one_problem_naming_file_row_and_column(data_copy, case):
    breaks, words = BROKEN[case]
    file, row, column = breaks(data_copy)
    problem = only_problem(data_copy)
    assert problem.file == file, str(problem)
    if row is not None and "128 KiB" not in words:
        assert (problem.row, problem.line and problem.line > problem.row) == (row, True), str(problem)
    if column is not None:
        assert problem.column == column, str(problem)
    assert words in problem.message, str(problem)
    assert "\n" not in str(problem)


def test_the_real_data_package_is_valid():
    assert [str(p) for p in validate(REAL_DATA)] == []


def test_a_problem_reads_file_row_line_column_and_message(data_copy):
    set_value(data_copy / "events.csv", 3, "track", "maybe")
    assert str(only_problem(data_copy)).startswith(
        "events.csv, row 3 (line 4), column 'track': 'maybe' is not a known value"
    )


def test_a_multi_line_value_shifts_the_line_not_the_row(data_copy):
    set_value(data_copy / "events.csv", 1, "description", "two\nlines")
    set_value(data_copy / "events.csv", 2, "track", "maybe")
    assert (only_problem(data_copy).row, only_problem(data_copy).line) == (2, 4)


def test_an_old_numeric_province_code_is_refused(data_copy):
    set_value(data_copy / "provinces.csv", 2, "province_code", "CN-11")
    assert any(
        (p.file, p.column) == ("provinces.csv", "province_code") and "expected form" in p.message
        for p in validate(data_copy)
    )


def test_an_oversight_cycle_is_named(data_copy):
    child_row = first_row_where(data_copy / "actors.csv", "parent_id", NONEMPTY)
    child, parent = (get_value(data_copy / "actors.csv", child_row, c) for c in ("actor_id", "parent_id"))
    set_value(
        data_copy / "actors.csv",
        first_row_where(data_copy / "actors.csv", "actor_id", lambda v: v == parent),
        "parent_id",
        child,
    )
    messages = [p.message for p in validate(data_copy)]
    assert messages and all("cycle" in m for m in messages)


def test_successors_that_lead_back_to_where_they_start_are_named_as_a_cycle(data_copy):
    """The then CBIRC's successor is the NFRA: an NFRA 'replaced' by the CBIRC would make each the other's heir."""
    actors = data_copy / "actors.csv"
    row = first_row_where(actors, "successor_id", NONEMPTY)
    own, successor = (get_value(actors, row, c) for c in ("actor_id", "successor_id"))
    successor_row = first_row_where(actors, "actor_id", lambda v: v == successor)
    for column in ("status", "status_date", "status_source_id"):
        set_value(actors, successor_row, column, get_value(actors, row, column))
    set_value(actors, successor_row, "successor_id", own)
    problems = [p for p in validate(data_copy) if p.column == "successor_id"]
    assert sorted(p.row for p in problems) == sorted([row, successor_row]), "\n".join(map(str, problems))
    assert all("successor links form a cycle" in p.message for p in problems)


def test_an_actor_overseeing_itself_is_one_line_not_one_per_descendant(data_copy):
    row = first_row_where(data_copy / "actors.csv", "parent_id", lambda v: v == "")
    set_value(data_copy / "actors.csv", row, "parent_id", get_value(data_copy / "actors.csv", row, "actor_id"))
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "parent_id") and "cycle" in problem.message, str(problem)


def test_a_duplicate_id_is_reported_once_at_the_second_row(data_copy):
    set_value(data_copy / "events.csv", 2, "event_id", get_value(data_copy / "events.csv", 1, "event_id"))
    duplicate = [p for p in validate(data_copy) if "duplicate" in p.message]
    assert [(p.row, p.column) for p in duplicate] == [(2, "event_id")] and "already used in row 1" in duplicate[
        0
    ].message


def test_a_currency_without_an_amount_names_both_qualifiers(data_copy):
    row = first_row_where(data_copy / "exchange_moves.csv", "amount", NONEMPTY)
    set_value(data_copy / "exchange_moves.csv", row, "amount", "")
    assert {(p.row, p.column) for p in validate(data_copy)} == {(row, "amount_currency"), (row, "amount_bound")}


def test_a_missing_corpus_file_is_reported_once_at_its_source(data_copy):
    row = first_row_where(data_copy / "sources.csv", "corpus_file", NONEMPTY)
    name = get_value(data_copy / "sources.csv", row, "corpus_file")
    (data_copy / "corpus" / name).unlink()
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (
        "sources.csv",
        row,
        "corpus_file",
    ) and "does not exist" in problem.message


def test_a_corpus_file_not_utf8_is_reported_once_at_its_source(data_copy):
    row = first_row_where(data_copy / "sources.csv", "corpus_file", NONEMPTY)
    path = data_copy / "corpus" / get_value(data_copy / "sources.csv", row, "corpus_file")
    path.write_bytes(b"\xff\xfe" + path.read_bytes())
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == (
        "sources.csv",
        row,
        "corpus_file",
    ) and "not valid UTF-8" in problem.message


def test_a_quote_whose_source_has_no_corpus_text(data_copy):
    sources = {
        get_value(data_copy / "sources.csv", i, "source_id"): get_value(data_copy / "sources.csv", i, "corpus_file")
        for i in range(1, len(read_table(data_copy / "sources.csv")[1]) + 1)
    }
    row = first_row_where(data_copy / "events.csv", "source_id", lambda v: not sources[v])
    set_value(data_copy / "events.csv", row, "quote", "Words from a document we hold no text of.")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (row, "quote") and "needs a corpus source" in problem.message


def test_quoted_semicolons_in_text_do_not_make_the_table_semicolon_delimited(data_copy):
    """frictionless sniffs the delimiter from the first 100 lines unless told: ';' here, so every label was 'wrong'."""
    header, rows = read_table(data_copy / "provinces.csv")
    write_table(data_copy / "provinces.csv", header, [r[:-1] + ['Also "Anhui";"Anhwei"; both seen'] for r in rows])
    assert [str(p) for p in validate(data_copy)] == []


def test_markup_in_a_text_field_is_data_not_an_error(data_copy):
    set_value(data_copy / "events.csv", 1, "description", "<script>alert('x')</script> & <b>bold</b>")
    assert validate(data_copy) == []


def test_a_datetime_field_is_checked(data_copy):
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    glossary = next(r for r in descriptor["resources"] if r["name"] == "glossary")
    glossary["schema"]["fields"].append({"name": "checked_at", "type": "datetime"})
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    header, rows = read_table(data_copy / "glossary.csv")
    write_table(data_copy / "glossary.csv", header + ["checked_at"], [r + ["2026-01-05T10:00:00Z"] for r in rows])
    assert validate(data_copy) == []
    set_value(data_copy / "glossary.csv", 2, "checked_at", "2026-02-30T10:00:00")
    problem = only_problem(data_copy)
    assert (problem.file, problem.row, problem.column) == ("glossary.csv", 2, "checked_at")


def _descriptor(edit):
    def change(descriptor):
        edit(descriptor, {r["name"]: r for r in descriptor["resources"]})
        return descriptor

    return change


def _fk(table, **change):
    return _descriptor(
        lambda d, r: (
            r[table]["schema"]["foreignKeys"][0]["reference"].update(change)
            if "resource" in change
            else r[table]["schema"]["foreignKeys"][0].update(change)
        )
    )


def _constraint(table, field, **change):
    return _descriptor(
        lambda d, r: (
            next(f for f in r[table]["schema"]["fields"] if f["name"] == field)
            .setdefault("constraints", {})
            .update(change)
        )
    )


#: malformed descriptors -> words of the one problem line naming datapackage.json
DESCRIPTORS = {
    "not JSON": ("{", "not valid JSON"),
    "a list": (lambda d: [], "not an object"),
    "no resources": (lambda d: {**d, "resources": {}}, "non-empty list"),
    "resource without name": (_descriptor(lambda d, r: r["events"].pop("name")), "'name' is missing"),
    "resource without path": (_descriptor(lambda d, r: r["events"].pop("path")), "'path' is missing"),
    "field without name": (
        _descriptor(lambda d, r: r["events"]["schema"]["fields"][0].pop("name")),
        "Field is not valid: 'name' is a required property",
    ),
    "bad regex": (_constraint("events", "event_id", pattern="[0-9"), "not a valid regex"),
    "minimum as text": (_constraint("provinces", "tile_col", minimum="0"), "minimum '0' must be a number"),
    "unknown type": (_descriptor(lambda d, r: r["events"]["schema"]["fields"][0].update(type="strin")), "strin"),
    "foreign key on an unknown column": (_fk("events", fields=["nope"]), "nope"),
    "foreign key to a misspelt table": (_fk("events", resource="sourcez"), "refers to table 'sourcez'"),
    "foreign key to an unknown column": (
        _descriptor(lambda d, r: r["events"]["schema"]["foreignKeys"][0]["reference"].update(fields=["id"])),
        "column 'id', which table 'sources' does not have",
    ),
    "as_of not a date": (_descriptor(lambda d, r: d.update(as_of="soon")), "as_of: 'soon' is not a date"),
    "as_of missing": (_descriptor(lambda d, r: d.pop("as_of")), "as_of: missing"),
    "as_of in the future": (_descriptor(lambda d, r: d.update(as_of="2999-01-01")), "outside the plausible range"),
    "as_of in year 9999": (_descriptor(lambda d, r: d.update(as_of="9999-12-31")), "outside the plausible range"),
    "type the loader does not read": (
        _descriptor(
            lambda d, r: next(f for f in r["events"]["schema"]["fields"] if f["name"] == "place").update(type="boolean")
        ),
        "type 'boolean' is not one the loader reads",
    ),
    "primary key on an unknown column": (
        _descriptor(lambda d, r: r["events"]["schema"].update(primaryKey=["nope"])),
        "nope",
    ),
    "NaN bound": (_constraint("provinces", "tile_col", minimum=float("nan")), "NaN is not a JSON value"),
    "infinite bound": (_constraint("provinces", "tile_col", minimum=float("inf")), "Infinity is not a JSON value"),
    "bound too large to be finite": ('{"resources": [], "x": 1e400}', "too large to be finite"),
    "nested too deeply": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
}


@pytest.mark.parametrize("file", ["datapackage.json", "events.csv", "corpus"])
def test_an_unreadable_file_is_one_line_not_a_traceback(data_copy, monkeypatch, file):
    """Permission denied, simulated: chmod 000 does not stop root, which some test machines run as."""
    row = first_row_where(data_copy / "sources.csv", "corpus_file", NONEMPTY)
    corpus = data_copy / "corpus" / get_value(data_copy / "sources.csv", row, "corpus_file")
    denied, read_bytes = (corpus if file == "corpus" else data_copy / file), Path.read_bytes

    def refuse(path):
        if path == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    problem = only_problem(data_copy)
    assert problem.file == ("sources.csv" if file == "corpus" else file), str(problem)
    assert "cannot be read (Permission denied)" in problem.message, str(problem)


@pytest.mark.parametrize("case", list(DESCRIPTORS))
def test_a_malformed_descriptor_gives_one_line_naming_it(data_copy, case):
    edit, words = DESCRIPTORS[case]
    path = data_copy / "datapackage.json"
    text = edit if isinstance(edit, str) else json.dumps(edit(json.loads(path.read_text(encoding="utf-8"))))
    path.write_text(text, encoding="utf-8")
    problem = only_problem(data_copy)
    assert problem.file == "datapackage.json" and words in problem.message and "\n" not in problem.message, str(problem)


def test_command_line_prints_each_problem_and_exits_1(data_copy):
    set_value(data_copy / "events.csv", 2, "track", "maybe")
    result = subprocess.run(
        [sys.executable, "-m", "twotracks.validate", str(data_copy)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert f"{data_copy}/events.csv, row 2 (line 3), column 'track': 'maybe' is not a known value" in result.stderr
    assert "1 problem(s) in 1 file(s)" in result.stderr


def test_command_line_accepts_valid_data():
    result = subprocess.run(
        [sys.executable, "-m", "twotracks.validate", str(REAL_DATA)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_command_line_outside_a_project_without_a_directory_says_so(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "twotracks.validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "TWOTRACKS_DATA"},
    )
    assert result.returncode == 2 and result.stderr.startswith("error: ") and "no _config.yml" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("target", ["events.csv", "nowhere"])
def test_command_line_given_a_file_or_nothing_says_so_in_one_line(data_copy, target):
    result = subprocess.run(
        [sys.executable, "-m", "twotracks.validate", str(data_copy / target)], capture_output=True, text=True
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        result.stderr.splitlines()[0].startswith(f"{data_copy / target}: is ")
        and "not a data directory" in result.stderr
    )
