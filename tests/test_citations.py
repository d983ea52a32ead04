"""The bibliography generated from sources.csv."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REAL_DATA, set_value

from twotracks.citations import bibtex, bibtex_entry, escape
from twotracks.data import load_table


def test_escape_special_characters():
    assert escape("R&D 100% #1 a_b") == r"R\&D 100\% \#1 a\_b"
    assert escape("{braces}") == "braces"


def test_entry_without_author_is_cited_by_publisher():
    row = pd.Series(
        {
            "source_id": "x-2017",
            "kind": "news-report",
            "title": "China to Create Blockchain Research Institute",
            "author": pd.NA,
            "publisher": "BlockTribune",
            "date": "2017-09-06",
            "date_precision": "day",
            "url": pd.NA,
        }
    )
    entry = bibtex_entry(row)
    assert entry.startswith("@misc{x-2017,")
    assert (
        "author = {{BlockTribune}}," in entry and "title = {{China to Create Blockchain Research Institute}}," in entry
    )
    assert "month = sep," in entry and "day = {6}," in entry and "year = {2017}," in entry
    assert "url" not in entry


def test_every_source_gets_exactly_one_entry():
    sources = load_table("sources", REAL_DATA)
    text = bibtex(sources)
    assert text.count("\n@") + 1 == len(sources)
    for source_id in sources["source_id"]:
        assert f"{{{source_id}," in text


def _render(bib: str) -> dict[str, tuple[dict, str]]:
    """Each entry's fields as pybtex reads them, and its reference as the book's style renders it in HTML."""
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    data = parse_string(bib, "bibtex")
    style, html = find_plugin("pybtex.style.formatting", "plain")(), find_plugin("pybtex.backends", "html")()
    rendered = {e.key: e.text.render(html) for e in style.format_entries(data.entries.values())}
    return {key: (dict(entry.fields), rendered[key]) for key, entry in data.entries.items()}


def _source(**change) -> pd.Series:
    row = {
        "source_id": "x-2017",
        "kind": "news-report",
        "title": "People's Bank of China bans ICOs",
        "author": pd.NA,
        "publisher": "Caixin",
        "date": "2017-09-04",
        "date_precision": "day",
        "url": "https://example.org/a",
    }
    return pd.Series({**row, **change})


@pytest.mark.parametrize("column", ["url", "title", "publisher"])
def test_a_brace_in_a_field_cannot_forge_another_field(column):
    forged = "x}, note = {forged}, title = {evil"
    fields, _ = _render(bibtex_entry(_source(**{column: _source()[column] + forged})))["x-2017"]
    assert "note" not in fields and "forged" not in fields.get("title", "").split(",")[0]
    assert set(fields) <= {"title", "year", "month", "day", "howpublished", "url"}


def test_a_url_keeps_its_meaning_percent_encoded():
    fields, _ = _render(bibtex_entry(_source(url="https://example.org/a?q={x}&r=1%")))["x-2017"]
    assert fields["url"] == "https://example.org/a?q=%7Bx%7D&r=1%"


def test_the_references_page_keeps_proper_nouns_and_prints_no_backslashes():
    title = "People's Bank of China: US$5 for R&D, 100% of it"
    _, html = _render(bibtex_entry(_source(kind="research-report", title=title)))["x-2017"]  # a sentence-cased type
    assert "People's Bank of China: US$5 for R&amp;D, 100% of it" in html and "\\" not in html


def test_a_bad_sources_row_stops_the_bibliography_naming_file_row_and_column(data_copy, tmp_path):
    from bookbuild.bibliography import write_bibliography
    from twotracks.validate import DataValidationError

    set_value(data_copy / "sources.csv", 3, "date", "2017-13")
    with pytest.raises(DataValidationError, match=r"sources.csv, row 3 \(line 4\), column 'date'"):
        write_bibliography(tmp_path / "references.bib", data_copy)


def test_sphinx_writes_the_bibliography_before_bibtex_reads_it(data_copy, monkeypatch):
    """`jupyter-book build .` alone: the extension writes book/_generated/references.bib at config-inited."""
    from types import SimpleNamespace

    from bookbuild import bibliography

    project = data_copy.parent
    (project / "_config.yml").write_text("title: x\n", encoding="utf-8")
    monkeypatch.delenv("TWOTRACKS_DATA", raising=False)
    app = SimpleNamespace(confdir=str(project))
    bibliography._config_inited(app, SimpleNamespace(bibtex_bibfiles=[bibliography.GENERATED]))
    text = (project / bibliography.GENERATED).read_text(encoding="utf-8")
    assert text == bibtex(load_table("sources", data_copy))
