"""Executing notebooks under faults: a notebook that fails, is killed or interrupted commits nothing.

Each test works in its own temporary copy of the project (never the working tree). A notebook's figure files
and its stored outputs change only when the whole notebook succeeded; a fault gives one line naming the
notebook, never a traceback.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from project_copies import copy_project, run, stale, tree_digest

pytestmark = pytest.mark.slow

# The quickest chapter to execute (half the first's time): each test here runs it at least once.
CHAPTER = "notebooks/05_coverage_framing.ipynb"
FIGURE = "fig-framing-rates"


def add_cells(project: Path, *sources: str) -> bytes:
    """Append code cells to the chapter; returns the notebook's new bytes."""
    path = project / CHAPTER
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] += [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": s} for s in sources
    ]
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path.read_bytes()


# The chapter has drawn its figures when these run: the first rewrites one figure's data as a figure cell does.
REWRITE_FIGURE = (
    "import pandas as pd\nfrom twotracks.figures import save_figure_data\n"
    f"save_figure_data(pd.DataFrame({{'x': [1]}}), '{FIGURE}')"
)


def execute(project: Path, *args: str) -> subprocess.CompletedProcess:
    return run(project, sys.executable, "-m", "bookbuild.execute", *args)


def test_a_notebook_that_fails_after_its_figure_cells_leaves_the_figure_data_and_stays_stale(tmp_path):
    project = copy_project(tmp_path / "project")
    figures = tree_digest(project / "notebooks" / "figure-data")
    edited = add_cells(project, REWRITE_FIGURE, "raise RuntimeError('a late failure')")
    result = execute(project, CHAPTER)
    assert result.returncode == 1 and "a late failure" in result.stderr
    assert f"{CHAPTER} left as it was, with its figure files" in result.stderr
    assert tree_digest(project / "notebooks" / "figure-data") == figures
    assert (project / CHAPTER).read_bytes() == edited
    check = stale(project)
    assert check.returncode == 1 and f"{CHAPTER}: stale" in check.stdout


def test_a_figure_file_deleted_or_altered_makes_its_notebook_stale(tmp_path):
    project = copy_project(tmp_path / "project")
    result = execute(project, "--all", CHAPTER)
    assert result.returncode == 0, result.stderr
    assert f"{FIGURE}.csv" in result.stdout  # it says what it wrote
    assert execute(project, "--check", CHAPTER).returncode == 0
    figure = project / "notebooks" / "figure-data" / f"{FIGURE}.csv"
    figure.write_text("event_id\norphan\n", encoding="utf-8")
    check = execute(project, "--check", CHAPTER)
    assert check.returncode == 1 and f"figure file {FIGURE}.csv is gone or was altered" in check.stdout


def _start(project: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    for name in ("TWOTRACKS_READ_LOG", "TWOTRACKS_DATA", "TWOTRACKS_FIGURE_DATA"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "bookbuild.execute", *args],
        cwd=project,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_for(marker: Path, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + 120
    while not marker.is_file() or not marker.read_text():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the notebook never reached its sleeping cell"
        time.sleep(0.05)
    return int(marker.read_text())


def _gone(pid: int, within_s: float = 10) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_execution_killed_or_interrupted_after_the_figure_cells_leaves_the_figure_data(tmp_path, sig):
    project = copy_project(tmp_path / "project")
    figures = tree_digest(project / "notebooks" / "figure-data")
    marker = tmp_path / "kernel.pid"
    edited = add_cells(
        project,
        REWRITE_FIGURE,
        f"import os, pathlib, time\npathlib.Path({str(marker)!r}).write_text(str(os.getpid()))\ntime.sleep(300)",
    )
    process = _start(project, "--all", CHAPTER)  # through the worker pool, as make runs it
    kernel = _wait_for(marker, process)
    started = time.monotonic()
    os.killpg(process.pid, sig)  # as a terminal's Ctrl-C does: the whole foreground group
    out, err = process.communicate(timeout=60)
    assert time.monotonic() - started < 15, "execution did not stop promptly"
    assert tree_digest(project / "notebooks" / "figure-data") == figures
    assert (project / CHAPTER).read_bytes() == edited
    assert _gone(kernel), "the kernel outlived the build"
    if sig == signal.SIGINT:
        assert process.returncode == 130, (out, err)
        assert "interrupted" in err and "Traceback" not in err, err
        assert stale(project).returncode == 1


@pytest.mark.parametrize(
    "fault, message",
    [
        ("kernel", "the kernel died while running cell"),
        ("truncated", "not a readable notebook"),
    ],
)
def test_a_dead_kernel_or_a_truncated_notebook_gives_one_line_naming_it(tmp_path, fault, message):
    project = copy_project(tmp_path / "project")
    figures = tree_digest(project / "notebooks" / "figure-data")
    if fault == "kernel":
        add_cells(project, REWRITE_FIGURE, "import os\nos._exit(1)")
    else:
        path = project / CHAPTER
        path.write_bytes(path.read_bytes()[:5000])
    edited = (project / CHAPTER).read_bytes()
    for args in ([CHAPTER], ["--check"]) if fault == "truncated" else ([CHAPTER],):
        result = execute(project, *args)
        assert result.returncode == 1
        problems = [line for line in result.stderr.splitlines() if CHAPTER in line and message in line]
        assert len(problems) == 1, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
    assert (project / CHAPTER).read_bytes() == edited
    assert tree_digest(project / "notebooks" / "figure-data") == figures


def test_a_package_property_a_notebook_read_is_hashed_and_its_change_noticed(tmp_path, monkeypatch):
    """A chapter that states the data's as_of records `datapackage.json#as_of`: a property, not a table."""
    from bookbuild import execute

    (tmp_path / "data").mkdir()
    descriptor = tmp_path / "data" / "datapackage.json"
    descriptor.write_text(json.dumps({"as_of": "2026-11-22", "resources": [{"name": "events"}]}), encoding="utf-8")
    monkeypatch.setattr(execute, "ROOT", tmp_path)
    before = execute.input_hash("data/datapackage.json#as_of")
    assert before is not None  # None would mean "input gone": the chapter would be stale for ever
    assert execute.input_hash("data/datapackage.json#events") not in (None, before)
    descriptor.write_text(json.dumps({"as_of": "2026-12-01", "resources": [{"name": "events"}]}), encoding="utf-8")
    assert execute.input_hash("data/datapackage.json#as_of") != before
    assert execute.input_hash("data/datapackage.json#no-such-part") is None


def test_kernels_talk_over_unix_sockets_of_their_own_never_tcp_ports():
    """Two kernels started at once in different processes could be given the same free TCP ports; a socket path
    of its own cannot be given twice."""
    import glob

    import nbval.kernel

    from bookbuild.kernels import AsyncIpcKernelManager, IpcKernelManager

    assert issubclass(nbval.kernel.KernelManager, IpcKernelManager)  # tests/conftest.py gives nbval this manager
    managers = [IpcKernelManager(kernel_name="python3"), AsyncIpcKernelManager(kernel_name="python3")]
    assert [m.transport for m in managers] == ["ipc", "ipc"] and managers[0].ip != managers[1].ip
    km = managers[0]
    km.start_kernel(stderr=subprocess.DEVNULL)
    try:
        client = km.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        assert km.get_connection_info()["transport"] == "ipc" and glob.glob(km.ip + "-*")
        client.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
    assert not glob.glob(km.ip + "-*"), "the kernel's socket files were left behind"
