"""Finding the browser: skipped with a message outside CI, a failure in CI (no browser)."""

from __future__ import annotations

import pytest

from tests.browser import conftest


def test_missing_browser_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="intégration continue"):
        conftest._no_browser("aucun navigateur")


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_missing_browser_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception, match="chromium"):
        conftest._no_browser("aucun navigateur")


def test_chromium_path_is_none_without_a_browser(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory
) -> None:
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    monkeypatch.setattr(conftest, "DEFAULT_CHROMIUM", str(tmp_path / "absent"))
    assert conftest.chromium_path() is None
