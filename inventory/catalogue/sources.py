"""The list of accounts to crawl, in code.gouv.fr's format (``sources.yml``).

::

    gitlab.com:                 # the forge's host
      forge: gitlab             # github, gitlab, gitea, gogs, forgejo (sourcehut: skipped)
      owners:                   # optional: without it the whole forge is crawled
        etalab-datalab:         # login or group path; its value may be empty
          pso_id: db2b74d4-...  # optional everywhere: pso_id, floss_policy, ospo_url,
          ignored_since: 2024-08-09  # ignored_since (then skipped, with an info line)
      pso_id: ...               # forge level: inherited by owners without their own

Every entry is validated with ``schemas/sources.schema.json``; an invalid entry becomes a
French :class:`~inventory.model.Problem` naming its line and is skipped, the others still
run. Only a file that cannot be read at all raises :class:`~inventory.errors.SourcesError`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from crawlers.base import ForgeKind, Target
from crawlers.http import api_root
from inventory.errors import SourcesError
from inventory.model import Level, Problem
from inventory.resources import schema_path

SCHEMA_PATH = schema_path("sources.schema.json")

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader keeping dates as text: a bad date is a validation error, not a crash."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)


@dataclass(frozen=True)
class Sources:
    """What a sources file yields: the targets to crawl, problems, and skipped entries."""

    targets: tuple[Target, ...]
    problems: tuple[Problem, ...] = ()
    ignored: tuple[str, ...] = field(default=())

    @property
    def has_errors(self) -> bool:
        return any(problem.is_error for problem in self.problems)


@functools.cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _jsonable(value: Any) -> Any:
    """YAML values as JSON ones (dates become ISO strings) for the JSON Schema."""
    if isinstance(value, Mapping):
        return {str(k) if not isinstance(k, str) else k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class _Marks:
    """1-based (line, column) of every key and value of the YAML tree, by path."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.keys: dict[tuple[str, ...], tuple[int, int]] = {}
        self.duplicates: list[tuple[tuple[str, ...], tuple[int, int]]] = []
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, path: tuple[str, ...]) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if child in self.keys:
                self.duplicates.append((child, mark))
            self.keys[child] = mark
            self._walk(value_node, child)

    def at(self, path: tuple[str, ...]) -> tuple[int | None, int | None]:
        while path:
            if path in self.keys:
                return self.keys[path]
            path = path[:-1]
        return (None, None)


def _field(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _message(error: ValidationError) -> str:
    """A one-line French message for a JSON Schema error."""
    kind = error.validator
    where = error.path[-1] if error.path else None
    if kind == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        return f"champ obligatoire manquant : « {', '.join(missing)} »"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"valeur « {error.instance} » non reconnue : valeurs possibles {allowed}"
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"clé inconnue « {', '.join(extra)} » (voir schemas/sources.schema.json)"
    if kind == "type":
        expected = error.validator_value
        names = {
            "object": "un ensemble « clé: valeur »",
            "string": "un texte",
            "boolean": "true ou false",
            "null": "une valeur vide",
        }
        wanted = expected if isinstance(expected, list) else [expected]
        return f"type incorrect : attendu {' ou '.join(names.get(t, t) for t in wanted)}"
    if kind == "format" and error.validator_value == "date":
        return f"date invalide « {error.instance} » : attendu AAAA-MM-JJ"
    if kind == "pattern" and error.schema.get("pattern", "").startswith("^https?://"):
        return f"adresse invalide « {error.instance} » : attendu une URL http(s)://"
    if kind == "propertyNames" or (kind == "pattern" and where is None):
        return f"nom invalide « {error.instance} »"
    if kind == "pattern":
        return f"nom invalide « {error.instance} »"
    if kind == "minLength":
        return "valeur vide"
    if kind == "anyOf":
        return "attendu une valeur vide ou un ensemble de champs (pso_id, floss_policy…)"
    return f"valeur invalide « {error.instance} »"


def _error_path(error: ValidationError) -> tuple[str, ...]:
    path = tuple(str(p) for p in error.absolute_path)
    if error.validator == "propertyNames" or (
        error.validator in ("pattern", "minLength")
        and error.instance not in (None, "")
        and error.relative_schema_path
        and "propertyNames" in error.relative_schema_path
    ):
        # A bad key: point at the key itself.
        return (*path, str(error.instance))
    return path


def _ignored(value: Any, today: dt.date) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.date) and value <= today:
        return value
    return None


