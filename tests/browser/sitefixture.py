"""The browser tests' data set and the real site build made from it.

A temporary project root receives the project's ``mkdocs.yml``, ``site/`` and ``schemas/``
plus the fixture records of ``fixtures/algorithms`` (one of them hostile); a crawl database
is written through the real :class:`inventory.catalogue.store.Store`; then ``inventory build`` runs
there, as a user would run it. Expected values are computed from the same inputs, never
written by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from crawlers.base import ForgeKind, Listing, Target
from inventory.model import Organisation, Repository

PROJECT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RECORDS = FIXTURES / "algorithms"

DGFIP_PSO_ID = "6f0a2c5e-1b7d-4c1a-9e3f-2d4b5a6c7d8e"
XSS_DESCRIPTION = "Outil <img src=x onerror=\"window.__xss='depot'\"> <script>alert(1)</script>"

# (host, forge, owner, display name, pso_id)
OWNERS: tuple[tuple[str, ForgeKind, str, str, str | None], ...] = (
    ("github.com", ForgeKind.GITHUB, "etalab", "Etalab", None),
    ("github.com", ForgeKind.GITHUB, "betagouv", "beta.gouv.fr", None),
    ("gitlab.example.org", ForgeKind.GITLAB, "dgfip", "DGFiP", DGFIP_PSO_ID),
    ("git.example.fr", ForgeKind.GITEA, "ville", "Ville de Paris", None),
)
LANGUAGES = ("Python", "JavaScript", "Java", None, "OCaml")
LICENCES = ("MIT", "EUPL-1.2", "etalab-2.0", None)
REPOSITORY_COUNT = 120  # three pages of 50 in the explorer


@dataclass(frozen=True)
class Expected:
    """What the built site holds: the records (id -> YAML mapping) and the repositories."""

    records: Mapping[str, Mapping[str, Any]]
    repositories: tuple[Repository, ...]
    generated_at: str


def _repositories() -> list[tuple[int, Repository]]:
    """A deterministic, varied set: (owner index, repository)."""
    out = []
    base = dt.date(2026, 1, 1)
    for i in range(REPOSITORY_COUNT):
        owner_index = i % len(OWNERS)
        host, forge, owner, _, pso_id = OWNERS[owner_index]
        name = f"projet-{i:03d}"
        theme = "éducation" if i % 7 == 0 else "fiscalité"
        description = f"Outil numéro {i} pour la démarche {theme}"
        if i == 2:  # an owner of DGFiP, linked from the calcul-impot record
            name, description = "ir-calcul", "Calculette de l'impôt sur le revenu"
        if i == 5:
            description = XSS_DESCRIPTION
        activity = (base + dt.timedelta(days=(i * 37) % 300)).isoformat() + "T12:00:00Z"
        out.append(
            (
                owner_index,
                Repository(
                    id=f"{host}/{owner}/{name}",
                    name=name,
                    organization_name=owner,
                    platform=host,
                    repository_url=f"https://{host}/{owner}/{name}",
                    forge=forge.value,
                    description=description,
                    default_branch="main",
                    is_fork=i % 9 == 4,
                    is_archived=i % 10 == 3,
                    creation_date="2020-01-01T00:00:00Z",
                    last_update=activity,
                    last_modification=activity,
                    stars_count=(i * 53) % 997,
                    forks_count=i % 5,
                    license=LICENCES[i % len(LICENCES)],
                    open_issues_count=0,
                    language=LANGUAGES[i % len(LANGUAGES)],
                    topics=(),
                    pso_id=pso_id,
                ),
            )
        )
    return out


def write_database(path: Path) -> tuple[Repository, ...]:
    """Write the crawl database with the real store, one listing per owner."""
    from inventory.catalogue.store import Store

    repositories = _repositories()
    with Store.open(path) as store:
        for index, (host, forge, owner, display, pso_id) in enumerate(OWNERS):
            api = "https://api.github.com" if host == "github.com" else f"https://{host}/api"
            target = Target(host=host, forge=forge, api_url=api, owner=owner, pso_id=pso_id)
            organisation = Organisation(
                login=owner,
                platform=host,
                forge=forge.value,
                name=display,
                organization_url=f"https://{host}/{owner}",
                repositories_count=sum(1 for i, _ in repositories if i == index),
                pso_id=pso_id,
            )
            store.save_listing(
                Listing(
                    target=target,
                    organisations=(organisation,),
                    repositories=tuple(r for i, r in repositories if i == index),
                )
            )
        return tuple(store.repositories())


def load_records() -> dict[str, Mapping[str, Any]]:
    records = {}
    for path in sorted(RECORDS.glob("*/*.yml")):
        with path.open(encoding="utf-8") as handle:
            records[path.stem] = yaml.safe_load(handle)
    return records


#: The record the fixture's git history changes (its first version, then the fixture's file).
HISTORY_RECORD = "algorithms/dgfip/calcul-impot.yml"


def prepare_project(root: Path) -> None:
    """A project root as a fresh clone has it, with the fixture records, in a git repository
    whose history has two versions of :data:`HISTORY_RECORD` (the last one merged by a pull
    request), so that the site shows a record's history."""
    from tests.history_repo import Script

    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(PROJECT / "site", root / "site")
    shutil.copytree(PROJECT / "schemas", root / "schemas")
    shutil.copytree(RECORDS, root / "algorithms")
    shutil.copytree(FIXTURES / "ouvertures", root / "ouvertures")
    script = Script(root)
    final = (root / HISTORY_RECORD).read_text(encoding="utf-8")
    first = final.replace("statut: en_service", "statut: experimentation").replace(
        "finalite: Calculer l'impôt dû par chaque foyer fiscal.",
        "finalite: Calculer l'impôt sur le revenu dû par chaque foyer.",
    )
    assert first != final
    script.write(HISTORY_RECORD, first)
    script.commit("Ajout des fiches")
    script.write(HISTORY_RECORD, final)
    script.commit("Merge pull request #12 from dgfip/mise-en-service")


def run_build(root: Path, db: Path, out: Path) -> None:
    """``inventory build --db DB --out OUT`` run from the project root, as a user would."""
    from inventory.cli import main

    previous = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(
            main, ["build", "--db", str(db), "--out", str(out)], catch_exceptions=False
        )
    finally:
        os.chdir(previous)
    if result.exit_code != 0:
        raise AssertionError(f"inventory build a échoué ({result.exit_code}) :\n{result.output}")


def build(work: Path) -> tuple[Path, Expected]:
    root = work / "projet"
    prepare_project(root)
    db = work / "inventaire.sqlite3"
    repositories = write_database(db)
    out = work / "public"
    run_build(root, db, out)
    generated = (out / "codes-sources" / "depots.json").read_text(encoding="utf-8")
    import json

    generated_at = json.loads(generated).get("generated_at", "")
    return out, Expected(load_records(), repositories, generated_at)
