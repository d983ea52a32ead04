"""Print the book to PDF for briefings: one PDF per chapter, the briefing, and the whole book, in _build/pdf/.

Jupyter Book's own PDF builders do not work here (one downloads a browser, the other needs a TeX install
that cannot typeset Chinese). Instead Debian's chromium, driven by Playwright, prints the pages of the
published site:

* A4, with a running head (report, page title, version, data as of) and "page N of M" in the footer, counted
  through the document: a chapter's own pages in its PDF, the book's in the whole book (stamped after
  printing, since chromium numbers each printed page afresh);
* no code (the print stylesheet removes code cells and their toggles);
* links: to other hosts kept; within the page kept (the PDF links to itself); to other pages of the site
  made absolute under the published address (``html.baseurl`` or $TWOTRACKS_BASEURL) when one is
  configured, otherwise dropped, so a PDF never carries a ``file://`` link;
* title, author, subject and keywords in the document information; bookmarks from the headings.

``whole-book.pdf`` joins every page of _toc.yml in order, with one bookmark per page and the page's own
headings under it. The folder is stamped with the content hash of the site it printed; the site is then
published again, now serving the PDFs (``_build/html/pdf/``) and linking from every page's download menu its
PDF (a chapter's or the briefing's own, else the whole book's). A later ``make book`` on changed inputs drops
them from the site until ``make pdf`` prints them again (bookbuild.publish.current_pdfs).

A run is staged in ``_build/pdf.new-PID`` and moved into place only when complete; a run that is killed
removes its staging folder, and any left by a run killed with SIGKILL is removed by the next run.

``python -m bookbuild.pdf`` (``make pdf``, after ``make book``).
"""

from __future__ import annotations

import html
import os
import shutil
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .browser import HEADLESS_FLAGS, MissingTool, ensure_chromium
from .edition import SettingError, base_url, chapter_numbers, data_as_of, load_edition
from .publish import BUILD, PDF_STAMP, SITE, content_hash, publish, site_content
from .publish import PDF_OUT as OUT
from .toc import ROOT, notebooks_in_toc, toc_files

