"""The bibliography generated from sources.csv."""

from __future__ import annotations

import pandas as pd

from conftest import REAL_DATA
from twotracks.citations import bibtex, bibtex_entry, escape
from twotracks.data import load_table


def test_escape_special_characters():
    assert escape("R&D 100% #1 a_b") == r"R\&D 100\% \#1 a\_b"
    assert escape("{braces}") == "braces"


def test_entry_without_author_is_cited_by_publisher():
    row = pd.Series({"source_id": "x-2017", "kind": "news-report", "title": "China to Create Blockchain Research Institute",
                     "author": pd.NA, "publisher": "BlockTribune", "date": "2017-09-06", "date_precision": "day", "url": pd.NA})
    entry = bibtex_entry(row)
    assert entry.startswith("@misc{x-2017,")
    assert "author = {{BlockTribune}}," in entry
    assert "month = sep," in entry and "day = {6}," in entry and "year = {2017}," in entry
    assert "url" not in entry


def test_every_source_gets_exactly_one_entry():
    sources = load_table("sources", REAL_DATA)
    text = bibtex(sources)
    assert text.count("\n@") + 1 == len(sources)
    for source_id in sources["source_id"]:
        assert f"{{{source_id}," in text
