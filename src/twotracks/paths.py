"""Where things live. Every path the package uses is derived here, from the repository root."""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root: the folder holding _config.yml (src/twotracks/paths.py is three levels down).
ROOT = Path(__file__).resolve().parents[2]

#: Set TWOTRACKS_DATA to run the notebooks over another data directory (the scale benchmark does).
DATA_ENV = "TWOTRACKS_DATA"

#: Set by the build while it executes a notebook: figure files go to this staging folder, and the build moves
#: them into notebooks/figure-data/ only if the whole notebook succeeded.
FIGURE_DATA_ENV = "TWOTRACKS_FIGURE_DATA"


def figure_data_dir() -> Path:
    """Where figure files are written: $TWOTRACKS_FIGURE_DATA if set, else notebooks/figure-data/."""
    override = os.environ.get(FIGURE_DATA_ENV)
    return Path(override) if override else ROOT / "notebooks" / "figure-data"


#: The folder where notebooks write the plotted data behind each figure, offered as downloads (read once, when
#: the kernel imports the package: the build sets the variable before it starts the kernel).
FIGURE_DATA_DIR = figure_data_dir()


def data_dir() -> Path:
    """The data directory in use: $TWOTRACKS_DATA if set, else data/ in the repository."""
    override = os.environ.get(DATA_ENV)
    return Path(override).resolve() if override else ROOT / "data"


def relative_to_root(path: Path) -> str:
    """A path as the reader sees it in the repository (POSIX, relative to the root where possible)."""
    path = Path(path).resolve()
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()
