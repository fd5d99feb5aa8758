"""Software Heritage archival status of the crawled repositories (``inventory archive-status``).

For each repository, the Software Heritage web API is asked for the latest visit of its
origin that produced a snapshot::

    GET {api}/origin/{origin_url}/visit/latest/?require_snapshot=true

``200`` means the origin is archived (``date`` is the last visit), ``404`` that it is not
(unknown origin, or never successfully visited). The API has no batch endpoint for origins
(``POST /api/1/known/`` takes core SWHIDs only: contents, directories, revisions, releases,
snapshots), so there is one request per origin, made polite by:

* rate-limit awareness: every answer's ``X-RateLimit-Remaining``/``X-RateLimit-Reset`` is
  read; at 0 the run waits for the reset when it is near (:attr:`HttpPolicy.max_wait`) and
  otherwise stops, keeping everything already stored (the next run resumes). ``429`` and
  ``5xx`` are retried with back-off by the shared HTTP layer (:mod:`crawlers.http`), which
  honours ``Retry-After`` and ``X-RateLimit-Reset``;
* incrementality: an origin checked less than ``max_age`` days ago, whose repository did not
  change since (same ``last_update``) and whose check did not fail, is skipped unless
  ``force``; never-checked origins go first, then failed ones, then the oldest checks;
  ``limit`` caps the origins asked in one run.

The origin is the crawled ``repository_url``; for GitLab and the Gitea family, whose
Software Heritage listers record clone URLs, the same URL with ``.git`` is asked when the
first answer is ``404``.

Results are stored in the crawl database (:meth:`inventory.catalogue.store.Store.
save_archive_status`), one committed row per repository, so an interrupted run loses nothing.
The site reads them from the store's snapshot; nothing in ``inventory build`` requires them.

An API token, if any, comes from the environment only (``SWH_TOKEN``, sent as a Bearer
token) and never appears in messages or the database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import requests

from crawlers.errors import CrawlerError, RateLimited
from crawlers.http import HttpPolicy, Stats, make_session
from inventory.model import Repository

if TYPE_CHECKING:
    from inventory.catalogue.store import Store

DEFAULT_API_URL = "https://archive.softwareheritage.org/api/1"
BROWSE_URL = "https://archive.softwareheritage.org/browse/origin/"
TOKEN_ENV = "SWH_TOKEN"
DEFAULT_MAX_AGE_DAYS = 30
#: Consecutive unanswered origins after which the API is considered down for this run.
MAX_CONSECUTIVE_FAILURES = 3


_CLONE_URL_FORGES = frozenset({"gitlab", "gitea", "forgejo", "gogs"})


def browse_url(origin: str) -> str:
    """The archive's page of an origin (its visits and browsable snapshots)."""
    return f"{BROWSE_URL}?{urllib.parse.urlencode({'origin_url': origin})}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ArchiveStatus:
    """What Software Heritage said about one repository's origin."""

    repository_id: str
    origin: str
    archived: bool | None  # None: unknown (the check failed, see ``error``)
    last_visit: str | None
    visit_status: str | None
    snapshot: str | None
    checked_at: str
    repo_last_update: str | None = None
    error: str | None = None

    @property
    def browse_url(self) -> str:
        return browse_url(self.origin)


# --- the API client ------------------------------------------------------------------------


class ApiStopped(CrawlerError):
    """The run must stop now (rate limit far away, API down); what is stored stays."""


@dataclass(frozen=True)
class Visit:
    """One answer about one origin: ``found`` False is a 404 (not archived)."""

    found: bool
    date: str | None = None
    status: str | None = None
    snapshot: str | None = None


