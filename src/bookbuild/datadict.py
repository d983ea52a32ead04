"""Write the data dictionary in data/README.md from data/datapackage.json, so the two never disagree.

Only the part between the markers is generated; the prose around it is edited by hand.
``python -m bookbuild.datadict`` rewrites it; ``--check`` exits 1 if it is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from twotracks.paths import data_dir, relative_to_root
from twotracks.schema import Table, load_package

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
        parts.append(f"at least {field.minimum}")
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
        lines.append(
            f"| `{f.name}` | {f.type} | {'yes' if f.required else ''} | {_cell(_rule(f))} | {_cell(f.description)} |"
        )
    return "\n".join(lines)


def readme() -> Path:
    return data_dir() / "README.md"


def dictionary(folder: Path | None = None) -> str:
    return "\n\n".join(table_section(t) for t in load_package(folder or data_dir()))


def updated_readme(text: str, body: str) -> str:
    if BEGIN not in text or END not in text:
        raise ValueError(f"{readme()}: the markers for the generated dictionary are missing")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n\n{body}\n\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = readme()
    current = path.read_text(encoding="utf-8")
    wanted = updated_readme(current, dictionary())
    if "--check" in args:
        if current != wanted:
            print(f"{relative_to_root(path)} is out of date with its datapackage.json: run `make datadict`")
            return 1
        return 0
    path.write_text(wanted, encoding="utf-8")
    print(f"wrote {relative_to_root(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
