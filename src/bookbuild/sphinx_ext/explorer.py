"""Explore the evidence: an events explorer, a page for every figure, interactive charts, `make lab` notes.

``{events-explorer}``  every row of data/events.csv as a full table (dates at their precision, track, kind,
                       title, issuing bodies in English, hanzi and pinyin, place, confidence, source, chapter);
                       ``_static/explorer.js`` adds filters, a visible row count, filter state in the URL and a
                       CSV download of the rows shown. Without JavaScript the whole table is still there.
``{figure-pages}``     a list of the figure pages.
Figure pages           ``figures/<label>.html`` for every figure whose plotted data is in notebooks/figure-data/:
                       the figure, number, caption, source line, licence, its data as a table, a citation
                       (from CITATION.cff through bookbuild.edition), downloads (PNG, SVG, the plotted data as a
                       Frictionless data package) and, for the timeline-type figures, an interactive Vega-Lite
                       chart drawn from the SAME plotted-data CSV and the house palette of twotracks.figures.
Chapter pages          a "Figure page" link under each figure, and one line on how to run the chapter.

Which chapter discusses an event (kept simple, in this order; the first rule that finds a chapter wins):
1. the chapters whose notebook (code, text or stored outputs) names the event's id;
2. the chapters whose figure data (a CSV in notebooks/figure-data/ that the notebook writes) names it;
3. the chapters whose notebook names the event's source id (they cite the source).

Every value from the data is escaped (docutils text nodes, ``html.escape``, or JSON with ``<`` escaped).
"""

from __future__ import annotations

import ast
import csv
import functools
import html
import io
import json
import posixpath
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from twotracks.paths import data_dir, figure_data_dir
from twotracks.present import NOT_STATED, format_date

from ..edition import chapter_numbers, cite_chapter, load_edition
from ..toc import ROOT, notebooks_in_toc
from .pages import REFERENCES_DOC, _Generated, _xref


def house_palette(path: Path = ROOT / "src" / "twotracks" / "figures.py") -> dict:
    """The palette constants of twotracks.figures, read from its source: the one definition, without importing
    matplotlib into the Sphinx build (that import alone would cost about a tenth of a clean build)."""
    wanted = ("OKABE_ITO", "TRACKS", "TRACK_COLOURS", "TRACK_LABELS", "TRACK_MARKERS")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    statements = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and getattr(n.targets[0], "id", None) in wanted
    ]
    namespace: dict = {"__builtins__": {}}
    exec(compile(ast.Module(body=statements, type_ignores=[]), str(path), "exec"), namespace)  # literals only
    return {name: namespace[name] for name in wanted}


_PALETTE = house_palette()
OKABE_ITO, TRACKS, TRACK_COLOURS = _PALETTE["OKABE_ITO"], _PALETTE["TRACKS"], _PALETTE["TRACK_COLOURS"]
TRACK_LABELS, TRACK_MARKERS = _PALETTE["TRACK_LABELS"], _PALETTE["TRACK_MARKERS"]
DATA = data_dir()  # one place knows where the data and the figure files live: twotracks.paths
FIGURE_DATA = figure_data_dir()
NODE_MODULES = ROOT / "node_modules"
EXPLORER_DOC = "book/explorer"
FIGURES_FOLDER = "figures"
LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
#: The npm packages copied into _static/vendor (pinned in package.json and package-lock.json), in load order.
VENDOR = (
    ("vega", "build/vega.min.js"),
    ("vega-lite", "build/vega-lite.min.js"),
    ("vega-embed", "build/vega-embed.min.js"),
)
#: matplotlib marker -> Vega shape, so the interactive chart keeps the static figure's shapes.
SHAPES = {"o": "circle", "s": "square", "D": "diamond", "v": "triangle-down", "^": "triangle-up", "<": "triangle-left"}
RUN_NOTE = (
    "Run this chapter yourself: download the notebook with the button at the top of the page, or in a "
    "clone of the repository run make lab and open notebooks/{name} (make book then re-executes it if "
    "you changed it)."
)


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def human(code: str) -> str:
    """'market-exit' -> 'Market exit'."""
    return code.replace("-", " ").replace("_", " ").capitalize() if code else NOT_STATED


