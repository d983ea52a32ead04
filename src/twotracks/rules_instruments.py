"""Rules of data/instruments.csv that a Frictionless schema cannot state (they tie one column to another).

* a status other than ``unknown`` has its ``status_date`` (when the instrument took effect, or was
  repealed, replaced or amended);
* a ``replaced`` instrument names its successor in ``replaced_by``, and only a replaced one does;
* no instrument replaces itself, nor is replaced by a chain of instruments that leads back to it;
* no status dates from before the instrument's own event (its ``event_id`` in events.csv), and no instrument is
  replaced before its successor was issued.

The schema in datapackage.json already checks the enum of statuses, the date pattern and the foreign
keys (``replaced_by`` to a known instrument, ``event_id`` to a known event). The validator runs these rules.
"""

from __future__ import annotations

import datetime as dt

from . import parse
from .validate import Problem, Row, cycle_through

INSTRUMENTS = "instruments.csv"
DATED_STATUSES = {"in-force", "amended", "partly-repealed", "repealed", "replaced"}


def instrument_problems(instruments: list[Row], events: list[Row]) -> list[Problem]:
    """Every breach of the rules above in the rows of instruments.csv, given the rows of events.csv."""
    event_dates = {row.values.get("event_id", ""): row.values.get("date", "") for row in events}
    successors = {row.values.get("instrument_id", ""): row.values.get("replaced_by", "") for row in instruments}
    events_of = {row.values.get("instrument_id", ""): row.values.get("event_id", "") for row in instruments}
    problems = []
    p = lambda row, column, message: problems.append(Problem.at(INSTRUMENTS, row, column, message))  # noqa: E731
    for row in instruments:
        status, status_date = row.values.get("status", ""), row.values.get("status_date", "")
        replaced_by, own_id = row.values.get("replaced_by", ""), row.values.get("instrument_id", "")
        event_id = row.values.get("event_id", "")
        if status in DATED_STATUSES and not status_date:
            p(row, "status_date", f"status '{status}' needs a status_date (only an unknown status may have none)")
        if status == "replaced" and not replaced_by:
            p(row, "replaced_by", "a replaced instrument must name its successor in replaced_by")
        if replaced_by and status != "replaced":
            p(row, "replaced_by", f"replaced_by is set ({replaced_by!r}) but the status is '{status}', not 'replaced'")
        if replaced_by and replaced_by == own_id:
            p(row, "replaced_by", f"{own_id!r} cannot replace itself")
        elif cycle := cycle_through(successors, own_id):
            p(row, "replaced_by", "replacements form a cycle: " + " -> ".join(cycle))
        try:  # any real date: the plausible range is the validator's own check
            issued = parse.date_range(event_dates.get(event_id, ""), dt.date.max)[0]
            changed = parse.date_range(status_date, dt.date.max)[1]
        except parse.ValueProblem:
            continue  # an empty date needs no comparison, a malformed one the validator reports
        successor_event = events_of.get(replaced_by, "")
        try:
            successor_issued = parse.date_range(event_dates.get(successor_event, ""), dt.date.max)[0]
        except parse.ValueProblem:
            successor_issued = dt.date.min  # no successor, or an undated one: nothing to compare
        if changed < issued:
            event = f"{event_id}, {event_dates[event_id]}"
            p(row, "status_date", f"status_date {status_date} is before the instrument's own event ({event})")
        elif changed < successor_issued:
            p(
                row,
                "status_date",
                f"replaced on {status_date}, before its successor {replaced_by!r} was issued "
                f"({successor_event}, {event_dates[successor_event]})",
            )
    return problems
