"""The record schema: loading it, one compiled validator, and its errors in French.

``schemas/algorithme.schema.json`` is read once; its local ``$defs`` references are inlined
into the compiled validator. Each jsonschema error becomes a :class:`Problem` located at the
field's line (``required`` at the parent mapping's line, an unknown key at its own line) with
a message from :mod:`inventory.register.messages` naming the field path and what is expected.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from inventory.errors import RecordsError
from inventory.model import Problem, Record
from inventory.register import messages
from inventory.register.records import DATE_TEXT, as_json, find_mark
from inventory.resources import schema_path
from inventory.suggest import closest

RECORD_SCHEMA = "algorithme.schema.json"
SCHEMA_PATH = schema_path(RECORD_SCHEMA)


@functools.cache
def load_schema(name: str = RECORD_SCHEMA) -> dict[str, Any]:
    """``schemas/<name>`` (the record schema by default), read once."""
    path = schema_path(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RecordsError(f"schéma illisible : {path} ({exc.strerror})") from exc
    except ValueError as exc:
        raise RecordsError(f"schéma invalide : {path} ({exc})") from exc


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with its local ``{"$ref": "#/$defs/x", ...}`` replaced by the definition.

    The definitions are small leaf schemas (a text, a URL); inlining them (the reference's
    own title and description win) validates the same instances while sparing the
    validator a reference lookup per field, its costliest step.
    """
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs:
        merged = {**_inline(defs[ref[8:]], defs), **{k: v for k, v in node.items() if k != "$ref"}}
        return _inline(merged, defs)
    return {key: _inline(value, defs) for key, value in node.items() if key != "$defs"}


@functools.cache
def validator(name: str = RECORD_SCHEMA) -> Draft202012Validator:
    """The compiled validator of ``schemas/<name>`` (format checking on), created once."""
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    inlined = _inline(schema, schema.get("$defs", {}))
    return Draft202012Validator(inlined, format_checker=Draft202012Validator.FORMAT_CHECKER)


