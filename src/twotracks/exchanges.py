"""The exchanges' moves (data/exchange_moves.csv): which way each move goes, and figures derived from them.

A derived figure keeps the qualifier of what it was derived from: 100 million yuan for "over 1,000"
firms is at most 100,000 yuan a firm, never "100,000 yuan a firm".
"""

from __future__ import annotations

import re

#: Which way a kind of move goes: out of the mainland, back in (as a "blockchain" business), or unconfirmed.
DIRECTION = {
    "exit": "exit",
    "rumour": "rumour",
    **{kind: "return" for kind in (
        "return-institute", "alliance", "lab", "partnership", "forum", "investment", "fund", "donation",
        "membership", "relocation", "rename-relocation",
    )},
}

_BLOCKCHAIN = re.compile(r"blockchain", re.IGNORECASE)
_CRYPTO = re.compile(r"crypto|currenc|bitcoin|coin\b|token|exchange", re.IGNORECASE)


def direction(kind: str) -> str:
    try:
        return DIRECTION[kind]
    except KeyError:
        raise ValueError(f"unknown kind of move {kind!r}; known: {', '.join(DIRECTION)}") from None


def names_blockchain(text: str) -> bool:
    """Does a vehicle's name use the word 'blockchain'?"""
    return bool(_BLOCKCHAIN.search(text))


def names_crypto(text: str) -> bool:
    """Does a vehicle's name use the vocabulary of crypto (crypto, currency, bitcoin, coin, token, exchange)?"""
    return bool(_CRYPTO.search(text))


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
