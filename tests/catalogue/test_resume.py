"""An interrupted crawl resumes where it stopped and loses nothing already committed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawlers.base import ForgeKind, Target
from crawlers.http import HttpPolicy
from inventory.catalogue.crawl import CrawlEvent, run_crawl
from inventory.catalogue.store import Store
from inventory.cli import main
from tests.emulator.core import Emulator
from tests.emulator.github import GitHubForge

OWNERS = [f"org{n}" for n in range(8)]


def _ok_targets(db: Path) -> set[str]:
    if not db.exists():
        return set()
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            rows = connection.execute("SELECT target FROM owners WHERE status = 'ok'").fetchall()
    except sqlite3.Error:
        return set()
    return {row[0] for row in rows}


def _requested_owners(emulator: Emulator) -> set[str]:
    return {entry.path.split("/")[3] for entry in emulator.requests(r"/gh/users/[^/]+")}


def test_kill_9_mid_crawl_then_resume(tmp_path: Path, emulator: Emulator, project_root: Path):
    gh = GitHubForge(emulator, prefix="/gh")
    for owner in OWNERS:
        gh.add_org(owner, 5)
    sources = tmp_path / "sources.yml"
    sources.write_text(
        "github.com:\n  forge: github\n  owners:\n" + "".join(f"    {o}:\n" for o in OWNERS),
        encoding="utf-8",
    )
    db = tmp_path / "db.sqlite3"
    args = [
        "crawl",
        "--sources",
        str(sources),
        "--db",
        str(db),
        "--api-url",
        f"github.com={gh.api_url}",
        "--per-host",
        "1",
        "--quiet",
    ]
    emulator.latency = 0.3
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INVENTORY_"))}
    process = subprocess.Popen(
        [sys.executable, "-c", "from inventory.cli import main; main()", *args],
        cwd=project_root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while len(_ok_targets(db)) < 3:
            assert process.poll() is None, "the crawl ended before it could be interrupted"
            assert time.monotonic() < deadline, "the crawl did not progress"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    done = _ok_targets(db)
    assert 3 <= len(done) < len(OWNERS)
    with Store.open_readonly(db) as store:
        kept = len(store.repositories())
    assert kept == 5 * len(done)  # nothing committed was lost

    # The killed client's last request may still be served: let it end before counting.
    emulator.wait_idle()
    emulator.latency = 0.0
    emulator.clear_log()
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "reprise" in result.output
    requested = _requested_owners(emulator)
    assert requested == {o for o in OWNERS if f"github.com/{o}" not in done}
    with Store.open_readonly(db) as store:
        assert len(store.repositories()) == 5 * len(OWNERS)
        assert {s.status for s in store.owner_statuses()} == {"ok"}

    # The round is finished: the next crawl is a new full round (every page revalidated).
    emulator.clear_log()
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and "reprise" not in again.output
    assert _requested_owners(emulator) == set(OWNERS)
    assert emulator.count(status=200) == 0


def test_interruption_after_n_targets_then_resume(tmp_path: Path, emulator: Emulator, sleeps):
    gh = GitHubForge(emulator, prefix="/gh")
    targets = []
    for owner in OWNERS:
        gh.add_org(owner, 3)
        targets.append(Target("github.com", ForgeKind.GITHUB, gh.api_url, owner))
    policy = HttpPolicy(timeout=2, sleep=sleeps.append)
    finished: list[str] = []

    def interrupt_after_three(event: CrawlEvent) -> None:
        if event.kind == "target":
            finished.append(event.target or "")
            if len(finished) == 3:
                raise KeyboardInterrupt

    with Store.open(tmp_path / "db.sqlite3") as store:
        with pytest.raises(KeyboardInterrupt):
            run_crawl(targets, store, per_host=1, policy=policy, progress=interrupt_after_three)
        assert len(store.repositories()) == 9
        emulator.clear_log()
        summary = run_crawl(targets, store, per_host=1, policy=policy)
        assert summary.resumed and summary.skipped == 3
        assert summary.owners_ok == 5 and summary.exit_code == 0
        assert _requested_owners(emulator) == set(OWNERS) - {t.split("/")[1] for t in finished}
        assert len(store.repositories()) == 3 * len(OWNERS)
        # A different set of targets is its own round: not a resumption.
        other = run_crawl(targets[:2], store, per_host=1, policy=policy)
        assert not other.resumed and other.owners_ok == 2
