"""The record format as read from ``schemas/algorithme.schema.json``: one source of truth.

Field order (the Etalab guide's order, as the schema lists its properties), French titles,
descriptions, required flags and the French labels of enumerated values (``x-libelles``) all
come from the schema, so ``inventory new``, ``inventory import`` and the exports for other
registers never restate them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from inventory.register.schema import load_schema


@dataclass(frozen=True)
class Field:
    """One property of the record format (``path`` is dotted, ``[]`` marks list items)."""

    path: str
    key: str
    title: str
    description: str
    required: bool
    kind: str  # "string", "integer", "number", "boolean", "array", "object", "enum"
    enum: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    pattern: str | None = None
    children: tuple[Field, ...] = ()

    @property
    def label_of(self) -> dict[str, str]:
        return dict(self.labels)


def _resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    """``node`` with its local ``$ref`` merged in (the node's own keys win)."""
    result = dict(node)
    for _ in range(10):
        ref = result.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            break
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        merged = dict(target)
        merged.update({k: v for k, v in result.items() if k != "$ref"})
        result = merged
    return result


def _kind(node: Mapping[str, Any]) -> str:
    if "enum" in node:
        return "enum"
    kind = node.get("type", "string")
    if isinstance(kind, list):
        return "string" if "string" in kind else str(kind[0])
    return str(kind)


def _fields(node: Mapping[str, Any], root: Mapping[str, Any], prefix: str) -> tuple[Field, ...]:
    required = set(node.get("required", ()))
    result = []
    for key, raw in node.get("properties", {}).items():
        prop = _resolve(raw, root)
        path = f"{prefix}{key}"
        children: tuple[Field, ...] = ()
        if prop.get("type") == "object":
            children = _fields(prop, root, f"{path}.")
        elif prop.get("type") == "array" and isinstance(prop.get("items"), Mapping):
            items = _resolve(prop["items"], root)
            if items.get("type") == "object":
                children = _fields(items, root, f"{path}[].")
        labels = prop.get("x-libelles", {})
        result.append(
            Field(
                path=path,
                key=key,
                title=str(prop.get("title", key)),
                description=str(prop.get("description", "")),
                required=key in required,
                kind=_kind(prop),
                enum=tuple(str(v) for v in prop.get("enum", ())),
                labels=tuple((str(k), str(v)) for k, v in labels.items()),
                pattern=prop.get("pattern"),
                children=children,
            )
        )
    return tuple(result)


@functools.cache
def record_fields() -> tuple[Field, ...]:
    """The record's top-level fields, in the schema's (the guide's) order."""
    schema = load_schema()
    return _fields(schema, schema, "")


def by_path() -> dict[str, Field]:
    """Every field, nested ones included, by its path (``donnees[].nom``)."""
    found: dict[str, Field] = {}

    def walk(fields: tuple[Field, ...]) -> None:
        for field in fields:
            found[field.path] = field
            walk(field.children)

    walk(record_fields())
    return found


def leaf_paths() -> list[str]:
    """Paths of the fields that hold values (objects and lists of objects expanded)."""
    return [path for path, field in by_path().items() if not field.children]


def definition(name: str) -> dict[str, Any]:
    """A ``$defs`` entry of the schema (``url``, ``texte``...)."""
    schema = load_schema()
    return dict(schema["$defs"][name])


def ordered(data: Mapping[str, Any], fields: tuple[Field, ...] | None = None) -> dict[str, Any]:
    """``data`` with keys in the schema's order (nested objects and list items too).

    Keys the schema does not know keep their place after the known ones.
    """
    fields = record_fields() if fields is None else fields
    known = {field.key: field for field in fields}
    result: dict[str, Any] = {}
    for key in [*known, *(k for k in data if k not in known)]:
        if key not in data:
            continue
        value = data[key]
        field = known.get(key)
        if field is not None and field.children:
            if isinstance(value, Mapping):
                value = ordered(value, field.children)
            elif isinstance(value, list):
                value = [
                    ordered(item, field.children) if isinstance(item, Mapping) else item
                    for item in value
                ]
        result[key] = value
    return result
