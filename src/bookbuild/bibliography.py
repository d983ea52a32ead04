"""Write the book's BibTeX file from data/sources.csv (the only place sources are edited), inside Sphinx.

The Sphinx extension calls :func:`setup`: at ``config-inited``, before sphinxcontrib-bibtex reads the file at
``builder-inited``, the bibliography is rewritten (only if it changed) into the file ``_config.yml`` names,
so that ``jupyter-book build .`` alone works after set-up. A bad row stops the build with one line naming
sources.csv, the row and the column.
"""

from __future__ import annotations

import sys
from pathlib import Path

from twotracks.citations import bibtex
from twotracks.data import load_table
from twotracks.paths import data_dir, root

GENERATED = "book/_generated/references.bib"


def write_bibliography(path: Path | None = None, data: Path | None = None) -> Path:
    path = path or root() / GENERATED
    text = bibtex(load_table("sources", data))
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def _config_inited(app, config) -> None:
    from sphinx.errors import ExtensionError

    from twotracks.validate import DataValidationError

    project = root(Path(app.confdir))
    targets = [(Path(app.confdir) / f).resolve() for f in config.bibtex_bibfiles or []]
    try:
        for target in (t for t in targets if t == (project / GENERATED).resolve()):
            write_bibliography(target, data_dir(project))
    except DataValidationError as exc:
        raise ExtensionError(
            "the bibliography cannot be written from sources.csv: " + "; ".join(str(p) for p in exc.problems)
        ) from None


def setup(app) -> None:
    app.connect("config-inited", _config_inited)


if __name__ == "__main__":
    print(write_bibliography())
    sys.exit(0)
