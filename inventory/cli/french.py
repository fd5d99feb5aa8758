"""French wording for click's own messages (usage, errors, help options).

click marks its user-facing strings for gettext but ships no French catalogue; the users of
this tool read French only. Each click module binds ``_``/``ngettext`` at import time, so we
rebind them to a lookup in the table below. Unknown strings fall back to click's English.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

FRENCH: dict[str, str] = {
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Aborted!": "Abandon.",
    "Argument {name!r} takes {nargs} values.": "L'argument {name!r} prend {nargs} valeurs.",
    "Choose from:\n\t{choices}": "Choisir parmi :\n\t{choices}",
    "Commands": "Commandes",
    "Confirm the action without prompting.": "Confirme l'action sans la demander.",
    "Could not open file {filename!r}: {message}": (
        "Impossible d'ouvrir le fichier {filename!r} : {message}"
    ),
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Error: The two entered values do not match.": (
        "Erreur : les deux valeurs saisies ne correspondent pas."
    ),
    "Error: invalid input": "Erreur : saisie invalide",
    "Error: {message}": "Erreur : {message}",
    # The same messages as click 8.2.0 words them (the lowest version the range allows).
    "Error: {e.message}": "Erreur : {e.message}",
    "Error: The value you entered was invalid.": "Erreur : la valeur saisie est invalide.",
    "No such option: {name}": "Option inconnue : '{name}'.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Missing argument": "Argument manquant",
    "Missing command.": "Commande manquante.",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "No such option {name!r}.": "Option inconnue : {name!r}.",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Options": "Options",
    "Positional arguments": "Arguments",
    "Repeat for confirmation": "Répétez pour confirmer",
    "Show the version and exit.": "Affiche la version et quitte.",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Usage:": "Utilisation :",
    "default: {default}": "par défaut : {default}",
    "directory": "dossier",
    "env var: {var}": "variable d'environnement : {var}",
    "file": "fichier",
    "path": "chemin",
    "required": "obligatoire",
    "unknown error": "erreur inconnue",
    "{name} {filename!r} does not exist.": "Le {name} {filename!r} n'existe pas.",
    "{name} {filename!r} is a directory.": "Le {name} {filename!r} est un dossier.",
    "{name} {filename!r} is a file.": "Le {name} {filename!r} est un fichier.",
    "{name} {filename!r} is not readable.": "Le {name} {filename!r} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "Le {name} {filename!r} n'est pas modifiable.",
    "{value!r} is not a valid UUID.": "{value!r} n'est pas un UUID valide.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "integer": "entier",
    "float": "nombre décimal",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} n'est pas un booléen valide. Valeurs reconnues : {states}"
    ),
}

FRENCH_PLURAL: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "Argument en trop : ({args})",
        "Arguments en trop : ({args})",
    ),
    "Did you mean {possibility}?": (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l'un de : {possibilities} ?)",
    ),
    "Option {name!r} requires an argument.": (
        "L'option {name!r} demande un argument.",
        "L'option {name!r} demande {nargs} arguments.",
    ),
    "{value!r} is not {choice}.": (
        "{value!r} n'est pas {choice}.",
        "{value!r} n'est pas l'une des valeurs {choices}.",
    ),
    "{value!r} does not match the format {format}.": (
        "{value!r} ne respecte pas le format {format}.",
        "{value!r} ne respecte aucun des formats {formats}.",
    ),
}

_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)


def gettext(message: str) -> str:
    return FRENCH.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    forms = FRENCH_PLURAL.get(singular)
    if forms is None:
        return singular if count == 1 else plural
    return forms[0] if count == 1 else forms[1]


def install() -> None:
    """Rebind click's translation functions to the French table (idempotent)."""
    replacements: dict[str, Callable[..., str]] = {"_": gettext, "ngettext": ngettext}
    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        for attribute, function in replacements.items():
            if hasattr(module, attribute):
                setattr(module, attribute, function)
