"""The one interface every forge adapter implements.

A crawl is a set of :class:`Target` (one owner on a forge, or a whole instance). An adapter
lists a target's repositories, page by page, into normalised :class:`~inventory.model.Repository`
values and returns them as one :class:`Listing`, which the store commits as a unit. The
adapter receives what the store already knows (:class:`Known`) so that it can skip work for
repositories that did not change since the last crawl.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from crawlers.errors import CrawlerError
from inventory.model import Organisation, Repository, RootFiles


class ForgeKind(enum.StrEnum):
    GITHUB = "github"
    GITLAB = "gitlab"
    GITEA = "gitea"
    GOGS = "gogs"
    FORGEJO = "forgejo"


@dataclass(frozen=True)
class Target:
    """One unit of crawl: ``owner`` on ``host``, or the whole instance when ``owner`` is None."""

    host: str
    forge: ForgeKind
    api_url: str
    owner: str | None = None
    pso_id: str | None = None
    floss_policy: str | None = None
    ospo_url: str | None = None

    @property
    def key(self) -> str:
        """``host/owner`` or ``host``: the name used by ``--only`` and in the store."""
        return f"{self.host}/{self.owner}" if self.owner else self.host


@dataclass(frozen=True)
class Known:
    """What the store knew about a target before this crawl.

    ``repositories`` is keyed by :attr:`Repository.id`; an adapter copies the enrichment
    (licence, language) of a repository whose ``last_update`` did not change instead of
    asking the forge again.
    """

    repositories: Mapping[str, Repository] = field(default_factory=dict)
    #: What the adapter learnt about listing this target last time (its ``Listing.hint``),
    #: e.g. the GraphQL page size GitHub could serve without timing out.
    hint: str | None = None


@dataclass(frozen=True)
class Listing:
    """Everything one target yielded, committed by the store as a unit.

    ``root_files`` holds what an adapter saw at the root of each repository *in the listing
    itself* (GitHub's GraphQL listing), keyed by :attr:`Repository.id`; adapters whose listing
    cannot carry it leave it empty, and the orchestrator asks a :class:`RootFilesReader` for
    the repositories it does not cover.
    """

    target: Target
    organisations: tuple[Organisation, ...]
    repositories: tuple[Repository, ...]
    renamed_to: str | None = None
    root_files: Mapping[str, RootFiles] = field(default_factory=dict)
    #: Remembered for the next crawl of this target (handed back as ``Known.hint``).
    hint: str | None = None


class Crawler(Protocol):
    """A forge adapter. Implementations raise :class:`crawlers.errors.CrawlerError` subclasses."""

    def crawl(self, target: Target, known: Known) -> Listing:
        """List every repository of ``target`` (all pages, subgroups, archived ones included)."""
        ...


#: One repository's root files, or why they could not be read.
RootFilesOutcome = tuple[Repository, "RootFiles | CrawlerError"]


class RootFilesReader(Protocol):
    """Reads the root files of repositories, batched where the forge allows it.

    ``requests`` counts what it sent (the crawl summary shows them apart from the listing's).
    A :class:`crawlers.errors.RateLimited` stops the reading (the rest is due at the next
    crawl); any other :class:`crawlers.errors.CrawlerError` is one repository's outcome.
    """

    @property
    def requests(self) -> int: ...

    def read(self, repositories: Sequence[Repository]) -> Iterator[RootFilesOutcome]: ...
