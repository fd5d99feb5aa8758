"""A total deadline for each HTTP attempt: headers and body together, on the wall clock.

A read timeout bounds each wait for bytes, not the whole answer: a server that sends one byte
per second never trips it. Here one watchdog thread per process (not one per request) keeps
the pending deadlines in a heap; when one passes, it shuts down the socket of that attempt, so
the blocked read returns at once and urllib3 reports a broken answer, which the HTTP layer
(:mod:`crawlers.http`) turns into « délai total dépassé ».

The socket reaches the watch through the connection classes that :func:`mount` installs in a
urllib3 pool manager (its documented ``pool_classes_by_scheme`` hook): just before reading the
answer's headers, the connection hands its socket to the watch armed by :func:`deadline` in the
same thread. Connecting is bounded by the connection timeout, which the caller keeps below the
deadline.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager


class Watch:
    """One attempt's deadline; ``fired`` once it has passed (and the socket was shut down)."""

    def __init__(self, at: float) -> None:
        self.at = at
        self.fired = False
        self.done = False
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            if self.fired:
                _shut(sock)
            else:
                self._socket = sock

    def fire(self) -> None:
        with self._lock:
            if self.done:
                return
            self.fired = True
            if self._socket is not None:
                _shut(self._socket)

    def finish(self) -> None:
        with self._lock:
            self.done = True
            self._socket = None


def _shut(sock: socket.socket) -> None:
    # The base class's shutdown, also for TLS sockets: SSLSocket.shutdown would drop the TLS
    # object under the thread that is reading with it.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """The process's one thread that fires the watches whose deadline has passed."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Watch]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float) -> Watch:
        watch = Watch(time.monotonic() + seconds)
        with self._wake:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="inventory-http-deadlines", daemon=True
                )
                self._thread.start()
            earliest = self._heap[0][0] if self._heap else None
            heapq.heappush(self._heap, (watch.at, next(self._order), watch))
            if earliest is None or watch.at < earliest:
                self._wake.notify()
        return watch

    def _run(self) -> None:
        with self._wake:
            while True:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._wake.wait()
                    continue
                at, _, watch = self._heap[0]
                left = at - time.monotonic()
                if left > 0:
                    self._wake.wait(left)
                    continue
                heapq.heappop(self._heap)
                watch.fire()


_WATCHDOG = _Watchdog()
_CURRENT = threading.local()


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[Watch]:
    """Arm a deadline for the HTTP attempt made in this block, by this thread."""
    watch = _WATCHDOG.arm(seconds)
    _CURRENT.watch = watch
    try:
        yield watch
    finally:
        _CURRENT.watch = None
        watch.finish()


def _hand_over(connection: Any) -> None:
    watch: Watch | None = getattr(_CURRENT, "watch", None)
    sock = getattr(connection, "sock", None)
    if watch is not None and sock is not None:
        watch.attach(sock)


class _Connection(HTTPConnection):
    def getresponse(self) -> Any:  # type: ignore[override]
        _hand_over(self)
        return super().getresponse()


class _TlsConnection(HTTPSConnection):
    def getresponse(self) -> Any:  # type: ignore[override]
        _hand_over(self)
        return super().getresponse()


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TlsPool(HTTPSConnectionPool):
    ConnectionCls = _TlsConnection


def mount(manager: PoolManager) -> None:
    """Make the connections of ``manager`` answer to the deadlines armed by :func:`deadline`."""
    manager.pool_classes_by_scheme = {"http": _Pool, "https": _TlsPool}  # type: ignore[assignment]
