"""Validate a data directory: ``frictionless`` for the Table Schema, this module for the report's own rules.

Every problem is one line naming the file, the row (and its line), the column and what is wrong; never a
traceback. ``python -m twotracks.validate [DATA_DIR]`` prints them and exits 1 if any. In order: the
descriptor (:mod:`twotracks.schema`); each file read strictly (UTF-8 without BOM, the schema's columns, no
value over 128 KiB, whole rows; a table failing here is not checked further); each value through
:mod:`twotracks.parse`, the loader's parser, so that what passes cannot crash a notebook; ``frictionless``
(required, enum, ASCII patterns, lengths, bounds, unique and primary keys); foreign keys; the report's rules
for any table with the named columns, and :mod:`twotracks.rules_instruments` for instruments.csv.
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import parse
from .paths import data_dir as default_data_dir
from .schema import DESCRIPTOR, SchemaError, Table, load_package, table_by_name

CORPUS_DIR = "corpus"
SUSPECT_DELIMITERS = (";", "\t", "|")
MAX_FIELD = 128 * 1024  # csv's default limit (frictionless lifts it on import)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as it can be."""

    file: str
    message: str
    row: int | None = None  # data row number: 1 is the first row after the header
    line: int | None = None  # physical line in the file where that row starts
    column: str | None = None

    @classmethod
    def at(cls, file: str, row: Row, column: str | None, message: str) -> Problem:
        return cls(file, message, row.number, row.line, column)

    def __str__(self) -> str:
        row = f", row {self.row} (line {self.line})" if self.row is not None else ""
        line = f", line {self.line}" if self.row is None and self.line is not None else ""
        return f"{self.file}{row}{line}" + (f", column '{self.column}'" if self.column else "") + f": {self.message}"


@dataclass(frozen=True)
class Row:
    number: int
    line: int
    values: dict[str, str]


class DataValidationError(ValueError):
    """Raised by loaders when the data they were asked for is invalid; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the data:\n" + "\n".join(f"  {p}" for p in problems))


def _unreadable(exc: OSError) -> str:
    return "is a folder, not a file" if isinstance(exc, IsADirectoryError) else f"cannot be read ({exc.strerror})"


def _utf8(
    path: Path, label: str, subject: str = "file", missing: str = "does not exist", **where
) -> tuple[str | None, list[Problem]]:
    """The file's text, or one problem: missing, unreadable (a folder, a symlink loop, no permission), not UTF-8."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(label, f"{subject} {missing}".lstrip(), **where)]
    except OSError as exc:  # read_bytes, not is_file(): is_file() raises on a folder it may not enter
        return None, [Problem(label, f"{subject} {_unreadable(exc)}".lstrip(), **where)]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not valid UTF-8: byte 0x{raw[exc.start : exc.start + 1].hex()} at offset {exc.start} (line {line}); save it as UTF-8"
        return None, [Problem(label, message, **(where or {"line": line}))]


def read_rows(path: Path, table: Table, label: str) -> tuple[list[Row] | None, list[Problem]]:
    """Read a CSV strictly. Returns (rows, problems); rows is None when the table cannot be checked further."""
    listed = f"file not found (the data package lists it as table '{table.name}')"
    text, problems = _utf8(path, label, subject="", missing=listed)
    if text is None:
        return None, problems
    if text.startswith("\ufeff"):
        return None, [Problem(label, "starts with a byte-order mark (BOM): save it as UTF-8 without BOM", line=1)]
    if not text.strip():
        return None, [Problem(label, f"file is empty; expected a header row: {','.join(table.field_names)}", line=1)]
    reader, rows, last = csv.reader(io.StringIO(text, newline="")), [], 1
    try:
        header = next(reader)
        problems = check_header(header, table, label)
        for values in reader if not problems else ():
            start, last = last + 1, reader.line_num
            rows.append(row := Row(len(rows) + 1, start, dict(zip(header, values))))
            long = [name for name, v in zip(header, values) if len(v) > MAX_FIELD]
            if long:
                problems.append(Problem.at(label, row, long[0], "value over 128 KiB: is a closing quote missing?"))
            elif not any(values):  # frictionless reports it as a blank row and as an empty primary key
                problems.append(Problem.at(label, row, None, "row is empty (only commas, or a blank line): delete it"))
            elif len(values) != len(header):
                count = f"row has {len(values)} values but the header has {len(header)} columns"
                problems.append(
                    Problem.at(label, row, None, f"{count} (an unquoted comma, a missing value, or a blank line?)")
                )
    except csv.Error as exc:
        problems.append(Problem(label, f"cannot be read as CSV: {exc}", line=reader.line_num))
    if not rows and not problems:  # every table of the report has rows: an empty one is a truncated export
        problems.append(Problem(label, "has a header but no rows", line=2))
    return (None if problems else rows), problems


