"""Write the data dictionary in data/README.md from data/datapackage.json, so the two never disagree.

Only the part between the markers is generated; the prose around it is edited by hand.
``python -m bookbuild.datadict`` rewrites it; ``--check`` exits 1 if it is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from twotracks.schema import Table, load_package

from .toc import ROOT

README = ROOT / "data" / "README.md"
BEGIN = "<!-- BEGIN GENERATED DATA DICTIONARY: edit data/datapackage.json, then run `make datadict` -->"
END = "<!-- END GENERATED DATA DICTIONARY -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rule(field) -> str:
    parts = []
    if field.enum:
        parts.append("one of " + ", ".join(f"`{v}`" for v in field.enum))
    if field.pattern:
        parts.append(f"pattern `{field.pattern}`")
    if field.max_length:
        parts.append(f"at most {field.max_length} characters")
    if field.minimum is not None:
        parts.append(f"at least {field.minimum:g}")
    if field.unique:
        parts.append("unique")
    return "; ".join(parts)


def table_section(table: Table) -> str:
    lines = [f"### `{table.path}`: {table.title}", "", table.description, ""]
    if table.primary_key:
        lines.append(f"Primary key: {', '.join(f'`{k}`' for k in table.primary_key)}.")
    for fk in table.foreign_keys:
        target = fk.resource or table.name
        lines.append(f"`{', '.join(fk.fields)}` refers to `{target}.{', '.join(fk.reference_fields)}`.")
    lines += ["", "| column | type | required | allowed values | meaning |", "|---|---|---|---|---|"]
    for f in table.fields:
        lines.append(f"| `{f.name}` | {f.type} | {'yes' if f.required else ''} | {_cell(_rule(f))} | {_cell(f.description)} |")
    return "\n".join(lines)


def dictionary(data_dir: Path = ROOT / "data") -> str:
    return "\n\n".join(table_section(t) for t in load_package(data_dir))


def updated_readme(text: str, body: str) -> str:
    if BEGIN not in text or END not in text:
        raise ValueError(f"{README}: the markers for the generated dictionary are missing")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n\n{body}\n\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    current = README.read_text(encoding="utf-8")
    wanted = updated_readme(current, dictionary())
    if "--check" in args:
        if current != wanted:
            print(f"{README.relative_to(ROOT)} is out of date with data/datapackage.json: run `make datadict`")
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    print(f"wrote {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
