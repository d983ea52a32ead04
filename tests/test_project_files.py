"""Project files that must agree with each other: the data dictionary, the environment, the README."""

from __future__ import annotations

import yaml

from bookbuild import datadict
from twotracks.paths import ROOT


def test_data_dictionary_is_current_with_the_descriptor():
    current = datadict.readme().read_text(encoding="utf-8")
    assert current == datadict.updated_readme(current, datadict.dictionary()), "run `make datadict`"


def test_conda_environment_installs_the_same_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-r requirements.lock" in pip_section
    assert any(str(d).startswith("python=3.11") for d in env["dependencies"])


def test_readme_names_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make book" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
