"""The regional helpers: first moves (missing stays missing) and the tile-grid map."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from twotracks import regions  # noqa: E402

PROVINCES = pd.DataFrame(
    {
        "province_code": ["CN-AA", "CN-BB", "CN-CC"],
        "name_en": ["A", "B", "C"],
        "tile_col": [0, 1, 0],
        "tile_row": [0, 0, 1],
    }
)


def policy(pid, code, date, level="provincial", initiator="government", kind="plan", date_kind="issued"):
    return {
        "policy_id": pid,
        "province_code": code,
        "date": date,
        "level": level,
        "initiator": initiator,
        "kind": kind,
        "date_kind": date_kind,
    }


def frame(*rows):
    return pd.DataFrame(list(rows)).astype("string")


def test_earliest_local_move_wins_whatever_the_precision_or_order():
    policies = frame(
        policy("2020-a", "CN-AA", "2020-03-23"), policy("2019-a", "CN-AA", "2019"), policy("2019-b", "CN-AA", "2019-06")
    )
    first = regions.first_moves(policies, PROVINCES).set_index("province_code")
    assert first.loc["CN-AA", "first_policy_id"] == "2019-a"
    assert first.loc["CN-AA", "first_year"] == 2019 and first.loc["CN-AA", "n_moves"] == 3


def test_company_and_central_moves_are_not_the_provinces():
    policies = frame(
        policy("2017-a", "CN-BB", "2017", level="central", initiator="state-backed-institute"),
        policy("2018-b", "CN-BB", "2018", level="enterprise", initiator="company"),
        policy("2020-b", "CN-BB", "2020-02-04", date_kind="by", kind="work-report"),
    )
    first = regions.first_moves(policies, PROVINCES).set_index("province_code")
    assert first.loc["CN-BB", "first_year"] == 2020 and first.loc["CN-BB", "n_moves"] == 1


def test_a_province_with_nothing_recorded_is_missing_not_zero():
    first = regions.first_moves(frame(policy("2020-a", "CN-AA", "2020")), PROVINCES).set_index("province_code")
    assert pd.isna(first.loc["CN-CC", "first_year"]) and pd.isna(first.loc["CN-CC", "n_moves"])
    assert list(first.index) == ["CN-AA", "CN-BB", "CN-CC"]  # recorded first, then the missing, by code


def test_tile_map_hatches_missing_provinces_and_lists_them_in_the_legend():
    fig, ax = plt.subplots()
    values = pd.Series({"CN-AA": 2017, "CN-BB": pd.NA, "CN-CC": 2020})
    regions.draw_tile_map(ax, PROVINCES, values, [2017, 2020], {2017: "#08306B", 2020: "#C6DBEF"})
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(ax.patches) == 3 and len(hatched) == 1
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2017", "2020", regions.NOT_RECORDED]
    plt.close(fig)


def test_the_population_is_the_31_mainland_divisions():
    from conftest import REAL_DATA

    from twotracks import data

    provinces = data.load_table("provinces", REAL_DATA)
    inside = regions.mainland(provinces)
    assert len(inside) == 31
    assert not {"CN-HK", "CN-MO", "CN-TW"} & set(inside["province_code"])


def test_tile_map_key_spells_out_every_code():
    fig, (ax, key) = plt.subplots(1, 2)
    values = pd.Series({"CN-AA": 2017, "CN-BB": pd.NA, "CN-CC": 2020})
    regions.draw_tile_map(ax, PROVINCES, values, [2017, 2020], {2017: "#08306B", 2020: "#C6DBEF"}, key_ax=key)
    texts = [t.get_text() for t in key.texts]
    assert texts[0] == "Key to the codes"
    assert [texts[i] for i in range(1, len(texts), 2)] == ["AA", "BB", "CC"] and texts[2::2] == ["A", "B", "C"]
    plt.close(fig)
