"""Publishing for readers: citations, the edition, generated pages, a self-contained site, escaped data.

Checks the HTML of a built copy of the project (see built_site.py); the real-browser checks are in
test_browser.py.
"""

from __future__ import annotations

import csv
import html as html_lib
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
import yaml
from built_site import PLANTED_DESCRIPTION, PLANTED_MEANING, PLANTED_TERM, Page, css_urls, is_external, planted_site
from project_copies import built_copy, built_project, run

from bookbuild.edition import (
    BASEURL_ENV,
    EPOCH_ENV,
    NO_ADDRESS,
    SettingError,
    base_url,
    build_date,
    chapter_numbers,
    cite_chapter,
    cite_report,
    load_edition,
)
from bookbuild.toc import notebooks_in_toc
from twotracks.paths import ROOT


def cff_validator() -> jsonschema.Validator:
    """The CFF 1.2.0 JSON schema, as cffconvert ships it, with format checks."""
    spec = importlib.util.find_spec("cffconvert")
    assert spec is not None, "cffconvert is not installed: run `make setup`"
    schema_path = Path(next(iter(spec.submodule_search_locations))) / "schemas" / "1.2.0" / "schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def test_citation_cff_is_valid_cff_1_2_0():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in cff_validator().iter_errors(cff)]
    assert not problems, problems


def test_a_chapter_citation_is_built_from_citation_cff_and_the_chapter():
    edition = load_edition()
    citation = cite_chapter(edition, "notebooks/07_example", "An example chapter", 7, base="https://example.org/r/")
    for form in (citation.full, citation.bibtex, citation.ris):
        assert edition.title in form and edition.version in form and "An example chapter" in form
        assert "https://example.org/r/notebooks/07_example.html" in form
    assert citation.inline == f"({edition.author_text} {edition.year}, ch. 7)"
    assert "chapter = {7}" in citation.bibtex and citation.bibtex.startswith("@incollection{")
    assert "publisher = {" in citation.bibtex  # plain BibTeX requires it for @incollection
    assert citation.ris.startswith("TY  - CHAP\r\n") and citation.ris.endswith("ER  -\r\n")
    assert citation.csl["type"] == "chapter" and citation.csl["URL"].endswith("notebooks/07_example.html")
    assert citation.csl["issued"] == {"date-parts": [[int(x) for x in edition.released.split("-")]]}


def test_without_an_address_a_citation_says_so_instead_of_a_relative_path():
    edition = load_edition()
    citation = cite_chapter(edition, "notebooks/07_example", "An example chapter", 7, base="")
    if edition.url:
        pytest.skip("CITATION.cff gives the site's url")
    assert NO_ADDRESS in citation.full and citation.address is None
    for form in (citation.full, citation.bibtex, citation.ris, json.dumps(citation.csl)):
        assert "07_example.html" not in form


def test_the_base_url_is_one_setting_overridable_at_build_time(monkeypatch, tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("html:\n  baseurl: https://example.org/report\n", encoding="utf-8")
    monkeypatch.delenv(BASEURL_ENV, raising=False)
    assert base_url(config) == "https://example.org/report/"
    monkeypatch.setenv(BASEURL_ENV, "https://mirror.example/x/")
    assert base_url(config) == "https://mirror.example/x/"
    monkeypatch.setenv(BASEURL_ENV, "")
    assert base_url(config) is None


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "file:///etc/",
        "/report/",
        "example.org/report",
        "https://",
        "https://x.org/r?a=1",
        'https://x.org/"><script>',
        "https://x.org/a b",
    ],
)
def test_a_base_url_that_is_not_an_http_address_is_refused_naming_the_setting(monkeypatch, value):
    monkeypatch.setenv(BASEURL_ENV, value)
    with pytest.raises(SettingError, match=rf"^\${BASEURL_ENV} is .*must be an http\(s\) address"):
        base_url()


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "\u0661\u0667\u0660\u0660", " 1700000000", "9" * 30])
def test_a_source_date_epoch_that_is_not_whole_seconds_is_refused_naming_it(monkeypatch, value):
    monkeypatch.setenv(EPOCH_ENV, value)
    with pytest.raises(SettingError, match=rf"^\${EPOCH_ENV} is "):
        build_date()
    monkeypatch.setenv(EPOCH_ENV, "1764806400")
    assert build_date() == "2025-12-04"