def field_path(parts: Iterable[str | int]) -> str:
    """``["fondements_juridiques", 0, "url"]`` -> ``fondements_juridiques[0].url``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text = f"{text}.{part}" if text else str(part)
    return text


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _shown(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expected(types: str | list[str]) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " ou ".join(messages.TYPE_NAMES.get(name, name) for name in names)


class _Translator:
    """Turns jsonschema errors of one file into located French problems."""

    def __init__(self, shown: str, marks: Mapping[str, tuple[int, int]]) -> None:
        self.shown = shown
        self.marks = marks
        self.seen: set[tuple[str, str]] = set()

    def problem(self, field: str, message: str, code: str, at: str | None = None) -> Problem:
        line, column = find_mark(self.marks, field if at is None else at)
        return Problem(self.shown, line, column, field, message, code=f"schema-{code}")

    def translate(self, error: ValidationError) -> Iterator[Problem]:
        keyword = str(error.validator)
        parent = field_path(error.absolute_path)
        handler = getattr(self, f"on_{keyword}", None)
        if handler is not None:
            yield from handler(error, parent)
            return
        simple = messages.SCHEMA.get(keyword)
        if keyword in {"minLength", "maxLength", "minItems", "maxItems", "minimum", "maximum"}:
            assert simple is not None
            text = simple.format(
                field=parent, limit=error.validator_value, value=_shown(error.instance)
            )
            yield self.problem(parent, text, keyword)
            return
        detail = error.message
        yield self.problem(
            parent, messages.SCHEMA["other"].format(field=parent, detail=detail), keyword
        )

    def on_required(self, error: ValidationError, parent: str) -> Iterator[Problem]:
        if ("required", parent) in self.seen:
            return
        self.seen.add(("required", parent))
        properties = error.schema.get("properties", {})
        for name in error.validator_value:
            if name in error.instance:
                continue
            field = f"{parent}.{name}" if parent else name
            title = properties.get(name, {}).get("title")
            suffix = messages.TITLE.format(title=title) if title else ""
            text = messages.SCHEMA["required"].format(field=field, title=suffix)
            yield self.problem(field, text, "required", at=parent)

    def on_additionalProperties(self, error: ValidationError, parent: str) -> Iterator[Problem]:
        if ("additionalProperties", parent) in self.seen:
            return
        self.seen.add(("additionalProperties", parent))
        allowed = list(error.schema.get("properties", {}))
        where = messages.WHERE_IN.format(parent=parent) if parent else messages.WHERE_ROOT
        for key in error.instance:
            if key in allowed:
                continue
            field = f"{parent}.{key}" if parent else key
            suggestion = closest(key, allowed)
            hint = (
                messages.HINT_DID_YOU_MEAN.format(suggestion=suggestion)
                if suggestion
                else messages.HINT_ALLOWED_KEYS.format(allowed=", ".join(allowed))
            )
            text = messages.SCHEMA["additionalProperties"].format(
                field=field, where=where, hint=hint
            )
            yield self.problem(field, text, "additionalProperties")

    def on_enum(self, error: ValidationError, parent: str) -> Iterator[Problem]:
        allowed = [str(value) for value in error.validator_value]
        value = error.instance
        suggestion = closest(value, allowed) if isinstance(value, str) else None
        if value is None:
            expected = "une des valeurs " + ", ".join(allowed)
            text = messages.SCHEMA["empty"].format(field=parent, expected=expected)
            yield self.problem(parent, text, "enum")
            return
        hint = messages.HINT_DID_YOU_MEAN.format(suggestion=suggestion) if suggestion else ""
        text = messages.SCHEMA["enum"].format(
            field=parent, value=_shown(value), allowed=", ".join(allowed), hint=hint
        )
        yield self.problem(parent, text, "enum")

    def on_type(self, error: ValidationError, parent: str) -> Iterator[Problem]:
        expected_types = error.validator_value
        expected = _expected(expected_types)
        value = error.instance
        if value is None:
            text = messages.SCHEMA["empty"].format(field=parent, expected=expected)
            yield self.problem(parent, text, "type")
            return
        wants_text = "string" in (
            [expected_types] if isinstance(expected_types, str) else expected_types
        )
        hint = ""
        if wants_text and isinstance(value, bool):
            hint = messages.HINT_BOOLEAN_TEXT
        elif wants_text and isinstance(value, int | float):
            hint = messages.HINT_NUMBER_TEXT
        found = messages.TYPE_NAMES[_json_type(value)]
        if not isinstance(value, list | dict):
            found = f"{found} (« {_shown(value)} »)"
        text = messages.SCHEMA["type"].format(
            field=parent, expected=expected, found=found, hint=hint
        )
        yield self.problem(parent, text, "type")

    def on_pattern(self, error: ValidationError, parent: str) -> Iterator[Problem]:
        pattern = str(error.validator_value)
        expected = messages.PATTERN_EXPECTATIONS.get(
            pattern, f"une valeur respectant le motif {pattern}"
        )
        if pattern == r"\S":
            text = messages.SCHEMA["empty"].format(
                field=parent, expected=messages.TYPE_NAMES["string"]
            )
        else:
            text = messages.SCHEMA["pattern"].format(
                field=parent, expected=expected, value=_shown(error.instance)
            )
        yield self.problem(parent, text, "pattern")

    def on_format(self, error: ValidationError, parent: str) -> Iterator[Problem]:
        value = _shown(error.instance)
        if error.validator_value == "date":
            if not DATE_TEXT.match(str(error.instance)):
                return  # not written AAAA-MM-JJ: the pattern's message says so
            text = messages.SCHEMA["format-date"].format(field=parent, value=value)
        else:
            text = messages.SCHEMA["format"].format(
                field=parent, format=error.validator_value, value=value
            )
        yield self.problem(parent, text, "format")


def validate_record(record: Record) -> list[Problem]:
    """Problems of one record against the schema, each located and worded in French."""
    return validate_document(as_json(record.data), record.marks, record.path.as_posix())


def validate_document(
    data: Mapping[str, Any],
    marks: Mapping[str, tuple[int, int]],
    shown: str,
    schema: str = RECORD_SCHEMA,
) -> list[Problem]:
    """Problems of one file's data (JSON values) against ``schemas/<schema>``, located with
    ``marks`` and worded in French."""
    errors = validator(schema).iter_errors(data)
    translator = _Translator(shown, marks)
    return [problem for error in errors for problem in translator.translate(error)]
