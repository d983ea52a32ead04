"""The references page's style: the text cites author-year (``bibtex_reference_style: author_year``), so the
list carries author-year labels (never numbers) and is ordered by author (or publishing body) and year.

Registered as the pybtex formatting style ``twotracks`` (``bibtex_default_style`` in _config.yml). Titles
keep their case because the bibliography generator braces them; plain's formatting is otherwise kept.
"""

from __future__ import annotations

from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitle

NAME = "twotracks"
_TEXT = TextBackend()


def _author_text(entry) -> str:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    if not persons:
        return entry.fields.get("howpublished") or entry.fields.get("publisher") or "Anonymous"
    # the names as text (LaTeX escapes such as \& decoded, braces dropped), never the raw BibTeX; one backend,
    # because render_as("text") looks the backend up among every installed package's entry points each call
    names = [" ".join(n.render(_TEXT) for n in p.rich_last_names) for p in persons]
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names)


class LabelStyle(BaseLabelStyle):
    """'Xinhua 2017', 'Xinhua 2017a' and 'Xinhua 2017b' when one body published twice in a year."""

    def format_labels(self, sorted_entries):
        labels = [f"{_author_text(e)} {e.fields.get('year', 'n.d.')}" for e in sorted_entries]
        seen: dict[str, int] = {}
        for label in labels:
            seen[label] = seen.get(label, 0) + 1
        suffix: dict[str, int] = {}
        for label in labels:
            if seen[label] > 1:
                suffix[label] = suffix.get(label, 0) + 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[(suffix[label] - 1) % 26]
            else:
                yield label


class Style(PlainStyle):
    default_label_style = LabelStyle
    default_sorting_style = AuthorYearTitle


def register() -> None:
    register_plugin("pybtex.style.formatting", NAME, Style, force=True)