def check_header(header: list[str], table: Table, label: str) -> list[Problem]:
    expected = table.field_names
    if header == expected:
        return []
    delimiter = next((d for d in SUSPECT_DELIMITERS if len(header) == 1 and d in header[0]), None)
    if delimiter:
        name = {"\t": "tab"}.get(delimiter, repr(delimiter))
        message = f"the header is a single column containing {name}: the file seems {name}-delimited"
        return [Problem(label, message + "; the data package uses commas", line=1)]
    found = {n: "is missing from the header" for n in expected if n not in header}
    found |= {n: f"is not in the schema of table '{table.name}'" for n in header if n not in expected}
    found |= {n: f"appears {header.count(n)} times in the header" for n in header if header.count(n) > 1}
    problems = [Problem(label, f"column '{n}' {what}", line=1, column=n) for n, what in found.items()]
    return problems or [Problem(label, "columns are in the wrong order; expected: " + ",".join(expected), line=1)]


def check_values(rows: list[Row], table: Table, label: str, latest) -> list[Problem]:
    """Each value through the one parser (the loader's), so that what passes here loads in a notebook."""
    problems = []
    for row in rows:
        for f in table.fields:
            value = row.values[f.name]
            try:
                if value != value.strip():
                    raise parse.ValueProblem(f"{value!r} has leading or trailing spaces")
                if value:
                    parse.value(f.type, value, latest)
            except parse.ValueProblem as exc:
                problems.append(Problem.at(label, row, f.name, str(exc)))
    return problems


def _message(error, table: Table, row: Row | None) -> tuple[str, str | None]:
    """A frictionless error as (message, column), in the validator's words."""
    if error.type == "constraint-error":
        f, cell = table.field(error.field_name), error.cell
        constraint = error.note.split('"')[1]
        return {
            "required": "a required value is missing",
            "enum": f"{cell!r} is not a known value; expected one of: {', '.join(map(str, f.enum or ()))}",
            "pattern": f"{cell!r} does not have the expected form (pattern {f.pattern})",
            "maxLength": f"value is {len(cell)} characters long; the maximum is {f.max_length}",
            "minimum": f"{cell} is below the minimum {f.minimum}",
        }.get(constraint, f"{cell!r}: {error.note}"), f.name
    if error.type in ("unique-error", "primary-key"):
        key = (error.field_name,) if error.type == "unique-error" else table.primary_key
        value = tuple(row.values[k] for k in key)
        if not any(c.isdigit() for c in error.note):  # every cell of the key is empty: 'required' says so
            return "a required value is missing", key[0]
        first = int("".join(c for c in error.note if c.isdigit())) - 1
        shown = value[0] if len(value) == 1 else "(" + ", ".join(value) + ")"
        return f"duplicate {'/'.join(key)} {shown!r}: already used in row {first}", key[0]
    return error.note or error.message, getattr(error, "field_name", None)


def check_schema(tables: list[Table], rows_by_table: dict[str, list[Row]], root: Path) -> list[Problem]:
    """What frictionless finds in the readable tables, their patterns ASCII (``\\d`` means 0-9, as meant)."""
    from frictionless import Package

    resources = [copy.deepcopy(r) for r in tables.descriptor["resources"] if r["name"] in rows_by_table]
    for res in resources:
        for f in (f for f in res["schema"]["fields"] if "pattern" in f.get("constraints", {})):
            f["constraints"]["pattern"] = f"(?a:{f['constraints']['pattern']})"
        res["dialect"] = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True}  # read_rows's; never sniffed
        res["schema"].pop("foreignKeys", None)  # check_foreign_keys: frictionless re-reads the target for each key
    problems = []
    package = Package({"name": "package", "resources": resources}, basepath=str(root))
    for task in package.validate(limit_errors=10**6).tasks:
        table, rows = table_by_name(tables, task.name), rows_by_table[task.name]
        for error in task.errors:
            number = getattr(error, "row_number", None)
            row = rows[number - 2] if number else None
            message, column = _message(error, table, row)
            problems.append(Problem(table.path, message, row and row.number, row and row.line, column))
    return problems


def check_foreign_keys(tables: list[Table], rows_by_table: dict[str, list[Row]]) -> list[Problem]:
    """Foreign keys between readable tables. Not frictionless's: it re-reads the target for every key (1 s)."""
    problems = []
    for table in (t for t in tables if t.name in rows_by_table):
        for fk in table.foreign_keys:
            target = table_by_name(tables, fk.resource or table.name)  # schema.py checked it exists
            known = {tuple(r.values[f] for f in fk.reference_fields) for r in rows_by_table.get(target.name, [])}
            for row in rows_by_table[table.name] if target.name in rows_by_table else []:
                value = tuple(row.values[f] for f in fk.fields)
                if all(value) and value not in known:
                    shown = value[0] if len(value) == 1 else value
                    message = f"{shown!r} does not match any {'/'.join(fk.reference_fields)} in {target.path}"
                    problems.append(Problem.at(table.path, row, fk.fields[0], message))
    return problems


