"""What the real-browser tests share: Debian's chromium driven by Playwright over the shared planted site.

Chromium is installed the way `make pdf` installs it (bookbuild.browser: apt-get as root on a fresh
machine). The browser tests are split by what they cost (pages, accessibility, PDFs), so that the two test
workers share them; each file imports these fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from built_site import planted_site

from bookbuild.browser import HEADLESS_FLAGS, ensure_chromium, serve_site
from bookbuild.toc import notebooks_in_toc
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
    with serve_site(project / "_build" / "html") as url:
        yield url


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


def reader_pages(project: Path) -> list[str]:
    """Every page a reader lands on (chapters, briefing, about pages, explorer, figure pages), not the redirect."""
    site = project / "_build" / "html"
    return [
        p for p in site_pages(project) if 'http-equiv="Refresh"' not in (site / p).read_text(encoding="utf-8")[:300]
    ]
