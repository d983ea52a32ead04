"""The generated glossary: terms that Sphinx would take for one (case, Unicode form) are merged or refused."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import REAL_DATA, get_value, read_table, write_table

from bookbuild.sphinx_ext.pages import glossary_entries, term_key


def _add_glossary_row(data, term, hanzi="新词"):
    header, rows = read_table(data / "glossary.csv")
    row = dict(zip(header, rows[0]))
    row.update(term_id="added-term", term_en=term, hanzi=hanzi)
    write_table(data / "glossary.csv", header, rows + [[row[c] for c in header]])
    return len(rows) + 1


def test_the_real_glossary_has_one_entry_per_term():
    keys = [term_key(e[0]) for e in glossary_entries(REAL_DATA)]
    assert keys and len(keys) == len(set(keys))


@pytest.mark.parametrize("variant", [str.upper, str.lower, lambda t: unicodedata.normalize("NFD", t.replace("e", "é"))])
def test_a_term_differing_only_in_case_or_unicode_form_is_an_error_naming_both_rows(data_copy, variant):
    first = get_value(data_copy / "glossary.csv", 1, "term_en")
    if variant is not str.upper and variant is not str.lower:
        header, rows = read_table(data_copy / "glossary.csv")
        rows[0][header.index("term_en")] = first = unicodedata.normalize("NFC", first.replace("e", "é"))
        write_table(data_copy / "glossary.csv", header, rows)
    row = _add_glossary_row(data_copy, variant(first))
    with pytest.raises(ValueError) as caught:
        glossary_entries(data_copy)
    message = str(caught.value)
    assert message.startswith(f"glossary.csv, row {row}: glossary term") and "glossary.csv, row 1" in message
    assert "\n" not in message


def test_an_actor_named_like_a_glossary_term_with_the_same_hanzi_is_merged_once(data_copy):
    header, rows = read_table(data_copy / "actors.csv")
    actor = next(dict(zip(header, r)) for r in rows if r[header.index("name_zh")])
    _add_glossary_row(data_copy, actor["name_en"].upper(), hanzi=actor["name_zh"])
    entries = [e for e in glossary_entries(data_copy) if term_key(e[0]) == term_key(actor["name_en"])]
    assert len(entries) == 1 and entries[0][0] == actor["name_en"].upper()  # the glossary's entry is kept


def test_an_actor_named_like_a_glossary_term_with_other_hanzi_is_an_error(data_copy):
    header, rows = read_table(data_copy / "actors.csv")
    actor = next(dict(zip(header, r)) for r in rows if r[header.index("name_zh")])
    _add_glossary_row(data_copy, actor["name_en"].lower(), hanzi="别的")
    with pytest.raises(ValueError, match=r"actors.csv, row \d+: glossary term"):
        glossary_entries(data_copy)