def check_rules(rows: list[Row], table: Table, label: str, root: Path, latest) -> list[Problem]:
    """The report's rules that a single table can break: dates, confidence, quantities, oversight, corpus files."""
    problems, names = [], set(table.field_names)
    p = lambda row, column, message: problems.append(Problem.at(label, row, column, message))  # noqa: E731
    dated = [f.name for f in table.fields if f.type == "string" and re.fullmatch(r"date|date_end|.*_date", f.name)]
    # links that must not lead back to where they start: an overseer's overseer, a successor's successor
    links = {c: {r.values["actor_id"]: r.values[c] for r in rows} for c in ("parent_id", "successor_id") if c in names}
    links = links if "actor_id" in names else {}
    noted = {"confidence", "confidence_note"} <= names
    for row in rows:
        v = row.values
        bounds = {}
        for column in (c for c in dated if v[c]):
            try:
                bounds[column] = parse.date_range(v[column], latest)
            except parse.ValueProblem as exc:
                p(row, column, str(exc))
                continue
            precision = v.get("date_precision") if column in ("date", "date_end") else None
            if precision in parse.PRECISIONS.values() and bounds[column][2] != precision:
                form = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}[precision]
                p(row, column, f"{v[column]!r} does not match date_precision '{precision}' (expected {form})")
        if "date" in bounds and "date_end" in bounds and bounds["date_end"][1] < bounds["date"][0]:
            p(row, "date_end", f"the range ends ({v['date_end']}) before it starts ({v['date']})")
        if noted and v["confidence"] not in ("", "stated") and not v["confidence_note"]:
            p(row, "confidence_note", f"confidence is '{v['confidence']}': say why in confidence_note")
        for value_column, parts in (("amount", ("amount_currency", "amount_bound")), ("count", ("count_bound",))):
            for part in (part for part in parts if {value_column, part} <= names):
                if v[value_column] and not v[part]:
                    p(row, part, f"{value_column} is given: say its {part}")
                elif v[part] and not v[value_column]:
                    p(row, part, f"{part} is given but {value_column} is empty")
        for name in sorted(n for n in names if f"{n}_unit" in names):
            unit, part, basis = f"{name}_unit", f"{name}_blockchain", f"{name}_blockchain_basis"
            if v[name] and not v[unit]:
                p(row, unit, f"{name} {v[name]!r} has no unit: fill in {unit}")
            elif v[unit] and not v[name]:
                p(row, name, f"{unit} is '{v[unit]}' but {name} is empty")
            if part in names and v[part] and not v[name]:
                p(row, part, f"{part} is given without the {name} it is part of")
            elif part in names and v[part] and _larger(v[part], v[name]):
                p(row, part, f"{part} {v[part]} is larger than {name} {v[name]}")
            if basis in names and bool(v[part]) != bool(v[basis]):
                p(row, basis, f"{part} and {basis} go together: give both or neither")
        for column, linked in links.items():
            if cycle := cycle_through(linked, v["actor_id"]):
                what = "oversight links" if column == "parent_id" else "successor links"
                p(row, column, f"{what} form a cycle: " + " -> ".join(cycle))
        if {"kind", "corpus_file"} <= names:
            kind, name, path = v["kind"], v["corpus_file"], root / CORPUS_DIR / v["corpus_file"]
            if kind == "corpus-article" and not name:
                p(row, "corpus_file", "a corpus article must name its text file under corpus/")
            elif name and kind != "corpus-article":
                p(row, "corpus_file", f"only corpus articles have a corpus_file; this source is '{kind}'")
            elif name:
                where = {"row": row.number, "line": row.line, "column": "corpus_file"}
                problems += _utf8(path, label, f"corpus/{name}", **where)[1]
    return problems


def cycle_through(links: dict[str, str], start: str) -> list[str] | None:
    """The cycle through ``start`` that following ``links`` makes, or None: a row that only leads into a cycle is
    not on it, and is not the problem."""
    seen, current = [start], links.get(start)
    while current and current not in seen:
        seen.append(current)
        current = links.get(current)
    return seen + [current] if current and current == start else None


def _larger(part: str, whole: str) -> bool:
    try:
        return parse.number(part) > parse.number(whole)
    except parse.ValueProblem:
        return False  # check_values reports the malformed one


