"""Shared fixtures: a private copy of the data package to break on purpose, and the project's paths."""

from __future__ import annotations

import atexit
import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

import nbval.kernel
import pytest

from bookbuild.kernels import IpcKernelManager
from bookbuild.toc import notebooks_in_toc
from twotracks.paths import FIGURE_DATA_ENV, ROOT

REAL_DATA = ROOT / "data"


class NbvalKernelManager(IpcKernelManager):
    """nbval's kernels: on Unix sockets of their own (see bookbuild.kernels: with TCP, a kernel started here while
    a build beside it starts another could be given the same ports), and writing the figure files of the chapters
    they re-execute in place to a folder of this run's, never over the committed ones (a test run must not change
    a tracked file, and the figure tests compare against them)."""

    figures = tempfile.mkdtemp(prefix="twotracks-nbval-figures-")
    atexit.register(shutil.rmtree, figures, ignore_errors=True)

    def start_kernel(self, **kw):
        kw.setdefault("env", {**os.environ, FIGURE_DATA_ENV: self.figures})
        return super().start_kernel(**kw)


nbval.kernel.KernelManager = NbvalKernelManager
TOC_NOTEBOOKS = {p.resolve() for p in notebooks_in_toc()}


def pytest_ignore_collect(collection_path: Path, config):
    """nbval runs over the notebooks listed in _toc.yml, and only those (drafts are not the book)."""
    if collection_path.suffix == ".ipynb":
        return collection_path.resolve() not in TOC_NOTEBOOKS
    return None


@pytest.fixture
def kept_build(project: Path, tmp_path: Path):
    """The requesting module's built ``project`` gets its _build back as it was after each test (see KeptBuild)."""
    from project_copies import KeptBuild

    kept = KeptBuild(project, tmp_path)
    yield
    kept.restore()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/."""
    target = tmp_path / "data"
    shutil.copytree(REAL_DATA, target)
    return target


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_value(path: Path, row: int, column: str, value: str) -> None:
    """Set one value: ``row`` counts data rows from 1, as the validator reports them."""
    header, rows = read_table(path)
    rows[row - 1][header.index(column)] = value
    write_table(path, header, rows)


def get_value(path: Path, row: int, column: str) -> str:
    header, rows = read_table(path)
    return rows[row - 1][header.index(column)]


def first_row_where(path: Path, column: str, predicate) -> int:
    header, rows = read_table(path)
    for number, values in enumerate(rows, start=1):
        if predicate(values[header.index(column)]):
            return number
    raise LookupError(f"no row in {path.name} where {column} matches")


def only_problem(data_dir: Path):
    """The one problem validation finds in ``data_dir``; fails listing them all if there is not exactly one."""
    from twotracks.validate import validate

    problems = validate(data_dir)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]