def test_the_site_is_rebuilt_when_its_address_or_fixed_build_date_changes(monkeypatch):
    """They are printed in every page (citations, footer): a site built under another is not up to date."""
    from bookbuild.publish import content_hash

    monkeypatch.delenv(BASEURL_ENV, raising=False)
    monkeypatch.delenv(EPOCH_ENV, raising=False)
    plain = content_hash()
    monkeypatch.setenv(BASEURL_ENV, "https://example.org/report/")
    addressed = content_hash()
    monkeypatch.setenv(EPOCH_ENV, "1764806400")
    dated = content_hash()
    assert len({plain, addressed, dated}) == 3


@pytest.mark.parametrize("env", [{BASEURL_ENV: "javascript:alert(1)"}, {EPOCH_ENV: "tomorrow"}])
def test_make_book_with_an_unusable_setting_stops_in_one_line_and_keeps_the_site(tmp_path_factory, env):
    from project_copies import site, tree_digest

    project = built_project(tmp_path_factory)
    before = tree_digest(project / "_build")
    result = subprocess.run(
        [sys.executable, "-m", "bookbuild.publish"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project / "src"), **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    name = next(iter(env))
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"error: ${name} is {env[name]!r}: "), result.stderr
    assert lines[1] == "error: the book did not build; the last good site in _build/html was left as it was"
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_digest(project / "_build") == before and (site(project) / "index.html").is_file()


def ensure_bibtex() -> str:
    """Debian's bibtex and its standard styles, installed with apt-get as root (as bookbuild.browser does)."""
    import shutil
    import subprocess

    def ready() -> bool:
        return (
            bool(shutil.which("bibtex"))
            and subprocess.run(["kpsewhich", "plain.bst"], capture_output=True).returncode == 0
        )

    if not ready():
        from bookbuild import browser

        if os.geteuid() != 0 or not shutil.which("apt-get"):
            pytest.skip("bibtex is missing: apt-get install texlive-binaries texlive-base (needs root)")
        browser._apt_install(["texlive-binaries", "texlive-base"])
    return shutil.which("bibtex")


@pytest.mark.parametrize("base", ["", "https://example.org/report/"])
def test_plain_bibtex_accepts_every_citation_without_a_warning(tmp_path, base):
    import subprocess

    bibtex = ensure_bibtex()
    edition = load_edition()
    entries = [
        cite_chapter(
            edition,
            c.relative_to(ROOT).with_suffix("").as_posix(),
            "A chapter: \u201cquoted\u201d & 50% #1",
            n,
            base=base,
        ).bibtex
        for n, c in enumerate(notebooks_in_toc(), start=1)
    ]
    entries.append(cite_report(edition, base=base).bibtex)
    (tmp_path / "refs.bib").write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    keys = [re.match(r"@\w+\{([^,]+),", e).group(1) for e in entries]
    aux = "".join(f"\\citation{{{k}}}\n" for k in keys) + "\\bibstyle{plain}\n\\bibdata{refs}\n"
    (tmp_path / "doc.aux").write_text(aux, encoding="utf-8")
    result = subprocess.run([bibtex, "doc"], cwd=tmp_path, capture_output=True, text=True)
    log = result.stdout + result.stderr
    assert result.returncode == 0 and "Warning--" not in log and "error" not in log.lower(), log
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\bibitem") == len(keys) and "The China Two Tracks report team" in bbl
    assert "{China's two tracks: blockchain yes, crypto no}" in bbl  # case kept: the title is braced


