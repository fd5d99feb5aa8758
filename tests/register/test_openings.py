"""Roadmaps of announced code openings: the format, its deadlines and its French messages."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory.cli import main
from inventory.model import Level
from inventory.register.openings import (
    HALF_YEAR,
    QUARTER,
    load_roadmap,
    parse_deadline,
)
from inventory.register.validate import check_paths

PROJECT = Path(__file__).resolve().parents[2]

VALID = """\
feuille_de_route:
  titre: Feuille de route 2021-2023
  administration: {nom: Ministère de l'Exemple, sigle: ME}
  date: 2021-09-27
  url: https://example.gouv.fr/feuille-de-route
engagements:
  - code: Outil A
    echeance: T4 2021
    depot: https://github.com/exemple/outil-a
  - code: Outil B
    administration: {nom: Direction de l'Exemple, sigle: DE}
    echeance: S2 2022
    depot: https://github.com/exemple
    note: Ouverture par étapes.
  - code: Outil C
    echeance: 2022-03-31
  - code: Services
    echeance: par_defaut
    depot: https://gitlab.com/exemple/groupe
"""


def write(folder: Path, text: str, name: str = "exemple-2021.yml") -> Path:
    (folder / "ouvertures").mkdir(exist_ok=True)
    path = folder / "ouvertures" / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def with_deadline(value: str) -> str:
    return VALID.replace("echeance: T4 2021", f"echeance: {value}", 1)


def test_a_valid_roadmap_is_read_whole(tmp_path: Path) -> None:
    roadmap, problems = load_roadmap(write(tmp_path, VALID))
    assert problems == []
    assert roadmap is not None
    assert roadmap.id == "exemple-2021"
    assert roadmap.published == date(2021, 9, 27)
    assert roadmap.administration.sigle == "ME"
    first, second, third, fourth = roadmap.commitments
    assert (first.code, first.deadline.last_day, first.depot) == (
        "Outil A",
        date(2021, 12, 31),
        "https://github.com/exemple/outil-a",
    )
    assert first.administration == roadmap.administration  # the roadmap's by default
    assert second.administration.sigle == "DE" and second.note == "Ouverture par étapes."
    assert second.deadline.last_day == date(2022, 12, 31)
    assert third.deadline.last_day == date(2022, 3, 31) and third.depot == ""
    assert fourth.deadline.by_default and fourth.deadline.last_day is None
    assert first.id == "exemple-2021/outil-a"
    assert first.line == 7


@pytest.mark.parametrize(
    ("text", "kind", "last"),
    [
        ("T1 2022", QUARTER, date(2022, 3, 31)),
        ("T2 2022", QUARTER, date(2022, 6, 30)),
        ("T3 2021", QUARTER, date(2021, 9, 30)),
        ("t4  2021", QUARTER, date(2021, 12, 31)),
        ("S1 2024", HALF_YEAR, date(2024, 6, 30)),
        ("S2 2022", HALF_YEAR, date(2022, 12, 31)),
        ("2024-02-29", "date", date(2024, 2, 29)),
    ],
)
def test_a_deadline_is_the_last_day_of_its_period(text: str, kind: str, last: date) -> None:
    deadline = parse_deadline(text)
    assert deadline is not None
    assert (deadline.kind, deadline.last_day) == (kind, last)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Q4 2021", "vouliez-vous dire « T4 2021 »"),
        ("H2 2022", "vouliez-vous dire « S2 2022 »"),
        ("2021-T4", "vouliez-vous dire « T4 2021 »"),
        ("T4-2021", "vouliez-vous dire « T4 2021 »"),
        ("31/03/2022", "vouliez-vous dire « 2022-03-31 »"),
        ("par défaut", "vouliez-vous dire « par_defaut »"),
        ("T5 2021", "un trimestre va de T1 à T4"),
        ("S3 2022", "un semestre de S1 à S2"),
        ("2022-02-30", "cette date n'existe pas au calendrier"),
        ("'2022'", "une année seule ne suffit pas : écrivez « S2 2022 » ou « 2022-12-31 »"),
        ("fin 2021", "n'est pas une échéance reconnue"),
    ],
)
def test_each_kind_of_bad_deadline_is_located_and_explained(
    tmp_path: Path, value: str, expected: str
) -> None:
    roadmap, problems = load_roadmap(write(tmp_path, with_deadline(value)))
    assert roadmap is None
    [problem] = problems
    assert problem.level is Level.ERROR
    assert (problem.line, problem.field, problem.code) == (
        8,
        "engagements[0].echeance",
        "ouvertures-echeance",
    )
    assert expected in problem.message
    assert "un trimestre (« T4 2021 »), un semestre (« S2 2022 »)" in problem.message


def test_a_year_written_as_a_number_is_a_type_error(tmp_path: Path) -> None:
    _, problems = load_roadmap(write(tmp_path, with_deadline("2022")))
    [problem] = problems
    assert problem.field == "engagements[0].echeance"
    assert "il faut un texte" in problem.message and "2022" in problem.message


def test_unknown_keys_get_a_suggestion_at_their_line(tmp_path: Path) -> None:
    text = VALID.replace("    note: Ouverture", "    notes: Ouverture").replace(
        "  titre:", "  tittre:"
    )
    roadmap, problems = load_roadmap(write(tmp_path, text))
    assert roadmap is None
    by_field = {p.field: p for p in problems}
    assert "vouliez-vous dire « note »" in by_field["engagements[1].notes"].message
    assert by_field["engagements[1].notes"].line == 14
    assert "vouliez-vous dire « titre »" in by_field["feuille_de_route.tittre"].message
    assert "feuille_de_route.titre" in by_field  # and the real one is missing


def test_required_fields_and_dates(tmp_path: Path) -> None:
    text = VALID.replace("  date: 2021-09-27\n", "  date: 2021-02-30\n").replace(
        "  - code: Outil C\n", "  - nom: Outil C\n"
    )
    _, problems = load_roadmap(write(tmp_path, text))
    fields = {p.field: p.message for p in problems}
    assert "ce jour n'existe pas" in fields["feuille_de_route.date"]
    assert "champ obligatoire manquant : « engagements[2].code »" in fields["engagements[2].code"]


def test_a_code_promised_twice_in_one_roadmap(tmp_path: Path) -> None:
    text = VALID.replace("  - code: Outil C", "  - code: outil  a")
    _, problems = load_roadmap(write(tmp_path, text))
    [problem] = problems
    assert problem.field == "engagements[2].code"
    assert "déjà inscrit dans cette feuille de route (ligne 7)" in problem.message


def test_a_deadline_before_the_roadmap_is_a_warning(tmp_path: Path) -> None:
    roadmap, problems = load_roadmap(write(tmp_path, with_deadline("T2 2021")))
    assert roadmap is not None  # a warning does not refuse the file
    [problem] = problems
    assert problem.level is Level.WARNING
    assert "l'échéance T2 2021 précède la publication de la feuille de route (27/09/2021)" in (
        problem.message
    )


def test_a_link_that_is_not_a_forge_is_allowed_but_not_trackable(tmp_path: Path) -> None:
    text = VALID.replace(
        "https://github.com/exemple/outil-a", "https://www.gouvernement.fr/les-actions"
    ).replace("https://gitlab.com/exemple/groupe", "https://git.exemple.gouv.fr/groupe")
    roadmap, problems = load_roadmap(write(tmp_path, text))
    assert roadmap is not None
    assert [(p.field, p.level, p.code) for p in problems] == [
        ("engagements[0].depot", Level.WARNING, "ouvertures-non-suivi"),
        ("engagements[3].depot", Level.WARNING, "ouvertures-non-suivi"),
    ]
    assert "« www.gouvernement.fr » n'est pas une forge moissonnée" in problems[0].message
    # A host the crawl knows (sources.yml) is a forge.
    path = tmp_path / "ouvertures" / "exemple-2021.yml"
    _, known = load_roadmap(path, ["git.exemple.gouv.fr", "github.com/exemple"])
    assert [p.field for p in known] == ["engagements[0].depot"]


def test_an_account_missing_from_the_sources_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("github.com/exemple/outil-a", "github.com/Autre/outil"))
    crawled = ["github.com/exemple", "gitlab.com/exemple/groupe"]
    roadmap, problems = load_roadmap(path, crawled)
    assert roadmap is not None
    [problem] = problems
    assert (problem.field, problem.level, problem.code) == (
        "engagements[0].depot",
        Level.WARNING,
        "ouvertures-compte-non-moissonne",
    )
    assert "le compte « github.com/Autre » n'est pas dans sources.yml" in problem.message
    # Without a sources file nothing is said of accounts; a crawled group covers its
    # subgroups, a whole crawled forge every account.
    assert load_roadmap(path)[1] == []
    assert load_roadmap(path, ["github.com", "gitlab.com/exemple"])[1] == []


def test_hostile_yaml_is_refused_like_a_record(tmp_path: Path) -> None:
    hostile = "  titre: &a !!python/name:os.system"
    text = VALID.replace("  titre: Feuille de route 2021-2023", hostile)
    roadmap, problems = load_roadmap(write(tmp_path, text))
    assert roadmap is None
    assert {"yaml-anchor", "yaml-tag"} <= {p.code for p in problems}


def test_a_bad_file_name(tmp_path: Path) -> None:
    roadmap, problems = load_roadmap(write(tmp_path, VALID, "Feuille MTFP.yml"))
    assert roadmap is None
    assert "par exemple « feuille-mtfp.yml »" in problems[0].message


def test_check_dispatches_roadmaps_and_records(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, with_deadline("Q4 2021"))
    records = tmp_path / "algorithms" / "exemple"
    records.mkdir(parents=True)
    (records / "vide.yml").write_text("nom: x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = check_paths([Path("ouvertures")])
    assert [p.code for p in result.problems] == ["ouvertures-echeance"]
    assert result.records == ()
    runner = CliRunner()
    outcome = runner.invoke(main, ["check"])  # both folders by default
    assert outcome.exit_code == 1
    assert "ouvertures/exemple-2021.yml:8:5: erreur: « engagements[0].echeance »" in (
        outcome.output
    )
    assert "algorithms/exemple/vide.yml" in outcome.output
    github = runner.invoke(main, ["check", "--format", "github", "ouvertures/exemple-2021.yml"])
    assert "title=Feuille de route %3A engagements[0].echeance" in github.output
    assert "Traceback" not in outcome.output + github.output


def test_the_sources_file_names_the_forges(tmp_path: Path, monkeypatch) -> None:
    text = VALID.replace("https://gitlab.com/exemple/groupe", "https://git.exemple.gouv.fr/g")
    write(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    before = runner.invoke(main, ["check", "ouvertures"])
    assert "« git.exemple.gouv.fr » n'est pas une forge moissonnée" in before.output
    Path("sources.yml").write_text(
        "git.exemple.gouv.fr:\n  forge: gitlab\n  owners:\n    g:\n", encoding="utf-8"
    )
    after = runner.invoke(main, ["check", "ouvertures"])
    assert after.exit_code == 0, after.output
    assert "n'est pas une forge moissonnée" not in after.output


def test_the_seeded_roadmap_is_valid() -> None:
    roadmap, problems = load_roadmap(PROJECT / "ouvertures" / "mtfp-2021.yml")
    assert roadmap is not None
    assert [c.code for c in roadmap.commitments][:3] == [
        "FranceConnect",
        "Dossier numérique de l'entreprise",
        "HubEE",
    ]
    assert [c.deadline.text for c in roadmap.commitments] == [
        "T4 2021",
        "T3 2021",
        "T1 2022",
        "par_defaut",
        "T2 2022",
        "T4 2021",
    ]
    # The two links that are not forge addresses are reported, nothing else.
    assert [p.field for p in problems] == ["engagements[4].depot", "engagements[5].depot"]
