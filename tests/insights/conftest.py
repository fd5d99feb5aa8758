"""Fixtures of the insights tests: the shared emulator fixtures."""

from tests.emulator.fixtures import emulator, fast_policy, forge_server, sleeps  # noqa: F401
