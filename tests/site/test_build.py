"""End to end: ``inventory build`` on a throw-away project, with and without a crawl."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawlers.base import ForgeKind, Listing, Target
from inventory.cli import main
from inventory.errors import SiteError
from inventory.site import builder
from inventory.site.devices import Devices
from tests.site import factories as f
from tests.site.project import make_project, write_record
from tests.site.safety import dangerous

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"


def run(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["build", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "projet")
    write_record(root, "cnaf", "calcul-apl", f.record_data())
    write_record(
        root,
        "hostile",
        "hostile",
        f.record_data(
            nom=HOSTILE,
            administration={"nom": HOSTILE},
            finalite=HOSTILE,
            contexte=HOSTILE,
            ressources=[
                {
                    "type": "autre",
                    "url": 'https://ok.example.fr/"><script>x</script>',
                    "titre": HOSTILE,
                }
            ],
        ),
    )
    return root


def _write_store(path: Path) -> None:
    from inventory.catalogue.store import Store

    target = Target(
        host="github.com",
        forge=ForgeKind.GITHUB,
        api_url="https://api.github.com",
        owner="Example",
        pso_id=f.PSO,
    )
    with Store.open(path) as store:
        store.save_listing(
            Listing(
                target=target,
                organisations=(f.organisation(),),
                repositories=(f.repository("apl"), f.repository("outils")),
            )
        )


def test_build_on_a_fresh_clone_without_crawl(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = run(project, monkeypatch)
    assert code == 0, output
    assert re.search(r"Site construit dans public : \d+ pages, 2 algorithme\(s\)", output)
    assert "aucun moissonnage" in output
    public = project / "public"
    for page in (
        "index.html",
        "algorithmes/index.html",
        "algorithmes/calcul-apl/index.html",
        "administrations/index.html",
        "codes-sources/index.html",
        "donnees/index.html",
        "format/index.html",
        "contribuer/index.html",
        "accessibilite/index.html",
    ):
        assert (public / page).is_file(), page
    depots = json.loads((public / "codes-sources/depots.json").read_text(encoding="utf-8"))
    assert depots["repositories"] == []
    assert "Aucun moissonnage n&#x27;a encore été effectué" in (
        public / "codes-sources/index.html"
    ).read_text(encoding="utf-8") or "Aucun moissonnage n'a encore été effectué" in (
        public / "codes-sources/index.html"
    ).read_text(encoding="utf-8")
    assert (public / "donnees/algorithmes.json").is_file()
    assert (public / "donnees/algorithmes.csv").is_file()
    assert (public / "donnees/schemas/algorithme.schema.json").is_file()
    assert not (project / "build/docs/overrides").exists()
    index = json.loads((public / "search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "algorithmes/calcul-apl/#metier" in locations  # algorithm pages are searchable
    assert "algorithmes/calcul-apl/#donnees" not in locations  # bulky tables are not
    assert "algorithmes/calcul-apl/#administration" not in locations
    for block in ("en-bref", "mention-explicite", "demander-une-explication"):
        # The texts for the person concerned repeat the record: not indexed again.
        assert f"algorithmes/calcul-apl/#{block}" not in locations
    assert not any("Madame, Monsieur" in doc["text"] for doc in index["docs"])
    assert any(loc.startswith("vos-droits/") for loc in locations)  # the rights page is
    assert not any(loc.startswith(("administrations/", "algorithmes/#")) for loc in locations)
    assert "algorithmes/" not in locations  # the catalogue is excluded
    metier = next(d for d in index["docs"] if d["location"] == "algorithmes/calcul-apl/#metier")
    assert "Calculer le montant de l" in metier["text"]
    assert "dépendent" not in metier["text"]  # contexte: background text, not indexed


def test_build_uses_the_crawl_database(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_store(project / "crawl.sqlite3")
    code, output = run(project, monkeypatch, "--db", "crawl.sqlite3", "--out", "sortie")
    assert code == 0, output
    assert "2 dépôt(s) moissonné(s)" in output
    out = project / "sortie"
    depots = json.loads((out / "codes-sources/depots.json").read_text(encoding="utf-8"))
    assert sorted(r["nom"] for r in depots["repositories"]) == ["apl", "outils"]
    page = (out / "algorithmes/calcul-apl/index.html").read_text(encoding="utf-8")
    assert "EUPL-1.2" in page  # the code_source resource met its crawled repository
    for section in ("administration", "metier", "impact", "fonctionnement", "donnees",
                    "parametres", "ressources", "codes-sources", "fiche"):  # fmt: skip
        assert re.search(rf'<h[23][^>]* id="{section}"', page), section
    assert "###" not in page
    admin = out / "administrations/caisse-nationale-des-allocations-familiales/index.html"
    assert "outils" in admin.read_text(encoding="utf-8")
    for name in ("algorithmes.json", "algorithmes.csv", "repos.json", "repos.csv"):
        assert (out / "donnees" / name).is_file(), name
    donnees = (out / "donnees/index.html").read_text(encoding="utf-8")
    assert 'href="repos.csv"' in donnees
    assert 'href="schemas/repos.tableschema.json"' in donnees


def test_hostile_record_renders_as_inert_text(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = run(project, monkeypatch)
    assert code == 0, output
    public = project / "public"
    for html_file in public.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in text, html_file
        assert "<script>x</script>" not in text, html_file
        assert "onerror=alert(1)>" not in text, html_file
        assert 'href="javascript:' not in text, html_file
        article = re.search(r"<article[^>]*>(.*)</article>", text, re.S)
        if article:
            assert dangerous(article.group(1)) == [], html_file
    page = (public / "algorithmes/hostile/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "[x](javascript:alert(1))" in page
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and "<" not in title.group(1)
    index = (public / "search/search_index.json").read_text(encoding="utf-8")
    assert "<script>alert" not in index


def test_invalid_record_stops_the_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_record(project, "cnaf", "casse", f.record_data(statut="en_servise"))
    code, output = run(project, monkeypatch)
    assert code == 1
    assert re.search(r"algorithms/cnaf/casse\.yml:\d+:\d+: erreur: .*statut", output)
    assert "le site n'est pas construit" in output
    assert not (project / "public").exists()
    assert not (project / "build" / "docs").exists()


def test_a_new_build_replaces_the_old_tree(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = project / "build/docs/algorithmes/supprime.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("# ancienne page\n", encoding="utf-8")
    code, output = run(project, monkeypatch)
    assert code == 0, output
    assert not stale.exists()
    assert (project / "build/docs/algorithmes/calcul-apl.md").is_file()
    assert [p.name for p in (project / "build").iterdir()] == ["docs"]


def test_mkdocs_failure_is_a_french_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("name: material", "name: inexistant"),
        encoding="utf-8",
    )
    code, output = run(project, monkeypatch)
    assert code == 1
    assert "Erreur : MkDocs n'a pas pu construire le site" in output
    assert "Traceback" not in output


def test_missing_mkdocs_config_is_a_french_error(project: Path) -> None:
    (project / "mkdocs.yml").unlink()
    with pytest.raises(SiteError, match=r"mkdocs\.yml est introuvable"):
        builder.build(project)


def test_project_repository_comes_from_mkdocs_yml(project: Path) -> None:
    config = builder.read_config(project)
    assert builder.project_repository(config) == (
        "https://github.com/codegouvfr/inventaire-public",
        "main",
    )
    assert builder.project_repository(
        {"extra": {"depot": {"url": "https://x.fr/a/", "branche": "dev"}}}
    ) == (
        "https://x.fr/a",
        "dev",
    )


@pytest.mark.parametrize("devices", [Devices(), Devices.serial()])
def test_export_failure_in_the_worker_keeps_the_previous_tree(
    project: Path, monkeypatch: pytest.MonkeyPatch, devices: Devices
) -> None:
    from inventory.errors import ExportError

    def broken(*args: object, **kwargs: object) -> None:
        raise ExportError("impossible d'écrire dans donnees : disque plein")

    monkeypatch.setattr(builder, "write_all", broken)
    docs = project / "build/docs"
    docs.mkdir(parents=True)
    (docs / "ancienne.md").write_text("# ancienne\n", encoding="utf-8")
    site = f.site((f.record("a"),), crawled=False)
    with pytest.raises(ExportError, match="disque plein"):
        builder.write_docs(site, docs, project=project, devices=devices)
    assert (docs / "ancienne.md").is_file()  # the previous tree is untouched
    assert sorted(p.name for p in docs.parent.iterdir()) == ["docs"]  # no staging left


def test_exports_inline_and_in_a_worker_write_the_same_files(project: Path) -> None:
    site = f.site((f.record("a"),), crawled=False)
    trees = []
    for devices in (Devices.serial(), Devices()):
        docs = project / f"docs-{devices.fork_exports}"
        builder.write_docs(site, docs, project=project, devices=devices)
        folder = docs / "donnees"
        trees.append({p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()})
    assert trees[0] == trees[1]
    assert {"algorithmes.json", "algorithmes.csv", "index.md"} <= set(trees[0])


def test_cli_reference_page_is_generated_from_the_commands_help(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, output = run(project, monkeypatch)
    assert code == 0, output
    page = (project / "public/reference-cli/index.html").read_text(encoding="utf-8")
    assert "Référence de la ligne de commande" in page
    for command in ("check", "crawl", "build", "export", "new", "import"):
        assert f"inventory {command}" in page, command
    crawl_help = CliRunner().invoke(main, ["crawl", "--help"], terminal_width=88).output
    assert "--per-host" in crawl_help and "--per-host" in page
