"""The built site in a real browser (Debian's chromium driven by Playwright), and the PDFs for briefings.

Chromium is installed the way `make pdf` installs it (bookbuild.browser: apt-get as root on a fresh
machine). Screenshots of every chapter in the light and dark theme, and a PNG of each PDF's first page,
are kept in _build/test-artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from built_site import planted_site
from project_copies import run

from bookbuild.browser import HEADLESS_FLAGS, ensure_chromium
from bookbuild.edition import load_edition
from bookbuild.toc import notebooks_in_toc, toc_files
from twotracks.paths import ROOT

ARTIFACTS = ROOT / "_build" / "test-artifacts"
CHAPTERS = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in notebooks_in_toc()]


@pytest.fixture(scope="module")
def chromium() -> Path:
    return ensure_chromium()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return planted_site(tmp_path_factory)


@pytest.fixture(scope="module")
def base_url(project):
    """The built site served over HTTP on a free local port (as a reader's browser would get it)."""
    handler = functools.partial(_QuietHandler, directory=str(project / "_build" / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=list(HEADLESS_FLAGS[1:]))
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    # a request cancelled by the next navigation (net::ERR_ABORTED) is not a fault; a missing file is an HTTP 404
    page.on(
        "requestfailed",
        lambda r: (
            page.problems.append(f"request failed: {r.url} ({r.failure})") if r.failure != "net::ERR_ABORTED" else None
        ),
    )
    page.on("response", lambda r: page.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    yield page
    context.close()


def site_pages(project: Path) -> list[str]:
    site = project / "_build" / "html"
    return sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts
    )


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
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = Path(chapter).stem
    page.goto(f"{base_url}/{chapter}", wait_until="load")
    for theme in ("light", "dark"):
        page.evaluate(f"document.documentElement.dataset.theme = '{theme}'; localStorage.setItem('theme', '{theme}')")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != (
            "rgb(255, 255, 255)" if theme == "dark" else "rgb(0, 0, 0)"
        )
        page.screenshot(path=str(ARTIFACTS / f"{stem}-{theme}.png"), full_page=True)
        assert (ARTIFACTS / f"{stem}-{theme}.png").stat().st_size > 10_000
    assert not page.problems, "\n".join(page.problems)


def pdf_links(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    uris = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def outline_titles(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [str(item.title) for item in PdfReader(pdf).outline if not isinstance(item, list)]


def test_make_pdf_prints_a4_briefing_pdfs_with_heads_page_numbers_metadata_and_no_file_links(project, chromium):
    result = run(project, sys.executable, "-m", "bookbuild.pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    out = project / "_build" / "pdf"
    expected = {Path(c).stem + ".pdf" for c in CHAPTERS} | {"whole-book.pdf", "briefing.pdf"}
    assert {p.name for p in out.glob("*.pdf")} == expected
    assert not list((project / "_build").glob("pdf.new-*"))
    edition = load_edition()
    as_of = json.loads((project / "data" / "datapackage.json").read_text(encoding="utf-8"))["as_of"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for pdf in sorted(out.glob("*.pdf")):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+|Page size:.*\(A4\)", info), f"{pdf.name} is not A4:\n{info}"
        assert f"Author:          {edition.author_text}" in info and "Subject:" in info, info
        assert re.search(r"^Title:\s+\S", info, re.M), info
        text = " ".join(
            subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
        )
        assert f"version {edition.version}" in text and "this copy built on" in text, pdf.name
        assert f"data as of {as_of}" in text and "page 1 of" in text and "page 2 of" in text, pdf.name  # head, foot
        assert "glue_value(" not in text and "plt.subplots(" not in text and "Show code" not in text, pdf.name
        assert ("Cite this chapter" if pdf.stem in {Path(c).stem for c in CHAPTERS} else "") in text, pdf.name
        assert not [u for u in pdf_links(pdf) if not u.startswith(("http://", "https://", "mailto:"))], pdf.name
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / f"pdf-{pdf.stem}")],
            check=True,
            capture_output=True,
        )
    book = subprocess.run(["pdftotext", str(out / "whole-book.pdf"), "-"], capture_output=True, text=True).stdout
    assert "习近平" in book  # Chinese is typeset (the references carry it)
    assert book.count("Cite this chapter") == len(CHAPTERS)
    titles = outline_titles(out / "whole-book.pdf")
    assert len(titles) == len(toc_files()) and "Key findings in five minutes" in titles, titles
    # the PDFs are in the site, and every page's download menu links one that exists
    site = project / "_build" / "html"
    for path in site_pages(project):
        html_text = (site / path).read_text(encoding="utf-8")
        links = re.findall(
            r'href="([^"]+\.pdf)"\s+target="_blank"\s+class="btn btn-sm btn-download-pdf-button', html_text
        )
        if 'http-equiv="Refresh"' in html_text[:300] or path in ("search.html", "genindex.html"):
            continue
        if path.startswith("figures/"):  # a figure page has no download menu: its downloads are PNG, SVG, data
            assert "btn-download-pdf-button" not in html_text and ".svg" in html_text, path
            continue
        assert links, f"{path}: no PDF in the download menu"
        assert ((site / path).parent / links[0]).resolve().is_file(), f"{path}: {links[0]} does not exist"


def test_with_a_base_url_a_pdf_links_other_pages_absolutely(project, browser, tmp_path):
    from bookbuild.pdf import print_page

    site = project / "_build" / "html"
    target = tmp_path / "chapter.pdf"
    print_page(browser, site / CHAPTERS[0], target, site, "https://example.org/report/", 1)
    links = pdf_links(target)
    assert any(u.startswith("https://example.org/report/book/references.html") for u in links), links
    assert not [u for u in links if u.startswith("file:")]


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


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json / package-lock.json (npm ci)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def reader_pages(project: Path) -> list[str]:
    """Every page a reader lands on (chapters, briefing, about pages, explorer, figure pages), not the redirect."""
    site = project / "_build" / "html"
    return [
        p for p in site_pages(project) if 'http-equiv="Refresh"' not in (site / p).read_text(encoding="utf-8")[:300]
    ]


def test_axe_finds_no_serious_or_critical_wcag_violation_on_any_page_light_or_dark(project, base_url, page):
    assert AXE.is_file(), "axe-core is not installed: run npm ci"
    found = []
    for path in reader_pages(project):
        page.goto(f"{base_url}/{path}", wait_until="load")
        if page.locator(".twotracks-chart").count():
            page.wait_for_selector(".twotracks-chart[data-ready]", timeout=15_000)
        page.add_style_tag(content=NO_TRANSITIONS)  # colours are measured as they end, not mid-fade
        page.add_script_tag(path=str(AXE))
        for theme in ("light", "dark"):
            page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
            violations = page.evaluate(
                "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
                " resultTypes: ['violations']})).violations"
                ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                ".map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)",
                WCAG_TAGS,
            )
            found += [f"{path} [{theme}] {v}" for v in violations]
    assert not found, "\n".join(found)


def test_no_page_scrolls_sideways_at_390_px(project, base_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    wide = []
    for path in reader_pages(project):
        page.goto(f"{base_url}/{path}", wait_until="load")
        # a wide table scrolls inside its own box, which does not widen the document
        sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if sizes[0] > sizes[1] + 1:
            culprits = page.evaluate(
                "(w) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)"
                ".slice(0, 3).map(e => e.tagName + '.' + e.className)",
                sizes[1],
            )
            wide.append(f"{path}: {sizes[0]} px wide in a {sizes[1]} px window ({culprits})")
    context.close()
    assert not wide, "\n".join(wide)


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
