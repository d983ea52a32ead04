"""Rules of data/instruments.csv that a Frictionless schema cannot state (they tie one column to another).

* a status other than ``unknown`` has its ``status_date`` (when the instrument took effect, or was
  repealed, replaced or amended);
* a ``replaced`` instrument names its successor in ``replaced_by``, and only a replaced one does;
* no instrument replaces itself;
* no status dates from before the instrument's own event (its ``event_id`` in events.csv).

The schema in datapackage.json already checks the enum of statuses, the date pattern and the foreign
keys (``replaced_by`` to a known instrument, ``event_id`` to a known event). Each problem is one line
naming the file, the row (and its line), the column and what is wrong, like the validator's.

``python -m twotracks.rules_instruments [DATA_DIR]`` prints them and exits 1 if there are any.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path

from . import parse
from .paths import data_dir as default_data_dir
from .validate import Problem

#: Any real date: the plausible range is the validator's own check, not this module's.
_ANY = dt.date.max


def date_bounds(value: str) -> tuple[dt.date, dt.date]:
    first, last, _ = parse.date_range(value, _ANY)
    return first, last


INSTRUMENTS = "instruments.csv"
EVENTS = "events.csv"
DATED_STATUSES = {"in-force", "amended", "partly-repealed", "repealed", "replaced"}


def _rows(path: Path) -> list[tuple[int, int, dict[str, str]]]:
    """(row number, line where the row starts, values) for each data row; [] if the file is missing."""
    if not path.is_file():
        return []
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        start = reader.line_num + 1
        for number, values in enumerate(reader, start=1):
            rows.append((number, start, {k: (v or "") for k, v in values.items() if k is not None}))
            start = reader.line_num + 1
    return rows


def _first_day(value: str):
    try:
        return date_bounds(value)[0]
    except (parse.ValueProblem, ValueError, TypeError):
        return None  # a malformed date: the schema check reports it


def instrument_problems(root: Path | str | None = None) -> list[Problem]:
    """Every breach of the rules above in ``root``/instruments.csv (default: the project's data/)."""
    root = Path(root) if root is not None else default_data_dir()
    event_dates = {values.get("event_id", ""): values.get("date", "") for _, _, values in _rows(root / EVENTS)}
    problems = []
    for number, line, row in _rows(root / INSTRUMENTS):
        status, status_date = row.get("status", ""), row.get("status_date", "")
        replaced_by, own_id = row.get("replaced_by", ""), row.get("instrument_id", "")

        def problem(column: str, message: str, number: int = number, line: int = line) -> None:
            problems.append(Problem(INSTRUMENTS, message, number, line, column))

        if status in DATED_STATUSES and not status_date:
            problem("status_date", f"status '{status}' needs a status_date (only an unknown status may have none)")
        if status == "replaced" and not replaced_by:
            problem("replaced_by", "a replaced instrument must name its successor in replaced_by")
        if replaced_by and status != "replaced":
            problem("replaced_by", f"replaced_by is set ({replaced_by!r}) but the status is '{status}', not 'replaced'")
        if replaced_by and replaced_by == own_id:
            problem("replaced_by", f"{own_id!r} cannot replace itself")
        issued = _first_day(event_dates.get(row.get("event_id", ""), ""))
        changed = _first_day(status_date) if status_date else None
        if issued and changed and date_bounds(status_date)[1] < issued:
            problem(
                "status_date",
                f"status_date {status_date} is before the instrument's own event "
                f"({row.get('event_id')}, {event_dates[row.get('event_id')]})",
            )
    return problems


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args[0]) if args else default_data_dir()
    problems = instrument_problems(root)
    for item in problems:
        print(f"{root}/{item}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
