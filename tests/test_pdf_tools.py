"""The tools behind `make pdf` and the browser tests: finding or installing chromium, and the changelog."""

from __future__ import annotations

import re

import pytest

from bookbuild import browser
from bookbuild.edition import load_edition
from twotracks.paths import ROOT


def test_without_root_a_missing_browser_is_explained_not_installed(monkeypatch):
    monkeypatch.setattr(browser, "_missing_packages", lambda packages=(): ["chromium", "fonts-wqy-microhei"])
    monkeypatch.setattr(browser, "find_chromium", lambda: None)
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(browser, "_apt_install", lambda packages: pytest.fail("installed without being root"))
    with pytest.raises(browser.MissingTool, match=r"apt-get install -y chromium fonts-wqy-microhei"):
        browser.ensure_chromium()


def test_as_root_missing_packages_are_installed_with_apt(monkeypatch):
    installed = []
    monkeypatch.setattr(browser, "_missing_packages", lambda packages=(): ["fonts-wqy-microhei"])
    monkeypatch.setattr(browser.os, "geteuid", lambda: 0)
    monkeypatch.setattr(browser.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(browser, "_apt_install", installed.extend)
    monkeypatch.setattr(browser, "find_chromium", lambda: browser.Path("/usr/bin/chromium"))
    assert browser.ensure_chromium() == browser.Path("/usr/bin/chromium")
    assert installed == ["fonts-wqy-microhei"]


def test_the_changelog_has_an_entry_for_the_version_in_citation_cff():
    edition = load_edition()
    changelog = (ROOT / "book" / "changelog.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(edition.version)} \({edition.released}\)$", changelog, re.M), (
        f"book/changelog.md has no '## {edition.version} ({edition.released})' section"
    )


def test_a_killed_pdf_run_leaves_no_staging_folder_behind(tmp_path):
    from bookbuild import pdf

    dead = tmp_path / "pdf.new-999999999"  # no such process
    dead.mkdir()
    (dead / "part-001.pdf").write_bytes(b"%PDF")
    alive = tmp_path / f"pdf.new-{__import__('os').getppid()}"  # a running process: its run is not disturbed
    alive.mkdir()
    assert pdf.clean_stale_staging(tmp_path) == [dead]
    assert not dead.exists() and alive.exists()


def test_every_page_has_a_pdf():
    from bookbuild.pdf import BOOK_PDF, pdf_name

    assert pdf_name("notebooks/02_state_actors") == "02_state_actors.pdf"
    assert pdf_name("book/briefing") == "briefing.pdf"
    assert pdf_name("book/methods") == BOOK_PDF


def test_bookmark_titles_take_the_headings_spelling():
    from bookbuild.pdf import heading_text

    headings = ("China’s two tracks: blockchain yes, crypto no", "2.1. Who the data record")
    assert heading_text("China’s two tracks:blockchain yes, crypto no", headings) == headings[0]
    assert heading_text("Something else", headings) == "Something else"


def test_apt_installs_the_packages_asked_for_not_only_the_browsers(monkeypatch, tmp_path):
    """The BibTeX test asks for texlive: it was never installed, because only the browser's packages were
    looked up as missing."""
    calls = []
    monkeypatch.setattr(browser.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(
        browser.subprocess,
        "run",
        lambda args, **kw: (
            calls.append(args)
            or browser.subprocess.CompletedProcess(args, 0, stdout="install ok installed" if "chromium" in args else "")
        ),
    )
    browser._apt_install(["texlive-binaries", "chromium"])
    assert calls[-1][-1:] == ["texlive-binaries"] and calls[-1][:2] == ["apt-get", "install"]
