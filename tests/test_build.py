"""The build: stale-notebook detection, byte-identical re-execution, a -W build, and safe failure.

These run in a temporary copy of the project (never in the working tree), with the copy's own packages
first on the path, so the build's paths all point into the copy.
"""

from __future__ import annotations

import json
import re
import sys

import pytest
from conftest import set_value
from project_copies import CHAPTER, built_copy, copy_project, make_book, run, stale, tree_digest

from bookbuild.toc import notebooks_in_toc
from twotracks.paths import ROOT


def test_committed_notebooks_are_current_with_their_inputs():
    """Every notebook's stored outputs were produced from its present code, package and data."""
    result = run(ROOT, sys.executable, "-m", "bookbuild.execute", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert notebooks_in_toc(), "the book lists no notebook"


def test_each_notebook_records_the_data_it_reads():
    for path in notebooks_in_toc():
        stamp = json.loads(path.read_text(encoding="utf-8"))["metadata"]["twotracks_inputs"]
        assert stamp["files"], f"{path.name} records no data file"
        assert all((ROOT / name.partition("#")[0]).is_file() for name in stamp["files"])


def test_changing_a_data_file_makes_only_its_readers_stale(tmp_path):
    project = copy_project(tmp_path / "project")
    readers = {
        p.relative_to(ROOT).as_posix()
        for p in notebooks_in_toc()
        if "data/events.csv" in json.loads(p.read_text(encoding="utf-8"))["metadata"]["twotracks_inputs"]["files"]
    }
    set_value(project / "data" / "events.csv", 1, "description", "Changed for the test.")
    result = stale(project)
    assert result.returncode == 1
    flagged = {line.split(":")[0] for line in result.stdout.splitlines() if ": stale:" in line}
    assert flagged == readers and CHAPTER in flagged
    assert "data/events.csv changed" in result.stdout


def test_a_file_no_notebook_reads_changes_nothing(tmp_path):
    project = copy_project(tmp_path / "project")
    read = {
        name for p in notebooks_in_toc() for name in json.loads(p.read_text())["metadata"]["twotracks_inputs"]["files"]
    }
    candidates = sorted(
        p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*") if p.suffix in (".csv", ".txt")
    )
    unread_names = [name for name in candidates if name not in read]
    # If every data file is read by some chapter, a file added beside them stands in for an unread one.
    unread = project / (unread_names[0] if unread_names else "data/unread-notes.txt")
    unread.write_text((unread.read_text() if unread.exists() else "") + "\nappended\n")
    assert stale(project).returncode == 0


def test_editing_prose_does_not_re_execute_but_editing_code_does(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / CHAPTER
    nb = json.loads(path.read_text(encoding="utf-8"))
    markdown = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    markdown["source"] = "".join(markdown["source"]) + "\n\nAn added sentence."
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert stale(project).returncode == 0
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["source"] = "".join(code["source"]) + "\n# an added comment"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    result = stale(project)
    assert result.returncode == 1 and "its code changed" in result.stdout


def test_a_new_table_in_the_descriptor_changes_nothing_but_a_changed_schema_does(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "data" / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "extra", "path": "extra.csv", "schema": {"fields": [{"name": "x"}]}})
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    assert stale(project).returncode == 0
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    events["description"] += " Changed."
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    result = stale(project)
    assert result.returncode == 1 and "data/datapackage.json#events changed" in result.stdout


def test_changing_the_helper_package_makes_notebooks_stale(tmp_path):
    project = copy_project(tmp_path / "project")
    module = project / "src" / "twotracks" / "numbers.py"
    module.write_text(module.read_text() + "\n# a change\n")
    result = stale(project)
    assert result.returncode == 1 and "the twotracks package changed" in result.stdout


@pytest.mark.slow
def test_re_executing_an_unchanged_notebook_rewrites_identical_bytes(tmp_path):
    """One chapter, through the same code path as every other (nbval re-executes them all and compares outputs)."""
    project = copy_project(tmp_path / "project")
    before = (project / CHAPTER).read_bytes()
    figure_data = tree_digest(project / "notebooks" / "figure-data")
    result = run(project, sys.executable, "-m", "bookbuild.execute", "--all", CHAPTER, check=True)
    assert f"executed {CHAPTER} in" in result.stdout, result.stdout  # executed, not found up to date
    assert (project / CHAPTER).read_bytes() == before, f"{CHAPTER} changed on re-execution"
    assert tree_digest(project / "notebooks" / "figure-data") == figure_data


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    return built_copy(tmp_path_factory, tmp_path_factory.mktemp("book"))


@pytest.mark.slow
def test_book_builds_with_warnings_as_errors_and_shows_glued_numbers(built_project):
    site = built_project / "_build" / "html"
    page = (site / "notebooks" / "01_two_tracks_over_time.html").read_text(encoding="utf-8")
    assert "pasted-text" in page  # glued numbers were inserted
    assert 'id="fig-two-tracks-timeline"' in page
    assert re.search(r'href="\.\./_downloads/[0-9a-f]+/fig-two-tracks-timeline\.csv"', page)
    assert 'alt="A timeline from 2013 to the data date' in page  # the figure's alt text, not a caption
    assert (site / "book" / "references.html").is_file()


@pytest.mark.slow
def test_second_make_book_does_nothing(built_project):
    result = make_book(built_project)
    assert result.returncode == 0, result.stderr
    assert "nothing executed" in result.stdout and "up to date, nothing rebuilt" in result.stdout


@pytest.mark.slow
def test_broken_row_stops_make_book_and_keeps_the_last_site(built_project):
    site = built_project / "_build" / "html"
    before = tree_digest(site)
    events = built_project / "data" / "events.csv"
    original = events.read_bytes()
    try:
        set_value(events, 2, "date", "2021-13-01")
        set_value(events, 2, "date_precision", "day")
        result = make_book(built_project)
        assert result.returncode != 0
        assert "events.csv, row 2 (line 3), column 'date'" in result.stderr
        assert tree_digest(site) == before
    finally:
        events.write_bytes(original)


@pytest.mark.slow
def test_failing_notebook_stops_the_build_names_the_cell_and_keeps_everything(built_project):
    site = built_project / "_build" / "html"
    before = tree_digest(site)
    path = built_project / CHAPTER
    original = path.read_bytes()
    nb = json.loads(original)
    cell_number = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code") + 1
    nb["cells"][cell_number - 1]["source"] = "raise RuntimeError('a deliberate failure')"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    edited = path.read_bytes()
    try:
        result = make_book(built_project)
        assert result.returncode != 0
        assert f"{CHAPTER}: cell #{cell_number}" in result.stderr and "a deliberate failure" in result.stderr
        assert path.read_bytes() == edited, "a failed execution must not rewrite the notebook"
        assert tree_digest(site) == before
    finally:
        path.write_bytes(original)


@pytest.mark.slow
def test_a_warning_fails_the_build_every_time_not_just_the_first(built_project):
    """Sphinx does not repeat a cached page's warnings: a second attempt must fail as the first did."""
    site = built_project / "_build" / "html"
    before = tree_digest(site)
    stray = built_project / "book" / "stray.md"
    stray.write_text("# A page no table of contents lists\n\nSee {ref}`no-such-label`.\n")
    intro = built_project / "book" / "intro.md"
    original = intro.read_text()
    intro.write_text(original + "\nA broken reference: {ref}`no-such-label`.\n")
    try:
        for attempt in (1, 2):
            result = make_book(built_project)
            assert result.returncode != 0, f"attempt {attempt} published despite a warning"
            assert "no-such-label" in result.stderr
        assert tree_digest(site) == before
    finally:
        stray.unlink()
        intro.write_text(original)
