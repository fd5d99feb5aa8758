"""``inventory new``: prompted and non-interactive creation of a commented record."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import yaml
from click.testing import CliRunner

from inventory.cli import main
from inventory.interchange.scaffold import render
from inventory.register.fields import record_fields
from inventory.register.records import load_record
from inventory.register.validate import check_paths

OPTIONS = [
    "--dossier",
    "ville-de-lyon",
    "--nom",
    "Attribution des places en crèche",
    "--administration",
    "Ville de Lyon",
    "--contact",
    "mailto:petite-enfance@mairie-lyon.fr",
    "--date",
    "01/03/2026",
    "--statut",
    "En service",
    "--finalite",
    "Classer les demandes de place en crèche.",
    "--intervention",
    "Le classement est proposé à la commission, qui décide.",
    "--niveau-automatisation",
    "aide_a_la_decision",
    "--fondement",
    "Code de l'action sociale et des familles, article L214-2 (https://www.legifrance.gouv.fr/)",
    "--fondement",
    "Délibération du conseil municipal",
    "--public",
    "Les familles lyonnaises.",
    "--donnee",
    "Situation professionnelle",
    "--source-donnee",
    "La famille",
    "--type-algorithme",
    "1",
    "--operations",
    "Des points sont attribués selon des critères publiés.",
]


def _new(root: Path, *args: str, input: str | None = None):
    result = CliRunner().invoke(main, ["new", "--racine", str(root), *args], input=input)
    assert "Traceback" not in result.output
    return result


def _load(path: Path, root: Path):
    record, problems = load_record(path, root)
    assert record is not None, problems
    return record


def test_non_interactive_creation_writes_a_valid_commented_record(register: Path) -> None:
    result = _new(register, "--no-input", *OPTIONS)
    assert result.exit_code == 0, result.output
    path = register / "ville-de-lyon" / "attribution-des-places-en-creche.yml"
    assert f"écrit : {path.as_posix()}" in result.output
    assert "La fiche est valide" in result.output
    check = check_paths([register])
    assert check.ok and not check.problems, [p.message for p in check.problems]
    data = _load(path, register).data
    assert data["date_mise_a_jour"] == date(2026, 3, 1)
    assert data["statut"] == "en_service"
    assert data["type_algorithme"] == "systeme_de_regles"
    assert data["fondements_juridiques"] == [
        {
            "titre": "Code de l'action sociale et des familles, article L214-2",
            "url": "https://www.legifrance.gouv.fr/",
        },
        {"titre": "Délibération du conseil municipal"},
    ]
    assert data["donnees"] == [{"nom": "Situation professionnelle", "source": "La famille"}]
    # Fields in the guide's order, each under its French comment from the schema.
    text = path.read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in text.splitlines() if re.match(r"^[a-z_]+:", line)]
    order = [f.key for f in record_fields()]
    assert keys == [k for k in order if k in keys]
    lines = text.splitlines()
    for field in record_fields():
        if field.key in data:
            index = lines.index(next(line for line in lines if line.startswith(f"{field.key}:")))
            assert lines[index - 1].startswith("# "), field.key
            assert field.title in " ".join(
                line[2:] for line in lines[max(0, index - 6) : index] if line.startswith("# ")
            )
    assert "# Finalité de l'algorithme (obligatoire) : À quoi sert cet algorithme" in text
    # Optional fields are commented-out examples.
    for key in ("contexte", "decisions_par_an", "portee_decision", "parametres", "ressources"):
        assert f"# {key}:" in text
        assert key not in data


def test_uncommented_examples_are_valid_too(register: Path) -> None:
    result = _new(register, "--no-input", *OPTIONS)
    assert result.exit_code == 0, result.output
    path = register / "ville-de-lyon" / "attribution-des-places-en-creche.yml"
    code_line = re.compile(r"^(\s*)# ((?: *- )?[a-z_]+:.*| {2,}\S.*)$")
    text = "\n".join(
        code_line.sub(r"\1\2", line) for line in path.read_text(encoding="utf-8").splitlines()
    )
    path.write_text(text + "\n", encoding="utf-8")
    data = _load(path, register).data
    assert {"contexte", "parametres", "ressources", "decisions_par_an"} <= set(data)
    assert data["administration"]["sigle"] == "DGFiP"
    assert data["donnees"][0]["donnees_personnelles"] is True
    assert check_paths([register]).ok


PROMPTED = "\n".join(
    [
        "Ville de Lyon",  # dossier: invalid (spaces, capitals)
        "ville-de-lyon",
        "   ",  # nom: empty
        "Cotation des demandes de logement",
        "",  # identifiant: default from the name
        "Ville de Lyon",
        "le service logement",  # contact: invalid
        "https://www.lyon.fr/contact",
        (date.today() + timedelta(days=5)).isoformat(),  # date in the future
        "31/02/2026",  # impossible date
        "",  # default: today
        "9",  # statut: out of range
        "experimentation",
        "Classer les demandes.",
        "Le classement éclaire la commission.",
        "Aide à la décision",
        "Code de la construction et de l'habitation, article L441-2-8",
        "legifrance.gouv.fr",  # URL without scheme
        "https://www.legifrance.gouv.fr/",
        "",  # no second legal basis
        "Les demandeurs de logement social.",
        "Ancienneté de la demande",
        "Le demandeur",
        "Composition du foyer",
        "Le demandeur",
        "",  # no third kind of data
        "hybride",
        "Des points sont additionnés.",
        "",
    ]
)


def test_prompted_creation_reprompts_in_french_until_values_are_valid(register: Path) -> None:
    (register / "dgfip").mkdir()
    result = _new(register, input=PROMPTED)
    assert result.exit_code == 0, result.output
    output = result.output
    assert "Dossiers existants : dgfip" in output
    assert "nom de dossier invalide" in output and "« ville-de-lyon »" in output
    assert "ce champ ne peut pas être vide" in output
    assert "[cotation-des-demandes-de-logement]" in output
    assert "adresse électronique (nom@administration.fr) ou adresse web" in output
    assert "la date est dans le futur" in output
    assert "cette date n'existe pas dans le calendrier" in output
    assert "1. En service (en_service)" in output
    assert "choix inconnu" in output
    assert "2. Aide à la décision (aide_a_la_decision)" in output
    assert "adresse web attendue, commençant par http:// ou https://" in output
    assert output.count("Erreur : ") == 7
    path = register / "ville-de-lyon" / "cotation-des-demandes-de-logement.yml"
    data = _load(path, register).data
    assert data["date_mise_a_jour"] == date.today()
    assert data["statut"] == "experimentation"
    assert data["niveau_automatisation"] == "aide_a_la_decision"
    assert data["type_algorithme"] == "hybride"
    assert data["contact"] == "https://www.lyon.fr/contact"
    assert data["fondements_juridiques"] == [
        {
            "titre": "Code de la construction et de l'habitation, article L441-2-8",
            "url": "https://www.legifrance.gouv.fr/",
        }
    ]
    assert [d["nom"] for d in data["donnees"]] == [
        "Ancienneté de la demande",
        "Composition du foyer",
    ]
    assert check_paths([register]).ok


def test_prompted_identifier_already_used_is_asked_again(register: Path) -> None:
    assert _new(register, "--no-input", *OPTIONS).exit_code == 0
    answers = PROMPTED.replace(
        "Cotation des demandes de logement\n\n",
        "Cotation des demandes de logement\nattribution-des-places-en-creche\nautre-id\n",
    )
    result = _new(register, input=answers)
    assert result.exit_code == 0, result.output
    assert "attribution-des-places-en-creche.yml existe déjà" in result.output
    assert (register / "ville-de-lyon" / "autre-id.yml").is_file()


def test_no_input_lists_every_missing_value(register: Path) -> None:
    result = _new(register, "--no-input", "--nom", "Calcul")
    assert result.exit_code == 2
    assert "valeurs obligatoires manquantes avec --no-input" in result.output
    for option in ("--dossier", "--contact", "--fondement", "--donnee/--source-donnee"):
        assert option in result.output
    assert list(register.rglob("*.yml")) == []


def test_invalid_option_values_are_refused_in_french(register: Path) -> None:
    options = list(OPTIONS)
    options[options.index("--contact") + 1] = "pas un contact"
    result = _new(register, "--no-input", *options)
    assert result.exit_code == 2
    assert "Valeur invalide pour « --contact »" in result.output
    options = list(OPTIONS)
    options[options.index("--statut") + 1] = "actif"
    result = _new(register, "--no-input", *options)
    assert result.exit_code == 2
    assert "choix inconnu" in result.output
    result = _new(register, "--no-input", *OPTIONS, "--donnee", "Seconde donnée")
    assert result.exit_code == 2
    assert "autant d'options --source-donnee que d'options --donnee" in result.output
    assert list(register.rglob("*.yml")) == []


def test_existing_file_and_used_identifier_are_refused(register: Path) -> None:
    assert _new(register, "--no-input", *OPTIONS).exit_code == 0
    path = register / "ville-de-lyon" / "attribution-des-places-en-creche.yml"
    before = path.read_bytes()
    result = _new(register, "--no-input", *OPTIONS)
    assert result.exit_code == 1
    assert "existe déjà" in result.output
    assert path.read_bytes() == before
    options = list(OPTIONS)
    options[options.index("--dossier") + 1] = "autre-dossier"
    result = _new(register, "--no-input", *options)
    assert result.exit_code == 1
    assert "l'identifiant « attribution-des-places-en-creche » est déjà utilisé" in result.output
    assert not (register / "autre-dossier").exists()


def test_render_is_safe_yaml_of_plain_data(register: Path) -> None:
    data = {
        "nom": "Calcul « oui » : non",
        "administration": {"nom": "yes"},
        "contact": "a@b.fr",
        "date_mise_a_jour": date(2025, 1, 2),
        "statut": "retire",
        "finalite": "Ligne 1\nLigne 2\n",
        "intervention_dans_la_decision": "true",
        "niveau_automatisation": "aide_a_la_decision",
        "fondements_juridiques": [{"titre": "12"}],
        "public_concerne": "- pas une liste",
        "donnees": [{"nom": "n", "source": "s"}],
        "type_algorithme": "hybride",
        "operations": "!!python/object:os.system",
    }
    loaded = yaml.safe_load(render(data))
    assert loaded["administration"]["nom"] == "yes"
    assert loaded["intervention_dans_la_decision"] == "true"
    assert loaded["fondements_juridiques"] == [{"titre": "12"}]
    assert loaded["operations"] == "!!python/object:os.system"
    assert loaded["finalite"] == "Ligne 1\nLigne 2\n"
