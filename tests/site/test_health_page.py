"""The health score page is written from the constants the score uses."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from inventory.catalogue import health
from inventory.catalogue.health import HealthSignals, score
from inventory.site import health_page
from tests.site import factories as f


def cells(text: str) -> dict[str, str]:
    rows = re.findall(r"<tr><td>(.*?)</td><td>(\d+)</td>", text)
    return dict(rows)


def test_points_on_the_page_are_the_points_of_the_score() -> None:
    text = health_page.page()
    points = cells(text)
    assert points == {
        "Licence": str(health.POINTS_LICENSE),
        "publiccode.yml": str(health.POINTS_PUBLICCODE),
        "README": str(health.POINTS_README),
        "Guide de contribution": str(health.POINTS_CONTRIBUTING),
        "Journal des modifications": str(health.POINTS_CHANGELOG),
        "Description": str(health.POINTS_DESCRIPTION),
        "Activité": str(max(p for _, p in health.ACTIVITY_STEPS)),
    }
    # The rows add up to the maximum: a repository with every signal, active today, scores it.
    assert sum(int(v) for v in points.values()) == health.MAX_SCORE
    today = dt.date(2025, 6, 1)
    full = HealthSignals(
        has_readme=True,
        has_license=True,
        has_contributing=True,
        has_changelog=True,
        has_publiccode=True,
        publiccode=None,
    )
    repository = f.repository("x", last_update="2025-05-30T00:00:00Z")
    expected = health.MAX_SCORE - health.POINTS_PUBLICCODE + health.POINTS_PUBLICCODE_INVALID
    assert score(repository, full, today) == expected


def test_page_follows_a_change_of_the_constants(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "POINTS_README", 17)
    monkeypatch.setattr(health, "ACTIVITY_STEPS", ((30, 21), (365, 10)))
    monkeypatch.setattr(health, "FORK_FACTOR", 0.25)
    text = health_page.page()
    assert cells(text)["README"] == "17"
    assert "21 points si dans les 30 derniers jours, 10 points si dans les 365" in text
    assert "multiplié par 0,25 pour une bifurcation" in text


def test_recognised_file_names_are_listed() -> None:
    text = health_page.page()
    for name in (*health.LICENSE_NAMES, *health.CONTRIBUTING_NAMES, *health.CHANGELOG_NAMES):
        assert f"<code>{name.upper()}</code>" in text
