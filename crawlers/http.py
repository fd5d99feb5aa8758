"""The one HTTP layer shared by every forge client (PyGithub, python-gitlab, the Gitea client).

:func:`make_session` returns a :class:`requests.Session` whose transport adapter

* revalidates GET requests with ``If-None-Match`` from an :class:`EtagStore`; a ``304`` is
  turned into a synthesised ``200`` carrying the cached body and paging headers (plus the
  header ``X-Inventory-Cache: revalidated``) so that clients see an ordinary answer;
* stores ``ETag`` + body (zlib-compressed by the store) of every ``200`` GET with an ETag;
* retries, with tenacity, connection errors, timeouts, ``5xx``, ``429`` and GitHub's ``403``
  secondary rate limits, honouring ``Retry-After``, ``X-RateLimit-Remaining: 0`` with
  ``X-RateLimit-Reset`` (epoch) and GitLab's ``RateLimit-Reset`` (seconds or epoch), with a
  bounded exponential back-off otherwise; a wait longer than :attr:`HttpPolicy.max_wait`
  raises :class:`crawlers.errors.RateLimited` (the forge is deferred) and exhausted retries
  raise :class:`crawlers.errors.ForgeUnavailable`;
* counts every request sent, every 304 and every retry in a thread-safe :class:`Stats`;
* bounds every attempt: a total deadline for the whole answer (:mod:`crawlers.deadline`,
  :attr:`HttpPolicy.deadline`: a server trickling its answer is cut, not retried), a size cap
  on the body (:attr:`HttpPolicy.max_body`, decompressed size) and, when the session has
  one, the host's time budget (:mod:`crawlers.budget`), checked before each attempt.

Error messages name the URL without its query string's secrets and never any header: tokens
never leave the session.
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from crawlers import deadline
from crawlers.base import ForgeKind
from crawlers.budget import HostBudget, duration_text
from crawlers.errors import DeadlineExceeded, ForgeUnavailable, RateLimited, ResponseTooLarge

#: Response headers kept with a cached body, enough to replay pagination.
REPLAY_HEADERS = (
    "Link",
    "X-Next-Page",
    "X-Page",
    "X-Per-Page",
    "X-Prev-Page",
    "X-Total",
    "X-Total-Pages",
    "X-Total-Count",
    "Content-Type",
)

_REPLAY_LOWER = tuple((name, name.lower()) for name in REPLAY_HEADERS)

#: Header added to a response synthesised from the cache after a 304.
CACHE_HEADER = "X-Inventory-Cache"

USER_AGENT = "inventaire-public-crawler/0.1 (+https://code.gouv.fr)"

_SECRET_PARAMS = {"token", "access_token", "private_token", "client_secret", "sudo"}


# --------------------------------------------------------------------------------------------
# Counters and ETag cache


class Stats:
    """Thread-safe counters of one crawl: requests sent, 304 answers, retries."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests = 0
        self._not_modified = 0
        self._retries = 0

    def add_request(self) -> None:
        with self._lock:
            self._requests += 1

    def add_not_modified(self) -> None:
        with self._lock:
            self._not_modified += 1

    def add_retry(self) -> None:
        with self._lock:
            self._retries += 1

    @property
    def requests(self) -> int:
        with self._lock:
            return self._requests

    @property
    def not_modified(self) -> int:
        with self._lock:
            return self._not_modified

    @property
    def retries(self) -> int:
        with self._lock:
            return self._retries

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {
                "requests": self._requests,
                "not_modified": self._not_modified,
                "retries": self._retries,
            }


@dataclass(frozen=True)
class CachedResponse:
    """What is kept of a ``200`` GET to replay it after a ``304``."""

    etag: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


class EtagStore(Protocol):
    """Where ETags and bodies live between crawls (the SQLite store implements it)."""

    def get_etag(self, url: str) -> CachedResponse | None: ...

    def put_etag(self, url: str, cached: CachedResponse) -> None: ...


