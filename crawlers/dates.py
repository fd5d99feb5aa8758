"""Forge timestamps -> one canonical form: ISO 8601 in UTC, second precision, ``Z`` suffix."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_utc(value: object) -> str | None:
    """``2024-05-02T10:11:12.345+02:00`` -> ``2024-05-02T08:11:12Z``; None for odd input.

    A value without an offset is taken as UTC. Never raises: forges (Gogs, old GitLab)
    sometimes send empty strings or ``0001-01-01T00:00:00Z`` for "never".
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    if moment.year <= 1:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
