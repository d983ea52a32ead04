"""Make a valid copy of the data package N times larger, for the benchmark's scale case.

Copy 0 is the package as it is; copy k (k >= 1) repeats every row of every table with each id suffixed
``-xK`` and every reference to an id suffixed the same way, so ids stay unique and foreign keys resolve
within their own copy. Quotes stay verbatim because a copied source keeps its corpus file. The CCAF
export's rows are keyed by (date, country): copy k prefixes the country (``copy K of Germany *``), which
keeps a footnote asterisk at the end and leaves "Mainland China" itself in copy 0 only, so the chapter's
China series is unchanged in length while the table it is cleaned from grows.

``python -m bookbuild.scaledata FACTOR TARGET_DIR`` writes the package into TARGET_DIR (never into data/).
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
from pathlib import Path

from twotracks.paths import ROOT
from twotracks.schema import DESCRIPTOR, load_package

#: Columns that hold an id (or a reference to one), by table; copy k suffixes each non-empty value.
ID_COLUMNS = {
    "sources": ("source_id",),
    "actors": ("actor_id", "parent_id", "source_id"),
    "events": ("event_id", "source_id"),
    "event_actors": ("event_id", "actor_id"),
}
PREFIXED_COLUMNS = {"ccaf_mining_map_country_share": ("country",)}


def _copy_row(row: dict[str, str], table: str, k: int) -> dict[str, str]:
    if k == 0:
        return row
    out = dict(row)
    for column in ID_COLUMNS.get(table, ()):
        if out.get(column):
            out[column] = f"{out[column]}-x{k}"
    for column in PREFIXED_COLUMNS.get(table, ()):
        out[column] = f"copy {k} of {out[column]}"
    return out


def scale_package(factor: int, target: Path, source: Path | None = None) -> Path:
    """Write the data package at ``source`` (default data/) ``factor`` times larger into ``target``."""
    source = source or ROOT / "data"
    target = Path(target)
    if target.resolve() == (ROOT / "data").resolve():
        raise ValueError("the scale case never writes into data/")
    shutil.copytree(source, target, dirs_exist_ok=True)  # descriptor, corpus and any unlisted file
    for table in load_package(source):
        known = table.name in ID_COLUMNS or table.name in PREFIXED_COLUMNS
        if not known and factor > 1:
            raise ValueError(f"the scale generator does not know table '{table.name}': say how its ids are copied")
        with (source / table.path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header, rows = reader.fieldnames, list(reader)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for k in range(factor):
            writer.writerows(_copy_row(row, table.name, k) for row in rows)
        (target / table.path).write_text(buffer.getvalue(), encoding="utf-8")
    assert (target / DESCRIPTOR).is_file()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookbuild.scaledata", description=__doc__.splitlines()[0])
    parser.add_argument("factor", type=int)
    parser.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    scale_package(args.factor, args.target)
    print(f"{args.target}: data package x{args.factor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
