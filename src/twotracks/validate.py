"""Validate a data directory against its data package descriptor, and the report's own cross-table rules.

Every problem is one line naming the file, the row (and its line in the file), the column, and what is
wrong. ``python -m twotracks.validate [DATA_DIR]`` prints them and exits 1 if there are any.

What is checked:

* each file: exists, is UTF-8, is not empty, has exactly the schema's columns in order (a wrong
  delimiter or an extra column is named as such), and every row has as many values as the header;
* each value: required, type (date, number, integer), pattern, enum, maximum length, minimum;
* each table: unique fields and primary keys; foreign keys into the same or another table;
* the report's rules, applied to any table with the named columns: ``date``/``date_end`` are real dates
  at the form ``date_precision`` says, and a range does not end before it starts; ``confidence_note`` is
  given whenever ``confidence`` is not ``stated``; a ``quote`` appears verbatim in the corpus text of its
  ``source_id``; corpus articles, and only they, name an existing file under ``corpus/``; the actors'
  oversight links have no cycles.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .paths import data_dir as default_data_dir
from .schema import DESCRIPTOR, Field, SchemaError, Table, load_package, table_by_name

CORPUS_DIR = "corpus"
SUSPECT_DELIMITERS = (";", "\t", "|")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as it can be."""

    file: str
    message: str
    row: int | None = None  # data row number: 1 is the first row after the header
    line: int | None = None  # physical line in the file where that row starts
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row} (line {self.line})"
        elif self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Row:
    number: int
    line: int
    values: dict[str, str]


