"""A register in a real git repository, built by scripted commits (shared by the history tests).

The script: a creation, edits of each kind of field (long text, status, a data item added, a
parameter removed, the administration), a merge request merged on GitLab (``!12``) and on
GitHub ("Merge pull request #34"), a move between administration folders, a rename of the
file, a second record removed, and a commit touching only comments.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

FINALITE_1 = (
    "Calculer le montant mensuel de la prime d'activité dû au foyer, à partir des ressources "
    "déclarées chaque trimestre par le foyer."
)
FINALITE_2 = (
    "Calculer le montant mensuel de la prime d'activité dû au foyer, à partir des revenus "
    "professionnels déclarés chaque trimestre par le foyer."
)


def record(
    *,
    date: str = "2024-01-10",
    statut: str = "experimentation",
    finalite: str = FINALITE_1,
    donnees: tuple[str, ...] = ("Ressources du foyer",),
    parametres: tuple[str, ...] = ("Montant forfaitaire", "Bonification"),
    sigle: str = "Cnaf",
    comment: str = "",
) -> str:
    lines = [
        *([f"# {comment}"] if comment else []),
        "nom: Calcul de la prime d'activité",
        "administration:",
        "  nom: Caisse nationale des allocations familiales",
        f"  sigle: {sigle}",
        "contact: https://www.caf.fr",
        f"date_mise_a_jour: {date}",
        f"statut: {statut}",
        "finalite: >-",
        f"  {finalite}",
        "intervention_dans_la_decision: Le montant est proposé à un agent qui le valide.",
        "niveau_automatisation: aide_a_la_decision",
        "fondements_juridiques:",
        "  - titre: Code de la sécurité sociale, article L842-1",
        "portee_decision: externe",
        "public_concerne: Les foyers qui demandent la prime d'activité.",
        "type_algorithme: systeme_de_regles",
        "operations: Application du barème.",
        "donnees:",
        *(f"  - nom: {name}\n    source: Le foyer" for name in donnees),
        "parametres:",
        *(f"  - nom: {name}" for name in parametres),
    ]
    return "\n".join(lines) + "\n"


def other(date: str = "2024-02-01") -> str:
    return (
        "nom: Affectation des élèves\n"
        "administration:\n  nom: Ministère de l'Éducation nationale\n"
        "contact: contact@education.gouv.fr\n"
        f"date_mise_a_jour: {date}\n"
        "statut: en_service\n"
        "finalite: Affecter les élèves dans les lycées.\n"
        "niveau_automatisation: aide_a_la_decision\n"
    )


class Script:
    """Commits in ``root``, with fixed authors and increasing dates (one day apart)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.day = 0
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Agent",
            "GIT_AUTHOR_EMAIL": "agent@example.org",
            "GIT_COMMITTER_NAME": "Agent",
            "GIT_COMMITTER_EMAIL": "agent@example.org",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        stamp = f"2024-03-{1 + self.day:02d}T10:00:00+00:00"
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = stamp
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, message: str) -> str:
        self.day += 1
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")


PRIME = "algorithms/cnaf/calcul-prime-activite.yml"
MOVED = "algorithms/caf-gironde/calcul-prime-activite.yml"
RENAMED = "algorithms/caf-gironde/prime-activite.yml"
OTHER = "algorithms/education/affectation.yml"


def build(root: Path) -> dict[str, str]:
    """The scripted register in ``root``; the commit of each step, by name."""
    script = Script(root)
    shas: dict[str, str] = {}
    script.write("mkdocs.yml", "site_name: Test\n")
    script.write(PRIME, record())
    script.write(OTHER, other())
    shas["creation"] = script.commit("Ajout de la fiche de la prime d'activité")
    script.write(PRIME, record(date="2024-02-01", finalite=FINALITE_2))
    shas["finalite"] = script.commit("Finalité précisée")
    script.git("checkout", "-q", "-b", "statut")
    script.write(PRIME, record(date="2024-03-01", finalite=FINALITE_2, statut="en_service"))
    script.commit("Mise en service")
    script.git("checkout", "-q", "main")
    script.day += 1
    script.git(
        "merge",
        "--no-ff",
        "-q",
        "statut",
        "-m",
        "Merge branch 'statut' into 'main'\n\nMise en service\n\n"
        "See merge request cnaf/registre!12",
    )
    shas["statut"] = script.git("rev-parse", "HEAD")
    script.git("checkout", "-q", "-b", "donnees")
    script.write(
        PRIME,
        record(
            date="2024-04-01",
            finalite=FINALITE_2,
            statut="en_service",
            donnees=("Ressources du foyer", "Revenus professionnels"),
            parametres=("Montant forfaitaire",),
            sigle="CNAF",
        ),
    )
    script.commit("Données et paramètres")
    script.git("checkout", "-q", "main")
    script.day += 1
    script.git(
        "merge", "--no-ff", "-q", "donnees", "-m", "Merge pull request #34 from cnaf/donnees"
    )
    shas["donnees"] = script.git("rev-parse", "HEAD")
    current = record(
        date="2024-04-01",
        finalite=FINALITE_2,
        statut="en_service",
        donnees=("Ressources du foyer", "Revenus professionnels"),
        parametres=("Montant forfaitaire",),
        sigle="CNAF",
    )
    script.write(PRIME, "# commentaire seulement\n" + current)
    shas["comment"] = script.commit("Commentaire")
    (root / PRIME).unlink()
    script.write(MOVED, "# commentaire seulement\n" + current)
    shas["move"] = script.commit("Fiche déplacée vers la Caf de la Gironde")
    (root / MOVED).unlink()
    script.write(RENAMED, "# commentaire seulement\n" + current)
    shas["rename"] = script.commit("Fichier renommé")
    (root / OTHER).unlink()
    shas["removal"] = script.commit("Fiche de l'affectation supprimée")
    return shas
