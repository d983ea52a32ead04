"""Citations generated from data/sources.csv, the one source of the bibliography.

``bibtex(sources)`` renders the table as BibTeX for sphinxcontrib-bibtex (author-year). A source with no
named author is cited by its publisher, as news organisations' unsigned reports usually are. Titles are
wrapped in an extra pair of braces, so that the style never lower-cases their proper nouns.
"""

from __future__ import annotations

import re

import pandas as pd

_SPECIAL = re.compile(r"([&%#_])")  # "$" stays bare: pybtex shows "\$" literally, and a bare "$" as "$"
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_ENTRY_TYPE = {"research-report": "techreport", "dataset": "misc"}


def escape(text: str) -> str:
    """Text safe inside a braced BibTeX field: special characters escaped; braces and backslashes, which
    could close the field and forge others, dropped."""
    return _SPECIAL.sub(r"\\\1", str(text).replace("\\", "").replace("{", "").replace("}", ""))


def escape_url(url: str) -> str:
    """A URL safe inside a braced BibTeX field: braces, backslashes and spaces percent-encoded (same URL)."""
    return str(url).translate({ord("{"): "%7B", ord("}"): "%7D", ord("\\"): "%5C", ord(" "): "%20"})


def _field(name: str, value: str, raw: bool = False) -> str:
    return f"  {name} = {{{value if raw else escape(value)}}},"


def bibtex_entry(source: pd.Series) -> str:
    """One BibTeX entry for a row of the sources table."""

    def present(name: str) -> bool:
        return name in source and pd.notna(source[name]) and str(source[name]) != ""

    entry_type = _ENTRY_TYPE.get(source["kind"], "misc")
    author = f"{{{escape(source['author'])}}}" if present("author") else f"{{{escape(source['publisher'])}}}"
    lines = [
        f"@{entry_type}{{{source['source_id']},",
        _field("author", author, raw=True),
        f"  title = {{{{{escape(source['title'])}}}}},",
    ]
    date = str(source["date"])
    lines.append(_field("year", date[:4]))
    if len(date) >= 7:
        lines.append(f"  month = {_MONTHS[int(date[5:7]) - 1]},")
    if len(date) == 10:
        lines.append(_field("day", str(int(date[8:10]))))
    key = "institution" if entry_type == "techreport" else "howpublished"
    lines.append(_field(key, source["publisher"]))
    if present("url"):
        lines.append(_field("url", escape_url(source["url"]), raw=True))
    lines.append("}")
    return "\n".join(lines)


def bibtex(sources: pd.DataFrame) -> str:
    """The whole bibliography, one entry per source, in the table's order."""
    return "\n\n".join(bibtex_entry(row) for _, row in sources.iterrows()) + "\n"
