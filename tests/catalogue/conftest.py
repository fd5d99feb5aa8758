"""Fixtures of the catalogue tests: the forge emulator."""

from tests.emulator.fixtures import emulator, fast_policy, forge_server, sleeps  # noqa: F401
