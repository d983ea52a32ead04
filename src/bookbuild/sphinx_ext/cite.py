""""Cite this chapter" on every chapter page, "Cite this report" on the home page, the edition in the footer."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from ..edition import CITATION, ChapterCitation, build_date, chapter_numbers, cite_chapter, cite_report, load_edition

CHAPTER_FOLDER = "notebooks/"


def _block(heading: str, anchor: str, citation: ChapterCitation) -> nodes.container:
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
    if is_chapter:
        number = chapter_numbers().get(docname)
        doctree += _block("Cite this chapter", "cite-this-chapter", cite_chapter(edition, docname, _title(doctree), number))
    else:
        doctree += _block("Cite this report", "cite-this-report", cite_report(edition))


def set_edition(app: Sphinx, config: Config) -> None:
    """Version from CITATION.cff; version and build date shown in every page's footer (and so in print)."""
    edition = load_edition()
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
            js for js in context["script_files"]
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
