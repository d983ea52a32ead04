"""Cleaning the raw CCAF export: percent strings, the quoted comma, the footnote asterisks."""

from __future__ import annotations

import csv

import pytest
from conftest import REAL_DATA

from twotracks.ccaf import CHINA, china_share, hashrate_share, parse_share, split_footnote

RAW = REAL_DATA / "raw" / "ccaf_mining_map_country_share.csv"


@pytest.mark.parametrize(
    "text, value", [("75.53%", 75.53), ("0.0%", 0.0), ("6.1%", 6.1), (" 34.25% ", 34.25), ("100%", 100.0)]
)
def test_parse_share(text, value):
    assert parse_share(text) == value


@pytest.mark.parametrize("text", ["75.53", "%", "abc%", "-1%", "75,53%", ""])
def test_parse_share_rejects_what_is_not_a_percentage(text):
    with pytest.raises(ValueError, match="is not a percentage"):
        parse_share(text)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Germany *", ("Germany", True)),
        ("Ireland *", ("Ireland", True)),
        ("Iran, Islamic Rep.", ("Iran, Islamic Rep.", False)),
        ("Mainland China", ("Mainland China", False)),
    ],
)
def test_split_footnote(raw, expected):
    assert split_footnote(raw) == expected


def test_every_raw_row_is_kept_and_parsed_to_the_same_value():
    with RAW.open(encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle))
    tidy = hashrate_share(REAL_DATA)
    assert len(tidy) == len(raw) == 290
    lookup = {(r["date"], split_footnote(r["country"])[0]): float(r["monthly_hashrate_%"].rstrip("%")) for r in raw}
    for row in tidy.itertuples():
        assert row.share_pct == lookup[(row.month.strftime("%Y-%m-%d"), row.country)]


def test_the_quoted_country_with_a_comma_survives_as_one_name():
    countries = set(hashrate_share(REAL_DATA)["country"])
    assert "Iran, Islamic Rep." in countries
    assert not {"Iran", " Islamic Rep."} & countries
    assert len(countries) == 10


def test_footnoted_countries_are_flagged_not_renamed_apart():
    tidy = hashrate_share(REAL_DATA)
    assert set(tidy.loc[tidy["footnote"], "country"]) == {"Germany", "Ireland"}


def test_monthly_shares_add_up_to_about_100():
    totals = hashrate_share(REAL_DATA).groupby("month")["share_pct"].sum()
    assert len(totals) == 29
    assert totals.between(99.0, 101.0).all(), totals[~totals.between(99.0, 101.0)]


def test_china_series_matches_the_export():
    china = china_share(REAL_DATA).set_index("month")["share_pct"]
    assert china["2019-09-01"] == 75.53
    assert china["2021-06-01"] == 34.25
    assert china["2021-07-01"] == 0.0
    assert china["2022-01-01"] == 21.11
    assert china.index.is_monotonic_increasing and china.index.is_unique
    assert CHINA == "Mainland China"
