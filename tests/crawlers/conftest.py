"""Fixtures of the crawl tests: the shared forge emulator fixtures."""

from tests.emulator.fixtures import emulator, fast_policy, forge_server, sleeps  # noqa: F401
