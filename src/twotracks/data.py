"""Load the data package's tables as pandas DataFrames, checked against their schema.

Every file a notebook reads goes through :func:`record_read`, so the book's build knows which data files
each notebook depends on and re-executes only the notebooks whose inputs changed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import parse
from .paths import data_dir, relative_to_root
from .schema import DESCRIPTOR, Table, load_package, table_by_name
from .validate import CORPUS_DIR, DataValidationError, Problem, check_table

#: Set by the book's build while it executes a notebook: a file to which each data file read is appended.
READ_LOG_ENV = "TWOTRACKS_READ_LOG"


def record_read(path: Path, part: str | None = None) -> None:
    """Note that the running notebook read ``path`` (or only the named ``part`` of a data package descriptor)."""
    log = os.environ.get(READ_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(relative_to_root(path) + (f"#{part}" if part else "") + "\n")


def tables(root: Path | None = None) -> list[Table]:
    return load_package(root or data_dir())


def load_table(name: str, root: Path | None = None) -> pd.DataFrame:
    """One table, every column as pandas' string dtype with missing values as <NA>.

    Typed columns are converted by :mod:`twotracks.parse`, the parser the validator checks them with.
    Raises DataValidationError, listing every problem, if the table breaks its own schema. Cross-table
    checks (foreign keys, quotes) are the job of ``make validate``, which the build runs first.
    """
    root = root or data_dir()
    package = tables(root)
    table = table_by_name(package, name)
    record_read(root / DESCRIPTOR, part=name)  # this table's schema only: a new table elsewhere changes nothing here
    record_read(root / table.path)
    rows, problems = check_table(package, name, root)
    if problems:
        raise DataValidationError(problems)
    frame = pd.DataFrame([r.values for r in rows], columns=table.field_names, dtype="string").replace("", pd.NA)
    latest = parse.latest_date(package.as_of)
    kinds = {"number": "Float64", "integer": "Int64", "date": "datetime64[ns]", "datetime": "datetime64[ns, UTC]"}
    for field in (f for f in table.fields if f.type in kinds):
        raw = [None if pd.isna(v) else v for v in frame[field.name]]
        values = [None if v is None else parse.value(field.type, v, latest) for v in raw]
        kind = kinds[field.type]
        if field.type == "number" and all(v is None or parse.is_integer(v) for v in raw):  # as pd.to_numeric would
            kind, values = "Int64", [None if v is None else int(v) for v in values]
        frame[field.name] = pd.Series(
            pd.to_datetime(values, utc=field.type == "datetime") if "date" in field.type else values,
            index=frame.index,
            dtype=kind,
        )
    return frame


def corpus_text(corpus_file: str, root: Path | None = None) -> str:
    """The verbatim text of one corpus article."""
    path = (root or data_dir()) / CORPUS_DIR / corpus_file
    record_read(path)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            [Problem(f"{CORPUS_DIR}/{corpus_file}", f"not valid UTF-8 at byte {exc.start}")]
        ) from None


def year_of(dates: pd.Series) -> pd.Series:
    """The year of ISO dates of any precision ('2021', '2021-09', '2021-09-24')."""
    return dates.str.slice(0, 4).astype("Int64")


def start_of(dates: pd.Series) -> pd.Series:
    """The first day covered by ISO dates of any precision, as datetimes (for plotting on a time axis)."""
    padded = dates.where(dates.str.len() != 4, dates + "-01").where(lambda s: s.str.len() != 7, lambda s: s + "-01")
    return pd.to_datetime(padded, format="%Y-%m-%d")
