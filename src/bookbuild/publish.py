"""Build the HTML book and publish it to _build/html only when the build fully succeeded.

* Nothing to do: when every input of the site (pages, notebooks, data, config, the packages) hashes the
  same as the published site's fingerprint, the build is skipped.
* Warnings are errors (``-W -n --keep-going``): a build with any warning publishes nothing.
* Sphinx works in _build/.work, which it keeps as a cache between builds; the result is copied to a fresh
  folder and swapped in for _build/html by renames. A failed, broken or interrupted build leaves the last
  good site as it was. A build that crashes (not one that merely warns) is retried once from an empty
  cache, so a corrupted cache mends itself; after any failure the cache is discarded, because Sphinx
  does not repeat a cached page's warnings and the next build must see them all.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .bibliography import write_bibliography
from .toc import ROOT

BUILD = ROOT / "_build"
SITE = BUILD / "html"
WORK = BUILD / ".work"
FINGERPRINT = ".site-fingerprint"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

#: What the site is made from. Anything else in the repository does not change the published pages.
SITE_INPUTS = ("_config.yml", "_toc.yml", "CITATION.cff", "book", "notebooks", "data", "src", "requirements.lock")
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints"}
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def site_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in SITE_INPUTS:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            if IGNORED_PARTS.intersection(file.relative_to(ROOT).parts):
                continue
            digest.update(file.relative_to(ROOT).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def published_fingerprint() -> str | None:
    path = SITE / FINGERPRINT
    return path.read_text().strip() if path.is_file() else None


def recover_interrupted_swap() -> None:
    """If a previous run died between its two renames, put the old site back."""
    if SITE.exists():
        for leftover in BUILD.glob("html.old-*"):
            shutil.rmtree(leftover, ignore_errors=True)
    else:
        olds = sorted(BUILD.glob("html.old-*"))
        if olds:
            olds[-1].rename(SITE)
    for leftover in BUILD.glob("html.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def run_sphinx(fresh: bool) -> subprocess.CompletedProcess:
    if fresh:
        shutil.rmtree(WORK, ignore_errors=True)
    command = [
        str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(WORK),
        "--warningiserror", "--nitpick", "--keep-going",
    ]
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def crashed(result: subprocess.CompletedProcess) -> bool:
    output = result.stdout + result.stderr
    return "Traceback (most recent call last)" in output or "Exception occurred" in output


def swap_in(built: Path, fingerprint: str) -> None:
    stamp = f"{os.getpid()}-{time.time_ns()}"
    staged = BUILD / f"html.new-{stamp}"
    shutil.copytree(built, staged)
    (staged / FINGERPRINT).write_text(fingerprint + "\n")
    old = BUILD / f"html.old-{stamp}"
    if SITE.exists():
        SITE.rename(old)
    staged.rename(SITE)
    shutil.rmtree(old, ignore_errors=True)


def publish(force: bool = False) -> int:
    BUILD.mkdir(exist_ok=True)
    recover_interrupted_swap()
    write_bibliography()
    fingerprint = site_fingerprint()
    if not force and fingerprint == published_fingerprint():
        print(f"site: up to date, nothing rebuilt ({SITE.relative_to(ROOT)}/index.html)")
        return 0
    print("site: building HTML (warnings are errors) ...", flush=True)
    started = time.perf_counter()
    result = run_sphinx(fresh=not WORK.exists())
    if result.returncode != 0 and crashed(result) and WORK.exists():
        print("site: the build crashed; retrying once from an empty cache ...", flush=True)
        result = run_sphinx(fresh=True)
    if result.returncode != 0:
        # Sphinx does not repeat a cached page's warnings, so a failed build's cache could let the next
        # build pass without the fix: start the next one from scratch.
        shutil.rmtree(WORK, ignore_errors=True)
        sys.stderr.write(_problems(result))
        kept = "the last good site in _build/html was left as it was" if SITE.exists() else "nothing was published"
        print(f"error: the book did not build; {kept}", file=sys.stderr)
        return 1
    swap_in(WORK / "_build" / "html", fingerprint)
    print(f"site: built in {time.perf_counter() - started:.1f} s")
    return 0


def _problems(result: subprocess.CompletedProcess) -> str:
    """The warning and error lines of a failed build, or its last lines if it printed none."""
    lines = ANSI_ESCAPE.sub("", result.stdout + result.stderr).splitlines()
    flagged = [line for line in lines if "WARNING" in line or "ERROR" in line or "Error" in line]
    return "\n".join(flagged or lines[-40:]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookbuild.publish", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    args = parser.parse_args(argv)
    status = publish(force=args.force)
    if status == 0:
        print(f"open {SITE / 'index.html'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