def script_json(value) -> str:
    """JSON safe inside <script>: no '<' can close the element or open a comment."""
    return (
        json.dumps(value, ensure_ascii=False, sort_keys=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


# ---------------------------------------------------------------------------------------------------------
# The data behind the explorer


@dataclass
class Event:
    row: dict[str, str]
    bodies: list[dict[str, str]] = field(default_factory=list)  # actor rows with the event's role
    provinces: list[dict[str, str]] = field(default_factory=list)
    chapters: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.row["event_id"]

    @property
    def date_text(self) -> str:
        text = format_date(self.row["date"], self.row.get("date_precision") or None)
        if self.row.get("date_end"):
            text += " to " + format_date(self.row["date_end"])
        return text

    def body_text(self, body: dict[str, str]) -> str:
        name = body["name_en"] + (f" ({body['abbreviation']})" if body.get("abbreviation") else "")
        chinese = " ".join(v for v in (body.get("name_zh"), body.get("name_pinyin")) if v)
        return name + (f", {chinese}" if chinese else "") + f" [{human(body['role']).lower()}]"


@functools.lru_cache(maxsize=1)
def chapter_texts() -> dict[str, tuple[str, str]]:
    """Chapter docname -> (the notebook's whole text, the text of the figure-data CSVs it writes)."""
    texts = {}
    for path in notebooks_in_toc():
        text = path.read_text(encoding="utf-8")
        figures = "".join(
            p.read_text(encoding="utf-8")
            for p in sorted(FIGURE_DATA.glob("*.csv"))
            if f'"{p.stem}"' in text or f"figure-data/{p.name}" in text
        )
        texts[path.relative_to(ROOT).with_suffix("").as_posix()] = (text, figures)
    return texts


def chapters_for(event_id: str, source_id: str, texts: dict[str, tuple[str, str]]) -> list[str]:
    """The chapters that discuss an event, by the three rules of the module's docstring."""
    for test in (
        lambda t: event_id in t[0],
        lambda t: event_id in t[1],
        lambda t: bool(source_id) and source_id in t[0],
    ):
        found = [doc for doc, text in texts.items() if test(text)]
        if found:
            return found
    return []


def provinces_in(place: str, provinces: list[dict[str, str]]) -> list[dict[str, str]]:
    """The provincial-level divisions a free-text place names (by English name, e.g. 'Wuhan, Hubei' -> Hubei)."""
    return [p for p in provinces if place and re.search(rf"\b{re.escape(p['name_en'])}\b", place)]


def load_events(data: Path = DATA) -> list[Event]:
    actors = {row["actor_id"]: row for row in read_rows(data / "actors.csv")}
    provinces = read_rows(data / "provinces.csv")
    links: dict[str, list[dict[str, str]]] = {}
    for link in read_rows(data / "event_actors.csv"):
        actor = actors.get(link["actor_id"], {"name_en": link["actor_id"]})
        links.setdefault(link["event_id"], []).append(
            {**actor, "actor_id": link["actor_id"], "role": link.get("role", "")}
        )
    texts = chapter_texts()
    events = []
    for row in read_rows(data / "events.csv"):
        events.append(
            Event(
                row,
                links.get(row["event_id"], []),
                provinces_in(row.get("place", ""), provinces),
                chapters_for(row["event_id"], row.get("source_id", ""), texts),
            )
        )
    return events


# ---------------------------------------------------------------------------------------------------------
# The explorer page


EXPLORER_COLUMNS = ("Date", "Track", "Kind", "Title", "Issuing bodies", "Place", "Confidence", "Source", "Chapter")


def explorer_record(event: Event, sources: dict[str, dict[str, str]], chapter_titles: dict[str, str]) -> dict:
    """What the script filters on, and the row of the CSV download (plain text, as shown)."""
    row = event.row
    source = sources.get(row["source_id"], {})
    bodies = [event.body_text(b) for b in event.bodies]
    csv_row = {
        "event_id": event.id,
        "date": row["date"],
        "date_precision": row.get("date_precision", ""),
        "date_shown": event.date_text,
        "track": row["track"],
        "kind": row["kind"],
        "title": row["title"],
        "issuing_bodies": "; ".join(bodies),
        "place": row.get("place", ""),
        "confidence": row["confidence"],
        "source_id": row["source_id"],
        "source_title": source.get("title", ""),
        "source_url": source.get("url", ""),
        "chapters": "; ".join(chapter_titles.get(c, c) for c in event.chapters),
    }
    search = " ".join(
        [
            row["title"],
            row.get("description", ""),
            row.get("place", ""),
            *bodies,
            *(p["name_zh"] for p in event.provinces),
            source.get("title", ""),
        ]
    )
    return {
        "id": event.id,
        "year": int(row["date"][:4]),
        "track": row["track"],
        "confidence": row["confidence"],
        "actors": sorted({b["actor_id"] for b in event.bodies}),
        "provinces": [p["province_code"] for p in event.provinces],
        "search": search,
        "csv": csv_row,
    }


def _link(href: str, text: str, external: bool = False) -> str:
    rel = ' class="reference external" rel="noopener"' if external else ' class="reference internal"'
    return f'<a href="{html.escape(href, quote=True)}"{rel}>{html.escape(text)}</a>'


def explorer_table(
    events: list[Event], sources: dict[str, dict[str, str]], chapter_titles: dict[str, str], docname: str
) -> str:
    """The whole table as HTML, every value escaped. Written directly rather than as docutils nodes: a table of
    every event as nodes and cross-references cost a clean build a tenth more; the links are computed here."""
    here = posixpath.dirname(docname) or "."

    def page(doc: str) -> str:
        return posixpath.relpath(f"{doc}.html", here)

    e = html.escape
    head = "".join(f"<th>{e(c)}</th>" for c in EXPLORER_COLUMNS)
    rows = []
    for event in events:
        row = event.row
        bodies = []
        for b in event.bodies:
            text = e(b["name_en"] + (f" ({b['abbreviation']})" if b.get("abbreviation") else ""))
            if b.get("name_zh"):
                text += f' <span class="hanzi" lang="zh-Hans">{e(b["name_zh"])}</span>'
            if b.get("name_pinyin"):
                text += f' <em lang="zh-Latn-pinyin">{e(b["name_pinyin"])}</em>'
            bodies.append(f"<p>{text} ({e(human(b['role']).lower())})</p>")
        source = sources.get(row["source_id"])
        label = f"{source['title']} ({source['publisher']}, {source['date']})" if source else row["source_id"]
        source_html = _link(f"{page(REFERENCES_DOC)}#cite-{row['source_id']}", label)
        if source and source.get("url"):
            source_html += " (" + _link(source["url"], "original", external=True) + ")"
        chapters = "".join(f"<p>{_link(page(doc), chapter_titles.get(doc, doc))}</p>" for doc in event.chapters)
        cells = [
            e(event.date_text),
            e(TRACK_LABELS.get(row["track"], human(row["track"]))),
            e(human(row["kind"])),
            f"<strong>{e(row['title'])}</strong>",
            "".join(bodies) or e(NOT_STATED),
            e(row.get("place") or "mainland / not local"),
            e(human(row["confidence"])),
            source_html,
            chapters or "no chapter yet",
        ]
        rows.append(f'<tr id="event-{e(event.id)}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        f'<div class="pst-scrollable-table-container"><table class="table twotracks-explorer-table" id="events-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


class EventsExplorer(_Generated):
    def build(self):
        docname = self.env.docname
        events = load_events()
        sources = {row["source_id"]: row for row in read_rows(DATA / "sources.csv")}
        chapter_titles = {doc: f"Chapter {n}" for doc, n in chapter_numbers().items()}
        records = [explorer_record(event, sources, chapter_titles) for event in events]
        actors = {}
        for event in events:
            for b in event.bodies:
                actors[b["actor_id"]] = b["name_en"] + (f" {b['name_zh']}" if b.get("name_zh") else "")
        provinces = {p["province_code"]: f"{p['name_en']} {p['name_zh']}" for e in events for p in e.provinces}
        payload = {
            "records": records,
            "tracks": {t: TRACK_LABELS[t] for t in TRACKS},
            "confidence": {c: human(c) for c in ("stated", "inferred", "reported")},
            "actors": dict(sorted(actors.items(), key=lambda kv: kv[1].casefold())),
            "provinces": dict(sorted(provinces.items(), key=lambda kv: kv[1])),
            "columns": list(records[0]["csv"]) if records else [],
        }
        data = nodes.raw(
            "", f'<script type="application/json" id="explorer-data">{script_json(payload)}</script>', format="html"
        )
        table = nodes.raw("", explorer_table(events, sources, chapter_titles, docname), format="html")
        count = nodes.paragraph(ids=["explorer-count"], classes=["twotracks-explorer-count"])
        count += nodes.Text(f"{len(events)} events (all).")
        controls = nodes.container(ids=["explorer-controls"], classes=["twotracks-explorer-controls"])
        return [controls, count, data, table]


class FigurePages(_Generated):
    def build(self):
        items = nodes.bullet_list()
        for name in figure_names():
            uri = posixpath.relpath(f"{FIGURES_FOLDER}/{name}.html", posixpath.dirname(self.env.docname) or ".")
            paragraph = nodes.paragraph()
            paragraph += nodes.reference("", f"Page of {name}", refuri=uri)
            paragraph += nodes.Text(": ")
            paragraph += _xref(self.env.docname, "numref", name, "Fig. {number}")
            paragraph += nodes.Text(", ")
            paragraph += _xref(self.env.docname, "ref", name)
            paragraph += nodes.Text(" (in its chapter)")
            items += nodes.list_item("", paragraph)
        return [items]


@functools.lru_cache(maxsize=1)
def figure_names() -> tuple[str, ...]:
    """Every figure of the book with plotted data: a CSV in notebooks/figure-data/ that a chapter glues."""
    texts = "".join(p.read_text(encoding="utf-8") for p in notebooks_in_toc())
    return tuple(p.stem for p in sorted(FIGURE_DATA.glob("fig-*.csv")) if f":name: {p.stem}" in texts)


def forget(app: Sphinx) -> None:
    """Read the notebooks afresh in each build (the caches only spare re-reading them for every page)."""
    chapter_texts.cache_clear()
    figure_names.cache_clear()


# ---------------------------------------------------------------------------------------------------------
# Figure pages


def source_lines() -> dict[str, str]:
    """Figure name -> the source line its notebook gives publish_figure (read from the code, never typed)."""
    lines = {}
    for path in notebooks_in_toc():
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code" or "publish_figure" not in "".join(cell["source"]):
                continue
            try:
                tree = ast.parse("".join(cell["source"]))
            except SyntaxError:
                continue
            for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
                if getattr(call.func, "id", getattr(call.func, "attr", None)) != "publish_figure" or len(call.args) < 2:
                    continue
                name = call.args[1]
                source = next(
                    (k.value for k in call.keywords if k.arg == "source"), call.args[3] if len(call.args) > 3 else None
                )
                if isinstance(name, ast.Constant) and isinstance(source, ast.Constant):
                    lines[str(name.value)] = str(source.value)
    return lines


def column_type(values: list[str]) -> str:
    present = [v for v in values if v != ""]
    if present and all(re.fullmatch(r"-?\d+", v) for v in present):
        return "integer"
    if present and all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in present):
        return "number"
    return "string"


#: Units of the plotted columns, by name (the pattern must match the whole column name).
UNITS = (
    (r".*_pct", "percent"),
    (r".*_eh_s", "exahashes per second (EH/s)"),
    (r".*_per_1000", "mentions per 1,000 words"),
    (r"words", "words"),
    (r".*_events|blockchain-yes|crypto-no|blockchain|crypto|state-currency", "count"),
    (r"(first_)?date|date_end|month", "ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    (r".*year", "calendar year"),
)


def unit_of(column: str) -> str | None:
    return next((unit for pattern, unit in UNITS if re.fullmatch(pattern, column)), None)


def figure_package(
    name: str, title: str, source_line: str, csv_text: str, version: str, sources: dict[str, dict[str, str]]
) -> dict:
    """The Frictionless descriptor of one figure's plotted data: sources, licence, units, report version."""
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    header = next(csv.reader(io.StringIO(csv_text)), [])
    fields = []
    for column in header:
        spec = {"name": column, "type": column_type([r[column] for r in rows])}
        if unit_of(column):
            spec["unit"] = unit_of(column)
        fields.append(spec)
    cited = sorted({r["source_id"] for r in rows if r.get("source_id")})
    package_sources = [{"title": f"Source line of the figure: {source_line}"}] if source_line else []
    for source_id in cited:
        row = sources.get(source_id, {})
        entry = {
            "title": f"{row.get('title', source_id)} ({row.get('publisher', '')}, {row.get('date', '')})",
            "source_id": source_id,
        }
        if row.get("url"):
            entry["path"] = row["url"]
        package_sources.append(entry)
    return {
        "name": name,
        "title": title,
        "version": version,
        "description": f"The data plotted in this figure of the report, exactly as plotted (report version {version}).",
        "licenses": [{"name": "CC-BY-4.0", "path": LICENCE[1], "title": "Creative Commons Attribution 4.0"}],
        "sources": package_sources,
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields},
            }
        ],
    }


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip with fixed timestamps, so an unchanged figure gives identical bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in sorted(files.items()):
            info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# --- Interactive charts: Vega-Lite specs over the plotted-data CSV rows -----------------------------------


