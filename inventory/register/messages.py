"""Every French sentence that ``inventory check`` can print, kept together as data.

Templates use ``str.format`` fields. ``field`` is always the field path written as in the
record (``fondements_juridiques[0].url``); quotes are French guillemets. Keeping the wording here
lets it be reviewed (and corrected) in one place, separately from the checking code.
"""

from __future__ import annotations

import errno
from typing import Final

# Size limit of one record file: a record is a page of text, not a data dump.
MAX_FILE_BYTES: Final = 256 * 1024
MAX_FILE_LABEL: Final = "256 Kio"

# --- reading the file ---------------------------------------------------------------------
FILE: Final[dict[str, str]] = {
    "missing": "fichier ou dossier introuvable",
    "unreadable": "lecture impossible : {reason}",
    "not-regular": "ce n'est pas un fichier ordinaire",
    "not-yaml": "ce n'est pas une fiche YAML : l'extension doit être « .yml » (ou « .yaml »)",
    "too-large": ("fichier trop volumineux ({size}) : une fiche ne doit pas dépasser {limit}"),
    "encoding": (
        "le fichier n'est pas encodé en UTF-8 (octet 0x{byte:02x} invalide) : "
        "enregistrez-le en UTF-8"
    ),
    "empty": "fichier vide : une fiche doit contenir au moins les champs obligatoires",
    "tab": (
        "caractère de tabulation : les fiches YAML s'indentent avec des espaces, "
        "remplacez la tabulation par des espaces"
    ),
    "multiple-documents": (
        "plusieurs documents YAML (séparés par « --- ») : une fiche par fichier"
    ),
    "not-mapping": ("la fiche doit être un ensemble de champs « clé: valeur », pas {found}"),
    "no-folder": (
        "fiche placée hors d'un dossier d'administration : rangez-la dans "
        "algorithms/<dossier>/{name}"
    ),
    "too-deep": (
        "fiche rangée trop profondément ({folder}) : l'emplacement attendu est "
        "algorithms/<dossier>/{name}"
    ),
    "bad-name": (
        "nom de fichier invalide « {name} » : l'identifiant (le nom du fichier sans "
        "l'extension) ne doit contenir que des minuscules sans accent, des chiffres et des "
        "tirets simples, par exemple « {example} »"
    ),
    "no-records": "aucune fiche (.yml) trouvée dans ce dossier",
}

# Operating-system errors met while reading, by errno (others are shown as the system says).
OS_ERRORS: Final[dict[int, str]] = {
    errno.EACCES: "accès refusé (droits du fichier)",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "fichier introuvable",
    errno.EISDIR: "c'est un dossier",
    errno.ELOOP: "lien symbolique en boucle",
    errno.EIO: "erreur d'entrée-sortie",
}

# --- YAML structure -------------------------------------------------------------------------
YAML: Final[dict[str, str]] = {
    "syntax": "YAML invalide : {problem}",
    "syntax-context": "YAML invalide : {problem} ({context})",
    "unknown-problem": "erreur de syntaxe (message de l'analyseur YAML : « {problem} »)",
    "control-character": (
        "caractère de contrôle interdit (U+{code}) : supprimez-le ou remplacez-le par un espace"
    ),
    "alias": (
        "référence YAML « *{anchor} » interdite : les ancres et alias ne sont pas admis, "
        "recopiez la valeur"
    ),
    "anchor": ("ancre YAML « &{anchor} » interdite : les ancres et alias ne sont pas admis"),
    "tag": (
        "étiquette YAML « {tag} » interdite : seules des valeurs simples (texte, nombre, "
        "date, vrai/faux) sont admises"
    ),
    "too-deep": (
        "imbrication trop profonde (plus de {limit} niveaux de listes ou de champs) : "
        "une fiche n'a que quelques niveaux"
    ),
    "complex-key": "clé YAML complexe interdite : une clé doit être un simple mot",
    "duplicate-key": (
        "clé « {key} » en double (déjà présente ligne {first}) : YAML ne garderait que la "
        "dernière valeur, supprimez ou fusionnez l'une des deux"
    ),
}

