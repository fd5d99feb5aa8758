"""Pytest fixtures shared by every forge's crawl tests.

Import them in a ``conftest.py``::

    from tests.emulator.fixtures import emulator, fast_policy, forge_server, sleeps  # noqa: F401

* ``forge_server``: a started, threaded pytest-httpserver on 127.0.0.1 (one per session);
* ``emulator``: a fresh :class:`~tests.emulator.core.Emulator` on it (one per test);
* ``sleeps``: the list of waits the HTTP layer asked for (nothing really sleeps);
* ``fast_policy``: an :class:`~crawlers.http.HttpPolicy` whose sleep only records into
  ``sleeps``; its 5 s timeout is roomy for loaded CI machines (a timeout test builds its own
  policy with a shorter timeout).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from crawlers.http import HttpPolicy
from tests.emulator.core import Emulator


@pytest.fixture(scope="session")
def forge_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()


@pytest.fixture
def emulator(forge_server: HTTPServer) -> Iterator[Emulator]:
    forge_server.clear()
    emu = Emulator(forge_server)
    try:
        yield emu
    finally:
        forge_server.clear()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def fast_policy(sleeps: list[float]) -> HttpPolicy:
    return HttpPolicy(timeout=5.0, max_retries=3, max_wait=60.0, sleep=sleeps.append)
