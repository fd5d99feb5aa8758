"""Wall-clock time of each step of a build, to show where the time goes."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator


class Phases:
    """``(label, seconds)`` of each step, in the order they were recorded."""

    def __init__(self) -> None:
        self._entries: list[tuple[str, float]] = []

    @contextlib.contextmanager
    def __call__(self, label: str) -> Iterator[None]:
        """Time the ``with`` block under ``label`` (also when it raises)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(label, time.perf_counter() - started)

    def add(self, label: str, seconds: float) -> None:
        self._entries.append((label, seconds))

    def entries(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._entries)