class DataValidationError(ValueError):
    """Raised by loaders when the data they were asked for is invalid; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the data:\n{lines}")


# --- reading ------------------------------------------------------------------------------------------


def read_rows(path: Path, table: Table, label: str) -> tuple[list[Row] | None, list[Problem]]:
    """Read a CSV strictly. Returns (rows, problems); rows is None when the file cannot be read at all."""
    if not path.is_file():
        return None, [Problem(label, f"file not found (the data package lists it as table '{table.name}')")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        return None, [Problem(label, f"not valid UTF-8: byte 0x{byte} at offset {exc.start}; save the file as UTF-8", line=line)]
    text = text.removeprefix("\ufeff")
    if not text.strip():
        expected = ",".join(table.field_names)
        return None, [Problem(label, f"file is empty; expected a header row: {expected}", line=1)]

    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    problems = check_header(header, table, label)
    if problems:
        return None, problems

    rows: list[Row] = []
    last_line = reader.line_num
    for values in reader:
        start_line, last_line = last_line + 1, reader.line_num
        if not values:  # a blank line
            continue
        number = len(rows) + 1
        if len(values) != len(header):
            problems.append(
                Problem(
                    label,
                    f"row has {len(values)} values but the header has {len(header)} columns "
                    "(an unquoted comma, or a missing value?)",
                    row=number,
                    line=start_line,
                )
            )
            continue
        rows.append(Row(number, start_line, dict(zip(header, values))))
    return rows, problems


def check_header(header: list[str], table: Table, label: str) -> list[Problem]:
    expected = table.field_names
    if header == expected:
        return []
    if len(header) == 1:
        for delimiter in SUSPECT_DELIMITERS:
            if delimiter in header[0]:
                name = {"\t": "tab"}.get(delimiter, repr(delimiter))
                return [
                    Problem(label, f"the header is a single column containing {name}: the file seems {name}-delimited; "
                            "the data package uses commas", line=1)
                ]
    problems = []
    repeated = sorted({name for name in header if header.count(name) > 1})
    for name in repeated:
        problems.append(Problem(label, f"column '{name}' appears {header.count(name)} times in the header", line=1, column=name))
    for name in header:
        if name not in expected:
            problems.append(Problem(label, f"column '{name}' is not in the schema of table '{table.name}'", line=1, column=name))
    for name in expected:
        if name not in header:
            problems.append(Problem(label, f"column '{name}' is missing from the header", line=1, column=name))
    if not problems:
        problems.append(Problem(label, "columns are in the wrong order; expected: " + ",".join(expected), line=1))
    return problems


# --- single values --------------------------------------------------------------------------------------


def check_value(field: Field, value: str) -> str | None:
    """What is wrong with one value of one field, or None."""
    if value == "":
        return "a required value is missing" if field.required else None
    if value != value.strip():
        return f"{value!r} has leading or trailing spaces"
    if field.type == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return f"{value!r} is not a date in the form YYYY-MM-DD"
        if len(value) != 10:
            return f"{value!r} is not a date in the form YYYY-MM-DD"
    elif field.type in ("number", "integer"):
        try:
            number = int(value) if field.type == "integer" else float(value)
        except ValueError:
            return f"{value!r} is not {'an integer' if field.type == 'integer' else 'a number'}"
        if field.minimum is not None and number < field.minimum:
            return f"{value} is below the minimum {field.minimum:g}"
    if field.pattern and not re.fullmatch(field.pattern, value):
        return f"{value!r} does not have the expected form (pattern {field.pattern})"
    if field.enum is not None and value not in field.enum:
        return f"{value!r} is not a known value; expected one of: {', '.join(field.enum)}"
    if field.max_length is not None and len(value) > field.max_length:
        return f"value is {len(value)} characters long; the maximum is {field.max_length}"
    return None


def check_fields(rows: list[Row], table: Table, label: str) -> list[Problem]:
    problems = []
    for row in rows:
        for f in table.fields:
            message = check_value(f, row.values[f.name])
            if message:
                problems.append(Problem(label, message, row.number, row.line, f.name))
    return problems


def check_unique(rows: list[Row], table: Table, label: str) -> list[Problem]:
    problems = []
    keys: list[tuple[str, ...]] = [(f.name,) for f in table.fields if f.unique]
    if table.primary_key and tuple(table.primary_key) not in keys:
        keys.append(tuple(table.primary_key))
    for key in keys:
        seen: dict[tuple[str, ...], Row] = {}
        for row in rows:
            value = tuple(row.values[k] for k in key)
            if any(v == "" for v in value):
                continue
            if value in seen:
                shown = value[0] if len(value) == 1 else "(" + ", ".join(value) + ")"
                problems.append(
                    Problem(label, f"duplicate {'/'.join(key)} {shown!r}: already used in row {seen[value].number}",
                            row.number, row.line, key[0])
                )
            else:
                seen[value] = row
    return problems


# --- the report's own rules ------------------------------------------------------------------------------

_DATE_FORMS = {"year": r"\d{4}", "month": r"\d{4}-\d{2}", "day": r"\d{4}-\d{2}-\d{2}"}


def date_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day covered by an ISO date of any precision ('2021', '2021-09', '2021-09-24')."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        following = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    day = dt.date(*parts)
    return day, day


def check_dates(rows: list[Row], table: Table, label: str) -> list[Problem]:
    if not table.has_fields("date", "date_precision"):
        return []
    problems = []
    for row in rows:
        precision = row.values["date_precision"]
        if precision not in _DATE_FORMS:
            continue  # the enum check reports it
        bounds = {}
        for column in ("date", "date_end"):
            value = row.values.get(column, "")
            if not value:
                continue
            if check_value(table.field(column), value) is not None:
                continue  # malformed as a value: check_fields has already reported it, once
            if not re.fullmatch(_DATE_FORMS[precision], value):
                problems.append(Problem(label, f"{value!r} does not match date_precision '{precision}' "
                                        f"(expected {'YYYY-MM-DD' if precision == 'day' else 'YYYY-MM' if precision == 'month' else 'YYYY'})",
                                        row.number, row.line, column))
                continue
            try:
                bounds[column] = date_bounds(value)
            except ValueError:
                problems.append(Problem(label, f"{value!r} is not a real calendar date", row.number, row.line, column))
        if "date" in bounds and "date_end" in bounds and bounds["date_end"][1] < bounds["date"][0]:
            problems.append(Problem(label, f"the range ends ({row.values['date_end']}) before it starts ({row.values['date']})",
                                    row.number, row.line, "date_end"))
    return problems


def check_confidence(rows: list[Row], table: Table, label: str) -> list[Problem]:
    if not table.has_fields("confidence", "confidence_note"):
        return []
    return [
        Problem(label, f"confidence is '{row.values['confidence']}': say why in confidence_note",
                row.number, row.line, "confidence_note")
        for row in rows
        if row.values["confidence"] not in ("", "stated") and not row.values["confidence_note"]
    ]


#: A quantity is meaningless without its qualifiers: (value column, the columns it needs). A unit
#: (``count_unit``) is check_units' general rule, so it is not repeated here.
QUANTITY_PARTS = (("amount", ("amount_currency", "amount_bound")), ("count", ("count_bound",)))


def check_quantities(rows: list[Row], table: Table, label: str) -> list[Problem]:
    """A stated amount needs its currency and bound (a count, its bound); each qualifier needs its value."""
    problems = []
    for value_column, parts in QUANTITY_PARTS:
        if not table.has_fields(value_column, *parts):
            continue
        for row in rows:
            stated = row.values[value_column] != ""
            for part in parts:
                if stated and not row.values[part]:
                    problems.append(Problem(label, f"{value_column} is given: say its {part}", row.number, row.line, part))
                elif row.values[part] and not stated:
                    problems.append(Problem(label, f"{part} is given but {value_column} is empty", row.number, row.line, part))
    return problems


def check_parents(rows: list[Row], table: Table, label: str) -> list[Problem]:
    if not table.has_fields("actor_id", "parent_id"):
        return []
    parent = {r.values["actor_id"]: r.values["parent_id"] for r in rows}
    problems = []
    for row in rows:
        seen = [row.values["actor_id"]]
        current = parent.get(seen[0])
        while current:
            if current in seen:
                problems.append(Problem(label, "oversight links form a cycle: " + " -> ".join(seen + [current]),
                                        row.number, row.line, "parent_id"))
                break
            seen.append(current)
            current = parent.get(current)
    return problems


def check_units(rows: list[Row], table: Table, label: str) -> list[Problem]:
    """A column ``x`` with a sibling ``x_unit``: a value needs its unit, and a unit needs its value.

    A sub-count column ``x_blockchain`` (a part of ``x``, in the same unit) may not exceed ``x`` and needs ``x``,
    and its ``x_blockchain_basis`` (what the part counts) goes with it.
    """
    problems = []
    names = set(table.field_names)
    for name in sorted(n for n in names if f"{n}_unit" in names):
        unit = f"{name}_unit"
        for row in rows:
            value, given = row.values[name], row.values[unit]
            if value and not given:
                problems.append(Problem(label, f"{name} {value!r} has no unit: fill in {unit}", row.number, row.line, unit))
            elif given and not value:
                problems.append(Problem(label, f"{unit} is '{given}' but {name} is empty", row.number, row.line, name))
        part = f"{name}_blockchain"
        if part not in names:
            continue
        for row in rows:
            whole, share = row.values[name], row.values[part]
            if share and not whole:
                problems.append(Problem(label, f"{part} is given without the {name} it is part of", row.number, row.line, part))
            elif share and whole and share.isdigit() and whole.isdigit() and int(share) > int(whole):
                problems.append(Problem(label, f"{part} {share} is larger than {name} {whole}", row.number, row.line, part))
            basis = f"{part}_basis"
            if basis in names and bool(share) != bool(row.values[basis]):
                problems.append(Problem(label, f"{part} and {basis} go together: give both or neither", row.number, row.line, basis))
    return problems


def check_corpus_files(rows: list[Row], table: Table, label: str, root: Path) -> list[Problem]:
    if not table.has_fields("kind", "corpus_file"):
        return []
    problems = []
    for row in rows:
        kind, name = row.values["kind"], row.values["corpus_file"]
        if kind == "corpus-article" and not name:
            problems.append(Problem(label, "a corpus article must name its text file under corpus/", row.number, row.line, "corpus_file"))
        elif name and kind != "corpus-article":
            problems.append(Problem(label, f"only corpus articles have a corpus_file; this source is '{kind}'", row.number, row.line, "corpus_file"))
        elif name and not (root / CORPUS_DIR / name).is_file():
            problems.append(Problem(label, f"corpus/{name} does not exist", row.number, row.line, "corpus_file"))
    return problems


def _longest_matching_prefix(quote: str, text: str) -> int:
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    return low


def check_quotes(rows: list[Row], table: Table, label: str, sources: dict[str, Row] | None, root: Path) -> list[Problem]:
    if sources is None or not table.has_fields("quote", "source_id"):
        return []
    problems = []
    texts: dict[str, str] = {}
    for row in rows:
        quote = row.values["quote"]
        if not quote:
            continue
        source = sources.get(row.values["source_id"])
        if source is None:
            continue  # the foreign-key check reports it
        name = source.values.get("corpus_file", "")
        if not name:
            problems.append(Problem(label, f"a quote needs a corpus source; source '{row.values['source_id']}' has no corpus text",
                                    row.number, row.line, "quote"))
            continue
        path = root / CORPUS_DIR / name
        if not path.is_file():
            continue  # check_corpus_files reports the missing file once, not once per quote
        if name not in texts:
            texts[name] = path.read_text(encoding="utf-8")
        if quote not in texts[name]:
            matched = _longest_matching_prefix(quote, texts[name])
            problems.append(Problem(label, f"quote is not verbatim in corpus/{name}: the text matches only its first "
                                    f"{matched} characters, then differs at {quote[matched:matched + 30]!r}",
                                    row.number, row.line, "quote"))
    return problems


# --- the whole package ------------------------------------------------------------------------------------


def check_table(table: Table, root: Path) -> tuple[list[Row] | None, list[Problem]]:
    """Read and check one table on its own (no foreign keys, no quotes): what a loader can afford."""
    label = table.path
    rows, problems = read_rows(root / table.path, table, label)
    if rows is None:
        return None, problems
    for check in (check_fields, check_unique, check_dates, check_confidence, check_parents, check_units, check_quantities):
        problems += check(rows, table, label)
    problems += check_corpus_files(rows, table, label, root)
    return rows, problems


def check_foreign_keys(tables: list[Table], rows_by_table: dict[str, list[Row] | None]) -> list[Problem]:
    problems = []
    for table in tables:
        rows = rows_by_table.get(table.name)
        if rows is None:
            continue
        for fk in table.foreign_keys:
            target_name = fk.resource or table.name
            target_rows = rows_by_table.get(target_name)
            if target_rows is None:
                continue  # the target is missing or unreadable: already reported
            target = table_by_name(tables, target_name)
            known = {tuple(r.values[f] for f in fk.reference_fields) for r in target_rows}
            for row in rows:
                value = tuple(row.values[f] for f in fk.fields)
                if any(v == "" for v in value) or value in known:
                    continue
                shown = value[0] if len(value) == 1 else value
                problems.append(Problem(table.path, f"{shown!r} does not match any {'/'.join(fk.reference_fields)} in {target.path}",
                                        row.number, row.line, fk.fields[0]))
    return problems


def validate(root: Path | str | None = None) -> list[Problem]:
    """Every problem in the data directory ``root`` (default: the project's data/), in file order."""
    root = Path(root) if root is not None else default_data_dir()
    try:
        tables = load_package(root)
    except SchemaError as exc:
        return [Problem(DESCRIPTOR, str(exc))]
    problems: list[Problem] = []
    rows_by_table: dict[str, list[Row] | None] = {}
    for table in tables:
        rows, table_problems = check_table(table, root)
        rows_by_table[table.name] = rows
        problems += table_problems
    problems += check_foreign_keys(tables, rows_by_table)
    source_rows = rows_by_table.get("sources")
    sources = {r.values["source_id"]: r for r in source_rows} if source_rows is not None else None
    for table in tables:
        rows = rows_by_table.get(table.name)
        if rows is not None:
            problems += check_quotes(rows, table, table.path, sources, root)
    order = {t.path: i for i, t in enumerate(tables)}
    return sorted(problems, key=lambda p: (order.get(p.file, -1), p.row or 0, p.column or ""))


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print("usage: python -m twotracks.validate [DATA_DIR]", file=sys.stderr)
        return 2
    root = Path(args[0]) if args else default_data_dir()
    problems = validate(root)
    if problems:
        for problem in problems:
            print(f"{root}/{problem}", file=sys.stderr)
        files = len({p.file for p in problems})
        print(f"validation failed: {len(problems)} problem(s) in {files} file(s) under {root}/", file=sys.stderr)
        return 1
    tables = load_package(root)
    print(f"{root}/: valid ({len(tables)} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
