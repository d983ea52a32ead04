"""The regional chapter's helpers: each province's first recorded move, and the tile-grid map.

A province with no recorded move is *missing* (pandas <NA>), never zero: "not recorded" means the
sources are silent, not that the province did nothing. The map draws such squares hatched grey and
labels them so in its legend.
"""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from .data import start_of

#: Levels of government whose moves count as the province's own (a central ministry's institute or a
#: company's lab in the province is shown, but is not the province competing).
LOCAL_LEVELS = ("provincial", "municipal", "district")
NOT_RECORDED = "not recorded"

#: The population of the regional analysis: the 31 mainland provincial-level divisions. Hong Kong and Macao
#: (special administrative regions, their own legal systems) have their own chapter; Taiwan, which ISO 3166-2:CN
#: lists as a province, is outside the report.
OUTSIDE_SCOPE_KINDS = ("special-administrative-region",)
OUTSIDE_SCOPE_CODES = ("CN-TW",)


def mainland(provinces: pd.DataFrame) -> pd.DataFrame:
    """The mainland provincial-level divisions: provinces, autonomous regions and municipalities, without
    the special administrative regions and without Taiwan."""
    keep = ~provinces["kind"].isin(OUTSIDE_SCOPE_KINDS) & ~provinces["province_code"].isin(OUTSIDE_SCOPE_CODES)
    return provinces[keep]


def local_government_moves(policies: pd.DataFrame) -> pd.DataFrame:
    """The rows in which a provincial, city or district government acted."""
    mask = (policies["initiator"] == "government") & policies["level"].isin(LOCAL_LEVELS)
    return policies[mask]


def first_moves(policies: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """One row per province: its earliest recorded local-government move, or <NA> where none is recorded.

    Columns: province_code, name_en, first_date (as recorded), first_start (first day it covers),
    first_year (Int64), first_policy_id, first_date_kind, n_moves (recorded local-government rows).
    Ties on the same start are broken by policy_id, so the result does not depend on row order.
    """
    moves = local_government_moves(policies).assign(start=lambda f: start_of(f["date"]))
    moves = moves.sort_values(["province_code", "start", "policy_id"])
    first = moves.groupby("province_code", sort=True).head(1).set_index("province_code")
    counts = moves.groupby("province_code").size()
    out = provinces[["province_code", "name_en"]].copy()
    out["first_date"] = out["province_code"].map(first["date"]).astype("string")
    out["first_start"] = out["province_code"].map(first["start"])
    out["first_year"] = out["first_start"].dt.year.astype("Int64")
    out["first_policy_id"] = out["province_code"].map(first["policy_id"]).astype("string")
    out["first_date_kind"] = out["province_code"].map(first["date_kind"]).astype("string")
    out["n_moves"] = out["province_code"].map(counts).astype("Int64")  # <NA>, not 0, where nothing is recorded
    return out.sort_values(["first_start", "province_code"], na_position="last", ignore_index=True)


def draw_tile_map(
    ax: mpl.axes.Axes,
    provinces: pd.DataFrame,
    values: pd.Series,
    categories: list,
    colours: dict,
    labels: dict | None = None,
    key_ax: mpl.axes.Axes | None = None,
    key_columns: int = 2,
) -> None:
    """One square per province at (tile_col, tile_row), coloured by ``values`` (indexed by province_code).

    ``values`` holds one of ``categories`` or <NA> per province; <NA> squares are hatched grey and
    listed in the legend as "not recorded". ``labels`` names the categories in the legend. With ``key_ax``,
    the two-letter codes on the squares are spelled out there (code and English name, by code), in
    ``key_columns`` columns.
    """
    labels = labels or {c: str(c) for c in categories}
    for _, row in provinces.iterrows():
        value = values.get(row["province_code"], pd.NA)
        x, y = int(row["tile_col"]), -int(row["tile_row"])
        missing = pd.isna(value)
        ax.add_patch(
            Rectangle(
                (x, y),
                0.94,
                0.94,
                facecolor="#F2F2F2" if missing else colours[value],
                edgecolor="#999999" if missing else "white",
                hatch="////" if missing else None,
                linewidth=0.8,
            )
        )
        red, green, blue = mpl.colors.to_rgb("#F2F2F2" if missing else colours[value])
        dark = 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45  # white labels on dark squares
        ax.text(
            x + 0.47,
            y + 0.47,
            row["province_code"].removeprefix("CN-"),
            ha="center",
            va="center",
            fontsize=8.5,
            fontweight="bold",
            color="white" if dark else "#222222",
        )
    ax.set_xlim(-0.2, provinces["tile_col"].max() + 1.2)
    ax.set_ylim(-provinces["tile_row"].max() - 0.2, 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    handles = [Patch(facecolor=colours[c], label=labels[c]) for c in categories]
    handles.append(Patch(facecolor="#F2F2F2", edgecolor="#999999", hatch="////", label=NOT_RECORDED))
    if key_ax is None:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
    else:  # the key takes the space beside the map: the legend goes in the map's empty upper-left corner
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 1.0), ncol=2, fontsize=9, frameon=False)
        draw_code_key(key_ax, provinces, key_columns)


def draw_code_key(ax: mpl.axes.Axes, provinces: pd.DataFrame, columns: int = 2, fontsize: float = 9) -> None:
    """Spell out the tile map's two-letter codes: 'AH  Anhui', ..., by code, in ``columns`` columns."""
    entries = sorted(zip(provinces["province_code"].str.removeprefix("CN-"), provinces["name_en"]))
    per_column = -(-len(entries) // columns)
    ax.axis("off")
    ax.set_xlim(0, columns)
    ax.set_ylim(per_column, -1)
    ax.text(0, -1, "Key to the codes", fontsize=fontsize, fontweight="bold", va="top")
    for i, (code, name) in enumerate(entries):
        column, row = divmod(i, per_column)
        ax.text(column, row, code, fontsize=fontsize, fontweight="bold", va="top", family="monospace")
        ax.text(column + 0.17, row, name, fontsize=fontsize, va="top")
