"""Self-repair and refused writes: a damaged site is rebuilt, a bad cache or a half-done swap never blocks a build.

A module-scoped built copy of the project (never the working tree), separate from test_publish.py's so that
the two files run on different workers. Each test puts its inputs back before it ends, and its _build is put
back as it was (a copy, not a rebuild).
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from conftest import set_value
from project_copies import CHAPTER, Edit, built_copy, make_book, site, tree_digest, work

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("kept_build")]


PAGE = Path(CHAPTER).with_suffix(".html").as_posix()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return built_copy(tmp_path_factory, tmp_path_factory.mktemp("repair"))


def _without_checksums(page: bytes) -> bytes:
    return re.sub(rb"\?v=[0-9a-f]+", b"", page)


@pytest.mark.parametrize("damage", ["emptied", "deleted"])
def test_a_damaged_published_page_is_rebuilt_not_reported_up_to_date(project, damage):
    files = sorted(p.relative_to(site(project)) for p in site(project).rglob("*"))
    page = site(project) / PAGE
    original = page.read_bytes()
    page.write_bytes(b"") if damage == "emptied" else page.unlink()
    result = make_book(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "nothing rebuilt" not in result.stdout
    # A rebuild over Sphinx's cache links the theme's files with a checksum (style.css?v=...), which a clean
    # build does not: the page is compared without those, and the file list, not every byte of the site.
    assert _without_checksums(page.read_bytes()) == _without_checksums(original)
    assert sorted(p.relative_to(site(project)) for p in site(project).rglob("*")) == files
    assert "up to date, nothing rebuilt" in make_book(project).stdout


def test_a_build_cache_replaced_by_a_file_does_not_block_the_build(project):
    subprocess.run(["rm", "-rf", str(work(project))], check=True)
    work(project).write_text("not a folder", encoding="utf-8")
    intro = Edit(project / "book" / "intro.md")
    intro.append("\nA sentence added while the cache is a file.\n")
    try:
        result = make_book(project)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "while the cache is a file" in (site(project) / "book" / "intro.html").read_text(encoding="utf-8")
    finally:
        intro.restore()


def test_a_swap_interrupted_then_a_failed_build_leaves_the_previous_site(project):
    before = tree_digest(site(project))
    site(project).rename(project / "_build" / f"html.old-{time.time_ns()}-12345")
    events = Edit(project / "data" / "events.csv")
    try:
        set_value(project / "data" / "events.csv", 4, "track", "crypto-perhaps")
        result = make_book(project)
        assert result.returncode != 0 and "events.csv, row 4" in result.stderr
        assert site(project).is_dir(), "the failed build left no _build/html"
        assert tree_digest(site(project)) == before
    finally:
        events.restore()
    assert make_book(project).returncode == 0


def test_a_build_folder_that_refuses_writes_gives_one_line_and_keeps_the_site(project):
    build = project / "_build"
    if subprocess.run(["chattr", "-R", "+i", str(build)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i (immutable, refused even to root) is not available here")
    before = tree_digest(site(project))
    intro = Edit(project / "book" / "intro.md")
    try:
        intro.append("\nA sentence that cannot be published.\n")
        result = make_book(project)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr, result.stderr
        problems = [line for line in result.stderr.splitlines() if line.startswith("error: cannot write")]
        assert len(problems) == 1 and "_build" in problems[0], result.stderr
        assert tree_digest(site(project)) == before
    finally:
        subprocess.run(["chattr", "-R", "-i", str(build)], check=True)
        intro.restore()
    assert make_book(project).returncode == 0
