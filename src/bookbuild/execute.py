"""Re-execute, in place, exactly the notebooks whose inputs changed.

A notebook's inputs are its code cells, the ``twotracks`` helper package, and every data file it read the
last time it ran (the package's loaders record each read). After a successful run the notebook's metadata
holds a stamp: a hash of each input. A notebook is stale when its stamp is missing or any hash differs.

Jupyter Book's own cache keys on code alone and publishes stale numbers after a data change
(jupyter-book issue #1633); this stamp does not. Re-executing an unchanged notebook rewrites identical
bytes, so ``git status`` stays clean.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .toc import ROOT, notebooks_in_toc

STAMP_KEY = "twotracks_inputs"
PACKAGE_DIR = ROOT / "src" / "twotracks"
READ_LOG_ENV = "TWOTRACKS_READ_LOG"  # twotracks.data.READ_LOG_ENV; not imported, to keep the build light
# nbformat and nbclient are imported only when a notebook is executed: they take a quarter of a second to
# import, which was most of a no-op `make book` (the benchmark's target is under 10% of a clean build).
CELL_TIMEOUT_S = 600


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str | None:
    return sha256_bytes(path.read_bytes()) if path.is_file() else None


def input_hash(name: str) -> str | None:
    """Hash of a recorded input: a file, or ``descriptor.json#table`` for one resource of a data package."""
    file, _, part = name.partition("#")
    if not part:
        return file_hash(ROOT / file)
    try:
        descriptor = json.loads((ROOT / file).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    for resource in descriptor.get("resources", []):
        if resource.get("name") == part:
            return sha256_bytes(json.dumps(resource, sort_keys=True, ensure_ascii=False).encode())
    return None


def package_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def code_hash(nb: dict) -> str:
    """Hash of a notebook's code cells, from the notebook as JSON or as an nbformat node (same result)."""
    sources = [_text(cell["source"]) for cell in nb["cells"] if cell["cell_type"] == "code"]
    return sha256_bytes("\0".join(sources).encode())


def _text(source: str | list[str]) -> str:
    return source if isinstance(source, str) else "".join(source)


def stale_reasons(path: Path) -> list[str]:
    """Why ``path`` must be re-executed; empty if its stored outputs are current."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    stamp = nb.get("metadata", {}).get(STAMP_KEY)
    if not stamp:
        return ["it has never been executed by the build"]
    reasons = []
    if stamp.get("code") != code_hash(nb):
        reasons.append("its code changed")
    if stamp.get("package") != package_hash():
        reasons.append("the twotracks package changed")
    for name, recorded in sorted(stamp.get("files", {}).items()):
        current = input_hash(name)
        if current is None:
            reasons.append(f"{name} is gone")
        elif current != recorded:
            reasons.append(f"{name} changed")
    return reasons


class NotebookFailed(RuntimeError):
    pass


@dataclass
class Result:
    path: Path
    seconds: float
    files: list[str]


def execute(path: Path) -> Result:
    """Execute one notebook in its folder, stamp it and replace the file only if every cell succeeded."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(path, as_version=4)
    with tempfile.NamedTemporaryFile("r", suffix=".reads", delete=False) as log:
        log_path = Path(log.name)
    previous = os.environ.get(READ_LOG_ENV)
    os.environ[READ_LOG_ENV] = str(log_path)
    started = time.perf_counter()
    try:
        client = NotebookClient(
            nb,
            timeout=CELL_TIMEOUT_S,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
            record_timing=False,  # timestamps would dirty the file on every run
        )
        client.execute()
    except (CellExecutionError, CellTimeoutError) as exc:
        cell = _failing_cell(nb)
        raise NotebookFailed(f"{_rel(path)}: cell {cell} failed:\n{exc}") from None
    finally:
        if previous is None:
            os.environ.pop(READ_LOG_ENV, None)
        else:
            os.environ[READ_LOG_ENV] = previous
        reads = sorted({line.strip() for line in log_path.read_text(encoding="utf-8").splitlines() if line.strip()})
        log_path.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    nb.metadata[STAMP_KEY] = {
        "code": code_hash(nb),
        "package": package_hash(),
        "files": {name: input_hash(name) for name in reads},
    }
    _write_atomically(nb, path)
    return Result(path, seconds, reads)


def _failing_cell(nb) -> str:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return f"#{index + 1} (execution count {cell.get('execution_count')})"
    return "(unknown)"


def _write_atomically(nb, path: Path) -> None:
    import nbformat

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".ipynb.tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            nbformat.write(nb, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _rel(path: Path) -> str:
    return path.resolve().relative_to(ROOT).as_posix()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookbuild.execute", description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="re-execute every notebook, stale or not")
    parser.add_argument("--check", action="store_true", help="execute nothing; list stale notebooks, exit 1 if any")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to consider (default: all in _toc.yml)")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or notebooks_in_toc()
    stale = {p: (["--all was given"] if args.all else stale_reasons(p)) for p in paths}
    stale = {p: r for p, r in stale.items() if r}
    if args.check:
        for path, reasons in stale.items():
            print(f"{_rel(path)}: stale: {'; '.join(reasons)}")
        print(f"{len(stale)} of {len(paths)} notebook(s) stale")
        return 1 if stale else 0
    if not stale:
        print(f"notebooks: all {len(paths)} up to date, nothing executed")
        return 0
    for path, reasons in stale.items():
        print(f"executing {_rel(path)} ({'; '.join(reasons)}) ...", flush=True)
        try:
            result = execute(path)
        except NotebookFailed as exc:
            print(f"error: {exc}", file=sys.stderr)
            print(f"error: {_rel(path)} was left as it was; nothing was published", file=sys.stderr)
            return 1
        print(f"  done in {result.seconds:.1f} s; reads {', '.join(result.files) or 'no data files'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
