"""The crawl orchestrator: every target, forges in parallel, each host politely.

:func:`run_crawl` is the library entry point (the CLI and the benchmarks call it)::

    summary = run_crawl(targets, store, per_host=2, api_overrides={"github.com": url})

Each host gets ``min(per_host, its targets)`` worker threads, each with its own session (see
:func:`crawlers.http.make_session`) and adapter; all hosts run at once. Every target's
listing is committed as a unit; a failed target is recorded (its repositories kept, marked
stale) and the crawl goes on. An owner whose listing suddenly lacks all, or more than half,
of its repositories is *suspect*: the missing ones are held (kept, marked stale) until the
next crawl confirms their absence (:meth:`Store.save_listing`); the summary lists them. A
forge whose rate limit resets too far in the future is deferred: its remaining targets are
recorded as failed without being tried.

Health signals are gathered by the crawl itself and committed with each target's listing,
from the root files of its repositories (:func:`inventory.catalogue.health.observe`): GitHub's
GraphQL listing carries them (no extra request); otherwise the repositories **new or changed
since their last check** (or whose last check failed) are read by the forge's
:class:`crawlers.base.RootFilesReader` (:func:`crawlers.registry.make_root_reader`: batched
GraphQL on GitLab, REST when the instance cannot answer it; on the Gitea family one request
per repository, plus one to read a ``publiccode.yml`` the root holds); an unchanged
repository costs nothing. GitHub listed without a token (REST) has no signals: the summary
says so.

Resume: a crawl is a *round* in the store, keyed by the set of targets. A round interrupted
(Ctrl-C, kill -9, network loss) is continued by the next run over the same targets: targets
already committed successfully since the round started are skipped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from crawlers.base import ForgeKind, Listing, RootFilesReader, Target
from crawlers.errors import CrawlerError, RateLimited
from crawlers.http import HttpPolicy, Stats, api_root, make_session, token_for
from crawlers.registry import make_crawler, make_root_reader, session_headers
from inventory.catalogue.health import HealthSignals, observe
from inventory.catalogue.health_pass import due
from inventory.catalogue.store import Store
from inventory.errors import InventoryError, StoreError
from inventory.model import RootFiles


@dataclass(frozen=True)
class OwnerFailure:
    """One target that failed, with the French reason shown to users."""

    target: str
    reason: str


@dataclass(frozen=True)
class SuspectDrop:
    """An owner whose listing lost all, or more than half, of its repositories at once: the
    missing ones are held (kept, marked stale) until the next crawl confirms the drop."""

    target: str
    before: int
    held: int


@dataclass(frozen=True)
class CrawlEvent:
    """Progress notification: ``kind`` is ``"host"`` (a host starts, ``total`` targets) or
    ``"target"`` (one target done, ``ok`` tells how)."""

    kind: str
    host: str
    target: str | None = None
    ok: bool | None = None
    total: int = 0


@dataclass(frozen=True)
class CrawlSummary:
    """What a crawl did; ``exit_code`` is the CLI's (0 all ok, 3 some owners failed, 4 none
    failed but some drops are held as suspect)."""

    owners_ok: int
    owners_failed: tuple[OwnerFailure, ...]
    repositories_new: int
    repositories_updated: int
    repositories_gone: int
    requests: int
    not_modified: int
    retries: int
    duration: float
    deferred: tuple[str, ...] = ()
    skipped: int = 0
    resumed: bool = False
    per_host_requests: Mapping[str, int] = field(default_factory=dict)
    renamed: tuple[tuple[str, str], ...] = ()
    #: Health signals: repositories checked this run, checks that failed (retried
    #: at the next crawl), requests spent on them beyond the listing, hosts without signals.
    health_checked: int = 0
    health_failed: int = 0
    health_requests: int = 0
    health_skipped: tuple[str, ...] = ()
    #: Owners whose drop is held as suspect, and how many repositories are held in all.
    suspect: tuple[SuspectDrop, ...] = ()
    repositories_held: int = 0

    @property
    def exit_code(self) -> int:
        if self.owners_failed:
            return 3
        return 4 if self.suspect else 0


class _Totals:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ok = 0
        self.failed: list[OwnerFailure] = []
        self.new = self.updated = self.gone = 0
        self.deferred: dict[str, str] = {}
        self.renamed: list[tuple[str, str]] = []
        self.health_checked = self.health_failed = self.health_requests = 0
        self.health_skipped: dict[str, str] = {}
        self.suspect: list[SuspectDrop] = []


def select_targets(targets: Sequence[Target], only: Iterable[str]) -> list[Target]:
    """Targets matching ``--only HOST`` or ``--only HOST/OWNER`` (all when ``only`` is empty).

    A filter matching nothing raises :class:`InventoryError` (a typo must not crawl nothing
    silently).
    """
    filters = [f.strip().strip("/") for f in only if f.strip()]
    if not filters:
        return list(targets)
    selected: list[Target] = []
    for target in targets:
        key = target.key.lower()
        if any(f.lower() in (target.host.lower(), key) for f in filters):
            selected.append(target)
    for f in filters:
        if not any(f.lower() in (t.host.lower(), t.key.lower()) for t in targets):
            raise InventoryError(
                f"--only {f} : aucune forge ni aucun compte de ce nom dans les sources"
            )
    return selected


def _scope(targets: Sequence[Target]) -> str:
    keys = "\n".join(sorted(t.key for t in targets))
    return hashlib.sha256(keys.encode("utf-8")).hexdigest()[:16]


def _reset_text(reset_at: float | None) -> str:
    if reset_at is None:
        return "plus tard"
    return datetime.fromtimestamp(reset_at, UTC).strftime("%H:%M UTC")


def run_crawl(
    targets: Sequence[Target],
    store: Store,
    *,
    per_host: int = 2,
    api_overrides: Mapping[str, str] | None = None,
    policy: HttpPolicy | None = None,
    environ: Mapping[str, str] | None = None,
    progress: Callable[[CrawlEvent], None] | None = None,
    max_workers: int = 128,
    health: bool = True,
    github_graphql: bool | None = None,
    confirm_drops: bool = False,
    host_budget: float | None = None,
) -> CrawlSummary:
    """Crawl ``targets`` into ``store``; see the module docstring.

    ``github_graphql``: how GitHub is listed. ``None`` (default): GraphQL when a token is
    available (the listing carries the health signals; pages cannot be revalidated, each costs
    a point of GraphQL's hourly budget), REST otherwise. ``False``: REST (pages revalidated by
    ETag, 304s are free) and, with a token, the health signals of the changed repositories by
    batched GraphQL (one request per 50).

    ``confirm_drops``: repositories missing from a listing are removed at once, even when
    the drop is suspect (see :meth:`Store.save_listing`).

    Each host has a time budget (:class:`crawlers.budget.HostBudget`: ``host_budget`` seconds
    in all, default the policy's, and at most ``policy.stall`` seconds without a usable
    answer); once spent, its owner in progress and those not yet crawled are recorded as
    failed with the reason, and the other hosts go on.
    """
    if per_host < 1:
        raise InventoryError("--per-host doit valoir au moins 1")
    started = time.monotonic()
    policy = policy or HttpPolicy()
    if host_budget is not None:
        policy = dataclasses.replace(policy, host_budget=host_budget)
    if api_overrides:
        targets = [
            dataclasses.replace(t, api_url=api_root(t.host, t.forge, api_overrides))
            if t.host in api_overrides
            else t
            for t in targets
        ]
    round_ = store.begin_round(_scope(targets))
    done = store.done_in_round(round_) if round_.resumed else set()
    todo = [t for t in targets if t.key not in done]
    by_host: dict[str, list[Target]] = defaultdict(list)
    for target in todo:
        by_host[target.host].append(target)

    stats = Stats()
    host_stats: dict[str, Stats] = {host: Stats() for host in by_host}
    budgets = {host: policy.budget(host) for host in by_host}
    totals = _Totals()
    stop = threading.Event()
    fatal: list[BaseException] = []
    notify = progress or (lambda event: None)

    def worker(host: str, jobs: queue.SimpleQueue[Target]) -> None:
        forge = by_host[host][0].forge
        token = token_for(host, environ)
        session = make_session(
            host,
            stats=_Tee(stats, host_stats[host]),  # type: ignore[arg-type]
            etags=store,
            policy=policy,
            headers=session_headers(forge, token),
            budget=budgets[host],
        )
        try:
            crawler = make_crawler(forge, session, token=token, graphql=github_graphql)
            observer = _HealthObserver(session, forge, token, store, totals) if health else None
            while not stop.is_set():
                try:
                    target = jobs.get_nowait()
                except queue.Empty:
                    return
                exhausted = budgets[host].reason
                if exhausted is not None:  # no request: the host's time is spent
                    _fail(target, exhausted, store, totals, notify)
                    continue
                _crawl_one(
                    crawler, target, store, totals, notify, observer, confirm_drops=confirm_drops
                )
        except StoreError as exc:
            fatal.append(exc)
            stop.set()
        except CrawlerError as exc:  # no adapter for this forge: every target fails
            while True:
                try:
                    target = jobs.get_nowait()
                except queue.Empty:
                    break
                _fail(target, str(exc), store, totals, notify)
        finally:
            session.close()

    loops: list[tuple[str, queue.SimpleQueue[Target]]] = []
    for host, host_targets in by_host.items():
        jobs: queue.SimpleQueue[Target] = queue.SimpleQueue()
        for target in host_targets:
            jobs.put(target)
        notify(CrawlEvent("host", host, total=len(host_targets)))
        loops.extend((host, jobs) for _ in range(min(per_host, len(host_targets))))

    if loops:
        executor = ThreadPoolExecutor(max_workers=min(max_workers, len(loops)))
        try:
            futures = [executor.submit(worker, host, jobs) for host, jobs in loops]
            wait(futures)
            for future in futures:
                future.result()
        except BaseException:
            stop.set()
            executor.shutdown(wait=True, cancel_futures=True)
            raise
        executor.shutdown(wait=True)
    if fatal:
        raise fatal[0]
    store.finish_round(round_)
    snapshot = stats.snapshot()
    return CrawlSummary(
        owners_ok=totals.ok,
        owners_failed=tuple(sorted(totals.failed, key=lambda f: f.target)),
        repositories_new=totals.new,
        repositories_updated=totals.updated,
        repositories_gone=totals.gone,
        requests=snapshot["requests"],
        not_modified=snapshot["not_modified"],
        retries=snapshot["retries"],
        duration=time.monotonic() - started,
        deferred=tuple(sorted(totals.deferred)),
        skipped=len(targets) - len(todo),
        resumed=round_.resumed,
        per_host_requests={host: s.requests for host, s in sorted(host_stats.items())},
        renamed=tuple(sorted(totals.renamed)),
        health_checked=totals.health_checked,
        health_failed=totals.health_failed,
        health_requests=totals.health_requests,
        health_skipped=tuple(f"{h} ({r})" for h, r in sorted(totals.health_skipped.items())),
        suspect=tuple(sorted(totals.suspect, key=lambda d: d.target)),
        repositories_held=sum(d.held for d in totals.suspect),
    )


class _Tee(Stats):
    """Counts into the crawl's totals and the host's at once."""

    def __init__(self, *targets: Stats) -> None:
        super().__init__()
        self._targets = targets

    def add_request(self) -> None:
        for target in self._targets:
            target.add_request()

    def add_not_modified(self) -> None:
        for target in self._targets:
            target.add_not_modified()

    def add_retry(self) -> None:
        for target in self._targets:
            target.add_retry()


def _fail(
    target: Target,
    reason: str,
    store: Store,
    totals: _Totals,
    notify: Callable[[CrawlEvent], None],
) -> None:
    store.mark_failed(target, reason)
    with totals.lock:
        totals.failed.append(OwnerFailure(target.key, reason))
    notify(CrawlEvent("target", target.host, target.key, ok=False))


class _HealthObserver:
    """Turns one listing's root files into health signals, reading those of the repositories
    that changed when the listing did not carry them."""

    def __init__(
        self, session: Any, forge: ForgeKind, token: str | None, store: Store, totals: _Totals
    ) -> None:
        self.session = session
        self.forge = ForgeKind(forge)
        self.store = store
        self.totals = totals
        self.token = token  # GitLab's reader authenticates itself, like python-gitlab
        #: Built at the first listing and kept: a GitLab that cannot answer GraphQL stays on
        #: REST for the rest of the run after one failed request.
        self.reader: RootFilesReader | None = None

    def observe(self, listing: Listing) -> tuple[dict[str, HealthSignals], dict[str, str]]:
        """The signals of the listing's repositories checked now, and the checks that failed."""
        target = listing.target
        urls = {repository.id: repository.repository_url for repository in listing.repositories}
        carried = {
            key: observe(root, urls[key]) for key, root in listing.root_files.items() if key in urls
        }
        self._count(checked=len(carried))
        # What the listing did not carry (all of it over REST; on GitHub's GraphQL, the
        # repositories listed without their publiccode.yml text) is read now if due.
        rest = [r for r in listing.repositories if r.id not in carried]
        if not rest:
            return carried, {}
        if self.forge is ForgeKind.GITHUB and not self.token:  # listed over REST, no GraphQL
            with self.totals.lock:
                self.totals.health_skipped.setdefault(
                    target.host, "jeton nécessaire pour relever les signaux de santé"
                )
            return carried, {}
        todo = due(rest, self.store.stored_health(target), force=False)
        if self.reader is None:
            self.reader = make_root_reader(self.forge, self.session, target.api_url, self.token)
        reader = self.reader
        before = reader.requests
        signals: dict[str, HealthSignals] = dict(carried)
        errors: dict[str, str] = {}
        try:
            for repository, outcome in reader.read(todo):
                if isinstance(outcome, RootFiles):
                    signals[repository.id] = observe(outcome, repository.repository_url)
                else:
                    errors[repository.id] = str(outcome)
        except RateLimited as exc:  # keep the listing; the rest is due at the next crawl
            with self.totals.lock:
                self.totals.health_skipped.setdefault(
                    target.host,
                    f"limite de requêtes atteinte, réinitialisation à {_reset_text(exc.reset_at)}",
                )
        except CrawlerError as exc:  # retries exhausted: every unchecked one is retried later
            for repository in todo:
                if repository.id not in signals:
                    errors.setdefault(repository.id, str(exc))
        self._count(
            checked=len(signals) - len(carried),
            failed=len(errors),
            requests=reader.requests - before,
        )
        return signals, errors

    def _count(self, *, checked: int = 0, failed: int = 0, requests: int = 0) -> None:
        with self.totals.lock:
            self.totals.health_checked += checked
            self.totals.health_failed += failed
            self.totals.health_requests += requests


