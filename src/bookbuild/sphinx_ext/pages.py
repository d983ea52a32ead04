"""Directives that generate pages from the project's files (never typed, never stale).

``{data-tables}``   every resource in data/datapackage.json: description, licence, source, download link.
``{figure-data}``   every CSV in notebooks/figure-data/: the chapter and figure it belongs to, its columns.
``{glossary-terms}`` Chinese names and terms with hanzi and pinyin: data/actors.csv rows that give a Chinese
                    name, and data/glossary.csv; a Sphinx glossary, so each term has a stable anchor and
                    ``{term}`` links to it.
``{execution-status}`` each chapter notebook's last execution as its stamp records it, and whether the
                    build finds it current.

Pages using them are re-read on every build (their inputs are outside Sphinx's view).
"""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import make_glossary_term
from sphinx.util.docutils import SphinxDirective

from twotracks.paths import data_dir, figure_data_dir, relative_to_root, root
from twotracks.schema import load_package

from .. import execute
from ..edition import build_date
from ..toc import notebooks_in_toc

GENERATED_DOCS_KEY = "twotracks_generated_docs"


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _para(*parts) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    for part in parts:
        paragraph += nodes.Text(part) if isinstance(part, str) else part
    return paragraph


def _download(docname: str, target: str, label: str) -> addnodes.download_reference:
    """A {download} link to a file of the repository (``target`` from the root, e.g. /data/events.csv)."""
    node = addnodes.download_reference(
        "", "", refdoc=docname, reftarget=target, refexplicit=True, refdomain="", reftype="download", refwarn=False
    )
    node += nodes.literal(label, label)
    return node


def _xref(docname: str, reftype: str, target: str, text: str | None = None) -> addnodes.pending_xref:
    """A reference resolved by Sphinx: ``text`` None shows the target's own title (a page's, a figure's)."""
    node = addnodes.pending_xref(
        "",
        refdoc=docname,
        refdomain="std",
        reftype=reftype,
        reftarget=target,
        refexplicit=text is not None,
        refwarn=True,
    )
    node += nodes.inline(text or target, text or target)
    return node


SOURCE_REF = "twotracks-source"
REFERENCES_DOC = "book/references"


def _source_text(sources: dict[str, dict[str, str]], source_id: str, docname: str) -> nodes.inline:
    """A source's title, publisher and date, linked to its entry on the references page."""
    row = sources.get(source_id)
    text = f"{row['title']} ({row['publisher']}, {row['date']})" if row else source_id
    node = addnodes.pending_xref(
        "", refdoc=docname, refdomain="", reftype=SOURCE_REF, reftarget=source_id, refexplicit=True, refwarn=False
    )
    node += nodes.inline(text, text)
    return node


def resolve_source(app: Sphinx, env, node, contnode):
    """Link a source to its stable anchor (cite-<source_id>) on the references page, or leave it as text."""
    if node.get("reftype") != SOURCE_REF:
        return None
    from sphinx.util.nodes import make_refnode

    if REFERENCES_DOC not in env.all_docs:
        return contnode
    return make_refnode(app.builder, node["refdoc"], REFERENCES_DOC, f"cite-{node['reftarget']}", contnode)


