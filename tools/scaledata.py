"""Make a valid copy of the data package N times larger, for the benchmark's scale case.

Copy 0 is the package as it is; copy k (k >= 1) repeats every row of every table with each id suffixed
``-xK`` and every reference to an id suffixed the same way, so ids stay unique and foreign keys resolve
within their own copy. Which columns are ids is read from the schema (primary keys, unique columns,
foreign keys), so a new table needs no change here; a reference table whose key pattern admits no suffix
(ISO province codes) is kept once. Quotes stay verbatim because a copied source keeps its corpus file. The CCAF
export's rows are keyed by (date, country): copy k prefixes the country (``copy K of Germany *``), which
keeps a footnote asterisk at the end and leaves "Mainland China" itself in copy 0 only, so the chapter's
China series is unchanged in length while the table it is cleaned from grows.

``python tools/scaledata.py FACTOR TARGET_DIR`` writes the package into TARGET_DIR (never into data/).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import shutil
import sys
from pathlib import Path

from twotracks.paths import data_dir, root
from twotracks.schema import DESCRIPTOR, Table, load_package

#: Tables keyed by something other than an id: copy k prefixes these columns instead.
PREFIXED_COLUMNS = {"ccaf_mining_map_country_share": ("country",)}
SUFFIX = "-x{k}"


def _identity_columns(table: Table) -> list[str]:
    """The columns that carry an identity: the primary key, unique columns and foreign keys."""
    names = list(table.primary_key) + [f.name for f in table.fields if f.unique]
    names += [name for fk in table.foreign_keys for name in fk.fields]
    return list(dict.fromkeys(names))


def _takes_suffix(table: Table, rows: list[dict[str, str]]) -> bool:
    """Whether the table's own key values still match their patterns with a copy suffix added."""
    for name in list(table.primary_key) + [f.name for f in table.fields if f.unique]:
        pattern = table.field(name).pattern
        sample = next((r[name] for r in rows if r[name]), None)
        if pattern and sample is not None and not re.fullmatch(pattern, sample + SUFFIX.format(k=1)):
            return False
    return True


def plan(tables: list[Table], rows: dict[str, list[dict[str, str]]]) -> dict[str, list[str] | None]:
    """For each table, the columns copy k suffixes; None for a reference table that is kept once.

    A reference table (ISO province codes, say) has keys whose pattern admits no suffix: it is not
    repeated, and the references to it are left as they are.
    """
    fixed = {t.name for t in tables if t.name not in PREFIXED_COLUMNS and not _takes_suffix(t, rows[t.name])}
    result: dict[str, list[str] | None] = {}
    for table in tables:
        if table.name in fixed:
            result[table.name] = None
            continue
        to_fixed = {name for fk in table.foreign_keys if (fk.resource or table.name) in fixed for name in fk.fields}
        result[table.name] = [
            c for c in _identity_columns(table) if c not in to_fixed and table.name not in PREFIXED_COLUMNS
        ]
    return result


def _copy_row(row: dict[str, str], table: str, columns: list[str], k: int) -> dict[str, str]:
    if k == 0:
        return row
    out = dict(row)
    for column in columns:
        if out.get(column):
            out[column] = out[column] + SUFFIX.format(k=k)
    for column in PREFIXED_COLUMNS.get(table, ()):
        out[column] = f"copy {k} of {out[column]}"
    return out


def scale_package(factor: int, target: Path, source: Path | None = None) -> Path:
    """Write the data package at ``source`` (default data/) ``factor`` times larger into ``target``.

    Reference tables (see :func:`plan`) are kept once; every other table is ``factor`` times larger.
    """
    source = source or data_dir()
    target = Path(target)
    if target.resolve() in ((root() / "data").resolve(), data_dir()):
        raise ValueError("the scale case never writes into data/")
    shutil.copytree(source, target, dirs_exist_ok=True)  # descriptor, corpus and any unlisted file
    tables = load_package(source)
    headers, rows = {}, {}
    for table in tables:
        with (source / table.path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            headers[table.name], rows[table.name] = reader.fieldnames, list(reader)
    for table in tables:
        columns = plan(tables, rows)[table.name]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=headers[table.name], lineterminator="\n")
        writer.writeheader()
        for k in range(factor if columns is not None else 1):
            writer.writerows(_copy_row(row, table.name, columns or [], k) for row in rows[table.name])
        (target / table.path).write_text(buffer.getvalue(), encoding="utf-8")
    assert (target / DESCRIPTOR).is_file()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/scaledata.py", description=__doc__.splitlines()[0])
    parser.add_argument("factor", type=int)
    parser.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    scale_package(args.factor, args.target)
    print(f"{args.target}: data package x{args.factor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
