"""The administrations: records and crawled accounts joined, the basis of every per-body view.

Records, crawled owners and the commitments of the roadmaps of announced code openings meet on
``pso_id`` (the id in l'Annuaire de l'administration they carry) and otherwise on the
administration's name; an administration exists as soon as one side knows it. The
indicators, the exports and the site's administration pages all read this one join.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from inventory.model import Organisation, Record, Repository
from inventory.register.openings import Commitment
from inventory.text import fold, host, slugify


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
    #: Ids of the announced code openings it committed to (:mod:`inventory.register.openings`).
    commitments: tuple[str, ...] = ()


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
        self.commitments: list[str] = []


def _activity(repository: Repository) -> str:
    return repository.last_update or repository.last_modification or ""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class AdministrationIndex:
    """Every administration, and which one each record belongs to."""

    administrations: tuple[Administration, ...]
    by_record: Mapping[str, Administration]
    forges: frozenset[str] = frozenset()
    by_commitment: Mapping[str, Administration] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        records: Sequence[Record],
        organisations: Sequence[Organisation] = (),
        repositories: Sequence[Repository] = (),
        commitments: Sequence[Commitment] = (),
    ) -> AdministrationIndex:
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

        for record in records:
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

        commitment_group: dict[str, _Group] = {}
        for commitment in commitments:
            body = commitment.administration
            pso_id = body.pso_id.lower()
            group = find(pso_id, [body.nom])
            if group is None:
                group = _Group(body.nom, pso_id, False)
                groups.append(group)
            register(group, pso_id, [body.nom])
            if not group.sigle:
                group.sigle = body.sigle
            group.commitments.append(commitment.id)
            commitment_group[commitment.id] = group

        owner_group: dict[tuple[str, str], _Group] = {}
        login_group: dict[str, _Group] = {}
        for organisation in organisations:
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
        for repository in repositories:
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
                commitments=tuple(group.commitments),
            )
            frozen[id(group)] = administration
            administrations.append(administration)
        return cls(
            administrations=tuple(administrations),
            by_record={rid: frozen[id(group)] for rid, group in record_group.items()},
            forges=frozenset(forges - {""}),
            by_commitment={cid: frozen[id(group)] for cid, group in commitment_group.items()},
        )


def activity(repository: Repository) -> str:
    """The repository's last activity date (ISO, possibly with a time), '' if unknown."""
    return _activity(repository)
