"""The accessibility fixes applied to every built page (the full check is axe-core in test_browser.py)."""

from bookbuild.sphinx_ext.a11y import fix_page

THEME = (
    '<button class="btn search-button-field search-button__button pst-js-only" title="Search" aria-label="Search">'
    '<span class="search-button__default-text">Search</span></button>'
    '<button class="btn btn-sm pst-navbar-icon search-button search-button__button" title="Search" aria-label="Search">'
    '<summary aria-label="Toggle hidden content">Show code cell source</summary>'
    '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i>'
    '<div class="citation" id="cite-x" role="doc-biblioentry">'
)


def test_visible_text_names_buttons_and_toggles_and_icons_are_hidden():
    fixed = fix_page(THEME)
    assert 'search-button-field search-button__button pst-js-only" title="Search">' in fixed
    assert fixed.count('aria-label="Search"') == 1  # the icon-only button keeps its name
    assert "<summary>Show code cell source</summary>" in fixed
    assert '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" aria-hidden="true"></i>' in fixed
    assert '<div class="citation" id="cite-x" role="listitem">' in fixed


def test_fixing_twice_changes_nothing():
    once = fix_page(THEME)
    assert fix_page(once) == once
