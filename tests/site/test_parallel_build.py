"""The build's performance devices: forked children, their results and failures, and the same
files whichever devices are on."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory.cli import main
from inventory.errors import ExportError, InventoryError, SiteError
from inventory.site import builder, sitedata
from inventory.site.background import Task, can_fork
from inventory.site.devices import Devices
from tests.site import factories as f
from tests.site.project import make_project, write_record
from tests.site.test_build import _write_store

needs_fork = pytest.mark.skipif(not can_fork(), reason="fork indisponible sur ce système")


class _NeedsTwoArguments(InventoryError):
    def __init__(self, left: str, right: str) -> None:
        super().__init__(f"{left} {right}")


def _raise_export_error() -> None:
    raise ExportError("dossier en lecture seule")


def _raise_unpicklable() -> None:
    raise _NeedsTwoArguments("deux", "morceaux")


def _die() -> None:
    os._exit(3)


@needs_fork
def test_a_task_runs_in_a_child_and_returns_its_result() -> None:
    task = Task.start("essai", os.getpid)
    assert task.result() != os.getpid()
    assert task.seconds >= 0


def test_without_parallelism_a_task_runs_at_once_in_this_process() -> None:
    task = Task.start("essai", os.getpid, parallel=False)
    assert task.result() == os.getpid()


@pytest.mark.parametrize("parallel", [True, False])
def test_the_error_of_a_task_is_raised_by_result(parallel: bool) -> None:
    task = Task.start("essai", _raise_export_error, parallel=parallel)
    with pytest.raises(ExportError, match="dossier en lecture seule"):
        task.result()


@needs_fork
def test_an_error_that_cannot_cross_the_pipe_becomes_a_site_error() -> None:
    task = Task.start("essai", _raise_unpicklable)
    with pytest.raises(SiteError, match="la construction a échoué : deux morceaux"):
        task.result()


@needs_fork
def test_a_child_that_dies_is_reported_in_french() -> None:
    task = Task.start("exports du moissonnage", _die)
    with pytest.raises(SiteError, match=r"interrompue \(exports du moissonnage\)"):
        task.result()


@needs_fork
def test_cancel_stops_a_running_child() -> None:
    task = Task.start("essai", lambda: time.sleep(60))
    started = time.perf_counter()
    task.cancel()
    assert time.perf_counter() - started < 10
    with pytest.raises(SiteError, match="annulée"):
        task.result()


def _project(root: Path) -> Path:
    project = make_project(root)
    write_record(project, "cnaf", "calcul-apl", f.record_data())
    write_record(project, "cnaf", "bourses", f.record_data(nom="Bourses"))
    _write_store(project / "crawl.sqlite3")
    return project


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@needs_fork
def test_children_and_a_single_process_build_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)

    class _Clock(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> _Clock:  # type: ignore[override]
            return fixed  # type: ignore[return-value]

    monkeypatch.setattr(
        sitedata, "dt", types.SimpleNamespace(datetime=_Clock, UTC=dt.UTC, date=dt.date)
    )
    project = _project(tmp_path / "projet")
    trees = []
    none = Devices(**{name: False for name in Devices.names()})
    for devices in (Devices(), none):
        summary = builder.build(project, db=project / "crawl.sqlite3", devices=devices)
        assert summary.crawled and summary.repositories == 2
        trees.append(_tree(project / "build/docs"))
    assert trees[0] == trees[1]
    assert {"donnees/repos.json", "donnees/algorithmes.csv", "codes-sources/depots.json"} <= set(
        trees[0]
    )


def _add_archive_and_health(db: Path) -> None:
    """What later commands store in the crawl database: archival statuses, health signals."""
    from inventory.catalogue.archive import ArchiveStatus
    from inventory.catalogue.health import HealthSignals
    from inventory.catalogue.store import Store

    apl = f.repository("apl")
    with Store.open(db) as store:
        store.save_archive_status(
            ArchiveStatus(
                apl.id,
                apl.repository_url,
                True,
                "2025-05-01",
                "full",
                "abc",
                "2025-05-03T00:00:00Z",
            )
        )
        store.save_health(
            apl, HealthSignals(has_readme=True, has_license=True), checked_at="2025-05-03T00:00:00Z"
        )


@pytest.mark.parametrize("devices", [Devices(), Devices.serial()])
def test_archive_and_health_read_with_the_crawl_reach_the_explorer(
    tmp_path: Path, devices: Devices
) -> None:
    project = _project(tmp_path / "projet")
    _add_archive_and_health(project / "crawl.sqlite3")
    builder.build(project, db=project / "crawl.sqlite3", devices=devices)
    depots = json.loads((project / "build/docs/codes-sources/depots.json").read_text("utf-8"))
    rows = {row["nom"]: row for row in depots["repositories"]}
    assert rows["apl"]["archive_swh"].startswith("https://archive.softwareheritage.org/")
    assert rows["outils"]["archive_swh"] == ""
    assert rows["apl"]["score"] > rows["outils"]["score"]  # README and licence count


def test_the_summary_times_every_step(tmp_path: Path) -> None:
    project = _project(tmp_path / "projet")
    summary = builder.build(project, db=project / "crawl.sqlite3")
    labels = [label for label, _ in summary.phases]
    for step in (
        "vérification des fiches",
        "lecture du moissonnage (attente)",
        "lecture du moissonnage (en parallèle)",
        "jointures et indicateurs",
        "génération des pages",
        "pages des administrations et des dépôts (en parallèle)",
        "données ouvertes (en parallèle)",
        "rendu MkDocs",
    ):
        assert step in labels, step
    assert labels.index("vérification des fiches") < labels.index("génération des pages")
    assert all(seconds >= 0 for _, seconds in summary.phases)
    rendering = dict(summary.phases)["rendu MkDocs"]
    assert rendering == pytest.approx(summary.mkdocs_seconds, abs=0.05)


def test_invalid_records_stop_the_exports_already_started(tmp_path: Path) -> None:
    project = _project(tmp_path / "projet")
    write_record(project, "cnaf", "casse", f.record_data(statut="en_servise"))
    with pytest.raises(builder.RecordsInvalid):
        builder.build(project, db=project / "crawl.sqlite3")
    assert not (project / "build").exists()  # no tree, no staging folder left behind
    assert not (project / "public").exists()


def test_a_rebuild_removes_the_previous_tree(tmp_path: Path) -> None:
    project = _project(tmp_path / "projet")
    builder.build(project, db=project / "crawl.sqlite3")
    stale = project / "build/docs/ancienne.md"
    stale.write_text("# ancienne\n", encoding="utf-8")
    builder.build(project, db=project / "crawl.sqlite3")
    assert not stale.exists()
    assert [p.name for p in (project / "build").iterdir()] == ["docs"]


def test_the_timings_option_prints_the_steps_and_stays_out_of_the_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path / "projet")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build", "--db", "crawl.sqlite3", "--timings"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Durées par étape :" in lines
    steps = lines[lines.index("Durées par étape :") + 1 :]
    assert any(line.startswith("  vérification des fiches : ") for line in steps)
    assert all(line.endswith(" s") for line in steps)
    help_text = CliRunner().invoke(main, ["build", "--help"]).output
    assert "--timings" not in help_text


def _broken_store(project: Path) -> Path:
    broken = project / "casse.sqlite3"
    broken.write_bytes(b"ceci n'est pas une base SQLite" * 10)
    return broken


@pytest.mark.parametrize("devices", [Devices(), Devices.serial()])
def test_an_unreadable_crawl_database_stops_the_build_in_french(
    tmp_path: Path, devices: Devices
) -> None:
    project = _project(tmp_path / "projet")
    with pytest.raises(InventoryError, match=r"casse\.sqlite3"):
        builder.build(project, db=_broken_store(project), devices=devices)
    assert not (project / "build").exists()
    assert not (project / "public").exists()


@pytest.mark.parametrize("devices", [Devices(), Devices.serial()])
def test_the_records_are_reported_before_an_unreadable_crawl_database(
    tmp_path: Path, devices: Devices
) -> None:
    project = _project(tmp_path / "projet")
    write_record(project, "cnaf", "casse", f.record_data(statut="en_servise"))
    with pytest.raises(builder.RecordsInvalid):
        builder.build(project, db=_broken_store(project), devices=devices)
