"""What tracking announced code openings adds to the build, side by side.

Generates the national-scale project of :mod:`benchmarks.bench_build` (2,000 records, 1,300
administrations, 30,000 crawled repositories), then ten roadmaps holding 500 commitments
between them: 60 % name a crawled repository (some by a deep link or in another case), 15 %
an account, 10 % a repository that does not exist, 5 % a link that is not on a forge, 10 %
no address; deadlines spread over quarters, half-years, dates and « par_defaut ».

(a) ``inventory build`` of the project without ``ouvertures/``;
(b) the same build with the ten roadmaps in ``ouvertures/`` (checked, tracked, the page, the
    administrations' sections, the feed and the two exports).
(s) in this process, everything the roadmaps add (:func:`openings_cost`), the fastest of 3.

The two builds alternate (a, b, b, a...) and the fastest of each is kept; their difference is
printed but is within the machine's noise at this scale, so the figure is s / a, a share of
the build measured side by side. The last line printed is s / a.

    python benchmarks/bench_openings.py [--commitments 500] [--repeat 2] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.bench_build import BUILD, make_project, timed  # noqa: E402
from inventory.catalogue.snapshot import CatalogueSnapshot, OwnerStatus  # noqa: E402
from inventory.catalogue.store import read_snapshot  # noqa: E402
from inventory.exports.openings import opening_rows  # noqa: E402
from inventory.insights.feeds import FeedContext, openings_feed  # noqa: E402
from inventory.insights.links import repository_keys  # noqa: E402
from inventory.insights.openings import track  # noqa: E402
from inventory.model import Repository  # noqa: E402
from inventory.register.openings import Roadmap, load_roadmaps  # noqa: E402
from inventory.register.validate import check_paths  # noqa: E402
from inventory.site import openings as openings_page  # noqa: E402
from inventory.site.sitedata import SiteData  # noqa: E402

ROADMAPS = 10


def make_catalogue(repositories: int) -> CatalogueSnapshot:
    """An in-memory crawl of ``repositories`` repositories over 100 GitHub accounts."""
    rows = tuple(
        Repository(
            id=f"github.com/{n}",
            name=f"depot-{n}",
            organization_name=f"compte-{n % 100:03}",
            platform="github.com",
            repository_url=f"https://github.com/compte-{n % 100:03}/depot-{n}",
            forge="github",
            creation_date=f"{2018 + n % 9}-{1 + n % 12:02}-15T00:00:00Z",
        )
        for n in range(repositories)
    )
    owners = tuple(
        OwnerStatus(
            f"github.com/compte-{n:03}", "github.com", f"compte-{n:03}", "github", "ok",
            "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", None, None, None,
        )
        for n in range(100)
    )  # fmt: skip
    return CatalogueSnapshot(repositories=rows, owners=owners)


def _deadline(rng: random.Random) -> str:
    year = rng.randint(2020, 2028)
    kind = rng.random()
    if kind < 0.55:
        return f"T{rng.randint(1, 4)} {year}"
    if kind < 0.8:
        return f"S{rng.randint(1, 2)} {year}"
    if kind < 0.95:
        return f"{year}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
    return "par_defaut"


def _depot(rng: random.Random, repositories: tuple[Repository, ...]) -> str:
    kind = rng.random()
    repository = rng.choice(repositories)
    if kind < 0.5:
        return repository.repository_url
    if kind < 0.6:
        return repository.repository_url.upper().replace("HTTPS://", "https://") + "/tree/main"
    if kind < 0.75:
        return repository.repository_url.rsplit("/", 1)[0]
    if kind < 0.85:
        return repository.repository_url + "-jamais-ouvert"
    if kind < 0.9:
        return "https://www.example.gouv.fr/actions/outil"
    return ""


def make_roadmaps(folder: Path, commitments: int, catalogue: CatalogueSnapshot) -> list[Roadmap]:
    """Write ``ROADMAPS`` roadmap files under ``folder/ouvertures`` and read them back."""
    rng = random.Random(13)
    target = Path(folder) / "ouvertures"
    target.mkdir(parents=True, exist_ok=True)
    repositories = catalogue.repositories
    per_file = -(-commitments // ROADMAPS)
    written = 0
    for number in range(ROADMAPS):
        lines = [
            "feuille_de_route:",
            f"  titre: Feuille de route numéro {number} pour la donnée et les codes sources",
            f"  administration: {{nom: Ministère numéro {number}}}",
            "  date: 2021-09-27",
            "engagements:",
        ]
        for index in range(min(per_file, commitments - written)):
            lines.append(f"  - code: Code source {number}-{index}")
            lines.append(f"    echeance: '{_deadline(rng)}'")
            depot = _depot(rng, repositories)
            if depot:
                lines.append(f"    depot: {depot}")
            written += 1
        (target / f"feuille-{number:02}.yml").write_text("\n".join(lines) + "\n", "utf-8")
    result = load_roadmaps(target)
    assert not [p for p in result.problems if p.is_error], result.problems[:3]
    return list(result.roadmaps)


def openings_cost(project: Path, catalogue: CatalogueSnapshot) -> tuple[float, int]:
    """Seconds of everything the roadmaps add to a build, measured in this process: reading
    and checking them, tracking against the crawl (with the repositories' keys the build
    already computes for the links), the page, the administrations' sections, the feed and
    the rows of the two exports. The joins the build makes anyway (administrations, links,
    indicators) are computed before the clock starts."""
    records = tuple(check_paths([project / "algorithms"]).records)
    keys = repository_keys(catalogue.repositories)
    known = load_roadmaps(project / "ouvertures").roadmaps
    site = SiteData(records=records, catalogue=catalogue, crawled=True, roadmaps=known)
    base = site.insights
    started = time.perf_counter()
    roadmaps = load_roadmaps(project / "ouvertures").roadmaps
    openings = track(roadmaps, catalogue, dt.date.today(), keys=keys)
    site.__dict__["insights"] = replace(base, openings=openings)  # the cached join, updated
    openings_page.page(site)
    for administration in site.index.administrations:
        openings_page.administration_section(site, administration)
    openings_feed(openings, FeedContext())
    opening_rows(openings)
    return time.perf_counter() - started, len(openings.tracked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commitments", type=int, default=500)
    parser.add_argument("--algorithms", type=int, default=2000)
    parser.add_argument("--administrations", type=int, default=1300)
    parser.add_argument("--repositories", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-openings-"))
    try:
        print(
            f"Génération : {args.algorithms} fiches, {args.repositories} dépôts, "
            f"{args.commitments} engagements en {ROADMAPS} feuilles de route…",
            flush=True,
        )
        without = make_project(
            work / "sans", args.algorithms, args.administrations, args.repositories
        )
        catalogue = read_snapshot(without / "crawl.sqlite3")
        with_openings = work / "avec"
        shutil.copytree(without, with_openings)
        make_roadmaps(with_openings, args.commitments, catalogue)
        times: dict[str, list[float]] = {"a": [], "b": []}
        for run in range(max(1, args.repeat)):
            order = (("a", without), ("b", with_openings))
            for label, project in order if run % 2 == 0 else tuple(reversed(order)):
                seconds, _, _ = timed(BUILD, project)
                times[label].append(seconds)
                print(f"  ({label}) inventory build : {seconds:.2f} s", flush=True)
        a, b = min(times["a"]), min(times["b"])
        print(
            f"(a) construction sans feuilles de route : {a:.2f} s ; (b) avec : {b:.2f} s ; "
            f"(b − a) / a : {(b - a) / a:+.1%} (bruit de la machine compris)"
        )
        costs = [openings_cost(with_openings, catalogue) for _ in range(3)]
        cost, tracked = min(costs)
        print(
            f"(s) suivi en mémoire de {tracked} engagements contre {len(catalogue.repositories)} "
            f"dépôts (lecture, statuts, page, sections, flux, lignes) : {cost * 1000:.0f} ms"
        )
        print(f"suivi des engagements / construction (s / a) : {cost / a:.1%}")
    finally:
        if args.keep:
            print(f"conservé : {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