class _Generated(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        generated = getattr(self.env, GENERATED_DOCS_KEY, set())
        generated.add(self.env.docname)
        setattr(self.env, GENERATED_DOCS_KEY, generated)
        return self.build()

    def build(self) -> list[nodes.Node]:
        raise NotImplementedError


class DataTables(_Generated):
    def build(self):
        descriptor = load_package(data_dir()).descriptor
        package_licences = descriptor.get("licenses", [])
        items = nodes.bullet_list()
        for resource in descriptor.get("resources", []):
            item = nodes.list_item(ids=[f"table-{resource['name'].replace('_', '-')}"])
            item += _para(
                nodes.strong(text=resource.get("title", resource["name"])),
                " ",
                _download(self.env.docname, "/" + relative_to_root(data_dir() / resource["path"]), resource["path"]),
            )
            item += _para(resource.get("description", ""))
            licences = resource.get("licenses") or package_licences
            item += _para(
                nodes.strong(text="Licence: "),
                "; ".join(f"{l.get('name', '')}: {l.get('title', '')}".rstrip(": ") for l in licences),
            )
            if resource.get("sources"):
                item += _para(
                    nodes.strong(text="Source: "),
                    "; ".join(
                        s.get("title", "") + (f" <{s['path']}>" if s.get("path") else "") for s in resource["sources"]
                    ),
                )
            else:
                item += _para(
                    nodes.strong(text="Source: "), "compiled by the report; each row names its source in sources.csv."
                )
            fields = [f["name"] for f in resource.get("schema", {}).get("fields", [])]
            item += _para(nodes.strong(text="Columns: "), ", ".join(fields))
            items += item
        return [items]


class FigureData(_Generated):
    def build(self):
        owners, figures = {}, figure_data_dir()
        for path in notebooks_in_toc():
            text = path.read_text(encoding="utf-8")
            docname = path.relative_to(root()).with_suffix("").as_posix()
            for csv_path in sorted(figures.glob("*.csv")):
                if f"figure-data/{csv_path.name}" in text:
                    owners.setdefault(csv_path.stem, docname)
        items = nodes.bullet_list()
        for csv_path in sorted(figures.glob("*.csv")):
            name = csv_path.stem
            item = nodes.list_item(ids=[f"data-{name}"])
            first = _para(_download(self.env.docname, f"/notebooks/figure-data/{csv_path.name}", csv_path.name))
            if name in owners:
                first += nodes.Text(": the data plotted in ")
                first += _xref(self.env.docname, "numref", name, "Fig. {number}")
                first += nodes.Text(" of ")
                first += _xref(self.env.docname, "doc", "/" + owners[name])
            else:
                first += nodes.Text(": plotted by a notebook the book does not list yet.")
            item += first
            with csv_path.open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle), [])
                count = sum(1 for _ in handle)
            item += _para(nodes.strong(text="Columns: "), ", ".join(header), f"; {count} rows.")
            items += item
        return [items]


def term_key(term: str) -> str:
    """How Sphinx tells glossary terms apart: ignoring case (and, here, Unicode normalisation too)."""
    return unicodedata.normalize("NFKC", term).casefold().strip()


def glossary_entries(data: Path) -> list[tuple[str, str, str, str, str]]:
    """(term, hanzi, pinyin, meaning, source_id) from glossary.csv, then actors with a Chinese name.

    Two names that differ only in case or Unicode form are one term to Sphinx. Where both name the same
    hanzi they are merged on purpose (the first, glossary.csv's, is kept); otherwise it is an error naming
    both rows, never a silent drop.
    """
    entries, seen = [], {}
    for row_number, row in enumerate(_rows(data / "glossary.csv"), start=1):
        entries.append(
            (
                "glossary.csv",
                row_number,
                (row["term_en"], row["hanzi"], row["pinyin"], row["meaning"], row["source_id"]),
            )
        )
    for row_number, row in enumerate(_rows(data / "actors.csv"), start=1):
        if row.get("name_zh"):
            kind = row["kind"] if row["kind"] == row["level"] else f"{row['kind']}, {row['level']} level"
            kind = kind.replace("-", " ").capitalize()
            also = f"; also {row['abbreviation']}" if row.get("abbreviation") else ""
            entries.append(
                (
                    "actors.csv",
                    row_number,
                    (row["name_en"], row["name_zh"], row.get("name_pinyin", ""), kind + also, row["source_id"]),
                )
            )
    kept = []
    for file, number, entry in entries:
        key = term_key(entry[0])
        if key in seen:
            first_file, first_number, first = seen[key]
            if first[1] != entry[1] or first_file == file:
                raise ValueError(
                    f"{file}, row {number}: glossary term {entry[0]!r} differs only in case or Unicode form "
                    f"from {first[0]!r} ({first_file}, row {first_number}); rename one of them"
                )
            continue  # the same term, with the same hanzi, in two tables: one entry
        seen[key] = (file, number, entry)
        kept.append(entry)
    return sorted(kept, key=lambda e: term_key(e[0]))