class SwhClient:
    """``visit/latest`` over one :func:`crawlers.http.make_session` session."""

    def __init__(
        self,
        api_url: str = DEFAULT_API_URL,
        *,
        policy: HttpPolicy | None = None,
        stats: Stats | None = None,
        token: str | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.policy = policy or HttpPolicy()
        self.stats = stats or Stats()
        host = urllib.parse.urlsplit(self.api_url).netloc or "archive.softwareheritage.org"
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.session = make_session(
            host, stats=self.stats, etags=None, policy=self.policy, headers=headers
        )
        self._reset_at: float | None = None

    def close(self) -> None:
        self.session.close()

    def visit_url(self, origin: str) -> str:
        quoted = urllib.parse.quote(origin, safe=":/@")
        return f"{self.api_url}/origin/{quoted}/visit/latest/?require_snapshot=true"

    def latest_visit(self, origin: str) -> Visit:
        """The latest visit with a snapshot; raises CrawlerError (French) on failure."""
        self._wait_for_budget()
        url = self.visit_url(origin)
        try:
            response = self.session.get(url)
        except RateLimited as exc:
            raise ApiStopped(f"Software Heritage : {exc}") from None
        except requests.RequestException as exc:  # pragma: no cover - the adapter wraps them
            raise CrawlerError(f"Software Heritage injoignable : {type(exc).__name__}") from None
        self._note_rate_limit(response)
        if response.status_code == 404:
            return Visit(found=False)
        if response.status_code != 200:
            raise CrawlerError(
                f"Software Heritage a répondu HTTP {response.status_code} pour {origin}"
            )
        try:
            payload = json.loads(response.content)
        except ValueError:
            raise CrawlerError(f"réponse illisible de Software Heritage pour {origin}") from None
        if not isinstance(payload, dict):
            raise CrawlerError(f"réponse inattendue de Software Heritage pour {origin}")
        date = payload.get("date")
        return Visit(
            found=True,
            date=date if isinstance(date, str) else None,
            status=payload.get("status") if isinstance(payload.get("status"), str) else None,
            snapshot=payload.get("snapshot") if isinstance(payload.get("snapshot"), str) else None,
        )

    def _note_rate_limit(self, response: requests.Response) -> None:
        """Remember when the budget resets if this answer spent the last request."""
        remaining = response.headers.get("X-RateLimit-Remaining")
        reset = response.headers.get("X-RateLimit-Reset")
        if remaining is None or remaining.strip() != "0" or not reset:
            return
        try:
            self._reset_at = float(reset)
        except ValueError:
            return

    def _wait_for_budget(self) -> None:
        """Before a request with no budget left: wait for a near reset, or stop the run."""
        if self._reset_at is None:
            return
        wait = max(0.0, self._reset_at - self.policy.now()) + 1.0
        if wait > self.policy.max_wait:
            raise ApiStopped(
                "limite de requêtes de Software Heritage atteinte (réinitialisation dans "
                f"{int(wait)} s) : relancez « inventory archive-status » plus tard"
            )
        self.policy.sleep(wait)
        self._reset_at = None


# --- one run -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunSummary:
    checked: int = 0
    archived: int = 0
    not_archived: int = 0
    failed: tuple[str, ...] = ()  # French messages, one per failed origin
    skipped: int = 0  # checked recently, unchanged
    remaining: int = 0  # due but not asked (limit reached or run stopped)
    requests: int = 0
    stopped: str | None = None  # why the run stopped early, if it did

    @property
    def complete(self) -> bool:
        return not self.failed and self.stopped is None


def origins_for(repository: Repository) -> list[str]:
    """Origin URLs to ask, in order (see the module docstring)."""
    url = repository.repository_url.strip().rstrip("/")
    candidates = [url]
    if str(repository.forge) in _CLONE_URL_FORGES and not url.endswith(".git"):
        candidates.append(url + ".git")
    return candidates


def _due_rank(
    repository: Repository, known: ArchiveStatus | None, *, force: bool, horizon: str
) -> int | None:
    """Order of a due repository (lower first), None when it can be skipped."""
    if known is None:
        return 0
    if known.error:
        return 1
    if known.repo_last_update != repository.last_update:
        return 2
    if force or known.checked_at < horizon:
        return 3
    return None


def select(
    repositories: Iterable[Repository],
    known: dict[str, ArchiveStatus],
    *,
    force: bool = False,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    now: dt.datetime | None = None,
) -> tuple[list[Repository], int]:
    """``(due repositories in asking order, number skipped)``."""
    horizon = _iso((now or _now()) - dt.timedelta(days=max_age_days))
    ranked: list[tuple[int, str, str, Repository]] = []
    skipped = 0
    for repository in repositories:
        status = known.get(repository.id)
        rank = _due_rank(repository, status, force=force, horizon=horizon)
        if rank is None:
            skipped += 1
            continue
        ranked.append((rank, status.checked_at if status else "", repository.id, repository))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked], skipped