class MemoryEtagStore:
    """An in-memory :class:`EtagStore` (tests, benchmarks, one-off runs)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, CachedResponse] = {}

    def get_etag(self, url: str) -> CachedResponse | None:
        with self._lock:
            return self._data.get(url)

    def put_etag(self, url: str, cached: CachedResponse) -> None:
        with self._lock:
            self._data[url] = cached

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


# --------------------------------------------------------------------------------------------
# Policy, tokens, API roots


MIB = 1024 * 1024


@dataclass(frozen=True)
class HttpPolicy:
    """Timeouts, size and time bounds, retries. ``sleep`` and ``now`` are injectable so tests
    never wait.

    ``timeout`` bounds connecting and each wait for bytes; ``deadline`` one whole attempt
    (headers and body); ``max_body`` the size of one answer; ``stall`` how long a host may
    go without a usable answer and ``host_budget`` its whole share of a crawl (None: no
    limit), see :class:`crawlers.budget.HostBudget`.
    """

    timeout: float = 20.0
    deadline: float = 60.0
    max_body: int = 50 * MIB
    max_retries: int = 5
    max_wait: float = 60.0
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    stall: float = 120.0
    host_budget: float | None = 5 * 3600.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)
    now: Callable[[], float] = field(default=time.time, compare=False, repr=False)

    @property
    def stalled_host_bound(self) -> float:
        """The longest a crawl keeps asking a host that gives no usable answer, retries
        included: the stall budget runs out, the attempt then in flight lasts at most its
        deadline (the connection timeout is below it), and one wait between attempts (at
        most ``max_wait``, back-offs included) precedes the next check, which fails. With the
        defaults: 120 + 60 + 60 s = 4 min."""
        return self.stall + max(self.deadline, self.timeout) + self.max_wait

    def budget(self, host: str) -> HostBudget:
        """A new time budget for ``host`` under this policy."""
        return HostBudget(host, stall=self.stall, total=self.host_budget)


#: Request header (removed before sending) listing server errors to answer at once instead
#: of retrying, e.g. ``"502,504"`` for a GitHub GraphQL page whose weight timed out: the
#: caller retries with a lighter query rather than the same one.
NO_RETRY_HEADER = "X-Inventory-No-Retry"

#: Server errors that no retry can cure (501: the method is not implemented there, 505: HTTP
#: version refused): answered at once to the adapter, which falls back or reports.
_PERMANENT_SERVER_ERRORS = frozenset({501, 505})


def token_env_name(host: str) -> str:
    """``INVENTORY_TOKEN_<HOST>``: the host upper-cased, non-alphanumerics as ``_``."""
    return "INVENTORY_TOKEN_" + re.sub(r"[^A-Z0-9]", "_", host.upper())


def token_for(host: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The API token for ``host`` from the environment only, or None."""
    env = os.environ if environ is None else environ
    token = env.get(token_env_name(host))
    if not token and host == "github.com":
        token = env.get("GITHUB_TOKEN")
    if not token and host == "gitlab.com":
        token = env.get("GITLAB_TOKEN")
    return token or None


def api_root(host: str, forge: ForgeKind | str, overrides: Mapping[str, str] | None = None) -> str:
    """The API root URL of a forge, ``--api-url HOST=URL`` taking precedence."""
    if overrides and host in overrides:
        return overrides[host].rstrip("/")
    kind = ForgeKind(forge)
    if kind is ForgeKind.GITHUB:
        return "https://api.github.com" if host == "github.com" else f"https://{host}/api/v3"
    if kind is ForgeKind.GITLAB:
        return f"https://{host}/api/v4"
    return f"https://{host}/api/v1"


