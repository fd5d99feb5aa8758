"""Fixtures of the GitLab crawl tests: one emulated GitLab instance per test."""

from __future__ import annotations

import pytest

from crawlers.gitlab import GitLabCrawler
from crawlers.http import HttpPolicy, MemoryEtagStore, Stats, make_session
from tests.emulator.core import Emulator
from tests.emulator.fixtures import emulator, fast_policy, forge_server, sleeps  # noqa: F401
from tests.emulator.gitlab import GitLabEmulator


@pytest.fixture
def gitlab_forge(emulator: Emulator) -> GitLabEmulator:  # noqa: F811
    return GitLabEmulator(emulator)


class Harness:
    """A crawler wired like the orchestrator wires it: shared session, stats, ETag store."""

    def __init__(self, forge: GitLabEmulator, policy: HttpPolicy) -> None:
        self.forge = forge
        self.stats = Stats()
        self.etags = MemoryEtagStore()
        self.session = make_session(forge.host, stats=self.stats, etags=self.etags, policy=policy)
        self.crawler = GitLabCrawler(self.session)


@pytest.fixture
def harness(gitlab_forge: GitLabEmulator, fast_policy: HttpPolicy) -> Harness:  # noqa: F811
    return Harness(gitlab_forge, fast_policy)
