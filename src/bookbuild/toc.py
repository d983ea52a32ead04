"""What the book contains, read from _toc.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

from twotracks.paths import root


def __getattr__(name: str) -> Path:  # ROOT and TOC, from the working directory, on first use (PEP 562)
    if name in ("ROOT", "TOC"):
        return root() / "_toc.yml" if name == "TOC" else root()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def toc_files(toc: Path | None = None) -> list[Path]:
    """Every page listed in the table of contents, resolved to its source file, in reading order."""
    toc = toc or root() / "_toc.yml"
    pages = []
    for entry in _entries(yaml.safe_load(toc.read_text(encoding="utf-8"))):
        base = toc.parent / entry
        for candidate in (base, base.with_suffix(".ipynb"), base.with_suffix(".md")):
            if candidate.is_file() and candidate.suffix in (".ipynb", ".md"):
                pages.append(candidate)
                break
        else:
            raise FileNotFoundError(f"{toc.name}: '{entry}' matches no .ipynb or .md file")
    return pages


def notebooks_in_toc(toc: Path | None = None) -> list[Path]:
    return [p for p in toc_files(toc) if p.suffix == ".ipynb"]
