"""Synthetic French administrative text shared by the benchmarks' data generators.

Imported by the scripts as ``benchmarks.synthetic`` (each script puts the project root on
``sys.path`` first, so ``python benchmarks/bench_x.py`` works from any folder).
"""

from __future__ import annotations

import random

#: Lower-case words the generated names, sentences and paragraphs are drawn from.
WORDS: tuple[str, ...] = (
    "calcul",
    "attribution",
    "aide",
    "logement",
    "bourse",
    "allocation",
    "orientation",
    "affectation",
    "contrôle",
    "impôt",
    "revenu",
    "barème",
    "quotient",
    "famille",
    "élève",
    "étudiant",
    "agent",
    "mutation",
    "priorité",
    "points",
    "dossier",
    "demande",
    "décision",
    "usager",
    "ressources",
    "montant",
    "droit",
    "prestation",
    "foyer",
    "commune",
    "département",
    "région",
    "territoire",
    "service",
    "public",
    "instruction",
    "critère",
    "seuil",
    "pondération",
    "classement",
    "vœux",
    "formation",
    "emploi",
    "santé",
    "handicap",
    "retraite",
    "cotisation",
    "déclaration",
    "fiscal",
    "social",
    "transport",
    "stationnement",
    "cantine",
    "crèche",
    "subvention",
    "association",
    "marché",
)


def sentence(rng: random.Random, words: int) -> str:
    """``words`` random words, the first capitalised, ending with a full stop."""
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    """``sentences`` sentences of 8 to 16 words, ending with a line break."""
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(sentences)) + "\n"
