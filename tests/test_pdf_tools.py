"""The tools behind `make pdf` and the browser tests: finding or installing chromium, and the changelog."""

from __future__ import annotations

import re

import pytest

from bookbuild import browser
from bookbuild.edition import load_edition
from twotracks.paths import ROOT


def test_without_root_a_missing_browser_is_explained_not_installed(monkeypatch):
    monkeypatch.setattr(browser, "_missing_packages", lambda: ["chromium", "fonts-wqy-microhei"])
    monkeypatch.setattr(browser, "find_chromium", lambda: None)
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(browser, "_apt_install", lambda packages: pytest.fail("installed without being root"))
    with pytest.raises(browser.MissingTool, match=r"apt-get install -y chromium fonts-wqy-microhei"):
        browser.ensure_chromium()


def test_as_root_missing_packages_are_installed_with_apt(monkeypatch):
    installed = []
    monkeypatch.setattr(browser, "_missing_packages", lambda: ["fonts-wqy-microhei"])
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
        f"book/changelog.md has no '## {edition.version} ({edition.released})' section")
