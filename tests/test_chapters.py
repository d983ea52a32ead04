"""Every chapter's figures carry what the house rules require: a label, alt text, a source line in the
caption and a download link to plotted data that exists; every figure glued is placed."""

from __future__ import annotations

import json
import re

import pytest

from bookbuild.toc import notebooks_in_toc

FIGURE = re.compile(r"```\{glue:figure\} (?P<name>\S+)\n(?P<body>.*?)\n```", re.S)
DOWNLOAD = re.compile(r"\{download\}`[^<`]*<(?P<path>[^>]+)>`")


def markdown_of(path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def glued_figures(path) -> set[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    names = set()
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if any("image/" in key for key in output.get("data", {})):
                name = output.get("metadata", {}).get("scrapbook", {}).get("name")
                if name:
                    names.add(name)
    return names


@pytest.mark.parametrize("path", notebooks_in_toc(), ids=lambda p: p.name)
def test_each_figure_has_label_alt_source_and_existing_data(path):
    figures = list(FIGURE.finditer(markdown_of(path)))
    assert figures, f"{path.name} places no figure"
    for figure in figures:
        name, body = figure["name"], figure["body"]
        assert f":name: {name}" in body, name
        assert re.search(r":alt: \S.{40,}", body), f"{name}: alt text missing or too short"
        assert "Source:" in body, f"{name}: caption has no source line"
        downloads = [m["path"] for m in DOWNLOAD.finditer(body)]
        assert downloads == [f"figure-data/{name}.csv"], f"{name}: download link {downloads}"
        assert (path.parent / downloads[0]).is_file(), f"{name}: plotted data not saved"


@pytest.mark.parametrize("path", notebooks_in_toc(), ids=lambda p: p.name)
def test_every_glued_figure_is_placed(path):
    placed = {m["name"] for m in FIGURE.finditer(markdown_of(path))}
    assert glued_figures(path) == placed
