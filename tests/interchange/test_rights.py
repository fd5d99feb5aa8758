"""The texts owed to the person concerned: explicit mention, explanation, request letter.

Each generated text is checked against the law the issue cites: every article named belongs
to that list, and each legal statement appears where it must (the explicit mention of CRPA
R311-3-1-1 with the delays of R311-13 and R343-1; the nullity of loi n° 78-17 article 47
for fully automated decisions only; the four parts of R311-3-1-2 in the explanation).
"""

from __future__ import annotations

import html.parser
import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from odf import opendocument, table, teletype, text

from inventory.cli import main
from inventory.interchange import documents, rights
from inventory.model import Record
from tests.register.helpers import write_record
from tests.site.factories import hostile_record, record

#: Every provision a generated text may cite (the issue's list).
ALLOWED = {
    "L311-3-1",
    "R311-3-1-1",
    "R311-3-1-2",
    "R311-13",
    "R343-1",
    "L312-1-3",
    "47",
}
ARTICLE = re.compile(r"article (\S+?)(?= du| de la loi|\b[,.)]|$)")

CONTACTS = {
    "courriel": "algorithmes@caf.example.fr",
    "mailto": "mailto:algorithmes@caf.example.fr",
    "web": "https://www.caf.example.fr/contact",
}
LEVELS = ("decision_entierement_automatisee", "aide_a_la_decision")


def subject(level: str, contact: str, **changes) -> Record:
    return record("calcul-rsa", niveau_automatisation=level, contact=contact, **changes)


def all_texts() -> list[tuple[str, str]]:
    """(label, text) of every template, format, automation level and kind of contact."""
    found = []
    for level in LEVELS:
        for kind, contact in CONTACTS.items():
            for site_url in (None, "https://algorithmes.example.gouv.fr/"):
                subj = rights.Subject.of(subject(level, contact), site_url)
                for template in ("mention", "explication", "demande"):
                    for fmt in rights.FORMATS:
                        label = f"{template}/{fmt}/{level}/{kind}/{bool(site_url)}"
                        found.append((label, rights.render(template, subj, fmt)))
    return found


def cited(text: str) -> set[str]:
    plain = re.sub(r"<[^>]+>", "", text)
    return {match.group(1) for match in ARTICLE.finditer(plain)}


def test_every_article_cited_is_one_of_the_law_of_the_issue():
    seen: set[str] = set()
    for label, generated in all_texts():
        articles = cited(generated)
        assert articles, label
        assert articles <= ALLOWED, (label, articles - ALLOWED)
        seen |= articles
    assert seen == ALLOWED  # and each of them is used somewhere


@pytest.mark.parametrize("kind", sorted(CONTACTS))
@pytest.mark.parametrize("level", LEVELS)
def test_mention_states_what_r311_3_1_1_requires(level: str, kind: str):
    rec = subject(level, CONTACTS[kind])
    text = documents.as_text(rights.mention(rec, "https://algorithmes.example.gouv.fr"))
    flat = " ".join(text.split())
    # Purpose, and who is responsible (R311-3-1-1).
    assert "Il a pour finalité : " in flat and "Caisse nationale" in flat
    # The right to obtain communication of the rules, with its articles.
    assert "Vous pouvez demander la communication des règles définissant ce traitement" in flat
    assert "article R311-3-1-1 du code des relations entre le public et l'administration" in flat
    # How to exercise it: the contact, in the wording of its kind.
    if kind == "web":
        assert "par la page https://www.caf.example.fr/contact" in flat
    else:
        assert "à l'adresse algorithmes@caf.example.fr" in flat and "mailto:" not in flat
    # One month of silence is a refusal (R311-13); two months to refer to the CADA (R343-1).
    assert "délai d'un mois" in flat and "réputée refusée (article R311-13" in flat
    assert "deux mois pour saisir la Commission d'accès aux documents administratifs" in flat
    assert "(article R343-1 du code" in flat
    # The page of the algorithm (L312-1-3).
    assert "https://algorithmes.example.gouv.fr/algorithmes/calcul-rsa/" in flat
    nullity = "elle serait nulle si elle ne comportait pas la présente mention"
    if level == "decision_entierement_automatisee":
        assert nullity in flat and "article 47 de la loi n° 78-17" in flat
        assert "sur le seul fondement d'un traitement algorithmique" in flat
    else:
        assert nullity not in flat and "article 47" not in flat
        assert "avant qu'un agent ne la prenne" in flat