def _start(date: str) -> str:
    parts = (date or "").split("-")
    return "-".join([parts[0], *(parts[1:] or ["01"]), *(["01"] if len(parts) < 3 else [])])[:10] if date else ""


def chart_rows(name: str, rows: list[dict[str, str]], data: Path = DATA, base: str = "") -> list[dict]:
    """The CSV's rows, unchanged, joined by id to what a hover needs (date shown, bodies, source, link).

    ``base`` is the relative path from the figure page to the site's root (for links to the references page).
    """
    sources = {row["source_id"]: row for row in read_rows(data / "sources.csv")}
    bodies: dict[str, list[str]] = {}
    actors = {row["actor_id"]: row for row in read_rows(data / "actors.csv")}
    for link in read_rows(data / "event_actors.csv"):
        actor = actors.get(link["actor_id"], {})
        bodies.setdefault(link["event_id"], []).append(
            actor.get("name_en", link["actor_id"]) + (f" {actor['name_zh']}" if actor.get("name_zh") else "")
        )
    out = []
    for row in rows:
        extra: dict[str, str] = {}
        if "date" in row:
            extra["start"] = _start(row["date"])
            extra["date_shown"] = (
                format_date(row["date"], row.get("date_precision") or None) if row["date"] else NOT_STATED
            )
        if "month" in row:
            extra["start"] = _start(row["month"])
            extra["date_shown"] = format_date(row["month"])
        source_id = row.get("source_id") or ("ccaf-mining-map" if name == "fig-china-hashrate-share" else "")
        if source_id:
            source = sources.get(source_id, {})
            extra["source"] = (
                f"{source.get('title', source_id)} ({source.get('publisher', '')}, {source.get('date', '')})"
            )
            extra["link"] = source.get("url") or f"{base}book/references.html#cite-{source_id}"
        if name == "fig-exchange-swimlanes":  # one lane per exchange; the exchanges are actors (kind exchange)
            actor = actors.get(row.get("exchange_id", ""), {})
            extra["exchange"] = actor.get("name_en", row.get("exchange_id", "")) + (
                f" {actor['name_zh']}" if actor.get("name_zh") else ""
            )
        if row.get("event_id"):
            extra["bodies"] = "; ".join(bodies.get(row["event_id"], [])) or NOT_STATED
        elif name == "fig-exchange-swimlanes":
            extra["bodies"] = extra["exchange"]
        elif name == "fig-regional-timeline":
            extra["bodies"] = f"{row.get('place') or row.get('province')} ({row.get('level', '')} government)"
        if "track" in row:
            extra["track_label"] = TRACK_LABELS.get(row["track"], row["track"])
        if "date_precision" in row:
            extra["exact"] = (
                "dated to the day" if row["date_precision"] == "day" else f"dated to the {row['date_precision']}"
            )
        out.append({**row, **{f"_{k}": v for k, v in extra.items()}})
    return out