# libyaml's English problems, translated; unknown ones are shown as they are.
YAML_PROBLEMS: Final[dict[str, str]] = {
    "mapping values are not allowed in this context": (
        "« : » inattendu (une valeur contenant « : » doit être entre guillemets)"
    ),
    "mapping values are not allowed here": (
        "« : » inattendu (une valeur contenant « : » doit être entre guillemets)"
    ),
    "could not find expected ':'": "« : » manquant après une clé",
    "did not find expected key": "clé attendue : vérifiez l'indentation",
    "did not find expected '-' indicator": (
        "élément de liste « - » attendu : vérifiez l'indentation"
    ),
    "found character that cannot start any token": (
        "caractère qui ne peut pas commencer une valeur (mettez la valeur entre guillemets)"
    ),
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non refermé ?)",
    "found unknown escape character": "séquence d'échappement inconnue après « \\ »",
    "found undefined tag handle": "étiquette YAML inconnue",
    "block sequence entries are not allowed in this context": (
        "élément de liste « - » inattendu : vérifiez l'indentation"
    ),
    "did not find expected node content": "valeur attendue",
    "found unexpected ':'": "« : » inattendu",
    "found a tab character that violates indentation": "tabulation dans l'indentation",
    "found a tab character where an indentation space is expected": (
        "tabulation dans l'indentation"
    ),
    "did not find expected comment or line break": "fin de ligne attendue",
    "did not find expected <document start>": "début de document attendu",
    "found duplicate anchor": "ancre YAML en double",
    "found undefined alias": "alias YAML inconnu",
    "did not find expected ',' or ']'": "« , » ou « ] » attendu",
    "did not find expected ',' or '}'": "« , » ou « } » attendu",
}

YAML_CONTEXTS: Final[dict[str, str]] = {
    "while scanning a simple key": "en lisant une clé",
    "while parsing a block mapping": "dans un ensemble de clés",
    "while parsing a block collection": "dans une liste",
    "while scanning a quoted scalar": "dans un texte entre guillemets",
    "while parsing a flow sequence": "dans une liste entre crochets",
    "while parsing a flow mapping": "dans un ensemble entre accolades",
    "while scanning a block scalar": "dans un texte sur plusieurs lignes",
    "while scanning a plain scalar": "dans une valeur",
    "while parsing a block node": "dans une valeur",
    "while parsing a flow node": "dans une valeur",
    "while scanning an anchor": "dans une ancre",
    "while scanning an alias": "dans un alias",
    "while scanning a tag": "dans une étiquette",
    "while scanning a directive": "dans une directive",
    "while scanning for the next token": "en lisant la valeur suivante",
}

# What a collection found instead of a mapping is called, in "pas {found}".
FOUND_KIND: Final[dict[str, str]] = {
    "sequence": "une liste",
    "scalar": "une valeur isolée",
}

# --- schema (JSON Schema keywords) ----------------------------------------------------------
SCHEMA: Final[dict[str, str]] = {
    "required": "champ obligatoire manquant : « {field} »{title}",
    "additionalProperties": "champ inconnu « {field} »{where}{hint}",
    "enum": "« {field} » : valeur « {value} » non admise ; valeurs possibles : {allowed}{hint}",
    "type": "« {field} » : il faut {expected}, et non {found}{hint}",
    "empty": "« {field} » est vide : il faut {expected}",
    "minLength": "« {field} » : texte trop court, il faut au moins {limit} caractère(s)",
    "maxLength": "« {field} » : texte trop long, au plus {limit} caractères",
    "minItems": "« {field} » : il faut une liste d'au moins {limit} élément(s)",
    "maxItems": "« {field} » : liste trop longue, au plus {limit} éléments",
    "minimum": "« {field} » : il faut un nombre supérieur ou égal à {limit}, et non {value}",
    "maximum": "« {field} » : il faut un nombre inférieur ou égal à {limit}, et non {value}",
    "pattern": "« {field} » : « {value} » ne convient pas, il faut {expected}",
    "format-date": (
        "« {field} » : date impossible « {value} » (ce jour n'existe pas au calendrier)"
    ),
    "format": "« {field} » : « {value} » ne respecte pas le format « {format} »",
    "other": "« {field} » : valeur non conforme au format des fiches ({detail})",
}

