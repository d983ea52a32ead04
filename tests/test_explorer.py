"""The events explorer, the figure pages and the interactive charts, without a browser (the extension's parts).

The browser tests (tests/test_explorer_browser.py) check the built pages; these check what they are made of.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from conftest import REAL_DATA, read_table, write_table

from bookbuild.sphinx_ext import explorer
from twotracks.figures import TRACK_COLOURS, figure_data_path
from twotracks.present import format_date


def _events() -> list[dict[str, str]]:
    with (REAL_DATA / "events.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_event_is_loaded_once_with_its_date_at_its_precision_and_its_bodies():
    events = explorer.load_events()
    rows = _events()
    assert [e.id for e in events] == [r["event_id"] for r in rows]
    with (REAL_DATA / "event_actors.csv").open(encoding="utf-8", newline="") as handle:
        links = list(csv.DictReader(handle))
    for event, row in zip(events, rows):
        assert event.date_text.startswith(format_date(row["date"], row["date_precision"]))
        assert [b["actor_id"] for b in event.bodies] == [
            l["actor_id"] for l in links if l["event_id"] == row["event_id"]
        ]
    pboc = next(b for e in events for b in e.bodies if b["actor_id"] == "pboc")
    assert pboc["name_zh"] == "中国人民银行" and pboc["name_pinyin"]


def test_a_date_range_shows_both_ends():
    event = explorer.Event({"event_id": "x", "date": "2021-05", "date_precision": "month", "date_end": "2021-06-30"})
    assert event.date_text == "May 2021 to 30 Jun 2021"


def test_the_chapter_of_an_event_follows_the_three_rules_in_order():
    texts = {
        "notebooks/a": ("cites src-1 and names ev-1", ""),
        "notebooks/b": ("cites src-1", "ev-2,plotted"),
        "notebooks/c": ("nothing", ""),
    }
    assert explorer.chapters_for("ev-1", "src-1", texts) == ["notebooks/a"]  # named in the notebook
    assert explorer.chapters_for("ev-2", "src-1", texts) == ["notebooks/b"]  # plotted in its figure data
    assert explorer.chapters_for("ev-3", "src-1", texts) == ["notebooks/a", "notebooks/b"]  # its source is cited
    assert explorer.chapters_for("ev-4", "src-9", texts) == []


def test_most_events_have_a_chapter():
    events = explorer.load_events()
    assert sum(bool(e.chapters) for e in events) >= 0.9 * len(events)


def test_places_map_to_the_provinces_they_name():
    provinces = [{"province_code": "CN-HB", "name_en": "Hubei"}, {"province_code": "CN-HI", "name_en": "Hainan"}]
    assert [p["province_code"] for p in explorer.provinces_in("Wuhan, Hubei", provinces)] == ["CN-HB"]
    assert explorer.provinces_in("Shenzhen; Suzhou", provinces) == []
    assert explorer.provinces_in("", provinces) == []


def test_json_in_a_script_element_cannot_close_it():
    text = explorer.script_json({"title": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["title"].startswith("</script>")


def test_explorer_record_searches_english_hanzi_and_pinyin_and_its_csv_row_is_plain_text():
    event = next(e for e in explorer.load_events() if any(b["actor_id"] == "pboc" for b in e.bodies))
    record = explorer.explorer_record(event, {}, {})
    assert "中国人民银行" in record["search"] and "People's Bank of China" in record["search"]
    assert record["csv"]["event_id"] == event.id and record["year"] == int(event.row["date"][:4])
    assert "pboc" in record["actors"]


def test_every_figure_has_its_source_line_read_from_its_notebook():
    lines = explorer.source_lines()
    names = explorer.figure_names()
    assert names and set(names) <= set(lines)
    assert lines["fig-two-tracks-timeline"].startswith("the report's events table")


def test_figure_package_names_sources_licence_units_and_version(tmp_path):
    name = "fig-two-tracks-timeline"
    text = figure_data_path(name).read_text(encoding="utf-8")
    sources = {
        "pboc-2013-bitcoin-risk-notice": {
            "title": "Notice",
            "publisher": "PBOC",
            "date": "2013-12-05",
            "url": "https://example.org/n",
        }
    }
    package = explorer.figure_package(name, "Figure 1.1", "the events table", text, "9.9.9", sources)
    assert package["version"] == "9.9.9" and package["licenses"][0]["name"] == "CC-BY-4.0"
    resource = package["resources"][0]
    assert resource["path"] == f"{name}.csv"
    header = next(csv.reader(io.StringIO(text)))
    assert [f["name"] for f in resource["schema"]["fields"]] == header
    assert {"title": "Source line of the figure: the events table"} in package["sources"]
    assert any(s.get("path") == "https://example.org/n" for s in package["sources"])
    hashrate = explorer.figure_package("h", "t", "", "month,share_pct,hashrate_eh_s\n2020-01,50.5,10\n", "1", {})
    fields = {f["name"]: f for f in hashrate["resources"][0]["schema"]["fields"]}
    assert fields["share_pct"] == {"name": "share_pct", "type": "number", "unit": "percent"}
    assert fields["hashrate_eh_s"]["type"] == "integer" and "EH/s" in fields["hashrate_eh_s"]["unit"]


def test_figure_zip_is_the_same_bytes_every_time_and_holds_the_files():
    files = {"f/f.csv": b"a,b\n1,2\n", "f/datapackage.json": b"{}"}
    first = explorer.zip_bytes(files)
    assert first == explorer.zip_bytes(dict(reversed(list(files.items()))))
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.read("f/f.csv") == files["f/f.csv"]


@pytest.mark.parametrize("name", explorer.INTERACTIVE)
def test_interactive_chart_draws_the_rows_of_the_same_csv_as_the_static_figure(name):
    # the static figure's plotted data is what publish_figure wrote to figure_data_path(name); the extension
    # reads that very file, and the chart's rows are its rows, unchanged, with only joined fields added ("_...")
    assert explorer.FIGURE_DATA / f"{name}.csv" == figure_data_path(name)
    with figure_data_path(name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    spec = explorer.chart_spec(name, explorer.chart_rows(name, rows))
    values = spec["data"]["values"]
    assert [{k: v for k, v in value.items() if not k.startswith("_")} for value in values] == rows
    assert all(value["_link"] and value["_source"] for value in values)
    assert all(
        value["_start"][:4] == (value.get("date") or value.get("month"))[:4] for value in values if value["_start"]
    )


def test_chart_colours_are_the_house_palette():
    rows = [
        {
            "event_id": "e",
            "date": "2020",
            "date_precision": "year",
            "track": t,
            "kind": "plan",
            "title": "x",
            "source_id": "s",
            "confidence": "stated",
        }
        for t in ("blockchain-yes", "crypto-no")
    ]
    spec = explorer.chart_spec("fig-two-tracks-timeline", explorer.chart_rows("fig-two-tracks-timeline", rows))
    scale = spec["encoding"]["color"]["scale"]
    assert scale["range"] == [TRACK_COLOURS[t] for t in scale["domain"]]


def test_a_changed_plotted_csv_changes_the_chart(tmp_path, monkeypatch):
    name = "fig-two-tracks-timeline"
    header, rows = read_table(figure_data_path(name))
    rows = rows[:2]
    rows[0][header.index("title")] = "A planted title <b>"
    copy = tmp_path / f"{name}.csv"
    write_table(copy, header, rows)
    with copy.open(encoding="utf-8", newline="") as handle:
        spec = explorer.chart_spec(name, explorer.chart_rows(name, list(csv.DictReader(handle))))
    assert [v["title"] for v in spec["data"]["values"]] == [r[header.index("title")] for r in rows]


def test_figure_page_escapes_the_plotted_data():
    table = explorer._table_html('a,b\n"<script>x</script>",&amp;\n')
    assert "<script>" not in table and "&lt;script&gt;" in table and "&amp;amp;" in table


def test_vendor_files_are_pinned_in_package_json_and_the_lock():
    package = json.loads((explorer.ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((explorer.ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for dependency, _ in explorer.VENDOR:
        version = package["dependencies"][dependency]
        assert version[0].isdigit(), f"{dependency} is not pinned to one version: {version}"
        assert lock["packages"][f"node_modules/{dependency}"]["version"] == version
        entry = lock["packages"][f"node_modules/{dependency}"]
        assert entry["integrity"].startswith("sha512-") and entry["license"] == "BSD-3-Clause"


def test_figure_image_files_are_offered_when_written_else_the_glued_png_with_a_note(tmp_path):
    folder, out = tmp_path / "figure-data", tmp_path / "site"
    folder.mkdir()
    out.mkdir()
    glued = tmp_path / "glued.png"
    glued.write_bytes(b"glued")
    links, notes = explorer.image_downloads("fig-x", out, glued, folder)
    assert (out / "fig-x.png").read_bytes() == b"glued" and "as shown in the chapter" in links[0]
    assert notes == ["SVG: not yet written for this figure (notebooks/figure-data/fig-x.svg is missing)."]
    for suffix in (".png", ".svg", "-dark.png"):  # the files publish_figure writes on the reader branch
        (folder / f"fig-x{suffix}").write_bytes(suffix.encode())
    links, notes = explorer.image_downloads("fig-x", out, glued, folder)
    assert notes == [] and len(links) == 3
    assert (out / "fig-x.png").read_bytes() == b".png" and (out / "fig-x.svg").read_bytes() == b".svg"
    assert 'href="fig-x-dark.png"' in links[2]
    # neither a PNG nor a glued image: a note, never a broken link
    links, notes = explorer.image_downloads("fig-y", out, None, folder)
    assert links == [] and len(notes) == 2


def test_the_palette_read_from_twotracks_figures_is_the_one_it_defines():
    import twotracks.figures as figures

    palette = explorer.house_palette()
    for name in ("OKABE_ITO", "TRACKS", "TRACK_COLOURS", "TRACK_LABELS", "TRACK_MARKERS"):
        assert palette[name] == getattr(figures, name)


def test_explorer_table_escapes_every_value_and_links_source_and_chapter():
    planted = "<script>window.__planted = 3</script>"
    event = explorer.Event(
        {
            "event_id": 'e"1',
            "date": "2017-09-04",
            "date_precision": "day",
            "track": "crypto-no",
            "kind": "ban",
            "title": planted,
            "place": "<b>Hainan</b>",
            "source_id": "s1",
            "confidence": "stated",
        },
        [{"actor_id": "a", "name_en": "A & B", "name_zh": "中国<i>", "name_pinyin": "x", "role": "issuer"}],
        [],
        ["notebooks/01_two_tracks_over_time"],
    )
    sources = {"s1": {"title": "T<", "publisher": "P", "date": "2017", "url": 'https://example.org/?a=1&b="2"'}}
    table = explorer.explorer_table(
        [event], sources, {"notebooks/01_two_tracks_over_time": "Chapter 1"}, "book/explorer"
    )
    assert "<script>" not in table and "<b>" not in table and "<i>" not in table
    assert "&lt;script&gt;" in table and "A &amp; B" in table and 'id="event-e&quot;1"' in table
    assert "<td>4 Sep 2017</td>" in table
    assert 'href="references.html#cite-s1"' in table and 'href="https://example.org/?a=1&amp;b=&quot;2&quot;"' in table
    assert 'href="../notebooks/01_two_tracks_over_time.html"' in table and ">Chapter 1</a>" in table


def test_swimlanes_have_one_lane_per_exchange():
    name = "fig-exchange-swimlanes"
    with figure_data_path(name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    spec = explorer.chart_spec(name, explorer.chart_rows(name, rows))
    moves = spec["layer"][1]
    lanes = {v[moves["encoding"]["y"]["field"]] for v in spec["data"]["values"] if v["exchange_id"]}
    assert len(lanes) == len({r["exchange_id"] for r in rows if r["exchange_id"]}) == 3