def _tooltip(*fields: tuple[str, str]) -> list[dict]:
    return [{"field": f, "type": "nominal", "title": t} for f, t in fields]


def chart_spec(name: str, values: list[dict]) -> dict | None:
    """The Vega-Lite spec of an interactive figure, or None for a figure that stays static only."""
    base = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",  # an identifier, never fetched
        "data": {"values": values},
        "width": "container",
        "background": "white",
        "config": {
            "font": "sans-serif",
            "axis": {"labelColor": "#444444", "titleColor": "#222222", "gridColor": "#DDDDDD"},
            "view": {"stroke": None},
        },
    }
    hover_event = _tooltip(
        ("title", "Event"),
        ("_date_shown", "Date"),
        ("_bodies", "Bodies"),
        ("_source", "Source"),
        ("confidence", "Confidence"),
    )

    def filled(test: str, colour: dict) -> dict:
        """Filled marks where ``test`` holds (dated to the day, an instrument's own date), hollow (white) otherwise,
        as in the static figure; ``colour`` is the colour channel whose scale fills them."""
        return {"condition": {"test": test, **colour}, "value": "white"}

    def categories(field: str, title: str, domain: list[str], colours: list[str], shapes: list[str]) -> dict:
        """The colour, fill and shape channels of a categorical field, one legend for all three; filled where
        the date is known to the day."""
        scale = {"domain": domain, "range": colours}
        return {
            "color": {"field": field, "type": "nominal", "title": title, "scale": scale},
            "fill": filled(
                "datum.date_precision === 'day'", {"field": field, "type": "nominal", "legend": None, "scale": scale}
            ),
            "shape": {
                "field": field,
                "type": "nominal",
                "legend": None,
                "scale": {"domain": domain, "range": shapes},
            },
        }

    if name == "fig-two-tracks-timeline":
        tracks = [t for t in TRACKS if any(v.get("track") == t for v in values)]
        return {
            **base,
            "height": 220,
            "mark": {"type": "point", "size": 90, "strokeWidth": 1.6, "cursor": "pointer"},
            "encoding": {
                "x": {"field": "_start", "type": "temporal", "title": None},
                "y": {
                    "field": "_track_label",
                    "type": "nominal",
                    "title": None,
                    "sort": [TRACK_LABELS[t] for t in tracks],
                },
                "yOffset": {"field": "event_id", "type": "nominal", "legend": None, "scale": {"paddingOuter": 0.3}},
                **categories(
                    "track",
                    "Track",
                    tracks,
                    [TRACK_COLOURS[t] for t in tracks],
                    [SHAPES[TRACK_MARKERS[t]] for t in tracks],
                ),
                "tooltip": hover_event,
                "href": {"field": "_link"},
            },
        }
    if name == "fig-exchange-swimlanes":
        directions = {
            "exit": ("v", TRACK_COLOURS["crypto-no"]),
            "return": ("^", TRACK_COLOURS["blockchain-yes"]),
            "rumour": ("o", OKABE_ITO["grey"]),
        }
        shown = [d for d in directions if any(v.get("direction") == d for v in values)]
        moves = {
            "transform": [{"filter": "datum.exchange_id !== ''"}],
            "mark": {"type": "point", "size": 110, "strokeWidth": 1.6, "cursor": "pointer"},
            "encoding": {
                "y": {"field": "_exchange", "type": "nominal", "title": None},
                **categories(
                    "direction",
                    "Move",
                    shown,
                    [directions[d][1] for d in shown],
                    [SHAPES[directions[d][0]] for d in shown],
                ),
                "tooltip": _tooltip(
                    ("title", "Move"),
                    ("_date_shown", "Date"),
                    ("_exchange", "Exchange"),
                    ("_bodies", "Bodies"),
                    ("kind", "Kind"),
                    ("_source", "Source"),
                    ("confidence", "Confidence"),
                ),
            },
        }
        # rows without an exchange are the state's crypto-no events: the static figure's dashed lines
        events = {
            "transform": [{"filter": "datum.exchange_id === ''"}],
            "mark": {
                "type": "rule",
                "strokeDash": [4, 3],
                "strokeWidth": 2,
                "color": OKABE_ITO["grey"],
                "cursor": "pointer",
            },
            "encoding": {
                "tooltip": _tooltip(
                    ("title", "State event"), ("_date_shown", "Date"), ("_bodies", "Bodies"), ("_source", "Source")
                )
            },
        }
        return {
            **base,
            "height": 200,
            "encoding": {"x": {"field": "_start", "type": "temporal", "title": None}, "href": {"field": "_link"}},
            "layer": [events, moves],
        }
    if name == "fig-regional-timeline":
        return {
            **base,
            "height": 420,
            "mark": {"type": "point", "size": 70, "strokeWidth": 1.4, "cursor": "pointer", "color": OKABE_ITO["blue"]},
            "encoding": {
                "x": {"field": "_start", "type": "temporal", "title": None},
                "y": {"field": "province", "type": "nominal", "title": None},
                "shape": {
                    "field": "date_kind",
                    "type": "nominal",
                    "title": "Date",
                    "scale": {"domain": ["issued", "by"], "range": [SHAPES["o"], SHAPES["<"]]},
                },
                "fill": filled("datum.date_kind === 'issued'", {"value": OKABE_ITO["blue"]}),
                "tooltip": _tooltip(
                    ("title", "Policy"),
                    ("_date_shown", "Date"),
                    ("_bodies", "Issued by"),
                    ("_source", "Source"),
                    ("confidence", "Confidence"),
                ),
                "href": {"field": "_link"},
            },
        }
    if name == "fig-china-hashrate-share":
        return {
            **base,
            "height": 260,
            "mark": {
                "type": "line",
                "point": {"size": 40, "cursor": "pointer", "filled": True, "color": TRACK_COLOURS["crypto-no"]},
                "color": TRACK_COLOURS["crypto-no"],
            },
            "encoding": {
                "x": {"field": "_start", "type": "temporal", "title": None},
                "y": {"field": "share_pct", "type": "quantitative", "title": "Share of global hashrate (%)"},
                "tooltip": [
                    {"field": "_date_shown", "type": "nominal", "title": "Month"},
                    {"field": "share_pct", "type": "quantitative", "title": "Share (%)"},
                    {"field": "hashrate_eh_s", "type": "quantitative", "title": "Hashrate (EH/s)"},
                    {"field": "_source", "type": "nominal", "title": "Source"},
                ],
                "href": {"field": "_link"},
            },
        }
    return None