def _longest_matching_prefix(quote: str, text: str) -> int:
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if quote[:middle] in text else (low, middle - 1)
    return low


def check_quotes(rows: list[Row], table: Table, sources: dict[str, Row], root: Path) -> list[Problem]:
    """Each quote verbatim in the corpus text of its source (a table with quote and source_id columns)."""
    problems, texts = [], {}
    for row in (r for r in rows if r.values["quote"] and r.values["source_id"] in sources):
        quote, name = row.values["quote"], sources[row.values["source_id"]].values.get("corpus_file", "")
        if not name:
            message = f"a quote needs a corpus source; source '{row.values['source_id']}' has no corpus text"
            problems.append(Problem.at(table.path, row, "quote", message))
            continue
        if name not in texts:  # a missing or undecodable file is reported once, at its source
            path = root / CORPUS_DIR / name
            texts[name] = _utf8(path, "")[0]
        if texts[name] is not None and quote not in texts[name]:
            matched = _longest_matching_prefix(quote, texts[name])
            message = (
                f"quote is not verbatim in corpus/{name}: the text matches only its first "
                f"{matched} characters, then differs at {quote[matched : matched + 30]!r}"
            )
            problems.append(Problem.at(table.path, row, "quote", message))
    return problems


def _check(tables: list[Table], names: list[str], root: Path) -> tuple[dict[str, list[Row]], list[Problem]]:
    """Read the named tables, then check them: values, frictionless, the report's rules (earlier finds win)."""
    latest, problems, rows_by_table = parse.latest_date(tables.as_of), [], {}
    for table in (t for t in tables if t.name in names):
        rows, read_problems = read_rows(root / table.path, table, table.path)
        problems += read_problems
        if rows is not None:
            rows_by_table[table.name] = rows
            problems += check_values(rows, table, table.path, latest)
    problems += check_schema(tables, rows_by_table, root)
    for table in (t for t in tables if t.name in rows_by_table):
        problems += check_rules(rows_by_table[table.name], table, table.path, root, latest)
    return rows_by_table, problems


def check_table(tables: list[Table], name: str, root: Path) -> tuple[list[Row] | None, list[Problem]]:
    """One table checked on its own (no foreign keys, no quotes): what a loader can afford."""
    rows_by_table, problems = _check(tables, [name], root)
    return rows_by_table.get(name), _ordered(problems, tables)


def _ordered(problems: list[Problem], tables: list[Table]) -> list[Problem]:
    """One problem per file, row and column (the first found), in file order."""
    unique = {(p.file, p.row, p.line, p.column): p for p in reversed(problems)}
    order = {t.path: i for i, t in enumerate(tables)}
    return sorted(unique.values(), key=lambda p: (order.get(p.file, -1), p.row or 0, p.column or "", p.message))


def validate(root: Path | str | None = None) -> list[Problem]:
    """Every problem in the data directory ``root`` (default: the project's data/), in file order."""
    root = Path(root) if root is not None else default_data_dir()
    if not root.is_dir():
        what = "a file" if root.exists() else "missing"
        return [Problem(str(root), f"is {what}, not a data directory holding {DESCRIPTOR}")]
    try:
        tables = load_package(root)
    except SchemaError as exc:
        return [Problem(DESCRIPTOR, message) for message in exc.problems]
    rows_by_table, problems = _check(tables, [t.name for t in tables], root)
    problems += check_foreign_keys(tables, rows_by_table)
    sources = {r.values["source_id"]: r for r in rows_by_table.get("sources", [])}
    for table in (t for t in tables if t.name in rows_by_table and {"quote", "source_id"} <= set(t.field_names)):
        problems += check_quotes(rows_by_table[table.name], table, sources, root)
    if "instruments" in rows_by_table and "events" in rows_by_table:
        from .rules_instruments import instrument_problems  # it imports Problem from here

        problems += instrument_problems(rows_by_table["instruments"], rows_by_table["events"])
    return _ordered(problems, tables)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m twotracks.validate", description="Validate a data directory.")
    parser.add_argument("data_dir", nargs="?", type=Path, help="the data directory (default: the project's data/)")
    try:
        root = parser.parse_args(argv).data_dir or default_data_dir()
    except FileNotFoundError as exc:  # no project around the working directory, and no DATA_DIR given
        print(f"error: {exc}", file=sys.stderr)
        return 2
    problems = validate(root)
    for problem in problems:
        print(f"{root}: {problem.message}" if problem.file == str(root) else f"{root}/{problem}", file=sys.stderr)
    if problems:
        files = len({p.file for p in problems})
        print(f"validation failed: {len(problems)} problem(s) in {files} file(s) under {root}/", file=sys.stderr)
        return 1
    print(f"{root}/: valid ({len(load_package(root))} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