def check_repository(
    client: SwhClient, repository: Repository, now: Callable[[], dt.datetime]
) -> ArchiveStatus:
    """Ask about each candidate origin until one is archived; CrawlerError on failure."""
    candidates = origins_for(repository)
    for origin in candidates:
        visit = client.latest_visit(origin)
        if visit.found:
            return ArchiveStatus(
                repository_id=repository.id,
                origin=origin,
                archived=True,
                last_visit=visit.date,
                visit_status=visit.status,
                snapshot=visit.snapshot,
                checked_at=_iso(now()),
                repo_last_update=repository.last_update,
            )
    return ArchiveStatus(
        repository_id=repository.id,
        origin=candidates[0],
        archived=False,
        last_visit=None,
        visit_status=None,
        snapshot=None,
        checked_at=_iso(now()),
        repo_last_update=repository.last_update,
    )


@dataclass
class _Tally:
    checked: int = 0
    archived: int = 0
    not_archived: int = 0
    failed: list[str] = field(default_factory=list)


def run(
    repositories: Sequence[Repository],
    store: Store,
    client: SwhClient,
    *,
    force: bool = False,
    limit: int | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    now: Callable[[], dt.datetime] = _now,
    progress: Callable[[int, int], None] | None = None,
) -> RunSummary:
    """Check the due repositories (see :func:`select`), storing each answer as it comes."""
    due, skipped = select(
        repositories, store.archive_statuses(), force=force, max_age_days=max_age_days, now=now()
    )
    batch = due if limit is None else due[: max(0, limit)]
    tally = _Tally()
    stopped = None
    consecutive = 0
    done = 0
    for repository in batch:
        try:
            status = check_repository(client, repository, now)
        except ApiStopped as exc:
            stopped = str(exc)
            break
        except CrawlerError as exc:
            message = str(exc)
            tally.failed.append(message)
            store.save_archive_status(
                ArchiveStatus(
                    repository_id=repository.id,
                    origin=origins_for(repository)[0],
                    archived=None,
                    last_visit=None,
                    visit_status=None,
                    snapshot=None,
                    checked_at=_iso(now()),
                    repo_last_update=repository.last_update,
                    error=message,
                )
            )
            done += 1
            consecutive += 1
            if consecutive >= MAX_CONSECUTIVE_FAILURES:
                stopped = (
                    f"Software Heritage n'a pas répondu pour {consecutive} dépôts de suite : "
                    "arrêt, relancez plus tard"
                )
                break
            continue
        consecutive = 0
        store.save_archive_status(status)
        done += 1
        tally.checked += 1
        if status.archived:
            tally.archived += 1
        else:
            tally.not_archived += 1
        if progress is not None:
            progress(done, len(batch))
    return RunSummary(
        checked=tally.checked,
        archived=tally.archived,
        not_archived=tally.not_archived,
        failed=tuple(tally.failed),
        skipped=skipped,
        remaining=len(due) - done,
        requests=client.stats.requests,
        stopped=stopped,
    )


def token_from_env(environ: dict[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    return env.get(TOKEN_ENV) or None