INTERACTIVE = ("fig-two-tracks-timeline", "fig-exchange-swimlanes", "fig-regional-timeline", "fig-china-hashrate-share")


@dataclass
class FigureInfo:
    name: str
    docname: str
    number: str
    caption: str
    legend: str
    image: Path | None  # the glued image as the chapter shows it (its file in the build's source tree)
    alt: str = ""  # the figure's alt text, as the chapter gives it


FIGURES_KEY = "twotracks_figures"


def note_figures(app: Sphinx, doctree: nodes.document) -> None:
    """Keep each chapter figure's caption, legend, alt text and image in the environment as the chapter is
    read, so that the figure pages need not unpickle the chapters' doctrees (a tenth of a clean build)."""
    docname = app.env.docname
    if not docname.startswith("notebooks/"):
        return
    found = getattr(app.env, FIGURES_KEY, {})
    for figure in doctree.findall(nodes.figure):
        img = next(iter(figure.findall(nodes.image)), None)
        for labelid in figure["ids"]:
            found[labelid] = {
                "docname": docname,
                "caption": next((c.astext() for c in figure.findall(nodes.caption)), ""),
                "legend": next((lg.astext() for lg in figure.findall(nodes.legend)), ""),
                "alt": img.get("alt", "") if img is not None else "",
                "uri": img["uri"] if img is not None else "",
            }
    setattr(app.env, FIGURES_KEY, found)


