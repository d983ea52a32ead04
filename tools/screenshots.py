"""Whole-page screenshots of the built site, as a reviewer looks at it: desktop and phone, light and dark.

``make screenshots`` (``python tools/screenshots.py [page ...]``) reads _build/html (run ``make book``
first) and writes _build/screenshots/<page>-<width>-<theme>.png (or into ``--out``), by default for every
chapter. A whole
page takes about 2 s to capture, which is why the tests keep only the first figure of each chapter.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bookbuild.browser import HEADLESS_FLAGS, ensure_chromium, serve_site
from bookbuild.toc import ROOT, notebooks_in_toc

SITE = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "screenshots"
WIDTHS = (1400, 390)
THEMES = ("light", "dark")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in notebooks_in_toc()]
    parser.add_argument("pages", nargs="*", default=default, help="pages of the site (default: every chapter)")
    parser.add_argument(
        "--out", type=Path, default=OUT, help=f"folder for the images (default: {OUT.relative_to(ROOT)})"
    )
    args = parser.parse_args(argv)
    pages, out = args.pages, args.out
    missing = [p for p in pages if not (SITE / p).is_file()]
    if missing:
        print(f"error: not in {SITE.relative_to(ROOT)}: {', '.join(missing)} (run make book)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with serve_site(SITE) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(ensure_chromium()), args=list(HEADLESS_FLAGS[1:]))
        for width in WIDTHS:
            page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
            for path in pages:
                page.goto(f"{base}/{path}", wait_until="load")
                for theme in THEMES:
                    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
                    # from the top-left corner: a capture taken after the theme's own scrolling (the sidebar brings
                    # its current entry into view) came out shifted sideways, not as a reader sees the page
                    page.evaluate("window.scrollTo(0, 0); document.scrollingElement.scrollLeft = 0")
                    target = out / f"{Path(path).stem}-{width}-{theme}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(f"  {target}")
            page.context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
