"""The house figure style, and publishing a figure with its source line and its plotted data.

Colours are the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies. Figures
are drawn on an opaque white card so that they read the same in the book's light and dark themes and
paste cleanly into a slide.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

from .paths import FIGURE_DATA_DIR

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#7F7F7F",
}

TRACKS = ("blockchain-yes", "crypto-no", "other")
TRACK_COLOURS = {"blockchain-yes": OKABE_ITO["blue"], "crypto-no": OKABE_ITO["vermillion"], "other": OKABE_ITO["grey"]}
TRACK_LABELS = {"blockchain-yes": "Blockchain yes", "crypto-no": "Crypto no", "other": "Other"}
#: Marker shapes double the colour coding, so the tracks stay apart in greyscale print.
TRACK_MARKERS = {"blockchain-yes": "o", "crypto-no": "s", "other": "D"}

HOUSE_STYLE = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 110,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "text.color": "#222222",
    "axes.labelcolor": "#222222",
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[c] for c in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "black")]),
    "svg.hashsalt": "twotracks",  # fixed ids, so an SVG export is byte-identical run to run
}


def use_house_style() -> None:
    """Apply the house style to every figure drawn after this call."""
    mpl.rcParams.update(HOUSE_STYLE)


def add_source_line(fig: mpl.figure.Figure, source: str) -> None:
    """Write 'Source: ...' in small grey type under the plot, as every published figure carries."""
    fig.text(0.01, 0.005, f"Source: {source}", ha="left", va="bottom", fontsize=7.5, color="#555555", wrap=True)
    fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, 0.17))


def figure_data_path(name: str) -> Path:
    return FIGURE_DATA_DIR / f"{name}.csv"


def save_figure_data(frame: pd.DataFrame, name: str) -> Path:
    """Write the data a figure plots as CSV beside the notebooks, for the reader to download."""
    path = figure_data_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


def publish_figure(fig: mpl.figure.Figure, name: str, data: pd.DataFrame, source: str) -> None:
    """Finish a figure for the book: source line, plotted data saved as CSV, glued under ``name``.

    The book places it with a ``glue:figure`` directive that gives its caption, alt text and label.
    """
    from myst_nb import glue

    add_source_line(fig, source)
    save_figure_data(data, name)
    glue(name, fig, display=False)
    plt.close(fig)
