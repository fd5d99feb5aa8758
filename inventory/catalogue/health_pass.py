"""Gather repository health signals apart from a crawl: ``inventory health``.

The crawl itself gathers the signals of the repositories it lists (:mod:`inventory.catalogue.
crawl`); this standalone pass re-examines them (``force``), catches up a database crawled with
``--no-health``, or reads GitHub repositories crawled without a token. It asks each forge's
:class:`crawlers.base.RootFilesReader` (:func:`crawlers.registry.make_root_reader`: batched
GraphQL on GitHub, batched GraphQL with a REST fallback on GitLab, one request per repository
on the Gitea family) for the root files of the repositories **changed since their last health
check** (:func:`due`), turns them into signals (:func:`inventory.catalogue.health.observe`)
and stores one committed row per repository (:meth:`inventory.catalogue.store.Store.
save_health`). Nothing is asked again for an unchanged repository: a second run with nothing
changed sends no request. Requests go through the shared HTTP layer
(:func:`crawlers.http.make_session`: retries, ``Retry-After``, rate-limit resets, a far reset
defers the forge).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from crawlers.errors import CrawlerError, RateLimited
from crawlers.http import HttpPolicy, Stats, api_root, make_session, token_for
from crawlers.registry import make_root_reader, session_headers
from inventory.catalogue.health import observe
from inventory.catalogue.store import Store
from inventory.catalogue.tables import StoredHealth
from inventory.model import Repository, RootFiles


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class HealthSummary:
    checked: int = 0
    skipped: int = 0
    failed: tuple[str, ...] = ()
    deferred: tuple[str, ...] = ()  # hosts skipped (no token, rate limit far away)
    requests: int = 0

    @property
    def complete(self) -> bool:
        return not self.failed and not self.deferred


def due(
    repositories: Sequence[Repository], known: Mapping[str, StoredHealth], *, force: bool
) -> list[Repository]:
    """Repositories never checked, failed, or changed since their last check."""
    result = []
    for repository in repositories:
        stored = known.get(repository.id)
        if (
            force
            or stored is None
            or stored.error is not None
            or stored.repo_last_update != repository.last_update
        ):
            result.append(repository)
    return result


@dataclass
class _Run:
    checked: int = 0
    failed: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)


def _record(
    store: Store,
    repository: Repository,
    outcome: RootFiles | CrawlerError,
    run: _Run,
    now: str,
) -> None:
    if isinstance(outcome, RootFiles):
        store.save_health(repository, observe(outcome, repository.repository_url), checked_at=now)
        run.checked += 1
    else:
        store.save_health(repository, None, checked_at=now, error=str(outcome))
        run.failed.append(f"{repository.repository_url} : {outcome}")


def gather(
    repositories: Sequence[Repository],
    store: Store,
    *,
    api_overrides: Mapping[str, str] | None = None,
    policy: HttpPolicy | None = None,
    environ: Mapping[str, str] | None = None,
    force: bool = False,
    limit: int | None = None,
    now: Callable[[], str] = _now,
) -> HealthSummary:
    """Gather and store the signals of the due repositories (see the module docstring)."""
    todo = due(repositories, store.stored_health(), force=force)
    skipped = len(repositories) - len(todo)
    if limit is not None:
        todo = todo[: max(0, limit)]
    by_host: dict[tuple[str, str], list[Repository]] = defaultdict(list)
    for repository in todo:
        by_host[(repository.platform.lower(), str(repository.forge))].append(repository)
    stats = Stats()
    run = _Run()
    for (host, forge), items in sorted(by_host.items()):
        token = token_for(host, environ)
        if forge == "github" and not token:
            run.deferred.append(f"{host} (jeton nécessaire pour l'API GraphQL)")
            continue
        headers = session_headers(forge, token)
        session = make_session(host, stats=stats, etags=None, policy=policy, headers=headers)
        try:
            reader = make_root_reader(forge, session, api_root(host, forge, api_overrides), token)
            done: set[str] = set()
            try:
                for repository, outcome in reader.read(items):
                    done.add(repository.id)
                    _record(store, repository, outcome, run, now())
            except RateLimited as exc:
                run.deferred.append(f"{host} ({exc})")
            except CrawlerError as exc:  # the whole forge failed (retries exhausted)
                for repository in items:
                    if repository.id not in done:
                        _record(store, repository, exc, run, now())
        finally:
            session.close()
    return HealthSummary(
        checked=run.checked,
        skipped=skipped,
        failed=tuple(run.failed),
        deferred=tuple(run.deferred),
        requests=stats.requests,
    )
