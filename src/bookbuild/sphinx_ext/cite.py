""" "Cite this chapter" on every chapter page, "Cite this report" on the home page, the edition in the footer.

Also, for reference managers: BibTeX, RIS and CSL-JSON files for every chapter (and the report) under
``cite/`` in the site, linked from the block; Highwire Press ``citation_*`` meta tags on every chapter page
(Zotero's connector and Google Scholar read them); and, when the site's address is configured
(``html.baseurl`` in _config.yml, or $TWOTRACKS_BASEURL at build time), absolute addresses in every
citation and a sitemap.xml. Without an address the citations say so instead of printing a relative path.
"""

from __future__ import annotations

import html
import json
import posixpath
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from ..edition import (
    CITATION,
    ChapterCitation,
    base_url,
    build_date,
    chapter_numbers,
    cite_chapter,
    cite_report,
    load_edition,
)

CITE_FOLDER = "cite"
ENV_KEY = "twotracks_citations"  # docname -> (title, chapter number or None)

CHAPTER_FOLDER = "notebooks/"


def _file_stem(docname: str) -> str:
    return Path(docname).name if docname.startswith(CHAPTER_FOLDER) else "report"


def _block(heading: str, anchor: str, citation: ChapterCitation, docname: str = "") -> nodes.container:
    block = nodes.container(classes=["twotracks-cite"], ids=[anchor])
    block += nodes.rubric(text=heading)
    for label, text in (("In the text: ", citation.inline), ("In a reference list: ", citation.full)):
        paragraph = nodes.paragraph()
        paragraph += nodes.strong(text=label)
        paragraph += nodes.Text(text)
        block += paragraph
    paragraph = nodes.paragraph()
    paragraph += nodes.strong(text="BibTeX:")
    block += paragraph
    block += nodes.literal_block(citation.bibtex, citation.bibtex, language="bibtex")
    paragraph = nodes.paragraph(classes=["twotracks-cite-files"])
    paragraph += nodes.strong(text="For a reference manager: ")
    stem = _file_stem(docname)
    for number, (label, suffix) in enumerate((("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))):
        if number:
            paragraph += nodes.Text(" \u00b7 ")
        uri = posixpath.relpath(f"{CITE_FOLDER}/{stem}.{suffix}", posixpath.dirname(docname) or ".")
        paragraph += nodes.reference("", label, refuri=uri, classes=["twotracks-cite-file"])
    block += paragraph
    return block


def _title(doctree: nodes.document) -> str:
    section = next(iter(doctree.findall(nodes.section)), None)
    return section[0].astext() if section is not None else ""


def add_citation_block(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    is_chapter = docname.startswith(CHAPTER_FOLDER)
    if not is_chapter and docname != app.config.root_doc:
        return
    app.env.note_dependency(str(CITATION))
    edition = load_edition()
    base = app.config.html_baseurl or None
    citations = app.env.__dict__.setdefault(ENV_KEY, {})
    if is_chapter:
        number = chapter_numbers().get(docname)
        title = _title(doctree)
        citations[docname] = (title, number)
        doctree += _block(
            "Cite this chapter",
            "cite-this-chapter",
            cite_chapter(edition, docname, title, number, base=base or ""),
            docname,
        )
    else:
        doctree += _block("Cite this report", "cite-this-report", cite_report(edition, base=base or ""), docname)


def _purge(app: Sphinx, env, docname: str) -> None:
    env.__dict__.setdefault(ENV_KEY, {}).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    env.__dict__.setdefault(ENV_KEY, {}).update(
        {d: v for d, v in other.__dict__.get(ENV_KEY, {}).items() if d in docnames}
    )


def write_citation_files(app: Sphinx, exception) -> None:
    """cite/NAME.bib, .ris and .json for every chapter and the report; sitemap.xml when an address is set."""
    if exception is not None or app.builder.format != "html":
        return
    edition = load_edition()
    base = app.config.html_baseurl or ""
    folder = Path(app.outdir) / CITE_FOLDER
    folder.mkdir(exist_ok=True)
    citations = {"report": cite_report(edition, base=base)}
    for docname, (title, number) in sorted(app.env.__dict__.get(ENV_KEY, {}).items()):
        if docname in app.env.found_docs:
            citations[_file_stem(docname)] = cite_chapter(edition, docname, title, number, base=base)
    for stem, citation in citations.items():
        (folder / f"{stem}.bib").write_text(citation.bibtex + "\n", encoding="utf-8")
        (folder / f"{stem}.ris").write_bytes(citation.ris.encode("utf-8"))
        (folder / f"{stem}.json").write_text(
            json.dumps([citation.csl], indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    if base:
        urls = "".join(
            f"  <url><loc>{xml_escape(base + app.builder.get_target_uri(d))}</loc></url>\n"
            for d in sorted(app.env.found_docs)
        )
        (Path(app.outdir) / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n',
            encoding="utf-8",
        )


def highwire_tags(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Highwire Press citation_* tags on every chapter page, as Zotero and Google Scholar read them."""
    entry = app.env.__dict__.get(ENV_KEY, {}).get(pagename)
    if entry is None:
        return
    from ..pdf import SITE_PDF_FOLDER, pdf_name

    title, number = entry
    edition = load_edition()
    base = app.config.html_baseurl or ""
    tags = [
        ("citation_title", title),
        *(("citation_author", a) for a in edition.authors),
        ("citation_publication_date", edition.released.replace("-", "/")),
        ("citation_book_title", edition.title),
        ("citation_inbook_title", edition.title),
        ("citation_publisher", edition.author_text),
        ("citation_technical_report_institution", edition.author_text),
        ("citation_version", edition.version),
        ("citation_language", "en"),
        ("citation_date", edition.released.replace("-", "/")),
    ]
    if number:
        tags.append(("citation_chapter", str(number)))
    if base:
        tags += [
            ("citation_abstract_html_url", f"{base}{pagename}.html"),
            ("citation_public_url", f"{base}{pagename}.html"),
            ("citation_pdf_url", f"{base}{SITE_PDF_FOLDER}/{pdf_name(pagename)}"),
        ]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<meta name="{name}" content="{html.escape(value, quote=True)}" />' for name, value in tags
    )


def set_edition(app: Sphinx, config: Config) -> None:
    """Version from CITATION.cff; version and build date shown in every page's footer (and so in print);
    the site's address from html.baseurl, or $TWOTRACKS_BASEURL when set at build time."""
    edition = load_edition()
    config.html_baseurl = base_url() or ""
    config.version = config.release = edition.version
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = (
        f'<p class="twotracks-edition">{_escape(edition.title)}, version {_escape(edition.version)} '
        f"(released {_escape(edition.released)}); this copy built on {build_date()}.</p>"
    )
    config.html_theme_options = options
    # a local icon, or every browser asks the server for /favicon.ico and logs a 404
    if not config.html_favicon:
        config.html_favicon = str(Path(__file__).parent / "static" / "favicon.svg")
    # the theme logs a console error on a reader's first visit unless it is given a starting mode
    config.html_context = {**(config.html_context or {}), "default_mode": "auto"}


def drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The report runs no live code: drop sphinx-thebe's scripts, which Jupyter Book always adds (twice,
    so the second throws "THEBE_JS_URL has already been declared") and which name a third-party host."""
    if "script_files" in context:
        context["script_files"] = [
            js
            for js in context["script_files"]
            if "thebe" not in str(js) and "THEBE_JS_URL" not in getattr(js, "attributes", {}).get("body", "")
        ]
    if "css_files" in context:
        context["css_files"] = [css for css in context["css_files"] if "thebe" not in str(css)]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def setup(app: Sphinx) -> None:
    app.connect("config-inited", set_edition)
    app.connect("doctree-read", add_citation_block)
    app.connect("html-page-context", drop_thebe)
    app.connect("html-page-context", highwire_tags)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", write_citation_files)
