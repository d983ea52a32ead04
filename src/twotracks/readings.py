"""Variants (:class:`twotracks.robustness.Variant`) over any table, not only the events.

:mod:`twotracks.robustness` drops uncertain *events*; the exchanges, regional and framing chapters test
findings on other tables (``exchange_moves``, ``regional_policies``, ``regional_counts``, ``corpus_quotes``).
These helpers build the same kinds of variant for a named table: without its rows coded ``inferred`` or
``reported``, with only the rows a test keeps, or with one column recoded. A variant returns a new mapping
of tables and never changes the one it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from .robustness import UNCERTAIN, WITHOUT_UNCERTAIN, Tables, Variant


def keep_rows(label: str, table: str, keep: Callable[[pd.DataFrame], pd.Series]) -> Variant:
    """A variant that keeps only the rows of ``table`` for which ``keep(frame)`` is true."""

    def transform(tables: Tables) -> dict[str, pd.DataFrame]:
        if table not in tables:
            raise KeyError(f"variant {label!r}: no table {table!r} among {sorted(tables)}")
        out = dict(tables)
        frame = tables[table]
        out[table] = frame[keep(frame).astype(bool)]
        return out

    return Variant(label, transform)


def without_uncertain(tables_: Iterable[str], label: str = WITHOUT_UNCERTAIN.label) -> Variant:
    """A variant without the rows coded ``inferred`` or ``reported`` in each of the named tables."""
    names = tuple(tables_)

    def transform(tables: Tables) -> dict[str, pd.DataFrame]:
        out = dict(tables)
        for name in names:
            if name not in tables:
                raise KeyError(f"variant {label!r}: no table {name!r} among {sorted(tables)}")
            frame = tables[name]
            if "confidence" not in frame.columns:
                raise KeyError(f"variant {label!r}: table {name!r} has no 'confidence' column")
            out[name] = frame[~frame["confidence"].isin(UNCERTAIN)]
        return out

    return Variant(label, transform)


def recoded(label: str, table: str, column: str, compute: Callable[[pd.DataFrame], pd.Series]) -> Variant:
    """A variant in which ``column`` of ``table`` is replaced by ``compute(frame)`` (an alternative coding)."""

    def transform(tables: Tables) -> dict[str, pd.DataFrame]:
        if table not in tables:
            raise KeyError(f"variant {label!r}: no table {table!r} among {sorted(tables)}")
        out = dict(tables)
        out[table] = tables[table].assign(**{column: compute(tables[table])})
        return out

    return Variant(label, transform)


def verdict(table: pd.DataFrame, finding: str) -> str:
    """A finding's robustness in words, from a :func:`twotracks.robustness.robustness_table`: "Robust: it holds
    under every reading", or "Not robust: it fails under <the readings where it fails>" (the briefing's markers)."""
    from .robustness import NOT_HOLDING

    rows = table[table["finding"] == finding]
    if len(rows) != 1:
        raise KeyError(f"verdict: no single finding {finding!r} in the robustness table")
    row = rows.iloc[0]
    failing = [c for c in table.columns if c not in ("finding", "survives") and str(row[c]).endswith(NOT_HOLDING)]
    if not failing:
        return "Robust: it holds under every reading"
    return "Not robust: it fails under " + "; ".join(f"'{c}'" for c in failing)
