"""Browser tests: one real site built once, served on 127.0.0.1, driven in headless Chromium.

The site is built by the project's own ``inventory build`` from a small fixture set of
records (``fixtures/algorithms``, including a hostile record) and a small crawl database,
then served by ``http.server`` in a thread. Chromium is Debian's package driven by
Playwright through ``executable_path`` (Playwright's browser download is not available).
Without a browser the tests are skipped with a message, except in CI (``CI=true``) where
they fail: a CI run must never pass without having run them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Dialog, Page, Request, Route, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.browser import sitefixture

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = frozenset({"127.0.0.1"})
# Waits are generous (the CI machines are small and shared); no test measures time.
WAIT_MS = 20_000
expect.set_options(timeout=WAIT_MS)
DEFAULT_CHROMIUM = "/usr/bin/chromium"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def chromium_path() -> str | None:
    """Debian's chromium, as the brief prescribes; None when there is none."""
    found = shutil.which("chromium") or DEFAULT_CHROMIUM
    return found if Path(found).is_file() and os.access(found, os.X_OK) else None


def _no_browser(reason: str) -> None:
    if _in_ci():
        pytest.fail(
            f"tests de navigateur impossibles en intégration continue : {reason} "
            "(.ci/run doit installer le paquet chromium)",
            pytrace=False,
        )
    pytest.skip(f"tests de navigateur ignorés : {reason} (installez le paquet Debian chromium)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        _no_browser("aucun navigateur chromium trouvé (ni dans le PATH, ni /usr/bin/chromium)")
    manager = sync_playwright().start()
    try:
        try:
            launched = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            _no_browser(f"chromium ({executable}) ne démarre pas : {exc.message.splitlines()[0]}")
        yield launched
        launched.close()
    finally:
        manager.stop()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class Served:
    """The built site, its folder and its local address (ends with '/')."""

    root: Path
    url: str
    expected: sitefixture.Expected


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Build the fixture site once and serve it on 127.0.0.1 for the whole session."""
    work = tmp_path_factory.mktemp("site")
    public, expected = sitefixture.build(work)
    handler = functools.partial(_QuietHandler, directory=str(public))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(public, f"http://127.0.0.1:{server.server_address[1]}/", expected)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Traffic:
    """Every request a page made, and the ones blocked because they left 127.0.0.1."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.hostname in LOCAL_HOSTS


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser: Browser, site: Served, traffic: Traffic) -> Iterator[Page]:
    """A fresh page: requests recorded, anything not on 127.0.0.1 blocked, dialogs logged."""
    context = browser.new_context(locale="fr-FR", service_workers="block")
    context.set_default_timeout(WAIT_MS)

    def guard(route: Route, request: Request) -> None:
        if is_local(request.url):
            route.continue_()
        else:
            traffic.blocked.append(request.url)
            route.abort()

    context.route("**/*", guard)
    new_page = context.new_page()
    new_page.on("request", lambda request: traffic.requests.append(request.url))
    new_page.on("pageerror", lambda error: traffic.errors.append(str(error)))

    def on_dialog(dialog: Dialog) -> None:
        traffic.dialogs.append(dialog.message)
        dialog.dismiss()

    new_page.on("dialog", on_dialog)
    yield new_page
    context.close()


@pytest.fixture
def visit(page: Page, site: Served) -> Callable[..., Page]:
    """Open a path of the site (relative to its root); ``idle`` waits for network silence."""

    def go(path: str, *, idle: bool = False) -> Page:
        response = page.goto(site.url + path, wait_until="networkidle" if idle else "load")
        assert response is not None and response.ok, f"{path} : {response and response.status}"
        return page

    return go
