"""A small crawl database (real SQLite, two crawls) and a roadmap with one commitment of each
kind, shared by the tests of the tracking, the exports, the feed and the page."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from crawlers.base import ForgeKind, Listing, Target
from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.catalogue.store import Store, read_snapshot
from inventory.model import Organisation, Repository
from inventory.register.openings import Roadmap, load_roadmap

TODAY = dt.date(2026, 12, 4)
API = "https://api.github.com"

ROADMAP = """\
feuille_de_route:
  titre: Feuille de route de l'Exemple 2021-2023
  administration: {nom: Ministère de l'Exemple, sigle: ME}
  date: 2021-09-27
  url: https://exemple.gouv.fr/feuille-de-route
engagements:
  - code: Outil à temps
    echeance: T4 2021
    depot: https://github.com/etalab/a-temps
  - code: Outil en retard
    echeance: T3 2021
    depot: https://github.com/etalab/en-retard
  - code: Outil jamais ouvert
    echeance: T1 2022
    depot: https://github.com/etalab/jamais
  - code: Outil futur
    echeance: S2 2027
    depot: https://github.com/etalab/futur
  - code: Outil sans adresse
    echeance: T4 2021
  - code: Baromètre
    administration: {nom: Délégation de l'Exemple, sigle: DEX}
    echeance: T2 2022
    depot: https://www.gouvernement.fr/les-actions-du-gouvernement
  - code: Outil d'un compte non moissonné
    echeance: T4 2021
    depot: https://github.com/inconnu/outil
  - code: Outil renommé
    echeance: T4 2021
    depot: https://github.com/Etalab/Ancien-Nom/tree/main
  - code: Outil supprimé
    echeance: T4 2021
    depot: https://github.com/etalab/supprime
  - code: Services ouverts par défaut
    echeance: par_defaut
    depot: https://github.com/betagouv
  - code: Plateforme d'échange
    echeance: T1 2022
    depot: https://github.com/ancien-compte
  - code: Outil daté par le moissonnage
    echeance: T1 2022
    depot: https://github.com/etalab/sans-date
"""


def repo(owner: str, name: str, created: str | None, number: int, **extra) -> Repository:
    return Repository(
        id=f"github.com/{number}",
        name=name,
        organization_name=owner,
        platform="github.com",
        repository_url=f"https://github.com/{owner}/{name}",
        forge="github",
        creation_date=created,
        **extra,
    )


def target(owner: str) -> Target:
    return Target("github.com", ForgeKind.GITHUB, API, owner)


def listing(owner: str, *repos: Repository, renamed_to: str | None = None) -> Listing:
    organisation = Organisation(login=renamed_to or owner, platform="github.com", forge="github")
    return Listing(target(owner), (organisation,), repos, renamed_to=renamed_to)


def crawl_database(db: Path) -> Path:
    """Two crawls: the first on 2022-05-01, the second on 2023-03-01 (a repository renamed,
    another deleted in between)."""
    a_temps = repo("etalab", "a-temps", "2021-10-15T09:00:00Z", 1)
    en_retard = repo("etalab", "en-retard", "2022-01-10T09:00:00Z", 2)
    ancien = repo("etalab", "ancien-nom", "2021-11-01T09:00:00Z", 3)
    supprime = repo("etalab", "supprime", "2021-12-01T09:00:00Z", 4)
    sans_date = repo("etalab", "sans-date", None, 5)
    autre = repo("etalab", "autre", "2020-01-01T09:00:00Z", 6)
    beta = (
        repo("betagouv", "avant", "2021-08-01T00:00:00Z", 10),
        repo("betagouv", "octobre", "2021-10-05T00:00:00Z", 11),
        repo("betagouv", "novembre", "2021-11-20T00:00:00Z", 12),
        repo("betagouv", "fevrier", "2022-02-02T00:00:00Z", 13),
        repo("betagouv", "bifurcation", "2021-10-10T00:00:00Z", 14, is_fork=True),
    )
    hub = repo("nouveau-compte", "hub", "2022-02-01T00:00:00Z", 20)
    with Store.open(db) as store:
        first = "2022-05-01T08:00:00+00:00"
        store.save_listing(
            listing("etalab", a_temps, en_retard, ancien, supprime, sans_date, autre), now=first
        )
        store.save_listing(listing("betagouv", *beta), now=first)
        store.save_listing(listing("ancien-compte", hub, renamed_to="nouveau-compte"), now=first)
        second = "2023-03-01T08:00:00+00:00"
        renamed = Repository(
            **{
                **ancien.__dict__,
                "name": "nouveau-nom",
                "repository_url": "https://github.com/etalab/nouveau-nom",
            }
        )
        store.save_listing(
            listing("etalab", a_temps, en_retard, renamed, sans_date, autre), now=second
        )
    return db


def snapshot(tmp_path: Path) -> CatalogueSnapshot:
    return read_snapshot(crawl_database(tmp_path / "crawl.sqlite3"))


def roadmap(tmp_path: Path, text: str = ROADMAP, name: str = "exemple-2021.yml") -> Roadmap:
    folder = tmp_path / "ouvertures"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    loaded, problems = load_roadmap(path)
    assert loaded is not None, problems
    return loaded