def parse_api_overrides(values: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Parse repeated ``HOST=URL`` options; a malformed one raises ``ValueError`` (French)."""
    result: dict[str, str] = {}
    for value in values:
        host, sep, url = value.partition("=")
        host, url = host.strip(), url.strip()
        parsed = urllib.parse.urlparse(url)
        if not sep or not host or parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(
                f"--api-url attend HOTE=URL (par exemple github.com=http://127.0.0.1:8080), "
                f"reçu « {value} »"
            )
        result[host] = url.rstrip("/")
    return result


def redact_url(url: str) -> str:
    """``url`` with secret query parameters (``token``, ``private_token``...) masked."""
    parts = urllib.parse.urlsplit(url)
    if not parts.query:
        return url
    query = [
        (key, "***" if key.lower() in _SECRET_PARAMS else value)
        for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


# --------------------------------------------------------------------------------------------
# The adapter


class _Retryable(Exception):
    """One failed attempt that may be retried after ``wait`` seconds (None: back-off)."""

    def __init__(self, reason: str, wait: float | None, response: requests.Response | None):
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.response = response


def _parse_retry_after(value: str, now: float) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _reset_wait(response: requests.Response, now: float) -> float | None:
    """Seconds until the rate limit resets, from the headers, or None when not told."""
    headers = response.headers
    retry_after = headers.get("Retry-After")
    if retry_after is not None:
        parsed = _parse_retry_after(retry_after, now)
        if parsed is not None:
            return parsed
    remaining = headers.get("X-RateLimit-Remaining")
    reset = headers.get("X-RateLimit-Reset")
    if remaining is not None and remaining.strip() == "0" and reset:
        try:
            return max(0.0, float(reset) - now) + 1.0
        except ValueError:
            pass
    reset = headers.get("RateLimit-Reset")
    if reset:
        try:
            value = float(reset)
        except ValueError:
            return None
        # GitLab sends either a delay in seconds or an epoch timestamp.
        return max(0.0, value - now) + 1.0 if value > 1_000_000_000 else value
    return None


def _is_rate_limited_403(response: requests.Response) -> bool:
    if response.status_code != 403:
        return False
    headers = response.headers
    if "Retry-After" in headers:
        return True
    if headers.get("X-RateLimit-Remaining", "").strip() == "0":
        return True
    try:
        text = response.content[:2000].decode("utf-8", "replace").lower()
    except Exception:  # pragma: no cover - content already read
        return False
    return "secondary rate limit" in text or "rate limit exceeded" in text


class ForgeAdapter(HTTPAdapter):
    """The transport of :func:`make_session`: conditional requests, retries, counting."""

    def __init__(
        self,
        *,
        stats: Stats,
        etags: EtagStore | None,
        policy: HttpPolicy,
        pool_maxsize: int = 10,
        budget: HostBudget | None = None,
    ) -> None:
        super().__init__(pool_connections=4, pool_maxsize=pool_maxsize, max_retries=0)
        self.stats = stats
        self.etags = etags
        self.policy = policy
        self.budget = budget
        # One controller for the adapter's life (its per-call state is thread-local).
        self._retrying = Retrying(
            stop=stop_after_attempt(policy.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=policy.sleep,
            before_sleep=self._before_sleep,
            reraise=True,
        )

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        deadline.mount(self.poolmanager)

    # -- one attempt -------------------------------------------------------------------------

    def _attempt(
        self,
        request: requests.PreparedRequest,
        at_once: frozenset[int] = frozenset(),
        **kwargs: Any,
    ) -> requests.Response:
        if self.budget is not None:
            self.budget.check()
        self.stats.add_request()
        with deadline.deadline(self.policy.deadline) as watch:
            try:
                response = super().send(request, stream=True, **kwargs)
                # Read the body now so that a broken transfer is retried here, not in the
                # client, and so that the deadline and the size cap cover it.
                response._content = _read_body(response, self.policy.max_body, request)
            except (requests.RequestException, OSError) as exc:
                if watch.fired:
                    raise DeadlineExceeded(
                        f"délai total de {duration_text(self.policy.deadline)} dépassé pour "
                        f"{_where(request)} : réponse abandonnée"
                    ) from None
                if isinstance(exc, requests.Timeout):
                    kind = "délai dépassé"
                elif isinstance(exc, requests.ConnectionError):
                    kind = "connexion impossible"
                else:
                    kind = "réponse illisible"
                raise _Retryable(f"{kind} pour {_where(request)}", None, None) from None
        status = response.status_code
        if status < 500 and self.budget is not None:
            self.budget.answered()
        if status < 400:  # the common case: nothing to inspect
            return response
        now = self.policy.now()
        if status == 429 or _is_rate_limited_403(response):
            wait = _reset_wait(response, now)
            if wait is not None and wait > self.policy.max_wait:
                reset_at = now + wait
                raise RateLimited(
                    f"limite de requêtes atteinte sur "
                    f"{urllib.parse.urlsplit(_where(request)).netloc} "
                    f"(réinitialisation dans {int(wait)} s) : forge reportée",
                    reset_at=reset_at,
                )
            raise _Retryable(
                f"limite de requêtes (HTTP {status}) pour {_where(request)}", wait, response
            )
        if status >= 500 and status not in _PERMANENT_SERVER_ERRORS and status not in at_once:
            wait = None
            if "Retry-After" in response.headers:
                wait = _parse_retry_after(response.headers["Retry-After"], now)
            raise _Retryable(
                f"erreur du serveur HTTP {status} pour {_where(request)}", wait, response
            )
        return response

    def _attempts(
        self,
        request: requests.PreparedRequest,
        at_once: frozenset[int] = frozenset(),
        **kwargs: Any,
    ) -> requests.Response:
        """The first attempt, then, only if it failed, tenacity's loop for the others.

        Nearly every request succeeds at once: it skips tenacity's per-call bookkeeping. A
        failed first attempt is handed to the same :class:`Retrying` as attempt number 1 (it
        is re-raised there without sending anything), so waits, counts and the stop rule are
        those of a loop that made every attempt itself.
        """
        try:
            return self._attempt(request, at_once, **kwargs)
        except _Retryable as exc:
            failed: list[_Retryable] = [exc]

        def attempt() -> requests.Response:
            if failed:
                raise failed.pop()
            return self._attempt(request, at_once, **kwargs)

        return self._retrying(attempt)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        wait = exc.wait if isinstance(exc, _Retryable) else None
        if wait is None:
            wait = self.policy.backoff_base * (2 ** (state.attempt_number - 1))
            wait = min(wait, self.policy.backoff_max)
        return min(wait, self.policy.max_wait)

    def _before_sleep(self, state: RetryCallState) -> None:
        self.stats.add_retry()

    # -- the public entry point --------------------------------------------------------------

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        is_get = (request.method or "GET").upper() == "GET"
        url = request.url or ""
        cached = None
        if is_get and self.etags is not None and "If-None-Match" not in request.headers:
            cached = self.etags.get_etag(url)
            if cached is not None:
                request.headers["If-None-Match"] = cached.etag
        marker = request.headers.pop(NO_RETRY_HEADER, None)
        at_once = frozenset(
            int(code) for code in (marker or "").split(",") if code.strip().isdigit()
        )
        try:
            response = self._attempts(
                request,
                at_once,
                timeout=self.policy.timeout,
                verify=verify,
                cert=cert,
                proxies=proxies,
            )
        except _Retryable as exc:
            raise ForgeUnavailable(
                f"{exc.reason} : abandon après {self.policy.max_retries + 1} tentatives"
            ) from None
        if cached is not None and response.status_code == 304:
            self.stats.add_not_modified()
            return _replay(response, cached)
        if is_get and self.etags is not None and response.status_code == 200:
            self._remember(url, response)
        return response

    def _remember(self, url: str, response: requests.Response) -> None:
        etag = response.headers.get("ETag")
        if not etag:
            return
        body = response.content
        if "json" in response.headers.get("Content-Type", ""):
            try:
                json.loads(body)
            except ValueError:
                return  # never cache a truncated or malformed body
        present = dict(response.headers.lower_items())  # one pass over the headers
        headers = {name: present[low] for name, low in _REPLAY_LOWER if low in present}
        assert self.etags is not None
        self.etags.put_etag(url, CachedResponse(etag=etag, body=body, headers=headers))


_CHUNK = 64 * 1024


def _read_body(response: requests.Response, cap: int, request: requests.PreparedRequest) -> bytes:
    """The whole (decompressed) body, refused past ``cap`` bytes."""

    def too_large() -> ResponseTooLarge:
        response.close()
        return ResponseTooLarge(
            f"réponse de plus de {cap // MIB or 1} Mio pour {_where(request)} : non lue "
            "(limite de taille)"
        )

    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_large()
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > cap:
            raise too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _where(request: requests.PreparedRequest) -> str:
    """The request's URL for an error message, secrets masked (built only when needed)."""
    return redact_url(request.url or "")


def _replay(not_modified: requests.Response, cached: CachedResponse) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response.reason = "OK"
    response._content = cached.body
    response._content_consumed = True  # type: ignore[attr-defined]
    headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(dict(cached.headers))
    for name in ("ETag", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        if name in not_modified.headers:
            headers[name] = not_modified.headers[name]
    headers.setdefault("ETag", cached.etag)
    headers[CACHE_HEADER] = "revalidated"
    headers["Content-Length"] = str(len(cached.body))
    response.headers = headers
    response.url = not_modified.url
    response.request = not_modified.request
    response.encoding = "utf-8"
    response.elapsed = not_modified.elapsed
    response.connection = not_modified.connection
    return response


def make_session(
    host: str,
    *,
    stats: Stats,
    etags: EtagStore | None,
    policy: HttpPolicy | None = None,
    headers: Mapping[str, str] | None = None,
    pool_maxsize: int = 10,
    budget: HostBudget | None = None,
) -> requests.Session:
    """A session for ``host`` whose every request goes through :class:`ForgeAdapter`.

    ``headers`` are sent with every request (e.g. an ``Authorization`` built from
    :func:`token_for`); they are never logged nor part of any error message. ``budget``: the
    host's time budget, shared by the sessions of its workers (none: no budget).
    """
    session = requests.Session()
    session.trust_env = False  # no .netrc credentials, no proxy surprises in tests
    session.headers["User-Agent"] = USER_AGENT
    if headers:
        session.headers.update(headers)
    adapter = ForgeAdapter(
        stats=stats,
        etags=etags,
        policy=policy or HttpPolicy(),
        pool_maxsize=pool_maxsize,
        budget=budget,
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.inventory_host = host  # type: ignore[attr-defined]
    return session
