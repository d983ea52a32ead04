"""The data package's descriptor, data/datapackage.json, read and checked here and nowhere else.

The descriptor is the single source of truth for tables, columns, types and constraints. It is checked
before any table is read: each table's descriptor by ``frictionless``, then by this module what frictionless
lets through (a foreign key to a misspelt table, a regex that does not compile, ``minimum: "0"``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DESCRIPTOR = "datapackage.json"
LOADED_TYPES = ("string", "integer", "number", "date", "datetime")  # data.load_table's; parse.TYPED and text


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
        return {f.name: f for f in self.fields}[name]


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
    return (value,) if isinstance(value, str) else tuple(value)


def _problems(descriptor: Any) -> list[str]:
    """Frictionless's verdict on each table's descriptor; where it has none, what it lets through."""
    from frictionless import Resource

    from . import parse

    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        return ["the descriptor is not an object with a non-empty list of tables in 'resources'"]
    problems = []
    for i, res in enumerate(resources, start=1):
        if not isinstance(res, dict):
            problems.append(f"resource {i} ({res!r}) is not an object")
            continue
        where = f"resource {i} ({res.get('name', 'unnamed')})"
        # frictionless would fetch a string schema as a file, and allows inline data, which this package never reads
        shape = [
            f"{where}: '{key}' is missing or not {'a string' if kind is str else 'an object'}"
            for key, kind in (("name", str), ("path", str), ("schema", dict))
            if not (isinstance(res.get(key), kind) and res[key])
        ]
        fields = res["schema"].get("fields") if not shape else []
        if isinstance(fields, list) and not all(isinstance(f, dict) for f in fields):  # frictionless would raise
            shape = [f"{where}: 'schema.fields' must be a list of objects, one for each column"]
        problems += shape or [f"{where}: {e.message}" for e in Resource.validate_descriptor(res).errors]
    if problems:
        return problems
    tables = {t.name: t for t in map(_table, resources)}
    if len(tables) != len(resources):
        problems.append("two resources have the same name")
    try:  # every chapter states it; a later one would publish a check not yet made (a day's grace: time zones)
        if "as_of" not in descriptor:
            raise parse.ValueProblem("missing: the date the tables were last checked, which every chapter states")
        parse.date(str(descriptor["as_of"]), dt.date.today() + dt.timedelta(days=1))
    except parse.ValueProblem as exc:
        problems.append(f"as_of: {exc}")
    for table in tables.values():
        for f in table.fields:
            where = f"resource '{table.name}', field '{f.name}'"
            if f.type not in LOADED_TYPES:  # frictionless knows more types than the loader converts
                problems.append(f"{where}: type '{f.type}' is not one the loader reads ({', '.join(LOADED_TYPES)})")
            try:
                re.compile(f.pattern or "")
            except re.error as exc:
                problems.append(f"{where}: pattern {f.pattern!r} is not a valid regex ({exc})")
            for bound in ("minimum", "maximum") if f.type in ("integer", "number") else ():
                if type(f.constraints.get(bound, 0)) not in (int, float):
                    problems.append(f"{where}: {bound} {f.constraints[bound]!r} must be a number")
        for fk in table.foreign_keys:
            where, target = f"resource '{table.name}': foreign key", tables.get(fk.resource or table.name)
            if target is None:
                missing = f"{where} {list(fk.fields)} refers to table '{fk.resource}', which the package does not have"
                problems.append(f"{missing} (known: {', '.join(tables)})")
                continue
            problems += [  # frictionless checks the key's own columns
                f"{where} refers to column '{column}', which table '{target.name}' does not have"
                for column in fk.reference_fields
                if column not in target.field_names
            ]
    return problems


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


def _not_json(name: str):
    """Python's json accepts NaN and Infinity; JSON does not, and a NaN bound makes frictionless raise."""
    raise SchemaError([f"not valid JSON: {name} is not a JSON value"])


def _finite(text: str) -> float:
    if not math.isfinite(value := float(text)):
        raise SchemaError([f"the number {text} is too large to be finite"])
    return value


def load_package(data_dir: Path) -> Package:
    """Read and check the descriptor in ``data_dir``; its tables in descriptor order. Raises SchemaError."""
    try:
        raw = (Path(data_dir) / DESCRIPTOR).read_bytes()
        if raw not in _CACHE:
            descriptor = json.loads(raw.decode("utf-8"), parse_constant=_not_json, parse_float=_finite)
            try:
                problems = list(dict.fromkeys(_problems(descriptor)))  # two keys to one missing column: one line
            except Exception as exc:  # noqa: BLE001 - a shape no check foresaw: still one line, never a traceback
                problems = [f"cannot be read as a data package ({type(exc).__name__}: {exc})"]
            if problems:
                raise SchemaError(problems)
            _CACHE[raw] = Package([_table(r) for r in descriptor["resources"]], descriptor)
    except (FileNotFoundError, NotADirectoryError):
        raise SchemaError(["the data package descriptor is missing"]) from None
    except IsADirectoryError:
        raise SchemaError(["is a folder, not the data package descriptor"]) from None
    except OSError as exc:  # permission denied, a symlink loop
        raise SchemaError([f"cannot be read ({exc.strerror})"]) from None
    except RecursionError:  # json's recursive parser: [[[[... a few thousand deep
        raise SchemaError(["not valid JSON for a data package: nested too deeply"]) from None
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
