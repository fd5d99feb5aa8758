"""Golden and behavioural tests of the generated Markdown, from small known data."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from inventory.site import administrations, algorithms, home, repositories
from inventory.site.sitedata import SiteData
from tests.site import factories as f

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("INVENTORY_UPDATE_GOLDEN") == "1"


def golden(name: str, text: str) -> None:
    """Compare with ``golden/<name>``; INVENTORY_UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"fichier de référence absent : {path} (INVENTORY_UPDATE_GOLDEN=1)"
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture
def data() -> SiteData:
    apl = f.record("calcul-apl")
    bourses = f.record(
        "bourses",
        folder="mesr",
        nom="Attribution des bourses sur critères sociaux",
        administration={"nom": "Ministère de l'Enseignement supérieur"},
        niveau_automatisation="aide_a_la_decision",
        type_algorithme="hybride",
        statut="experimentation",
        portee_decision=None,
        parametres=None,
        ressources=None,
        decisions_par_an=None,
        contact="https://www.etudiant.gouv.fr/contact",
    )
    repos = (
        f.repository("apl"),
        f.repository("outils", last_update="2025-06-01T00:00:00Z", license=None),
        f.repository(
            "site",
            owner="mesr-num",
            pso_id=None,
            platform="GitLab",
            repository_url="https://gitlab.example.fr/mesr-num/site",
        ),
        f.repository("orphelin", owner="inconnu", pso_id=None),
    )
    organisations = (
        f.organisation("Example"),
        f.organisation(
            "mesr-num",
            platform="GitLab",
            name="Ministère de l'enseignement supérieur",
            pso_id=None,
            organization_url="https://gitlab.example.fr/mesr-num",
        ),
    )
    return f.site((apl, bourses), repos, organisations)


def pages(data: SiteData) -> dict[str, str]:
    found = dict(algorithms.pages(data))
    found.update(administrations.pages(data))
    found.update(repositories.pages(data))
    found["index.md"] = home.page(data)
    return found


def test_golden_pages(data: SiteData) -> None:
    generated = pages(data)
    for path in (
        "index.md",
        "algorithmes/index.md",
        "algorithmes/calcul-apl.md",
        "algorithmes/bourses.md",
        "administrations/index.md",
        "administrations/caisse-nationale-des-allocations-familiales.md",
        "codes-sources/index.md",
        "codes-sources/depots.json",
    ):
        golden(path.replace("/", "__"), generated[path])


def test_front_matter_is_yaml_with_a_title(data: SiteData) -> None:
    for path, text in pages(data).items():
        if path.endswith(".md"):
            head = text.split("---\n")[1]
            assert yaml.safe_load(head)["title"], path


def test_catalogue_cards_carry_raw_codes_and_french_labels(data: SiteData) -> None:
    text = algorithms.catalogue(data)
    cards = re.findall(r'<li class="inv-card" ([^>]*)>', text)
    assert len(cards) == 2
    bourses = next(c for c in cards if "critere" in c)
    assert 'data-administration="Ministère de l&#x27;Enseignement supérieur"' in bourses
    assert 'data-niveau="aide_a_la_decision"' in bourses
    assert 'data-type="hybride"' in bourses
    assert 'data-statut="experimentation"' in bourses
    assert 'data-portee=""' in bourses
    assert (
        'data-texte="attribution des bourses sur criteres sociaux ministere de l&#x27;' in bourses
    )
    assert '<h2 class="inv-card__title"><a href="bourses/">Attribution des bourses' in text
    assert "Aide à la décision" in text and "Expérimentation" in text
    assert text.count('<div class="inv-catalogue" data-inv-catalogue>') == 1
    labels = re.search(r'<script type="application/json" id="inv-labels">(.*?)</script>', text)
    assert labels is not None
    decoded = json.loads(labels.group(1))
    assert set(decoded) == {"niveau", "type", "statut", "portee"}
    assert decoded["statut"]["retire"] == "Retiré"


