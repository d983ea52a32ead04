"""Re-execute, in place, exactly the notebooks whose inputs changed.

A notebook's inputs are its code cells, the ``twotracks`` helper package, and every data file it read the
last time it ran (the package's loaders record each read). After a successful run the notebook's metadata
holds a stamp: a hash of each input, and of each figure file it wrote. A notebook is stale when its stamp is
missing or any hash differs.

A run commits nothing unless the whole notebook succeeds: its kernel writes figure files into a private
staging folder (``TWOTRACKS_FIGURE_DATA``), and only after the last cell has run are they moved into
notebooks/figure-data/ (each by an atomic rename), and then the notebook itself, whose stamp is the commit
point. Stale notebooks run in parallel, one process and one kernel each, on the machine's cores. Ctrl-C
stops every kernel at once and keeps only the notebooks that had already finished.

Jupyter Book's own cache keys on code alone and publishes stale numbers after a data change
(jupyter-book issue #1633); this stamp does not. Re-executing an unchanged notebook rewrites identical
bytes, so ``git status`` stays clean.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .toc import ROOT, notebooks_in_toc

STAMP_KEY = "twotracks_inputs"
PACKAGE_DIR = ROOT / "src" / "twotracks"
READ_LOG_ENV = "TWOTRACKS_READ_LOG"  # twotracks.data.READ_LOG_ENV; not imported, to keep the build light
FIGURE_DATA_ENV = "TWOTRACKS_FIGURE_DATA"  # twotracks.paths.FIGURE_DATA_ENV, likewise
FIGURE_DATA = ROOT / "notebooks" / "figure-data"
# nbformat and nbclient are imported only when a notebook is executed: they take a quarter of a second to
# import, which was most of a no-op `make book` (the benchmark's target is under 10% of a clean build).
CELL_TIMEOUT_S = 600


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str | None:
    return sha256_bytes(path.read_bytes()) if path.is_file() else None


def input_hash(name: str) -> str | None:
    """Hash of a recorded input: a file, or ``descriptor.json#part`` for one resource (or one top-level property,
    such as ``as_of``) of a data package."""
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
    if part in descriptor and part != "resources":  # a package-level property a notebook read (as_of)
        return sha256_bytes(json.dumps(descriptor[part], sort_keys=True, ensure_ascii=False).encode())
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


class Unreadable(ValueError):
    """A notebook file that is not a notebook (truncated, or not JSON): one line naming it."""


def read_json(path: Path) -> dict:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise Unreadable(
            f"{_rel(path)}: not a readable notebook ({exc}); restore it, e.g. `git checkout {_rel(path)}`"
        ) from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise Unreadable(
            f"{_rel(path)}: not a notebook (no list of cells); restore it, e.g. `git checkout {_rel(path)}`"
        )
    return nb


def stale_reasons(path: Path) -> list[str]:
    """Why ``path`` must be re-executed; empty if its stored outputs are current."""
    nb = read_json(path)
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
    for name, recorded in sorted(stamp.get("outputs", {}).items()):
        if file_hash(FIGURE_DATA / name) != recorded:
            reasons.append(f"figure file {name} is gone or was altered")
    return reasons


class NotebookFailed(RuntimeError):
    pass


@dataclass
class Result:
    path: Path
    seconds: float
    files: list[str]
    outputs: list[str] = field(default_factory=list)


def execute(path: Path) -> Result:
    """Execute one notebook in its folder; if every cell succeeded, commit its figure files, then the notebook.

    The kernel runs in a helper thread, so that this process's main thread keeps its signal handlers (nbclient
    installs its own in the main thread, and they end the kernel without stopping the run).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from .kernels import AsyncIpcKernelManager

    read_json(path)  # a truncated or garbled file gives one line naming it
    nb = nbformat.read(path, as_version=4)
    scratch = Path(tempfile.mkdtemp(prefix=f"twotracks-{path.stem}-"))
    log_path, staged = scratch / "reads", scratch / "figure-data"
    log_path.touch()
    env = {**os.environ, READ_LOG_ENV: str(log_path), FIGURE_DATA_ENV: str(staged)}
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        shutdown_kernel="immediate",
        startup_timeout=CELL_TIMEOUT_S,  # a loaded machine (parallel kernels, a parallel test run) starts slowly
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,  # timestamps would dirty the file on every run
        kernel_manager_class=AsyncIpcKernelManager,  # no TCP ports that a parallel kernel could be given too
        on_notebook_start=lambda notebook: _KERNELS.append(client.km.provisioner.pid),
    )
    failure: list[BaseException] = []

    def run() -> None:
        try:
            client.execute(env=env, stderr=subprocess.DEVNULL)  # the kernel's own start-up chatter
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            failure.append(exc)

    started = time.perf_counter()
    try:
        thread = threading.Thread(target=run, name=f"execute {path.name}", daemon=True)
        thread.start()
        # joined in slices: a signal may be delivered to another thread, and Python runs its handler only when
        # the main thread next runs; an unbounded join would keep Ctrl-C waiting for the cell to end
        while thread.is_alive():
            thread.join(0.2)
        if failure:
            exc = failure[0]
            if isinstance(exc, (CellExecutionError, CellTimeoutError)):
                raise NotebookFailed(f"{_rel(path)}: cell {_failing_cell(nb)} failed:\n{exc}") from None
            if isinstance(exc, DeadKernelError):
                raise NotebookFailed(
                    f"{_rel(path)}: the kernel died while running cell {_running_cell(nb)} "
                    "(killed, out of memory, or the code ended the process)"
                ) from None
            raise NotebookFailed(f"{_rel(path)}: could not be executed: {type(exc).__name__}: {exc}") from None
        seconds = time.perf_counter() - started
        reads = sorted({line.strip() for line in log_path.read_text(encoding="utf-8").splitlines() if line.strip()})
        outputs = sorted(p.name for p in staged.iterdir() if p.is_file()) if staged.is_dir() else []
        nb.metadata[STAMP_KEY] = {
            "code": code_hash(nb),
            "package": package_hash(),
            "files": {name: input_hash(name) for name in reads},
            "outputs": {name: file_hash(staged / name) for name in outputs},
        }
        _commit(nb, path, staged, outputs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Result(path, seconds, reads, outputs)


#: The kernel this process started (a worker runs one notebook at a time); its signal handler kills it.
_KERNELS: list[int] = []


def _commit(nb, path: Path, staged: Path, outputs: list[str]) -> None:
    """Figure files first, each by an atomic rename, then the notebook: its stamp says the figures are current.

    Ctrl-C and SIGTERM are held back meanwhile, so the commit is never cut in half by them.
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        if outputs:
            FIGURE_DATA.mkdir(parents=True, exist_ok=True)
        for name in outputs:
            _replace_atomically((staged / name).read_bytes(), FIGURE_DATA / name)
        import nbformat

        text = nbformat.writes(nb)
        _replace_atomically((text if text.endswith("\n") else text + "\n").encode("utf-8"), path)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _failing_cell(nb) -> str:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return f"#{index + 1} (execution count {cell.get('execution_count')})"
    return "(unknown)"


def _running_cell(nb) -> str:
    """The first code cell without a reply: the one running when the kernel died."""
    numbered = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    done = [i for i, c in numbered if c.get("execution_count")]
    following = [i for i, _ in numbered if not done or i > done[-1]]
    return f"#{following[0] + 1}" if following else "(unknown)"


def _replace_atomically(data: bytes, path: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _rel(path: Path) -> str:
    path = path.resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


# --- running stale notebooks in parallel -----------------------------------------------------------------


def _worker_start() -> None:
    """In each worker process: Ctrl-C and SIGTERM kill this worker's kernel, then end the worker at once."""
    signal.signal(signal.SIGINT, _worker_stop)
    signal.signal(signal.SIGTERM, _worker_stop)


def _worker_stop(signum, frame) -> None:
    for pid in _KERNELS:
        try:
            os.killpg(pid, signal.SIGKILL)  # the kernel leads its own session (jupyter_client starts it so)
        except OSError:
            pass
    os._exit(128 + signum)


def _run(path: Path) -> Result | str:
    """A worker's task: the result, or the one message that says why the notebook was left as it was."""
    _KERNELS.clear()
    try:
        return execute(path)
    except (NotebookFailed, Unreadable, OSError) as exc:
        return str(exc) if not isinstance(exc, OSError) else f"{_rel(path)}: could not be written: {exc}"


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def execute_all(paths: list[Path], jobs: int) -> tuple[list[Result], dict[Path, str]]:
    """Execute ``paths`` on ``jobs`` worker processes; print each as it ends. Ctrl-C ends every worker."""
    results: list[Result] = []
    failures: dict[Path, str] = {}
    pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(paths))), initializer=_worker_start)
    try:
        pending = {pool.submit(_run, path): path for path in paths}
        while pending:
            done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)  # in slices, as in execute()
            for future in done:
                path = pending.pop(future)
                outcome = future.result()
                if isinstance(outcome, Result):
                    results.append(outcome)
                    wrote = f"; wrote {', '.join(outcome.outputs)}" if outcome.outputs else ""
                    print(
                        f"executed {_rel(path)} in {outcome.seconds:.1f} s; "
                        f"reads {', '.join(outcome.files) or 'no data files'}{wrote}",
                        flush=True,
                    )
                else:
                    failures[path] = outcome
                    print(f"error: {outcome}", file=sys.stderr, flush=True)
    except BaseException:  # Ctrl-C above all: end every worker (and so its kernel) now, then re-raise
        for child in multiprocessing.active_children():
            child.terminate()
        # not wait=True: after a signal the pool's manager can wait for ever on workers already gone
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookbuild.execute", description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="re-execute every notebook, stale or not")
    parser.add_argument("--check", action="store_true", help="execute nothing; list stale notebooks, exit 1 if any")
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=default_jobs(),
        help="notebooks executed at once (default: the cores this process may use)",
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to consider (default: all in _toc.yml)")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or notebooks_in_toc()
    stale: dict[Path, list[str]] = {}
    for path in paths:
        try:
            reasons = ["--all was given"] if args.all else stale_reasons(path)
        except Unreadable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if reasons:
            stale[path] = reasons
    if args.check:
        for path, reasons in stale.items():
            print(f"{_rel(path)}: stale: {'; '.join(reasons)}")
        print(f"{len(stale)} of {len(paths)} notebook(s) stale")
        return 1 if stale else 0
    if not stale:
        print(f"notebooks: all {len(paths)} up to date, nothing executed")
        return 0
    jobs = max(1, min(args.jobs, len(stale)))
    print(f"notebooks: executing {len(stale)} of {len(paths)} on {jobs} process(es):", flush=True)
    for path, reasons in stale.items():
        print(f"  {_rel(path)} ({'; '.join(reasons)})", flush=True)
    started = time.perf_counter()
    try:
        results, failures = execute_all(list(stale), jobs)
    except (KeyboardInterrupt, BrokenProcessPool) as exc:
        # A Ctrl-C reaches the workers too: one may end (its handler stops its kernel) before this process
        # sees its own KeyboardInterrupt, and the pool then reports a broken worker first.
        how = "a worker was stopped (Ctrl-C, or killed)" if isinstance(exc, BrokenProcessPool) else "Ctrl-C"
        print(
            f"\ninterrupted: {how}; every kernel was stopped; notebooks that had not finished were left as they "
            "were, with their figure files; nothing was published",
            file=sys.stderr,
        )
        sys.stdout.flush()
        sys.stderr.flush()
        # concurrent.futures' exit hook joins the pool's threads, which can hang once a signal killed the workers
        os._exit(130)
    if failures:
        kept = ", ".join(_rel(r.path) for r in results)
        print(
            f"error: {', '.join(map(_rel, failures))} left as {'it was' if len(failures) == 1 else 'they were'}, "
            f"with {'its' if len(failures) == 1 else 'their'} figure files; "
            f"{'kept, as they succeeded: ' + kept if kept else 'no notebook was updated'}; nothing was published",
            file=sys.stderr,
        )
        return 1
    print(
        f"notebooks: {len(results)} executed in {time.perf_counter() - started:.1f} s "
        f"(their own times add up to {sum(r.seconds for r in results):.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
