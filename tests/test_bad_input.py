"""Bad input, tried on purpose: the validator names it once, and `make book` stops and publishes nothing.

The validator's own cases are in tests/test_validate.py. Here each kind of broken data is fed to `make book`
in one module-scoped built copy of the project: the build must exit non-zero
with exactly one problem line naming the file, row and column, execute no notebook, and leave the
published site byte-identical. Markup in a text field is valid data: the build publishes it, escaped (checked
on the shared planted copy of tests/built_site.py).
A notebook that raises is tested in tests/test_build.py and tests/test_publish.py.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from built_site import PLANTED_TITLE, planted_site
from conftest import first_row_where, get_value, read_table, set_value, write_table
from project_copies import CHAPTER, VENV_BIN, built_copy, copy_project, make_book, run, tree_digest

# --- the build --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return built_copy(tmp_path_factory, tmp_path_factory.mktemp("bad-input"))


def _semicolons(path: Path) -> None:
    header, rows = read_table(path)
    path.write_text("\n".join(";".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")


def _duplicate_first_row(path: Path) -> None:
    header, rows = read_table(path)
    write_table(path, header, rows + [rows[0]])


def _extra_column(path: Path) -> None:
    header, rows = read_table(path)
    write_table(path, header + ["mood"], [r + ["sunny"] for r in rows])


def _not_utf8(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace("中".encode(), "中".encode("gb18030"), 1))


def _wrong_quote(path: Path) -> None:
    row = first_row_where(path, "quote", lambda v: v != "")
    set_value(path, row, "quote", get_value(path, row, "quote")[:12] + " and words the source never wrote")


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


#: name -> (file broken, how, the location the one problem line must start with)
BROKEN = {
    "malformed date": (
        "events.csv",
        lambda p: set_value(p, 2, "date", "2021-02-30"),
        "events.csv, row 2 (line 3), column 'date'",
    ),
    "unknown track": (
        "events.csv",
        lambda p: set_value(p, 2, "track", "crypto-maybe"),
        "events.csv, row 2 (line 3), column 'track'",
    ),
    "unknown level": (
        "actors.csv",
        lambda p: set_value(p, 3, "level", "galactic"),
        "actors.csv, row 3 (line 4), column 'level'",
    ),
    "missing required value": (
        "events.csv",
        lambda p: set_value(p, 5, "title", ""),
        "events.csv, row 5 (line 6), column 'title'",
    ),
    "dangling foreign key": (
        "event_actors.csv",
        lambda p: set_value(p, 4, "actor_id", "no-such-actor"),
        "event_actors.csv, row 4 (line 5), column 'actor_id'",
    ),
    "duplicate id": ("events.csv", _duplicate_first_row, None),  # the appended row: computed below
    "quote not in its source": ("events.csv", _wrong_quote, None),
    "not UTF-8": ("actors.csv", _not_utf8, "actors.csv, line "),
    "wrong delimiter": ("sources.csv", _semicolons, "sources.csv, line 1:"),
    "extra column": ("events.csv", _extra_column, "events.csv, line 1, column 'mood'"),
    "empty file": (
        "event_actors.csv",
        lambda p: p.write_text("", encoding="utf-8"),
        "event_actors.csv, line 1: file is empty",
    ),
    "missing file": ("actors.csv", lambda p: p.unlink(), "actors.csv: file not found"),
    "byte-order mark": (
        "sources.csv",
        lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()),
        "sources.csv, line 1: starts with",
    ),
    "infinite amount": (
        "exchange_moves.csv",
        lambda p: set_value(p, first_row_where(p, "amount", lambda v: v != ""), "amount", "inf"),
        "exchange_moves.csv, row ",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BROKEN))
def test_bad_data_stops_make_book_with_one_clear_message(project, case):
    name, breaks, where = BROKEN[case]
    path = project / "data" / name
    original = path.read_bytes()
    if case == "duplicate id":
        where = f"events.csv, row {_lines(path)} (line {_lines(path) + 1}), column 'event_id'"
    elif case == "quote not in its source":
        row = first_row_where(path, "quote", lambda v: v != "")
        where = f"events.csv, row {row} (line {row + 1}), column 'quote'"
    site = project / "_build" / "html"
    before = tree_digest(site)
    notebooks = {p: p.read_bytes() for p in (project / "notebooks").rglob("*") if p.is_file()}
    try:
        breaks(path)
        result = make_book(project)
    finally:
        path.write_bytes(original)
    assert result.returncode != 0
    problems = [line for line in result.stderr.splitlines() if line.startswith("data/")]
    assert len(problems) == 1, result.stderr
    assert problems[0].startswith(f"data/{where}"), problems[0]
    assert "validation failed: 1 problem(s) in 1 file(s)" in result.stderr
    assert "executing" not in result.stdout and "building HTML" not in result.stdout
    assert tree_digest(site) == before, "bad data changed the published site"
    assert {p: p.read_bytes() for p in notebooks} == notebooks, "bad data changed a notebook or its figure data"


def _make(project: Path, *args: str):
    venv = VENV_BIN.parent
    return run(project, "make", *args, f"VENV={venv}", "-o", f"{venv}/.installed")


def test_make_book_refuses_a_data_directory_it_would_not_build(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copytree(project / "data", tmp_path / "other data")
    for target in ("book", "execute", "pdf"):
        result = _make(project, target, f"DATA={tmp_path / 'other data'}")
        assert result.returncode != 0 and "build the project's data/ only" in result.stderr
        assert "executing" not in result.stdout and not (project / "_build").exists()


def test_make_validate_takes_a_data_directory_with_a_space(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copytree(project / "data", tmp_path / "other data")
    result = _make(project, "validate", f"DATA={tmp_path / 'other data'}")
    assert result.returncode == 0 and "valid (" in result.stdout, result.stderr
    (tmp_path / "other data" / "events.csv").unlink()
    result = _make(project, "validate", f"DATA={tmp_path / 'other data'}")
    assert result.returncode != 0 and f"{tmp_path / 'other data'}/events.csv: file not found" in result.stderr


@pytest.mark.slow
def test_markup_in_a_text_field_is_published_escaped_never_as_markup(tmp_path_factory):
    """An event's title with markup, in the shared planted copy: the events explorer shows every title, chapter 1
    (re-executed on it) plots the 2021 events and lists every title in a figure's CSV."""
    site = planted_site(tmp_path_factory) / "_build" / "html"
    explorer = (site / "book" / "explorer.html").read_text(encoding="utf-8")  # lists every event's title
    assert html.escape(PLANTED_TITLE, quote=False) in explorer or html.escape(PLANTED_TITLE) in explorer, (
        "the title is not shown, escaped"
    )
    for page in (explorer, (site / Path(CHAPTER).with_suffix(".html")).read_text(encoding="utf-8")):
        assert PLANTED_TITLE not in page and "<b>bold</b>" not in page
        assert not re.search(r"<script>\s*alert", page), "the title was published as a script"
    figure_data = next(site.glob("_downloads/*/fig-two-tracks-timeline.csv")).read_text(encoding="utf-8")
    assert '"<script>alert(""x"")</script> & <b>bold</b>"' in figure_data  # the data, verbatim, as CSV
