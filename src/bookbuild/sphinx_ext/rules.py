"""``{rules-in-force}``: the crypto-no track's national instruments and their status on the data date.

One table row per row of data/instruments.csv, in the order of issue: the instrument (English title and
hanzi), its number, its issuers (the issuer and co-issuer rows of its event in data/event_actors.csv,
named from data/actors.csv, "the then ..." for a body merged, replaced, renamed or abolished since), the
date of issue at the precision the data know, its status as of the data package's ``as_of`` date, what
replaced it, and the source of that status. Generated on every build, so a new instrument or a changed
status appears without editing a page.

``{rules-in-force-summary}``: one sentence for prose pages (the intro): which instruments are in force on
the data date, what each replaced, and how many have a status no source states.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from twotracks.paths import data_dir
from twotracks.present import format_date, status_text
from twotracks.schema import load_package

from .pages import _Generated, _para, _rows, _source_text

GONE = {"merged", "replaced", "renamed", "abolished"}
# "checked against": for an unknown status, the latest source seen, which does not state it
HEADERS = ("Instrument", "Number", "Issued by", "Issued", "Status", "Replaced by", "Status checked against")


def _actor_name(actor: dict[str, str]) -> str:
    name = actor.get("abbreviation") or actor["name_en"]
    return f"the then {name}" if actor.get("status") in GONE else name


def rules_in_force(data: Path | None = None) -> tuple[str, list[dict[str, str]]]:
    """(as_of, one dict per instrument with the table's cells as text, in order of issue)."""
    data = data or data_dir()
    as_of = load_package(data).as_of
    events = {r["event_id"]: r for r in _rows(data / "events.csv")}
    actors = {r["actor_id"]: r for r in _rows(data / "actors.csv")}
    roles: dict[str, dict[str, list[str]]] = {}
    for link in _rows(data / "event_actors.csv"):
        roles.setdefault(link["event_id"], {}).setdefault(link["role"], []).append(link["actor_id"])
    instruments = _rows(data / "instruments.csv")
    numbers = {r["instrument_id"]: r.get("doc_number_en") or r["title_en"] for r in instruments}
    table = []
    for row in instruments:
        event = events.get(row["event_id"], {})
        linked = roles.get(row["event_id"], {})
        issuers = [
            _actor_name(actors[a]) for role in ("issuer", "co-issuer") for a in linked.get(role, []) if a in actors
        ]
        approvers = [_actor_name(actors[a]) for a in linked.get("approver", []) if a in actors]
        issued_by = ", ".join(issuers) or "not stated"
        if approvers:
            issued_by += (
                f" (approved by the {', '.join(approvers)})"
                if len(approvers) == 1
                else f" (approved by {', '.join(approvers)})"
            )
        table.append(
            {
                "instrument_id": row["instrument_id"],
                "title_en": row["title_en"],
                "title_zh": row["title_zh"],
                "number": row.get("doc_number_en") or "none seen",
                "issued_by": issued_by,
                "issued": format_date(event["date"], event.get("date_precision"))
                if event.get("date")
                else "not stated",
                "sort": event.get("date", ""),
                "status": status_text(row["status"], row.get("status_date")),
                "status_code": row["status"],
                "replaced_by": numbers.get(row.get("replaced_by", ""), "") if row.get("replaced_by") else "",
                "status_source_id": row["status_source_id"],
            }
        )
    table.sort(key=lambda r: r["sort"])
    return as_of, table


def summary_text(data: Path | None = None) -> str:
    """The sentence ``{rules-in-force-summary}`` renders, from the same rows as the table."""
    data = data or data_dir()
    as_of, rows = rules_in_force(data)
    replaced = {}
    for row in _rows(data / "instruments.csv"):
        if row.get("replaced_by"):
            replaced.setdefault(row["replaced_by"], []).append(row.get("doc_number_en") or row["title_en"])
    in_force = []
    for row in rows:
        if row["status_code"] != "in-force":
            continue
        name = row["number"] if row["number"] != "none seen" else row["title_en"]
        text = f"{name} ({row['issued_by'].split(' (approved')[0]}, {row['issued']})"
        if row["instrument_id"] in replaced:
            text += f", which repealed and replaced {' and '.join(replaced[row['instrument_id']])}"
        in_force.append(text)
    unknown = sum(1 for r in rows if r["status_code"] == "unknown")
    listed = "; ".join(in_force) if in_force else "none that a source states"
    sentence = f"As of {format_date(as_of)}, the data date, the national instruments in force on the crypto-no track are: {listed}."
    if unknown:
        sentence += (
            f" The status of {unknown} earlier instrument{'s' if unknown != 1 else ''} is not stated by any "
            f"source seen, and the report does not treat {'them' if unknown != 1 else 'it'} as in force."
        )
    return sentence


class RulesInForceSummary(_Generated):
    def build(self):
        return [_para(summary_text())]


def _short_source(sources: dict[str, dict[str, str]], source_id: str, docname: str) -> nodes.Node:
    """The source's title (its English part where it gives one) and date, linked like any source."""
    node = _source_text(sources, source_id, docname)
    row = sources.get(source_id)
    if row:
        title = row["title"]
        if " (" in title and title.endswith(")") and not title.isascii():
            title = title[title.index(" (") + 2 : -1]  # '中文 (English gloss; number)' -> the gloss
        text = f"{title}, {format_date(row['date'])}"
        node.children = [nodes.inline(text, text)]
    return node


def _cell(*parts) -> nodes.entry:
    entry = nodes.entry()
    entry += _para(*parts)
    return entry


class RulesInForce(_Generated):
    def build(self):
        as_of, rows = rules_in_force()
        sources = {r["source_id"]: r for r in _rows(data_dir() / "sources.csv")}
        table = nodes.table(ids=["rules-in-force-table"], classes=["rules-in-force"])
        table += nodes.title(text=f"National instruments on the crypto-no track, status as of {format_date(as_of)}")
        group = nodes.tgroup(cols=len(HEADERS))
        table += group
        for _ in HEADERS:
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        header_row = nodes.row()
        for label in HEADERS:
            header_row += _cell(label)
        head += header_row
        group += head
        body = nodes.tbody()
        for row in rows:
            line = nodes.row(ids=[f"rule-{row['instrument_id']}"])
            line += _cell(row["title_en"], " ", nodes.inline(row["title_zh"], row["title_zh"], classes=["hanzi"]))
            line += _cell(row["number"])
            line += _cell(row["issued_by"])
            line += _cell(row["issued"])
            line += _cell(nodes.strong(text=row["status"]))
            line += _cell(row["replaced_by"] or ("not stated" if row["status_code"] == "unknown" else "none"))
            line += _cell(_short_source(sources, row["status_source_id"], self.env.docname))
            body += line
        group += body
        return [table]


def setup(app: Sphinx) -> dict:
    app.add_directive("rules-in-force", RulesInForce)
    app.add_directive("rules-in-force-summary", RulesInForceSummary)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
