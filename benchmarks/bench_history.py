"""Benchmark of the records' history against the whole build, side by side.

Generates a national-scale project (:func:`benchmarks.bench_build.make_project`: 2,000
records, 1,300 administrations, a crawl store) in a real git repository where every record
has 10 versions (10 commits, each editing every record: its date, its purpose, its status
every other time). Then measures, on the same repository:

(h) the history's own cost, in this process: one read of the history
    (:func:`inventory.insights.history.read_history`: one ``git log``, one
    ``git cat-file --batch``, parsing and differences; given the records the check already
    read, as the build gives them), the « Historique de la fiche » section and the feed
    named in the front matter of every algorithm page, the « Dernières modifications »
    page, the Atom feeds of changes and the rows of ``historique.csv``;
(b) the whole ``inventory build`` (which includes the history) in a subprocess.

Both are measured ``--repeat`` times in turn (b, h, b, h…; the machines are noisy) and the
fastest of each is kept. Target: h/b under 10 %. The last line printed is the ratio h/b.

    python benchmarks/bench_history.py [--algorithms 2000] [--versions 10] [--repeat 2] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.bench_build import BUILD, make_project, timed  # noqa: E402
from inventory.exports.history import history_rows  # noqa: E402
from inventory.insights.feeds import FeedContext, write_changes_feeds  # noqa: E402
from inventory.insights.history import read_history  # noqa: E402
from inventory.register.validate import check_paths  # noqa: E402
from inventory.site import history as history_page  # noqa: E402
from inventory.site.sitedata import SiteData  # noqa: E402

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Agent",
    "GIT_AUTHOR_EMAIL": "agent@example.org",
    "GIT_COMMITTER_NAME": "Agent",
    "GIT_COMMITTER_EMAIL": "agent@example.org",
}


def git(root: Path, *args: str, day: int = 0) -> None:
    stamp = f"2025-01-{1 + day:02d}T10:00:00+00:00"
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def write_versions(root: Path, versions: int) -> None:
    """``versions`` commits, each editing every record (date, purpose, status)."""
    git(root, "init", "-q", "-b", "main")
    files = sorted((root / "algorithms").rglob("*.yml"))
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Registre initial")
    for version in range(1, versions):
        for path, text in texts.items():
            data = yaml.safe_load(text)
            data["date_mise_a_jour"] = (
                dt.date.today() - dt.timedelta(days=versions - version)
            ).isoformat()
            data["finalite"] = f"{data.get('finalite', '')} Version {version}."
            if version % 2:
                data["statut"] = (
                    "en_service" if data.get("statut") != "en_service" else "experimentation"
                )
            texts[path] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            path.write_text(texts[path], encoding="utf-8")
        git(root, "add", "-A", day=version)
        git(
            root,
            "commit",
            "-q",
            "-m",
            f"Merge pull request #{version} from registre/v{version}",
            day=version,
        )


def history_cost(project: Path, out: Path) -> tuple[float, int]:
    """Seconds of everything the history adds to a build, and the versions read."""
    records = tuple(check_paths([project / "algorithms"]).records)
    started = time.perf_counter()
    register = read_history(project / "algorithms", current=records)
    site = SiteData(records=records, history=register)
    for record in records:
        history_page.feed_meta(site, record)
        history_page.section(site, record)
    history_page.page(site)
    write_changes_feeds(out, register, FeedContext())
    rows = history_rows(register, site.repo_url)
    elapsed = time.perf_counter() - started
    assert rows and register.available
    return elapsed, sum(len(h.versions) for h in register.records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--algorithms", type=int, default=2000)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="mesures de chaque côté, (b) puis (h) à tour de rôle ; la plus rapide est gardée",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-history-"))
    try:
        project = make_project(work / "projet", args.algorithms, 1300, 3000)
        started = time.perf_counter()
        write_versions(project, args.versions)
        print(
            f"dépôt généré : {args.versions} versions × {args.algorithms} fiches "
            f"en {time.perf_counter() - started:.1f} s"
        )
        builds, costs = [], []
        for run in range(max(1, args.repeat)):
            builds.append(timed(BUILD, project)[0])
            costs.append(history_cost(project, work / f"flux-{run}"))
            print(f"  mesure {run + 1} : (b) {builds[-1]:.2f} s, (h) {costs[-1][0]:.2f} s")
        build_seconds = min(builds)
        history_seconds, versions = min(costs)
        print(f"(b) inventory build complet : {build_seconds:.2f} s")
        print(
            f"(h) historique ({versions} versions lues, pages, flux, lignes) : "
            f"{history_seconds:.2f} s"
        )
        print(f"historique / construction (cible < 10 %) : {history_seconds / build_seconds:.1%}")
    finally:
        if args.keep:
            print(f"conservé : {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
