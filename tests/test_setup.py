"""Set-up: a venv that lost a key package is reinstalled, whatever its stamp says; an intact one is kept."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from project_copies import VENV_BIN, copy_project, run


def broken_venv(folder: Path, with_python: bool) -> Path:
    """A venv with a fresh stamp whose python is gone, or finds none of the project's packages."""
    (folder / "bin").mkdir(parents=True)
    if with_python:
        base = Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"
        (folder / "bin" / "python").symlink_to(base)
        (folder / "pyvenv.cfg").write_text(f"home = {base.parent}\ninclude-system-site-packages = false\n")
    (folder / ".installed").touch()
    return folder


@pytest.mark.parametrize("with_python", [True, False], ids=["packages-deleted", "python-deleted"])
def test_a_partly_deleted_venv_is_reinstalled_despite_its_stamp(tmp_path, with_python):
    project = copy_project(tmp_path / "project")
    venv = broken_venv(tmp_path / "venv", with_python)
    # make -q: exit 0 when the target is up to date, 1 when its recipe would run.
    assert run(project, "make", "-q", "setup", f"VENV={venv}").returncode == 1
    dry = run(project, "make", "-n", "setup", f"VENV={venv}")
    assert "-r requirements.lock" in dry.stdout


def test_an_intact_venv_is_left_alone(tmp_path):
    project = copy_project(tmp_path / "project")
    venv = VENV_BIN.parent
    for name in ("requirements.lock", "pyproject.toml"):  # as old as the stamp: only the venv itself is judged
        stamp = (venv / ".installed").stat().st_mtime
        os.utime(project / name, (stamp - 60, stamp - 60))
    assert run(project, "make", "-q", "setup", f"VENV={venv}").returncode == 0


def test_lint_checks_the_projects_code_not_the_bootstrapped_tools_even_without_git(tmp_path):
    """A copy without .git (as the benchmark makes) does not see .gitignore: ruff must still skip .tools/."""
    project = copy_project(tmp_path / "project")
    tools = project / ".tools" / "uv-0" / "uv"
    tools.mkdir(parents=True)
    (tools / "_find_uv.py").write_text("import sys\nif sys.version_info >= (3, 10):\n    pass\n")  # UP036
    ruff = str(VENV_BIN / "ruff")
    assert run(project, ruff, "check", ".").returncode == 0, "ruff linted the bootstrapped uv"
    (project / "src" / "twotracks" / "stray.py").write_text("import sys\nif sys.version_info >= (3, 10):\n    pass\n")
    result = run(project, ruff, "check", ".")
    assert result.returncode == 1 and "stray.py" in result.stdout  # the project's own code is still linted
