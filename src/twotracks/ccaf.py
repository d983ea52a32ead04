"""Clean the CCAF Bitcoin Mining Map export (data/raw/), which is kept exactly as it came.

The export's quirks, each handled here and tested: shares are strings with a '%' sign ("75.53%"), one
country name contains a comma and is quoted ("Iran, Islamic Rep."), and two names carry a footnote
asterisk ("Germany *"), which CCAF uses to flag figures it warns may be misattributed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .data import load_table

TABLE = "ccaf_mining_map_country_share"
CHINA = "Mainland China"
_SHARE = re.compile(r"(\d+(?:\.\d+)?)%")
_FOOTNOTE = re.compile(r"\s*\*+$")


def parse_share(text: str) -> float:
    """'75.53%' -> 75.53 (percentage points). Raises ValueError naming the bad value."""
    match = _SHARE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a percentage such as '75.53%'")
    return float(match.group(1))


def split_footnote(country: str) -> tuple[str, bool]:
    """'Germany *' -> ('Germany', True); 'Iran, Islamic Rep.' -> ('Iran, Islamic Rep.', False)."""
    cleaned = _FOOTNOTE.sub("", country)
    return cleaned.strip(), cleaned != country


def hashrate_share(root: Path | None = None) -> pd.DataFrame:
    """Tidy monthly shares: month, country, footnote flag, share_pct, hashrate_eh_s; sorted by month, country."""
    raw = load_table(TABLE, root)
    names = raw["country"].map(split_footnote)
    tidy = pd.DataFrame(
        {
            "month": raw["date"],
            "country": names.map(lambda pair: pair[0]).astype("string"),
            "footnote": names.map(lambda pair: pair[1]),
            "share_pct": raw["monthly_hashrate_%"].map(parse_share).astype(float),
            "hashrate_eh_s": raw["monthly_absolute_hashrate_EH/S"].astype(float),
        }
    )
    return tidy.sort_values(["month", "country"], ignore_index=True)


def china_share(root: Path | None = None) -> pd.DataFrame:
    """Mainland China's monthly share of the global hashrate: month, share_pct, hashrate_eh_s."""
    tidy = hashrate_share(root)
    china = tidy[tidy["country"] == CHINA]
    return china[["month", "share_pct", "hashrate_eh_s"]].reset_index(drop=True)
