"""The framing chapter's term lists and actor-name variants, defined once, here, before any counting.

Three families of terms are counted:

* ``blockchain``: the technology the state promotes, and its state-backed networks by name;
* ``crypto``: cryptocurrencies, tokens and the trade in them, including the translation "currency circle"
  (币圈, the crypto industry) and the bare "digital currency";
* ``state-currency``: the central bank's own digital currency (the digital yuan, e-CNY, CBDC). It is
  counted apart, never as crypto, as the methods page codes it. Where a phrase could be either ("central
  bank digital currency" contains "digital currency"), the longer, state-currency term wins.

Left out on purpose: "mining" and "exchange" (also data mining, foreign exchange), "coin" alone, and
"chain" alone (supply chain).
"""

from __future__ import annotations

import re

import pandas as pd

from .text import Term, compile_terms

TERMS: dict[str, list[str]] = {
    "blockchain": [
        "blockchain",
        "blockchains",
        "block chain",
        "block chains",
        "distributed ledger",
        "distributed ledgers",
        "DLT",
        "BSN",
        "Blockchain-based Service Network",
        "ChainMaker",
        "Chang'an Chain",
        "alliance chain",
        "alliance chains",
        "consortium chain",
        "consortium chains",
        "public chain",
        "public chains",
    ],
    "crypto": [
        "crypto",
        "cryptos",
        "cryptocurrency",
        "cryptocurrencies",
        "digital currency",
        "digital currencies",
        "virtual currency",
        "virtual currencies",
        "virtual digital currency",
        "virtual digital currencies",
        "currency circle",
        "currency circles",
        "bitcoin",
        "bitcoins",
        "BTC",
        "token",
        "tokens",
        "NFT",
        "NFTs",
        "non-fungible token",
        "non-fungible tokens",
        "stablecoin",
        "stablecoins",
        "initial coin offering",
        "initial coin offerings",
        "ICO",
        "ICOs",
    ],
    "state-currency": [
        "digital yuan",
        "digital renminbi",
        "digital RMB",
        "e-CNY",
        "DCEP",
        "CBDC",
        "CBDCs",
        "central bank digital currency",
        "central bank digital currencies",
        "centrally backed digital currency",
    ],
}
FAMILIES = tuple(TERMS)

#: How the corpus writes actors whose names differ from data/actors.csv: translation artefacts, typos,
#: short forms and other names. Each is documented in the actor's notes or in the seeds' description.
ACTOR_VARIANTS: dict[str, list[str]] = {
    "state-council": ["State Council"],
    "xi-jinping": ["Xi"],
    "zhongshang-beidou": ["Zhongshang Beidon"],
    "duan-hongtao": ["Hongtao Duan"],
    "ok-group": ["Eurotech", "Eurotech Group"],
    "anda-chain": ["Andachain"],
    "hai-yu": ["Hai Yu", "Haiyu"],  # seed 003's spellings of Helen Hai (see the actor's notes)
    "cai-weide": ["Weide"],
    "red-date": ["Red Date"],
    "alibaba": ["Alibaba"],
    "huobi": ["Huobi China"],
    "ccid": ["China Electronic Information Industry Development Research Institute"],
    "ccid-qingdao-institute": ["Qingdao blockchain research center"],
    "lingang-institute": [
        "Lingang Blockchain Technology Industry Research Institute",
        "Binance China Blockchain Institute",
    ],
    "lingang-new-area": ["Lingang New Area", "Lingang Free Trade Zone", "Shanghai Lingang Free Trade Zone"],
    "nbtic": [
        "National Blockchain Technology Innovation Centre",
        "Blockchain National Innovation Center",
        "national blockchain innovation center",
    ],
    "babec": ["Microchip Research Institute"],
    "pboc-shanghai": ["People's Bank of China Shanghai headquarters"],
    "shanghai-government": ["Shanghai Municipal Government"],
    "beijing-government": ["Beijing municipal government"],
    "shandong-government": ["Shandong Provincial Government", "People's Government of Shandong Province"],
    "yangpu-district": ["Yangpu District"],
}

_PARENTHETICAL = re.compile(r"\s*\([^)]*\)")


def term_list() -> list[Term]:
    return compile_terms(TERMS)


def actor_terms(actors: pd.DataFrame) -> list[Term]:
    """Each actor's English name (without a parenthetical), its abbreviation, and its corpus variants."""
    variants: dict[str, list[str]] = {}
    for _, actor in actors.iterrows():
        names = [_PARENTHETICAL.sub("", actor["name_en"]).strip()]
        if pd.notna(actor["abbreviation"]):
            names.append(actor["abbreviation"])
        names += ACTOR_VARIANTS.get(actor["actor_id"], [])
        variants[actor["actor_id"]] = list(dict.fromkeys(names))
    unknown = set(ACTOR_VARIANTS) - set(variants)
    if unknown:
        raise KeyError(f"variants for actors not in the actors table: {sorted(unknown)}")
    return compile_terms(variants)
