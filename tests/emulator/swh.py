"""An emulator of the Software Heritage web API (``/api/1``) on the shared forge emulator.

Serves ``GET {prefix}/origin/<origin_url>/visit/latest/`` as the real API does: ``200`` with
the visit JSON (``origin``, ``visit``, ``date``, ``status``, ``snapshot``, ``type``,
``origin_url``, ``snapshot_url``) for an archived origin, ``404`` with Software Heritage's
error body (``exception``/``reason``) for an unknown origin or one never visited with a
snapshot when ``require_snapshot=true``. Every answer carries ``X-RateLimit-Limit``,
``X-RateLimit-Remaining`` and ``X-RateLimit-Reset`` (epoch seconds), counted down per request
from :attr:`SoftwareHeritage.limit`; at 0 the API answers ``429`` until the reset.

Faults come from :meth:`tests.emulator.core.Emulator.fault` on :meth:`path` (5xx,
``rate_limit``, ``truncated``...).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

from werkzeug import Request, Response

from tests.emulator.core import Emulator

PREFIX = "/swh/api/1"


@dataclass
class SoftwareHeritage:
    emulator: Emulator
    prefix: str = PREFIX
    #: origin URL -> (visit date, status); an origin without a snapshot maps to None.
    origins: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    limit: int = 120
    reset_in: float = 3600.0
    remaining: int = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.remaining = self.limit
        self.reset_at = int(time.time() + self.reset_in)
        self.emulator.route(
            "GET", re.escape(self.prefix) + r"/origin/(?P<origin>.+)/visit/latest/", self._latest
        )

    @property
    def api_url(self) -> str:
        return self.emulator.url + self.prefix

    def path(self, origin: str = ".+") -> str:
        """Regex of the visit/latest path (of one origin, or all) for faults and counts."""
        origin = origin if origin == ".+" else re.escape(origin)
        return re.escape(self.prefix) + "/origin/" + origin + "/visit/latest/"

    def refill(self) -> None:
        """The rate-limit window resets (tests call it from a fake sleep)."""
        with self._lock:
            self.remaining = self.limit
            self.reset_at = int(time.time() + self.reset_in)

    def archive(self, origin: str, date: str = "2026-10-01T08:30:00.123456+00:00") -> None:
        self.origins[origin] = (date, "full")

    def _headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.remaining)),
            "X-RateLimit-Reset": str(self.reset_at),
        }

    def _latest(self, request: Request, match: re.Match[str]) -> Response:
        origin = match.group("origin")
        with self._lock:
            if self.remaining <= 0:
                return self.emulator.json(
                    request,
                    {"exception": "Throttled", "reason": "Request was throttled."},
                    status=429,
                    headers={**self._headers(), "Retry-After": str(int(self.reset_in))},
                )
            self.remaining -= 1
            headers = self._headers()
        known = self.origins.get(origin, False)
        require_snapshot = request.args.get("require_snapshot") == "true"
        if known is False or (known is None and require_snapshot):
            return self.emulator.json(
                request,
                {"exception": "NotFoundExc", "reason": f"No visit for origin {origin} found"},
                status=404,
                headers=headers,
            )
        date, status = known or ("2026-01-01T00:00:00+00:00", "partial")
        snapshot = "1a8893e6a86f444e8be8e7bda6cb34fb1735a00e"
        payload = {
            "origin": origin,
            "visit": 3,
            "date": date,
            "status": status,
            "snapshot": snapshot,
            "type": "git",
            "metadata": {},
            "origin_url": f"{self.api_url}/origin/{origin}/get/",
            "snapshot_url": f"{self.api_url}/snapshot/{snapshot}/",
        }
        return self.emulator.json(request, payload, headers=headers)
