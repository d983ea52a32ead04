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
