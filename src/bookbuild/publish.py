"""Build the HTML book aside, check it, and swap it in for _build/html only if the build fully succeeded.

* Up to date: the site's manifest holds the hash of its inputs (pages, notebooks, data, config, the packages,
  the settings that change what a page says: its address and a fixed build date) and of each file it holds.
  Only when both match is nothing rebuilt: a damaged site (a page emptied, altered or deleted) is rebuilt.
* PDFs: the site links and serves the PDFs of ``make pdf`` only when they were printed from a site built from
  the same inputs (their stamp); otherwise a page's download menu keeps the browser's own print to PDF, so
  the site never links a missing PDF nor serves one whose numbers are older than the page's.
* Aside: Sphinx (warnings are errors) works in _build/.work, its cache between builds, trusted only if it
  holds exactly what the last success left (its own manifest; Sphinx would keep a garbled page whose source
  is older). After any failure the cache is dropped, because Sphinx does not repeat a cached page's warnings.
* Check: every page of _toc.yml was written whole. Swap: two renames; a run that died between them is undone
  by the next, and by ``--recover``, the first step of `make book`, even if a later step fails.
* One build at a time (a lock on _build/.publish.lock). A refused write (read-only, full disk) is one line.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .edition import SettingError, settings
from .toc import ROOT, toc_files

BUILD = ROOT / "_build"
SITE = BUILD / "html"
WORK = BUILD / ".work"
MANIFEST = ".manifest.json"  # in SITE and in WORK: what a successful build left there
LOCK = BUILD / ".publish.lock"
PDF_OUT = BUILD / "pdf"  # where bookbuild.pdf writes the PDFs
PDF_STAMP = ".site-content"  # in PDF_OUT: the content hash of the site the PDFs were printed from
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

#: What the site is made from. Anything else in the repository does not change the published pages.
SITE_INPUTS = ("_config.yml", "_toc.yml", "CITATION.cff", "book", "notebooks", "data", "src", "requirements.lock")
# book/_generated holds the bibliography, made from data/sources.csv by src/: both are fingerprinted, so the
# bibliography need not be written (and pandas imported) just to find that nothing changed.
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", "_generated"}
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
DISK_ERRORS = re.compile("No space left on device|Read-only file system|Permission denied|Operation not permitted")


def file_hashes(folder: Path, names: tuple[str, ...] = (".",)) -> dict[str, str]:
    """The hash of each file under ``names`` in ``folder``, but manifests and caches."""
    found = [p for name in names for p in [folder / name, *(folder / name).rglob("*")] if p.is_file()]
    return {
        f.relative_to(folder).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(found)
        if f.name != MANIFEST and not IGNORED_PARTS.intersection(f.relative_to(folder).parts)
    }


def content_hash() -> str:
    """What the pages say: the input files and the settings (SettingError if a setting cannot be used)."""
    content = {"files": file_hashes(ROOT, SITE_INPUTS), "settings": settings()}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def current_pdfs(content: str | None = None) -> bool:
    """True if _build/pdf holds PDFs printed from a site of this content (``make pdf``'s stamp)."""
    try:
        stamp = (PDF_OUT / PDF_STAMP).read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return stamp == (content or content_hash()) and any(PDF_OUT.glob("*.pdf"))


def inputs_hash(content: str | None = None) -> str:
    """The site's inputs: its content, and whether it links PDFs of that content."""
    content = content or content_hash()
    return hashlib.sha256(f"{content} pdfs={current_pdfs(content)}".encode()).hexdigest()


def site_content() -> str | None:
    """The content hash the published site was built from, if it is intact (what ``make pdf`` prints)."""
    try:
        manifest = json.loads((SITE / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest.get("content") if intact(SITE) else None


def write_manifest(folder: Path, inputs: str, content: str | None = None) -> None:
    manifest = {"inputs": inputs, "content": content, "files": file_hashes(folder)}
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def intact(folder: Path, inputs: str | None = None) -> bool:
    """True if ``folder`` holds exactly what its manifest lists (and was built from ``inputs``, if given)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return inputs in (None, manifest.get("inputs")) and manifest.get("files") == file_hashes(folder)


def remove(path: Path) -> None:
    """Remove a folder, a file or a link, whichever ``path`` is now."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def recover_interrupted_swap() -> int:
    """If a previous run died between the two renames of a swap, put the old site back; drop leftovers."""
    olds = sorted(BUILD.glob("html.old-*"))  # named html.old-<time_ns>-<pid>: the last is the newest
    if not SITE.exists() and olds:
        olds.pop().rename(SITE)
    for leftover in [*olds, *BUILD.glob("html.new-*")]:
        remove(leftover)
    return 0


def run_sphinx() -> subprocess.CompletedProcess:
    command = [str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(WORK), "-W", "-n", "--keep-going"]
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, preexec_fn=_die_with_parent)


def _die_with_parent() -> None:
    """In the Sphinx child (Linux): end it if this build is killed, so no orphan keeps writing the cache."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass


def unfinished_pages(built: Path) -> list[str]:
    """Pages of the table of contents that a build claiming success did not write whole (never publish those)."""
    pages = [built / p.relative_to(ROOT).with_suffix(".html") for p in toc_files()]
    whole = [p for p in pages if p.is_file() and p.read_bytes().rstrip().endswith(b"</html>")]
    return [page.relative_to(built).as_posix() for page in pages if page not in whole]


def swap_in(built: Path, inputs: str, content: str) -> None:
    stamp = f"{time.time_ns()}-{os.getpid()}"
    staged, old = BUILD / f"html.new-{stamp}", BUILD / f"html.old-{stamp}"
    shutil.copytree(built, staged)
    write_manifest(staged, inputs, content)
    if SITE.exists():
        SITE.rename(old)
    staged.rename(SITE)
    remove(old)


def publish(force: bool = False) -> int:
    try:
        settings()
    except SettingError as exc:  # before anything is written: the site stays as it was
        return failed(f"error: {exc}\n")
    try:
        BUILD.mkdir(exist_ok=True)
        with LOCK.open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or when this process dies
            return _publish(force)
    except OSError as exc:  # read-only or full: one line, and the site as it was
        where = Path(exc.filename or BUILD).resolve()
        where = where.relative_to(ROOT) if where.is_relative_to(ROOT) else where
        return failed(f"error: cannot write {where}: {exc.strerror or exc}\n")


def failed(problems: str) -> int:
    kept = "the last good site in _build/html was left as it was" if SITE.exists() else "nothing was published"
    sys.stderr.write(f"{problems}error: the book did not build; {kept}\n")
    return 1


def _publish(force: bool) -> int:
    recover_interrupted_swap()
    content = content_hash()
    inputs = inputs_hash(content)
    if not force and intact(SITE, inputs):
        print(f"site: up to date, nothing rebuilt ({SITE.relative_to(ROOT)}/index.html)")
        return 0
    from .bibliography import write_bibliography  # imports pandas: only when there is something to build

    write_bibliography()
    print("site: building HTML (warnings are errors) ...", flush=True)
    started = time.perf_counter()
    if not intact(WORK) and (WORK.exists() or WORK.is_symlink()):
        print("site: the cache is not what the last good build left; starting from an empty cache", flush=True)
        remove(WORK)
    (WORK / MANIFEST).unlink(missing_ok=True)  # from here until a success, the cache is not to be trusted
    result = run_sphinx()
    built = WORK / "_build" / "html"
    problems = _problems(result) if result.returncode else ""
    if not problems and unfinished_pages(built):
        problems = f"the build said it succeeded but did not write whole: {', '.join(unfinished_pages(built))}\n"
    if problems:
        remove(WORK)  # Sphinx does not repeat a cached page's warnings: the next build must see them all
        return failed(problems)
    swap_in(built, inputs, content)
    write_manifest(WORK, inputs, content)
    print(f"site: built in {time.perf_counter() - started:.1f} s")
    return 0


def _problems(result: subprocess.CompletedProcess) -> str:
    """One line for a disk that refused a write; else the warning and error lines (or the last lines)."""
    output = ANSI_ESCAPE.sub("", result.stdout + result.stderr)
    if refused := DISK_ERRORS.search(output):
        raise OSError(errno.EIO, refused.group(), str(WORK))
    lines = output.splitlines()
    flagged = [line for line in lines if "WARNING" in line or "ERROR" in line or "Error" in line]
    return "\n".join(flagged or lines[-40:]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookbuild.publish", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    parser.add_argument("--recover", action="store_true", help="only undo a swap that a killed build left half done")
    args = parser.parse_args(argv)
    if args.recover:
        return recover_interrupted_swap() if BUILD.is_dir() else 0
    status = publish(force=args.force)
    if status == 0:
        print(f"open {SITE / 'index.html'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
