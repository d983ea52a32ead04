"""Accessibility in a real browser: axe-core over every page a reader lands on, light and dark, and no page
wider than a 390 px phone."""

from __future__ import annotations

from browsing import base_url, browser, chromium, page, project, reader_pages  # noqa: F401  (fixtures)

from twotracks.paths import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json / package-lock.json (npm ci)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What the dark theme can change: colours, and which figure images are shown (each theme's own). The light run
# checks every WCAG rule; the dark one only these (colour contrast is most of either run's time: 1-3 s a page).
DARK_RULES = [
    "color-contrast",
    "link-in-text-block",
    "image-alt",
    "role-img-alt",
    "svg-img-alt",
    "object-alt",
    "input-image-alt",
]
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"
# The Latin words of each table cell (a hyphenated id may break after its hyphens) that the browser laid out over
# more than one line. Chinese is left out: it breaks between any two characters by design.
BROKEN_TABLE_WORDS = r"""() => {
  const broken = [];
  for (const cell of document.querySelectorAll('.bd-article table th, .bd-article table td')) {
    const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      for (const word of node.data.matchAll(/[A-Za-z0-9.,'()]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""


def test_axe_finds_no_serious_or_critical_wcag_violation_on_any_page_light_or_dark(project, base_url, page):
    assert AXE.is_file(), "axe-core is not installed: run npm ci"
    found = []
    for path in reader_pages(project):
        page.goto(f"{base_url}/{path}", wait_until="load")
        if page.locator(".twotracks-chart").count():
            page.wait_for_selector(".twotracks-chart[data-ready]", timeout=15_000)
        page.add_style_tag(content=NO_TRANSITIONS)  # colours are measured as they end, not mid-fade
        page.add_script_tag(path=str(AXE))
        for theme, only in (
            ("light", {"type": "tag", "values": WCAG_TAGS}),
            ("dark", {"type": "rule", "values": DARK_RULES}),
        ):
            page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
            violations = page.evaluate(
                "async (only) => (await axe.run(document, {runOnly: only, resultTypes: ['violations']})).violations"
                ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                ".map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)",
                only,
            )
            found += [f"{path} [{theme}] {v}" for v in violations]
    assert not found, "\n".join(found)


def test_no_page_scrolls_sideways_and_no_table_splits_a_word_at_390_px_nor_at_1400_px(project, base_url, browser):
    """At 390 px a wide table scrolls in its own box, which does not widen the document; at either width a table
    keeps its words whole rather than squeezing a column to a letter a line ("Ex / ch / an / ge")."""
    site = project / "_build" / "html"
    with_tables = {p for p in reader_pages(project) if "<table" in (site / p).read_text(encoding="utf-8")}
    assert with_tables, "no page has a table: the word check proves nothing"
    wide, split = [], []
    for width in (390, 1400):
        context = browser.new_context(viewport={"width": width, "height": 844})
        page = context.new_page()
        for path in reader_pages(project) if width == 390 else sorted(with_tables):
            page.goto(f"{base_url}/{path}", wait_until="load")
            sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if width == 390 and sizes[0] > sizes[1] + 1:
                culprits = page.evaluate(
                    "(w) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)"
                    ".slice(0, 3).map(e => e.tagName + '.' + e.className)",
                    sizes[1],
                )
                wide.append(f"{path}: {sizes[0]} px wide in a {sizes[1]} px window ({culprits})")
            if path in with_tables and (broken := page.evaluate(BROKEN_TABLE_WORDS)):
                split.append(f"{path} at {width} px: {len(broken)} words split, e.g. {broken[:5]}")
        context.close()
    assert not wide, "\n".join(wide)
    assert not split, "\n".join(split)