def test_every_chapter_page_has_highwire_tags_and_reference_manager_files(site):
    edition = load_edition()
    for notebook, page in chapter_html(site):
        text = page.read_text(encoding="utf-8")
        tags = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)"', text))
        assert tags.get("citation_title") and tags.get("citation_author") == edition.authors[0], page
        assert tags["citation_publication_date"] == edition.released.replace("-", "/")
        assert html_lib.unescape(tags["citation_book_title"]) == edition.title
        assert tags["citation_version"] == edition.version
        stem = notebook.stem
        for suffix in ("bib", "ris", "json"):
            assert f'href="../cite/{stem}.{suffix}"' in text, (page, suffix)
            assert (site / "cite" / f"{stem}.{suffix}").is_file()
        csl = json.loads((site / "cite" / f"{stem}.json").read_text(encoding="utf-8"))
        assert csl[0]["title"] == html_lib.unescape(tags["citation_title"]) and csl[0]["type"] == "chapter"
        assert (site / "cite" / f"{stem}.ris").read_text(encoding="utf-8").startswith("TY  - CHAP")


def test_chapters_are_numbered_in_table_of_contents_order():
    numbers = chapter_numbers()
    chapters = [p.relative_to(ROOT).with_suffix("").as_posix() for p in notebooks_in_toc()]
    assert [numbers[c] for c in chapters] == list(range(1, len(chapters) + 1))


# The tests below read a copy of the project built once for the test run, with markup planted in its data.


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return planted_site(tmp_path_factory)


@pytest.fixture(scope="module")
def site(project) -> Path:
    return project / "_build" / "html"


