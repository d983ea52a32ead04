"""Project files that must agree with each other: the data dictionary, the environment, the README."""

from __future__ import annotations

import re

import yaml

from bookbuild import datadict
from twotracks.schema import load_package
from twotracks.paths import ROOT


def test_data_dictionary_is_current_with_the_descriptor():
    current = datadict.README.read_text(encoding="utf-8")
    assert current == datadict.updated_readme(current, datadict.dictionary()), "run `make datadict`"


def test_every_table_appears_in_the_data_dictionary():
    text = datadict.README.read_text(encoding="utf-8")
    for table in load_package(ROOT / "data"):
        assert f"### `{table.path}`" in text


def test_lock_pins_every_package_and_jupyter_book_below_2():
    lines = [l for l in (ROOT / "requirements.lock").read_text().splitlines() if l and not l.startswith("#")]
    assert lines and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^=\s]+", l) for l in lines), "every line pinned with =="
    pins = dict(l.split("==") for l in lines)
    assert pins["jupyter-book"].startswith("1."), "Jupyter Book 2 is a different tool"


def test_conda_environment_installs_the_same_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-r requirements.lock" in pip_section
    assert any(str(d).startswith("python=3.11") for d in env["dependencies"])


def test_readme_names_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make book" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
