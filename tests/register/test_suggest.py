"""Suggestions for misspelt keys and values."""

from __future__ import annotations

from inventory.suggest import closest

KEYS = ["nom", "finalite", "fondements_juridiques", "niveau_automatisation", "donnees"]


def test_accents_case_and_separators_are_ignored() -> None:
    assert closest("Finalité", KEYS) == "finalite"
    assert closest("fondements-juridiques", KEYS) == "fondements_juridiques"
    assert closest("Données", KEYS) == "donnees"


def test_close_misspellings_are_found() -> None:
    assert closest("niveau_automatisaton", KEYS) == "niveau_automatisation"
    assert closest("fondement_juridique", KEYS) == "fondements_juridiques"


def test_nothing_close_gives_no_suggestion() -> None:
    assert closest("zzzz", KEYS) is None
    assert closest("x", []) is None
