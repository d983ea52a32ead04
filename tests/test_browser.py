"""The built site in a real browser: every page loads, search (English and Chinese), figure anchors, code hidden
until opened, the dark theme's figures, the references page, the screenshot tool. Each chapter's first figure is
kept as a screenshot in _build/test-artifacts/, light and dark. Accessibility is in test_browser_a11y.py, the PDFs
in test_pdf.py.
"""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

import pytest
from browsing import ARTIFACTS, CHAPTERS, base_url, browser, chromium, page, project, site_pages  # noqa: F401  (fixtures)
from project_copies import run

from twotracks.paths import ROOT


def test_every_page_loads_without_errors_and_every_image_loads(project, base_url, page):
    external = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(base_url) and not r.url.startswith("data:") else None,
    )
    for path in site_pages(project):
        if 'http-equiv="Refresh"' in (project / "_build" / "html" / path).read_text(encoding="utf-8")[:300]:
            continue  # the home redirect: it navigates away at once
        response = page.goto(f"{base_url}/{path}", wait_until="load")
        assert response is not None and response.ok, path
        broken = page.evaluate("[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
        assert not broken, f"{path}: images that did not load: {broken}"
        assert page.evaluate("window.__planted") is None, f"{path}: markup planted in the data ran"
    assert not page.problems, "\n".join(page.problems)
    assert not external, f"requests to other hosts: {external}"


def test_search_finds_binance(base_url, page):
    page.goto(f"{base_url}/search.html?q=Binance", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=15_000)
    hits = page.locator("#search-results ul.search li a").all_inner_texts()
    assert hits, "no search result for Binance"
    assert not page.problems, "\n".join(page.problems)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_figure_anchors_resolve_and_chapter_screenshots_are_kept(chapter, base_url, page):
    source = (ROOT / chapter).with_suffix(".ipynb").read_text(encoding="utf-8")
    figures = re.findall(r":name: ([\w-]+)", source)
    assert figures, f"{chapter}: no named figure"
    for name in figures:
        page.goto(f"{base_url}/{chapter}#{name}", wait_until="load")
        box = page.evaluate(
            "(id) => { const e = document.getElementById(id); if (!e) return null;"
            " const r = e.getBoundingClientRect(); return [r.top, r.height]; }",
            name,
        )
        assert box is not None, f"{chapter}#{name}: no such element"
        assert -5 <= box[0] < 900, f"{chapter}#{name}: the browser did not scroll to the figure ({box})"
        assert page.evaluate("(id) => document.querySelector(`#${id} img`).naturalWidth", name) > 0
    # The first figure as the reader sees it, in each theme (whole pages: tools/screenshots.py, 2 s a page).
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = Path(chapter).stem
    page.goto(f"{base_url}/{chapter}#{figures[0]}", wait_until="load")
    for theme in ("light", "dark"):
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'; localStorage.setItem('theme', '{theme}')")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != (
            "rgb(255, 255, 255)" if theme == "dark" else "rgb(0, 0, 0)"
        )
        page.screenshot(path=str(ARTIFACTS / f"{stem}-{theme}.png"))
        assert (ARTIFACTS / f"{stem}-{theme}.png").stat().st_size > 10_000
    assert not page.problems, "\n".join(page.problems)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_shows_no_code_until_the_reader_opens_it(chapter, base_url, page):
    page.goto(f"{base_url}/{chapter}", wait_until="load")
    visible_code = page.evaluate(
        # checkVisibility: a closed <details> hides its content with content-visibility, which keeps a layout box
        "[...document.querySelectorAll('.cell_input')].filter(e => e.checkVisibility()).length"
    )
    assert visible_code == 0, f"{chapter}: {visible_code} code cell(s) visible by default"
    toggles = page.locator("details.hide.above-input > summary")
    assert toggles.count() > 0, f"{chapter}: no 'Show code' toggle"
    toggles.first.click()
    assert page.evaluate("[...document.querySelectorAll('.cell_input')].filter(e => e.checkVisibility()).length") >= 1


