"""The HTTP layer's bounds: total deadline per attempt, body size cap, host time budget.

A tiny raw-socket server trickles whole answers (status line and headers included), which
no WSGI server can do; the size cap is checked against the forge emulator.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from werkzeug import Response

from crawlers.budget import HostBudget, duration_text
from crawlers.errors import DeadlineExceeded, HostBudgetExhausted, ResponseTooLarge
from crawlers.http import MIB, HttpPolicy, Stats, make_session
from tests.emulator.core import Emulator

ANSWER = (
    b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"ok": "oui"}'
)


@contextlib.contextmanager
def trickling_server(*, head_at_once: bool, interval: float = 0.05) -> Iterator[str]:
    """A server answering every request with :data:`ANSWER`, one byte per ``interval`` (the
    status line and headers at once when ``head_at_once``)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve(connection: socket.socket) -> None:
        with connection, contextlib.suppress(OSError):
            connection.recv(65536)
            head, body = ANSWER.split(b"\r\n\r\n", 1)
            start = head + b"\r\n\r\n" if head_at_once else b""
            rest = body if head_at_once else ANSWER
            connection.sendall(start)
            for index in range(len(rest)):
                if stop.is_set():
                    return
                connection.sendall(rest[index : index + 1])
                time.sleep(interval)

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()


def session_with(policy: HttpPolicy, **kwargs) -> requests.Session:
    return make_session("forge.example", stats=Stats(), etags=None, policy=policy, **kwargs)


FAST = HttpPolicy(timeout=5.0, deadline=0.4, max_retries=2, sleep=lambda seconds: None)


@pytest.mark.parametrize("head_at_once", [False, True], ids=["en-tetes", "corps"])
def test_trickling_answer_is_cut_at_the_deadline(head_at_once: bool):
    # One byte every 0.05 s: each read is far below the 5 s read timeout, the whole answer
    # would take 4 s (head and body) or 0.65 s (body alone) against a 0.4 s deadline.
    with trickling_server(head_at_once=head_at_once) as url:
        session = session_with(FAST)
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded, match="délai total de 0,4 s dépassé"):
            session.get(url + "/orgs/mairie/repos")
        elapsed = time.monotonic() - started
    assert elapsed < 0.4 + 1.0  # cut once, not retried
    assert session.adapters["http://"].stats.requests == 1  # type: ignore[attr-defined]


def test_a_slow_but_complete_answer_within_the_deadline_is_read():
    with trickling_server(head_at_once=True, interval=0.01) as url:
        policy = HttpPolicy(timeout=5.0, deadline=2.0, sleep=lambda seconds: None)
        assert session_with(policy).get(url).json() == {"ok": "oui"}


def test_kept_alive_connections_outlive_their_attempts_deadline(emulator: Emulator):
    emulator.route("GET", "/petit", lambda request, match: emulator.json(request, {"n": 1}))
    session = session_with(HttpPolicy(timeout=5.0, deadline=0.3, sleep=lambda seconds: None))
    for _ in range(3):  # the same connection, idle past the previous attempt's deadline
        assert session.get(emulator.url + "/petit").json() == {"n": 1}
        time.sleep(0.4)


def test_body_over_the_size_cap_is_refused(emulator: Emulator):
    big = {"data": "x" * (2 * MIB)}
    emulator.route("GET", "/gros", lambda request, match: emulator.json(request, big))
    policy = HttpPolicy(timeout=5.0, max_body=MIB, sleep=lambda seconds: None)
    with pytest.raises(ResponseTooLarge, match=r"réponse de plus de 1 Mio .* \(limite de taille\)"):
        session_with(policy).get(emulator.url + "/gros")
    assert session_with(HttpPolicy(timeout=5.0)).get(emulator.url + "/gros").json() == big

    def streamed(request, match) -> Response:  # chunked: no Content-Length to refuse early
        return Response((b"x" * 65536 for _ in range(32)), content_type="text/plain")

    emulator.route("GET", "/flux", streamed)
    with pytest.raises(ResponseTooLarge):
        session_with(policy).get(emulator.url + "/flux")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_budget_stall_and_total():
    clock = Clock()
    budget = HostBudget("git.lent.fr", stall=120.0, total=600.0, clock=clock)
    clock.now = 100.0
    budget.check()
    budget.answered()
    clock.now = 219.0
    assert budget.reason is None
    clock.now = 221.0
    with pytest.raises(HostBudgetExhausted, match="aucune réponse exploitable depuis 2 min"):
        budget.check()
    budget.answered()  # spent stays spent
    assert budget.reason is not None

    total = HostBudget("github.com", stall=None, total=600.0, clock=clock)
    clock.now += 601.0
    assert total.reason is not None
    assert "budget de temps de l'hôte github.com épuisé (10 min au plus pour cet hôte)" in (
        total.reason
    )


def test_spent_budget_sends_nothing_and_server_errors_are_no_answer(emulator: Emulator):
    clock = Clock()
    budget = HostBudget("forge.example", stall=10.0, clock=clock)
    emulator.route("GET", "/ok", lambda request, match: emulator.json(request, {}))
    session = session_with(
        HttpPolicy(timeout=5.0, max_retries=0, sleep=lambda seconds: None), budget=budget
    )
    emulator.fault("/ok", "status", status=503)
    clock.now = 8.0
    with pytest.raises(Exception, match="HTTP 503"):
        session.get(emulator.url + "/ok")
    clock.now = 11.0  # the 503 did not count as an answer: 11 s of silence
    with pytest.raises(HostBudgetExhausted):
        session.get(emulator.url + "/ok")
    assert emulator.count("/ok") == 1


def test_duration_text():
    assert duration_text(0.6) == "0,6 s"
    assert duration_text(90) == "90 s"
    assert duration_text(120) == "2 min"
    assert duration_text(150) == "2,5 min"
    assert duration_text(5 * 3600) == "300 min"
