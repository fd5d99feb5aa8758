"""Transparency indicators per administration: the ONE place where they are defined.

:data:`INDICATORS` is the table: each :class:`Indicator` has a code (CSV column), a French
label and description (shown on the site, the same text everywhere) and its computation over
one administration's records and repositories. Definitions:

``algorithmes``
    Number of algorithm records of the administration (every status, retired included).
``code_publie``
    Share of its algorithms with **published code**: at least one ``code_source`` resource
    that matches a crawled repository (:mod:`inventory.insights.links`).
``code_declare``
    Share of its algorithms that **declare** code: at least one ``code_source`` resource,
    matched or not (a URL on a forge that is not crawled, a private forge...).
``a_jour``
    Share of its algorithms whose ``date_mise_a_jour`` is within the last 12 months
    (on or after the same day one year before the build date, the rule of ``inventory
    check``); a record without a readable date counts as not up to date.
``decision_automatisee``
    Share of its algorithms whose ``niveau_automatisation`` is
    ``decision_entierement_automatisee``.
``depots``
    Number of crawled public repositories of its accounts (forks and archived ones
    included: they are public).
``forges``
    Number of distinct forges (hosts) where those repositories live.
``engagements_a_temps``, ``engagements_en_retard``, ``engagements_a_venir``
    Its announced code openings (:mod:`inventory.insights.openings`): kept on time
    (``ouvert``); late, kept late or still not kept (``ouvert_en_retard`` and ``en_retard``);
    pending, deadline not passed (``a_venir``). Commitments that cannot be tracked
    (``non_suivi``) are in none of the three; an administration without any commitment has
    none of these values (``None``: "sans objet").

A share is a :class:`Share` (numerator, denominator) so that nothing is lost to rounding; an
administration without algorithms has no share (``None``: "sans objet"), not 0 %.

Administrations come from the site's join of records and crawled accounts
(:class:`inventory.site.sitedata.Administration`); anything with ``slug``, ``name``,
``pso_id``, ``records`` and ``repositories`` fits (:class:`AdministrationLike`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from inventory.insights.links import LinkIndex
from inventory.insights.openings import LATE, OPEN, OPEN_LATE, UPCOMING, Tracked
from inventory.model import Record, Repository

FULLY_AUTOMATED = "decision_entierement_automatisee"
DATE_FIELD = "date_mise_a_jour"


class AdministrationLike(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def pso_id(self) -> str: ...
    @property
    def records(self) -> tuple[Record, ...]: ...
    @property
    def repositories(self) -> tuple[Repository, ...]: ...


@dataclass(frozen=True)
class Share:
    """``numerator`` of ``denominator``; :attr:`ratio` in [0, 1]."""

    numerator: int
    denominator: int

    @property
    def ratio(self) -> float:
        return self.numerator / self.denominator

    def percent(self) -> str:
        """French percentage, rounded to the unit: ``67 %`` (narrow no-break space)."""
        return f"{round(100 * self.ratio)}\u202f%"


Value = int | Share | None


@dataclass(frozen=True)
class Context:
    """What an indicator computes from: one administration, the links, the build date."""

    records: tuple[Record, ...]
    repositories: tuple[Repository, ...]
    links: LinkIndex
    today: dt.date
    commitments: tuple[Tracked, ...] = ()


@dataclass(frozen=True)
class Indicator:
    code: str
    label_fr: str
    description_fr: str
    compute: Callable[[Context], Value]

    @property
    def is_share(self) -> bool:
        return self.code not in _COUNTS


def _share(context: Context, keep: Callable[[Record], bool]) -> Share | None:
    if not context.records:
        return None
    return Share(sum(1 for record in context.records if keep(record)), len(context.records))


def _commitments(context: Context, *statuses: str) -> int | None:
    if not context.commitments:
        return None
    return sum(1 for tracked in context.commitments if tracked.status in statuses)


def _year_before(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def record_date(record: Record) -> dt.date | None:
    """The record's ``date_mise_a_jour`` as a date, or None when absent or unreadable."""
    value = record.get(DATE_FIELD)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _up_to_date(context: Context) -> Callable[[Record], bool]:
    limit = _year_before(context.today)

    def keep(record: Record) -> bool:
        date = record_date(record)
        return date is not None and limit <= date <= context.today

    return keep


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "algorithmes",
        "Algorithmes",
        "Nombre de fiches d'algorithmes de l'administration inscrites au registre, quel que "
        "soit leur statut.",
        lambda c: len(c.records),
    ),
    Indicator(
        "code_publie",
        "Code publié",
        "Part des algorithmes dont au moins une ressource « code source » correspond à un "
        "dépôt moissonné sur une forge publique.",
        lambda c: _share(c, lambda r: c.links.has_published_code(r.id)),
    ),
    Indicator(
        "code_declare",
        "Code déclaré",
        "Part des algorithmes qui indiquent au moins une ressource « code source », qu'elle "
        "corresponde ou non à un dépôt moissonné.",
        lambda c: _share(c, lambda r: c.links.has_declared_code(r.id)),
    ),
    Indicator(
        "a_jour",
        "À jour",
        "Part des algorithmes dont la fiche a été mise à jour au cours des 12 derniers mois "
        "(date de mise à jour des informations).",
        lambda c: _share(c, _up_to_date(c)),
    ),
    Indicator(
        "decision_automatisee",
        "Décision automatisée",
        "Part des algorithmes qui prennent des décisions entièrement automatisées, sans "
        "intervention humaine.",
        lambda c: _share(c, lambda r: r.get("niveau_automatisation") == FULLY_AUTOMATED),
    ),
    Indicator(
        "depots",
        "Dépôts publics",
        "Nombre de dépôts de code source publics moissonnés sur les comptes de "
        "l'administration (bifurcations et dépôts archivés compris).",
        lambda c: len(c.repositories),
    ),
    Indicator(
        "forges",
        "Forges",
        "Nombre de forges distinctes où se trouvent ces dépôts.",
        lambda c: len({r.platform.lower() for r in c.repositories if r.platform}),
    ),
    Indicator(
        "engagements_a_temps",
        "Ouvertures tenues à temps",
        "Nombre d'ouvertures de codes sources annoncées dans une feuille de route dont le "
        "dépôt est apparu au plus tard à l'échéance (ou ouvertes par défaut).",
        lambda c: _commitments(c, OPEN),
    ),
    Indicator(
        "engagements_en_retard",
        "Ouvertures en retard",
        "Nombre d'ouvertures annoncées dont l'échéance est passée sans dépôt à temps : "
        "ouvertes après l'échéance ou toujours pas ouvertes.",
        lambda c: _commitments(c, OPEN_LATE, LATE),
    ),
    Indicator(
        "engagements_a_venir",
        "Ouvertures à venir",
        "Nombre d'ouvertures annoncées dont l'échéance n'est pas encore passée et dont le "
        "dépôt n'a pas encore été trouvé.",
        lambda c: _commitments(c, UPCOMING),
    ),
)

