"""Tokenising and term matching (twotracks.text) and the framing term lists (twotracks.framing)."""

from __future__ import annotations

import pandas as pd
import pytest

from twotracks import framing
from twotracks.paths import ROOT
from twotracks.text import compile_terms, count_labels, find_terms, is_abbreviation, per_thousand, tokenise


def test_curly_and_straight_apostrophes_give_the_same_words():
    assert tokenise("China’s Binance’s") == tokenise("China's Binance's") == ["China", "Binance"]


def test_apostrophe_inside_a_word_is_kept():
    assert tokenise("don’t Chang'an") == ["don't", "Chang'an"]


def test_hyphens_and_dashes_split_words():
    assert tokenise("crypto-to-fiat – Blockchain-based") == ["crypto", "to", "fiat", "Blockchain", "based"]


def test_numbers_with_separators_are_one_word():
    assert tokenise("1,821 firms and 588.9 billion") == ["1,821", "firms", "and", "588.9", "billion"]


def test_quotes_and_punctuation_are_not_words():
    assert tokenise("“Blockchain,” he said. (NFT)") == ["Blockchain", "he", "said", "NFT"]


def test_multiword_term_matches_across_words_and_ignores_case():
    terms = compile_terms({"crypto": ["virtual currency"]})
    assert count_labels(tokenise("Virtual Currency and virtual  currency"), terms)["crypto"] == 2


def test_hyphenated_term_matches_unhyphenated_text_and_back():
    terms = compile_terms({"crypto": ["non-fungible token"]})
    assert count_labels(tokenise("non fungible token; non-fungible token"), terms)["crypto"] == 2


def test_longest_term_wins_and_words_count_once():
    terms = compile_terms({"state": ["central bank digital currency"], "crypto": ["digital currency"]})
    found = find_terms(tokenise("a central bank digital currency, then a digital currency"), terms)
    assert [(m.label, m.start) for m in found] == [("state", 1), ("crypto", 7)]


def test_abbreviations_match_only_in_capitals():
    terms = compile_terms({"most": ["MOST"], "bsn": ["BSN"]})
    assert count_labels(tokenise("the most open city; MOST approved; the bsn"), terms) == {"most": 1}
    assert is_abbreviation("e-CNY") is False and is_abbreviation("CBDCs") is False and is_abbreviation("NFT")


def test_a_term_with_no_words_is_an_error():
    with pytest.raises(ValueError):
        compile_terms({"x": ["--"]})


def test_rate_per_thousand_words():
    assert per_thousand(17, 3400) == pytest.approx(5.0)
    with pytest.raises(ValueError):
        per_thousand(1, 0)


def test_digital_yuan_is_never_crypto():
    terms = framing.term_list()
    text = "the digital yuan (e-CNY), a central bank digital currency, and CBDCs; a centrally backed digital currency"
    assert count_labels(tokenise(text), terms) == {"state-currency": 5}


def test_translation_artefacts_are_counted_as_the_report_decides():
    counts = count_labels(tokenise("the currency circle's platforms and currency circles"), framing.term_list())
    assert counts == {"crypto": 2}


def test_actor_variants_find_the_corpus_spellings():
    actors = pd.DataFrame(
        [
            ("ok-group", "OK Group", pd.NA),
            ("zhongshang-beidou", "Zhongshang Beidou", pd.NA),
            ("most", "Ministry of Science and Technology", "MOST"),
            ("hk-sfc", "Securities and Futures Commission (Hong Kong)", "SFC"),
        ]
        + [(a, a, pd.NA) for a in framing.ACTOR_VARIANTS if a not in ("ok-group", "zhongshang-beidou")],
        columns=["actor_id", "name_en", "abbreviation"],
    )
    text = (
        "Eurotech Group and Zhongshang Beidon met the most senior MOST staff and the Securities and Futures Commission."
    )
    labels = [m.label for m in find_terms(tokenise(text), framing.actor_terms(actors))]
    assert labels == ["ok-group", "zhongshang-beidou", "most", "hk-sfc"]


def test_variants_for_an_unknown_actor_are_an_error():
    actors = pd.DataFrame([("binance", "Binance", pd.NA)], columns=["actor_id", "name_en", "abbreviation"])
    with pytest.raises(KeyError):
        framing.actor_terms(actors)


def test_methods_page_lists_every_term():
    methods = (ROOT / "book" / "methods.md").read_text(encoding="utf-8")
    for family, variants in framing.TERMS.items():
        assert f"`{family}`" in methods
        for variant in variants:
            # The page lists each term once, "each with its plural": a plural is covered by its singular.
            forms = {variant, variant.removesuffix("s"), variant.removesuffix("ies") + "y"}
            assert any(form in methods for form in forms if form), (
                f"{variant!r} ({family}) is counted but not listed on the methods page"
            )
