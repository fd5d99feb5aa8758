"""Reading a ``publiccode.yml``: UTF-8, bounded, YAML with the position of every key.

The text is untrusted (it comes from a repository): its size, the number of YAML nodes (an
alias bomb expands into many) and its depth are capped. The YAML is composed into nodes
(PyYAML's safe loader) and turned into plain values here, so that each key and list item
keeps its line and column, and so that what the standard forbids is seen:

* a key written twice in one mapping;
* a YAML 1.1 boolean (``yes``, ``no``, ``on``, ``off``, ``y``, ``n``): the standard is YAML
  1.2, where these are strings; they are kept as :class:`Yaml11Bool` (a string where a text
  is expected, an error where a boolean is).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 512 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 32

Path = tuple[str | int, ...]

_BOOL_TAG = "tag:yaml.org,2002:bool"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Yaml11Bool:
    """A scalar YAML 1.1 reads as a boolean but YAML 1.2 as a string (``yes``, ``off``…)."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Finding:
    """One problem of the file, at a key path (``()`` for the file as a whole)."""

    path: Path
    message: str
    code: str
    warning: bool = False


@dataclass
class Document:
    """The file's values, the 1-based (line, column) of each key path, and what reading found."""

    data: Any = None
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def where(self, path: Path) -> tuple[int | None, int | None]:
        """The position of ``path``, else of its nearest parent that has one."""
        for end in range(len(path), 0, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return (None, None)


class _TooBig(Exception):
    pass


class _BadTag(Exception):
    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag


#: The YAML tags a publiccode.yml may hold (PyYAML's python/* tags and the like are refused).
_ALLOWED_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
)


class _Builder:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.nodes = 0
        self.scalars = SafeConstructor()

    def value(self, node: Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise _TooBig
        if str(node.tag) not in _ALLOWED_TAGS:
            raise _BadTag(str(node.tag))
        if isinstance(node, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node) if isinstance(key_node, ScalarNode) else None
                name = str(key) if isinstance(key, str | int | float | Yaml11Bool) else None
                if name is None:
                    self.document.findings.append(
                        Finding(path, "une clé doit être un texte", "publiccode-type")
                    )
                    continue
                where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if name in result:
                    self.document.positions[(*path, f"{name}#{where[0]}")] = where
                    self.document.findings.append(
                        Finding(
                            (*path, f"{name}#{where[0]}"),
                            f"la clé « {name} » est écrite deux fois : gardez-en une seule",
                            "publiccode-duplicate",
                        )
                    )
                    continue
                self.document.positions[(*path, name)] = where
                result[name] = self.value(value_node, (*path, name), depth + 1)
            return result
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                where = (item.start_mark.line + 1, item.start_mark.column + 1)
                self.document.positions[(*path, index)] = where
                items.append(self.value(item, (*path, index), depth + 1))
            return items
        return self.scalar(node)

    def scalar(self, node: Node) -> Any:
        if node.tag == _BOOL_TAG and str(node.value).lower() not in ("true", "false"):
            return Yaml11Bool(str(node.value))
        return self.scalars.construct_object(node, deep=True)


def read(raw: str | bytes) -> Document:
    """The document of ``raw``; ``data`` stays None when the file cannot be read at all."""
    document = Document()
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_BYTES:
        document.findings.append(
            Finding(
                (),
                f"fichier trop volumineux ({size} octets, au plus {MAX_BYTES})",
                "publiccode-size",
            )
        )
        return document
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            document.findings.append(
                Finding(
                    (),
                    f"le fichier n'est pas encodé en UTF-8 (octet invalide en position "
                    f"{exc.start}) : enregistrez-le en UTF-8",
                    "publiccode-encoding",
                )
            )
            return document
    raw = raw.removeprefix("\ufeff")
    try:
        root = yaml.compose(raw, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            document.positions[("<yaml>",)] = (mark.line + 1, mark.column + 1)
        problem = getattr(exc, "problem", None) or "syntaxe invalide"
        document.findings.append(
            Finding(("<yaml>",), f"YAML illisible ({problem})", "publiccode-yaml")
        )
        return document
    except RecursionError:
        document.findings.append(Finding((), "YAML trop imbriqué", "publiccode-size"))
        return document
    if root is None:
        document.findings.append(Finding((), "le fichier est vide", "publiccode-type"))
        return document
    try:
        data = _Builder(document).value(root, (), 0)
    except _BadTag as exc:
        document.findings.append(
            Finding(
                (),
                f"étiquette YAML « {exc.tag[:60]} » non permise : le fichier ne doit contenir "
                "que des textes, nombres, booléens, dates, listes et sections",
                "publiccode-yaml",
            )
        )
        return document
    except _TooBig:
        document.findings.append(
            Finding((), "YAML trop imbriqué ou trop d'éléments (alias ?)", "publiccode-size")
        )
        return document
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        document.findings.append(
            Finding((), f"valeur YAML illisible ({type(exc).__name__})", "publiccode-yaml")
        )
        return document
    if not isinstance(data, Mapping):
        document.findings.append(
            Finding((), "le fichier doit contenir un dictionnaire YAML", "publiccode-type")
        )
        return document
    document.data = data
    return document