SITE_PDF_FOLDER = "pdf"  # where the site serves the PDFs
BOOK_PDF = "whole-book.pdf"
BRIEFING_DOC = "book/briefing"
PRINT_TIMEOUT_MS = 120_000
MARGIN = {"top": "18mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}


def pdf_name(docname: str) -> str:
    """The PDF a page's download menu links: its own for a chapter or the briefing, else the whole book."""
    if docname.startswith("notebooks/"):
        return f"{Path(docname).name}.pdf"
    if docname == BRIEFING_DOC:
        return "briefing.pdf"
    return BOOK_PDF


@dataclass(frozen=True)
class Printed:
    path: Path
    title: str
    docname: str
    headings: tuple[str, ...] = ()


def _squeeze(text: str) -> str:
    return "".join(text.split())


def heading_text(outline_title: str, headings: tuple[str, ...]) -> str:
    """Chromium's bookmark titles lose the space where a heading wrapped; take the page's own text."""
    return next((h for h in headings if _squeeze(h) == _squeeze(outline_title)), outline_title)


#: Run in the page before printing: rewrite or drop every link that would lead out of this PDF.
REWRITE_LINKS = r"""
([base, siteRoot]) => {
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (/^(https?:|mailto:)/i.test(href) || href.startsWith('#')) continue;
    const target = new URL(href, location.href);
    const here = new URL(location.href);
    if (target.protocol === 'file:' && target.pathname === here.pathname && target.hash) {
      a.setAttribute('href', target.hash); continue;           // a place on this page: a link inside the PDF
    }
    if (base && target.href.startsWith(siteRoot)) {
      a.setAttribute('href', base + target.href.slice(siteRoot.length)); continue;
    }
    a.removeAttribute('href');                                    // nowhere to go from a PDF: plain text
  }
  const text = (h) => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(e => e.remove());
                        return c.textContent.replace(/\s+/g, ' ').trim(); };
  const h1 = document.querySelector('h1');
  return {title: h1 ? text(h1) : document.title,
          headings: [...document.querySelectorAll('h1, h2, h3, h4')].map(text)};
}
"""


FOOT_STYLE = "font-family: 'DejaVu Sans', 'WenQuanYi Micro Hei', sans-serif; font-size: 7.5pt; color: #444;"


def _templates(report: str, title: str, version: str, as_of: str) -> tuple[str, str]:
    """The running head; the foot is left empty for number_pages (chromium's would restart on every page)."""
    style = f"{FOOT_STYLE} width: 100%; box-sizing: border-box; padding: 0 14mm; display: flex; justify-content: space-between;"
    e = html.escape
    # a long chapter title is cut short on the left; the version and data date on the right are never cut
    left = "flex: 1 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-right: 4mm;"
    same = title.replace("\u2019", "'") == report.replace("\u2019", "'")  # the home page's title is the report's
    head = e(report) if same else f"{e(report)} \u2014 {e(title)}"
    header = (
        f'<div style="{style}"><span style="{left}">{head}</span>'
        f'<span style="flex: none; white-space: nowrap;">version {e(version)} \u00b7 data as of {e(as_of)}</span></div>'
    )
    return header, "<span></span>"


def _numbers_html(total: int) -> str:
    """``total`` A4 pages, each blank but for "page N of total" where chromium's foot would be."""
    page = "height: 296mm; position: relative; break-after: page; overflow: hidden;"
    foot = f"position: absolute; left: 0; right: 0; bottom: 7mm; text-align: center; {FOOT_STYLE}"
    pages = "".join(
        f'<div style="{page}"><div style="{foot}">page&nbsp;{n}&nbsp;of&nbsp;{total}</div></div>'
        for n in range(1, total + 1)
    )
    return (
        f"<!doctype html><meta charset=utf-8><style>@page {{ size: A4; margin: 0 }} body {{ margin: 0 }}</style>{pages}"
    )


def number_pages(browser, path: Path) -> None:
    """Stamp "page N of M" at the foot of every page of the PDF at ``path``, counted through the whole file."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(path))
    total = len(writer.pages)
    numbers = path.with_name(f".{path.stem}-numbers.pdf")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(_numbers_html(total))
        page.pdf(path=str(numbers), format="A4", margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
    finally:
        context.close()
    stamps = PdfReader(numbers).pages
    if len(stamps) != total:
        raise RuntimeError(f"numbering {path.name}: {len(stamps)} number pages for {total} pages")
    for target, stamp in zip(writer.pages, stamps):
        target.merge_page(stamp)
        target.compress_content_streams()  # the merged page's content is written out afresh, uncompressed
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)  # one copy of the foot's font
    with path.open("wb") as handle:
        writer.write(handle)
    numbers.unlink()


def print_page(
    browser, page_path: Path, target: Path, site: Path, base: str | None, number: int | None = None
) -> tuple[str, tuple[str, ...]]:
    """Print one page of the site to ``target`` (A4, head and foot); returns its title and headings."""
    edition = load_edition()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(PRINT_TIMEOUT_MS)
        page.goto(page_path.resolve().as_uri(), wait_until="load")
        page.emulate_media(media="print")
        found = page.evaluate(REWRITE_LINKS, [base or "", site.resolve().as_uri() + "/"])
        title, headings = found["title"], tuple(found["headings"])
        head_title = f"Chapter {number}: {title}" if number else title
        header, footer = _templates(edition.title, head_title, edition.version, data_as_of())
        page.pdf(
            path=str(target),
            format="A4",
            margin=MARGIN,
            display_header_footer=True,
            header_template=header,
            footer_template=footer,
            print_background=True,
            outline=True,
            tagged=True,
        )
    finally:
        context.close()
    if not target.is_file() or target.stat().st_size == 0:
        raise RuntimeError(f"chromium could not print {page_path}")
    return title, headings


def set_metadata(path: Path, title: str, subject: str, headings: tuple[str, ...] = ()) -> None:
    """Document information, and the bookmarks' titles as the page's headings spell them."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    edition = load_edition()
    writer = PdfWriter(clone_from=PdfReader(path))
    if headings and "/Outlines" in writer._root_object:
        stack = [writer._root_object["/Outlines"].get_object().get("/First")]
        while stack:
            item = stack.pop()
            while item is not None:
                item = item.get_object()
                if "/Title" in item:
                    item[NameObject("/Title")] = TextStringObject(heading_text(str(item["/Title"]), headings))
                if "/First" in item:
                    stack.append(item["/First"])
                item = item.get("/Next")
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": edition.author_text,
            "/Subject": subject,
            "/Keywords": "China; blockchain; cryptocurrency; regulation",
        }
    )
    with path.open("wb") as handle:
        writer.write(handle)


def _copy_outline(writer, reader, items, offset: int, parent, headings: tuple[str, ...] = ()) -> None:
    last = None
    for item in items:
        if isinstance(item, list):
            if last is not None:
                _copy_outline(writer, reader, item, offset, last, headings)
            continue
        page = reader.get_destination_page_number(item)
        if page is None or page < 0:
            continue
        last = writer.add_outline_item(
            title=heading_text(str(item.title), headings), page_number=offset + page, parent=parent, is_open=False
        )


