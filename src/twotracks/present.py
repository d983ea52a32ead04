"""Presentation for readers: one date style, the data's "as of" date, and tables built for analysts.

Every chapter shows dates as "4 Sep 2017", "Sep 2017" or "2017" (the precision the data know, never more),
and tables without an index, with human labels and "not stated" for missing values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from .paths import data_dir

NOT_STATED = "not stated"
#: An instrument's status (data/instruments.csv) in a reader's words: the chapters' tables and the methods page's.
STATUS_WORDS = {
    "in-force": "In force",
    "amended": "Amended",
    "partly-repealed": "Partly repealed",
    "repealed": "Repealed",
    "replaced": "Repealed and replaced",
    "unknown": "Unknown: no source seen states it",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(value, precision: str | None = None) -> str:
    """An ISO date ('2017', '2017-09', '2017-09-04', or a date/Timestamp) in the report's one style.

    ``precision`` ('day', 'month', 'year') cuts a fuller date down to what is known; by default the
    precision is that of the ISO text itself. A missing value prints as "not stated".
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return NOT_STATED
    if isinstance(value, (dt.date, pd.Timestamp)):
        value = value.strftime("%Y-%m-%d")
    text = str(value)[:10]
    parts = text.split("-")
    if not all(p.isascii() and p.isdigit() for p in parts) or len(parts) > 3:
        raise ValueError(f"not an ISO date: {value!r}")
    keep = {"year": 1, "month": 2, "day": 3}.get(precision or "", len(parts))
    if keep > len(parts):
        raise ValueError(f"{value!r} is not known to the {precision}")
    year, month, day = (parts + [None, None])[:3]
    if keep == 1:
        return year
    name = _MONTHS[int(month) - 1]
    return f"{name} {year}" if keep == 2 else f"{int(day)} {name} {year}"


def format_dates(dates: pd.Series, precisions: pd.Series | None = None) -> pd.Series:
    """:func:`format_date` over a column (with a matching column of precisions, if given)."""
    if precisions is None:
        return dates.map(format_date)
    return pd.Series([format_date(d, p) for d, p in zip(dates, precisions)], index=dates.index, dtype="string")


def as_of(root: Path | None = None) -> str:
    """The data package's "as of" date (ISO), the one date every chapter states."""
    from .data import record_read
    from .schema import DESCRIPTOR, load_package

    path = (root or data_dir()) / DESCRIPTOR
    record_read(path, part="as_of")
    value = load_package(path.parent).as_of
    if not value:
        raise ValueError(f"{path}: the descriptor has no 'as_of' date")
    return value


class ReaderTable(Styler):
    """A Styler whose plain-text form names its shape, not a memory address (outputs must reproduce)."""

    def __repr__(self) -> str:
        rows, cols = self.data.shape
        return f"<reader table: {rows} rows, {cols} columns>"


def reader_table(
    frame: pd.DataFrame,
    columns: dict[str, str] | None = None,
    labels: dict[str, dict[str, str]] | None = None,
    units: dict[str, str] | None = None,
    *,
    caption: str,
):
    """A table for readers: chosen columns under human headers, codes replaced by labels, no index, a caption.

    ``columns`` maps column -> header (and picks and orders them); ``labels`` maps column -> {code: label};
    ``units`` maps column -> unit appended to its header ("amount (CNY)"). ``caption`` is required: a short,
    plain sentence saying what the table shows (ending with its data source where natural), so that no
    table reaches a reader unexplained. Missing values show as "not stated"; numbers are right-aligned with
    thousands separators; nothing is truncated. Returns a pandas Styler, which MyST-NB renders as an HTML table.
    """
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError("reader_table: every table needs a caption saying what it shows")
    columns = columns or {c: c for c in frame.columns}
    shown = frame[list(columns)].copy()
    for column, mapping in (labels or {}).items():
        unknown = set(shown[column].dropna()) - set(mapping)
        if unknown:
            raise KeyError(f"reader_table: no label for {sorted(unknown)} in column {column!r}")
        shown[column] = shown[column].map(mapping, na_action="ignore")
    headers = {c: h + (f" ({units[c]})" if units and c in units else "") for c, h in columns.items()}
    shown = shown.rename(columns=headers).reset_index(drop=True)
    numeric = [
        c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])
    ]
    # a fixed id from the table's content: pandas would draw a random one, and re-execution must reproduce outputs
    uuid = "rt" + hashlib.sha1(shown.to_csv(index=False).encode("utf-8")).hexdigest()[:10]
    styler = (
        ReaderTable(shown, uuid=uuid)
        .hide(axis="index")
        .format(na_rep=NOT_STATED, escape="html")  # data text is shown as text, never run as markup
        .format(lambda v: f"{v:,}" if float(v).is_integer() else f"{v:,.1f}", subset=numeric, na_rep=NOT_STATED)
        .set_table_attributes('class="reader-table"')
        .set_properties(subset=numeric, **{"text-align": "right"})
    )
    return styler.set_caption(caption)


def status_text(status: str, status_date=None) -> str:
    """'Repealed and replaced on 6 Feb 2026', 'In force since 20 Aug 2024', 'Unknown: no source seen states it'."""
    words = STATUS_WORDS.get(status, status)
    if pd.isna(status_date) or status_date == "":  # None, NaN from a DataFrame, or an empty CSV field
        return words
    when = format_date(status_date)
    return f"{words} since {when}" if status == "in-force" else f"{words} on {when}"
