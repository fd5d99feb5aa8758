"""Writing record data as YAML: PyYAML's safe dumper, UTF-8, keys in the guide's order.

Only plain data is written (text, numbers, booleans, dates, lists, mappings): the safe dumper
refuses anything else. Multi-line text is written as a literal block (``|``) so that Markdown
stays readable; text YAML would read as something else (``oui``, ``2021-02-15``, ``12``) is
quoted by the dumper, and :func:`inventory.register.records.load_record` reads it back as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from inventory.register.fields import ordered


class _Dumper(yaml.SafeDumper):
    """The safe dumper, with literal blocks for multi-line text and no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key (`key:\n  - item`), as the seeded records do.
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value.strip("\n") or value.endswith("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_value(data: Mapping[str, Any]) -> str:
    """``data`` (already ordered) as a YAML mapping."""
    return yaml.dump(
        dict(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
        indent=2,
    )


def dump_record(data: Mapping[str, Any]) -> str:
    """A record's data as the text of its YAML file (fields in the schema's order)."""
    return dump_value(ordered(data))