class GlossaryTerms(_Generated):
    def build(self):
        data = data_dir()
        sources = {row["source_id"]: row for row in _rows(data / "sources.csv")}
        try:
            entries = glossary_entries(data)
        except ValueError as exc:
            return [self.state.document.reporter.error(str(exc), line=self.lineno)]
        glossary = addnodes.glossary()
        glossary["sorted"] = False  # already sorted above, case-insensitively
        dlist = nodes.definition_list(classes=["glossary"])
        for term_text, hanzi, pinyin, meaning, source_id in entries:
            item = nodes.definition_list_item()
            term = make_glossary_term(
                self.env, [nodes.Text(term_text)], None, self.env.docname, self.lineno, None, self.state.document
            )
            item += term
            definition = nodes.definition()
            definition += _para(nodes.inline(hanzi, hanzi, classes=["hanzi"]), " ", nodes.emphasis(text=pinyin))
            definition += _para(meaning)
            definition += _para(nodes.strong(text="Source: "), _source_text(sources, source_id, self.env.docname))
            item += definition
            dlist += item
        glossary += dlist
        return [glossary]


class ExecutionStatus(_Generated):
    def build(self):
        items = nodes.bullet_list()
        for path in notebooks_in_toc():
            nb = json.loads(path.read_text(encoding="utf-8"))
            docname = path.relative_to(root()).with_suffix("").as_posix()
            counts = [c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code"]
            ran = [c for c in counts if c is not None]
            in_order = bool(ran) and ran == list(range(1, len(counts) + 1))
            stamp = nb.get("metadata", {}).get(execute.STAMP_KEY)
            reasons = execute.stale_reasons(path)
            item = nodes.list_item(ids=[f"status-{path.stem.replace('_', '-')}"])
            item += _para(
                _xref(self.env.docname, "doc", "/" + docname),
                " (",
                nodes.literal(text=path.name),
                "): ",
                nodes.strong(text="current" if not reasons else "stale"),
                " (its code, the twotracks package and every data file it read hash as they did when it last ran)"
                if not reasons
                else f" ({'; '.join(reasons)})",
            )
            item += _para(
                f"Last execution: {len(ran)} of {len(counts)} code cells ran, "
                + (
                    "in order in one kernel (execution counts 1 to %d)." % len(counts)
                    if in_order
                    else "not in one clean run (execution counts %s)." % ", ".join(str(c) for c in counts)
                )
            )
            if stamp:
                files = nodes.bullet_list()
                for name, digest in sorted(stamp.get("files", {}).items()):
                    files += nodes.list_item("", _para(nodes.literal(text=name), f" sha256 {str(digest)[:12]}"))
                item += _para(
                    f"Stamp of that run: code sha256 {stamp.get('code', '')[:12]}, twotracks package "
                    f"sha256 {stamp.get('package', '')[:12]}; the data files it read:"
                )
                item += files
            else:
                item += _para("No stamp: the build has never executed this notebook.")
            items += item
        note = _para(
            f"Checked when this page was built, on {build_date()}. Notebooks store no timestamps (so that "
            "re-running an unchanged notebook rewrites identical bytes); the stamp of input hashes is the "
            "record of what each one ran on."
        )
        return [note, items]


def always_reread(app: Sphinx, env, added, changed, removed) -> list[str]:
    return sorted(getattr(env, GENERATED_DOCS_KEY, set()) - set(removed))


def purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, GENERATED_DOCS_KEY, set()).discard(docname)


def setup(app: Sphinx) -> None:
    app.add_directive("data-tables", DataTables)
    app.add_directive("figure-data", FigureData)
    app.add_directive("glossary-terms", GlossaryTerms)
    app.add_directive("execution-status", ExecutionStatus)
    app.connect("env-get-outdated", always_reread)
    app.connect("missing-reference", resolve_source)
    app.connect("env-purge-doc", purge)
