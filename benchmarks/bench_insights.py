"""Cost of the insights' build-time work at the national scale, against the site's own join.

Data: 2,000 algorithm records (each with one or two ``code_source`` URLs, half of them
matching), 30,000 crawled repositories, ~1,300 administrations. Measured side by side in this
process, best of 3 runs:

* baseline: the site's join of records and crawl (``SiteData.index``: administrations,
  repository URL index), which every build already does;
* insights: link matching, the indicators of every administration, the indicators page, the
  home and every administration's charts and indicators, both Atom feeds, and the links and
  indicators files.

Prints the absolute times, then on its LAST line the ratio insights / baseline.

    python benchmarks/bench_insights.py
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inventory.atomic import write_texts
from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.exports import indicators, links
from inventory.model import Record, Repository
from inventory.site import insights
from inventory.site.sitedata import SiteData

RECORDS = 2_000
REPOSITORIES = 30_000
ADMINISTRATIONS = 1_300
LANGUAGES = ("Python", "Java", "JavaScript", "PHP", "OCaml", None)
LICENCES = ("MIT", "EUPL-1.2", "etalab-2.0", "AGPL-3.0-or-later", None)


def world() -> tuple[tuple[Record, ...], tuple[Repository, ...]]:
    repositories = []
    for i in range(REPOSITORIES):
        owner = f"org-{i % ADMINISTRATIONS}"
        host = ("github.com", "gitlab.com", f"forge{i % 90}.example.fr")[i % 3]
        repositories.append(
            Repository(
                id=f"{host}/{owner}/depot-{i}",
                name=f"depot-{i}",
                organization_name=owner,
                platform=host,
                repository_url=f"https://{host}/{owner}/depot-{i}",
                forge="github" if host == "github.com" else "gitlab",
                language=LANGUAGES[i % len(LANGUAGES)],
                license=LICENCES[i % len(LICENCES)],
                creation_date=f"20{10 + i % 16}-01-01T00:00:00Z",
                last_update="2026-01-01T00:00:00Z",
                description=f"Dépôt {i}",
            )
        )
    records = []
    for i in range(RECORDS):
        target = repositories[(i * 7) % REPOSITORIES]
        urls = [target.repository_url.upper().replace("HTTPS://", "http://") + ".git"]
        if i % 2:
            urls.append(f"https://ailleurs.example.org/a/{i}")
        records.append(
            Record(
                id=f"algo-{i}",
                folder="bench",
                path=Path(f"algorithms/bench/algo-{i}.yml"),
                data={
                    "nom": f"Algorithme {i}",
                    "administration": {"nom": f"org-{i % ADMINISTRATIONS}"},
                    "date_mise_a_jour": dt.date(2025 + i % 2, 1 + i % 12, 1),
                    "niveau_automatisation": (
                        "decision_entierement_automatisee" if i % 3 else "aide_a_la_decision"
                    ),
                    "ressources": [{"type": "code_source", "url": u} for u in urls],
                },
            )
        )
    return tuple(records), tuple(repositories)


def best(run, times: int = 3) -> float:
    durations = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        durations.append(time.perf_counter() - started)
    return min(durations)


def main() -> None:
    records, repositories = world()

    def fresh() -> SiteData:
        return SiteData(
            records=records,
            catalogue=CatalogueSnapshot(repositories=repositories),
            crawled=True,
            generated_at="2026-11-28T12:00:00+00:00",
        )

    def baseline() -> None:
        _ = fresh().index

    def joined() -> None:
        site = fresh()
        administrations = site.index.administrations  # shared with the baseline: excluded
        started = time.perf_counter()
        site.insights  # noqa: B018 - links, indicators
        insights.indicators_page(site)
        insights.home_section(site)
        for administration in administrations:
            insights.administration_section(site, administration)
        found = site.insights
        texts = {
            **links.render(site.records, site.repositories, found.links, found.redirects),
            **indicators.render(found.indicator_rows()),
        }
        with tempfile.TemporaryDirectory() as folder:
            insights.write_feeds_of(site, Path(folder))
            write_texts(Path(folder) / "donnees", texts, force=True)
        joined.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]

    base = best(baseline)
    runs = []
    for _ in range(3):
        joined()
        runs.append(joined.elapsed)  # type: ignore[attr-defined]
    extra = min(runs)
    print(f"{RECORDS} fiches, {REPOSITORIES} dépôts, {ADMINISTRATIONS} administrations")
    print(f"jointure du site (référence) : {base:.2f} s")
    print(f"liens, indicateurs, graphiques et flux : {extra:.2f} s")
    print(f"ratio indicateurs / jointure : {extra / base:.2f}")


if __name__ == "__main__":
    main()
