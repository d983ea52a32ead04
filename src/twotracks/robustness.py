"""Does a headline finding survive other readings of the data? One small table per chapter.

A chapter states each headline finding as a :class:`Finding`: how to compute its number from the tables,
and the test that the text's claim passes on that number. :func:`robustness_table` recomputes every finding
under each :class:`Variant` of the tables (as coded; without the rows coded ``inferred`` or ``reported``;
under the main alternative coding) and says whether it holds in each. A finding that fails in any variant
does not survive, and the chapter rewords or drops it.

Tables are passed as a mapping of table name to DataFrame (``{"events": ..., "event_actors": ...}``);
a variant returns a new mapping and never changes the one it is given.

Usage::

    findings = [Finding("Both tracks active in the same years", years_with_both, lambda n: n >= 3)]
    robustness_table(findings, {"events": events, "event_actors": event_actors}, STANDARD_VARIANTS)

The standard readings are :data:`AS_COUNTED` (the main count: filing batches and statistics left out),
:data:`COUNTED_WITHOUT_UNCERTAIN` and :data:`RECORDS_COUNTED`; :data:`LEAD_ISSUER_ONLY` drops co-issuer
credits, and :data:`DATA_INFRASTRUCTURE_LEFT_OUT` the events coded ``blockchain-yes`` as data infrastructure although
their sources do not mention blockchain. :func:`compose` chains readings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .numbers import format_value

Tables = Mapping[str, pd.DataFrame]

#: Confidence codes of rows that are not stated facts (data/datapackage.json, events.confidence).
UNCERTAIN = ("inferred", "reported")

#: Event kinds that are records of a running system, not a new act of the state (book/methods.md, counting rules).
RECORD_KINDS = ("filing-batch", "statistic")


@dataclass(frozen=True)
class Finding:
    """A headline finding: ``compute`` gives its number from the tables, ``holds`` tests the text's claim.

    ``fmt`` formats the number for the table (as :func:`twotracks.numbers.format_value`).
    """

    label: str
    compute: Callable[[Tables], Any]
    holds: Callable[[Any], bool]
    fmt: str | None = None


@dataclass(frozen=True)
class Variant:
    """A reading of the data: a label for the table's header and a function from tables to tables."""

    label: str
    transform: Callable[[Tables], Tables]


def _keep_events(tables: Tables, keep: pd.Series) -> dict[str, pd.DataFrame]:
    """The tables with only the events where ``keep`` is true, and only those events' actor links."""
    out = dict(tables)
    events = tables["events"][keep]
    out["events"] = events
    if "event_actors" in tables:
        links = tables["event_actors"]
        out["event_actors"] = links[links["event_id"].isin(events["event_id"])]
    return out


def without_uncertain(tables: Tables) -> dict[str, pd.DataFrame]:
    """Drop every event coded ``inferred`` or ``reported`` (and its actor links)."""
    return _keep_events(tables, ~tables["events"]["confidence"].isin(UNCERTAIN))


def without_kinds(label: str, kinds: Iterable[str]) -> Variant:
    """A variant that drops the events of the given kinds (and their actor links)."""
    kinds = tuple(kinds)
    return Variant(label, lambda tables: _keep_events(tables, ~tables["events"]["kind"].isin(kinds)))


def without_roles(label: str, roles: Iterable[str]) -> Variant:
    """A variant that drops actor links in the given roles (e.g. co-issuers not credited)."""
    roles = tuple(roles)

    def transform(tables: Tables) -> dict[str, pd.DataFrame]:
        out = dict(tables)
        links = tables["event_actors"]
        out["event_actors"] = links[~links["role"].isin(roles)]
        return out

    return Variant(label, transform)


def compose(label: str, *variants: Variant) -> Variant:
    """A variant that applies ``variants`` in order (e.g. the main count, then without uncertain rows)."""

    def transform(tables: Tables) -> dict[str, pd.DataFrame]:
        out = dict(tables)
        for variant in variants:
            out = dict(variant.transform(out))
        return out

    return Variant(label, transform)


