"""Temporary copies of the project, for the tests that build it or break it on purpose.

A copy runs with its own packages first on the path, so every path the build uses points into the copy;
the working tree is never touched. A full build costs seconds, so each kind of built copy is made once per
test run and shared by every worker (:func:`shared_project`); a test that changes one gets its own copy of
the built project (:func:`built_copy`), site and build cache included.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from twotracks.paths import ROOT

VENV_BIN = Path(sys.executable).parent
COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".lock-venv",
    "_build",
    ".git",
    "__pycache__",
    ".pytest_cache",
    "*.egg-info",
    "_generated",
    "node_modules",
    ".venv-lab",
)
CHAPTER = "notebooks/01_two_tracks_over_time.ipynb"


def copy_project(target: Path) -> Path:
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    if (ROOT / "node_modules").is_dir():  # the site's npm packages: read only, so linked rather than copied
        (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def run(project: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    env.pop("TWOTRACKS_READ_LOG", None)
    env.pop("TWOTRACKS_DATA", None)
    result = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed:\n{result.stdout}\n{result.stderr}")
    return result


def make_book(project: Path) -> subprocess.CompletedProcess:
    """`make book` in the copy, with this test run's environment treated as already installed."""
    venv = VENV_BIN.parent
    return run(
        project, "make", "book", f"VENV={venv}", "-o", f"{venv}/.installed", "-o", "node_modules/.package-lock.json"
    )


def shared_project(tmp_path_factory, name: str, build) -> Path:
    """A copy of the project prepared by ``build(project)`` once per test run, whichever worker asks first.

    The others wait on a lock, then use the same folder: a test given it must not change it. A failed
    build is reported to every test that asked for it, not retried by each.
    """
    base = tmp_path_factory.getbasetemp()
    base = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the workers' common folder
    folder = base / f"shared-{name}"
    with open(base / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (folder / "FAILED").is_file():
            raise AssertionError((folder / "FAILED").read_text(encoding="utf-8"))
        if not (folder / "READY").is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                build(copy_project(folder / "project"))
            except BaseException as exc:
                (folder / "FAILED").write_text(f"building the shared '{name}' copy failed: {exc}", encoding="utf-8")
                raise
            (folder / "READY").touch()
    return folder / "project"


def _make_book_or_fail(project: Path) -> None:
    result = make_book(project)
    assert result.returncode == 0, result.stdout + result.stderr


def built_project(tmp_path_factory) -> Path:
    """The project as committed, built by `make book`: shared, never to be changed (see built_copy)."""
    return shared_project(tmp_path_factory, "built", _make_book_or_fail)


def built_copy(tmp_path_factory, parent: Path) -> Path:
    """A private copy under ``parent`` of the built project, with its site and build cache, to change at will."""
    target = parent / "project"
    shutil.copytree(built_project(tmp_path_factory), target, symlinks=True)
    return target


def site(project: Path) -> Path:
    """A project's published site."""
    return project / "_build" / "html"


def work(project: Path) -> Path:
    """A project's build cache, where Sphinx builds aside."""
    return project / "_build" / ".work"


def stale(project: Path) -> subprocess.CompletedProcess:
    return run(project, sys.executable, "-m", "bookbuild.execute", "--check")


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class KeptBuild:
    """A project's _build as it is now, to be put back exactly after a test that faults it: a copy costs 0.2 s,
    where building again after restoring the inputs costs a Sphinx run (the next build checks the site by its
    hashes, so the copy is as good as a rebuild)."""

    def __init__(self, project: Path, folder: Path):
        self.build, self.kept = project / "_build", folder / "kept-build"
        shutil.copytree(self.build, self.kept, symlinks=True)

    def restore(self) -> None:
        shutil.rmtree(self.build)
        self.kept.rename(self.build)


class Edit:
    """Change a file for a test, and put its exact bytes back afterwards."""

    def __init__(self, path: Path):
        self.path = path
        self.original = path.read_bytes()

    def append(self, text: str) -> None:
        self.path.write_text(self.original.decode("utf-8") + text, encoding="utf-8")

    def restore(self) -> None:
        self.path.write_bytes(self.original)
