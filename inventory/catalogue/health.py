"""Repository health signals and the health score shown (and sortable) in the explorer.

:class:`HealthSignals` is what the crawl observes in a repository's default branch: the
presence of a README, a licence file, a CONTRIBUTING guide, a CHANGELOG and a
``publiccode.yml`` (parsed and checked by :mod:`inventory.catalogue.publiccode`).

The score, in the spirit of code.gouv.fr's (which weighed description, licence, activity
and community signals), is an integer from 0 to 100:

===============================  ======  ==========================================
Signal                           Points  Rule
===============================  ======  ==========================================
Licence                          20      a licence known to the forge (SPDX id) or a
                                         licence file
publiccode.yml                   20      present and valid; 10 when present with errors
README                           15      a README file
CONTRIBUTING                     10      a contribution guide
CHANGELOG                        5       a changelog
Description                      5       the forge's description is filled
Activity                         25      last activity within 90 days: 25, within a
                                         year: 15, within two years: 5, older: 0
===============================  ======  ==========================================

Then forks and archived repositories are ranked down: the total is halved for a fork and
halved again for an archived repository (a fork that is also archived keeps a quarter).
When no file signal was gathered (``signals`` is None: the crawl did not look), the file
rows count 0 except the licence, which the forge's listing gives.

The last activity is ``last_update`` (else ``last_modification``) of the crawl.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from inventory.catalogue.publiccode import Publiccode, check
from inventory.model import PUBLICCODE_FILES, Repository, RootFiles

POINTS_LICENSE = 20
POINTS_PUBLICCODE = 20
POINTS_PUBLICCODE_INVALID = 10
POINTS_README = 15
POINTS_CONTRIBUTING = 10
POINTS_CHANGELOG = 5
POINTS_DESCRIPTION = 5
ACTIVITY_STEPS: tuple[tuple[int, int], ...] = ((90, 25), (365, 15), (730, 5))
FORK_FACTOR = 0.5
ARCHIVED_FACTOR = 0.5
MAX_SCORE = 100

#: File names (lower case, without extension) that count for each signal.
README_NAMES = ("readme",)
LICENSE_NAMES = ("license", "licence", "copying", "license-mit", "licence-fr")
CONTRIBUTING_NAMES = ("contributing", "contribuer", "contribution", "contributions")
CHANGELOG_NAMES = ("changelog", "changes", "history", "news", "journal-des-modifications")
PUBLICCODE_NAMES = PUBLICCODE_FILES


@dataclass(frozen=True)
class HealthSignals:
    """Files found at the root of the default branch, and the parsed publiccode.yml."""

    has_readme: bool = False
    has_license: bool = False
    has_contributing: bool = False
    has_changelog: bool = False
    has_publiccode: bool = False
    publiccode: Publiccode | None = None

    @classmethod
    def from_file_names(
        cls, names: list[str] | tuple[str, ...], publiccode: Publiccode | None = None
    ) -> HealthSignals:
        """Signals from the names of the files at the repository root (any case, any extension)."""
        stems = set()
        lowered = {name.lower() for name in names}
        for name in lowered:
            stems.add(name.split(".", 1)[0] if not name.startswith(".") else name)
        return cls(
            has_readme=any(stem in README_NAMES for stem in stems),
            has_license=any(stem in LICENSE_NAMES for stem in stems),
            has_contributing=any(stem in CONTRIBUTING_NAMES for stem in stems),
            has_changelog=any(stem in CHANGELOG_NAMES for stem in stems),
            has_publiccode=any(name in PUBLICCODE_NAMES for name in lowered),
            publiccode=publiccode,
        )


def observe(root: RootFiles, repository_url: str) -> HealthSignals:
    """Signals from a repository's root files, its ``publiccode.yml`` checked against the
    repository it was found in (a copied or spoofed ``url`` is an error)."""
    text = root.publiccode
    parsed = check(text, repository_url) if text is not None else None
    return HealthSignals.from_file_names(list(root.names), parsed)


def last_activity(repository: Repository) -> dt.date | None:
    value = repository.last_update or repository.last_modification
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def activity_points(repository: Repository, today: dt.date) -> int:
    when = last_activity(repository)
    if when is None:
        return 0
    age = (today - when).days
    for days, points in ACTIVITY_STEPS:
        if age <= days:
            return points
    return 0


@dataclass(frozen=True)
class ScoreDetail:
    """Each row of the score table, for showing why a repository scores what it does."""

    license: int
    publiccode: int
    readme: int
    contributing: int
    changelog: int
    description: int
    activity: int
    factor: float

    @property
    def total(self) -> int:
        raw = (
            self.license
            + self.publiccode
            + self.readme
            + self.contributing
            + self.changelog
            + self.description
            + self.activity
        )
        return round(raw * self.factor)


def detail(repository: Repository, signals: HealthSignals | None, today: dt.date) -> ScoreDetail:
    files = signals or HealthSignals()
    publiccode = 0
    if files.has_publiccode:
        valid = files.publiccode is not None and files.publiccode.valid
        publiccode = POINTS_PUBLICCODE if valid else POINTS_PUBLICCODE_INVALID
    factor = 1.0
    if repository.is_fork:
        factor *= FORK_FACTOR
    if repository.is_archived:
        factor *= ARCHIVED_FACTOR
    return ScoreDetail(
        license=POINTS_LICENSE if (repository.license or files.has_license) else 0,
        publiccode=publiccode,
        readme=POINTS_README if files.has_readme else 0,
        contributing=POINTS_CONTRIBUTING if files.has_contributing else 0,
        changelog=POINTS_CHANGELOG if files.has_changelog else 0,
        description=POINTS_DESCRIPTION if (repository.description or "").strip() else 0,
        activity=activity_points(repository, today),
        factor=factor,
    )


def score(repository: Repository, signals: HealthSignals | None, today: dt.date) -> int:
    """The health score from 0 to 100 (see the module docstring for the formula)."""
    return detail(repository, signals, today).total
