"""Pages read as a report: code hidden by default, plumbing removed, at build time (no notebook is edited).

Every notebook code cell is rendered by MyST-NB as a ``container`` with ``nb_element="cell_code"``. Right
after a page is read (before MyST-NB's own ``HideInputCells`` post-transform wraps hidden input in a
``<details>`` toggle), this module decides for each code cell:

* **plumbing** (the rule in CONTRIBUTING.md): the cell is tagged ``remove-input``, or every top-level
  statement of its source is an ``import``, an ``assert``, or a bare call of ``glue_value``, ``glue``,
  ``publish_figure``, ``use_house_style`` or ``save_figure_data``. Its source is removed from the page
  (its output, if any, stays).
* a cell tagged ``show-input`` keeps its code visible;
* every other cell's code is hidden behind a "Show code" toggle, as MyST-NB's ``hide-input`` tag does.

The downloadable .ipynb keeps all the code: only the page changes.

Dark figures: a figure whose label is ``fig-NAME`` and for which the notebook wrote
``notebooks/figure-data/fig-NAME-dark-page.png`` (``twotracks.figures.publish_figure``) gets that image beside
its light one; the stylesheet shows one or the other with the theme (never a dimmed light figure).

PDFs: every page's download menu links its PDF under ``pdf/`` (see ``bookbuild.pdf``), which ``make pdf``
writes into the site, and a later build keeps.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

PLUMBING_CALLS = frozenset({"glue_value", "glue", "publish_figure", "use_house_style", "save_figure_data"})
SHOW_TAGS = frozenset({"show-input", "show_input"})
SHOW_PROMPT = "Show code"
HIDE_PROMPT = "Hide code"


def _call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    return None


def is_plumbing(source: str) -> bool:
    """True when every statement only imports, asserts, or glues/publishes (see the module's rule)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body:
        return True
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom, ast.Assert)):
            continue
        if isinstance(statement, ast.Expr) and _call_name(statement.value) in PLUMBING_CALLS:
            continue
        return False
    return True


def _source_of(cell: nodes.container) -> nodes.Element | None:
    for child in cell.children:
        if isinstance(child, nodes.Element) and child.get("nb_element") == "cell_code_source":
            return child
    return None


def hide_code(app: Sphinx, doctree: nodes.document) -> None:
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") != "cell_code":
            continue
        metadata = cell.get("cell_metadata") or {}
        tags = set(metadata.get("tags", []) or [])
        source = _source_of(cell)
        if source is None:
            continue  # the input was removed already (remove-input)
        if is_plumbing(source.astext()):
            cell.remove(source)
            if not cell.children:
                cell.parent.remove(cell)
            else:
                cell["classes"].append("twotracks-plumbing")
            continue
        if tags & SHOW_TAGS or cell.get("hide_mode"):
            continue
        cell["hide_mode"] = "input"
        cell["prompt_show"] = SHOW_PROMPT
        cell["prompt_hide"] = HIDE_PROMPT


def add_dark_figures(app: Sphinx, doctree: nodes.document) -> None:
    """Put each figure's dark-theme PNG beside its light image (before Sphinx collects the images)."""
    srcdir = Path(app.srcdir)
    docdir = (srcdir / app.env.docname).parent
    for figure in doctree.findall(nodes.figure):
        name = next((i for i in figure["ids"] if i.startswith("fig-")), None)
        image = next(iter(figure.findall(nodes.image)), None)
        if name is None or image is None:
            continue
        # the page's dark image is cropped as the light one is; the slide-sized one (padded to 16:9) is a download
        # only, never shown in its place: it would make a tall figure half as large as in the light theme
        dark = docdir / "figure-data" / f"{name}-dark-page.png"
        if not dark.is_file():
            continue
        app.env.note_dependency(str(dark))
        image["classes"].append("twotracks-light")
        dark_image = nodes.image(
            uri=dark.relative_to(docdir).as_posix(), alt=image.get("alt", ""), classes=["twotracks-dark"]
        )
        for key in ("width", "height", "scale"):
            if key in image:
                dark_image[key] = image[key]
        image.parent.insert(image.parent.index(image) + 1, dark_image)


def _check_pdfs(app: Sphinx, config) -> None:
    """Whether this build links and serves the PDFs of ``make pdf``: only those printed from a site of the same
    content (bookbuild.publish.current_pdfs). A setting of the HTML builder, so that PDFs printed, or gone stale,
    since the last build rewrite every page's download menu."""
    from ..publish import current_pdfs

    config.twotracks_pdfs = current_pdfs()


def link_pdf(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """With current PDFs, the download menu's ".pdf" entry links the page's PDF (``make pdf``); without, it keeps
    the theme's print to PDF (the print stylesheet lays the page out for A4), never a link to a missing file."""
    from ..pdf import SITE_PDF_FOLDER, pdf_name

    if not app.config.twotracks_pdfs:
        return
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        for button in group.get("buttons", []):
            if button.get("label") == "download-pdf-button":
                button.clear()
                button.update(
                    {
                        "type": "link",
                        "url": context["pathto"](f"{SITE_PDF_FOLDER}/{pdf_name(pagename)}", 1),
                        "text": ".pdf",
                        "icon": "fas fa-file-pdf",
                        "label": "download-pdf-button",
                        "tooltip": "Download the PDF (A4, for briefings)",
                    }
                )


def copy_pdfs(app: Sphinx, exception) -> None:
    """Put the PDFs of the last ``make pdf`` in the site being published if they are of its content; else none
    (the build cache may hold a copy of PDFs gone stale since)."""
    from ..pdf import SITE_PDF_FOLDER
    from ..publish import PDF_OUT

    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / SITE_PDF_FOLDER
    shutil.rmtree(target, ignore_errors=True)
    if not app.config.twotracks_pdfs:
        return
    target.mkdir()
    for pdf in PDF_OUT.glob("*.pdf"):
        shutil.copy2(pdf, target / pdf.name)


def _prompts(app: Sphinx, config) -> None:
    # the toggles of cells already tagged hide-input say the same as the ones added here
    config.nb_code_prompt_show = SHOW_PROMPT
    config.nb_code_prompt_hide = HIDE_PROMPT


def setup(app: Sphinx) -> None:
    app.add_config_value("twotracks_pdfs", False, "html", types=[bool])
    app.connect("config-inited", _prompts)
    app.connect("config-inited", _check_pdfs)
    app.connect("doctree-read", hide_code)
    app.connect("doctree-read", add_dark_figures, priority=400)  # before Sphinx's image collector (500)
    app.connect("html-page-context", link_pdf, priority=502)  # after the book theme adds its buttons (501)
    app.connect("build-finished", copy_pdfs)
