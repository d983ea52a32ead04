"""What the book contains, read from _toc.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
TOC = ROOT / "_toc.yml"


def _entries(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        if "file" in node:
            files.append(node["file"])
        if "root" in node:
            files.append(node["root"])
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []) or []:
                files += _entries(child)
    elif isinstance(node, list):
        for child in node:
            files += _entries(child)
    return files


def toc_files(toc: Path = TOC) -> list[Path]:
    """Every page listed in the table of contents, resolved to its source file, in reading order."""
    pages = []
    for entry in _entries(yaml.safe_load(toc.read_text(encoding="utf-8"))):
        base = ROOT / entry
        for candidate in (base, base.with_suffix(".ipynb"), base.with_suffix(".md")):
            if candidate.is_file() and candidate.suffix in (".ipynb", ".md"):
                pages.append(candidate)
                break
        else:
            raise FileNotFoundError(f"{toc.name}: '{entry}' matches no .ipynb or .md file")
    return pages


def notebooks_in_toc(toc: Path = TOC) -> list[Path]:
    return [p for p in toc_files(toc) if p.suffix == ".ipynb"]
