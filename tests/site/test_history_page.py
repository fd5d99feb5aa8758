"""« Historique de la fiche », « Dernières modifications » and the Atom feeds of changes, from
a register built by scripted commits; the site build without git and in a shallow clone."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from inventory.insights.feeds import ATOM, CHANGES_FEED, FeedContext, write_changes_feeds
from inventory.insights.history import RegisterHistory, read_history
from inventory.register.validate import check_paths
from inventory.site import algorithms, builder, history
from inventory.site.devices import Devices
from inventory.site.sitedata import SiteData
from tests import history_repo
from tests.site import factories
from tests.site.project import make_project, write_record

GITLAB = "https://gitlab.example.org/cnaf/registre"
GITHUB = "https://github.com/cnaf/registre"


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("registre")
    return root, history_repo.build(root)


def site_of(root: Path, repo_url: str, register: RegisterHistory | None = None) -> SiteData:
    records = tuple(sorted(check_paths([root / "algorithms"]).records, key=lambda r: r.id))
    found = register if register is not None else read_history(root / "algorithms")
    return SiteData(records=records, repo_url=repo_url, history=found)


def test_algorithm_page_shows_each_version_with_links(
    scripted: tuple[Path, dict[str, str]],
) -> None:
    root, shas = scripted
    site = site_of(root, GITHUB)
    record = next(r for r in site.records if r.id == "prime-activite")
    page = algorithms.algorithm(site, record)
    section = page[page.index("## Historique de la fiche") : page.index("## À propos")]
    assert "Statut : Expérimentation → En service" in section
    assert "Donnée ajoutée : Revenus professionnels" in section
    assert "Paramètre retiré : Bonification" in section
    assert "<del>ressources déclarées</del>" in section
    assert "<ins>revenus professionnels déclarés</ins>" in section
    assert f'href="{GITHUB}/commit/{shas["donnees"]}"' in section
    assert f'href="{GITHUB}/pull/34"' in section
    assert "Création de la fiche" in section
    assert section.index(shas["rename"][:8]) < section.index(shas["creation"][:8])  # newest first
    assert 'href="../../flux/algorithmes/prime-activite.xml"' in section
    gitlab = algorithms.algorithm(site_of(root, GITLAB), record)
    assert f'href="{GITLAB}/-/merge_requests/12"' in gitlab


def test_latest_changes_page(scripted: tuple[Path, dict[str, str]]) -> None:
    root, shas = scripted
    text = history.page(site_of(root, GITHUB))
    assert "# Dernières modifications des fiches" in text
    assert text.index(shas["removal"][:8]) < text.index(shas["creation"][:8])
    assert "Fiche supprimée" in text
    assert '<a href="../prime-activite/">prime-activite</a>' in text


def test_feeds_are_valid_atom(scripted: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root, shas = scripted
    register = read_history(root / "algorithms")
    written = write_changes_feeds(
        tmp_path, register, FeedContext(site_url="https://algos.example.org/")
    )
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert names == {CHANGES_FEED, "flux/algorithmes/prime-activite.xml"}
    for path in written:
        feed = ET.parse(path).getroot()
        assert feed.tag == ATOM + "feed"
        for entry in feed.findall(ATOM + "entry"):
            for tag in ("id", "title", "updated"):
                assert (entry.findtext(ATOM + tag) or "").strip(), tag
    one = ET.parse(tmp_path / "flux/algorithmes/prime-activite.xml").getroot()
    entries = one.findall(ATOM + "entry")
    assert len(entries) == 6
    assert entries[0].findtext(ATOM + "id") == (
        f"https://algos.example.org/historique/prime-activite/{shas['rename']}"
    )
    summaries = "\n".join(e.findtext(ATOM + "summary") or "" for e in entries)
    assert "Statut : Expérimentation → En service" in summaries


def test_hostile_commit_message_and_values_are_inert(tmp_path: Path) -> None:
    script = history_repo.Script(tmp_path)
    script.write("algorithms/a/x.yml", history_repo.record())
    script.commit("ajout")
    script.write("algorithms/a/x.yml", history_repo.record(donnees=("<script>alert(1)</script>",)))
    script.commit("<img src=x onerror=alert(1)> (#1)")
    site = site_of(tmp_path, GITHUB)
    record = site.records[0]
    text = algorithms.algorithm(site, record) + history.page(site)
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_without_git_no_section_and_one_note(tmp_path: Path) -> None:
    root = make_project(tmp_path / "projet")
    (root / "algorithms" / "a").mkdir(parents=True, exist_ok=True)
    (root / "algorithms" / "a" / "x.yml").write_text(history_repo.record(), encoding="utf-8")
    site = site_of(root, GITHUB, RegisterHistory())
    assert "Historique de la fiche" not in algorithms.algorithm(site, site.records[0])
    assert "Historique des fiches indisponible" in history.page(site)


def test_shallow_clone_builds_with_a_partial_note(
    scripted: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, _ = scripted
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)],
        check=True,
        capture_output=True,
    )
    site = site_of(clone, GITHUB)
    page = algorithms.algorithm(site, site.records[0])
    assert "clone superficiel" in page and "Plus ancienne version connue" in page


def test_generated_tree_has_page_feeds_and_exports(
    scripted: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, _ = scripted
    project = make_project(tmp_path / "projet")
    site = site_of(root, GITHUB)
    docs = tmp_path / "docs"
    builder.write_docs(site, docs, project=project)
    assert (docs / history.PAGE).is_file()
    assert (docs / CHANGES_FEED).is_file()
    assert (docs / "flux/algorithmes/prime-activite.xml").is_file()
    assert "Paramètre retiré : Bonification" in (docs / "donnees/historique.csv").read_text(
        encoding="utf-8"
    )


class _Links(HTMLParser):
    """The ``<link rel="alternate" type="application/atom+xml">`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.feeds: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "link" and found.get("type") == "application/atom+xml":
            self.feeds.append(found)


def _feeds_of(page: Path) -> list[dict[str, str]]:
    links = _Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links.feeds


def test_built_algorithm_page_links_its_own_feed(tmp_path: Path) -> None:
    """Each algorithm page with a history announces its feed of changes in its <head>; the
    address resolves to the feed in the built site. A record not yet committed has none."""
    project = make_project(tmp_path / "projet")
    script = history_repo.Script(project)
    hostile = 'Calcul "<b>" & co'
    write_record(project, "cnaf", "calcul-apl", factories.record_data(nom=hostile))
    script.commit("Ajout")
    data = factories.record_data(nom=hostile, finalite="Calculer l’aide au logement.")
    write_record(project, "cnaf", "calcul-apl", data)
    script.commit("Mise en service (#7)")
    write_record(project, "cnaf", "nouvelle", factories.record_data(nom="Nouvelle"))
    builder.build(project, devices=Devices.serial())
    page = project / "public" / "algorithmes" / "calcul-apl" / "index.html"
    own = [link for link in _feeds_of(page) if link.get("title", "").startswith("Historique")]
    assert len(own) == 1 and own[0]["rel"] == "alternate"
    assert own[0]["title"] == f"Historique de la fiche « {hostile} »"
    feed = (page.parent / own[0]["href"]).resolve()
    assert feed == (project / "public" / "flux" / "algorithmes" / "calcul-apl.xml").resolve()
    root = ET.parse(feed).getroot()
    assert root.tag == ATOM + "feed" and len(root.findall(ATOM + "entry")) == 2
    register_wide = {link["title"] for link in _feeds_of(page)} - {own[0]["title"]}
    assert len(register_wide) == 2  # the register's feeds stay
    newer = project / "public" / "algorithmes" / "nouvelle" / "index.html"
    assert sorted(link["title"] for link in _feeds_of(newer)) == sorted(register_wide)


def test_no_feed_for_a_record_written_again_under_a_removed_name(tmp_path: Path) -> None:
    """A record removed from the register, then written again but not yet committed: its
    page shows the old history, and no link to a feed that is not written."""
    script = history_repo.Script(tmp_path)
    script.write("algorithms/a/x.yml", history_repo.other())
    script.commit("ajout")
    (tmp_path / "algorithms/a/x.yml").unlink()
    script.commit("suppression")
    script.write("algorithms/a/x.yml", history_repo.other("2024-06-01"))
    site = site_of(tmp_path, GITHUB)
    record = site.records[0]
    found = site.history.of("x")
    assert found is not None and found.removed
    page = algorithms.algorithm(site, record)
    assert "Fiche supprimée" in page and "flux/algorithmes/x.xml" not in page
    assert history.feed_meta(site, record) == ()
    written = write_changes_feeds(tmp_path / "docs", site.history, FeedContext())
    assert [p.name for p in written] == ["modifications.xml"]
