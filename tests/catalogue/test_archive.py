"""The Software Heritage client against an emulator of its API, with faults."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawlers.base import ForgeKind, Listing, Target
from crawlers.http import HttpPolicy
from inventory.catalogue.archive import SwhClient, browse_url, run
from inventory.catalogue.store import Store
from inventory.cli import main
from inventory.errors import StoreError
from tests.catalogue.helpers import read_statuses
from tests.emulator.swh import SoftwareHeritage
from tests.insights.helpers import repo

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)

GH = [repo(f"https://github.com/etalab/r{i}", last_update="2026-11-01T00:00:00Z") for i in range(3)]
GL = repo("https://gitlab.com/dgfip/outils/calcul", forge="gitlab", last_update="2026-01-01")


def make_db(path: Path, repositories=(*GH, GL)) -> Path:
    by_host: dict[str, list] = {}
    for r in repositories:
        by_host.setdefault(r.platform, []).append(r)
    with Store.open(path) as store:
        for host, repos in by_host.items():
            kind = ForgeKind.GITLAB if "gitlab" in host else ForgeKind.GITHUB
            target = Target(host=host, forge=kind, api_url="http://127.0.0.1:1", owner="x")
            store.save_listing(Listing(target, (), tuple(repos)))
    return path


@pytest.fixture
def swh(emulator) -> SoftwareHeritage:
    api = SoftwareHeritage(emulator)
    api.archive("https://github.com/etalab/r0", "2026-10-01T08:30:00+00:00")
    api.archive("https://github.com/etalab/r2", "2025-03-02T10:00:00+00:00")
    # GitLab origins are recorded by Software Heritage as clone URLs.
    api.archive("https://gitlab.com/dgfip/outils/calcul.git", "2026-05-05T00:00:00+00:00")
    return api


def client(swh: SoftwareHeritage, policy: HttpPolicy) -> SwhClient:
    return SwhClient(swh.api_url, policy=policy)


def test_archived_and_not_archived(tmp_path, swh, fast_policy) -> None:
    db = make_db(tmp_path / "db.sqlite3")
    with Store.open(db) as store:
        summary = run(
            Store.open_readonly(db).repositories(), store, client(swh, fast_policy), now=lambda: NOW
        )
    assert (summary.checked, summary.archived, summary.not_archived) == (4, 3, 1)
    assert summary.complete and summary.remaining == 0
    # r1 is not archived (one 404); GitLab: 404 then 200 on the .git clone URL.
    assert summary.requests == 3 + 2
    statuses = read_statuses(db)
    assert statuses["github.com/etalab/r0"].archived is True
    assert statuses["github.com/etalab/r0"].last_visit == "2026-10-01T08:30:00+00:00"
    assert statuses["github.com/etalab/r0"].snapshot
    assert statuses["github.com/etalab/r1"].archived is False
    assert statuses["github.com/etalab/r1"].last_visit is None
    calcul = statuses["gitlab.com/dgfip/outils/calcul"]
    assert calcul.archived and calcul.origin == "https://gitlab.com/dgfip/outils/calcul.git"
    assert calcul.browse_url == browse_url("https://gitlab.com/dgfip/outils/calcul.git")
    assert calcul.browse_url.startswith(
        "https://archive.softwareheritage.org/browse/origin/?origin_url=https%3A"
    )
    # The exact origin URL is in the path, as the real API expects.
    assert swh.emulator.count(swh.path("https://github.com/etalab/r0")) == 1
    assert all(r.query == {"require_snapshot": "true"} for r in swh.emulator.requests())
    # The crawl store still opens read-only: the schema version is unchanged.
    Store.open_readonly(db).close()


def test_incremental_runs(tmp_path, swh, fast_policy) -> None:
    db = make_db(tmp_path / "db.sqlite3")
    with Store.open(db) as store:
        run(GH, store, client(swh, fast_policy), now=lambda: NOW)
        swh.emulator.clear_log()
        again = run(GH, store, client(swh, fast_policy), now=lambda: NOW + dt.timedelta(days=1))
        assert (again.checked, again.skipped, again.requests) == (0, 3, 0)
        # A changed repository is asked again; the others are not.
        changed = [GH[0], repo("https://github.com/etalab/r1", last_update="2026-11-20"), GH[2]]
        again = run(
            changed, store, client(swh, fast_policy), now=lambda: NOW + dt.timedelta(days=1)
        )
        assert (again.checked, again.skipped) == (1, 2)
        assert swh.emulator.count(swh.path("https://github.com/etalab/r1")) == 1
        # Older than max_age: asked again; --force: everything.
        later = run(
            changed, store, client(swh, fast_policy), now=lambda: NOW + dt.timedelta(days=40)
        )
        assert later.checked == 3
        forced = run(
            changed,
            store,
            client(swh, fast_policy),
            force=True,
            now=lambda: NOW + dt.timedelta(days=40),
        )
        assert forced.checked == 3 and forced.skipped == 0


def test_limit_and_order(tmp_path, swh, fast_policy) -> None:
    db = make_db(tmp_path / "db.sqlite3")
    with Store.open(db) as store:
        first = run(GH, store, client(swh, fast_policy), limit=2, now=lambda: NOW)
        assert (first.checked, first.remaining) == (2, 1)
        assert not first.stopped
        second = run(GH, store, client(swh, fast_policy), limit=2, now=lambda: NOW)
        # The never-checked repository goes first.
        assert (second.checked, second.skipped) == (1, 2)
        assert set(read_statuses(db)) == {r.id for r in GH}


def test_5xx_is_retried_then_recorded_as_a_failure(tmp_path, swh, fast_policy, sleeps) -> None:
    db = make_db(tmp_path / "db.sqlite3")
    swh.emulator.fault(swh.path("https://github.com/etalab/r0"), "status", status=503, times=1)
    swh.emulator.fault(swh.path("https://github.com/etalab/r1"), "status", status=500, times=None)
    with Store.open(db) as store:
        summary = run(GH, store, client(swh, fast_policy), now=lambda: NOW)
        assert summary.checked == 2 and len(summary.failed) == 1
        assert "HTTP 500" in summary.failed[0] and "r1" in summary.failed[0]
        assert not summary.complete
        assert len(sleeps) == 1 + fast_policy.max_retries  # back-off, nothing really slept
        failed = read_statuses(db)["github.com/etalab/r1"]
        assert failed.archived is None and "HTTP 500" in failed.error
        assert read_statuses(db)["github.com/etalab/r0"].archived is True
        # The next run asks again only for the failed one.
        swh.emulator.clear_faults()
        again = run(GH, store, client(swh, fast_policy), now=lambda: NOW)
        assert (again.checked, again.skipped, again.failed) == (1, 2, ())
        assert read_statuses(db)["github.com/etalab/r1"].error is None


def test_429_with_retry_after_is_honoured(tmp_path, swh, fast_policy, sleeps) -> None:
    db = make_db(tmp_path / "db.sqlite3")
    swh.emulator.fault(swh.path(), "rate_limit", retry_after=7, times=1)
    with Store.open(db) as store:
        summary = run(GH, store, client(swh, fast_policy), now=lambda: NOW)
    assert summary.complete and summary.checked == 3
    assert sleeps == [7.0]


def test_exhausted_rate_limit_stops_and_keeps_what_was_stored(
    tmp_path, swh, fast_policy, sleeps
) -> None:
    db = make_db(tmp_path / "db.sqlite3")
    swh.remaining = 2  # two answers left, reset in an hour
    with Store.open(db) as store:
        summary = run(GH, store, client(swh, fast_policy), now=lambda: NOW)
    # The second answer said remaining 0: it is kept, and the run stops before a 429.
    assert summary.checked == 2
    assert summary.remaining == 1
    assert summary.stopped and "limite de requêtes" in summary.stopped
    assert swh.emulator.count(status=429) == 0
    assert sleeps == []
    assert len(read_statuses(db)) == 2  # both answered repositories are stored


def test_near_reset_is_waited_for(tmp_path, swh, sleeps) -> None:
    reset_at = float(swh.reset_at)

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        swh.refill()

    policy = HttpPolicy(
        timeout=0.5, max_retries=2, max_wait=60.0, sleep=sleep, now=lambda: reset_at - 10
    )
    db = make_db(tmp_path / "db.sqlite3")
    swh.remaining = 1
    with Store.open(db) as store:
        summary = run(GH[:2], store, SwhClient(swh.api_url, policy=policy), now=lambda: NOW)
    assert summary.complete and summary.checked == 2
    assert sleeps == [11.0]
    assert swh.emulator.count(status=429) == 0


def test_truncated_json_fails_that_origin_only(tmp_path, swh, fast_policy) -> None:
    db = make_db(tmp_path / "db.sqlite3")
    swh.emulator.fault(swh.path("https://github.com/etalab/r2"), "truncated", times=None)
    with Store.open(db) as store:
        summary = run(GH, store, client(swh, fast_policy), now=lambda: NOW)
    assert summary.checked == 2
    assert summary.failed == (
        "réponse illisible de Software Heritage pour https://github.com/etalab/r2",
    )


def test_consecutive_failures_stop_the_run(tmp_path, swh, fast_policy) -> None:
    many = [repo(f"https://github.com/etalab/x{i}") for i in range(6)]
    db = make_db(tmp_path / "db.sqlite3", many)
    swh.emulator.fault(swh.path(), "status", status=502, times=None)
    with Store.open(db) as store:
        summary = run(many, store, client(swh, fast_policy), now=lambda: NOW)
    assert len(summary.failed) == 3 and summary.remaining == 3
    assert "de suite" in (summary.stopped or "")


def test_statuses_are_read_from_the_store_snapshot_without_writing(tmp_path) -> None:
    assert read_statuses(make_db(tmp_path / "db.sqlite3")) == {}
    bare = tmp_path / "bare.sqlite3"
    with sqlite3.connect(bare) as connection:
        connection.execute("CREATE TABLE repositories (id TEXT)")
    with pytest.raises(StoreError, match=r"au schéma 0, attendu .* relancez « inventory crawl »"):
        read_statuses(bare)
    with sqlite3.connect(bare) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    assert tables == {"repositories"}  # reading never writes
    with pytest.raises(StoreError, match="introuvable"):
        read_statuses(tmp_path / "absent.sqlite3")


def test_cli(tmp_path, swh, monkeypatch) -> None:
    monkeypatch.setenv("SWH_TOKEN", "secret-token-value")
    db = make_db(tmp_path / "db.sqlite3")
    runner = CliRunner()
    result = runner.invoke(main, ["archive-status", "--db", str(db), "--api-url", swh.api_url])
    assert result.exit_code == 0, result.output
    assert "Archivés" in result.output and "Non archivés" in result.output
    assert "secret-token-value" not in result.output
    assert all(
        r.headers.get("Authorization") == "Bearer secret-token-value"
        for r in swh.emulator.requests()
    )
    swh.remaining = 1
    swh.origins.clear()
    result = runner.invoke(
        main, ["archive-status", "--db", str(db), "--api-url", swh.api_url, "--force"]
    )
    assert result.exit_code == 3
    assert "Arrêt" in result.output and "limite de requêtes" in result.output


def test_cli_errors(tmp_path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["archive-status", "--db", str(tmp_path / "none.sqlite3")])
    assert result.exit_code == 1
    assert "base de moissonnage introuvable" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(
        main, ["archive-status", "--db", str(tmp_path / "none.sqlite3"), "--api-url", "ftp://x"]
    )
    assert result.exit_code == 1 and "--api-url" in result.output
