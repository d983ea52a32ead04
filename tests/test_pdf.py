"""`make pdf` in a private copy of the shared planted site: A4 PDFs with their heads, page numbers, metadata and
no file links, linked from every page's download menu; a PNG of each PDF's first page in _build/test-artifacts/."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browsing import ARTIFACTS, CHAPTERS, browser, chromium, site_pages  # noqa: F401  (fixtures)
from built_site import planted_site
from project_copies import Edit, run

from bookbuild.edition import load_edition
from bookbuild.toc import toc_files


def pdf_links(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    uris = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def outline_titles(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [str(item.title) for item in PdfReader(pdf).outline if not isinstance(item, list)]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A private copy of the shared planted site: `make pdf` adds the PDFs to the site it prints."""
    target = tmp_path_factory.mktemp("pdf") / "project"
    shutil.copytree(planted_site(tmp_path_factory), target, symlinks=True)
    return target


@pytest.fixture(scope="module")
def printed(project, chromium):
    """`make pdf`'s printing step, run once on the module's copy."""
    result = run(project, sys.executable, "-m", "bookbuild.pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def publish(project: Path):
    return run(project, sys.executable, "-m", "bookbuild.publish")


def pdf_menu_links(html_text: str) -> list[str]:
    return re.findall(r'href="([^"]+\.pdf)"\s+target="_blank"\s+class="btn btn-sm btn-download-pdf-button', html_text)


def test_make_pdf_prints_a4_briefing_pdfs_with_heads_page_numbers_metadata_and_no_file_links(project, printed):
    out = project / "_build" / "pdf"
    expected = {Path(c).stem + ".pdf" for c in CHAPTERS} | {"whole-book.pdf", "briefing.pdf"}
    assert {p.name for p in out.glob("*.pdf")} == expected
    assert not list((project / "_build").glob("pdf.new-*"))
    edition = load_edition()
    as_of = json.loads((project / "data" / "datapackage.json").read_text(encoding="utf-8"))["as_of"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for pdf in sorted(out.glob("*.pdf")):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+|Page size:.*\(A4\)", info), f"{pdf.name} is not A4:\n{info}"
        assert f"Author:          {edition.author_text}" in info and "Subject:" in info, info
        assert re.search(r"^Title:\s+\S", info, re.M), info
        pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        text = " ".join(pages.split())
        assert f"version {edition.version}" in text and "this copy built on" in text, pdf.name
        assert f"data as of {as_of}" in text and "page 1 of" in text and "page 2 of" in text, pdf.name  # head, foot
        assert "glue_value(" not in text and "plt.subplots(" not in text and "Show code" not in text, pdf.name
        assert ("Cite this chapter" if pdf.stem in {Path(c).stem for c in CHAPTERS} else "") in text, pdf.name
        assert not [u for u in pdf_links(pdf) if not u.startswith(("http://", "https://", "mailto:"))], pdf.name
        body = [
            [
                line
                for line in page.splitlines()
                if line.strip()
                and edition.title not in line
                and "data as of" not in line  # the running head
                and not re.fullmatch(r"page \d+ of \d+", line.strip())  # the foot
            ]
            for page in pages.split("\f")[:-1]
        ]
        # pages numbered through the document (the whole book's too: chromium restarts its count on every page)
        sheets = pages.split("\f")[:-1]
        feet = [re.findall(r"page (\d+) of (\d+)", sheet) for sheet in sheets]
        assert feet == [[(str(n), str(len(sheets)))] for n in range(1, len(sheets) + 1)], f"{pdf.name}: {feet[:3]}"
        heads = [line for line in pages.splitlines() if "data as of" in line]
        assert not [h for h in heads if h.count(edition.title.replace("'", "\u2019")) + h.count(edition.title) > 1]
        # a figure taller than the page would leave one empty (pushed to the next) and be cut across two
        assert not [n for n, lines in enumerate(body, start=1) if not lines], f"{pdf.name}: empty pages"
        if pdf.stem in {Path(c).stem for c in CHAPTERS}:  # wide tables shrink their type, never split a word
            page = (project / "_build" / "html" / "notebooks" / f"{pdf.stem}.html").read_text(encoding="utf-8")
            headers = " ".join(re.sub(r"<[^>]+>", " ", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S))
            split = sorted({w for w in re.findall(r"[A-Za-z]{6,}", headers) if w not in text})
            assert not split, f"{pdf.name}: table headings broken across lines: {split}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / f"pdf-{pdf.stem}")],
            check=True,
            capture_output=True,
        )
    book = subprocess.run(["pdftotext", str(out / "whole-book.pdf"), "-"], capture_output=True, text=True).stdout
    assert "习近平" in book  # Chinese is typeset (the references carry it)
    assert book.count("Cite this chapter") == len(CHAPTERS)
    titles = outline_titles(out / "whole-book.pdf")
    assert len(titles) == len(toc_files()) and "Key findings in five minutes" in titles, titles
    # the PDFs are in the site, and every page's download menu links one that exists
    site = project / "_build" / "html"
    for path in site_pages(project):
        html_text = (site / path).read_text(encoding="utf-8")
        links = pdf_menu_links(html_text)
        if 'http-equiv="Refresh"' in html_text[:300] or path in ("search.html", "genindex.html"):
            continue
        if path.startswith("figures/"):  # a figure page has no download menu: its downloads are PNG, SVG, data
            assert "btn-download-pdf-button" not in html_text and ".svg" in html_text, path
            continue
        assert links, f"{path}: no PDF in the download menu"
        assert ((site / path).parent / links[0]).resolve().is_file(), f"{path}: {links[0]} does not exist"


def test_pdfs_of_an_older_book_are_neither_linked_nor_served(project, printed):
    """(The site's build step alone: this copy's data are planted.) After `make pdf` the book is up to date; once an input changes, the rebuilt site drops the PDFs (their
    numbers may be older than its pages'), each download menu prints the page instead, and _build/pdf keeps them."""
    site = project / "_build" / "html"
    result = publish(project)
    assert result.returncode == 0 and "up to date, nothing rebuilt" in result.stdout, result.stdout + result.stderr
    intro = Edit(project / "book" / "intro.md")
    intro.append("\nA sentence added after the PDFs were printed.\n")
    try:
        result = publish(project)
        assert result.returncode == 0, result.stdout + result.stderr
        assert not (site / "pdf").exists(), "the rebuilt site serves PDFs of the book before the change"
        linking = [p for p in site_pages(project) if pdf_menu_links((site / p).read_text(encoding="utf-8"))]
        assert not linking, f"pages link PDFs of the book before the change: {linking[:3]}"
        chapter = (site / CHAPTERS[0]).read_text(encoding="utf-8")
        assert 'onclick="window.print()"\n  class="btn btn-sm btn-download-pdf-button' in chapter
        assert len(list((project / "_build" / "pdf").glob("*.pdf"))) == len(CHAPTERS) + 2
    finally:
        intro.restore()


def test_with_a_base_url_a_pdf_links_other_pages_absolutely(project, browser, tmp_path):
    from bookbuild.pdf import print_page

    site = project / "_build" / "html"
    target = tmp_path / "chapter.pdf"
    print_page(browser, site / CHAPTERS[0], target, site, "https://example.org/report/", 1)
    links = pdf_links(target)
    assert any(u.startswith("https://example.org/report/book/references.html") for u in links), links
    assert not [u for u in links if u.startswith("file:")]