WHERE_ROOT: Final = " (à la racine de la fiche)"
WHERE_IN: Final = " (dans « {parent} »)"
HINT_DID_YOU_MEAN: Final = " ; vouliez-vous dire « {suggestion} » ?"
HINT_ALLOWED_KEYS: Final = " ; champs admis : {allowed}"
HINT_BOOLEAN_TEXT: Final = (
    " (yes/no, on/off, true/false sont lus comme vrai/faux : mettez le texte entre guillemets)"
)
HINT_NUMBER_TEXT: Final = " (mettez la valeur entre guillemets pour en faire un texte)"
TITLE: Final = " ({title})"

# How JSON types are named in messages ("il faut <expected>, et non <found>").
TYPE_NAMES: Final[dict[str, str]] = {
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "vrai ou faux (true/false)",
    "array": "une liste",
    "object": "un ensemble de champs « clé: valeur »",
    "null": "une valeur vide",
}

# What a schema pattern requires, keyed by the pattern itself (see the schema's $defs).
PATTERN_EXPECTATIONS: Final[dict[str, str]] = {
    r"\S": "un texte non vide",
    r"^https?://[^\s/?#]+[^\s]*$": "une adresse web commençant par http:// ou https://",
    (r"^(mailto:)?[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+$|^https?://[^\s/?#]+[^\s]*$"): (
        "une adresse électronique (éventuellement précédée de « mailto: ») ou une adresse "
        "web commençant par http:// ou https://"
    ),
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$": (
        "un identifiant UUID de l'Annuaire de l'administration "
        "(par exemple 3a3f6c12-8c4e-4f1b-9d3a-1b2c3d4e5f60)"
    ),
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "une date au format AAAA-MM-JJ (par exemple 2025-03-31)",
}

# --- rules across records -------------------------------------------------------------------
RULES: Final[dict[str, str]] = {
    "duplicate-id": (
        "identifiant « {id} » utilisé par plusieurs fiches : {files} ; chaque identifiant "
        "(nom de fichier) doit être unique dans tout le registre"
    ),
    "future-date": (
        "« date_mise_a_jour » : la date {value} est dans le futur (nous sommes le {today})"
    ),
    "stale-date": (
        "« date_mise_a_jour » : fiche mise à jour le {value}, il y a plus de 12 mois : "
        "vérifiez-la et actualisez la date"
    ),
    "mixed-folder": (
        "le dossier « {folder} » regroupe plusieurs administrations : cette fiche nomme "
        "« {name} », {others} ; un dossier par administration"
    ),
    "mixed-folder-other": "« {name} » dans {files}",
    "rights-purpose": (
        "« finalite » : {length} caractères seulement ; la mention explicite portée sur chaque "
        "décision reprend la finalité (article R311-3-1-1 du code des relations entre le "
        "public et l'administration) : décrivez en une ou deux phrases à quoi sert le "
        "traitement"
    ),
    "rights-parameters": (
        "« parametres » absent : pour une décision entièrement automatisée, l'explication due "
        "sur demande donne les paramètres et leur pondération (article R311-3-1-2 du code des "
        "relations entre le public et l'administration) : ajoutez la liste des paramètres"
    ),
    "rights-operations": (
        "« operations » : {length} caractères seulement ; l'explication due sur demande décrit "
        "les opérations effectuées par le traitement (article R311-3-1-2) : détaillez-les"
    ),
}

