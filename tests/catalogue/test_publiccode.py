# ruff: noqa: E501 - the table of failing examples reads best one rule per line
"""publiccode.yml parsing and checks (inventory.catalogue.publiccode): the whole standard.

Valid examples (written from the standard's documentation, ``publiccode_examples/``) pass;
each rule has one failing example (:data:`BROKEN`), checked for its code, key, line and a
French message; the command ``inventory publiccode`` is checked for its output and exit codes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from inventory.catalogue.publiccode import check
from inventory.cli import main

REPO = "https://github.com/etalab/taxe"
LONG = "Un outil de calcul de la taxe, publié par l'administration. " * 4

VALID = f"""
publiccodeYmlVersion: "0"
name: Taxe
url: "https://github.com/Etalab/taxe.git"
platforms: [web]
developmentStatus: stable
softwareType: standalone/web
description:
  en:
    shortDescription: A tax calculator
    longDescription: "{"A tax calculator published by the administration. " * 4}"
    features: [Calcul]
  fr:
    shortDescription: Un calculateur de taxe
    longDescription: "{LONG}"
    features: [Calcul de la taxe]
legal:
  license: EUPL-1.2
maintenance:
  type: internal
  contacts:
    - name: Agnès Dupont
localisation:
  localisationReady: true
  availableLanguages: [fr]