def test_algorithm_page_shows_the_four_sections_and_links(data: SiteData) -> None:
    text = pages(data)["algorithmes/calcul-apl.md"]
    for heading in (
        "## Informations sur l'administration",
        "## Informations métier sur l'algorithme et la décision",
        "## Informations sur l'impact de la décision",
        "## Informations sur le fonctionnement interne de l'algorithme",
    ):
        assert heading in text
    assert (
        '<a href="https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000038875316" '
        'rel="noopener nofollow">Code de la construction' in text
    )
    assert "6\u202f500\u202f000" in text
    assert '<a href="mailto:contact@caf.example.fr"' in text
    assert "<td>Ressources du foyer</td>" in text
    assert "<td>Oui</td>" in text  # données personnelles
    assert "<td>Loyer</td>" in text
    assert '<time datetime="2025-03-01">1er mars 2025</time>' in text
    assert "https://git.example.org/registre/blob/main/algorithms/cnaf/calcul-apl.yml" in text
    assert "https://git.example.org/registre/commits/main/algorithms/cnaf/calcul-apl.yml" in text


def test_code_source_resource_matches_a_crawled_repository(data: SiteData) -> None:
    # The record says https://github.com/Example/apl.git; the crawl has .../Example/apl.
    text = pages(data)["algorithmes/calcul-apl.md"]
    row = re.search(r"<tr><td><a href=\"https://github.com/Example/apl\".*?</tr>", text)
    assert row is not None
    assert "EUPL-1.2" in row.group(0)
    assert "Python" in row.group(0)
    assert '<time datetime="2025-05-02">2 mai 2025</time>' in row.group(0)


def test_unmatched_code_source_says_not_crawled() -> None:
    rec = f.record("x", ressources=[{"type": "code_source", "url": "https://git.example.fr/a"}])
    text = algorithms.algorithm(f.site((rec,), (f.repository("b"),)), rec)
    assert "Dépôt non moissonné" in text


def test_deep_link_into_a_self_hosted_gitea_matches_its_repository() -> None:
    # An unknown host: only the crawl knows it is a Gitea, whose deep links are /src/branch/...
    url = "https://forge.ville.example.fr/Urbanisme/cotation/src/branch/main/calcul.py"
    rec = f.record("x", ressources=[{"type": "code_source", "url": url}])
    gitea = f.repository(
        "cotation",
        "Urbanisme",
        platform="forge.ville.example.fr",
        forge="gitea",
        repository_url="https://forge.ville.example.fr/Urbanisme/cotation",
    )
    text = algorithms.algorithm(f.site((rec,), (gitea,)), rec)
    assert "Dépôt non moissonné" not in text
    assert "EUPL-1.2" in text
    # The same deep link on a GitLab host names a subgroup path: it must not match.
    gitlab = f.repository(
        "cotation",
        "Urbanisme",
        platform="forge.ville.example.fr",
        forge="gitlab",
        repository_url="https://forge.ville.example.fr/Urbanisme/cotation",
    )
    text = algorithms.algorithm(f.site((rec,), (gitlab,)), rec)
    assert "Dépôt non moissonné" in text


def test_missing_optional_fields_read_non_renseigne(data: SiteData) -> None:
    text = pages(data)["algorithmes/bourses.md"]
    assert text.count('<span class="inv-missing">Non renseigné</span>') >= 3
    assert "Aucun paramètre n'est décrit." in text
    assert "Aucune ressource n'est indiquée." in text


def test_administrations_meet_on_pso_id_then_on_name(data: SiteData) -> None:
    admins = {a.name: a for a in data.index.administrations}
    cnaf = admins["Caisse nationale des allocations familiales"]
    assert [r.id for r in cnaf.records] == ["calcul-apl"]
    assert [o.login for o in cnaf.organisations] == ["Example"]
    assert [r.name for r in cnaf.repositories] == ["outils", "apl"]  # most recent first
    mesr = admins["Ministère de l'Enseignement supérieur"]  # same name, other case: one page
    assert [r.id for r in mesr.records] == ["bourses"]
    assert [o.login for o in mesr.organisations] == ["mesr-num"]
    # An owner known only from the crawl still gets a page.
    assert [r.name for r in admins["inconnu"].repositories] == ["orphelin"]
    assert len(admins) == 3