def pages(site: Path) -> list[Path]:
    """The site's pages (not the theme's template fragments under _static/)."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


def chapter_html(site: Path) -> list[tuple[Path, Path]]:
    return [(nb, site / nb.relative_to(ROOT).with_suffix(".html")) for nb in notebooks_in_toc()]


def test_every_chapter_page_carries_its_citation(site):
    edition = load_edition()
    for notebook, html in chapter_html(site):
        text = html.read_text(encoding="utf-8")
        assert 'id="cite-this-chapter"' in text, html
        block = html_lib.unescape(re.sub(r"<[^>]+>", "", text[text.index('id="cite-this-chapter"') :]))

        heading = re.search(r'id="jb-print-docs-body"[^>]*>\s*<h1>(.*?)</h1>', text, re.S).group(1).strip()
        docname = notebook.relative_to(ROOT).with_suffix("").as_posix()
        assert heading in block and edition.version in block and edition.released in block
        assert "@incollection" in block and f"booktitle = {{{{{edition.title}}}}}" in block
        # the copy is built without an address: no relative path posing as one
        assert (NO_ADDRESS in block and f"{docname}.html" not in block) or edition.url


def test_every_page_shows_the_version_and_build_date(site):
    edition = load_edition()
    for page in pages(site):
        if page.name in ("genindex.html", "search.html") or "Refresh" in page.read_text(encoding="utf-8")[:200]:
            continue  # generated indexes and the home redirect
        text = page.read_text(encoding="utf-8")
        assert f"version {edition.version}" in text, page
        assert re.search(r"this copy built on \d{4}-\d{2}-\d{2}", text), page
        assert re.search(r"Last updated on \d{4}-\d{2}-\d{2}", text), page


def test_in_text_citations_link_to_stable_anchors_on_the_references_page(site):
    references = Page((site / "book" / "references.html").read_text(encoding="utf-8"))
    with (ROOT / "data" / "sources.csv").open(encoding="utf-8") as handle:
        source_ids = [row["source_id"] for row in csv.DictReader(handle)]
    assert all(f"cite-{s}" in references.ids for s in source_ids)
    citing = [
        html.name
        for _, html in chapter_html(site)
        if any("references.html#cite-" in link for link in Page(html.read_text(encoding="utf-8")).links)
    ]
    assert citing, "no chapter cites a source in its text"  # (the link check below resolves every one)


def test_a_chapter_that_cites_cites_every_source_of_its_figure_data():
    """No fact without a source: a chapter using {cite} cites every source its plotted events name."""
    for notebook in notebooks_in_toc():
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        cited = {key.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", markdown) for key in group.split(",")}
        if not cited:
            continue
        for name in set(re.findall(r"figure-data/([\w-]+\.csv)", markdown)):
            with (ROOT / "notebooks" / "figure-data" / name).open(encoding="utf-8") as handle:
                sources = {row["source_id"] for row in csv.DictReader(handle) if row.get("source_id")}
            assert sources <= cited, f"{notebook.name} does not cite {sorted(sources - cited)} (from {name})"


def test_headings_and_figures_have_stable_anchors(site):
    for notebook, html in chapter_html(site):
        text = html.read_text(encoding="utf-8")
        sections = re.findall(r'<section[^>]* id="([^"]+)">\s*(?:<span id="[^"]+"></span>)?<h[1-6]>', text)
        assert sections and all(not re.fullmatch(r"id\d+", s) for s in sections), sections
        names = re.findall(r":name: ([\w-]+)", notebook.read_text(encoding="utf-8"))
        for name in names:
            assert f'id="{name}"' in text, f"figure {name} has no anchor on {html.name}"


def test_the_site_loads_nothing_from_another_host(site):
    offending = []
    for page in pages(site):
        parsed = Page(page.read_text(encoding="utf-8"))
        offending += [f"{page.relative_to(site)}: <{tag}> {url}" for tag, url in parsed.loads if is_external(url)]
    for sheet in site.rglob("*.css"):
        offending += [
            f"{sheet.relative_to(site)}: {url}"
            for url in css_urls(sheet.read_text(encoding="utf-8", errors="replace"))
            if is_external(url)
        ]
    assert not offending, "\n".join(offending)


def test_the_scan_would_catch_an_external_load():
    page = Page(
        '<link rel="stylesheet" href="https://cdn.example/x.css"><img src="//t.example/p.gif">'
        '<script src="https://cdn.example/x.js"></script><a href="https://example.org/">a link is fine</a>'
    )
    assert sum(is_external(url) for _, url in page.loads) == 3
    assert css_urls("@import 'https://fonts.example/f.css'; a { background: url(https://x.example/i.png) }") == [
        "https://fonts.example/f.css",
        "https://x.example/i.png",
    ]


def test_every_internal_link_and_load_resolves(site):
    broken = []
    cache: dict[Path, set[str]] = {}

    def ids(path: Path) -> set[str]:
        if path not in cache:
            cache[path] = Page(path.read_text(encoding="utf-8")).ids
        return cache[path]

    for page in pages(site):
        parsed = Page(page.read_text(encoding="utf-8"))
        for url in parsed.links + [u for _, u in parsed.loads]:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("//", "mailto:", "javascript:")) or not (parts.path or parts.fragment):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url} (no such file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids(target):
                broken.append(f"{page.relative_to(site)}: {url} (no such anchor)")
    assert not broken, "\n".join(broken)


def test_the_data_page_offers_every_table_and_every_figures_data(project, site):
    text = (site / "book" / "data.html").read_text(encoding="utf-8")
    descriptor = json.loads((project / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        name = Path(resource["path"]).name
        assert re.search(rf'href="\.\./_downloads/[0-9a-f]+/{re.escape(name)}"', text), name
        assert (site / "_downloads").rglob(name)
    for csv_path in (project / "notebooks" / "figure-data").glob("*.csv"):
        assert re.search(rf'href="\.\./_downloads/[0-9a-f]+/{re.escape(csv_path.name)}"', text), csv_path.name
        assert 'href="../notebooks/' in text and f"#{csv_path.stem}" in text


def test_the_glossary_gives_every_term_an_anchor_and_the_text_links_to_it(project, site):
    glossary = Page((site / "book" / "glossary.html").read_text(encoding="utf-8"))
    terms = [row["term_en"] for row in csv.DictReader((project / "data" / "glossary.csv").open(encoding="utf-8"))]
    terms += [
        row["name_en"]
        for row in csv.DictReader((project / "data" / "actors.csv").open(encoding="utf-8"))
        if row["name_zh"]
    ]
    anchors = {i for i in glossary.ids if i.startswith("term-")}
    assert len(anchors) == len({t.casefold() for t in terms})
    chapter = (site / "notebooks" / "01_two_tracks_over_time.html").read_text(encoding="utf-8")
    methods = (site / "book" / "methods.html").read_text(encoding="utf-8")
    for text in (chapter, methods):
        linked = set(re.findall(r'href="(?:\.\./book/)?glossary\.html#(term-[^"]+)"', text))
        assert linked and linked <= anchors


def test_markup_in_the_data_is_shown_as_text(site):
    glossary = (site / "book" / "glossary.html").read_text(encoding="utf-8")
    data = (site / "book" / "data.html").read_text(encoding="utf-8")
    assert PLANTED_TERM not in glossary and html_lib.escape(PLANTED_TERM, quote=False) in glossary
    assert not re.search(r"<img[^>]*__planted", glossary) and "&lt;img src=" in glossary  # quotes may be curled
    assert PLANTED_MEANING.split("> ")[1] in glossary  # MyST syntax in the data is not parsed either
    assert PLANTED_DESCRIPTION not in data and html_lib.escape(PLANTED_DESCRIPTION, quote=False) in data


def test_the_status_page_shows_each_notebooks_last_execution(tmp_path_factory):
    """On the project as committed, built by `make book`: every chapter current."""
    text = (built_project(tmp_path_factory) / "_build" / "html" / "book" / "status.html").read_text(encoding="utf-8")
    for notebook in notebooks_in_toc():
        stamp = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["twotracks_inputs"]
        assert notebook.name in text and stamp["code"][:12] in text and stamp["package"][:12] in text
        for name in stamp["files"]:
            assert name in text
    assert "<strong>current</strong>" in text and "<strong>stale</strong>" not in text
    assert re.search(r"Checked when this page was built, on \d{4}-\d{2}-\d{2}", text)


def test_the_status_page_shows_a_chapter_stale_when_its_data_changed_after_it_ran(site):
    """The planted copy changed an event's title and re-executed chapter 1 only: chapter 2 reads the events too."""
    text = (site / "book" / "status.html").read_text(encoding="utf-8")
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"(\d\d_[a-z_]+\.ipynb).*?<strong>(current|stale)</strong>", text, re.S)
    }
    assert rows.get("01_two_tracks_over_time.ipynb") == "current" and rows.get("02_state_actors.ipynb") == "stale", rows


