"""The exchanges' moves: directions, vocabulary, and figures derived with their bounds."""

from __future__ import annotations

import pytest
from conftest import REAL_DATA

from twotracks import data
from twotracks.exchanges import DIRECTION, coin_brands, direction, names_blockchain, names_crypto, per_unit
from twotracks.hierarchy import descendants
from twotracks.schema import load_package, table_by_name


def test_every_kind_in_the_schema_has_a_direction_and_no_other():
    kinds = next(f for f in table_by_name(load_package(REAL_DATA), "exchange_moves").fields if f.name == "kind").enum
    assert set(kinds) == set(DIRECTION)
    assert direction("exit") == "exit" and direction("rumour") == "rumour" and direction("lab") == "return"
    # by the chapter's definition a charity pledge, an international membership and an unnamed investment are not returns
    assert {direction(k) for k in ("donation", "membership", "investment-unnamed")} == {"other"}
    with pytest.raises(ValueError, match="unknown kind"):
        direction("holiday")


@pytest.mark.parametrize(
    "text, blockchain, crypto",
    [
        ("Binance China Blockchain Institute", True, False),
        ("Blockchain Technology Lab", True, False),
        ("OKCoin (trading services for local customers)", False, True),
        ("“Binance for Wuhan” project", False, False),
        ("Huobi Global (mainland users' coin-to-coin and OTC trading)", False, True),
    ],
)
def test_vocabulary(text, blockchain, crypto):
    assert names_blockchain(text) is blockchain and names_crypto(text) is crypto


BRANDS = {"Binance": "币安", "Huobi": "火币"}


@pytest.mark.parametrize(
    "text, crypto",
    [
        ("Binance China Blockchain Institute", True),  # 币安: the brand carries 币 (coin) in Chinese
        ("Huobi China blockchain alliance", True),  # 火币
        ("币安中国区块链研究院", True),
        ("Blockchain Technology Lab", False),
        ("OK Group", False),  # 欧科 has no 币
        ("Binanceville lab", False),  # a brand is matched as a word, not a substring
        ("“Binance for Wuhan” project", True),
    ],
)
def test_a_brand_whose_chinese_name_says_coin_is_crypto_vocabulary(text, crypto):
    assert names_crypto(text, BRANDS) is crypto


def test_chinese_crypto_words_are_crypto_vocabulary_without_brands():
    assert names_crypto("比特币矿场") and names_crypto("虚拟货币交易所") and not names_crypto("区块链研究院")
    assert names_blockchain("区块链研究院")


def test_coin_brands_are_read_from_the_actors_table():
    brands = coin_brands(data.load_table("actors", REAL_DATA))
    assert brands["Binance"] == "币安" and brands["Huobi"] == "火币" and "OK Group" not in brands


@pytest.mark.parametrize(
    "amount_bound, count_bound, bound",
    [
        ("exact", "exact", "exact"),
        ("exact", "at-least", "at-most"),
        ("exact", "at-most", "at-least"),
        ("at-least", "at-least", None),
        ("about", "exact", "about"),
        ("exact", "about", "about"),
        ("about", "at-least", None),
    ],
)
def test_per_unit_keeps_the_bound(amount_bound, count_bound, bound):
    value, got = per_unit(1000.0, amount_bound, 10, count_bound)
    assert value == 100.0 and got == bound


def test_per_unit_needs_a_positive_count():
    with pytest.raises(ValueError):
        per_unit(1.0, "exact", 0, "exact")


# --- the real data behind the chapter's derived numbers ----------------------------------------------


def moves():
    return data.load_table("exchange_moves", REAL_DATA)


def test_spark_project_money_per_firm_recomputed_from_the_table():
    spark = moves().set_index("move_id").loc["binance-2020-spark-project"]
    assert (spark["amount"], spark["amount_currency"], spark["count"], spark["count_bound"]) == (
        100_000_000,
        "CNY",
        1000,
        "at-least",
    )
    value, bound = per_unit(spark["amount"], spark["amount_bound"], int(spark["count"]), spark["count_bound"])
    assert (value, bound) == (100_000, "at-most")
    assert int(spark["period_months"]) == 24  # 'over the next two years'


def test_amounts_are_the_ones_the_corpus_states():
    table = moves().set_index("move_id")
    wuhan = table.loc["binance-2020-wuhan-donation"]
    assert (wuhan["amount"], wuhan["amount_currency"]) == (1_400_000, "USD") and "$1.4 million" in wuhan["quote"]
    assert "100 million renminbi" in table.loc["binance-2020-spark-project", "quote"]
    assert "over 1,000" in table.loc["binance-2020-spark-project", "quote"]


def test_every_exchange_is_an_exchange_with_a_2017_and_a_2021_exit():
    table = moves()
    actors = data.load_table("actors", REAL_DATA).set_index("actor_id")
    assert set(actors.loc[table["exchange_id"].unique(), "kind"]) == {"exchange"}
    exits = table[table["kind"] == "exit"]
    for exchange in ("binance", "huobi", "ok-group"):
        years = set(data.year_of(exits.loc[exits["exchange_id"] == exchange, "date"]))
        assert {2017, 2021} <= years, exchange


def test_a_rumour_is_never_coded_as_fact():
    table = moves()
    assert (table["kind"] == "rumour").any()
    assert (table.loc[table["kind"] == "rumour", "confidence"] == "reported").all()


def test_a_move_that_is_an_event_has_its_exchange_or_its_vehicle_among_the_event_actors():
    table = moves().dropna(subset=["event_id"])
    actors = data.load_table("actors", REAL_DATA)
    parent = {a: (p if isinstance(p, str) else None) for a, p in zip(actors["actor_id"], actors["parent_id"])}
    links = data.load_table("event_actors", REAL_DATA)
    for move in table.itertuples():
        family = {move.exchange_id} | descendants(parent, move.exchange_id)
        taking_part = set(links.loc[links["event_id"] == move.event_id, "actor_id"])
        assert family & taking_part, move.move_id
