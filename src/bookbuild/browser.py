"""Find Debian's chromium (and the CJK font it prints Chinese with), installing them if this is allowed.

``make pdf`` and the real-browser tests use the system chromium: browser downloads (Playwright's own,
Jupyter Book's pyppeteer) fail offline. On a machine where we are root with apt (CI), missing packages
are installed; elsewhere the error says what to install.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

#: Debian packages: the browser, a font with Chinese glyphs, and pdftoppm/pdftotext for checking PDFs.
PACKAGES = ("chromium", "fonts-wqy-microhei", "poppler-utils")
CHROMIUM_NAMES = ("chromium", "chromium-browser")


class MissingTool(RuntimeError):
    pass


def find_chromium() -> Path | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def _missing_packages() -> list[str]:
    missing = []
    for package in PACKAGES:
        result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        if "install ok installed" not in result.stdout:
            missing.append(package)
    return missing


def ensure_chromium() -> Path:
    """The chromium executable, after installing the missing packages (as root with apt-get) if needed."""
    missing = _missing_packages() if shutil.which("dpkg-query") else []
    if missing:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            _apt_install(missing)
        elif find_chromium() is None:
            raise MissingTool(
                f"missing Debian packages: {' '.join(missing)}; run "
                f"`sudo apt-get update && sudo apt-get install -y {' '.join(missing)}`"
            )
    chromium = find_chromium()
    if chromium is None:
        raise MissingTool("no chromium found; install Debian's `chromium` package (apt-get install -y chromium)")
    return chromium


def _apt_install(packages: list[str]) -> None:
    # one install at a time: parallel test workers (or `make pdf` beside `make test`) would race for apt's lock
    with open(Path(tempfile.gettempdir()) / "twotracks-apt.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        still_missing = [p for p in packages if p in _missing_packages()]
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
