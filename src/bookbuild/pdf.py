"""Print the book to PDF for briefings: one PDF per chapter and one for the whole book, in _build/pdf/.

Jupyter Book's own PDF builders do not work here (one downloads a browser, the other needs a TeX install
that cannot typeset Chinese). Instead Debian's chromium prints the pages of the published site, each
chapter to its own PDF, and every page of _toc.yml in order, joined with poppler's pdfunite, to the whole
book's. (Sphinx's singlehtml builder was tried for the whole book: the book theme does not style it.) Every chapter page carries its "Cite this chapter"
block, the home page "Cite this report", and every page's footer the version and build date, so each PDF
carries its citation and the date it was built.

``python -m bookbuild.pdf`` (``make pdf``, after ``make book``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .browser import HEADLESS_FLAGS, MissingTool, ensure_chromium
from .toc import ROOT, notebooks_in_toc, toc_files

BUILD = ROOT / "_build"
SITE = BUILD / "html"
OUT = BUILD / "pdf"
BOOK_PDF = "whole-book.pdf"
PRINT_TIMEOUT_S = 120


def print_pdf(chromium: Path, page: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [str(chromium), *HEADLESS_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                   "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000",
                   f"--print-to-pdf={target}", page.resolve().as_uri()]
        result = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT_S)
    if result.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        raise RuntimeError(f"chromium could not print {page}:\n{result.stderr[-2000:]}")


def toc_pages(site: Path = SITE) -> list[Path]:
    """Every page of _toc.yml as published, in reading order."""
    return [site / page.relative_to(ROOT).with_suffix(".html") for page in toc_files()]


def join(parts: list[Path], target: Path) -> None:
    pdfunite = shutil.which("pdfunite")
    if pdfunite is None:
        raise RuntimeError("pdfunite is missing: install Debian's poppler-utils")
    subprocess.run([pdfunite, *map(str, parts), str(target)], check=True, capture_output=True)


def chapter_pages(site: Path = SITE) -> list[tuple[Path, str]]:
    """(HTML page, PDF name) for every chapter listed in _toc.yml."""
    pages = []
    for notebook in notebooks_in_toc():
        docname = notebook.relative_to(ROOT).with_suffix("")
        pages.append((site / docname.with_suffix(".html"), f"{notebook.stem}.pdf"))
    return pages


def make_pdfs() -> int:
    if not (SITE / "index.html").is_file():
        print("error: no site in _build/html: run `make book` first", file=sys.stderr)
        return 1
    try:
        chromium = ensure_chromium()
    except MissingTool as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    staged = BUILD / f"pdf.new-{os.getpid()}"
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    try:
        chapters = {page: name for page, name in chapter_pages()}
        parts = []
        for number, page in enumerate(toc_pages(), start=1):
            if not page.is_file():
                raise RuntimeError(f"{page} is missing: run `make book` (the site may be older than _toc.yml)")
            target = staged / chapters[page] if page in chapters else staged / f"part-{number:03d}.pdf"
            print_pdf(chromium, page, target)
            parts.append(target)
        join([*parts], staged / BOOK_PDF)
        for part in parts:
            if part.name.startswith("part-"):
                part.unlink()
        jobs = sorted(p.name for p in staged.glob("*.pdf"))
        for name in jobs:
            print(f"  {name}: {(staged / name).stat().st_size / 1e6:.1f} MB")
    except (RuntimeError, subprocess.TimeoutExpired, subprocess.CalledProcessError) as exc:
        shutil.rmtree(staged, ignore_errors=True)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    shutil.rmtree(OUT, ignore_errors=True)
    staged.rename(OUT)
    print(f"pdf: {len(jobs)} PDF(s) in {OUT.relative_to(ROOT)}/ in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(make_pdfs())
