"""The data package's descriptor, data/datapackage.json, read and checked here and nowhere else.

The descriptor is the single source of truth for tables, columns, types and constraints. It is checked
before any table is read: its shape by this module (each problem one line), its Table Schema semantics by
``frictionless``, and what frictionless lets through (a foreign key to a misspelt table, a regex that does
not compile, ``minimum: "0"``) by this module again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "string"
    description: str = ""
    constraints: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    required = property(lambda self: bool(self.constraints.get("required", False)))
    unique = property(lambda self: bool(self.constraints.get("unique", False)))
    pattern = property(lambda self: self.constraints.get("pattern"))
    enum = property(lambda self: tuple(self.constraints["enum"]) if "enum" in self.constraints else None)
    max_length = property(lambda self: self.constraints.get("maxLength"))
    minimum = property(lambda self: self.constraints.get("minimum"))


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

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no field {name!r}")

    def has_fields(self, *names: str) -> bool:
        return set(names) <= set(self.field_names)


class Package(list):
    """The tables in descriptor order; ``as_of`` and the raw ``descriptor`` ride along."""

    def __init__(self, tables: list[Table], descriptor: dict[str, Any]):
        super().__init__(tables)
        self.descriptor, self.as_of = descriptor, descriptor.get("as_of")


class SchemaError(ValueError):
    """The descriptor is missing or malformed; ``problems`` holds one line for each thing wrong."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _keys(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value) if isinstance(value, list) else ()


def _shape(descriptor: Any) -> list[str]:
    """What makes the descriptor impossible to read as a package of tables (checked before frictionless)."""
    if not isinstance(descriptor, dict):
        return [f"the descriptor is a JSON {type(descriptor).__name__}, not an object with 'resources'"]
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return ["'resources' must be a non-empty list of tables"]
    problems = []
    for i, res in enumerate(resources, start=1):
        where = f"resource {i} ({res.get('name', 'unnamed') if isinstance(res, dict) else res!r})"
        if not isinstance(res, dict):
            problems.append(f"{where} is not an object")
            continue
        problems += [
            f"{where}: '{key}' is missing or not a string"
            for key in ("name", "path")
            if not isinstance(res.get(key), str) or not res.get(key)
        ]
        fields = res.get("schema", {}).get("fields") if isinstance(res.get("schema"), dict) else None
        if not isinstance(fields, list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
        ):
            problems.append(f"{where}: 'schema.fields' must be a list of fields, each with a 'name'")
    return problems


def _semantics(descriptor: dict) -> list[str]:
    """Frictionless's verdict on each resource, then what it lets through."""
    from frictionless import Resource

    from . import parse

    problems, names = [], {r["name"]: r for r in descriptor["resources"]}
    if len(names) != len(descriptor["resources"]):
        problems.append("two resources have the same name")
    try:
        parse.date(str(descriptor.get("as_of", "2000-01-01")), dt.date.max)
    except parse.ValueProblem as exc:
        problems.append(f"as_of: {exc}")
    for res in descriptor["resources"]:
        where, schema = f"resource '{res['name']}'", res["schema"]
        problems += [f"{where}: {e.note}" for e in Resource.validate_descriptor(res).errors]
        columns = {f["name"]: f for f in schema["fields"]}
        for name, spec in columns.items():
            constraints = spec["constraints"] if isinstance(spec.get("constraints"), dict) else {}
            if isinstance(constraints.get("pattern"), str):
                try:
                    re.compile(constraints["pattern"])
                except re.error as exc:
                    problems.append(
                        f"{where}, field '{name}': pattern {constraints['pattern']!r} is not a valid regex ({exc})"
                    )
            for bound in ("minimum", "maximum"):
                value = constraints.get(bound)
                if (
                    spec.get("type") in ("integer", "number")
                    and bound in constraints
                    and (isinstance(value, bool) or not isinstance(value, (int, float)))
                ):
                    problems.append(
                        f"{where}, field '{name}': {bound} {value!r} must be a number, not {type(value).__name__}"
                    )
        for fk in schema.get("foreignKeys", []) if isinstance(schema.get("foreignKeys"), list) else []:
            reference = fk.get("reference", {}) if isinstance(fk, dict) else {}
            target = names.get(reference.get("resource") or res["name"])
            if target is None:
                problems.append(
                    f"{where}: foreign key {fk.get('fields')} refers to table '{reference.get('resource')}', "
                    f"which the package does not have (known: {', '.join(names)})"
                )
                continue
            known = {f["name"] for f in target["schema"]["fields"]}  # frictionless checks the key's own columns
            for column in _keys(reference.get("fields")):
                if column not in known:
                    problems.append(
                        f"{where}: foreign key refers to column '{column}', which table '{target['name']}' does not have"
                    )
    return list(dict.fromkeys(problems))


def _table(res: dict) -> Table:
    schema = res["schema"]
    return Table(
        name=res["name"],
        path=res["path"],
        title=res.get("title", res["name"]),
        description=res.get("description", ""),
        fields=tuple(
            Field(f["name"], f.get("type", "string"), f.get("description", ""), f.get("constraints", {}))
            for f in schema["fields"]
        ),
        primary_key=_keys(schema.get("primaryKey", ())),
        foreign_keys=tuple(
            ForeignKey(_keys(fk["fields"]), fk["reference"].get("resource", ""), _keys(fk["reference"]["fields"]))
            for fk in schema.get("foreignKeys", [])
        ),
    )


_CACHE: dict[bytes, Package] = {}


def load_package(data_dir: Path) -> Package:
    """Read and check the descriptor in ``data_dir``; its tables in descriptor order. Raises SchemaError."""
    path = Path(data_dir) / DESCRIPTOR
    if not Path(data_dir).is_dir():
        raise SchemaError([f"{data_dir} is not a directory: give the folder that holds {DESCRIPTOR}"])
    try:
        raw = path.read_bytes()
        if raw not in _CACHE:
            descriptor = json.loads(raw.decode("utf-8"))
            try:
                problems = _shape(descriptor) or _semantics(descriptor)
            except Exception as exc:  # noqa: BLE001 - a shape no check foresaw: still one line, never a traceback
                problems = [f"cannot be read as a data package ({type(exc).__name__}: {exc})"]
            if problems:
                raise SchemaError(problems)
            _CACHE[raw] = Package([_table(r) for r in descriptor["resources"]], descriptor)
    except FileNotFoundError:
        raise SchemaError(["the data package descriptor is missing"]) from None
    except UnicodeDecodeError as exc:
        raise SchemaError([f"not valid UTF-8 at byte {exc.start}"]) from None
    except json.JSONDecodeError as exc:
        raise SchemaError([f"line {exc.lineno}: not valid JSON ({exc.msg})"]) from None
    return _CACHE[raw]


def table_by_name(tables: list[Table], name: str) -> Table:
    for table in tables:
        if table.name == name:
            return table
    known = ", ".join(t.name for t in tables)
    raise KeyError(f"no table {name!r} in the data package (known: {known})")
