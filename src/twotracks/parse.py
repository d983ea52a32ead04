"""The one parser of the data's values: the validator checks, and ``data.load_table`` converts, with it.

Python's ``int()``, ``float()``, ``\\d`` and ``fromisoformat`` accept more than the schema means (``nan``,
``1e400``, ``1_000``, Arabic-Indic and full-width digits, ISO week dates). These accept only what the
descriptor means: ASCII digits, finite numbers, real calendar dates from 1990 to a year after the package's
``as_of``. Each raises :class:`ValueProblem` with a message that names the value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

EARLIEST = dt.date(1990, 1, 1)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_DATETIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?")
PRECISIONS = {1: "year", 2: "month", 3: "day"}
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # Unicode category Cc, less the line break
FORMULA_LEAD = ("=", "+", "-", "@")
_INVISIBLE = {"Cf", "Zl", "Zp", "Co", "Cn"}  # format, line/paragraph separator, private use, unassigned


class ValueProblem(ValueError):
    """A value the schema does not allow; the message names it."""


def integer(text: str, largest: int = 2**63 - 1) -> int:
    """Up to the loader's Int64 (pandas overflows beyond); int() itself raises beyond 4,300 digits."""
    if not _INTEGER.fullmatch(text):
        raise ValueProblem(f"{text!r} is not an integer (ASCII digits only)")
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > len(str(largest)) or int(digits or "0") > largest:
        raise ValueProblem(f"{text!r} is too large: whole numbers are loaded as integers up to {largest:,}")
    return int(digits or "0") * (-1 if text.startswith("-") else 1)


def is_integer(text: str) -> bool:
    return bool(_INTEGER.fullmatch(text))


def number(text: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise ValueProblem(f"{text!r} is not a number (ASCII digits, an optional point and exponent)")
    if is_integer(text):  # loaded as Int64 via a float when a column has only whole numbers: exact to 2**53
        integer(text, 2**53)
    value = float(text)
    if not math.isfinite(value):
        raise ValueProblem(f"{text!r} is too large to be a finite number")
    return value


def date_range(text: str, latest: dt.date) -> tuple[dt.date, dt.date, str]:
    """First and last day covered by an ISO date of any precision (2021, 2021-09, 2021-09-24), and the precision."""
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueProblem(f"{text!r} is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in match.groups() if p is not None]
    try:
        first = dt.date(parts[0], *(parts[1:] + [1, 1])[:2])
        if len(parts) == 3:
            last = first
        elif len(parts) == 2:
            last = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1) - dt.timedelta(days=1)
        else:
            last = dt.date(parts[0], 12, 31)
    except ValueError:
        raise ValueProblem(f"{text!r} is not a real calendar date") from None
    if first < EARLIEST or last > latest:
        raise ValueProblem(f"{text!r} is outside the plausible range {EARLIEST.year} to {latest.isoformat()}")
    return first, last, PRECISIONS[len(parts)]


def date(text: str, latest: dt.date) -> dt.date:
    """A day (YYYY-MM-DD): the Table Schema type ``date``."""
    first, _, precision = date_range(text, latest)
    if precision != "day":
        raise ValueProblem(f"{text!r} is not a date in the form YYYY-MM-DD")
    return first


def datetime(text: str, latest: dt.date) -> dt.datetime:
    """A moment (YYYY-MM-DDThh:mm:ss, optionally Z or an offset): the Table Schema type ``datetime``."""
    match = _DATETIME.fullmatch(text)
    if not match:
        raise ValueProblem(f"{text!r} is not a date-time in the form YYYY-MM-DDThh:mm:ss")
    date(match[1], latest)
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueProblem(f"{text!r} is not a real time of day") from None


def latest_date(as_of: str | None) -> dt.date:
    """The last plausible date: a year after the package's as_of (or after today, if it states none)."""
    base = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    return base.replace(year=base.year + 1, day=min(base.day, 28))


def text(value: str) -> None:
    """Text safe to publish: no control or invisible characters (a line break is allowed), no spreadsheet formula."""
    control = _CONTROL.search(value)
    if control:
        raise ValueProblem(f"contains the control character U+{ord(control[0]):04X}; remove it")
    invisible = next((c for c in value if unicodedata.category(c) in _INVISIBLE), None)
    if invisible:  # zero-width space, bidi override (text shown reversed), soft hyphen, U+2028: all unseen
        name = unicodedata.name(invisible, "unassigned")
        raise ValueProblem(f"contains the invisible character U+{ord(invisible):04X} ({name}); remove it")
    if value.startswith(FORMULA_LEAD):
        raise ValueProblem(f"starts with {value[0]!r}: a spreadsheet would run it as a formula; reword it")


#: Table Schema type -> parser of one non-empty value (strings are checked by :func:`text`).
TYPED = {"integer": integer, "number": number, "date": date, "datetime": datetime}


def value(kind: str, raw: str, latest: dt.date):
    """One non-empty value of a field of Table Schema type ``kind``, parsed; raises ValueProblem."""
    if kind in ("date", "datetime"):
        return TYPED[kind](raw, latest)
    if kind in TYPED:
        return TYPED[kind](raw)
    text(raw)
    return raw
