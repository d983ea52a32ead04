"""Benchmark the build: how long each kind of build and test run takes, what it re-executes, what it weighs.

``make bench`` (``python tools/bench.py``) works in a temporary copy of the project, never in the
working tree and never in data/. Each timed case runs ``--repeat`` times (default 3; the test-suite
cases and the fresh clone's set-up ``--test-repeat`` times, default 1) and reports the median. It writes
_build/bench/results.json and prints a table, then checks the targets, each from the same run:

* a clean ``make book`` (notebooks executed in parallel, then the site) takes at most 1.0x the notebooks'
  summed serial execution time (``bookbuild.execute --all --jobs 1``);
* ``make test`` takes under 60 s, browser and PDF tests included;
* a fresh clone's ``make setup`` takes under 30 s (package caches as this machine has them);
* a no-op ``make book`` takes under 10% of a clean build;
* a one-file change re-executes exactly the notebooks that read it;
* nbval takes within 1.3x the notebooks' own execution time (the sum of their cells' run times);
* each chapter page with its figures weighs under 1 MB (theme assets aside).

The scale case runs the same notebooks over the data package made 10x and 100x larger
(``tools/scaledata.py``, in a temporary folder, loaded through TWOTRACKS_DATA).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from scaledata import scale_package  # tools/, beside this file

from bookbuild.execute import STAMP_KEY
from bookbuild.kernels import AsyncIpcKernelManager
from bookbuild.toc import ROOT, notebooks_in_toc

VENV = Path(sys.executable).parent.parent  # not resolved: .venv/bin/python is a symlink
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".lock-venv", "_build", ".git", "__pycache__", ".pytest_cache", "*.egg-info", "_generated"
)
RESULTS = ROOT / "_build" / "bench" / "results.json"
MB = 1_000_000
TARGETS = {
    "noop_ratio": 0.10,
    "nbval_ratio": 1.3,
    "page_bytes": MB,
    "clean_over_serial": 1.0,
    "make_test_s": 60.0,
    "setup_s": 30.0,
}


# --- running things in the copy ------------------------------------------------------------------------


class Project:
    """A throwaway copy of the project, run with this environment and the copy's own packages first."""

    def __init__(self, folder: Path):
        self.root = folder / "project"
        shutil.copytree(ROOT, self.root, ignore=COPY_IGNORE)
        self.env = {**os.environ, "PYTHONPATH": str(self.root / "src"), "NO_COLOR": "1"}
        # MAKEFLAGS and MAKELEVEL: under `make bench`, the inner makes would otherwise print their directories.
        for name in ("TWOTRACKS_READ_LOG", "TWOTRACKS_DATA", "PYTEST_ADDOPTS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
            self.env.pop(name, None)

    def run(self, *args: str, env: dict | None = None, check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
        started = time.perf_counter()
        result = subprocess.run(args, cwd=self.root, env={**self.env, **(env or {})}, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args)} failed in {self.root}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return seconds, result

    def make(self, target: str, *extra: str) -> tuple[float, subprocess.CompletedProcess]:
        return self.run("make", target, f"VENV={VENV}", "-o", f"{VENV}/.installed", *extra)

    def notebooks(self) -> list[Path]:
        return [self.root / p.relative_to(ROOT) for p in notebooks_in_toc()]

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def executed(stdout: str) -> dict[str, float]:
    """The notebooks a build executed, with the seconds each took (from bookbuild.execute's output)."""
    return {name: float(s) for name, s in re.findall(r"^executed (\S+) in ([0-9.]+) s", stdout, flags=re.M)}


def unstamp(project: Project) -> None:
    """Make every notebook stale, as in a fresh checkout whose notebooks were never built."""
    for path in project.notebooks():
        nb = nbformat.read(path, as_version=4)
        nb.metadata.pop(STAMP_KEY, None)
        nbformat.write(nb, path)


def execute_in_memory(path: Path, env: dict, **options) -> nbformat.NotebookNode:
    """Execute a notebook in memory (the file is not rewritten), its kernel started with exactly ``env``."""
    nb = nbformat.read(path, as_version=4)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
            kernel_manager_class=AsyncIpcKernelManager,  # as the build runs them: Unix sockets, no TCP ports
            **options,
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nb


def own_execution_seconds(path: Path, env: dict) -> float:
    """The sum of a notebook's cells' run times as its kernel reports them (no kernel start, no I/O)."""
    nb = execute_in_memory(path, env, record_timing=True)
    total = 0.0
    for cell in nb.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            total += _iso_seconds(timing["shell.execute_reply"]) - _iso_seconds(timing["iopub.execute_input"])
    return total


def timed_execution(path: Path, env: dict) -> tuple[float, int]:
    """Wall time to execute a notebook in memory, kernel start included, and how many of its cells raised.

    The chapters assert what their prose says of the real data (no tie for the top promoter, every body
    on both tracks under the State Council); the scale case's synthetic copies break such claims. Errors
    are therefore allowed, so that every cell is still timed, and the count is reported beside the time.
    """
    started = time.perf_counter()
    nb = execute_in_memory(path, env, allow_errors=True)
    seconds = time.perf_counter() - started
    errors = sum(1 for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error")
    return seconds, errors


def _iso_seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def _append_to_first_description(path: Path, text: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("description")] += text
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- the cases -----------------------------------------------------------------------------------------


def bench_builds(project: Project, repeat: int) -> dict:
    results: dict = {"clean": [], "noop": [], "edit_notebook": [], "edit_data": [], "own": [], "serial": []}
    notebooks = project.notebooks()
    chapter = notebooks[0]
    for i in range(repeat):
        shutil.rmtree(project.root / "_build", ignore_errors=True)
        shutil.rmtree(project.root / "book" / "_generated", ignore_errors=True)
        unstamp(project)
        seconds, out = project.make("book")
        results["clean"].append({"seconds": seconds, "executed": executed(out.stdout)})
        results["own"].append(sum(own_execution_seconds(p, project.env) for p in notebooks))
        seconds, _out = project.run(str(VENV / "bin" / "python"), "-m", "bookbuild.execute", "--all", "--jobs", "1")
        results["serial"].append(seconds)  # rewrites identical notebooks: the no-op below stays a no-op

        seconds, out = project.make("book")
        results["noop"].append(
            {"seconds": seconds, "executed": executed(out.stdout), "rebuilt": "nothing rebuilt" not in out.stdout}
        )

        nb = nbformat.read(chapter, as_version=4)
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        first_code.source += f"\n# benchmark edit {i}"
        nbformat.write(nb, chapter)
        seconds, out = project.make("book")
        results["edit_notebook"].append(
            {"seconds": seconds, "file": project.rel(chapter), "executed": executed(out.stdout)}
        )

        events = project.root / "data" / "events.csv"
        readers = sorted(
            project.rel(p)
            for p in notebooks
            if "data/events.csv" in nbformat.read(p, as_version=4).metadata[STAMP_KEY]["files"]
        )
        _append_to_first_description(events, f" (benchmark edit {i})")
        seconds, out = project.make("book")
        results["edit_data"].append(
            {"seconds": seconds, "file": "data/events.csv", "readers": readers, "executed": executed(out.stdout)}
        )
    return results


def bench_tests(project: Project, repeat: int, nbval_repeat: int, serial_suite: bool = False) -> dict:
    py = str(VENV / "bin" / "python")
    pytest = (py, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    cases = {
        "make_test": ("make",),
        **({"suite_serial": (*pytest, "-n", "0")} if serial_suite else {}),  # as long as the rest together
        "nbval_serial": (*pytest, "-n", "0", "notebooks"),
        "nbval_parallel": (*pytest, "-n", "2", "--dist", "loadfile", "notebooks"),
        # What nbval costs beyond the cells: pytest's start and collection, and one kernel's start and stop.
        "nbval_collect_only": (*pytest, "-n", "0", "--collect-only", "notebooks"),
        "kernel_start_stop": (
            py,
            "-c",
            "from jupyter_client.manager import start_new_kernel\n"
            "km, kc = start_new_kernel(kernel_name='python3')\n"
            "kc.stop_channels(); km.shutdown_kernel(now=True)",
        ),
    }
    results = {}
    for name, command in cases.items():
        runs = []
        # The whole suite takes a minute: `repeat` (--test-repeat) times; nbval and its parts, `nbval_repeat`.
        for _ in range(repeat if name in ("make_test", "suite_serial") else nbval_repeat):
            seconds, out = project.make("test") if name == "make_test" else project.run(*command)
            results_lines = [line for line in out.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
            summary = results_lines[-1].strip(" =") if results_lines else ""
            runs.append({"seconds": seconds, "summary": summary})
        results[name] = runs
    return results


def bench_setup(repeat: int, workdir: Path) -> dict:
    """A fresh clone's `make setup`, its own venv created and installed (the package caches as they are)."""
    if not (ROOT / ".git").exists():
        return {"available": False}
    runs = []
    for i in range(repeat):
        clone = workdir / f"clone-{i}"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VIRTUAL_ENV")}
        started = time.perf_counter()
        result = subprocess.run(["make", "setup"], cwd=clone, env=env, capture_output=True, text=True)
        runs.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise RuntimeError(f"make setup failed in a fresh clone:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        shutil.rmtree(clone, ignore_errors=True)
    return {"available": True, "runs": runs}


def bench_pdf(project: Project, repeat: int) -> dict:
    makefile = (project.root / "Makefile").read_text(encoding="utf-8")
    if not re.search(r"^pdf\s*:", makefile, flags=re.M):
        return {"available": False}
    runs = []
    for _ in range(repeat):
        shutil.rmtree(project.root / "_build" / "pdf", ignore_errors=True)
        seconds, out = project.make("pdf")
        runs.append(seconds)
    pdfs = sorted(project.root.joinpath("_build").rglob("*.pdf"))
    return {"available": True, "runs": runs, "files": {project.rel(p): p.stat().st_size for p in pdfs}}


def site_weights(project: Project) -> dict:
    site = project.root / "_build" / "html"
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    static = sum(p.stat().st_size for p in (site / "_static").rglob("*") if p.is_file())
    pages = {}
    for path in project.notebooks():
        page = site / path.relative_to(project.root).with_suffix(".html")
        html = page.read_text(encoding="utf-8")
        figures = set()
        for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
            target = (page.parent / src).resolve()
            if "_static" not in target.parts and target.is_file():
                figures.add(target)
        figure_bytes = sum(p.stat().st_size for p in figures)
        pages[project.rel(page)] = {
            "page_bytes": page.stat().st_size,
            "figures": len(figures),
            "figure_bytes": figure_bytes,
            "total_bytes": page.stat().st_size + figure_bytes,
        }
    return {"site_bytes": total, "theme_static_bytes": static, "pages": pages}


def bench_scale(project: Project, factors: list[int], repeat: int, workdir: Path) -> dict:
    """Validate and execute every notebook over the data made ``factor`` times larger."""
    py = str(VENV / "bin" / "python")
    results = {}
    saved = {p: p.read_bytes() for p in project.notebooks()}
    saved_figures = {p: p.read_bytes() for p in (project.root / "notebooks" / "figure-data").glob("*")}
    try:
        for factor in [1, *factors]:
            data = workdir / f"data-x{factor}"
            scale_package(factor, data)
            rows = sum(max(0, len(p.read_text(encoding="utf-8").splitlines()) - 1) for p in data.rglob("*.csv"))
            env = {"TWOTRACKS_DATA": str(data)}
            validate, execute, errors = [], [], 0
            for _ in range(repeat):
                seconds, _out = project.run(py, "-m", "twotracks.validate", str(data), env=env)
                validate.append(seconds)
                timings = [timed_execution(p, {**project.env, **env}) for p in project.notebooks()]
                execute.append(sum(t for t, _ in timings))
                errors = sum(e for _, e in timings)
            results[str(factor)] = {"rows": rows, "validate": validate, "execute": execute, "cells_raised": errors}
    finally:
        for path, content in {**saved, **saved_figures}.items():
            path.write_bytes(content)
    return results


# --- report --------------------------------------------------------------------------------------------


def grows_at_most_linearly(points: list[tuple[int, float]], noise_s: float = 0.1) -> bool:
    """Whether time grows no worse than linearly with rows, from (rows, seconds) at increasing sizes.

    The time a size adds over the smallest should grow as the rows it adds (x100 adds 11 times the rows
    x10 adds). Worse than linear is more than 1.5 times that, above a timing noise floor.
    """
    (rows0, seconds0), rest = points[0], points[1:]
    added = [(rows - rows0, seconds - seconds0) for rows, seconds in rest]
    return all(
        extra_b <= 1.5 * (rows_b / rows_a) * max(extra_a, noise_s)
        for (rows_a, extra_a), (rows_b, extra_b) in zip(added, added[1:])
    )


def summarise(raw: dict) -> dict:
    b = raw["builds"]
    clean = median([r["seconds"] for r in b["clean"]])
    own = median(b["own"])
    serial = median(b["serial"])
    noop = median([r["seconds"] for r in b["noop"]])
    s: dict = {
        "clean_build_s": clean,
        "notebooks_own_s": own,
        "clean_over_own": clean / own,
        "serial_execution_s": serial,
        "clean_over_serial": clean / serial,
        "noop_s": noop,
        "noop_ratio": noop / clean,
        "noop_executed_or_rebuilt": any(r["executed"] or r["rebuilt"] for r in b["noop"]),
        "edit_notebook_s": median([r["seconds"] for r in b["edit_notebook"]]),
        "edit_notebook_executed": sorted(b["edit_notebook"][-1]["executed"]),
        "edit_data_s": median([r["seconds"] for r in b["edit_data"]]),
        "edit_data_executed": sorted(b["edit_data"][-1]["executed"]),
        "edit_data_readers": b["edit_data"][-1]["readers"],
        "edit_data_exec_s": median([sum(r["executed"].values()) for r in b["edit_data"]]),
    }
    s["only_dependents_re_ran"] = all(sorted(r["executed"]) == r["readers"] for r in b["edit_data"]) and all(
        sorted(r["executed"]) == [r["file"]] for r in b["edit_notebook"]
    )
    for name, runs in raw["tests"].items():
        s[f"{name}_s"] = median([r["seconds"] for r in runs])
        s[f"{name}_summary"] = runs[-1]["summary"]
    s["nbval_ratio"] = s["nbval_serial_s"] / own
    s["pdf"] = raw["pdf"] if not raw["pdf"].get("available") else {**raw["pdf"], "median_s": median(raw["pdf"]["runs"])}
    s["heaviest_page_bytes"] = max(p["total_bytes"] for p in raw["site"]["pages"].values())
    s["setup_s"] = median(raw["setup"]["runs"]) if raw["setup"].get("available") else None
    scale = raw.get("scale") or {}
    if scale:
        base = scale["1"]
        s["scale"] = {}
        for f, v in scale.items():
            entry = {
                "rows": v["rows"],
                "validate_s": median(v["validate"]),
                "execute_s": median(v["execute"]),
                "cells_raised": v.get("cells_raised", 0),
                "validate_per_base": median(v["validate"]) / median(base["validate"]),
                "execute_per_base": median(v["execute"]) / median(base["execute"]),
            }
            added = v["rows"] - base["rows"]
            for step in ("validate", "execute"):  # the marginal cost of a row: constant if the growth is linear
                entry[f"{step}_ms_per_1000_added_rows"] = (
                    1000 * 1000 * (entry[f"{step}_s"] - median(base[step])) / added if added else None
                )
            s["scale"][f] = entry
        s["scale_at_most_linear"] = all(
            grows_at_most_linearly([(scale[f]["rows"], median(scale[f][step])) for f in sorted(scale, key=int)])
            for step in ("validate", "execute")
        )
    s["targets"] = {
        "clean build at most 1.0x the notebooks' serial execution": s["clean_over_serial"]
        <= TARGETS["clean_over_serial"],
        "make test under 60 s": s["make_test_s"] < TARGETS["make_test_s"],
        "fresh-clone set-up under 30 s": s["setup_s"] is not None and s["setup_s"] < TARGETS["setup_s"],
        "noop under 10% of a clean build": s["noop_ratio"] < TARGETS["noop_ratio"]
        and not s["noop_executed_or_rebuilt"],
        "a one-file change re-executes only its dependents": s["only_dependents_re_ran"],
        "nbval within 1.3x the notebooks' own time": s["nbval_ratio"] <= TARGETS["nbval_ratio"],
        "each chapter page with figures under 1 MB": s["heaviest_page_bytes"] < TARGETS["page_bytes"],
    }
    if "scale_at_most_linear" in s:
        s["targets"]["time grows at most linearly with the data"] = s["scale_at_most_linear"]
    return s


def table(raw: dict, s: dict) -> str:
    rows = [("case", "median", "note")]
    rows.append(
        (
            "clean make book (empty _build, all executed)",
            f"{s['clean_build_s']:.2f} s",
            f"{s['clean_over_serial']:.2f}x the notebooks' serial execution {s['serial_execution_s']:.2f} s "
            f"(target <= 1.0x); {s['clean_over_own']:.2f}x their cells' own {s['notebooks_own_s']:.2f} s",
        )
    )
    rows.append(
        (
            "fresh clone: make setup",
            "-" if s["setup_s"] is None else f"{s['setup_s']:.2f} s",
            "not a git checkout" if s["setup_s"] is None else "target < 30 s (package caches as they are)",
        )
    )
    rows.append(("no-op make book", f"{s['noop_s']:.2f} s", f"{s['noop_ratio']:.1%} of clean (target < 10%)"))
    rows.append(
        (
            "make book after editing one notebook",
            f"{s['edit_notebook_s']:.2f} s",
            "re-ran " + (", ".join(s["edit_notebook_executed"]) or "nothing"),
        )
    )
    rows.append(
        (
            "make book after changing data/events.csv",
            f"{s['edit_data_s']:.2f} s",
            f"re-ran {', '.join(s['edit_data_executed']) or 'nothing'} ({s['edit_data_exec_s']:.2f} s); "
            f"readers: {', '.join(s['edit_data_readers'])}",
        )
    )
    rows.append(
        ("make test (-n 2 --dist loadfile)", f"{s['make_test_s']:.2f} s", f"{s['make_test_summary']} (target < 60 s)")
    )
    if "suite_serial_s" in s:
        rows.append(("whole suite, serial", f"{s['suite_serial_s']:.2f} s", s["suite_serial_summary"]))
    rows.append(
        (
            "nbval alone, serial",
            f"{s['nbval_serial_s']:.2f} s",
            f"{s['nbval_ratio']:.2f}x the notebooks' own time (target <= 1.3x)",
        )
    )
    rows.append(("nbval alone, -n 2 --dist loadfile", f"{s['nbval_parallel_s']:.2f} s", s["nbval_parallel_summary"]))
    rows.append(
        (
            "  of nbval: pytest start + collection",
            f"{s['nbval_collect_only_s']:.2f} s",
            "python, pytest, plugins, nbformat",
        )
    )
    rows.append(
        (
            "  of nbval: one kernel start + stop",
            f"{s['kernel_start_stop_s']:.2f} s",
            "python + ipykernel, once per notebook",
        )
    )
    pdf = s["pdf"]
    if pdf.get("available"):
        rows.append(
            (
                "make pdf",
                f"{pdf['median_s']:.2f} s",
                ", ".join(f"{k} {v / MB:.2f} MB" for k, v in pdf["files"].items()) or "no PDF found",
            )
        )
    else:
        rows.append(("make pdf", "-", "not available (no pdf target in the Makefile)"))
    site = raw["site"]
    rows.append(
        (
            "built site",
            f"{site['site_bytes'] / MB:.2f} MB",
            f"of which theme _static {site['theme_static_bytes'] / MB:.2f} MB",
        )
    )
    for name, page in site["pages"].items():
        rows.append(
            (
                f"  {name}",
                f"{page['total_bytes'] / 1000:.0f} kB",
                f"page {page['page_bytes'] / 1000:.0f} kB + {page['figures']} figures {page['figure_bytes'] / 1000:.0f} kB (target < 1 MB)",
            )
        )
    for factor, v in (s.get("scale") or {}).items():
        per = {
            k: (
                ""
                if v[f"{k}_ms_per_1000_added_rows"] is None
                else f"; {v[f'{k}_ms_per_1000_added_rows']:.0f} ms per 1000 added rows"
            )
            for k in ("validate", "execute")
        }
        rows.append(
            (
                f"scale x{factor} ({v['rows']} rows): validate",
                f"{v['validate_s']:.2f} s",
                f"{v['validate_per_base']:.2f}x the x1 time{per['validate']}",
            )
        )
        rows.append(
            (
                f"scale x{factor}: execute notebooks",
                f"{v['execute_s']:.2f} s",
                f"{v['execute_per_base']:.2f}x the x1 time{per['execute']}; "
                f"{v['cells_raised']} cell(s) raised (chapters assert facts of the real data)",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines = [f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]}" for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.append("")
    lines += [f"{'met   ' if ok else 'MISSED'}  {name}" for name, ok in s["targets"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/bench.py", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build case (median reported; default 3)")
    parser.add_argument(
        "--test-repeat",
        type=int,
        default=1,
        help="runs of the whole test suite and of make pdf (default 1; nbval alone runs --repeat times)",
    )
    parser.add_argument(
        "--scale", default="10,100", help="comma-separated data size factors, or '' to skip (default 10,100)"
    )
    parser.add_argument("--serial-suite", action="store_true", help="also time the whole test suite on one worker")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed (for CI)")
    args = parser.parse_args(argv)
    factors = [int(f) for f in args.scale.split(",") if f.strip()]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="twotracks-bench-") as tmp:
        project = Project(Path(tmp))
        print(f"bench: working in {project.root}", flush=True)
        raw: dict = {
            "meta": {
                "repeat": args.repeat,
                "test_repeat": args.test_repeat,
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
            }
        }
        print("bench: builds ...", flush=True)
        raw["builds"] = bench_builds(project, args.repeat)
        raw["site"] = site_weights(project)
        print("bench: tests ...", flush=True)
        raw["tests"] = bench_tests(project, args.test_repeat, args.repeat, args.serial_suite)
        print("bench: pdf ...", flush=True)
        raw["pdf"] = bench_pdf(project, args.test_repeat)
        print("bench: a fresh clone's set-up ...", flush=True)
        raw["setup"] = bench_setup(args.test_repeat, Path(tmp))
        if factors:
            print(f"bench: scale x{', x'.join(map(str, factors))} ...", flush=True)
            raw["scale"] = bench_scale(project, factors, args.repeat, Path(tmp))
    summary = summarise(raw)
    raw["meta"]["wall_s"] = time.perf_counter() - started
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps({"summary": summary, "raw": raw}, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print()
    print(table(raw, summary))
    print(f"\nbench: {raw['meta']['wall_s']:.0f} s in all; results in {args.output}")
    return 1 if args.strict and not all(summary["targets"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
