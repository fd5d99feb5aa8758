"""Match the ``code_source`` resources of algorithm records to crawled repositories.

Both sides are reduced to one key per repository by :func:`inventory.catalogue.urls.
repository_key` (the rules are written there) and matched on equality, after the renames the
crawl recorded (:class:`inventory.catalogue.urls.Redirects`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from inventory.catalogue.urls import (
    DEFAULT_FORGES,
    Redirects,
    normalise_url,
    redirects_from_owners,
    repository_key,
)
from inventory.model import Record, Repository

__all__ = [
    "DEFAULT_FORGES",
    "Redirects",
    "normalise_url",
    "redirects_from_owners",
    "repository_key",
]


def forge_kinds(repositories: Iterable[Repository]) -> dict[str, str]:
    """``platform`` (host) -> forge kind, from the crawled repositories."""
    kinds: dict[str, str] = {}
    for repository in repositories:
        if repository.platform and repository.forge:
            kinds.setdefault(repository.platform.lower(), str(repository.forge))
    return kinds


def code_urls(record: Record) -> tuple[str, ...]:
    """The URLs of the record's ``code_source`` resources, in file order."""
    urls = []
    for resource in record.get("ressources") or ():
        if isinstance(resource, Mapping) and resource.get("type") == "code_source":
            url = resource.get("url")
            if isinstance(url, str) and url.strip():
                urls.append(url.strip())
    return tuple(urls)


@dataclass(frozen=True)
class UnmatchedLink:
    """A ``code_source`` URL of a record that matches no crawled repository."""

    record_id: str
    url: str
    index: int  # position of the resource in ``ressources`` (for the problem's field path)


@dataclass(frozen=True)
class LinkIndex:
    """Both directions of the record <-> repository links, and what matched nothing."""

    by_record: Mapping[str, tuple[Repository, ...]]
    by_repository: Mapping[str, tuple[str, ...]]
    declared: Mapping[str, tuple[str, ...]]
    unmatched: tuple[UnmatchedLink, ...]
    #: ``code_source`` URL, as written in a record -> the repositories it matched.
    by_url: Mapping[str, tuple[Repository, ...]] = field(default_factory=dict)

    def repositories_at(self, url: str) -> tuple[Repository, ...]:
        """The crawled repositories a ``code_source`` URL matched (``()`` when none)."""
        return self.by_url.get(url.strip(), ())

    def repositories_for(self, record_id: str) -> tuple[Repository, ...]:
        return self.by_record.get(record_id, ())

    def algorithms_for(self, repository_id: str) -> tuple[str, ...]:
        return self.by_repository.get(repository_id, ())

    def has_declared_code(self, record_id: str) -> bool:
        return bool(self.declared.get(record_id))

    def has_published_code(self, record_id: str) -> bool:
        return bool(self.by_record.get(record_id))


def _resource_indexes(record: Record) -> list[tuple[int, str]]:
    found = []
    for position, resource in enumerate(record.get("ressources") or ()):
        if isinstance(resource, Mapping) and resource.get("type") == "code_source":
            url = resource.get("url")
            if isinstance(url, str) and url.strip():
                found.append((position, url.strip()))
    return found


def repository_keys(
    repositories: Sequence[Repository], redirects: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Repository id -> its comparison key after the recorded redirects (computed once and
    shared by the joins that need it: a key costs a URL parse)."""
    forges = forge_kinds(repositories)
    moves = Redirects.from_urls(redirects, forges)
    keys = {}
    for repository in repositories:
        key = repository_key(repository.repository_url, forges)
        if key is not None:
            keys[repository.id] = moves.apply(key)
    return keys


def match_resources(
    records: Sequence[Record],
    repositories: Sequence[Repository],
    redirects: Mapping[str, str] | None = None,
    *,
    keys: Mapping[str, str] | None = None,
) -> LinkIndex:
    """Link each record's ``code_source`` resources to crawled repositories (see module doc).

    ``redirects`` maps old URLs (owner or repository) to new ones, as recorded by the crawl
    (:func:`redirects_from_owners`). A repository's own URL is also redirected, so that a
    stale row and a record both pointing at the old owner still meet the new one. ``keys``:
    the repositories' keys when the caller has them (:func:`repository_keys`).
    """
    forges = forge_kinds(repositories)
    moves = Redirects.from_urls(redirects, forges)
    if keys is None:
        keys = repository_keys(repositories, redirects)
    by_key: dict[str, list[Repository]] = {}
    for repository in repositories:
        key = keys.get(repository.id)
        if key is not None:
            by_key.setdefault(key, []).append(repository)

    by_record: dict[str, tuple[Repository, ...]] = {}
    by_repository: dict[str, list[str]] = {}
    declared: dict[str, tuple[str, ...]] = {}
    unmatched: list[UnmatchedLink] = []
    by_url: dict[str, tuple[Repository, ...]] = {}
    for record in records:
        urls = _resource_indexes(record)
        if not urls:
            continue
        declared[record.id] = tuple(url for _, url in urls)
        linked: dict[str, Repository] = {}
        for position, url in urls:
            key = repository_key(url, forges)
            found = by_key.get(moves.apply(key)) if key else None
            if not found:
                unmatched.append(UnmatchedLink(record.id, url, position))
                continue
            by_url.setdefault(url, tuple(found))
            for repository in found:
                linked.setdefault(repository.id, repository)
        if linked:
            by_record[record.id] = tuple(linked.values())
            for repository_id in linked:
                ids = by_repository.setdefault(repository_id, [])
                if record.id not in ids:
                    ids.append(record.id)
    return LinkIndex(
        by_record=by_record,
        by_repository={rid: tuple(sorted(ids)) for rid, ids in by_repository.items()},
        declared=declared,
        unmatched=tuple(unmatched),
        by_url=by_url,
    )
