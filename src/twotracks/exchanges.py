"""The exchanges' moves (data/exchange_moves.csv): which way each move goes, and figures derived from them.

A derived figure keeps the qualifier of what it was derived from: 100 million yuan for "over 1,000"
firms is at most 100,000 yuan a firm, never "100,000 yuan a firm".
"""

from __future__ import annotations

import re

#: What counts as a return (the chapter and the methods page state it): a lasting presence that the exchange,
#: or a body it set up, establishes or commits to in the mainland's blockchain economy, with a named vehicle,
#: partner or place there. A charitable pledge, membership of an international body, or an investment whose
#: target no source names is a move, but not a return ("other").
RETURN_KINDS = (
    "return-institute",
    "alliance",
    "lab",
    "partnership",
    "forum",
    "investment",
    "fund",
    "relocation",
    "rename-relocation",
)
OTHER_KINDS = ("donation", "membership", "investment-unnamed")

#: Which way a kind of move goes: out of the mainland, back in (as a "blockchain" business), neither, or unconfirmed.
DIRECTION = {
    "exit": "exit",
    "rumour": "rumour",
    **{kind: "return" for kind in RETURN_KINDS},
    **{kind: "other" for kind in OTHER_KINDS},
}

_BLOCKCHAIN = re.compile(r"blockchain|区块链", re.IGNORECASE)
#: The vocabulary of crypto, in English and in Chinese (币 is "coin": 比特币, 代币, 币圈).
_CRYPTO = re.compile(r"crypto|currenc|bitcoin|coin\b|token|exchange|币|加密|货币|交易所", re.IGNORECASE)


def direction(kind: str) -> str:
    try:
        return DIRECTION[kind]
    except KeyError:
        raise ValueError(f"unknown kind of move {kind!r}; known: {', '.join(DIRECTION)}") from None


def names_blockchain(text: str) -> bool:
    """Does a vehicle's name use the word 'blockchain'?"""
    return bool(_BLOCKCHAIN.search(text))


def names_crypto(text: str, brands: dict[str, str] | None = None) -> bool:
    """Does a vehicle's name use the vocabulary of crypto (crypto, currency, bitcoin, coin, token, exchange, 币)?

    ``brands`` maps an English brand to its Chinese name (Binance: 币安, Huobi: 火币): a name that carries
    such a brand carries 币, "coin", in Chinese even where the English reads clean. Pass the brands whose
    Chinese name contains 币 (see :func:`coin_brands`).
    """
    if _CRYPTO.search(text):
        return True
    return any(re.search(rf"\b{re.escape(brand)}\b", text) or zh in text for brand, zh in (brands or {}).items())


def coin_brands(actors) -> dict[str, str]:
    """English name -> Chinese name of every actor whose Chinese name contains 币 (coin), from data/actors.csv."""
    rows = actors.dropna(subset=["name_zh"])
    rows = rows[rows["name_zh"].str.contains("币", regex=False)]
    return dict(zip(rows["name_en"], rows["name_zh"]))


#: The bound of a ratio, from the bounds of its numerator and denominator (None: no bound follows).
_RATIO_BOUND = {
    ("exact", "exact"): "exact",
    ("exact", "at-least"): "at-most",
    ("exact", "at-most"): "at-least",
    ("at-least", "exact"): "at-least",
    ("at-least", "at-most"): "at-least",
    ("at-most", "exact"): "at-most",
    ("at-most", "at-least"): "at-most",
}


def per_unit(amount: float, amount_bound: str, count: int, count_bound: str) -> tuple[float, str | None]:
    """amount / count, with what the bounds allow it to be called: 'exact', 'at-most', 'at-least', 'about'.

    An 'about' with an exact figure makes the ratio 'about'; two bounds pointing the same way ('over' an
    amount for 'over' a count), or 'about' against a one-sided bound, bound nothing: the bound is None.
    """
    if count <= 0:
        raise ValueError("a per-unit figure needs a positive count")
    if "about" in (amount_bound, count_bound):
        # 'about' over an exact or approximate figure is approximate; against a one-sided bound it is neither.
        bound = "about" if {amount_bound, count_bound} <= {"about", "exact"} else None
    else:
        bound = _RATIO_BOUND.get((amount_bound, count_bound))
    return amount / count, bound