"""


def load(text: str = VALID) -> dict:
    return yaml.safe_load(text)


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True)


def codes(result) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in result.problems]


EXAMPLES = Path(__file__).parent / "publiccode_examples"


def _line(start: str) -> int:
    """The 1-based line of :data:`VALID` whose text (indentation aside) starts with ``start``."""
    lines = VALID.split("\n")
    return next(n for n, line in enumerate(lines, 1) if line.strip().startswith(start))


def test_a_valid_file() -> None:
    result = check(VALID, REPO)
    assert result.problems == ()
    assert result.valid
    assert result.name == "Taxe"
    assert result.version == "0"
    assert result.description == "Un calculateur de taxe"  # French preferred
    assert result.description_language == "fr"
    assert result.maintenance_type == "internal"
    assert result.maintenance_label == "Maintenu en interne"
    assert result.development_status == "stable"


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yml")))
def test_valid_examples_of_the_standard(name: str) -> None:
    result = check((EXAMPLES / name).read_bytes(), REPO)
    assert result.valid, [str(p) for p in result.problems]
    warnings = {p.code for p in result.problems}
    if name in ("minimal.yml", "complet.yml"):
        assert warnings == set()  # up to date: not even a warning
    else:  # older versions and deprecated keys: warnings only
        assert warnings and warnings <= {"publiccode-version-old", "publiccode-deprecated"}


def test_offline_checks_are_said_not_made() -> None:
    result = check((EXAMPLES / "complet.yml").read_bytes(), REPO)
    assert any("logo" in note for note in result.notes)
    assert any("vidéos" in note and "oEmbed" in note for note in result.notes)
    assert any("captures" in note for note in result.notes)
    assert any("non comparée" in note for note in check(VALID).notes)


def test_english_when_no_french() -> None:
    data = load()
    del data["description"]["fr"]
    result = check(dump(data), REPO)
    assert result.valid and result.description == "A tax calculator"


def test_spoofed_url_is_an_error() -> None:
    data = load()
    data["url"] = "https://github.com/someone-else/taxe"
    result = check(dump(data), REPO)
    assert not result.valid
    assert codes(result) == [("url", "publiccode-url-spoofed")]
    assert "usurpée" in result.problems[0].message
    assert result.problems[0].path == f"{REPO}/publiccode.yml"


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/etalab/taxe-old",
        "https://gitlab.com/etalab/taxe",
        "https://github.com/etalab/taxe/../autre",
    ],
)
def test_near_miss_urls_are_spoofed(url: str) -> None:
    data = load()
    data["url"] = url
    assert ("url", "publiccode-url-spoofed") in codes(check(dump(data), REPO))


def test_gitlab_subgroup_url() -> None:
    data = load()
    data["url"] = "https://gitlab.com/a/b/c.git"
    assert check(dump(data), "https://gitlab.com/a/b/c").valid
    assert not check(dump(data), "https://gitlab.com/a/b").valid


# --- one failing example per rule -------------------------------------------------------------

Edit = Callable[[dict], None]


def _set(path: str, value: object) -> Edit:
    def edit(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return edit


def _del(path: str) -> Edit:
    def edit(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[part]
        del node[last]

    return edit


#: (rule, edit of VALID, expected field, expected code)
BROKEN: list[tuple[str, Edit, str, str]] = [
    ("version absente", _del("publiccodeYmlVersion"), "publiccodeYmlVersion", "publiccode-required"),
    ("version non texte", _set("publiccodeYmlVersion", 0.4), "publiccodeYmlVersion", "publiccode-version-type"),
    ("version inconnue", _set("publiccodeYmlVersion", "1.0"), "publiccodeYmlVersion", "publiccode-version"),
    ("clé inconnue", _set("nmae", "x"), "nmae", "publiccode-unknown-key"),
    ("clé inconnue d'une section", _set("legal.licence", "MIT"), "legal.licence", "publiccode-unknown-key"),
    ("name absent", _del("name"), "name", "publiccode-required"),
    ("name non texte", _set("name", ["a"]), "name", "publiccode-type"),
    ("applicationSuite non texte", _set("applicationSuite", 3), "applicationSuite", "publiccode-type"),
    ("softwareVersion non texte", _set("softwareVersion", {"a": 1}), "softwareVersion", "publiccode-type"),
    ("url absente", _del("url"), "url", "publiccode-required"),
    ("url invalide", _set("url", "pas une adresse"), "url", "publiccode-url"),
    ("landingURL non http", _set("landingURL", "ftp://example.org"), "landingURL", "publiccode-url"),
    ("roadmap invalide", _set("roadmap", "feuille"), "roadmap", "publiccode-url"),
    ("isBasedOn invalide (texte)", _set("isBasedOn", "ailleurs"), "isBasedOn", "publiccode-url"),
    ("isBasedOn invalide (liste)", _set("isBasedOn", ["https://a.example/x.git", "b"]), "isBasedOn[1]", "publiccode-url"),
    ("releaseDate invalide", _set("releaseDate", "hier"), "releaseDate", "publiccode-date"),
    ("releaseDate avec heure", _set("releaseDate", "2026-01-02T10:00:00Z"), "releaseDate", "publiccode-date"),
    ("logo non texte", _set("logo", 1), "logo", "publiccode-type"),
    ("logo chemin absolu", _set("logo", "/logo.png"), "logo", "publiccode-logo"),
    ("logo adresse file:", _set("logo", "file:///logo.png"), "logo", "publiccode-logo"),
    ("logo format non image", _set("logo", "img/logo.mpg"), "logo", "publiccode-logo"),
    ("monochromeLogo format non image", _set("monochromeLogo", "mono.gif"), "monochromeLogo", "publiccode-logo"),
    ("inputTypes non MIME", _set("inputTypes", ["texte"]), "inputTypes[0]", "publiccode-mime"),
    ("outputTypes non MIME", _set("outputTypes", ["pdf/document"]), "outputTypes[0]", "publiccode-mime"),
    ("platforms absent", _del("platforms"), "platforms", "publiccode-required"),
    ("platforms non liste", _set("platforms", "web"), "platforms", "publiccode-type"),
    ("catégorie hors liste", _set("categories", ["impots"]), "categories[0]", "publiccode-category"),
    ("usedBy non liste", _set("usedBy", "Mairie"), "usedBy", "publiccode-type"),
    ("developmentStatus hors liste", _set("developmentStatus", "finished"), "developmentStatus", "publiccode-enum"),
    ("softwareType hors liste", _set("softwareType", "app"), "softwareType", "publiccode-enum"),
    ("softwareType absent", _del("softwareType"), "softwareType", "publiccode-required"),
    ("fundedBy sans uri", _set("fundedBy", [{"name": "DINUM"}]), "fundedBy[0].uri", "publiccode-required"),
    ("fundedBy uri invalide", _set("fundedBy", [{"uri": "pas une uri"}]), "fundedBy[0].uri", "publiccode-uri"),
    ("organisation sans uri", _set("organisation", {"name": "CNAF"}), "organisation.uri", "publiccode-required"),
    ("supports alias inconnu", _set("supports", [{"id": "alias:rgpd"}]), "supports[0].id", "publiccode-alias"),
    ("supports sans id", _set("supports", [{}]), "supports[0].id", "publiccode-required"),
    ("pays invalide", _set("intendedAudience", {"countries": ["FX"]}), "intendedAudience.countries[0]", "publiccode-country"),
    ("pays en casse mixte", _set("intendedAudience", {"unsupportedCountries": ["Fr"]}), "intendedAudience.unsupportedCountries[0]", "publiccode-country"),
    ("domaine hors liste", _set("intendedAudience", {"scope": ["impots"]}), "intendedAudience.scope[0]", "publiccode-scope"),
    ("description absente", _del("description"), "description", "publiccode-required"),
    ("langue non BCP 47", _set("description.fr_FR", {"shortDescription": "x"}), "description.fr_FR", "publiccode-language"),
    ("shortDescription absente", _del("description.fr.shortDescription"), "description.fr.shortDescription", "publiccode-required"),
    ("shortDescription trop longue", _set("description.fr.shortDescription", "é" * 151), "description.fr.shortDescription", "publiccode-length"),
    ("longDescription trop courte", _set("description.fr.longDescription", "trop court"), "description.fr.longDescription", "publiccode-length"),
    ("longDescription trop longue", _set("description.fr.longDescription", "x" * 10_001), "description.fr.longDescription", "publiccode-length"),
    ("genericName trop long", _set("description.fr.genericName", "g" * 36), "description.fr.genericName", "publiccode-length"),
    ("documentation non http", _set("description.fr.documentation", "docs/"), "description.fr.documentation", "publiccode-url"),
    ("apiDocumentation non http", _set("description.fr.apiDocumentation", "api"), "description.fr.apiDocumentation", "publiccode-url"),
    ("vidéo non http", _set("description.fr.videos", ["video.mp4"]), "description.fr.videos[0]", "publiccode-url"),
    ("features vide", _set("description.fr.features", []), "description.fr.features", "publiccode-required"),
    ("awards non liste", _set("description.fr.awards", "prix"), "description.fr.awards", "publiccode-type"),
    ("legal absente", _del("legal"), "legal", "publiccode-required"),
    ("licence non SPDX", _set("legal.license", "Licence maison"), "legal.license", "publiccode-license"),
    ("maintenance.type hors liste", _set("maintenance.type", "externe"), "maintenance.type", "publiccode-enum"),
    ("contacts absents (internal)", _del("maintenance.contacts"), "maintenance.contacts", "publiccode-required"),
    ("contact sans nom", _set("maintenance.contacts", [{"email": "a@b.fr"}]), "maintenance.contacts[0].name", "publiccode-required"),
    ("courriel invalide", _set("maintenance.contacts", [{"name": "A", "email": "pas-un-courriel"}]), "maintenance.contacts[0].email", "publiccode-email"),
    ("contractors hors contrat", _set("maintenance.contractors", [{"name": "P", "until": "2027-01-01"}]), "maintenance.contractors", "publiccode-contractors"),
    ("localisation absente", _del("localisation"), "localisation", "publiccode-required"),
    ("localisationReady non booléen", _set("localisation.localisationReady", "oui"), "localisation.localisationReady", "publiccode-type"),
    ("availableLanguages non BCP 47", _set("localisation.availableLanguages", ["hr_HR"]), "localisation.availableLanguages[0]", "publiccode-language"),
    ("dépendance sans nom", _set("dependsOn", {"open": [{"version": "1"}]}), "dependsOn.open[0].name", "publiccode-required"),
    ("dépendance optional non booléen", _set("dependsOn", {"open": [{"name": "PG", "optional": "non"}]}), "dependsOn.open[0].optional", "publiccode-type"),
    ("section IT inconnue", _set("IT", {"riuzo": {}}), "IT.riuzo", "publiccode-unknown-key"),
    ("countryExtensionVersion hors liste", _set("IT", {"countryExtensionVersion": "2.0"}), "IT.countryExtensionVersion", "publiccode-enum"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "edit", "field", "code"), BROKEN, ids=[b[0] for b in BROKEN])
def test_each_rule_has_a_failing_example(rule: str, edit: Edit, field: str, code: str) -> None:
    data = load()
    edit(data)
    result = check(dump(data), REPO)
    errors = [p for p in result.problems if p.is_error]
    assert (field, code) in [(p.field, p.code) for p in errors], [str(p) for p in result.problems]
    assert not result.valid
    problem = next(p for p in errors if (p.field, p.code) == (field, code))
    if not (code == "publiccode-required" and "." not in field and "[" not in field):
        # Located in the file: the key itself, or the section that lacks it.
        assert problem.line is not None and problem.column is not None
    assert (problem.message and problem.message[0].islower()) or problem.message[0] in "«"


def _contract(until: object) -> Edit:
    def edit(data: dict) -> None:
        data["maintenance"] = {"type": "contract", "contractors": [{"name": "P", "until": until}]}

    return edit


@pytest.mark.parametrize("until", ["bientôt", "2027-13-01", None])
def test_contractors_need_until_as_a_date(until: object) -> None:
    data = load()
    _contract(until)(data)
    if until is None:
        del data["maintenance"]["contractors"][0]["until"]
    result = check(dump(data), REPO)
    field = "maintenance.contractors[0].until"
    assert field in [p.field for p in result.problems if p.is_error]
    data = load()
    _contract("2027-12-31")(data)
    assert check(dump(data), REPO).valid  # a contract with its end date is fine


def test_contract_without_contractors() -> None:
    data = load()
    data["maintenance"] = {"type": "contract"}
    assert ("maintenance.contractors", "publiccode-required") in codes(check(dump(data), REPO))


def test_lengths_are_counted_in_grapheme_clusters() -> None:
    family = "👨‍👩‍👧‍👦"  # one grapheme, seven code points
    data = load()
    data["description"]["fr"]["shortDescription"] = family * 150
    assert check(dump(data), REPO).valid
    data["description"]["fr"]["longDescription"] = family * 149  # 1,043 code points
    assert ("description.fr.longDescription", "publiccode-length") in codes(check(dump(data), REPO))


@pytest.mark.parametrize("word", ["yes", "no", "on", "off"])
def test_yaml_11_booleans_are_refused(word: str) -> None:
    text = VALID.replace("localisationReady: true", f"localisationReady: {word}")
    result = check(text, REPO)
    (problem,) = result.problems
    assert (problem.field, problem.code) == (
        "localisation.localisationReady",
        "publiccode-yaml11-boolean",
    )
    assert "true ou false" in problem.message
    assert (problem.line, problem.column) == (_line("localisationReady"), 3)
    # Where a text is expected, the same word is a text (YAML 1.2).
    assert check(VALID.replace("name: Taxe", f"name: {word}"), REPO).name == word


def test_duplicated_keys_are_reported_with_their_line() -> None:
    text = VALID.replace("name: Taxe\n", "name: Taxe\nname: Autre\n")
    result = check(text, REPO)
    (problem,) = result.problems
    assert problem.code == "publiccode-duplicate" and problem.line == _line("name: Taxe") + 1
    assert "deux fois" in problem.message


def test_deprecated_keys_warn_without_invalidating() -> None:
    data = load()
    data["legal"]["repoOwner"] = "Ville"
    data["legal"]["authorsFile"] = "AUTHORS"
    data["intendedAudience"] = {"countries": ["fr"]}
    data["it"] = {"countryExtensionVersion": "1.0"}
    result = check(dump(data), REPO)
    assert result.valid
    assert {p.level.value for p in result.problems} == {"avertissement"}
    fields = {p.field for p in result.problems}
    assert {"legal.repoOwner", "legal.authorsFile", "intendedAudience.countries[0]", "it"} <= fields
    assert any("écrivez « IT »" in p.message for p in result.problems)
    assert any("FR" in p.message for p in result.problems if p.field.startswith("intended"))


def test_older_versions_are_read_with_a_warning() -> None:
    for version in ("0.2", "0.3.0", "0.4", "0.5.0", "0.7"):
        result = check(VALID.replace('"0"', f'"{version}"', 1), REPO)
        assert result.valid and result.version == version
    assert codes(check(VALID.replace('"0"', '"0.3"', 1), REPO)) == [
        ("publiccodeYmlVersion", "publiccode-version-old")
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("name: [unclosed", "publiccode-yaml"),
        ("- a list\n- not a mapping\n", "publiccode-type"),
        (b"\xff\xfe name", "publiccode-encoding"),
        ("a: " + "x" * 600_000, "publiccode-size"),
        ("!!python/object/apply:os.system ['true']", "publiccode-yaml"),
        ("a: &a [x, *a]\n", "publiccode-size"),
    ],
)
def test_unreadable_files_are_problems_not_exceptions(text, code) -> None:
    result = check(text, REPO)
    assert code in [p.code for p in result.problems]
    assert result.name is None and not result.valid


def test_alias_bomb_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    result = check("\n".join(lines) + "\n", REPO)
    assert [p.code for p in result.problems] == ["publiccode-size"]


# --- inventory publiccode --------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, ["publiccode", *args])


def test_cli_valid_file_exits_0_with_its_notes(tmp_path: Path) -> None:
    path = tmp_path / "publiccode.yml"
    path.write_text(VALID, encoding="utf-8")
    result = run(str(path), "--url", REPO)
    assert result.exit_code == 0, result.output
    assert "valide (0 erreur(s), 0 avertissement(s))" in result.output
    bare = run(str(path))  # without --url: the anti-spoofing check is said skipped
    assert bare.exit_code == 0
    assert f"{path}: information: « url » non comparée au dépôt" in bare.output


def test_cli_errors_exit_1_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "publiccode.yml"
    path.write_text(
        VALID.replace("developmentStatus: stable", "developmentStatus: fini").replace(
            "localisationReady: true", "localisationReady: yes"
        ),
        encoding="utf-8",
    )
    result = run(str(path), "--url", REPO)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": erreur: " in line]
    status, ready = _line("developmentStatus"), _line("localisationReady")
    assert lines[0].startswith(f"{path}:{status}:1: erreur: developmentStatus: ")
    assert lines[1].startswith(f"{path}:{ready}:3: erreur: localisation.localisationReady: ")
    assert "invalide (2 erreur(s)" in result.output
    assert "Traceback" not in result.output


def test_cli_warnings_only_exit_0(tmp_path: Path) -> None:
    path = tmp_path / "publiccode.yml"
    path.write_bytes((EXAMPLES / "ancien-0.2.yml").read_bytes())
    result = run(str(path), "--url", REPO)
    assert result.exit_code == 0
    assert f"{path}:3:1: avertissement: publiccodeYmlVersion: " in result.output


@pytest.mark.parametrize("make", ["absent", "dossier"])
def test_cli_bad_usage_exits_2(tmp_path: Path, make: str) -> None:
    path = tmp_path / "publiccode.yml"
    if make == "dossier":
        path.mkdir()
    result = run(str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert run().exit_code == 2  # no file named at all
