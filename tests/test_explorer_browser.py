"""The events explorer and the figure pages in a real browser (the fixtures of tests/test_browser.py).

Expected counts are computed here from the data files themselves, not from the page's own data.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from browsing import base_url, browser, chromium, page, project  # noqa: F401  (fixtures)

from bookbuild.sphinx_ext.explorer import INTERACTIVE, figure_names


def _table(project, name):
    with (project / "data" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _count(page) -> int:
    return int(page.get_attribute("#explorer-count", "data-shown"))


def _bodies(project) -> dict[str, list[dict[str, str]]]:
    actors = {a["actor_id"]: a for a in _table(project, "actors.csv")}
    out: dict[str, list[dict[str, str]]] = {}
    for link in _table(project, "event_actors.csv"):
        out.setdefault(link["event_id"], []).append(actors[link["actor_id"]])
    return out


def test_explorer_lists_every_event_and_filters_by_track_and_by_a_word(project, base_url, page):
    events = _table(project, "events.csv")
    page.goto(f"{base_url}/book/explorer.html", wait_until="load")
    assert page.locator("#events-table tbody tr").count() == len(events)
    assert _count(page) == len(events)
    page.select_option("#explorer-track", "crypto-no")
    assert _count(page) == sum(e["track"] == "crypto-no" for e in events)
    assert page.locator("#events-table tbody tr:visible").count() == _count(page)
    assert f"{_count(page)} of {len(events)} events shown" in page.inner_text("#explorer-count")
    # a word in English: the title, description or place of the event says it
    page.select_option("#explorer-track", "")
    page.fill("#explorer-search", "hainan")
    assert _count(page) == sum(
        "hainan" in (e["title"] + " " + e["description"] + " " + e["place"]).casefold() for e in events
    )
    # and in Chinese: an issuing body's name in hanzi
    bodies = _bodies(project)
    page.fill("#explorer-search", "中国人民银行")
    assert (
        _count(page)
        == sum(any("中国人民银行" in b["name_zh"] for b in bodies.get(e["event_id"], [])) for e in events)
        > 0
    )
    assert "search=" in page.url
    assert not page.problems, "\n".join(page.problems)


def test_a_url_with_filter_state_restores_it_and_the_csv_download_holds_the_rows_shown(project, base_url, page):
    events = _table(project, "events.csv")
    page.goto(f"{base_url}/book/explorer.html?track=crypto-no&from=2021&to=2021", wait_until="load")
    assert page.input_value("#explorer-track") == "crypto-no" and page.input_value("#explorer-from") == "2021"
    expected = [e["event_id"] for e in events if e["track"] == "crypto-no" and e["date"].startswith("2021")]
    assert _count(page) == len(expected) > 0
    with page.expect_download() as download:
        page.click("#explorer-download")
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert [r["event_id"] for r in rows] == expected
    assert not page.problems, "\n".join(page.problems)


def test_hovering_a_timeline_mark_shows_its_source(project, base_url, page):
    events = {e["title"]: e for e in _table(project, "events.csv")}
    sources = {s["source_id"]: s for s in _table(project, "sources.csv")}
    page.goto(f"{base_url}/figures/fig-two-tracks-timeline.html", wait_until="load")
    page.wait_for_selector(".twotracks-chart[data-ready=true]", timeout=20_000)
    marks = page.locator(".twotracks-chart svg .mark-symbol path")
    assert marks.count() == len(_table(project, "../notebooks/figure-data/fig-two-tracks-timeline.csv"))
    for index in (0, marks.count() // 2):
        # from outside the chart, as a reader's pointer arrives: a jump from the last mark can land on its tooltip,
        # which then hides with no pointer move left to show the next one
        page.mouse.move(0, 0)
        marks.nth(index).hover(force=True)
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=5_000)
        text = tooltip.inner_text()
        title = next(t for t in events if t in text)
        assert sources[events[title]["source_id"]]["title"] in text
    assert not page.problems, "\n".join(page.problems)


@pytest.mark.parametrize("name", figure_names())
def test_every_figure_page_loads_without_errors_and_its_package_is_the_plotted_data(name, project, base_url, page):
    page.goto(f"{base_url}/figures/{name}.html", wait_until="load")
    assert page.evaluate("document.querySelector('figure img').naturalWidth") > 0
    if name in INTERACTIVE:
        page.wait_for_selector(".twotracks-chart[data-ready=true]", timeout=20_000)
    assert page.locator("#cite-this-figure pre").inner_text().startswith("@incollection{")
    # the page links back to its figure in the chapter
    back = page.get_attribute(".twotracks-figure-back a", "href")
    assert back.endswith(f"#{name}")
    plotted = (project / "notebooks" / "figure-data" / f"{name}.csv").read_bytes()
    assert page.request.get(f"{base_url}/figures/{name}/{name}.csv").body() == plotted
    archive = zipfile.ZipFile(io.BytesIO(page.request.get(f"{base_url}/figures/{name}-datapackage.zip").body()))
    assert archive.read(f"{name}/{name}.csv") == plotted
    assert b'"CC-BY-4.0"' in archive.read(f"{name}/datapackage.json")
    assert not page.problems, "\n".join(page.problems)


def test_each_chapter_figure_links_its_page(project, base_url, page):
    page.goto(f"{base_url}/notebooks/01_two_tracks_over_time.html", wait_until="load")
    href = page.get_attribute("a:has-text('Figure page') >> nth=0", "href")
    assert href == "../figures/fig-two-tracks-timeline.html"
    page.click("a:has-text('Figure page') >> nth=0")
    assert page.url.endswith("/figures/fig-two-tracks-timeline.html")
    assert "make lab" in page.goto(f"{base_url}/notebooks/01_two_tracks_over_time.html").text()


def test_without_javascript_the_whole_table_is_there(project, base_url, browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/book/explorer.html?track=crypto-no", wait_until="load")
        rows = page.locator("#events-table tbody tr")
        assert rows.count() == len(_table(project, "events.csv"))
        assert page.locator("#events-table tbody tr:visible").count() == rows.count()
        assert page.locator("#explorer-form").count() == 0  # no controls that could not work
    finally:
        context.close()
