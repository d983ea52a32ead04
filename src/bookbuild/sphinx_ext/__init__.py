"""The report's own Sphinx extension, registered in _config.yml (``sphinx: extra_extensions``).

* ``bibliography``: book/_generated/references.bib written from data/sources.csv before anything reads it.
* ``cite``: a "Cite this chapter" block at the end of every page under notebooks/ (and "Cite this report"
  on the home page), generated from CITATION.cff and the page's own title and place in _toc.yml; the
  version and build date in every page's footer.
* ``pages``: directives that generate the data page, the glossary and the execution status page from the
  data package, the figure-data folder and the notebooks' stamps, so new tables, terms, figures and
  chapters appear without editing a page. Every value from the data becomes a text node, so markup in
  the data is shown as text and never runs.
* ``reader``: code hidden behind a toggle by default and plumbing cells removed from the page, at build
  time (the notebooks are not edited).
* ``a11y``: the theme's buttons and toggles named by the text a reader sees (checked with axe-core).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx

from .. import bibliography
from . import a11y, cite, explorer, pages, reader, refstyle, rules, search


def _source_version() -> int:
    """A number that changes whenever this extension's code or styles change: Sphinx re-reads every page
    when an extension's ``env_version`` changes, so a change here reaches every page, not only edited ones."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".css", ".js", ".html") and "__pycache__" not in path.parts:
            digest.update(path.name.encode() + path.read_bytes())
    return int(digest.hexdigest()[:8], 16)


def _add_static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))


def setup(app: Sphinx) -> dict:
    refstyle.register()  # before sphinxcontrib-bibtex loads bibtex_default_style
    app.connect("builder-inited", _add_static)
    app.add_css_file("twotracks.css")
    bibliography.setup(app)  # first: sphinxcontrib-bibtex reads the file at builder-inited
    cite.setup(app)
    pages.setup(app)
    rules.setup(app)
    explorer.setup(app)
    reader.setup(app)
    a11y.setup(app)
    search.setup(app)
    return {
        "version": "0.1",
        "env_version": _source_version(),
        "parallel_read_safe": False,
        "parallel_write_safe": True,
    }
