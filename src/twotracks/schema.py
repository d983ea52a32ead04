"""The data package's schema, read from data/datapackage.json (Frictionless Data Package / Table Schema).

The descriptor is the single source of truth for tables, columns, types and constraints; the validator, the
loader and the data dictionary all read it from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"
    description: str = ""
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    max_length: int | None = None
    minimum: float | None = None

    @classmethod
    def from_descriptor(cls, spec: dict[str, Any]) -> "Field":
        constraints = spec.get("constraints", {})
        enum = constraints.get("enum")
        return cls(
            name=spec["name"],
            type=spec.get("type", "string"),
            description=spec.get("description", ""),
            required=bool(constraints.get("required", False)),
            unique=bool(constraints.get("unique", False)),
            pattern=constraints.get("pattern"),
            enum=tuple(enum) if enum is not None else None,
            max_length=constraints.get("maxLength"),
            minimum=constraints.get("minimum"),
        )


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # "" means the same table (Table Schema convention)
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # relative to the data directory
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no field {name!r}")

    def has_fields(self, *names: str) -> bool:
        return all(n in self.field_names for n in names)


class SchemaError(ValueError):
    """The descriptor itself is missing or malformed."""


def _as_tuple(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def load_package(data_dir: Path) -> list[Table]:
    """Read the descriptor in ``data_dir`` and return its tables, in descriptor order."""
    path = Path(data_dir) / DESCRIPTOR
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaError(f"{path}: the data package descriptor is missing") from None
    except json.JSONDecodeError as exc:
        raise SchemaError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    tables = []
    for resource in descriptor.get("resources", []):
        schema = resource.get("schema", {})
        tables.append(
            Table(
                name=resource["name"],
                path=resource["path"],
                title=resource.get("title", resource["name"]),
                description=resource.get("description", ""),
                fields=tuple(Field.from_descriptor(f) for f in schema.get("fields", [])),
                primary_key=_as_tuple(schema.get("primaryKey", ())),
                foreign_keys=tuple(
                    ForeignKey(
                        fields=_as_tuple(fk["fields"]),
                        resource=fk["reference"].get("resource", ""),
                        reference_fields=_as_tuple(fk["reference"]["fields"]),
                    )
                    for fk in schema.get("foreignKeys", [])
                ),
                extra={k: v for k, v in resource.items() if k not in {"schema"}},
            )
        )
    return tables


def table_by_name(tables: list[Table], name: str) -> Table:
    for table in tables:
        if table.name == name:
            return table
    known = ", ".join(t.name for t in tables)
    raise KeyError(f"no table {name!r} in the data package (known: {known})")
