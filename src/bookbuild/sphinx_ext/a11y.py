"""Accessibility fixes to the theme's markup, applied to every built HTML page (WCAG 2.1 A/AA, checked by
axe-core in tests/test_browser.py).

The theme's buttons and MyST-NB's code toggles carry an ``aria-label`` that differs from the text a sighted
reader sees ("Search" vs "Search Ctrl+K", "Toggle hidden content" vs "Show code cell source"), and the
colour-mode button's icons carry titles that are read as its text. A speech-input user says what they see,
so the visible text is made the accessible name.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

#: (pattern, replacement) applied to each page's HTML; each is idempotent.
FIXES = (
    # the search field shows "Search Ctrl+K": that text is its name (the icon-only search button keeps its label)
    (re.compile(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"'), r"\1"),
    # MyST-NB's code toggle: its visible text ("Show code cell source") is its name
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # the references list has role=list: its entries are list items (axe: doc-biblioentry is no allowed child)
    (
        re.compile(r'<div class="citation" (id="[^"]*") role="doc-biblioentry">'),
        r'<div class="citation" \1 role="listitem">',
    ),
    # the colour-mode button is named by its aria-label; its icons are decoration (Font Awesome turns an icon's
    # title into an SVG <title>, which would be read as the button's text)
    (re.compile(r'(<i class="theme-switch [^"]*" data-mode="\w+")\s+title="[^"]*"'), r"\1"),
    (re.compile(r'(<i class="theme-switch [^"]*"[^>]*?)(?<! aria-hidden="true")></i>'), r'\1 aria-hidden="true"></i>'),
)


def fix_page(text: str) -> str:
    for pattern, replacement in FIXES:
        text = pattern.sub(replacement, text)
    return text


def fix_pages(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        if "_static" in path.relative_to(app.outdir).parts:
            continue
        text = path.read_text(encoding="utf-8")
        fixed = fix_page(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("build-finished", fix_pages)