def _crawl_one(
    crawler: object,
    target: Target,
    store: Store,
    totals: _Totals,
    notify: Callable[[CrawlEvent], None],
    observer: _HealthObserver | None = None,
    *,
    confirm_drops: bool = False,
) -> None:
    with totals.lock:
        deferred = totals.deferred.get(target.host)
    if deferred is not None:
        _fail(target, deferred, store, totals, notify)
        return
    try:
        listing = crawler.crawl(target, store.known(target))  # type: ignore[attr-defined]
    except RateLimited as exc:
        reason = (
            f"forge {target.host} reportée : limite de requêtes atteinte, "
            f"réinitialisation à {_reset_text(exc.reset_at)}"
        )
        with totals.lock:
            totals.deferred.setdefault(target.host, reason)
        _fail(target, reason, store, totals, notify)
        return
    except CrawlerError as exc:
        _fail(target, str(exc), store, totals, notify)
        return
    except StoreError:
        raise
    except Exception as exc:  # an adapter bug must not stop the other targets
        _fail(
            target,
            f"erreur inattendue du moissonneur ({type(exc).__name__}) : signalez-la",
            store,
            totals,
            notify,
        )
        return
    health: dict[str, HealthSignals] = {}
    health_errors: dict[str, str] = {}
    if observer is not None:
        try:
            health, health_errors = observer.observe(listing)
        except StoreError:
            raise
        except Exception as exc:  # a health bug must never cost the listing itself
            reason = f"erreur inattendue des signaux de santé ({type(exc).__name__})"
            health_errors = {repository.id: reason for repository in listing.repositories}
    counts = store.save_listing(
        listing, health=health, health_errors=health_errors, confirm_drops=confirm_drops
    )
    with totals.lock:
        if counts.held:
            totals.suspect.append(SuspectDrop(target.key, counts.before, counts.held))
        totals.ok += 1
        totals.new += counts.new
        totals.updated += counts.updated
        totals.gone += counts.gone
        if listing.renamed_to:
            totals.renamed.append((target.key, listing.renamed_to))
    notify(CrawlEvent("target", target.host, target.key, ok=True))
