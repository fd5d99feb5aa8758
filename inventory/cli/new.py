"""``inventory new``: create a record, prompting in French for the required fields.

Every value can also be given as an option (for scripts); with ``--no-input`` nothing is asked
and a missing value is an error. Values are checked as they are typed: a wrong one is asked
again with a French explanation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from inventory.cli.app import main
from inventory.interchange import scaffold
from inventory.register.fields import by_path
from inventory.register.records import slug
from inventory.register.report import FORMATTERS
from inventory.register.validate import DEFAULT_PATH, check_paths


def _prompt(text: str, **kwargs: Any) -> Any:
    """``click.prompt`` with the French typography of a colon (`` : ``)."""
    return click.prompt(text, prompt_suffix=" : ", **kwargs)


def _proc(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """A click ``value_proc``: a :class:`ValueProblem` becomes a re-prompt."""

    def convert(value: str) -> Any:
        try:
            return parse(value)
        except scaffold.ValueProblem as exc:
            raise click.BadParameter(str(exc)) from exc

    return convert


class _Asker:
    """Takes a value from its option, else prompts for it (or fails with ``--no-input``)."""

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive
        self.missing: list[str] = []

    def value(
        self,
        given: str | None,
        option: str,
        label: str,
        parse: Callable[[str], Any],
        default: str | None = None,
    ) -> Any:
        if given is not None:
            try:
                return parse(given)
            except scaffold.ValueProblem as exc:
                raise click.BadParameter(str(exc), param_hint=f"« {option} »") from exc
        if not self.interactive:
            if default is not None:
                return parse(default)
            self.missing.append(option)
            return None
        return _prompt(label, default=default, value_proc=_proc(parse))

    def choice(self, given: str | None, option: str, path: str) -> str | None:
        field = by_path()[path]
        parse = lambda text: scaffold.parse_choice(path, text)  # noqa: E731
        if given is None and self.interactive:
            click.echo(f"{field.title} :")
            for number, (code, label) in enumerate(scaffold.enum_choices(path), start=1):
                click.echo(f"  {number}. {label} ({code})")
            return self.value(None, option, "Votre choix (numéro ou code)", parse)
        return self.value(given, option, field.title, parse)


def _pairs(
    ask: _Asker, given: tuple[str, ...], option: str, first: str, more: str, parse: Callable
) -> list[Any]:
    """A list of at least one value: from the options, or prompted until an empty answer."""
    if given:
        try:
            return [parse(value) for value in given]
        except scaffold.ValueProblem as exc:
            raise click.BadParameter(str(exc), param_hint=f"« {option} »") from exc
    if not ask.interactive:
        ask.missing.append(option)
        return []
    values = [_prompt(first, value_proc=_proc(parse))]
    while True:
        extra = _prompt(more, default="", show_default=False)
        if not extra.strip():
            return values
        try:
            values.append(parse(extra))
        except scaffold.ValueProblem as exc:
            click.echo(f"Erreur : {exc}", err=True)


def _legal(ask: _Asker, given: tuple[str, ...]) -> list[dict[str, str]]:
    """Legal bases: ``titre`` or ``titre (https://…)`` from options; title then URL if asked."""
    if given or not ask.interactive:
        from inventory.interchange.importer import LINK

        def parse(text: str) -> dict[str, str]:
            text = scaffold.parse_text(text)
            match = LINK.match(text)
            if match:
                return {"titre": scaffold.parse_text(match["titre"]), "url": match["url"]}
            return {"titre": text}

        return _pairs(ask, given, "--fondement", "", "", parse)
    result = []
    number = 1
    while True:
        title_label = f"Fondement juridique n° {number} : titre du texte"
        if number == 1:
            title = _prompt(title_label, value_proc=_proc(scaffold.parse_text))
        else:
            title = _prompt(
                title_label + " (Entrée pour terminer)", default="", show_default=False
            ).strip()
            if not title:
                return result
        url = _prompt(
            "  adresse web du texte (https://…, Entrée pour passer)",
            default="",
            show_default=False,
            value_proc=_proc(lambda t: scaffold.parse_url(t) if t.strip() else ""),
        )
        result.append({"titre": title, **({"url": url} if url else {})})
        number += 1


def _data(ask: _Asker, names: tuple[str, ...], sources: tuple[str, ...]) -> list[dict[str, str]]:
    if names or sources or not ask.interactive:
        if len(names) != len(sources):
            raise click.UsageError(
                "donnez autant d'options --source-donnee que d'options --donnee "
                f"({len(names)} donnée(s), {len(sources)} source(s))"
            )
        if not names:
            ask.missing.append("--donnee/--source-donnee")
            return []
        try:
            return [
                {"nom": scaffold.parse_text(n), "source": scaffold.parse_text(s)}
                for n, s in zip(names, sources, strict=True)
            ]
        except scaffold.ValueProblem as exc:
            raise click.BadParameter(str(exc), param_hint="« --donnee »") from exc
    result = []
    number = 1
    while True:
        label = f"Données traitées n° {number} : nature des données"
        if number == 1:
            name = _prompt(label, value_proc=_proc(scaffold.parse_text))
        else:
            name = _prompt(label + " (Entrée pour terminer)", default="", show_default=False)
            if not name.strip():
                return result
        source = _prompt(
            "  source de ces données (qui les fournit, comment)",
            value_proc=_proc(scaffold.parse_text),
        )
        result.append({"nom": name.strip(), "source": source})
        number += 1


@main.command("new")
@click.option(
    "--racine",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_PATH,
    show_default=True,
    help="Dossier du registre.",
)
@click.option(
    "--dossier", metavar="DOSSIER", help="Dossier de l'administration (algorithms/<dossier>/)."
)
@click.option(
    "--id", "identifier", metavar="IDENTIFIANT", help="Identifiant de la fiche (nom du fichier)."
)
@click.option("--nom", metavar="TEXTE", help="Nom de l'algorithme.")
@click.option("--administration", metavar="NOM", help="Nom de l'administration concernée.")
@click.option("--contact", metavar="ADRESSE", help="Adresse électronique ou page web de contact.")
@click.option(
    "--date",
    "updated",
    metavar="DATE",
    help="Date de mise à jour (AAAA-MM-JJ ; aujourd'hui sinon).",
)
@click.option("--statut", metavar="CHOIX", help="Statut : numéro, code ou libellé.")
@click.option("--finalite", metavar="TEXTE", help="Finalité de l'algorithme.")
@click.option(
    "--intervention",
    metavar="TEXTE",
    help="Comment et quand l'algorithme intervient dans la décision.",
)
@click.option(
    "--niveau-automatisation", "automation", metavar="CHOIX", help="Niveau d'automatisation."
)
@click.option(
    "--fondement",
    "legal",
    multiple=True,
    metavar="TEXTE",
    help="Fondement juridique : « titre » ou « titre (https://…) » (répétable).",
)
@click.option("--public", "public", metavar="TEXTE", help="Public concerné par la décision.")
@click.option(
    "--donnee", "data_names", multiple=True, metavar="TEXTE", help="Données traitées (répétable)."
)
@click.option(
    "--source-donnee",
    "data_sources",
    multiple=True,
    metavar="TEXTE",
    help="Source des données, une par --donnee, dans le même ordre (répétable).",
)
@click.option(
    "--type-algorithme",
    "kind",
    metavar="CHOIX",
    help="Type d'algorithme : numéro, code ou libellé.",
)
@click.option("--operations", metavar="TEXTE", help="Opérations effectuées par l'algorithme.")
@click.option(
    "--no-input",
    "no_input",
    is_flag=True,
    help="Ne pose aucune question : toutes les valeurs obligatoires sont données en options.",
)
def new(
    root: Path,
    dossier: str | None,
    identifier: str | None,
    nom: str | None,
    administration: str | None,
    contact: str | None,
    updated: str | None,
    statut: str | None,
    finalite: str | None,
    intervention: str | None,
    automation: str | None,
    legal: tuple[str, ...],
    public: str | None,
    data_names: tuple[str, ...],
    data_sources: tuple[str, ...],
    kind: str | None,
    operations: str | None,
    no_input: bool,
) -> None:
    """Crée une fiche d'algorithme algorithms/<dossier>/<id>.yml, commentée en français.

    Les champs obligatoires sont demandés un à un (ou donnés en options avec --no-input) ;
    les champs facultatifs sont écrits en commentaire, à compléter. Une fiche existante n'est
    jamais remplacée, et un identifiant déjà utilisé dans le registre est refusé.
    """
    ask = _Asker(interactive=not no_input)
    text = scaffold.parse_text
    existing = scaffold.folders(root)
    if ask.interactive and existing and dossier is None:
        click.echo("Dossiers existants : " + ", ".join(existing))
    folder = ask.value(
        dossier,
        "--dossier",
        "Dossier de l'administration (minuscules et tirets, par exemple dgfip)",
        lambda t: scaffold.parse_identifier(t, what="nom de dossier"),
    )
    name = ask.value(nom, "--nom", by_path()["nom"].title, text)

    def parse_id(value: str) -> str:
        result = scaffold.parse_identifier(value)
        try:
            scaffold.target_path(root, folder or "", result)
        except scaffold.ScaffoldError as exc:
            raise scaffold.ValueProblem(str(exc)) from exc
        return result

    record_id = ask.value(
        identifier,
        "--id",
        "Identifiant de la fiche (nom du fichier)",
        parse_id,
        default=slug(name) if name else None,
    )
    data: dict[str, Any] = {"nom": name}
    data["administration"] = {
        "nom": ask.value(
            administration, "--administration", by_path()["administration.nom"].title, text
        )
    }
    data["contact"] = ask.value(
        contact, "--contact", "Contact (adresse électronique ou https://…)", scaffold.parse_contact
    )
    data["date_mise_a_jour"] = ask.value(
        updated,
        "--date",
        "Date de mise à jour (AAAA-MM-JJ)",
        scaffold.parse_date,
        default=date.today().isoformat(),
    )
    data["statut"] = ask.choice(statut, "--statut", "statut")
    data["finalite"] = ask.value(finalite, "--finalite", by_path()["finalite"].title, text)
    data["intervention_dans_la_decision"] = ask.value(
        intervention, "--intervention", by_path()["intervention_dans_la_decision"].title, text
    )
    data["niveau_automatisation"] = ask.choice(
        automation, "--niveau-automatisation", "niveau_automatisation"
    )
    data["fondements_juridiques"] = _legal(ask, legal)
    data["public_concerne"] = ask.value(
        public, "--public", by_path()["public_concerne"].title, text
    )
    data["donnees"] = _data(ask, data_names, data_sources)
    data["type_algorithme"] = ask.choice(kind, "--type-algorithme", "type_algorithme")
    data["operations"] = ask.value(operations, "--operations", by_path()["operations"].title, text)
    if ask.missing:
        raise click.UsageError(
            "valeurs obligatoires manquantes avec --no-input : " + ", ".join(ask.missing)
        )
    path = scaffold.create(root, folder, record_id, data)
    click.echo(f"écrit : {path.as_posix()}")
    result = check_paths([path])
    if result.errors:
        click.echo(FORMATTERS["text"](result), err=True)
    else:
        click.echo(
            "La fiche est valide. Complétez les champs facultatifs (en commentaire) puis "
            f"vérifiez-la avec « inventory check {path.as_posix()} »."
        )
