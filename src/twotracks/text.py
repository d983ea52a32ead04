"""Tokenise English text and find listed terms in it: the counting behind the framing chapter.

Decisions, each tested:

* Curly apostrophes and quotes become straight ones, so "China’s" and "China's" are one word.
* A hyphen or dash separates words: "crypto-to-fiat" is three words, so it counts as a "crypto" mention,
  and a term written with a hyphen ("non-fungible token") matches however the text hyphenates it.
* A possessive "'s" (or a bare trailing apostrophe) is dropped: "Binance’s" is the word "Binance".
* Matching ignores case, except for a term written wholly in capitals (an abbreviation such as "MOST"
  or "SIC"), which must appear in capitals: "the most open city" is not the Ministry of Science and
  Technology.
* Multiword terms match across single words, and the longest term wins where terms overlap: "central
  bank digital currency" is one state-currency mention, not also a "digital currency" one. Matches do not
  overlap, so no word counts twice.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
#: A number with thousands separators or a decimal point ("1,821", "588.9") is one word.
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:'[^\W_]+)*'?")
_POSSESSIVE = re.compile(r"'s?$", re.IGNORECASE)


def normalise(text: str) -> str:
    """Straight apostrophes and quotes for curly ones; nothing else changes."""
    return text.translate(_QUOTES)


def tokenise(text: str) -> list[str]:
    """The words of ``text`` in order, case kept, possessives dropped; hyphens and dashes split words."""
    words = []
    for match in _WORD.finditer(normalise(text)):
        word = _POSSESSIVE.sub("", match.group()) if match.group().lower() != "'s" else ""
        if word:
            words.append(word)
    return words


@dataclass(frozen=True)
class Term:
    """One way of writing something: its words, what it stands for (``label``), and whether case matters."""

    words: tuple[str, ...]
    label: str
    variant: str
    case_sensitive: bool

    def matches(self, tokens: list[str], start: int) -> bool:
        found = tokens[start : start + len(self.words)]
        if len(found) != len(self.words):
            return False
        if self.case_sensitive:
            return tuple(found) == self.words
        return tuple(w.lower() for w in found) == self.words


def is_abbreviation(variant: str) -> bool:
    """A term written wholly in capitals (two letters or more) is matched case-sensitively."""
    letters = [c for c in variant if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def compile_terms(variants_by_label: dict[str, list[str]]) -> list[Term]:
    """Terms from {label: [variant, ...]}; a variant that tokenises to nothing is an error."""
    terms = []
    for label, variants in variants_by_label.items():
        for variant in variants:
            words = tokenise(variant)
            if not words:
                raise ValueError(f"term {variant!r} for {label!r} has no words")
            sensitive = is_abbreviation(variant)
            terms.append(Term(tuple(words if sensitive else (w.lower() for w in words)), label, variant, sensitive))
    return terms


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    label: str
    variant: str


def find_terms(tokens: list[str], terms: list[Term]) -> list[Match]:
    """Leftmost-longest, non-overlapping matches of ``terms`` in ``tokens``."""
    by_first: dict[str, list[Term]] = {}
    for term in terms:
        by_first.setdefault(term.words[0].lower(), []).append(term)
    for candidates in by_first.values():
        candidates.sort(key=lambda t: (-len(t.words), t.variant))  # longest first; ties in a fixed order
    matches, i = [], 0
    while i < len(tokens):
        hit = next((t for t in by_first.get(tokens[i].lower(), []) if t.matches(tokens, i)), None)
        if hit is None:
            i += 1
            continue
        matches.append(Match(i, i + len(hit.words), hit.label, hit.variant))
        i += len(hit.words)
    return matches


def count_labels(tokens: list[str], terms: list[Term]) -> Counter:
    """How many times each label's terms occur in ``tokens``."""
    return Counter(m.label for m in find_terms(tokens, terms))


def per_thousand(count: int, words: int) -> float:
    """A count per 1,000 words; a text with no words is an error, not a rate of zero."""
    if words <= 0:
        raise ValueError("a rate per 1,000 words needs a text with words")
    return 1000 * count / words
