"""publiccode.yml parsing and checks (inventory.catalogue.publiccode)."""

from __future__ import annotations

import pytest
import yaml

from inventory.catalogue.publiccode import check

REPO = "https://github.com/etalab/taxe"
LONG = "Un outil de calcul de la taxe, publié par l'administration. " * 4

VALID = f"""
publiccodeYmlVersion: "0.4"
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


def test_a_valid_file() -> None:
    result = check(VALID, REPO)
    assert result.problems == ()
    assert result.valid
    assert result.name == "Taxe"
    assert result.version == "0.4"
    assert result.description == "Un calculateur de taxe"  # French preferred
    assert result.description_language == "fr"
    assert result.maintenance_type == "internal"
    assert result.maintenance_label == "Maintenu en interne"
    assert result.development_status == "stable"


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


def test_missing_mandatory_keys_are_named() -> None:
    data = load()
    for key in ("name", "platforms", "legal", "localisation"):
        del data[key]
    del data["description"]["fr"]["features"]
    result = check(dump(data), REPO)
    assert sorted(codes(result)) == sorted(
        [
            ("name", "publiccode-required"),
            ("platforms", "publiccode-required"),
            ("legal", "publiccode-required"),
            ("localisation", "publiccode-required"),
            ("description.fr.features", "publiccode-required"),
        ]
    )
    assert all("obligatoire" in p.message for p in result.problems)


def test_invalid_values() -> None:
    data = load()
    data["developmentStatus"] = "finished"
    data["softwareType"] = "app"
    data["legal"]["license"] = "Licence maison"
    data["maintenance"] = {"type": "contract"}
    data["description"]["fr"]["shortDescription"] = "x" * 151
    data["description"]["fr"]["longDescription"] = "trop court"
    data["localisation"]["localisationReady"] = "oui"
    data["releaseDate"] = "hier"
    result = check(dump(data), REPO)
    assert sorted(codes(result)) == sorted(
        [
            ("developmentStatus", "publiccode-enum"),
            ("softwareType", "publiccode-enum"),
            ("legal.license", "publiccode-license"),
            ("maintenance.contractors", "publiccode-required"),
            ("description.fr.shortDescription", "publiccode-length"),
            ("description.fr.longDescription", "publiccode-length"),
            ("localisation.localisationReady", "publiccode-required"),
            ("releaseDate", "publiccode-date"),
        ]
    )
    assert not result.valid


def test_versions() -> None:
    data = load()
    data["publiccodeYmlVersion"] = "0.2"
    # categories are mandatory before 0.4
    assert codes(check(dump(data), REPO)) == [("categories", "publiccode-required")]
    data["categories"] = ["it-development"]
    assert check(dump(data), REPO).problems == ()
    data["publiccodeYmlVersion"] = "0.4.0"
    del data["categories"]
    assert check(dump(data), REPO).version == "0.4"
    data["publiccodeYmlVersion"] = "1.0"
    assert ("publiccodeYmlVersion", "publiccode-version") in codes(check(dump(data), REPO))
    data["publiccodeYmlVersion"] = 0.4  # unquoted: a warning only
    result = check(dump(data), REPO)
    assert result.valid and codes(result) == [("publiccodeYmlVersion", "publiccode-version-type")]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("name: [unclosed", "publiccode-yaml"),
        ("- a list\n- not a mapping\n", "publiccode-type"),
        (b"\xff\xfe name", "publiccode-encoding"),
        ("a: " + "x" * 600_000, "publiccode-size"),
        ("!!python/object/apply:os.system ['true']", "publiccode-yaml"),
    ],
)
def test_unreadable_files_are_problems_not_exceptions(text, code) -> None:
    result = check(text, REPO)
    assert codes(result) == [("", code)]
    assert result.name is None and not result.valid


def test_gitlab_subgroup_url() -> None:
    data = load()
    data["url"] = "https://gitlab.com/a/b/c.git"
    assert check(dump(data), "https://gitlab.com/a/b/c").valid
    assert not check(dump(data), "https://gitlab.com/a/b").valid
