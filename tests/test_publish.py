"""Atomic publishing under faults: each leaves the last good site byte-identical, and the next build recovers.

One module-scoped built copy of the project (never the working tree) is faulted in turn: a failing
notebook, a broken data row, a build killed while Sphinx writes, a swap interrupted between its renames,
and a cache truncated and garbled on disk. Each test puts its inputs back before it ends, and its _build is
put back as it was (a copy, not a rebuild).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import set_value
from project_copies import CHAPTER, VENV_BIN, Edit, built_copy, make_book, site, tree_digest, work

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("kept_build")]

PAGE = Path(CHAPTER).with_suffix(".html").as_posix()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return built_copy(tmp_path_factory, tmp_path_factory.mktemp("publish"))


def break_notebook(project: Path) -> None:
    path = project / CHAPTER
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["source"] = "raise RuntimeError('a deliberate failure')"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def break_row(project: Path) -> None:
    set_value(project / "data" / "events.csv", 4, "track", "crypto-perhaps")


@pytest.mark.parametrize(
    "fault, edited, message",
    [
        (break_notebook, CHAPTER, "a deliberate failure"),
        (break_row, "data/events.csv", "events.csv, row 4 (line 5), column 'track'"),
    ],
)
def test_a_failed_build_keeps_the_site_and_the_next_build_recovers(project, fault, edited, message):
    before = tree_digest(site(project))
    edit = Edit(project / edited)
    try:
        fault(project)
        result = make_book(project)
        assert result.returncode != 0 and message in result.stderr
        assert tree_digest(site(project)) == before
    finally:
        edit.restore()
    result = make_book(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree_digest(site(project)) == before  # the inputs are as the site was built from: nothing to redo


def test_a_build_killed_while_sphinx_writes_keeps_the_site_and_the_next_build_recovers(project):
    before = tree_digest(site(project))
    intro = Edit(project / "book" / "intro.md")
    intro.append("\nA sentence added before the build that is killed.\n")
    pages = work(project) / "_build" / "html"
    try:
        # From an empty cache, so Sphinx writes every page and the kill lands among half-written files.
        subprocess.run(["rm", "-rf", str(work(project))], check=True)
        venv = VENV_BIN.parent
        env = {**os.environ, "PYTHONPATH": str(project / "src")}
        env.pop("TWOTRACKS_DATA", None)
        env.pop("TWOTRACKS_READ_LOG", None)
        build = subprocess.Popen(
            ["make", "book", f"VENV={venv}", "-o", f"{venv}/.installed"],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while not (pages.is_dir() and any(pages.rglob("*.html"))):
            assert build.poll() is None, "the build ended before it could be killed: the test proves nothing"
            assert time.monotonic() < deadline, "Sphinx never started writing pages"
            time.sleep(0.005)
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
        time.sleep(0.5)  # an orphaned Sphinx (there should be none) would go on writing meanwhile
        assert tree_digest(site(project)) == before, "a killed build changed the published site"

        result = make_book(project)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "before the build that is killed" in (site(project) / "book" / "intro.html").read_text(encoding="utf-8")
        for page in [*site(project).glob("book/*.html"), *site(project).glob("notebooks/*.html")]:
            assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), f"{page} is incomplete"
        assert "starting from an empty cache" in result.stdout
    finally:
        intro.restore()


def test_a_swap_interrupted_between_its_renames_is_undone(project):
    """A build that died after moving the old site aside but before moving the new one in."""
    before = tree_digest(site(project))
    build = project / "_build"
    stamp = f"{time.time_ns()}-12345"
    site(project).rename(build / f"html.old-{stamp}")
    staged = build / f"html.new-{stamp}"
    staged.mkdir()
    (staged / "index.html").write_text("<html>half a copy", encoding="utf-8")
    result = make_book(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date, nothing rebuilt" in result.stdout
    assert tree_digest(site(project)) == before
    assert not list(build.glob("html.new-*")) and not list(build.glob("html.old-*"))


def test_a_corrupted_cache_is_never_published(project):
    before = tree_digest(site(project))
    chapter_page = (site(project) / PAGE).read_bytes()
    cached_page = work(project) / "_build" / "html" / PAGE
    assert cached_page.is_file()
    cached_page.write_bytes(cached_page.read_bytes()[:500])  # truncated
    pickles = sorted(work(project).rglob("*.pickle"))
    assert pickles
    pickles[0].write_bytes(b"garbage" * 100)  # garbled
    # Nothing changed in the inputs: the site stays exactly as it was, whatever the cache holds.
    result = make_book(project)
    assert result.returncode == 0 and "up to date" in result.stdout
    assert tree_digest(site(project)) == before
    # An unrelated page changes: Sphinx alone would keep the truncated chapter page it thinks is current.
    intro = Edit(project / "book" / "intro.md")
    intro.append("\nA sentence added while the cache is corrupt.\n")
    try:
        result = make_book(project)
        assert result.returncode == 0, result.stdout + result.stderr
        assert (site(project) / PAGE).read_bytes() == chapter_page
        assert "starting from an empty cache" in result.stdout
        assert "while the cache is corrupt" in (site(project) / "book" / "intro.html").read_text(encoding="utf-8")
    finally:
        intro.restore()


def test_the_cache_is_reused_when_it_is_intact(project):
    intro = Edit(project / "book" / "intro.md")
    intro.append("\nAnother sentence.\n")
    try:
        result = make_book(project)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "empty cache" not in result.stdout
    finally:
        intro.restore()
