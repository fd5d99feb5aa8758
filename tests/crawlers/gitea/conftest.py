"""Fixtures of the Gitea-family crawl tests: one emulated Gitea (or Gogs) per test."""

from __future__ import annotations

import pytest

from crawlers.base import ForgeKind
from crawlers.gitea import GiteaCrawler
from crawlers.http import HttpPolicy, MemoryEtagStore, Stats, make_session
from tests.emulator.core import Emulator
from tests.emulator.fixtures import emulator, fast_policy, forge_server, sleeps  # noqa: F401
from tests.emulator.gitea import GiteaEmulator


class Harness:
    """A crawler wired like the orchestrator wires it: shared session, stats, ETag store."""

    def __init__(self, forge: GiteaEmulator, policy: HttpPolicy) -> None:
        self.forge = forge
        self.stats = Stats()
        self.etags = MemoryEtagStore()
        self.session = make_session(forge.host, stats=self.stats, etags=self.etags, policy=policy)
        kind = ForgeKind.GOGS if forge.gogs else ForgeKind.GITEA
        self.crawler = GiteaCrawler(self.session, forge=kind)


@pytest.fixture
def gitea_forge(emulator: Emulator) -> GiteaEmulator:  # noqa: F811
    return GiteaEmulator(emulator)


@pytest.fixture
def gogs_forge(emulator: Emulator) -> GiteaEmulator:  # noqa: F811
    return GiteaEmulator(emulator, host="gogs.example.org", prefix="/gogs", gogs=True)


@pytest.fixture
def harness(gitea_forge: GiteaEmulator, fast_policy: HttpPolicy) -> Harness:  # noqa: F811
    return Harness(gitea_forge, fast_policy)


@pytest.fixture
def gogs_harness(gogs_forge: GiteaEmulator, fast_policy: HttpPolicy) -> Harness:  # noqa: F811
    return Harness(gogs_forge, fast_policy)