AS_CODED = Variant("as coded", lambda tables: dict(tables))
WITHOUT_UNCERTAIN = Variant("without inferred or reported rows", without_uncertain)

#: The report's main count (book/methods.md, counting rules): filing batches and statistics left out.
AS_COUNTED = without_kinds("as counted", RECORD_KINDS)
#: The main count without the rows coded inferred or reported.
COUNTED_WITHOUT_UNCERTAIN = compose("without inferred or reported rows", AS_COUNTED, WITHOUT_UNCERTAIN)
#: The alternative coding: filing batches and statistics counted as events like any other.
RECORDS_COUNTED = Variant("filing batches and statistics counted", lambda tables: dict(tables))
#: The alternative crediting: only the lead issuer of a joint document (co-issuers not credited).
LEAD_ISSUER_ONLY = compose(
    "co-issuers not credited", AS_COUNTED, without_roles("co-issuers not credited", ["co-issuer"])
)
#: The phrase of ``confidence_note`` that marks an event coded ``blockchain-yes`` as the data-infrastructure side of
#: the promotion track although its source does not mention blockchain (an analytic choice; book/methods.md).
DATA_INFRASTRUCTURE_NOTE = "data-infrastructure side"


def is_data_infrastructure(events: pd.DataFrame) -> pd.Series:
    """True for the events whose ``confidence_note`` marks them as coded by the data-infrastructure choice."""
    if "confidence_note" not in events.columns:
        raise KeyError("is_data_infrastructure: the events have no 'confidence_note' column")
    return events["confidence_note"].fillna("").str.contains(DATA_INFRASTRUCTURE_NOTE, regex=False)


#: The alternative coding of the promotion track: the main count without the data-infrastructure events.
DATA_INFRASTRUCTURE_LEFT_OUT = compose(
    "data-infrastructure events left out",
    AS_COUNTED,
    Variant(
        "data-infrastructure events left out",
        lambda tables: _keep_events(tables, ~is_data_infrastructure(tables["events"])),
    ),
)
#: The standard readings, in the order a chapter's table shows them.
STANDARD_VARIANTS = (AS_COUNTED, COUNTED_WITHOUT_UNCERTAIN, RECORDS_COUNTED)

NOT_HOLDING = " (does not hold)"


def robustness_table(
    findings: Sequence[Finding], tables: Tables, variants: Sequence[Variant] = (AS_CODED, WITHOUT_UNCERTAIN)
) -> pd.DataFrame:
    """One row per finding: its value under each variant, and whether it holds in all of them.

    Columns: ``finding``, one per variant (its label; the value as text, followed by " (does not hold)"
    where the claim fails), and ``survives`` ("yes" or "no"). Ready for
    :func:`twotracks.present.reader_table`.
    """
    if not findings:
        raise ValueError("robustness_table: no findings given")
    labels = [v.label for v in variants]
    if len(set(labels)) != len(labels):
        raise ValueError(f"robustness_table: variant labels must differ, got {labels}")
    readings = {v.label: v.transform(tables) for v in variants}
    rows = []
    for finding in findings:
        row: dict[str, str] = {"finding": finding.label}
        held = []
        for label, reading in readings.items():
            value = finding.compute(reading)
            ok = bool(finding.holds(value))
            held.append(ok)
            row[label] = format_value(value, finding.fmt) + ("" if ok else NOT_HOLDING)
        row["survives"] = "yes" if all(held) else "no"
        rows.append(row)
    return pd.DataFrame(rows, columns=["finding", *labels, "survives"])


def surviving(table: pd.DataFrame) -> list[str]:
    """The findings of a :func:`robustness_table` that hold under every variant."""
    return table.loc[table["survives"] == "yes", "finding"].tolist()