def load_sources(
    path: Path | str,
    *,
    api_overrides: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> Sources:
    """Read and validate a sources file; see the module docstring."""
    path = Path(path)
    today = today or dt.date.today()
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesError(f"fichier des sources introuvable : {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"lecture impossible de {path} : {exc}") from None
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark is not None else ""
        raise SourcesError(f"{path} n'est pas un YAML valide{where}") from None
    if data is None:
        return Sources(targets=())
    if not isinstance(data, Mapping):
        raise SourcesError(f"{path} doit associer chaque forge (nom de domaine) à sa description")
    marks = _Marks(root)
    problems: list[Problem] = []

    def problem(keys: tuple[str, ...], message: str, level: Level = Level.ERROR) -> None:
        line, column = marks.at(keys)
        problems.append(Problem(shown, line, column, _field(keys), message, level, "sources"))

    for keys, _mark in marks.duplicates:
        problem(
            keys,
            f"« {keys[-1]} » apparaît deux fois : seule la dernière occurrence compte",
            Level.WARNING,
        )

    plain = _jsonable(data)
    bad_forges: set[str] = set()
    bad_owners: set[tuple[str, str]] = set()
    for error in sorted(_validator().iter_errors(plain), key=lambda e: list(map(str, e.path))):
        if error.validator == "anyOf" and error.context:
            # An owner is "empty or a mapping": report what is wrong inside the mapping.
            inner = [
                sub
                for sub in error.context
                if not (sub.validator == "type" and sub.validator_value == "null")
            ]
            error = inner[0] if inner else error
        keys = _error_path(error)
        problem(keys, _message(error))
        if len(keys) >= 3 and keys[1] == "owners":
            bad_owners.add((keys[0], keys[2]))
        elif keys:
            bad_forges.add(keys[0])

    targets: list[Target] = []
    ignored: list[str] = []
    for host, entry in plain.items():
        if host in bad_forges or not isinstance(entry, Mapping):
            continue
        kind = entry.get("forge")
        try:
            forge = ForgeKind(kind)
        except ValueError:
            problem(
                (host, "forge"),
                f"forge « {kind} » non prise en charge : {host} ignorée",
                Level.WARNING,
            )
            continue
        since = _ignored(data[host].get("ignored_since"), today)
        if since is not None:
            ignored.append(f"{host} ignorée depuis le {since.isoformat()}")
            continue
        api_url = api_root(host, forge, api_overrides)
        owners = entry.get("owners") or {}
        forge_pso = entry.get("pso_id")
        if not owners:
            if forge is ForgeKind.GITHUB and host == "github.com":
                problem(
                    (host,),
                    "github.com ne peut pas être moissonnée en entier : "
                    "listez ses comptes sous « owners »",
                )
                continue
            targets.append(
                Target(
                    host=host,
                    forge=forge,
                    api_url=api_url,
                    owner=None,
                    pso_id=forge_pso,
                    floss_policy=entry.get("floss_policy"),
                    ospo_url=entry.get("ospo_url"),
                )
            )
            continue
        for owner, details in owners.items():
            if (host, owner) in bad_owners:
                continue
            details = details or {}
            raw_details = (data[host].get("owners") or {}).get(owner) or {}
            since = _ignored(raw_details.get("ignored_since"), today)
            if since is not None:
                ignored.append(f"{host}/{owner} ignoré depuis le {since.isoformat()}")
                continue
            targets.append(
                Target(
                    host=host,
                    forge=forge,
                    api_url=api_url,
                    owner=str(owner).strip("/"),
                    pso_id=details.get("pso_id") or forge_pso,
                    floss_policy=details.get("floss_policy") or entry.get("floss_policy"),
                    ospo_url=details.get("ospo_url") or entry.get("ospo_url"),
                )
            )
    return Sources(targets=tuple(targets), problems=tuple(sorted(problems)), ignored=tuple(ignored))


def crawl_targets(path: Path | str) -> frozenset[str]:
    """The accounts a sources file lists, as ``host/owner`` (``host`` for a whole forge),
    lower-cased; none when it is absent or cannot be read (a caller that only needs to know
    what is crawled must not fail for the sources file: ``inventory crawl`` reports its
    problems)."""
    try:
        sources = load_sources(path)
    except SourcesError:
        return frozenset()
    return frozenset(target.key.lower() for target in sources.targets)