def test_a_new_chapter_gets_its_citation_status_and_numbering_without_editing_any_page(tmp_path_factory, tmp_path):
    """Add a second chapter (a relabelled copy of the first) to a built copy of the project: it is cited as
    chapter 2, appears on the status page, and the book still builds with warnings as errors."""
    project = built_copy(tmp_path_factory, tmp_path)
    first = notebooks_in_toc()[0]
    text = (project / first.relative_to(ROOT)).read_text(encoding="utf-8")
    labels = set(re.findall(r":name: ([\w-]+)", text)) | set(re.findall(r"\(([\w-]+)\)=", text))
    for label in labels:
        text = text.replace(f":name: {label}", f":name: extra-{label}").replace(f"({label})=", f"(extra-{label})=")
    extra = project / "notebooks" / "99_extra_chapter.ipynb"
    extra.write_text(text, encoding="utf-8")
    toc = project / "_toc.yml"
    toc.write_text(
        toc.read_text(encoding="utf-8").replace(
            f"      - file: {first.relative_to(ROOT).with_suffix('').as_posix()}\n",
            f"      - file: {first.relative_to(ROOT).with_suffix('').as_posix()}\n      - file: notebooks/99_extra_chapter\n",
        ),
        encoding="utf-8",
    )
    result = run(project, sys.executable, "-m", "bookbuild.publish")
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "_build" / "html"
    page = html_lib.unescape((site / "notebooks" / "99_extra_chapter.html").read_text(encoding="utf-8"))
    assert 'id="cite-this-chapter"' in page and "ch. 2)" in page and "../cite/99_extra_chapter.ris" in page
    status = (site / "book" / "status.html").read_text(encoding="utf-8")
    assert "99_extra_chapter.ipynb" in status and first.name in status
