"""The code base stays ruff-clean (run as a test so CI enforces it)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import PROJECT


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff")
    cmd = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    result = subprocess.run(
        [*cmd, "check", "--no-cache", str(PROJECT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