def test_without_a_site_address_the_mention_has_no_link():
    flat = " ".join(rights.mention(subject(LEVELS[0], CONTACTS["web"])).split())
    assert "publiées sur" not in flat and "L312-1-3" not in flat


def _odt_blocks(data: bytes) -> tuple[list[str], list[list[str]]]:
    document = opendocument.load(io.BytesIO(data))
    headings = [teletype.extractText(h) for h in document.getElementsByType(text.H)]
    rows = [
        [teletype.extractText(cell) for cell in row.getElementsByType(table.TableCell)]
        for row in document.getElementsByType(table.TableRow)
    ]
    return headings, rows


def test_explanation_odt_has_the_four_parts_and_every_parameter():
    rec = record(
        "calcul-rsa",
        parametres=[
            {
                "nom": "Montant forfaitaire",
                "ponderation": "+50 % | 2e personne",
                "description": "Base",
            },
            {"nom": "Forfait logement", "description": "Ajouté aux ressources"},
        ],
    )
    subj = rights.Subject.of(rec)
    data = documents.as_odt(rights.render("explication", subj, "texte"))
    assert zipfile.ZipFile(io.BytesIO(data)).read("mimetype") == (
        b"application/vnd.oasis.opendocument.text"
    )
    headings, rows = _odt_blocks(data)
    parts = [h for h in headings if re.match(r"[1-4]\. ", h)]
    assert [p[:2] for p in parts] == ["1.", "2.", "3.", "4."]
    assert "degré et le mode de contribution" in parts[0]
    assert "données traitées et leurs sources" in parts[1]
    assert "paramètres" in parts[2] and "pondération" in parts[2]
    assert "opérations" in parts[3]
    assert all(h.strip() for h in headings)  # no empty heading
    assert rows[0] == [
        "Paramètre",
        "Pondération",
        "Description",
        "Valeur retenue pour votre situation",
    ]
    assert rows[1] == ["Montant forfaitaire", "+50 % | 2e personne", "Base", ""]
    assert rows[2] == ["Forfait logement", "non précisée", "Ajouté aux ressources", ""]


def test_explanation_in_markdown_and_html_keeps_the_table():
    subj = rights.Subject.of(record("calcul-rsa"))
    markdown = documents.as_markdown(rights.render("explication", subj, "markdown"))
    assert "| --- | --- | --- | --- |" in markdown
    assert markdown.count("\n## ") >= 4
    page = documents.as_html(rights.render("explication", subj, "html"))
    assert page.count("<h2>") == 5 and '<th scope="col">Valeur retenue' in page


class _Executable(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "img", "iframe", "object"}:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (name == "href" and "javascript" in (value or "")):
                self.found.append(f"{tag}[{name}]")


def test_hostile_record_text_is_inert_in_every_format():
    subj = rights.Subject.of(hostile_record(), "https://algorithmes.example.gouv.fr")
    for template in ("mention", "explication", "demande"):
        page = documents.as_html(rights.render(template, subj, "html"))
        finder = _Executable()
        finder.feed(page)
        assert finder.found == [], (template, finder.found)
        markdown = documents.as_markdown(rights.render(template, subj, "markdown"))
        # Rendered by a CommonMark renderer that lets raw HTML through: nothing executes.
        rendered = MarkdownIt("commonmark", {"html": True}).render(markdown)
        finder = _Executable()
        finder.feed(rendered)
        assert finder.found == [], (template, finder.found)
        data = documents.as_odt(rights.render(template, subj, "texte"))
        headings, _ = _odt_blocks(data)  # readable back: the XML is not broken
        assert headings or template == "mention"
        assert "<script>alert(1)</script>" in teletype.extractText(
            opendocument.load(io.BytesIO(data)).text
        )  # the text itself, as text


