"""The exception hierarchy of the crawler layer (French, one-line messages)."""

from __future__ import annotations


class CrawlerError(Exception):
    """Base class of every crawler error; ``str(error)`` is shown to users."""


class ForgeUnavailable(CrawlerError):
    """The forge did not answer usefully after the bounded retries (timeouts, 5xx...)."""


class RateLimited(CrawlerError):
    """The forge's rate limit resets too far in the future: the forge is deferred.

    ``reset_at`` is a POSIX timestamp when known.
    """

    def __init__(self, message: str, reset_at: float | None = None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class OwnerNotFound(CrawlerError):
    """The owner (organisation, group or user) does not exist (404)."""


class OwnerMoved(CrawlerError):
    """The owner was renamed (301 or a new login); ``new_name`` is where it lives now."""

    def __init__(self, message: str, new_name: str) -> None:
        super().__init__(message)
        self.new_name = new_name


class MalformedResponse(CrawlerError):
    """The forge answered something that is not the documented JSON (truncated, loop...)."""


class ResponseTooLarge(CrawlerError):
    """An answer bigger than the size cap of :class:`crawlers.http.HttpPolicy`: not read."""


class DeadlineExceeded(ForgeUnavailable):
    """An answer not complete within the total deadline of one attempt (trickling server)."""


class HostBudgetExhausted(CrawlerError):
    """The host's time budget is spent (:class:`crawlers.budget.HostBudget`)."""