def purge_figures(app: Sphinx, env, docname: str) -> None:
    found = getattr(env, FIGURES_KEY, {})
    for labelid in [k for k, v in found.items() if v["docname"] == docname]:
        del found[labelid]


def figure_info(app: Sphinx, name: str) -> FigureInfo | None:
    env = app.env
    label = env.get_domain("std").labels.get(name)
    if not label:
        return None
    docname, labelid, _ = label
    number = env.toc_fignumbers.get(docname, {}).get("figure", {}).get(labelid)
    seen = getattr(env, FIGURES_KEY, {}).get(labelid, {})
    image = Path(app.srcdir) / seen["uri"] if seen.get("uri") else None
    return FigureInfo(
        name,
        docname,
        ".".join(map(str, number)) if number else "",
        seen.get("caption", ""),
        seen.get("legend", ""),
        image if image is not None and image.is_file() else None,
        seen.get("alt", ""),
    )


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _table_html(csv_text: str) -> str:
    rows = list(csv.reader(io.StringIO(csv_text)))
    if not rows:
        return "<p>No rows.</p>"
    head = "".join(f"<th>{_e(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
    return (
        f'<div class="twotracks-figure-table" tabindex="0" role="region" aria-label="Plotted data"><table class="table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


IMAGE_FILES = ((".png", "PNG (slide size)"), (".svg", "SVG"), ("-dark.png", "PNG, dark background"))


def image_downloads(name: str, out: Path, glued: Path | None, folder: Path) -> tuple[list[str], list[str]]:
    """Copy a figure's image files (``folder``/fig-NAME.png, .svg, -dark.png, as publish_figure writes them) into
    ``out``; without a PNG, the image glued in the chapter stands in. Returns the download links (HTML) and a
    note for each file that is missing."""
    downloads, notes = [], []
    for suffix, label in IMAGE_FILES:
        path = folder / f"{name}{suffix}"
        if path.is_file():
            shutil.copyfile(path, out / path.name)
            downloads.append(f'<a href="{_e(path.name)}" download>{_e(label)}</a>')
        elif suffix == ".png" and glued is not None:
            shutil.copyfile(glued, out / f"{name}.png")
            downloads.append(f'<a href="{_e(name)}.png" download>PNG (as shown in the chapter)</a>')
        elif suffix != "-dark.png":
            notes.append(f"{label}: not yet written for this figure (notebooks/figure-data/{name}{suffix} is missing).")
    return downloads, notes


def figure_page(app: Sphinx, info: FigureInfo, source_line: str, out: Path) -> tuple[str, dict]:
    """Write a figure's downloads into ``out`` (the site's figures/ folder) and return its page's body."""
    name = info.name
    base = "../"
    csv_text = (FIGURE_DATA / f"{name}.csv").read_text(encoding="utf-8")
    edition = load_edition()
    sources = {row["source_id"]: row for row in read_rows(DATA / "sources.csv")}
    title = info.caption.split(". ")[0].rstrip(".") if info.caption else name
    heading = f"Figure {info.number}. {title}" if info.number else title
    package = figure_package(name, heading, source_line, csv_text, edition.version, sources)
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    (folder / f"{name}.csv").write_text(csv_text, encoding="utf-8")
    (folder / "datapackage.json").write_text(descriptor, encoding="utf-8")
    (out / f"{name}-datapackage.zip").write_bytes(
        zip_bytes({f"{name}/{name}.csv": csv_text.encode(), f"{name}/datapackage.json": descriptor.encode()})
    )
    downloads, notes = image_downloads(name, out, info.image, FIGURE_DATA)
    downloads.append(f'<a href="{_e(name)}-datapackage.zip" download>Data package (CSV + datapackage.json, zip)</a>')
    downloads.append(f'<a href="{_e(name)}/{_e(name)}.csv" download>Plotted data (CSV)</a>')
    downloads.append(f'<a href="{_e(name)}/datapackage.json">datapackage.json</a>')
    citation = cite_chapter(edition, f"{FIGURES_FOLDER}/{name}", heading, None)
    chapter_uri = base + app.builder.get_target_uri(info.docname) + f"#{name}"
    chapter_title = app.env.titles[info.docname].astext() if info.docname in app.env.titles else info.docname
    image = (
        f'<img src="{_e(name)}.png" alt="{_e(info.alt or info.caption)}" class="twotracks-figure-image">'
        if (out / f"{name}.png").is_file()
        else "<p><em>No image file for this figure yet.</em></p>"
    )
    parts = [
        f'<section id="{_e(name)}"><h1>{_e(heading)}</h1>',
        f'<p class="twotracks-figure-back">From <a href="{_e(chapter_uri)}">{_e(chapter_title)}</a> '
        f"(the figure in its chapter).</p>",
        f"<figure>{image}<figcaption><p>{_e(info.caption)}</p>"
        + (f"<p>{_e(info.legend)}</p>" if info.legend else "")
        + "</figcaption></figure>",
        f'<p class="twotracks-figure-source"><strong>Source:</strong> {_e(source_line or NOT_STATED)}</p>',
        f'<p><strong>Licence:</strong> <a href="{LICENCE[1]}" rel="license">{LICENCE[0]}</a>; cite as below.</p>',
    ]
    script = ""
    if name in INTERACTIVE and vendor_available():
        spec = chart_spec(name, chart_rows(name, list(csv.DictReader(io.StringIO(csv_text))), base=base))
        parts.append(
            f'<section id="interactive"><h2>Interactive version</h2><p>Hover over a mark for the event, its date, '
            f"bodies and source; click it to open the source. The static figure above is the canonical one.</p>"
            f'<div class="twotracks-chart" data-spec="chart-spec-{_e(name)}"></div>'
            f'<script type="application/json" id="chart-spec-{_e(name)}">{script_json(spec)}</script></section>'
        )
        script = "".join(f'<script src="{base}_static/vendor/{Path(f).name}"></script>' for _, f in VENDOR)
        script += f'<script src="{base}_static/figure-chart.js"></script>'
    elif name in INTERACTIVE:
        notes.append("Interactive version: not built (the JavaScript packages are missing; run npm ci or make setup).")
    parts.append(
        '<section id="downloads"><h2>Downloads</h2><ul>'
        + "".join(f"<li>{d}</li>" for d in downloads)
        + "</ul>"
        + "".join(f'<p class="twotracks-figure-note">{_e(n)}</p>' for n in notes)
        + "</section>"
    )
    parts.append(
        f'<section id="cite-this-figure" class="twotracks-cite"><h2>Cite this figure</h2>'
        f"<p><strong>In the text: </strong>{_e(citation.inline)}</p>"
        f"<p><strong>In a reference list: </strong>{_e(citation.full)}</p>"
        f"<p><strong>BibTeX:</strong></p><pre>{_e(citation.bibtex)}</pre></section>"
    )
    parts.append(f'<section id="data"><h2>The data plotted</h2>{_table_html(csv_text)}</section></section>')
    return heading, {"body": "\n".join(parts) + script}


def vendor_available() -> bool:
    return all((NODE_MODULES / package / path).is_file() for package, path in VENDOR)


def copy_vendor(app: Sphinx, exception) -> None:
    """Copy the pinned npm builds (and their licences) into _static/vendor; drop their source-map comments."""
    if exception is not None or app.builder.format != "html" or not vendor_available():
        return
    target = Path(app.outdir) / "_static" / "vendor"
    target.mkdir(parents=True, exist_ok=True)
    for package, path in VENDOR:
        text = (NODE_MODULES / package / path).read_text(encoding="utf-8")
        text = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text)
        (target / Path(path).name).write_text(text, encoding="utf-8")
        licence = NODE_MODULES / package / "LICENSE"
        if licence.is_file():
            shutil.copyfile(licence, target / f"{package}.LICENSE.txt")


def collect_figure_pages(app: Sphinx):
    if app.builder.format != "html":
        return
    out = Path(app.outdir) / FIGURES_FOLDER
    out.mkdir(parents=True, exist_ok=True)
    lines = source_lines()
    for name in figure_names():
        info = figure_info(app, name)
        if info is None:
            continue
        title, context = figure_page(app, info, lines.get(name, ""), out)
        yield f"{FIGURES_FOLDER}/{name}", {"title": title, **context}, "page.html"


# ---------------------------------------------------------------------------------------------------------
# Chapter pages: a link from each figure to its page, and how to run the chapter


def link_figures(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not docname.startswith("notebooks/"):
        return
    names = set(figure_names())
    for figure in list(doctree.findall(nodes.figure)):
        name = next((i for i in figure["ids"] if i in names), None)
        if name is None:
            continue
        uri = posixpath.relpath(f"{FIGURES_FOLDER}/{name}.html", posixpath.dirname(docname) or ".")
        paragraph = nodes.paragraph(classes=["twotracks-figure-link"])
        paragraph += nodes.reference("", "Figure page", refuri=uri)
        paragraph += nodes.Text(
            ": interactive version, data table, downloads (PNG, SVG, data package) and citation."
            if name in INTERACTIVE
            else ": data table, downloads (PNG, SVG, data package) and citation."
        )
        figure.parent.insert(figure.parent.index(figure) + 1, paragraph)


def add_run_note(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    if not docname.startswith("notebooks/"):
        return
    note = nodes.paragraph(classes=["twotracks-run"])
    note += nodes.Text(RUN_NOTE.format(name=Path(docname).name + ".ipynb"))
    cite = next((n for n in doctree.findall(nodes.container) if "twotracks-cite" in n["classes"]), None)
    if cite is not None:
        cite.parent.insert(cite.parent.index(cite), note)
    else:
        doctree += note


def page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename == EXPLORER_DOC:
        app.add_js_file("explorer.js", defer="defer")


def light_sidebars(app: Sphinx, config) -> None:
    """Figure pages carry the logo and search but not the book's navigation tree: rendering that tree is most of
    a page's cost, and nine more of them would add a fifth to a clean build. Each page links back to its
    chapter. (Exact page names: a second wildcard pattern beside the theme's "**" would be a warning.)"""
    sidebars = dict(config.html_sidebars or {})
    for name in figure_names():
        sidebars[f"{FIGURES_FOLDER}/{name}"] = ["navbar-logo.html", "search-field.html"]
    config.html_sidebars = sidebars


def setup(app: Sphinx) -> None:
    app.connect("config-inited", light_sidebars)
    app.add_directive("events-explorer", EventsExplorer)
    app.add_directive("figure-pages", FigurePages)
    app.add_css_file("explorer.css")
    app.connect("builder-inited", forget)
    app.connect("doctree-read", add_run_note, priority=600)
    app.connect("doctree-read", note_figures)
    app.connect("env-purge-doc", purge_figures)  # after cite.py's block (default priority 500)
    app.connect("doctree-resolved", link_figures)
    app.connect("html-collect-pages", collect_figure_pages)
    app.connect("html-page-context", page_scripts, priority=400)  # before cite.drop_thebe replaces the list
    app.connect("build-finished", copy_vendor)
