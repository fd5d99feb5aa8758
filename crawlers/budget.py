"""The time budget of one host's crawl, shared by every worker of that host.

Two limits, checked before every attempt (:class:`crawlers.http.ForgeAdapter`):

* ``stall``: the longest the host may go without one usable answer (any answer but a server
  error; a rate limit is an answer). A forge that only times out, trickles or fails stops
  being asked after that, whatever its number of owners;
* ``total``: the host's whole share of the run (None: no limit), so that a scheduled crawl
  ends in time to publish.

Once a limit is passed the budget stays exhausted: every later attempt on the host raises
:class:`crawlers.errors.HostBudgetExhausted`, whose French reason the orchestrator records for
the owner in progress and for every owner not yet crawled (their last known repositories are
kept), while the other hosts go on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from crawlers.errors import HostBudgetExhausted


def duration_text(seconds: float) -> str:
    """« 2 min », « 90 s »: a duration as a French reader expects it."""
    if seconds >= 120 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    if seconds >= 120:
        return f"{seconds / 60:.1f} min".replace(".", ",")
    return f"{seconds:g} s".replace(".", ",")


class HostBudget:
    """Time left to crawl one host; thread-safe."""

    def __init__(
        self,
        host: str,
        *,
        stall: float | None,
        total: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.host = host
        self.stall = stall
        self.total = total
        self._clock = clock
        self._started = self._last_answer = clock()
        self._reason: str | None = None
        self._lock = threading.Lock()

    def answered(self) -> None:
        """The host gave a usable answer: the stall clock starts again."""
        self._last_answer = self._clock()

    @property
    def reason(self) -> str | None:
        """Why the budget is exhausted (French), or None while time is left."""
        with self._lock:
            if self._reason is None:
                now = self._clock()
                if self.total is not None and now - self._started > self.total:
                    self._reason = f"({duration_text(self.total)} au plus pour cet hôte)"
                elif self.stall is not None and now - self._last_answer > self.stall:
                    self._reason = (
                        f"(aucune réponse exploitable depuis {duration_text(self.stall)})"
                    )
            if self._reason is None:
                return None
            return (
                f"budget de temps de l'hôte {self.host} épuisé {self._reason} : compte non "
                "moissonné, ses derniers dépôts connus sont conservés"
            )

    def check(self) -> None:
        """Raise :class:`HostBudgetExhausted` once the budget is spent."""
        reason = self.reason
        if reason is not None:
            raise HostBudgetExhausted(reason)
