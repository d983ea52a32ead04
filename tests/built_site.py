"""A built copy of the project for the site tests (publishing, browser, explorer), with markup planted in its data.

Built once per test run and shared by every worker (project_copies.shared_project), in a temporary copy,
never in the working tree; the tests only read it. The planted values must show as text on the site, never
as markup: in the glossary (a generated page), a table's description (the data page) and an event's title,
which chapter 1 is re-executed to plot (its figure data, its page, the explorer).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from conftest import set_value
from project_copies import CHAPTER, run, shared_project

#: Markup planted in the copy's data: a script, an image with a handler, and MyST/Markdown syntax.
PLANTED_TERM = "<script>window.__planted = 1</script>Planted term"
PLANTED_MEANING = '<img src="x" onerror="window.__planted = 2"> **not bold** {cite:p}`no-such-key`'
PLANTED_DESCRIPTION = "<b>not bold</b> & <i>not italic</i>"
PLANTED_TITLE = '<script>alert("x")</script> & <b>bold</b>'


def planted_event_row(project: Path) -> int:
    """The row (from 1) of the first crypto-no event of 2021 dated to the day: chapter 1's timeline plots it."""
    with (project / "data" / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return next(
        number
        for number, r in enumerate(rows, start=1)
        if r["track"] == "crypto-no" and r["date"].startswith("2021-") and r["date_precision"] == "day"
    )


def plant_markup(project: Path) -> None:
    glossary = project / "data" / "glossary.csv"
    with glossary.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            ["planted", PLANTED_TERM, "区块链", "qūkuàiliàn", PLANTED_MEANING, "ccaf-mining-map", ""]
        )
    descriptor_path = project / "data" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["name"] == "glossary")["description"] = PLANTED_DESCRIPTION
    descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    set_value(project / "data" / "events.csv", planted_event_row(project), "title", PLANTED_TITLE)


def _plant_and_build(project: Path) -> None:
    plant_markup(project)
    for step in (("bookbuild.execute", CHAPTER), ("bookbuild.publish",)):
        result = run(project, sys.executable, "-m", *step)
        assert result.returncode == 0, result.stdout + result.stderr


def planted_site(tmp_path_factory) -> Path:
    """The shared built copy with markup planted (read only)."""
    return shared_project(tmp_path_factory, "planted", _plant_and_build)


class Page(HTMLParser):
    """What a page loads (scripts, styles, images, fonts...), links to, and the ids it defines."""

    def __init__(self, text: str):
        super().__init__()
        self.loads: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "link" and attrs.get("href"):
            # a <link> loads a resource unless it only points somewhere (e.g. rel="next")
            if set((attrs.get("rel") or "").split()) & {
                "stylesheet",
                "preload",
                "icon",
                "prefetch",
                "modulepreload",
                "manifest",
            }:
                self.loads.append((tag, attrs["href"]))
            else:
                self.links.append(attrs["href"])
        for name in ("src", "data", "poster"):
            if attrs.get(name) and tag in (
                "script",
                "img",
                "iframe",
                "embed",
                "object",
                "source",
                "video",
                "audio",
                "input",
            ):
                self.loads.append((tag, attrs[name]))
        if attrs.get("srcset"):
            self.loads += [(tag, part.split()[0]) for part in attrs["srcset"].split(",") if part.strip()]
        if attrs.get("style"):
            self.loads += [(tag, url) for url in css_urls(attrs["style"])]


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def css_urls(text: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(text)]


def is_external(url: str) -> bool:
    return bool(re.match(r"^(https?:)?//", url.strip(), re.IGNORECASE))
