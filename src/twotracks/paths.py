"""Where things live. The project root is found from the working directory, never from the installed package.

``root()`` is the nearest folder, from the working directory upward, holding ``_config.yml``; so a copy of
the project (with its own ``.venv`` or not) builds itself. ``ROOT`` and ``FIGURE_DATA_DIR`` remain as
module attributes, computed when first asked for. The data directory is defined here and nowhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Set TWOTRACKS_DATA to run the notebooks over another data directory (`make DATA=dir` sets it).
DATA_ENV = "TWOTRACKS_DATA"
#: Set by the build while it executes a notebook: figure files go to this staging folder (machinery-build).
FIGURE_DATA_ENV = "TWOTRACKS_FIGURE_DATA"
MARKER = "_config.yml"


def root(start: Path | None = None) -> Path:
    """The project root: the nearest folder from ``start`` (default: the working directory) holding _config.yml."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    raise FileNotFoundError(f"{here}: no {MARKER} here or in any folder above: run this inside the project")


def data_dir(start: Path | None = None) -> Path:
    """The data directory in use: $TWOTRACKS_DATA if set (relative to the working directory), else data/."""
    override = os.environ.get(DATA_ENV)
    return Path(override).resolve() if override else root(start) / "data"


def figure_data_dir() -> Path:
    """Where figure files are written: $TWOTRACKS_FIGURE_DATA if set, else notebooks/figure-data/."""
    override = os.environ.get(FIGURE_DATA_ENV)
    return Path(override) if override else root() / "notebooks" / "figure-data"


def relative_to_root(path: Path) -> str:
    """A path relative to the project root (POSIX). Raises ValueError for a path outside the project."""
    path, project = Path(path).resolve(), root()
    try:
        return path.relative_to(project).as_posix()
    except ValueError:
        raise ValueError(
            f"{path} is outside the project {project}: the build records only project-relative "
            f"paths, so {DATA_ENV} (or make's DATA) must be a folder inside the project"
        ) from None


def __getattr__(name: str) -> Path:  # ROOT and FIGURE_DATA_DIR, computed on first use (PEP 562)
    if name == "ROOT":
        return root()
    if name == "FIGURE_DATA_DIR":
        return figure_data_dir()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
