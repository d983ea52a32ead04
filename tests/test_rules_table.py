"""The ``{rules-in-force}`` directive: built by Sphinx, it lists every instrument with its status on the data date."""

from __future__ import annotations

import html
import re
import shutil

import pytest
from conftest import REAL_DATA, read_table, write_table
from sphinx.cmd.build import build_main

from bookbuild.sphinx_ext.rules import rules_in_force
from twotracks.present import format_date, status_text


def instruments() -> list[dict[str, str]]:
    header, rows = read_table(REAL_DATA / "instruments.csv")
    return [dict(zip(header, r)) for r in rows]


@pytest.fixture(scope="module")
def built_page(tmp_path_factory) -> str:
    source = tmp_path_factory.mktemp("rules-src")
    (source / "conf.py").write_text('extensions = ["bookbuild.sphinx_ext.rules"]\n', encoding="utf-8")
    (source / "index.rst").write_text("Rules\n=====\n\n.. rules-in-force::\n", encoding="utf-8")
    out = source / "_build"
    assert build_main(["-b", "html", "-q", "-W", str(source), str(out)]) == 0
    return (out / "index.html").read_text(encoding="utf-8")


def plain_quotes(text: str) -> str:
    """Sphinx's smart quotes turn ' and " into curly ones; compare text regardless."""
    return text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}))


def row_html(page: str, instrument_id: str) -> str:
    match = re.search(rf'<tr[^>]*id="rule-{re.escape(instrument_id)}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"no table row for {instrument_id}"
    return plain_quotes(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))))


def test_every_instrument_is_listed_once_with_its_status(built_page):
    rows = instruments()
    assert rows, "instruments.csv is empty"
    assert built_page.count('id="rule-') == len(rows)
    for row in rows:
        text = row_html(built_page, row["instrument_id"])
        assert plain_quotes(row["title_en"]) in text and plain_quotes(row["title_zh"]) in text
        assert status_text(row["status"], row.get("status_date")) in text
        if row["doc_number_en"]:
            assert row["doc_number_en"] in text


def test_the_table_states_the_data_date(built_page):
    as_of, _ = rules_in_force()
    assert f"status as of {format_date(as_of)}" in html.unescape(built_page)


def test_the_2021_notice_shows_its_replacement_and_is_not_in_force(built_page):
    by_number = {r["doc_number_en"]: r for r in instruments()}
    text = row_html(built_page, by_number["Yinfa [2021] No. 237"]["instrument_id"])
    assert "Repealed and replaced on 6 Feb 2026" in text and "Yinfa [2026] No. 42" in text
    assert "In force" not in text


def test_issuers_come_from_event_actors_and_the_approver_is_named():
    _, rows = rules_in_force()
    notice = next(r for r in rows if r["number"] == "Yinfa [2026] No. 42")
    for body in ("PBOC", "NDRC", "MIIT", "MPS", "SAMR", "NFRA", "CSRC", "SAFE"):
        assert body in notice["issued_by"]
    assert "approved by the State Council" in notice["issued_by"]


def test_a_body_that_no_longer_exists_is_the_then_body(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REAL_DATA, data)
    header, rows = read_table(data / "actors.csv")
    for r in rows:
        if r[header.index("actor_id")] == "pboc":
            r[header.index("status")] = "merged"
    write_table(data / "actors.csv", header, rows)
    _, table = rules_in_force(data)
    assert all("the then PBOC" in r["issued_by"] for r in table if "PBOC" in r["issued_by"])


def test_unknown_status_never_reads_as_in_force():
    assert status_text("unknown", "").startswith("Unknown")
    assert status_text("in-force", "2026-02-06") == "In force since 6 Feb 2026"


def test_the_summary_names_the_rule_in_force_and_what_it_replaced_never_an_unknown_one():
    from bookbuild.sphinx_ext.rules import summary_text

    text = summary_text()
    assert "Yinfa [2026] No. 42" in text and "which repealed and replaced Yinfa [2021] No. 237" in text
    in_force_part = text.split(". The status of")[0]
    for row in instruments():
        if row["status"] != "in-force" and row["doc_number_en"] and row["doc_number_en"] != "Yinfa [2021] No. 237":
            assert row["doc_number_en"] not in in_force_part
    unknown = sum(1 for r in instruments() if r["status"] == "unknown")
    assert f"The status of {unknown} earlier instrument" in text


def test_an_unknown_status_never_claims_the_instrument_was_not_replaced(built_page):
    for row in instruments():
        text = row_html(built_page, row["instrument_id"])
        if row["status"] == "unknown":
            assert "not replaced" not in text and "not stated" in text