def test_request_letter_cites_its_articles_and_has_placeholders():
    for kind, contact in CONTACTS.items():
        letter = documents.as_text(
            rights.render("demande", rights.Subject.of(subject(LEVELS[1], contact)), "texte")
        )
        flat = " ".join(letter.split())
        assert "[Votre nom et prénom]" in flat and "[Référence de votre dossier]" in flat
        assert "article L311-3-1" in flat and "article R311-3-1-2" in flat
        assert "réputée refusée (article R311-13" in flat and "(article R343-1" in flat
        assert ("par courriel" in flat) == (kind != "web")


# --- the commands --------------------------------------------------------------------------


@pytest.fixture
def register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "algorithms"
    write_record(folder, "cnaf", "prime-activite.yml")
    monkeypatch.chdir(tmp_path)
    return folder


def test_cli_mention_formats(register: Path):
    result = CliRunner().invoke(main, ["mention", "prime-activite"])
    assert result.exit_code == 0, result.output
    assert "Information sur l'utilisation d'un traitement algorithmique" in result.output
    html_out = CliRunner().invoke(main, ["mention", "prime-activite", "--format", "html"])
    assert html_out.output.startswith("<p>") and "legifrance.gouv.fr" in html_out.output


def test_cli_unknown_identifier_suggests_the_closest(register: Path):
    result = CliRunner().invoke(main, ["mention", "prime-activité"])
    assert result.exit_code == 1
    assert "vouliez-vous dire « prime-activite » ?" in result.output
    assert "Traceback" not in result.output


def test_cli_explication_writes_by_extension_and_never_overwrites(register: Path):
    runner = CliRunner()
    out = register.parent / "reponse.odt"
    assert runner.invoke(main, ["explication", "prime-activite", "--out", str(out)]).exit_code == 0
    headings, _ = _odt_blocks(out.read_bytes())
    assert len([h for h in headings if re.match(r"[1-4]\. ", h)]) == 4
    again = runner.invoke(main, ["explication", "prime-activite", "--out", str(out)])
    assert again.exit_code == 1 and "--force" in again.output
    forced = ["explication", "prime-activite", "--out", str(out), "--force"]
    assert runner.invoke(main, forced).exit_code == 0
    bad = runner.invoke(main, ["explication", "prime-activite", "--out", "reponse.pdf"])
    assert bad.exit_code == 1 and "extension « .pdf »" in bad.output
    md = register.parent / "reponse.md"
    assert runner.invoke(main, ["explication", "prime-activite", "--out", str(md)]).exit_code == 0
    assert "## 4. Les opérations" in md.read_text(encoding="utf-8")


def test_check_warns_when_the_texts_lack_something_and_strict_makes_it_an_error(
    register: Path,
):
    from tests.register.helpers import valid_data

    write_record(
        register,
        "cnaf",
        "sans-parametres.yml",
        valid_data(parametres=None, finalite="Calculer."),
    )
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(register)])
    assert result.exit_code == 0, result.output
    assert "avertissement: « parametres » absent" in result.output
    assert "avertissement: « finalite » : 9 caractères seulement" in result.output
    strict = runner.invoke(main, ["check", "--strict", str(register)])
    assert strict.exit_code == 1
    assert "erreur: « parametres » absent" in strict.output


def test_exports_carry_the_mention(register: Path):
    from inventory.exports.algorithms import algorithms_csv, algorithms_json
    from inventory.register.validate import check_paths

    records = check_paths([register]).records
    assert "Mention explicite" in algorithms_csv(records).splitlines()[0]
    assert "Information sur l'utilisation" in algorithms_json(records)
