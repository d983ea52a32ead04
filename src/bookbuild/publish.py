"""Build the HTML book and publish it to _build/html only when the build fully succeeded.

* Nothing to do: when every input of the site (pages, notebooks, data, config, the packages) hashes the
  same as the published site's fingerprint, the build is skipped.
* Warnings are errors (``-W -n --keep-going``): a build with any warning publishes nothing.
* Sphinx works in _build/.work, which it keeps as a cache between builds; the result is copied to a fresh
  folder and swapped in for _build/html by renames. A failed, broken or interrupted build leaves the last
  good site as it was.
* The cache is trusted only if it is exactly what the last successful build left: a manifest of its
  files' hashes is written after a successful build and removed before the next one starts, so a build
  killed mid-way, or a cache file truncated or garbled since, sends the next build back to an empty
  cache. (Sphinx itself would keep a garbled output page whose source had not changed, because it
  compares modification times, and publish it.) A build that crashes anyway (not one that merely warns)
  is retried once from an empty cache; after any failure the cache is discarded, because Sphinx does not
  repeat a cached page's warnings and the next build must see them all.
* One build at a time: a lock on _build/.publish.lock makes a second `make book` wait for the first.
"""

from __future__ import annotations

import argparse
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

from .toc import ROOT

BUILD = ROOT / "_build"
SITE = BUILD / "html"
WORK = BUILD / ".work"
FINGERPRINT = ".site-fingerprint"
MANIFEST = WORK / ".cache-manifest.json"  # hashes of every cache file, written only after a successful build
LOCK = BUILD / ".publish.lock"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

#: What the site is made from. Anything else in the repository does not change the published pages.
SITE_INPUTS = ("_config.yml", "_toc.yml", "CITATION.cff", "book", "notebooks", "data", "src", "requirements.lock")
# book/_generated holds the bibliography, made from data/sources.csv by src/: both are fingerprinted, so the
# bibliography need not be written (and pandas imported) just to find that nothing changed.
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", "_generated"}
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
        olds = sorted(BUILD.glob("html.old-*"))  # named html.old-<time_ns>-<pid>: the last is the newest
        if olds:
            olds[-1].rename(SITE)
    for leftover in BUILD.glob("html.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path != MANIFEST
    }


def cache_is_intact() -> bool:
    """True if _build/.work holds exactly the files, byte for byte, that the last successful build left."""
    try:
        recorded = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded == tree_hashes(WORK)


def run_sphinx(fresh: bool) -> subprocess.CompletedProcess:
    if fresh:
        shutil.rmtree(WORK, ignore_errors=True)
    MANIFEST.unlink(missing_ok=True)  # from here until a success, the cache is not to be trusted
    command = [
        str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(WORK),
        "--warningiserror", "--nitpick", "--keep-going",
    ]
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, preexec_fn=_die_with_parent)


def _die_with_parent() -> None:
    """In the Sphinx child (Linux): end it if this build is killed, so no orphan keeps writing the cache."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass


def missing_pages(built: Path) -> list[str]:
    """Pages of the table of contents that a build claiming success did not write (never publish those)."""
    from .toc import toc_files

    pages = [p.relative_to(ROOT).with_suffix(".html") for p in toc_files()]
    return [page.as_posix() for page in pages if not (built / page).is_file()]


def crashed(result: subprocess.CompletedProcess) -> bool:
    output = result.stdout + result.stderr
    return "Traceback (most recent call last)" in output or "Exception occurred" in output


def swap_in(built: Path, fingerprint: str) -> None:
    stamp = f"{time.time_ns()}-{os.getpid()}"
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
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or when this process dies
        return _publish(force)


def _publish(force: bool) -> int:
    recover_interrupted_swap()
    fingerprint = site_fingerprint()
    if not force and fingerprint == published_fingerprint():
        print(f"site: up to date, nothing rebuilt ({SITE.relative_to(ROOT)}/index.html)")
        return 0
    from .bibliography import write_bibliography  # imports pandas: only when there is something to build

    write_bibliography()
    print("site: building HTML (warnings are errors) ...", flush=True)
    started = time.perf_counter()
    fresh = not cache_is_intact()
    if fresh and WORK.exists():
        print("site: the build cache is not what the last good build left (interrupted or altered); "
              "starting from an empty cache", flush=True)
    result = run_sphinx(fresh=fresh)
    if result.returncode != 0 and crashed(result) and not fresh:
        print("site: the build crashed; retrying once from an empty cache ...", flush=True)
        result = run_sphinx(fresh=True)
    built = WORK / "_build" / "html"
    if result.returncode == 0 and missing_pages(built):
        result = subprocess.CompletedProcess(result.args, 1, "", "the build reported success but did not write: "
                                             + ", ".join(missing_pages(built)) + "\n")
    if result.returncode != 0:
        # Sphinx does not repeat a cached page's warnings, so a failed build's cache could let the next
        # build pass without the fix: start the next one from scratch.
        shutil.rmtree(WORK, ignore_errors=True)
        sys.stderr.write(_problems(result))
        kept = "the last good site in _build/html was left as it was" if SITE.exists() else "nothing was published"
        print(f"error: the book did not build; {kept}", file=sys.stderr)
        return 1
    swap_in(built, fingerprint)
    MANIFEST.write_text(json.dumps(tree_hashes(WORK), indent=0, sort_keys=True), encoding="utf-8")
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
