"""The plain values a site is generated from, and the joins between records and the crawl.

Records and crawled owners meet on ``pso_id`` (the id in l'Annuaire de l'administration both
carry) and otherwise on the administration's name; an administration exists as soon as either
side knows it. A record's ``code_source`` resources are linked to crawled repositories by
:func:`inventory.insights.links.match_resources`, once per build (:mod:`inventory.site.insights`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

from inventory.model import Organisation, Record, Repository
from inventory.site.paths import fold, host, slugify

DEFAULT_REPO_URL = "https://github.com/codegouvfr/inventaire-public"


@dataclass(frozen=True)
class SiteData:
    """Everything a site build reads: records, crawl results and where the project lives."""

    records: tuple[Record, ...]
    repositories: tuple[Repository, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    crawled: bool = False
    generated_at: str = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    )
    repo_url: str = DEFAULT_REPO_URL
    branch: str = "main"
    # Record id -> path of its YAML file inside the project repository (POSIX).
    record_files: Mapping[str, str] = field(default_factory=dict)

    def record_file(self, record: Record) -> str:
        known = self.record_files.get(record.id)
        if known:
            return known
        return str(PurePosixPath("algorithms", record.folder, f"{record.id}.yml"))

    @cached_property
    def index(self) -> SiteIndex:
        return SiteIndex.build(self)


@dataclass(frozen=True)
class Administration:
    """One administration, known from records, crawled owners or both."""

    slug: str
    name: str
    sigle: str
    pso_id: str
    records: tuple[Record, ...]
    organisations: tuple[Organisation, ...]
    repositories: tuple[Repository, ...]


class _Group:
    """Mutable accumulator used while joining; frozen into an :class:`Administration`."""

    def __init__(self, name: str, pso_id: str, from_records: bool) -> None:
        self.name = name
        self.pso_id = pso_id
        self.sigle = ""
        self.from_records = from_records
        self.records: list[Record] = []
        self.organisations: list[Organisation] = []
        self.repositories: list[Repository] = []


def _activity(repository: Repository) -> str:
    return repository.last_update or repository.last_modification or ""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class SiteIndex:
    """Derived views of :class:`SiteData` shared by the page generators."""

    administrations: tuple[Administration, ...]
    by_record: Mapping[str, Administration]
    forges: frozenset[str] = frozenset()

    @classmethod
    def build(cls, data: SiteData) -> SiteIndex:
        groups: list[_Group] = []
        by_pso: dict[str, _Group] = {}
        by_name: dict[str, _Group] = {}
        record_group: dict[str, _Group] = {}

        def find(pso_id: str, names: list[str]) -> _Group | None:
            if pso_id and pso_id in by_pso:
                return by_pso[pso_id]
            for name in names:
                key = fold(" ".join(name.split()))
                if key and key in by_name:
                    return by_name[key]
            return None

        def register(group: _Group, pso_id: str, names: list[str]) -> None:
            if pso_id:
                by_pso.setdefault(pso_id, group)
                if not group.pso_id:
                    group.pso_id = pso_id
            for name in names:
                key = fold(" ".join(name.split()))
                if key:
                    by_name.setdefault(key, group)

        for record in data.records:
            admin = record.get("administration") or {}
            if not isinstance(admin, Mapping):
                admin = {}
            name = _text(admin.get("nom")) or "Administration non précisée"
            pso_id = _text(admin.get("pso_id")).lower()
            names = [name]
            group = find(pso_id, names)
            if group is None:
                group = _Group(name, pso_id, True)
                groups.append(group)
            register(group, pso_id, names)
            if not group.sigle:
                group.sigle = _text(admin.get("sigle"))
            group.records.append(record)
            record_group[record.id] = group

        owner_group: dict[tuple[str, str], _Group] = {}
        login_group: dict[str, _Group] = {}
        for organisation in data.organisations:
            pso_id = _text(organisation.pso_id).lower()
            names = [n for n in (_text(organisation.name), organisation.login) if n]
            group = find(pso_id, names)
            if group is None:
                group = _Group(names[0], pso_id, False)
                groups.append(group)
            register(group, pso_id, names)
            group.organisations.append(organisation)
            owner_group[(organisation.platform, organisation.login.lower())] = group
            login_group.setdefault(organisation.login.lower(), group)

        forges: set[str] = set()
        for repository in data.repositories:
            forges.add(host(repository.repository_url))
            login = repository.organization_name.lower()
            group = owner_group.get((repository.platform, login))
            if group is None:
                group = find(_text(repository.pso_id).lower(), []) or login_group.get(login)
            if group is None:
                group = find("", [repository.organization_name])
            if group is None:
                group = _Group(repository.organization_name, _text(repository.pso_id), False)
                groups.append(group)
                register(group, group.pso_id, [repository.organization_name])
                login_group[login] = group
            group.repositories.append(repository)

        groups.sort(key=lambda g: (fold(g.name), g.pso_id))
        used: set[str] = set()
        frozen: dict[int, Administration] = {}
        administrations = []
        for group in groups:
            base = slugify(group.name) or "administration"
            slug, counter = base, 2
            while slug in used:
                slug, counter = f"{base}-{counter}", counter + 1
            used.add(slug)
            administration = Administration(
                slug=slug,
                name=group.name,
                sigle=group.sigle,
                pso_id=group.pso_id,
                records=tuple(sorted(group.records, key=lambda r: (fold(r.get("nom")), r.id))),
                organisations=tuple(group.organisations),
                repositories=tuple(sorted(group.repositories, key=_activity, reverse=True)),
            )
            frozen[id(group)] = administration
            administrations.append(administration)
        return cls(
            administrations=tuple(administrations),
            by_record={rid: frozen[id(group)] for rid, group in record_group.items()},
            forges=frozenset(forges - {""}),
        )


def activity(repository: Repository) -> str:
    """The repository's last activity date (ISO, possibly with a time), '' if unknown."""
    return _activity(repository)
