"""Benchmark of ``inventory build`` against a bare ``mkdocs build`` of the same tree.

Generates national-scale data in a temporary project: 2,000 algorithm records as YAML files,
1,300 administrations (crawled owners carrying a ``pso_id``, records pointing at some of them)
and 30,000 repositories in a real SQLite crawl store (``inventory.catalogue.store.Store``).
Then, side by side, at full and at half scale:

(a) the full pipeline, ``inventory build --db ... --out ...`` in a subprocess (checking,
    generation of build/docs/, exports, navigation, plugins, MkDocs rendering);
(b) a bare ``python -m mkdocs build`` of the SAME build/docs/ tree, with the same theme and
    Markdown extensions, a two-entry navigation and only the search plugin.

Target: a/b <= 1.3, linear growth, search index < 5 MB. The last line printed is
the full-scale ratio a/b.

    python benchmarks/bench_build.py [--algorithms 2000] [--administrations 1300]
                                     [--repositories 30000] [--keep] [--repeat 1]

Before the ratio, each scale prints the pipeline's own steps (``inventory build --timings``):
the main line (checking, crawl reading, joins and indicators, page generation, MkDocs) and
the steps run beside it in forked children (exports, part of the pages). On a noisy machine,
``--repeat 2`` measures again (b before a the second time) and keeps the fastest of each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.synthetic import WORDS, paragraph, sentence  # noqa: E402
from crawlers.base import ForgeKind, Listing, Target  # noqa: E402
from inventory.catalogue.store import Store  # noqa: E402
from inventory.model import Organisation, Repository  # noqa: E402

LANGUAGES = ("Python", "Java", "JavaScript", "PHP", "TypeScript", "Go", "R", "C", "Ruby", "")
LICENCES = ("EUPL-1.2", "MIT", "AGPL-3.0-or-later", "Apache-2.0", "CECILL-2.1", "etalab-2.0", "")
HOSTS = ("github.com", "gitlab.com", "git.beta.gouv.fr", "forge.example.gouv.fr", "codeberg.org")


def administration_names(count: int) -> list[tuple[str, str]]:
    rng = random.Random(7)
    kinds = ("Commune de", "Département de", "Ministère de", "Agence de", "Caisse de", "Région")
    return [
        (f"{rng.choice(kinds)} {rng.choice(WORDS).capitalize()} {i}", str(uuid.UUID(int=i + 1)))
        for i in range(count)
    ]


def write_records(
    root: Path, count: int, admins: list[tuple[str, str]], repo_urls: list[list[str]]
) -> None:
    rng = random.Random(11)
    today = dt.date.today()
    for i in range(count):
        index = rng.randrange(len(admins) // 3 or 1)  # records come from a third of them
        name, pso_id = admins[index]
        folder = f"admin-{index:04}"
        urls = repo_urls[index] or [f"https://github.com/admin-{index:04}/absent"]
        record: dict[str, Any] = {
            "nom": f"{sentence(rng, 5)[:-1]} {i}",
            "administration": {"nom": name, "sigle": f"A{index}", "pso_id": pso_id},
            "contact": f"algorithmes@admin-{index}.example.fr",
            "date_mise_a_jour": (today - dt.timedelta(days=rng.randrange(300))).isoformat(),
            "statut": rng.choice(["en_service", "en_developpement", "experimentation", "retire"]),
            "contexte": paragraph(rng, 3),
            "finalite": paragraph(rng, 2),
            "intervention_dans_la_decision": paragraph(rng, 3),
            "niveau_automatisation": rng.choice(
                ["decision_entierement_automatisee", "aide_a_la_decision"]
            ),
            "fondements_juridiques": [
                {
                    "titre": f"Code {rng.choice(WORDS)}, article L{rng.randint(100, 999)}-{n}",
                    "url": f"https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI{i:08}{n}",
                }
                for n in range(2)
            ],
            "decisions_par_an": rng.randint(10, 5_000_000),
            "portee_decision": rng.choice(["externe", "interne"]),
            "public_concerne": paragraph(rng, 1),
            "donnees": [
                {
                    "nom": sentence(rng, 3),
                    "source": sentence(rng, 4),
                    "mode_collecte": sentence(rng, 6),
                    "donnees_personnelles": rng.random() < 0.5,
                }
                for _ in range(3)
            ],
            "type_algorithme": rng.choice(
                ["systeme_de_regles", "apprentissage_automatique", "hybride"]
            ),
            "operations": paragraph(rng, 4),
            "parametres": [
                {
                    "nom": sentence(rng, 2),
                    "ponderation": rng.randint(1, 10),
                    "description": sentence(rng, 8),
                }
                for _ in range(2)
            ],
            "ressources": [
                {"type": "code_source", "url": rng.choice(urls), "titre": "Code source"},
                {"type": "documentation", "url": f"https://doc.example.fr/{i}", "titre": "Notice"},
            ],
        }
        path = root / folder / f"algorithme-{i:05}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")


def write_store(path: Path, admins: list[tuple[str, str]], repositories: int) -> list[list[str]]:
    """One crawled owner per administration, repositories spread unevenly; their URLs."""
    rng = random.Random(5)
    weights = [1 / (i + 1) ** 0.8 for i in range(len(admins))]
    counts = [0] * len(admins)
    for index in rng.choices(range(len(admins)), weights=weights, k=repositories):
        counts[index] += 1
    urls: list[list[str]] = []
    now = dt.datetime.now(dt.UTC)
    with Store.open(path) as store:
        for index, (name, pso_id) in enumerate(admins):
            host = HOSTS[index % len(HOSTS)]
            login = f"admin-{index:04}"
            forge = ForgeKind.GITHUB if host == "github.com" else ForgeKind.GITLAB
            platform = "GitHub" if forge is ForgeKind.GITHUB else "GitLab"
            target = Target(
                host=host, forge=forge, api_url=f"https://{host}/api", owner=login, pso_id=pso_id
            )
            repos = []
            for n in range(counts[index]):
                updated = (now - dt.timedelta(days=rng.randrange(2000))).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                )
                repos.append(
                    Repository(
                        id=f"{host}/{login}/depot-{n}",
                        name=f"depot-{n}-{rng.choice(WORDS)}",
                        organization_name=login,
                        platform=platform,
                        repository_url=f"https://{host}/{login}/depot-{n}",
                        forge=forge.value,
                        description=sentence(rng, 8),
                        is_fork=rng.random() < 0.1,
                        is_archived=rng.random() < 0.1,
                        last_update=updated,
                        stars_count=rng.randint(0, 300),
                        license=rng.choice(LICENCES) or None,
                        language=rng.choice(LANGUAGES) or None,
                        pso_id=pso_id,
                    )
                )
            organisation = Organisation(
                login=login,
                platform=platform,
                forge=forge.value,
                name=name,
                organization_url=f"https://{host}/{login}",
                pso_id=pso_id,
                repositories_count=len(repos),
            )
            store.save_listing(
                Listing(target=target, organisations=(organisation,), repositories=tuple(repos))
            )
            urls.append([r.repository_url for r in repos])
    return urls


def make_project(root: Path, algorithms: int, administrations: int, repositories: int) -> Path:
    root.mkdir(parents=True)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(PROJECT / "site", root / "site")
    shutil.copytree(PROJECT / "schemas", root / "schemas")
    admins = administration_names(administrations)
    urls = write_store(root / "crawl.sqlite3", admins, repositories)
    write_records(root / "algorithms", algorithms, admins, urls)
    return root


def bare_config(project: Path) -> Path:
    """Same theme and Markdown extensions, two-entry navigation, search plugin only."""
    config = yaml.load((project / "mkdocs.yml").read_text("utf-8"), Loader=yaml.SafeLoader)
    bare = {
        "site_name": config["site_name"],
        "docs_dir": "build/docs",
        "site_dir": "public-bare",
        "use_directory_urls": True,
        "theme": config["theme"],
        "nav": [{"Accueil": "index.md"}, {"Algorithmes": "algorithmes/index.md"}],
        "plugins": ["search"],
        "markdown_extensions": config["markdown_extensions"],
    }
    path = project / "mkdocs-bare.yml"
    path.write_text(yaml.safe_dump(bare, allow_unicode=True, sort_keys=False), "utf-8")
    return path


# The whole ``inventory build`` of a project made by :func:`make_project`, in a new process.
BUILD = [
    sys.executable, "-c", "from inventory.cli import main; main()",
    "build", "--db", "crawl.sqlite3", "--out", "public",
]  # fmt: skip


def timed(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """(wall-clock seconds, CPU seconds of the child, its standard output) of one run."""
    # The child imports this checkout, whatever copy of the package is installed.
    path = os.pathsep.join(p for p in (str(PROJECT), os.environ.get("PYTHONPATH", "")) if p)
    environment = {**os.environ, "PYTHONPATH": path}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"échec de {' '.join(command)} :\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done.stdout


PARALLEL = " (en parallèle)"


def phases(output: str) -> list[tuple[str, float]]:
    """The ``(label, seconds)`` lines ``inventory build --timings`` printed."""
    found = []
    lines = output.splitlines()
    if "Durées par étape :" in lines:
        for line in lines[lines.index("Durées par étape :") + 1 :]:
            label, _, value = line.strip().rpartition(" : ")
            if label and value.endswith(" s"):
                found.append((label, float(value[:-2].replace(",", "."))))
    return found


def show_phases(steps: list[tuple[str, float]], wall: float) -> None:
    """Per-step times of the pipeline; what is left of the wall time is start-up and exit."""
    main_line = sum(seconds for label, seconds in steps if not label.endswith(PARALLEL))
    print("  Étapes de (a) :")
    for label, seconds in steps:
        print(f"    {label:<58} {seconds:6.2f} s")
    print(f"    {'démarrage (imports), configuration, fin':<58} {wall - main_line:6.2f} s")


def measure(
    project: Path, *, bare_first: bool = False
) -> tuple[tuple[float, float, str], tuple[float, float, str], int, int]:
    """((wall, cpu, output) of the pipeline, same of bare MkDocs, index bytes, pages).

    ``bare_first`` runs (b) before (a) (only possible once build/docs/ exists): alternating
    the order cancels what one run leaves to the next (disk write-back, caches)."""
    config = bare_config(project)
    bare_command = [
        sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", "public-bare",
    ]  # fmt: skip
    bare = timed(bare_command, project) if bare_first else None
    pipeline = timed([*BUILD, "--timings"], project)
    if bare is None:
        bare = timed(bare_command, project)
    index = (project / "public" / "search" / "search_index.json").stat().st_size
    pages = sum(1 for _ in (project / "build" / "docs").rglob("*.md"))
    return pipeline, bare, index, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--algorithms", type=int, default=2000)
    parser.add_argument("--administrations", type=int, default=1300)
    parser.add_argument("--repositories", type=int, default=30000)
    parser.add_argument("--keep", action="store_true", help="garder le dossier temporaire")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="mesures par échelle (a puis b, puis b puis a...) ; la plus rapide est gardée",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        results = {}
        for label, factor in (("moitié", 0.5), ("totalité", 1.0)):
            sizes = (
                int(args.algorithms * factor),
                int(args.administrations * factor),
                int(args.repositories * factor),
            )
            print(
                f"Génération ({label}) : {sizes[0]} fiches, {sizes[1]} administrations, "
                f"{sizes[2]} dépôts…",
                flush=True,
            )
            project = make_project(work / label, *sizes)
            runs = [measure(project, bare_first=n % 2 == 1) for n in range(max(1, args.repeat))]
            (pipeline, pipeline_cpu, output) = min((run[0] for run in runs), key=lambda r: r[0])
            (bare, bare_cpu, _) = min((run[1] for run in runs), key=lambda r: r[0])
            index, pages = runs[-1][2], runs[-1][3]
            results[label] = (pipeline, bare)
            print(
                f"  {pages} pages Markdown ; (a) inventory build : {pipeline:.1f} s "
                f"(CPU {pipeline_cpu:.1f} s) ; (b) mkdocs build nu : {bare:.1f} s "
                f"(CPU {bare_cpu:.1f} s) ; rapport a/b : {pipeline / bare:.2f} "
                f"(en temps CPU : {pipeline_cpu / bare_cpu:.2f}) ; "
                f"index de recherche : {index / 1e6:.2f} Mo",
                flush=True,
            )
            show_phases(phases(output), pipeline)
        half, full = results["moitié"], results["totalité"]
        print(
            f"Linéarité : totalité / moitié = {full[0] / half[0]:.2f} pour (a), "
            f"{full[1] / half[1]:.2f} pour (b) (2,00 = linéaire)"
        )
        print(f"Temps absolu à l'échelle nationale : {full[0]:.1f} s (cible du rapport : ≤ 1,3)")
        print(f"rapport a/b = {full[0] / full[1]:.2f}")
    finally:
        if args.keep:
            print(f"Dossier conservé : {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