def test_administration_page_lists_algorithms_and_repositories(data: SiteData) -> None:
    text = pages(data)["administrations/caisse-nationale-des-allocations-familiales.md"]
    assert '<a href="../../algorithmes/calcul-apl/">Calcul de l&#x27;aide au logement</a>' in text
    assert '<a href="https://github.com/Example/outils" rel="noopener nofollow">outils</a>' in text
    assert "search:\n  exclude: true" in text
    assert '<a href="../../codes-sources/?organisation=Example">' in text


def test_administration_page_keeps_its_repository_table_small() -> None:
    repos = tuple(f.repository(f"r{i:03}") for i in range(administrations.MAX_REPOSITORIES + 20))
    data = f.site((f.record("a"),), repos, (f.organisation(),))
    admin = data.index.administrations[0]
    text = administrations.page(data, admin)
    assert text.count("<tr><td>") == administrations.MAX_REPOSITORIES
    assert "70 dépôts moissonnés, dont les 50 plus récemment actifs" in text


def test_repository_json_is_compact_with_french_keys(data: SiteData) -> None:
    text = repositories.explorer_json(data)
    assert "\n" not in text and ": " not in text
    decoded = json.loads(text)
    assert decoded["generated_at"] == "2025-06-01T12:00:00+00:00"
    first = decoded["repositories"][0]
    assert list(first) == [
        "nom", "organisation", "forge", "url", "description", "langage", "licence",
        "etoiles", "fork", "archive", "derniere_activite", "score", "archive_swh",
    ]  # fmt: skip
    assert first["forge"] == "github.com"
    assert {r["forge"] for r in decoded["repositories"]} == {"github.com", "gitlab.example.fr"}


def test_without_crawl_the_code_pages_say_so() -> None:
    data = f.site((f.record("a"),), crawled=False)
    text = repositories.page(data)
    assert "Aucun moissonnage n'a encore été effectué" in text
    assert '<div id="inv-explorer" data-src="depots.json"></div>' in text
    assert json.loads(repositories.explorer_json(data))["repositories"] == []
    assert "Aucun moissonnage" in home.page(data)
    admin = data.index.administrations[0]
    assert "Aucun moissonnage n'a encore été effectué." in administrations.page(data, admin)


def test_home_shows_key_figures(data: SiteData) -> None:
    text = home.page(data)
    figures = re.findall(
        r'<strong class="inv-figure__value">([^<]*)</strong> '
        r'<span class="inv-figure__label">([^<]*)</span>',
        text,
    )
    assert figures == [
        ("2", "algorithmes"),
        ("3", "administrations"),
        ("4", "dépôts de code source"),
        ("2", "forges moissonnées"),
    ]


def test_host_of_a_repository_url() -> None:
    # URL matching itself (case, scheme, .git, trailing /, subgroups...) is tested with
    # inventory.insights.links in tests/insights/test_links.py: the site uses that one matcher.
    from inventory.site.paths import host

    assert host("https://user@Git.Example.fr:8443/a") == "git.example.fr"
    assert host("pas une adresse") == ""


def test_fold_strips_accents_for_the_catalogue_search() -> None:
    from inventory.site.paths import fold, slugify

    assert fold("Élève ÇA naïve Œuvre") == "eleve ca naive œuvre"
    assert fold(None) == ""
    assert slugify("Ministère de l'Éducation nationale") == "ministere-de-l-education-nationale"


def test_relative_links_follow_directory_urls() -> None:
    from inventory.site.paths import href

    assert href("algorithmes/index.md", "algorithmes/x.md") == "x/"
    assert href("algorithmes/x.md", "administrations/y.md") == "../../administrations/y/"
    assert href("index.md", "algorithmes/index.md") == "algorithmes/"
    assert href("algorithmes/x.md", "index.md") == "../../"
    assert href("contribuer.md", "format/index.md") == "../format/"
    assert href("donnees/index.md", "donnees/repos.csv") == "repos.csv"
    assert href("codes-sources/index.md", "donnees/repos.csv") == "../donnees/repos.csv"
