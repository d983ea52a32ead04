"""Chinese search: Sphinx's ``zh`` indexer (``html_search_language: zh`` in _config.yml) splits Chinese with
jieba, whose dictionary lacks the report's own terms (it cuts 区块链 into 区块 + 链, so 区块链 would never be
found). The glossary's hanzi are given to jieba as a user dictionary, so 区块链 is indexed as a word, also
inside longer names such as 区块链服务网络; English words are indexed as before.

Sphinx 7.4's indexer also keeps every Latin word it has seen in one list shared by the class and tests each
word against it, so indexing grew with the square of the book (24 of a clean build's seconds); a set per
indexer gives the same index. Stems are remembered per word: the same few thousand words recur on every page.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search.zh import SearchChinese

from twotracks.paths import data_dir, root

WORDS = Path("book") / "_generated" / "search-words.txt"


def search_words(data: Path) -> list[str]:
    """The glossary's hanzi (one word per line in jieba's user-dictionary format), sorted and unique."""
    with (data / "glossary.csv").open(encoding="utf-8", newline="") as handle:
        words = {row["hanzi"].strip() for row in csv.DictReader(handle) if (row.get("hanzi") or "").strip()}
    return sorted(w for w in words if " " not in w)


def _config_inited(app: Sphinx, config) -> None:
    if (config.html_search_language or config.language or "")[:2] != "zh":
        return
    project = root(Path(app.confdir))
    path = project / WORDS
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{word} 1000\n" for word in search_words(data_dir(project)))
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(path)}


class _SearchChinese(SearchChinese):
    def init(self, options: dict) -> None:
        super().init(options)
        self.latin_terms = _Terms()
        self._stems: dict[tuple[str, bool], str] = {}

    def stem(self, word: str) -> str:
        # the stem depends on whether the word was seen as a Latin term, which only grows: remember both cases
        key = (word, word in self.latin_terms)
        if key not in self._stems:
            self._stems[key] = super().stem(word)
        return self._stems[key]


class _Terms(set):
    """The Latin words seen so far: Sphinx extends it as a list, tests membership as a set."""

    extend = set.update


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _config_inited)
    app.add_search_language(_SearchChinese)