_COUNTS = frozenset(
    {
        "algorithmes",
        "depots",
        "forges",
        "engagements_a_temps",
        "engagements_en_retard",
        "engagements_a_venir",
    }
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}

#: The indicators of announced code openings: not applicable to most administrations, so a
#: page leaves them out where they are ``None`` (:func:`relevant`).
OPENINGS_CODES = frozenset({"engagements_a_temps", "engagements_en_retard", "engagements_a_venir"})


@dataclass(frozen=True)
class Row:
    """The indicators of one administration (or of all of them: ``slug == ""``)."""

    slug: str
    name: str
    pso_id: str
    values: dict[str, Value]

    def __getitem__(self, code: str) -> Value:
        return self.values[code]


def compute(
    administration: AdministrationLike,
    links: LinkIndex,
    today: dt.date,
    openings: Mapping[str, Tracked] | None = None,
) -> Row:
    """The indicators of one administration (``openings``: tracked commitments by id)."""
    known = openings or {}
    commitments = tuple(
        known[cid] for cid in getattr(administration, "commitments", ()) if cid in known
    )
    context = Context(
        tuple(administration.records),
        tuple(administration.repositories),
        links,
        today,
        commitments,
    )
    return Row(
        slug=administration.slug,
        name=administration.name,
        pso_id=administration.pso_id or "",
        values={indicator.code: indicator.compute(context) for indicator in INDICATORS},
    )


def compute_all(
    administrations: Sequence[AdministrationLike],
    links: LinkIndex,
    today: dt.date,
    openings: Mapping[str, Tracked] | None = None,
) -> list[Row]:
    """One :class:`Row` per administration, in the given order."""
    return [compute(a, links, today, openings) for a in administrations]


def overall(
    administrations: Sequence[AdministrationLike],
    links: LinkIndex,
    today: dt.date,
    openings: Mapping[str, Tracked] | None = None,
) -> Row:
    """The indicators over every administration together (``name`` "Ensemble")."""
    records: dict[str, Record] = {}
    repositories: dict[str, Repository] = {}
    for administration in administrations:
        records.update((r.id, r) for r in administration.records)
        repositories.update((r.id, r) for r in administration.repositories)
    commitments = tuple((openings or {}).values())
    context = Context(
        tuple(records.values()), tuple(repositories.values()), links, today, commitments
    )
    return Row(
        slug="",
        name="Ensemble",
        pso_id="",
        values={indicator.code: indicator.compute(context) for indicator in INDICATORS},
    )


def relevant(row: Row) -> tuple[Indicator, ...]:
    """The indicators worth showing for ``row``: all but the openings' when it has none."""
    return tuple(
        i for i in INDICATORS if i.code not in OPENINGS_CODES or row.values.get(i.code) is not None
    )


def display(value: Value) -> str:
    """French text of a value: ``12``, ``67 %``, or ``—`` (no algorithm: not applicable)."""
    if value is None:
        return "—"
    if isinstance(value, Share):
        return value.percent()
    return str(value)