# --- summary ----------------------------------------------------------------------------
LEVEL_WORDS: Final[dict[str, tuple[str, str]]] = {
    "erreur": ("erreur", "erreurs"),
    "avertissement": ("avertissement", "avertissements"),
    "fichier": ("fichier", "fichiers"),
}
SUMMARY_CLEAN: Final = "Aucun problème dans {checked}."
SUMMARY: Final = "{errors}, {warnings} dans {files} sur {checked}"
SUMMARY_NO_FILE: Final = "{errors}, {warnings} ; aucune fiche vérifiée"
GITHUB_TITLE: Final = "Fiche d'algorithme"
GITHUB_TITLE_ROADMAP: Final = "Feuille de route"


def plural(count: int, word: str) -> str:
    """``1 erreur``, ``0 erreur``, ``3 erreurs`` (French: 0 and 1 are singular)."""
    singular, plural_form = LEVEL_WORDS[word]
    return f"{count} {singular if count < 2 else plural_form}"


# --- changes since a base reference (``inventory check --base REF``) -----------------------
BASE: Final[dict[str, str]] = {
    "date-not-updated": (
        "date_mise_a_jour : la fiche a changé depuis {ref} mais sa date est restée {date} : "
        "mettez la date du jour (AAAA-MM-JJ) pour signaler la mise à jour"
    ),
    "removed": (
        "fiche supprimée depuis {ref} : gardez plutôt le fichier avec « statut: retire » et "
        "une date_mise_a_jour à jour, pour que l'algorithme retiré garde son historique public"
    ),
    "no-git": (
        "--base {ref} : {where} n'est pas dans un dépôt git (ou git est absent) ; lancez la "
        "vérification depuis une copie du dépôt du registre"
    ),
    "unknown-ref": (
        "--base : la référence « {ref} » est introuvable dans le dépôt git ; récupérez-la "
        "d'abord (par exemple git fetch origin {ref})"
    ),
}


# --- roadmaps of announced code openings (``ouvertures/``) ----------------------------------
OPENINGS: Final[dict[str, str]] = {
    "bad-deadline": (
        "« {field} » : « {value} » n'est pas une échéance reconnue ; écrivez un trimestre "
        "(« T4 2021 »), un semestre (« S2 2022 »), une date AAAA-MM-JJ (« 2022-03-31 ») ou "
        "« par_defaut » pour une ouverture par défaut{hint}"
    ),
    "hint-did-you-mean": " ; vouliez-vous dire « {suggestion} » ?",
    "hint-year": (
        " ; une année seule ne suffit pas : écrivez « S2 {year} » ou « {year}-12-31 » pour "
        "la fin de l'année"
    ),
    "hint-impossible-day": " ; cette date n'existe pas au calendrier",
    "hint-period-number": " ; un trimestre va de T1 à T4, un semestre de S1 à S2",
    "deadline-before-roadmap": (
        "« {field} » : l'échéance {deadline} précède la publication de la feuille de route "
        "({published}) : vérifiez l'échéance ou la date de la feuille de route"
    ),
    "duplicate-code": (
        "« {field} » : le code « {code} » est déjà inscrit dans cette feuille de route "
        "(ligne {line}) : un engagement par code source"
    ),
    "not-trackable": (
        "« {field} » : « {host} » n'est pas une forge moissonnée : l'engagement sera affiché "
        "« non suivi » ; donnez l'adresse du dépôt ou du compte sur la forge "
        "(https://github.com/compte/depot), ou ajoutez la forge à sources.yml"
    ),
    "account-not-crawled": (
        "« {field} » : le compte « {account} » n'est pas dans sources.yml : l'engagement sera "
        "affiché « non suivi » tant que ce compte n'est pas moissonné ; ajoutez-le à "
        "sources.yml (avec un lien officiel qui montre qu'il appartient à un organisme public)"
    ),
    "bad-name": (
        "nom de fichier invalide « {name} » : l'identifiant de la feuille de route (le nom "
        "du fichier sans l'extension) ne doit contenir que des minuscules sans accent, des "
        "chiffres et des tirets simples, par exemple « {example} »"
    ),
}
