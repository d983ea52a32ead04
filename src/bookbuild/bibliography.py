"""Write the book's BibTeX file from data/sources.csv (the only place sources are edited)."""

from __future__ import annotations

import sys
from pathlib import Path

from twotracks.citations import bibtex
from twotracks.data import load_table

from .toc import ROOT

BIB = ROOT / "book" / "_generated" / "references.bib"


def write_bibliography(path: Path = BIB) -> Path:
    text = bibtex(load_table("sources"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_bibliography())
    sys.exit(0)
