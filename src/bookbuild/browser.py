"""Find Debian's chromium (and the CJK font it prints Chinese with), installing them if this is allowed.

``make pdf`` and the real-browser tests use the system chromium: browser downloads (Playwright's own,
Jupyter Book's pyppeteer) fail offline. On a machine where we are root with apt (CI), missing packages
are installed; elsewhere the error says what to install.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

#: Debian packages: the browser, a font with Chinese glyphs, and pdftoppm/pdftotext for checking PDFs.
PACKAGES = ("chromium", "fonts-wqy-microhei", "poppler-utils")
#: What the test suite adds: Debian's bibtex and its standard styles, which every citation is run through.
TEST_PACKAGES = (*PACKAGES, "texlive-binaries", "texlive-base")
CHROMIUM_NAMES = ("chromium", "chromium-browser")


class MissingTool(RuntimeError):
    pass


def find_chromium() -> Path | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def _missing_packages(packages: tuple[str, ...] = PACKAGES) -> list[str]:
    missing = []
    for package in packages:
        result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        if "install ok installed" not in result.stdout:
            missing.append(package)
    return missing


def ensure_packages(packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """Install the missing Debian ``packages`` (as root with apt-get); returns those still missing."""
    missing = _missing_packages(packages) if shutil.which("dpkg-query") else []
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        _apt_install(missing)
        missing = []
    return missing


def install_hint(missing: list[str]) -> str:
    return (
        f"missing Debian packages: {' '.join(missing)}; run "
        f"`sudo apt-get update && sudo apt-get install -y {' '.join(missing)}`"
    )


def ensure_chromium() -> Path:
    """The chromium executable, after installing the missing packages (as root with apt-get) if needed."""
    missing = ensure_packages()
    if missing and find_chromium() is None:
        raise MissingTool(install_hint(missing))
    chromium = find_chromium()
    if chromium is None:
        raise MissingTool("no chromium found; install Debian's `chromium` package (apt-get install -y chromium)")
    return chromium


def _apt_install(packages: list[str]) -> None:
    # one install at a time: parallel test workers (or `make pdf` beside `make test`) would race for apt's lock
    with open(Path(tempfile.gettempdir()) / "twotracks-apt.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        still_missing = _missing_packages(tuple(packages))
        if not still_missing:
            return
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        print(f"installing {' '.join(still_missing)} with apt-get ...", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *still_missing], check=True, env=env
        )


#: Flags that make headless chromium work here: no sandbox (root in a container), no GPU, no network chatter.
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_site(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on a free loopback port, as a reader's browser gets a page; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    """`make test` installs what the browser, PDF and BibTeX tests use before they start, so that no test
    depends on another having installed it first; without root it says what is missing and goes on."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bookbuild.browser")
    parser.add_argument("--for-tests", action="store_true", help="also bibtex and its styles")
    missing = ensure_packages(TEST_PACKAGES if parser.parse_args(argv).for_tests else PACKAGES)
    if missing:
        print(f"note: {install_hint(missing)}; the tests that need them will say so", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
