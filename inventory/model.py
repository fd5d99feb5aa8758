"""Frozen domain values shared by every layer (records, crawl, store, exports, site)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class Level(enum.StrEnum):
    """Severity of a :class:`Problem`; the values are what users read."""

    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one file, located as precisely as possible.

    ``field`` is the path of the key in the record (``fondements_juridiques[0].url``), empty
    for a problem with the file as a whole. ``message`` is French and says what is expected.
    ``line`` and ``column`` are 1-based; ``None`` when the file could not be parsed that far.
    """

    path: str
    line: int | None
    column: int | None
    field: str
    message: str
    level: Level = Level.ERROR
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR


@dataclass(frozen=True)
class Record:
    """One algorithm record as read from ``algorithms/<folder>/<id>.yml``.

    ``data`` is the plain YAML mapping (French keys of the Etalab model, dates as
    ``datetime.date``); ``marks`` maps a field path (as in :attr:`Problem.field`) to its
    1-based ``(line, column)`` in the file.
    """

    id: str
    folder: str
    path: Path
    data: Mapping[str, Any]
    marks: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def source_file(self) -> str:
        """The record's file as the register names it, ``algorithms/<dossier>/<fichier>``:
        the same on every machine, whatever folder the register was read from."""
        return f"algorithms/{self.folder}/{self.path.name}"


@dataclass(frozen=True)
class Repository:
    """One repository as normalised by the crawl.

    Column names follow code.gouv.fr's published Table Schema (repository.json), plus the
    owner's ``pso_id``, the ``forge`` kind, ``license_original`` (the licence as the forge
    gave it; ``license`` is its current SPDX identifier) and ``stale_since`` (set when the
    owner's last crawl failed and this row is the last known state).
    """

    id: str
    name: str
    organization_name: str
    platform: str
    repository_url: str
    forge: str
    description: str | None = None
    default_branch: str | None = None
    is_fork: bool | None = None
    is_archived: bool | None = None
    creation_date: str | None = None
    last_update: str | None = None
    last_modification: str | None = None
    homepage: str | None = None
    stars_count: int | None = None
    forks_count: int | None = None
    license: str | None = None
    #: The licence as the forge gave it (identifier, key or name), before normalisation.
    license_original: str | None = None
    open_issues_count: int | None = None
    language: str | None = None
    topics: tuple[str, ...] = ()
    pso_id: str | None = None
    stale_since: str | None = None


@dataclass(frozen=True)
class Organisation:
    """One owner account (organisation, group or user) of a forge."""

    login: str
    platform: str
    forge: str
    name: str | None = None
    description: str | None = None
    organization_url: str | None = None
    website: str | None = None
    avatar_url: str | None = None
    repositories_count: int | None = None
    creation_date: str | None = None
    pso_id: str | None = None
    floss_policy: str | None = None
    ospo_url: str | None = None


#: The names a ``publiccode.yml`` file may have at a repository's root, in order of preference.
PUBLICCODE_FILES: tuple[str, ...] = ("publiccode.yml", "publiccode.yaml")


@dataclass(frozen=True)
class RootFiles:
    """What a forge shows at the root of a repository's default branch.

    ``names`` are the entries (files and folders) as the forge lists them; ``publiccode`` is
    the text of the ``publiccode.yml`` found there (:data:`PUBLICCODE_FILES`), None when
    absent. Raw facts: the catalogue turns them into health signals.
    """

    names: tuple[str, ...] = ()
    publiccode: str | None = None
