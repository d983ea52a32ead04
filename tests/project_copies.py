"""Temporary copies of the project, for the tests that build it or break it on purpose.

A copy runs with its own packages first on the path, so every path the build uses points into the copy;
the working tree is never touched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from twotracks.paths import ROOT

VENV_BIN = Path(sys.executable).parent
COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".lock-venv",
    "_build",
    ".git",
    "__pycache__",
    ".pytest_cache",
    "*.egg-info",
    "_generated",
    "node_modules",
    ".venv-lab",
)
CHAPTER = "notebooks/01_two_tracks_over_time.ipynb"


def copy_project(target: Path) -> Path:
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    if (ROOT / "node_modules").is_dir():  # the site's npm packages: read only, so linked rather than copied
        (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def run(project: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    env.pop("TWOTRACKS_READ_LOG", None)
    env.pop("TWOTRACKS_DATA", None)
    result = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
    return result


def make_book(project: Path) -> subprocess.CompletedProcess:
    """`make book` in the copy, with this test run's environment treated as already installed."""
    venv = VENV_BIN.parent
    return run(
        project, "make", "book", f"VENV={venv}", "-o", f"{venv}/.installed", "-o", "node_modules/.package-lock.json"
    )


def built_copy(parent: Path) -> Path:
    """A copy of the project under ``parent`` with its site built by `make book`."""
    project = copy_project(parent / "project")
    result = make_book(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def stale(project: Path) -> subprocess.CompletedProcess:
    return run(project, sys.executable, "-m", "bookbuild.execute", "--check")


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Edit:
    """Change a file for a test, and put its exact bytes back afterwards."""

    def __init__(self, path: Path):
        self.path = path
        self.original = path.read_bytes()

    def append(self, text: str) -> None:
        self.path.write_text(self.original.decode("utf-8") + text, encoding="utf-8")

    def restore(self) -> None:
        self.path.write_bytes(self.original)
