"""A reusable forge emulator on pytest-httpserver (loopback only, threaded).

One :class:`Emulator` wraps one real HTTP server on 127.0.0.1. Forge emulators
(``tests/emulator/github.py``, ``gitlab.py``, ``gitea.py``) register routes on it, each under
its own path prefix, so several forges can share one server (``--api-url HOST=URL`` points
each host at its prefix).

API (used by every forge emulator and by the tests)::

    emu = Emulator(server)                       # server: a started pytest_httpserver.HTTPServer
    emu.url                                      # "http://127.0.0.1:PORT"
    emu.route("GET", r"/gh/users/(?P<login>[^/]+)", handler)
        # handler(request: werkzeug.Request, match: re.Match) -> werkzeug.Response
        # the path regex is matched with re.fullmatch against the path (no query string);
        # routes are tried in registration order; no route -> 404 JSON.
    emu.json(request, payload, status=200, headers=None)
        # JSON response with a strong ETag (sha1 of the body) and 304 when the request's
        # If-None-Match matches (the 304 carries the ETag and ``headers``, no body).
    emu.paginate(request, items, max_per_page=100, default_per_page=30,
                 page_param="page", per_page_param="per_page", headers=None)
        # one page of ``items`` (JSON list) with an RFC 5988 Link header (first/prev/next/
        # last), honouring a server cap on per_page like real forges do.
    page = page_of(request, total, max_per_page=..., default_per_page=...)  # PageInfo
    link_header(request, page)                   # the Link value for a PageInfo
    emu.fault(path_regex, kind, times=1, method="GET", query=None, **params) -> Fault
        # the next ``times`` matching requests (None: all) get the fault instead of (or on
        # top of) the normal answer. ``query`` ({"page": "2"}) restricts to those args.
        # kinds (see FAULT_KINDS): "status" (status=500|502|503...), "rate_limit" (429 +
        # Retry-After: retry_after=1), "secondary" (GitHub 403 secondary rate limit, body +
        # Retry-After: retry_after=1), "exhausted" (rate limit exhausted: status=403,
        # reset_in=3600 s; GitHub X-RateLimit-* headers, plus RateLimit-Reset for GitLab),
        # "timeout" (sleeps delay=1.0 s, then answers normally: give the client a shorter
        # timeout), "truncated" (the normal body cut in half, still a 200), "not_found"
        # (404 JSON), "redirect" (301 to location="/other/path", made absolute), "trickle"
        # (the normal answer, its body sent one byte every interval=1.0 s), "endless" (a list
        # endpoint whose every page is the first one with fresh ids, page_param="page",
        # and a Link rel="next" to the following page, for ever; the paging headers
        # declaring the total are those of the first page).
    emu.latency = 0.01                           # simulated latency per request (benchmarks)
    emu.max_in_flight("/gh")                     # most requests served at once under a
                                                 # first path segment ("" = the whole server)
    emu.wait_idle(timeout=10)                    # until no request is being served
    emu.requests(path_regex=None, method=None, status=None) -> list[LoggedRequest]
    emu.count(path_regex=None, method=None, status=None) -> int
    emu.clear_log()

Every request is logged (method, path, query, headers, status answered) before the answer
is sent, so tests count requests by kind and check that no secret header is misused.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

Handler = Callable[[Request, re.Match[str]], Response]

FAULT_KINDS = (
    "status",
    "rate_limit",
    "secondary",
    "exhausted",
    "timeout",
    "truncated",
    "not_found",
    "redirect",
    "trickle",
    "endless",
)

GITHUB_SECONDARY_BODY = {
    "message": (
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
        "again. If you reach out to GitHub Support for help, please include the request ID."
    ),
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
}


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    status: int


@dataclass
class Fault:
    path: re.Pattern[str]
    kind: str
    times: int | None
    method: str
    query: Mapping[str, str]
    params: dict[str, Any]
    hits: int = 0

    def matches(self, request: Request) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if request.method != self.method or not self.path.fullmatch(request.path):
            return False
        return all(request.args.get(k) == v for k, v in self.query.items())


@dataclass(frozen=True)
class PageInfo:
    page: int
    per_page: int
    total: int
    start: int
    end: int

    @property
    def last_page(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def page_of(
    request: Request,
    total: int,
    *,
    max_per_page: int = 100,
    default_per_page: int = 30,
    page_param: str = "page",
    per_page_param: str = "per_page",
) -> PageInfo:
    """Which slice of ``total`` items the request asks for, with the server cap applied."""
    try:
        page = max(1, int(request.args.get(page_param, "1")))
    except ValueError:
        page = 1
    try:
        per_page = int(request.args.get(per_page_param, str(default_per_page)))
    except ValueError:
        per_page = default_per_page
    per_page = max(1, min(per_page, max_per_page))
    start = min(total, (page - 1) * per_page)
    return PageInfo(page, per_page, total, start, min(total, start + per_page))


def page_url(request: Request, page: int, page_param: str = "page") -> str:
    args = dict(request.args.items())
    args[page_param] = str(page)
    return f"{request.host_url.rstrip('/')}{request.path}?{urllib.parse.urlencode(args)}"


def link_header(request: Request, info: PageInfo, page_param: str = "page") -> str:
    """An RFC 5988 Link value as GitHub sends it (next/last, then first/prev when relevant)."""
    links = []
    if info.page < info.last_page:
        links.append(f'<{page_url(request, info.page + 1, page_param)}>; rel="next"')
        links.append(f'<{page_url(request, info.last_page, page_param)}>; rel="last"')
    if info.page > 1:
        links.append(f'<{page_url(request, 1, page_param)}>; rel="first"')
        links.append(f'<{page_url(request, info.page - 1, page_param)}>; rel="prev"')
    return ", ".join(links)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'


@dataclass
class _Route:
    method: str
    path: re.Pattern[str]
    handler: Handler


@dataclass
class Emulator:
    server: HTTPServer
    latency: float = 0.0
    _routes: list[_Route] = field(default_factory=list)
    _faults: list[Fault] = field(default_factory=list)
    _log: list[LoggedRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _in_flight: dict[str, int] = field(default_factory=dict)
    _max_in_flight: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.server.expect_request(re.compile(".*")).respond_with_handler(self._dispatch)

    @property
    def url(self) -> str:
        return self.server.url_for("/").rstrip("/")

    # -- routes ------------------------------------------------------------------------------

    def route(self, method: str, path_regex: str, handler: Handler) -> None:
        self._routes.append(_Route(method.upper(), re.compile(path_regex), handler))

    def fault(
        self,
        path_regex: str,
        kind: str,
        *,
        times: int | None = 1,
        method: str = "GET",
        query: Mapping[str, str] | None = None,
        **params: Any,
    ) -> Fault:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
        fault = Fault(re.compile(path_regex), kind, times, method.upper(), query or {}, params)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    # -- log -------------------------------------------------------------------------------

    def requests(
        self, path_regex: str | None = None, method: str | None = None, status: int | None = None
    ) -> list[LoggedRequest]:
        pattern = re.compile(path_regex) if path_regex else None
        with self._lock:
            log = list(self._log)
        return [
            entry
            for entry in log
            if (pattern is None or pattern.fullmatch(entry.path))
            and (method is None or entry.method == method.upper())
            and (status is None or entry.status == status)
        ]

    def count(
        self, path_regex: str | None = None, method: str | None = None, status: int | None = None
    ) -> int:
        return len(self.requests(path_regex, method, status))

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()
            self._max_in_flight.clear()

    def max_in_flight(self, prefix: str = "") -> int:
        """Most requests served at once under ``prefix`` (a first path segment, or all)."""
        with self._lock:
            return self._max_in_flight.get(prefix.rstrip("/"), 0)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until no request is being served (e.g. a killed client's last one)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                busy = self._in_flight.get("", 0)
            if not busy:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{busy} requête(s) toujours en cours après {timeout} s")
            time.sleep(0.01)

    def _enter(self, keys: tuple[str, ...], delta: int) -> None:
        with self._lock:
            for key in keys:
                self._in_flight[key] = self._in_flight.get(key, 0) + delta
                if delta > 0:
                    self._max_in_flight[key] = max(
                        self._max_in_flight.get(key, 0), self._in_flight[key]
                    )

    # -- responses -------------------------------------------------------------------------

    def json(
        self,
        request: Request,
        payload: Any,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        out_headers = dict(headers or {})
        if status == 200:
            etag = etag_of(body)
            out_headers["ETag"] = etag
            if request.headers.get("If-None-Match") == etag:
                return Response(b"", status=304, headers=out_headers)
        return Response(
            body, status=status, headers=out_headers, content_type="application/json; charset=utf-8"
        )

    def paginate(
        self,
        request: Request,
        items: Sequence[Any],
        *,
        max_per_page: int = 100,
        default_per_page: int = 30,
        page_param: str = "page",
        per_page_param: str = "per_page",
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        info = page_of(
            request,
            len(items),
            max_per_page=max_per_page,
            default_per_page=default_per_page,
            page_param=page_param,
            per_page_param=per_page_param,
        )
        out_headers = dict(headers or {})
        link = link_header(request, info, page_param)
        if link:
            out_headers["Link"] = link
        return self.json(request, list(items[info.start : info.end]), headers=out_headers)

    # -- dispatch --------------------------------------------------------------------------

    def _take_fault(self, request: Request) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(request):
                    fault.hits += 1
                    return fault
        return None

    def _normal(self, request: Request) -> Response:
        for route in self._routes:
            if route.method != request.method:
                continue
            match = route.path.fullmatch(request.path)
            if match:
                return route.handler(request, match)
        return self.json(
            request,
            {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
            status=404,
        )

    def _faulty(self, request: Request, fault: Fault) -> Response:
        p = fault.params
        kind = fault.kind
        if kind == "status":
            headers = {}
            if "retry_after" in p:
                headers["Retry-After"] = str(p["retry_after"])
            return Response(
                b'{"message": "Server Error"}',
                status=int(p.get("status", 500)),
                headers=headers,
                content_type="application/json",
            )
        if kind == "rate_limit":
            return Response(
                b'{"message": "Too Many Requests"}',
                status=429,
                headers={"Retry-After": str(p.get("retry_after", 1))},
                content_type="application/json",
            )
        if kind == "secondary":
            return Response(
                json.dumps(GITHUB_SECONDARY_BODY).encode(),
                status=403,
                headers={
                    "Retry-After": str(p.get("retry_after", 1)),
                    "X-RateLimit-Limit": "5000",
                    "X-RateLimit-Remaining": "4000",
                },
                content_type="application/json",
            )
        if kind == "exhausted":
            reset_in = float(p.get("reset_in", 3600))
            reset = int(time.time() + reset_in)
            return Response(
                b'{"message": "API rate limit exceeded for 127.0.0.1.", '
                b'"documentation_url": "https://docs.github.com/rest/rate-limit"}',
                status=int(p.get("status", 403)),
                headers={
                    "X-RateLimit-Limit": "60",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": str(reset),
                    "RateLimit-Reset": str(reset),
                },
                content_type="application/json",
            )
        if kind == "timeout":
            time.sleep(float(p.get("delay", 1.0)))
            return self._normal(request)
        if kind == "truncated":
            response = self._normal(request)
            body = response.get_data()
            return Response(
                body[: max(1, len(body) // 2)],
                status=200,
                headers={
                    k: v for k, v in response.headers.items() if k.lower() != "content-length"
                },
            )
        if kind == "not_found":
            return Response(
                b'{"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}',
                status=404,
                content_type="application/json",
            )
        if kind == "redirect":
            location = str(p["location"])
            if location.startswith("/"):
                location = self.url + location
            return Response(
                json.dumps({"message": "Moved Permanently", "url": location}).encode(),
                status=301,
                headers={"Location": location},
                content_type="application/json",
            )
        if kind == "trickle":
            return self._trickled(self._normal(request), float(p.get("interval", 1.0)))
        if kind == "endless":
            return self._endless(request, str(p.get("page_param", "page")))
        raise AssertionError(kind)  # pragma: no cover - checked in fault()

    @staticmethod
    def _trickled(response: Response, interval: float) -> Response:
        body = response.get_data()

        def slowly() -> Any:
            for index in range(len(body)):
                yield body[index : index + 1]
                time.sleep(interval)

        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return Response(slowly(), status=response.status_code, headers=headers)

    def _endless(self, request: Request, page_param: str) -> Response:
        page = int(request.args.get(page_param, "1") or 1)
        args = request.args.to_dict()
        args[page_param] = "1"
        environ = dict(request.environ)
        environ["QUERY_STRING"] = urllib.parse.urlencode(args)
        first = self._normal(Request(environ))
        payload = json.loads(first.get_data())
        items = payload["data"] if isinstance(payload, dict) else payload
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), int):
                item["id"] += page * 1_000_000
        args[page_param] = str(page + 1)
        following = f"{self.url}{request.path}?{urllib.parse.urlencode(args)}"
        headers = {
            k: v
            for k, v in first.headers.items()
            if k.lower() not in {"content-length", "etag", "link"}
        }
        headers["Link"] = f'<{following}>; rel="next"'
        return Response(json.dumps(payload), status=200, headers=headers)

    def _dispatch(self, request: Request) -> Response:
        segment = "/" + request.path.lstrip("/").split("/", 1)[0]
        keys = ("", segment)
        self._enter(keys, 1)
        try:
            if self.latency:
                time.sleep(self.latency)
            fault = self._take_fault(request)
            response = self._faulty(request, fault) if fault else self._normal(request)
            entry = LoggedRequest(
                method=request.method,
                path=request.path,
                query=dict(request.args.items()),
                headers=dict(request.headers.items()),
                status=response.status_code,
            )
            with self._lock:
                self._log.append(entry)
            return response
        finally:
            # Leaves "in flight" only once logged: wait_idle() then sees a complete log.
            self._enter(keys, -1)
