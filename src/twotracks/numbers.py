"""Glue the numbers the prose quotes, formatted once, here, and listed for the reader.

Every number in a chapter's text is inserted with ``{glue:text}`` from a value computed in its notebook.
The helpers glue plain Python values (``glue`` of a NumPy scalar would show ``np.float64(...)``) as
pre-formatted text, so the prose shows ``1,821`` or ``34.3%``, never ``(1, 821)`` or ``'1,821'``.
"""

from __future__ import annotations

import numbers as _numbers

import pandas as pd

_GLUED: dict[str, tuple[str, str]] = {}


class _PlainText(str):
    """A string glued as a quoted Python literal.

    MyST-NB's ``{glue:text}`` passes the stored text/plain through ``ast.literal_eval`` before printing it.
    Unquoted, "3,779" would come back as the tuple (3, 779) and "0.10" as 0.1; quoted, the text comes back
    exactly as formatted here.
    """

    def __repr__(self) -> str:
        return repr(str(self))


def plain(value):
    """A NumPy or pandas scalar as the equivalent built-in Python value."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    return value


def format_value(value, fmt: str | None = None) -> str:
    value = plain(value)
    if fmt is not None:
        return fmt.format(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, _numbers.Integral):
        return f"{value:,}"
    if isinstance(value, _numbers.Real):
        return f"{value:,.1f}"
    return str(value)


def glue_value(name: str, value, fmt: str | None = None, meaning: str = "") -> None:
    """Glue ``value`` under ``name`` as formatted text; ``meaning`` is listed for the reader.

    Returns None on purpose: a value returned by a cell's last line would be displayed, and IPython's
    trailing-semicolon suppression does not apply when nbval re-executes a cell (it stores no history).
    """
    from myst_nb import glue

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        raise ValueError(f"glue {name!r}: the value is missing; a chapter never prints a missing number")
    text = format_value(value, fmt)
    glue(name, _PlainText(text), display=False)
    _GLUED[name] = (text, meaning)


def glued_numbers() -> pd.DataFrame:
    """Every value glued so far in this notebook: name, text as printed, what it means."""
    return pd.DataFrame(
        [(name, text, meaning) for name, (text, meaning) in _GLUED.items()],
        columns=["name", "as printed", "meaning"],
    )


def numbers_table():
    """The chapter's closing table: every number glued into its text, as printed, and what it is (whole)."""
    from .present import reader_table

    return reader_table(
        glued_numbers(),
        columns={"name": "Name", "as printed": "As printed", "meaning": "What it is"},
        caption="Every number in this chapter's text, as printed, and what it is",
    )