def join(parts: list[Printed], target: Path) -> None:
    """The whole book: the pages in order, a bookmark per page with its own headings under it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        reader = PdfReader(part.path)
        offset = len(writer.pages)
        writer.append(reader, import_outline=False)
        top = writer.add_outline_item(title=part.title, page_number=offset)
        items = reader.outline
        # the page's own title is the first bookmark: put its sub-headings under ours instead
        if len(items) >= 1 and not isinstance(items[0], list) and _squeeze(str(items[0].title)) == _squeeze(part.title):
            items = items[1] if len(items) > 1 and isinstance(items[1], list) else []
        _copy_outline(writer, reader, items, offset, top, part.headings)
    with target.open("wb") as handle:
        writer.write(handle)


def toc_pages(site: Path = SITE) -> list[tuple[Path, str]]:
    """(published page, docname) for every page of _toc.yml, in reading order."""
    return [
        (site / page.relative_to(ROOT).with_suffix(".html"), page.relative_to(ROOT).with_suffix("").as_posix())
        for page in toc_files()
    ]


def chapter_pages(site: Path = SITE) -> list[tuple[Path, str]]:
    """(HTML page, PDF name) for every chapter listed in _toc.yml."""
    pages = []
    for notebook in notebooks_in_toc():
        docname = notebook.relative_to(ROOT).with_suffix("").as_posix()
        pages.append((site / f"{docname}.html", pdf_name(docname)))
    return pages


def clean_stale_staging(build: Path = BUILD) -> list[Path]:
    """Remove _build/pdf.new-PID folders whose run is no longer alive (a run killed with SIGKILL)."""
    removed = []
    for folder in build.glob("pdf.new-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _terminate(signum, frame):  # a killed run (SIGTERM, SIGHUP) unwinds, so its staging folder is removed
    raise SystemExit(128 + signum)


def make_pdfs(site: Path = SITE, out: Path = OUT) -> int:
    if not (site / "index.html").is_file():
        print("error: no site in _build/html: run `make book` first", file=sys.stderr)
        return 1
    try:
        content = site_content()
        current = content_hash()
    except SettingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if content is None or content != current:
        print("error: the site in _build/html is not the book as it is now: run `make book` first", file=sys.stderr)
        return 1
    try:
        chromium = ensure_chromium()
    except MissingTool as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    clean_stale_staging(out.parent)
    staged = out.parent / f"pdf.new-{os.getpid()}"
    staged.mkdir(parents=True)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _terminate)
    base = base_url()
    edition = load_edition()
    as_of = data_as_of()
    numbers = chapter_numbers()
    done = False
    try:
        printed: list[Printed] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), args=list(HEADLESS_FLAGS[1:]))
            try:
                for number, (page, docname) in enumerate(toc_pages(site), start=1):
                    if not page.is_file():
                        raise RuntimeError(f"{page} is missing: run `make book` (the site may be older than _toc.yml)")
                    own = pdf_name(docname)
                    target = staged / (own if own != BOOK_PDF else f"part-{number:03d}.pdf")
                    title, headings = print_page(browser, page, target, site, base, numbers.get(docname))
                    printed.append(Printed(target, title, docname, headings))
                join(printed, staged / BOOK_PDF)
                for pdf in [staged / BOOK_PDF, *(p.path for p in printed if not p.path.name.startswith("part-"))]:
                    number_pages(browser, pdf)
            finally:
                browser.close()
        subject = f"{edition.title}, version {edition.version}; data as of {as_of}"
        for part in printed:
            if part.path.name.startswith("part-"):
                part.path.unlink()
            else:
                set_metadata(part.path, f"{part.title} \u2014 {edition.title}", subject, part.headings)
        set_metadata(staged / BOOK_PDF, edition.title, subject)
        (staged / PDF_STAMP).write_text(content + "\n", encoding="utf-8")
        names = sorted(p.name for p in staged.glob("*.pdf"))
        for name in names:
            print(f"  {name}: {(staged / name).stat().st_size / 1e6:.1f} MB")
        shutil.rmtree(out, ignore_errors=True)
        staged.rename(out)
        done = True
    except (RuntimeError, PlaywrightError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if not done:
            shutil.rmtree(staged, ignore_errors=True)
    print(
        f"pdf: {len(names)} PDF(s) in {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}/ "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return publish()  # the site now serves them, and every page's download menu links its own


if __name__ == "__main__":
    sys.exit(make_pdfs())