def test_dark_theme_shows_the_figures_drawn_for_it(base_url, page):
    chapter = CHAPTERS[0]
    page.goto(f"{base_url}/{chapter}", wait_until="load")
    shown = "[...document.querySelectorAll('figure img')].filter(i => i.offsetParent !== null).map(i => i.className)"
    page.evaluate("document.documentElement.dataset.theme = 'light'")
    light = page.evaluate(shown)
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    dark = page.evaluate(shown)
    assert light and all("twotracks-light" in c for c in light), light
    assert dark and all("twotracks-dark" in c for c in dark), dark
    assert page.evaluate("[...document.querySelectorAll('img.twotracks-dark')].every(i => i.naturalWidth > 0)")
    # each dark image has its light twin's shape (cropped alike), so the figure is as large in either theme
    shapes = page.evaluate(
        "[...document.querySelectorAll('img.twotracks-dark')].map(d => [d.previousElementSibling.naturalWidth,"
        " d.previousElementSibling.naturalHeight, d.naturalWidth, d.naturalHeight])"
    )
    assert shapes and all(abs(lw / lh - dw / dh) < 0.01 for lw, lh, dw, dh in shapes), shapes


def test_chinese_search_finds_a_term_inside_longer_names_and_english_still_works(project, base_url, page):
    page.goto(f"{base_url}/search.html?q=区块链", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=15_000)
    hits = page.locator("#search-results ul.search li a").evaluate_all("(links) => links.map(a => a.href)")
    assert hits, "no search result for 区块链"
    site = project / "_build" / "html"
    longer = {p for p in site_pages(project) if "区块链服务网络" in (site / p).read_text(encoding="utf-8")}
    assert longer, "no page names 区块链服务网络 (the fixture this test relies on)"
    found = {h.split(base_url + "/", 1)[1].split("#")[0].split("?")[0] for h in hits}
    assert found & longer, f"区块链 did not find the pages naming 区块链服务网络 ({sorted(longer)}): {sorted(found)}"
    page.goto(f"{base_url}/search.html?q=Binance", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=15_000)
    assert page.locator("#search-results ul.search li a").count() > 0
    assert not page.problems, "\n".join(page.problems)


def test_references_page_is_author_year_keeps_proper_nouns_and_prints_no_escapes(project):
    text = (project / "_build" / "html" / "book" / "references.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="citation" id="cite-[^"]+" role="listitem">(.*?)</div>', text, re.S)
    assert len(entries) > 20
    labels = [
        re.sub(r"<[^>]+>", "", re.search(r'<span class="label">(.*?)</span>\s*<p>', e, re.S).group(1)) for e in entries
    ]
    assert not [label for label in labels if re.fullmatch(r"\[\d+\]", label)], labels[:5]  # never numbered
    assert all(re.search(r" (\d{4}|n\.d\.)[a-z]?\]$", label) for label in labels), labels[:5]  # author-year
    authors = [re.sub(r"^\[|\s+(\d{4}|n\.d\.)[a-z]?\]$", "", label) for label in labels]
    initials = [a[0].casefold() for a in authors]
    assert initials == sorted(initials), authors  # ordered by author or publishing body
    years = [re.search(r"(\d{4}|n\.d\.)[a-z]?\]$", label).group(0) for label in labels]
    for i in range(len(labels) - 1):
        assert authors[i] != authors[i + 1] or years[i] <= years[i + 1], labels[i : i + 2]  # then by year
    body = re.sub(r"<[^>]+>", "", " ".join(entries))
    assert "Blockchain Fund in Hainan" in body and "$1 Billion" in body  # proper-noun case kept, no \\$
    assert "People's Bank of China" in body
    assert "\\" not in body, re.findall(r".{30}\\.{10}", body)[:3]  # no literal BibTeX escapes


def _png_size(path: Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])  # the IHDR chunk's width and height


def test_the_screenshot_tool_captures_whole_pages_at_both_widths_in_both_themes(project, tmp_path, chromium):
    tool = [sys.executable, str(ROOT / "tools" / "screenshots.py"), "--out", str(tmp_path)]  # the shared site unchanged
    result = run(project, *tool, "book/briefing.html")
    assert result.returncode == 0, result.stdout + result.stderr
    shots = {p.name: p for p in tmp_path.glob("*.png")}
    assert sorted(shots) == sorted(f"briefing-{w}-{t}.png" for w in (1400, 390) for t in ("light", "dark"))
    for width in (1400, 390):
        light, dark = shots[f"briefing-{width}-light.png"], shots[f"briefing-{width}-dark.png"]
        assert _png_size(light)[0] == width and _png_size(light)[1] > 900  # the whole page, not the window
        assert light.read_bytes() != dark.read_bytes()
    missing = run(project, *tool, "book/no-such-page.html")
    assert missing.returncode == 1 and "book/no-such-page.html" in missing.stderr and "Traceback" not in missing.stderr
