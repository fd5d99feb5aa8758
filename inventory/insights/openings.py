"""Announced code openings tracked against the crawl: was each commitment kept, when, how late.

Each commitment of a roadmap (:mod:`inventory.register.openings`) gets one status, computed
from the crawl's snapshot at a reference date (the build's or the export's: reproducible):

``ouvert``
    A crawled repository matches its ``depot`` (or, for an account, the account holds at
    least one repository that is not a fork) and appeared on or before the deadline, or the
    commitment is open by default.
``ouvert_en_retard``
    It appeared after the deadline; :attr:`Tracked.delay_days` says by how many days.
``en_retard``
    The deadline has passed (the day after its last day) and nothing was found.
``a_venir``
    Nothing found yet, and the deadline has not passed (or there is none: open by default).
``non_suivi``
    The commitment cannot be tracked: no ``depot``, an address that is not on a crawled forge,
    an account the crawl does not list (``sources.yml``), or no crawl at all.

A repository *appeared* on its creation date on the forge, else on the day the crawl first
saw it (:attr:`inventory.catalogue.snapshot.CatalogueSnapshot.first_seen`); a repository made
public long after its creation is therefore dated by its creation. Matching uses the
repository keys of :mod:`inventory.catalogue.urls` after the redirects the crawl recorded
(owners renamed, repositories renamed or moved), and also the repositories that went away
since (:attr:`~inventory.catalogue.snapshot.CatalogueSnapshot.departed`): a kept promise stays
``ouvert`` when the repository is deleted later, with a note. An account's repositories are
counted by quarter of appearance since the roadmap's date (open-by-default commitments).

A status changes on a date that can be computed (the deadline passing, the repository
appearing): :attr:`Tracked.events` lists those changes, which the Atom feed publishes without
any memory between builds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.catalogue.urls import DEFAULT_FORGES, Redirects, repository_key
from inventory.insights.links import forge_kinds, redirects_from_owners
from inventory.register.openings import Commitment, Roadmap, quarter_label

OPEN = "ouvert"
OPEN_LATE = "ouvert_en_retard"
LATE = "en_retard"
UPCOMING = "a_venir"
UNTRACKED = "non_suivi"

#: Status code -> French label (the exports carry the codes, the site the labels).
LABELS: Mapping[str, str] = {
    OPEN: "Ouvert",
    OPEN_LATE: "Ouvert en retard",
    LATE: "En retard",
    UPCOMING: "À venir",
    UNTRACKED: "Non suivi",
}
STATUSES: tuple[str, ...] = tuple(LABELS)

#: The French notes a commitment may carry (shown on the site, exported).
NOTES: Mapping[str, str] = {
    "no-address": "Aucune adresse de dépôt.",
    "no-crawl": "Aucun moissonnage des forges n'est disponible pour suivre cet engagement.",
    "not-forge": (
        "L'adresse donnée n'est pas celle d'un dépôt ou d'un compte sur une forge moissonnée."
    ),
    "not-crawled": (
        "Ce compte n'est pas moissonné : ajoutez-le à sources.yml pour suivre l'engagement."
    ),
    "moved": "Dépôt renommé ou déplacé depuis l'engagement : {url}.",
    "account-moved": "Compte renommé depuis l'engagement : {url}.",
    "no-date": "Date d'ouverture inconnue : ni la forge ni le moissonnage ne la donnent.",
    "departed": (
        "Le dépôt n'est plus visible sur la forge depuis le {day} (supprimé, rendu privé ou "
        "déplacé hors des comptes moissonnés) : l'engagement reste tenu à sa date d'ouverture."
    ),
}

FROM_CREATION = "creation"
FROM_CRAWL = "premier_moissonnage"


@dataclass(frozen=True)
class Sighting:
    """A repository the crawl saw (still there, or gone since)."""

    url: str
    key: str
    opened: dt.date | None
    opened_from: str  # FROM_CREATION, FROM_CRAWL or "" (no date known)
    is_fork: bool
    departed_at: str | None = None


@dataclass(frozen=True)
class Event:
    """A change of status, on the day it happened."""

    day: dt.date
    status: str


@dataclass(frozen=True)
class Tracked:
    """One commitment and what the crawl says of it."""

    commitment: Commitment
    roadmap: Roadmap
    status: str
    opened: dt.date | None = None
    opened_from: str = ""
    delay_days: int | None = None
    repository_url: str = ""  # the matched repository (its address now), or the account
    account: bool = False  # the address names an account, not one repository
    notes: tuple[str, ...] = ()
    #: Account commitments: repositories (forks excluded) appeared since the roadmap's date.
    created_since: int | None = None
    by_quarter: tuple[tuple[str, int], ...] = ()
    events: tuple[Event, ...] = ()

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def id(self) -> str:
        return self.commitment.id


@dataclass(frozen=True)
class Openings:
    """Every commitment of every roadmap, tracked, in roadmap then file order."""

    roadmaps: tuple[Roadmap, ...] = ()
    tracked: tuple[Tracked, ...] = ()
    crawled: bool = False
    today: dt.date = field(default_factory=dt.date.today)

    def of(self, roadmap: Roadmap) -> tuple[Tracked, ...]:
        return tuple(t for t in self.tracked if t.roadmap.id == roadmap.id)

    def by_id(self) -> Mapping[str, Tracked]:
        return self._by_id

    @cached_property
    def _by_id(self) -> dict[str, Tracked]:
        return {t.id: t for t in self.tracked}

    def counts(self, tracked: Iterable[Tracked] | None = None) -> Counter[str]:
        return Counter(t.status for t in (self.tracked if tracked is None else tracked))


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


class _Index:
    """The crawl as the matching needs it: repositories by key, crawled accounts."""

    def __init__(self, catalogue: CatalogueSnapshot, keys: Mapping[str, str] | None = None) -> None:
        self.forges = forge_kinds(catalogue.repositories)
        for departed in catalogue.departed:
            self.forges.setdefault(departed.platform.lower(), departed.forge)
        redirects = {**redirects_from_owners(catalogue.owners), **catalogue.moves}
        self.moves = Redirects.from_urls(redirects, self.forges)
        self.sightings: dict[str, Sighting] = {}
        self.hosts = {host for host in self.forges} | set(DEFAULT_FORGES)
        known = keys or {}
        for repository in catalogue.repositories:
            self._add(
                repository.repository_url,
                known.get(repository.id),
                repository.creation_date,
                catalogue.first_seen.get(repository.id),
                bool(repository.is_fork),
                None,
            )
        for departed in catalogue.departed:
            self._add(
                departed.repository_url,
                None,
                departed.creation_date,
                departed.first_seen,
                bool(departed.is_fork),
                departed.departed_at,
            )
        # Every account (or group) path -> the repositories under it, at any depth.
        self.children: dict[str, list[Sighting]] = {}
        for sighting in self.sightings.values():
            segments = sighting.key.split("/")
            for length in range(2, len(segments)):
                self.children.setdefault("/".join(segments[:length]), []).append(sighting)
        self.accounts: set[str] = set()
        self.whole_hosts: set[str] = set()
        for owner in catalogue.owners:
            host = owner.host.lower().removeprefix("www.")
            self.hosts.add(host)
            if owner.owner:
                self.accounts.add(self.moves.apply(f"{host}/{owner.owner}".lower()))
                if owner.renamed_to:
                    self.accounts.add(f"{host}/{owner.renamed_to}".lower())
            else:
                self.whole_hosts.add(host)

    def _add(
        self,
        url: str,
        key: str | None,
        created: str | None,
        first_seen: str | None,
        is_fork: bool,
        departed_at: str | None,
    ) -> None:
        if key is None:
            key = self.key(url)
        if key is None:
            return
        opened, source = _day(created), FROM_CREATION
        if opened is None:
            opened, source = _day(first_seen), FROM_CRAWL
        sighting = Sighting(url, key, opened, source if opened else "", is_fork, departed_at)
        known = self.sightings.get(key)
        if known is None or (known.departed_at is not None and departed_at is None):
            self.sightings[key] = sighting  # a repository still there wins over a departed one

    def key(self, url: str) -> str | None:
        key = repository_key(url, self.forges)
        return self.moves.apply(key) if key else None

    def under(self, key: str) -> list[Sighting]:
        return self.children.get(key, [])

    def covered(self, key: str) -> bool:
        """Whether the crawl lists the account (or the whole forge) holding ``key``."""
        host, _, _ = key.partition("/")
        if host in self.whole_hosts:
            return True
        segments = key.split("/")
        return any("/".join(segments[:n]) in self.accounts for n in range(2, len(segments) + 1))


def _departure_note(sighting: Sighting) -> str:
    day = _day(sighting.departed_at)
    return NOTES["departed"].format(day=day.strftime("%d/%m/%Y") if day else "?")


def _status(
    commitment: Commitment, opened: dt.date | None, found: bool, today: dt.date
) -> tuple[str, int | None, tuple[Event, ...]]:
    """Status, delay in days and the events that led to it."""
    deadline = commitment.deadline
    last = deadline.last_day
    first_late = last + dt.timedelta(days=1) if last is not None else None
    if found:
        if opened is None or last is None or opened <= last:
            events = (Event(opened, OPEN),) if opened is not None else ()
            return OPEN, None, events
        assert first_late is not None
        events = (Event(first_late, LATE), Event(opened, OPEN_LATE))
        return OPEN_LATE, (opened - last).days, events
    if first_late is not None and today >= first_late:
        return LATE, (today - last).days if last else None, (Event(first_late, LATE),)
    return UPCOMING, None, ()


def _by_quarter(
    sightings: Sequence[Sighting], since: dt.date
) -> tuple[int, tuple[tuple[str, int], ...]]:
    counts: Counter[tuple[int, int]] = Counter()
    for sighting in sightings:
        if sighting.opened is not None and sighting.opened >= since:
            counts[(sighting.opened.year, (sighting.opened.month - 1) // 3 + 1)] += 1
    ordered = tuple(
        (quarter_label(dt.date(year, 3 * quarter, 1)), counts[(year, quarter)])
        for year, quarter in sorted(counts)
    )
    return sum(counts.values()), ordered


def track_one(
    commitment: Commitment,
    roadmap: Roadmap,
    index: _Index | None,
    today: dt.date,
) -> Tracked:
    """The status of one commitment (``index``: the crawl, None when there is none)."""
    if not commitment.depot:
        return Tracked(commitment, roadmap, UNTRACKED, notes=(NOTES["no-address"],))
    if index is None:
        return Tracked(commitment, roadmap, UNTRACKED, notes=(NOTES["no-crawl"],))
    key = index.key(commitment.depot)
    host = key.partition("/")[0] if key else ""
    if key is None or host not in index.hosts:
        return Tracked(commitment, roadmap, UNTRACKED, notes=(NOTES["not-forge"],))
    notes: list[str] = []
    original = repository_key(commitment.depot, index.forges)
    sighting = index.sightings.get(key)
    if sighting is not None:
        if original != sighting.key:
            notes.append(NOTES["moved"].format(url=sighting.url))
        if sighting.departed_at is not None:
            notes.append(_departure_note(sighting))
        if sighting.opened is None:
            notes.append(NOTES["no-date"])
        status, delay, events = _status(commitment, sighting.opened, True, today)
        return Tracked(
            commitment,
            roadmap,
            status,
            opened=sighting.opened,
            opened_from=sighting.opened_from,
            delay_days=delay,
            repository_url=sighting.url,
            notes=tuple(notes),
            events=events,
        )
    inside = [s for s in index.under(key) if not s.is_fork]
    is_account = bool(inside) or key in index.accounts
    if not index.covered(key) and not inside:
        note = NOTES["not-crawled"]
        return Tracked(
            commitment, roadmap, UNTRACKED, repository_url=commitment.depot, notes=(note,)
        )
    if original != key:
        notes.append(NOTES["account-moved"].format(url=f"https://{key}"))
    dated = sorted((s for s in inside if s.opened is not None), key=lambda s: s.opened)
    opened = dated[0].opened if dated else None
    status, delay, events = _status(commitment, opened, bool(inside), today)
    created, quarters = _by_quarter(inside, roadmap.published) if is_account else (None, ())
    return Tracked(
        commitment,
        roadmap,
        status,
        opened=opened,
        opened_from=dated[0].opened_from if dated else "",
        delay_days=delay,
        repository_url=f"https://{key}",
        account=is_account,
        notes=tuple(notes),
        created_since=created,
        by_quarter=quarters,
        events=events,
    )


def track(
    roadmaps: Sequence[Roadmap],
    catalogue: CatalogueSnapshot | None,
    today: dt.date,
    *,
    keys: Mapping[str, str] | None = None,
) -> Openings:
    """Every commitment of ``roadmaps`` tracked against ``catalogue`` on ``today``
    (``keys``: the repositories' keys when the caller has them,
    :func:`inventory.insights.links.repository_keys`)."""
    if not roadmaps:
        return Openings((), (), catalogue is not None, today)
    index = _Index(catalogue, keys) if catalogue is not None else None
    tracked = tuple(
        track_one(commitment, roadmap, index, today)
        for roadmap in roadmaps
        for commitment in roadmap.commitments
    )
    return Openings(tuple(roadmaps), tracked, catalogue is not None, today)
