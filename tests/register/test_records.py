"""Reading one record: safe YAML, line marks, and every kind of unreadable file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from inventory.model import Problem
from inventory.register.messages import MAX_FILE_BYTES
from inventory.register.records import as_json, find_mark, load_record, parse_text, read_version
from tests.register.helpers import VALID_TEXT, dump, valid_data, write_record


def _load(register: Path, name: str = "prime-activite.yml", **kwargs) -> tuple:
    path = write_record(register, "cnaf", name, **kwargs)
    return load_record(path, register)


def _codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def test_valid_record_is_read_with_id_folder_and_date(register: Path) -> None:
    record, problems = _load(register, text=VALID_TEXT)
    assert problems == []
    assert record is not None
    assert record.id == "prime-activite"
    assert record.folder == "cnaf"
    assert record.data["date_mise_a_jour"] == date(2026, 3, 1)
    assert record.data["administration"]["sigle"] == "CNAF"
    assert as_json(record.data)["date_mise_a_jour"] == "2026-03-01"


def test_marks_locate_keys_and_list_items(register: Path) -> None:
    record, _ = _load(register, text=VALID_TEXT)
    assert record is not None
    assert record.marks["nom"] == (1, 1)
    assert record.marks["administration.sigle"] == (4, 3)
    assert record.marks["fondements_juridiques[0]"] == (13, 5)
    assert record.marks["fondements_juridiques[0].url"] == (14, 5)
    assert record.marks["donnees[0].source"] == (18, 5)
    # An absent field is located at its closest parent.
    assert find_mark(record.marks, "fondements_juridiques[0].titre.x") == (13, 5)


def test_quoted_and_unquoted_dates_read_the_same(register: Path) -> None:
    quoted = VALID_TEXT.replace("date_mise_a_jour: 2026-03-01", 'date_mise_a_jour: "2026-03-01"')
    first, _ = _load(register, text=VALID_TEXT)
    second, _ = _load(register, name="autre.yml", text=quoted)
    assert first is not None and second is not None
    assert first.data["date_mise_a_jour"] == second.data["date_mise_a_jour"] == date(2026, 3, 1)


def test_yes_and_no_stay_text_but_true_is_a_boolean(register: Path) -> None:
    text = VALID_TEXT.replace("sigle: CNAF", "sigle: Non") + "autre: yes\nvrai: true\n"
    record, _ = _load(register, text=text)
    assert record is not None
    assert record.data["administration"]["sigle"] == "Non"
    assert record.data["autre"] == "yes"
    assert record.data["vrai"] is True


def test_broken_yaml_names_file_line_and_problem_in_french(register: Path) -> None:
    text = VALID_TEXT.replace("statut: en_service", "statut: en_service: oui")
    record, problems = _load(register, text=text)
    assert record is None
    [problem] = problems
    assert problem.path.endswith("algorithms/cnaf/prime-activite.yml")
    assert problem.code == "yaml-syntax"
    assert problem.line == 7
    assert problem.message.startswith("YAML invalide : « : » inattendu")


def test_unclosed_quote_is_a_located_syntax_error(register: Path) -> None:
    record, problems = _load(register, text='nom: "Calcul\nstatut: en_service\n')
    assert record is None
    assert _codes(problems) == ["yaml-syntax"]
    assert problems[0].line is not None
    assert "YAML invalide" in problems[0].message


def test_tabs_are_refused_on_each_line(register: Path) -> None:
    text = VALID_TEXT.replace("  sigle: CNAF", "\tsigle: CNAF").replace(
        "operations: Application", "operations:\tApplication"
    )
    record, problems = _load(register, text=text)
    assert record is None
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("yaml-tab", 4, 1),
        ("yaml-tab", 20, 12),
    ]
    assert "tabulation" in problems[0].message


def test_a_list_file_is_refused(register: Path) -> None:
    record, problems = _load(register, text="- nom: un\n- nom: deux\n")
    assert record is None
    assert _codes(problems) == ["file-not-mapping"]
    assert "pas une liste" in problems[0].message
    assert problems[0].line == 1


def test_a_lone_value_is_refused(register: Path) -> None:
    record, problems = _load(register, text="bonjour\n")
    assert record is None
    assert "pas une valeur isolée" in problems[0].message


@pytest.mark.parametrize("text", ["", "\n\n", "# rien\n", "---\n"])
def test_an_empty_file_is_refused(register: Path, text: str) -> None:
    record, problems = _load(register, text=text)
    assert record is None
    assert _codes(problems) == ["file-empty"]
    assert "fichier vide" in problems[0].message


def test_non_utf8_bytes_are_located(register: Path) -> None:
    raw = VALID_TEXT.encode().replace(b"modestes", b"modest\xe9s")
    record, problems = _load(register, raw=raw)
    assert record is None
    [problem] = problems
    assert problem.code == "file-encoding"
    assert problem.line == 15
    assert problem.column == len("public_concerne: Les travailleurs aux revenus modest") + 1
    assert "UTF-8" in problem.message and "0xe9" in problem.message


def test_a_utf8_byte_order_mark_is_accepted(register: Path) -> None:
    record, problems = _load(register, raw=b"\xef\xbb\xbf" + VALID_TEXT.encode())
    assert problems == [] and record is not None
    assert record.marks["nom"] == (1, 1)


def test_duplicate_keys_are_errors_naming_both_lines(register: Path) -> None:
    text = VALID_TEXT + "statut: retire\n"
    record, problems = _load(register, text=text)
    [problem] = problems
    assert problem.code == "yaml-duplicate-key"
    assert (problem.line, problem.field) == (21, "statut")
    assert "ligne 7" in problem.message and "« statut »" in problem.message
    assert record is not None  # the rest of the record is still checked


def test_nested_duplicate_keys_are_errors(register: Path) -> None:
    text = VALID_TEXT.replace("  sigle: CNAF", "  sigle: CNAF\n  nom: Autre")
    _, problems = _load(register, text=text)
    assert [(p.code, p.field, p.line) for p in problems] == [
        ("yaml-duplicate-key", "administration.nom", 5)
    ]


def test_aliases_and_anchors_are_refused_without_expansion(register: Path) -> None:
    text = VALID_TEXT.replace("nom: Calcul", "nom: &n Calcul", 1) + "contexte: *n\n"
    record, problems = _load(register, text=text)
    assert _codes(problems) == ["yaml-anchor", "yaml-alias"]
    assert problems[0].line == 1 and problems[1].line == 21
    assert "« &n »" in problems[0].message and "« *n »" in problems[1].message
    assert record is not None and record.data["contexte"] is None


def test_billion_laughs_is_refused_quickly(register: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        previous, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    _, problems = _load(register, text="\n".join(lines) + "\n")
    assert set(_codes(problems)) == {"yaml-anchor", "yaml-alias"}
    assert len(problems) == 10 + 9 * 9


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['echo pwned']",
        "!!python/name:os.system",
        "!!binary aGVsbG8=",
        "!custom valeur",
        "!!set {a, b}",
        "!!map {a: 1}",
    ],
)
def test_tags_other_than_core_scalars_are_refused(register: Path, value: str) -> None:
    text = VALID_TEXT.replace("operations: Application du barème.", f"operations: {value}")
    _, problems = _load(register, text=text)
    assert _codes(problems) == ["yaml-tag"]
    assert problems[0].line == 20 and problems[0].field == "operations"
    assert "étiquette YAML" in problems[0].message


def test_core_scalar_tags_are_accepted(register: Path) -> None:
    text = VALID_TEXT.replace("sigle: CNAF", "sigle: !!str 2024") + "decisions_par_an: !!int 12\n"
    record, problems = _load(register, text=text)
    assert problems == []
    assert record is not None
    assert record.data["administration"]["sigle"] == "2024"
    assert record.data["decisions_par_an"] == 12


@pytest.mark.parametrize(
    "name", ["Prime_Activite.yml", "prime--activite.yml", "prime activité.yml"]
)
def test_invalid_file_names_are_refused_with_an_example(register: Path, name: str) -> None:
    record, problems = _load(register, name=name, text=VALID_TEXT)
    assert _codes(problems) == ["file-name"]
    assert f"« {name} »" in problems[0].message
    assert "« prime-activite.yml »" in problems[0].message
    assert record is not None  # its content is still checked


def test_oversize_file_is_refused_before_reading(register: Path) -> None:
    text = VALID_TEXT + "contexte: |\n" + ("  " + "x" * 98 + "\n") * (MAX_FILE_BYTES // 100 + 1)
    record, problems = _load(register, text=text)
    assert record is None
    assert _codes(problems) == ["file-size"]
    assert "256 Kio" in problems[0].message


def test_several_documents_are_refused(register: Path) -> None:
    _, problems = _load(register, text=VALID_TEXT + "---\nnom: autre\n")
    assert _codes(problems) == ["yaml-multiple-documents"]
    assert problems[0].line == 21


def test_a_record_outside_a_folder_is_refused(register: Path) -> None:
    path = register / "prime-activite.yml"
    path.write_text(dump(valid_data()), encoding="utf-8")
    _, problems = load_record(path, register)
    assert _codes(problems) == ["file-place"]
    assert "algorithms/<dossier>/prime-activite.yml" in problems[0].message


def test_a_record_nested_too_deep_is_refused(register: Path) -> None:
    path = write_record(register, "cnaf/archives", "prime-activite.yml")
    _, problems = load_record(path, register)
    assert _codes(problems) == ["file-place"]
    assert "cnaf/archives" in problems[0].message


def test_complex_keys_are_refused(register: Path) -> None:
    _, problems = _load(register, text=VALID_TEXT + "? [a, b]\n: valeur\n")
    assert _codes(problems) == ["yaml-complex-key"]


def test_control_characters_are_located(register: Path) -> None:
    record, problems = _load(register, text=VALID_TEXT.replace("CNAF", "CN\x01AF"))
    assert record is None
    [problem] = problems
    assert (problem.code, problem.line, problem.column) == ("yaml-syntax", 4, 12)
    assert "caractère de contrôle interdit (U+0001)" in problem.message


def test_yaml_messages_are_french_and_on_one_line(register: Path) -> None:
    broken = ["nom: @x\n", "nom: [a, b\nstatut: x\n", "nom: x\n- a\n", "a: 'b\n", "a: !<!x> b: c\n"]
    for index, text in enumerate(broken):
        _, problems = _load(register, name=f"f{index}.yml", text=text)
        assert problems, text
        for problem in problems:
            assert "\n" not in problem.message
            assert "while" not in problem.message and "found" not in problem.message, problem


def test_absurdly_deep_nesting_is_refused_without_recursion_error(register: Path) -> None:
    depth = 50_000
    record, problems = _load(register, text="nom: " + "[" * depth + "]" * depth + "\n")
    assert record is None
    assert [p.code for p in problems] == ["yaml-depth"]
    assert problems[0].line == 1


def test_a_fifo_is_refused_without_blocking(register: Path) -> None:
    import os

    path = register / "cnaf" / "tube.yml"
    path.parent.mkdir()
    os.mkfifo(path)
    record, problems = load_record(path, register)
    assert record is None
    assert [p.code for p in problems] == ["file-read"]
    assert "pas un fichier ordinaire" in problems[0].message


def test_an_unreadable_file_is_reported_in_french(register: Path) -> None:
    folder = register / "cnaf"
    folder.mkdir()
    (folder / "boucle.yml").symlink_to(folder / "autre.yml")
    (folder / "autre.yml").symlink_to(folder / "boucle.yml")
    record, problems = load_record(folder / "boucle.yml", register)
    assert record is None
    assert problems[0].message == "lecture impossible : lien symbolique en boucle"


_VERSIONS = [
    VALID_TEXT,
    VALID_TEXT + "a: yes\nb: on\nc: 1:30\nd: 0x1F\ne: 1e3\nf: ~\ng: null\nh: True\ni: .inf\n",
    VALID_TEXT + "j: -1\nk: +2\nl: 0o17\nm: =\nn: <<\no: !!str 12\np: ! 12\nq: ''\nr:\n",
    VALID_TEXT.replace("date_mise_a_jour: 2026-03-01", "date_mise_a_jour: 2026-02-30"),
    VALID_TEXT.replace("nom: Calcul", "nom: &n Calcul", 1) + "contexte: *n\n",
    VALID_TEXT + "contexte: !!python/object/apply:os.system ['ls']\n",
    VALID_TEXT + "nom: doublon\n",
    VALID_TEXT + "? [cle, complexe]\n: valeur\n",
    VALID_TEXT + "---\nnom: second\n",
    VALID_TEXT + "x: " + "[" * 40 + "]" * 40 + "\n",
    VALID_TEXT + "contexte:\tx\n",
    VALID_TEXT + "'': vide\n1: un\nnull: nul\nliste: [1, 'b', {c: d}]\n",
    "- une liste\n",
    "une valeur\n",
    "",
    "{}\n",
    "nom: [non fermé\n",
]


@pytest.mark.parametrize("text", _VERSIONS)
def test_a_version_reads_as_the_careful_reading_does(text: str) -> None:
    """Versions from git go through a quicker reading: same values, same reasons (read twice:
    the second time, the plain scalars it resolved once come from its memory)."""
    value, _, problems = parse_text(text, "x.yml")
    expected = (value, "") if value is not None else (None, problems[0].message)
    assert read_version(text.encode("utf-8"), "x.yml") == expected
    assert read_version(text.encode("utf-8"), "x.yml") == expected
