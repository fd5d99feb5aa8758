"""The page that explains the repositories' health score, from :mod:`inventory.catalogue.health`.

Every figure on it (points, activity steps, factors, recognised file names) is read from the
constants the score itself uses, so the page cannot drift from the computation.
"""

from __future__ import annotations

from collections.abc import Iterable

from inventory.catalogue import health
from inventory.site import paths
from inventory.site.layout import front_matter, paragraph, table
from inventory.site.render import escape

PAGE = paths.HEALTH


def _names(names: Iterable[str]) -> str:
    return ", ".join(
        f"<code>{escape(name.upper() if '.' not in name else name)}</code>" for name in names
    )


def _activity_rule() -> str:
    steps = [
        f"{points} points si dans les {days} derniers jours"
        for days, points in health.ACTIVITY_STEPS
    ]
    return "dernière activité : " + ", ".join(steps) + ", 0 au-delà"


def _factor(value: float) -> str:
    return "divisé par deux" if value == 0.5 else f"multiplié par {str(value).replace('.', ',')}"


def score_table() -> str:
    """The table of the score's rows, from the constants of :mod:`inventory.catalogue.health`."""
    rows = [
        (
            "Licence",
            str(health.POINTS_LICENSE),
            "une licence reconnue par la forge (identifiant SPDX) ou un fichier "
            + _names(health.LICENSE_NAMES),
        ),
        (
            "publiccode.yml",
            str(health.POINTS_PUBLICCODE),
            f"présent et conforme au standard ; {health.POINTS_PUBLICCODE_INVALID} points s'il est "
            "présent mais non conforme (dont une adresse <code>url</code> qui n'est pas celle "
            "du dépôt)",
        ),
        ("README", str(health.POINTS_README), "un fichier " + _names(health.README_NAMES)),
        (
            "Guide de contribution",
            str(health.POINTS_CONTRIBUTING),
            "un fichier " + _names(health.CONTRIBUTING_NAMES),
        ),
        (
            "Journal des modifications",
            str(health.POINTS_CHANGELOG),
            "un fichier " + _names(health.CHANGELOG_NAMES),
        ),
        ("Description", str(health.POINTS_DESCRIPTION), "la description du dépôt est remplie"),
        ("Activité", str(max(p for _, p in health.ACTIVITY_STEPS)), escape(_activity_rule())),
    ]
    return table(
        ["Signal", "Points", "Règle"],
        [(escape(signal), points, rule) for signal, points, rule in rows],
        caption=f"Calcul du score de santé (sur {health.MAX_SCORE})",
        css="inv-table",
    )


def page() -> str:
    here = PAGE
    explorer = paths.href(here, paths.REPOSITORIES)
    return "".join(
        [
            front_matter("Santé des dépôts"),
            "# Santé des dépôts\n",
            paragraph(
                "L'explorateur des codes sources donne à chaque dépôt un score de santé de 0 à "
                f"{health.MAX_SCORE}, dans l'esprit de celui de code.gouv.fr : il dit si un "
                "dépôt a ce qu'il faut pour être réutilisé (une licence, une documentation, un "
                "guide de contribution, une fiche publiccode.yml) et s'il vit encore. Il ne juge "
                "pas la qualité du code."
            ),
            score_table(),
            paragraph(
                f"Le total est ensuite {_factor(health.FORK_FACTOR)} pour une bifurcation "
                f'(<i lang="en">fork</i>) et {_factor(health.ARCHIVED_FACTOR)} pour un dépôt '
                "archivé : ces dépôts sont classés plus bas. L'activité est la date de dernière "
                "mise à jour connue de la forge."
            ),
            "\n## D'où viennent les signaux\n",
            paragraph(
                "Le moissonnage regarde les fichiers à la racine de la branche par défaut de "
                "chaque dépôt nouveau ou modifié depuis le passage précédent : sur GitHub dans "
                "la requête de listage elle-même (ou par requêtes groupées), sur GitLab par "
                "requêtes groupées, sur Gitea, "
                "Forgejo et Gogs par une requête par dépôt modifié. Un dépôt inchangé n'est pas "
                "réexaminé. Les noms de fichiers sont reconnus quelle que soit leur casse et "
                "leur extension (<code>README.md</code>, <code>Licence.txt</code>…)."
            ),
            paragraph(
                "Un fichier publiccode.yml est lu et vérifié selon le standard publiccode.yml "
                "(versions 0 à 0.7) : champs obligatoires, valeurs permises, langues, pays, "
                "dates, licence SPDX ; seules les erreurs comptent dans le score (les clés "
                "dépréciées sont de simples avertissements), et "
                "son adresse <code>url</code> doit être celle du dépôt où il a été trouvé, "
                "pour qu'une fiche copiée d'un autre projet ne passe pas pour la sienne. Son "
                "nom, sa description et son statut de maintenance sont montrés sur les pages "
                "des algorithmes qui citent le dépôt."
            ),
            paragraph(
                "Sans signal relevé (moissonnage sans jeton GitHub, ou dépôt pas encore "
                "examiné), seules la licence connue de la forge, la description et l'activité "
                "comptent."
            ),
            paragraph(
                f'<a href="{escape(explorer)}">Retour à l\'explorateur des codes sources</a>'
            ),
        ]
    )
