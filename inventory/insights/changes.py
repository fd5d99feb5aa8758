"""Field-level differences between two versions of a record, in French with Etalab's labels.

« Finalité modifiée », « Donnée ajoutée : Revenus », « Paramètre retiré : Âge »,
« Statut : Expérimentation → En service ». A long text keeps a word diff
(:attr:`Change.words`) that a page renders safely (each part is plain text).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from inventory.register import labels

# Short names of the top-level fields and whether they are feminine (« modifiée »).
_NAMES: Mapping[str, tuple[str, bool]] = {
    "nom": ("Nom", False),
    "administration": ("Administration", True),
    "contact": ("Contact", False),
    "date_mise_a_jour": ("Date de mise à jour", True),
    "statut": ("Statut", False),
    "contexte": ("Contexte", False),
    "finalite": ("Finalité", True),
    "intervention_dans_la_decision": ("Intervention dans la décision", True),
    "niveau_automatisation": ("Niveau d'automatisation", False),
    "fondements_juridiques": ("Fondements juridiques", False),
    "decisions_par_an": ("Nombre de décisions par an", False),
    "portee_decision": ("Portée de la décision", True),
    "public_concerne": ("Public concerné", False),
    "donnees": ("Données", True),
    "type_algorithme": ("Type d'algorithme", False),
    "operations": ("Opérations", True),
    "parametres": ("Paramètres", False),
    "ressources": ("Ressources", True),
}
# List fields: the item's name, its gender, and the keys that name an item, in order.
_ITEMS: Mapping[str, tuple[str, bool, tuple[str, ...]]] = {
    "donnees": ("Donnée", True, ("nom",)),
    "parametres": ("Paramètre", False, ("nom",)),
    "fondements_juridiques": ("Fondement juridique", False, ("titre", "url")),
    "ressources": ("Ressource", True, ("titre", "url", "type")),
}
_SUB_NAMES: Mapping[str, str] = {
    "administration.nom": "nom",
    "administration.sigle": "sigle",
    "administration.direction": "direction",
    "administration.pso_id": "identifiant dans l'Annuaire",
}
LONG_TEXT = 80  # characters: longer texts get a word diff
MAX_WORDS = 4000  # words per side beyond which no word diff is computed


@dataclass(frozen=True)
class Change:
    """One difference. ``field`` is the record's key (``donnees``, ``statut``...); ``kind`` is
    ``ajout``, ``retrait`` or ``modification``; ``before``/``after`` are plain texts (empty
    when absent); ``words`` is the word diff of a long text: ``(op, text)`` with ``op`` one of
    ``=``, ``+``, ``-``."""

    field: str
    kind: str
    summary: str
    before: str = ""
    after: str = ""
    words: tuple[tuple[str, str], ...] = ()


def _name(field: str) -> tuple[str, bool]:
    return _NAMES.get(field, (field, False))


def _agree(feminine: bool, word: str) -> str:
    return word + "e" if feminine else word


def text_of(value: Any) -> str:
    """A value as plain one-line-per-item text (for ``before``/``after`` and the exports)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return " ; ".join(f"{k} : {text_of(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return "\n".join(text_of(item) for item in value)
    return str(value)


def _enum_text(field: str, value: Any) -> str:
    mapping = labels.BY_FIELD.get(field)
    if mapping is not None and isinstance(value, str):
        return labels.label(mapping, value)
    return text_of(value)


def word_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """``(op, text)`` parts: ``=`` kept, ``-`` removed, ``+`` added (words with their spaces).

    The words both texts start and end with are kept as they are; only the middle is
    matched (an edit usually touches a few words of a long text)."""
    old, new = before.split(" "), after.split(" ")
    if len(old) > MAX_WORDS or len(new) > MAX_WORDS:
        return ()
    start, limit = 0, min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    parts: list[tuple[str, str]] = []
    if start:
        parts.append(("=", " ".join(old[:start])))
    old_middle, new_middle = old[start : len(old) - end], new[start : len(new) - end]
    if old_middle and new_middle:
        matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                parts.append(("=", " ".join(old_middle[i1:i2])))
                continue
            if tag in ("replace", "delete"):
                parts.append(("-", " ".join(old_middle[i1:i2])))
            if tag in ("replace", "insert"):
                parts.append(("+", " ".join(new_middle[j1:j2])))
    elif old_middle:
        parts.append(("-", " ".join(old_middle)))
    elif new_middle:
        parts.append(("+", " ".join(new_middle)))
    if end:
        parts.append(("=", " ".join(old[len(old) - end :])))
    return tuple(parts)


def _item_key(item: Any, keys: Sequence[str]) -> str:
    if isinstance(item, Mapping):
        for key in keys:
            value = item.get(key)
            if value not in (None, ""):
                return str(value)
        return text_of(item)
    return text_of(item)


def _list_changes(field: str, before: Any, after: Any) -> list[Change]:
    noun, feminine, keys = _ITEMS[field]
    old = before if isinstance(before, list) else []
    new = after if isinstance(after, list) else []
    old_by = {_item_key(item, keys): item for item in old}
    new_by = {_item_key(item, keys): item for item in new}
    changes: list[Change] = []
    for key, item in new_by.items():
        if key not in old_by:
            summary = f"{noun} {_agree(feminine, 'ajouté')} : {key}"
            changes.append(Change(field, "ajout", summary, "", text_of(item)))
        elif old_by[key] != item:
            summary = f"{noun} {_agree(feminine, 'modifié')} : {key}"
            changes.append(
                Change(field, "modification", summary, text_of(old_by[key]), text_of(item))
            )
    for key, item in old_by.items():
        if key not in new_by:
            summary = f"{noun} {_agree(feminine, 'retiré')} : {key}"
            changes.append(Change(field, "retrait", summary, text_of(item), ""))
    if not changes and old != new:  # same items, another order
        name, fem = _name(field)
        changes.append(
            Change(field, "modification", f"{name} : ordre {_agree(fem, 'modifié')}", "", "")
        )
    return changes


def _scalar_change(field: str, shown: str, feminine: bool, before: Any, after: Any) -> Change:
    old, new = _enum_text(field, before), _enum_text(field, after)
    if before in (None, "", []):
        return Change(
            field,
            "ajout",
            f"{shown} : {new}"
            if len(new) <= LONG_TEXT
            else f"{shown} {_agree(feminine, 'ajouté')}",
            "",
            new,
        )
    if after in (None, "", []):
        return Change(field, "retrait", f"{shown} {_agree(feminine, 'retiré')}", old, "")
    if field in labels.BY_FIELD or (
        len(old) <= LONG_TEXT and len(new) <= LONG_TEXT and "\n" not in old + new
    ):
        return Change(field, "modification", f"{shown} : {old} → {new}", old, new)
    summary = f"{shown} {_agree(feminine, 'modifié')}"
    return Change(field, "modification", summary, old, new, word_diff(old, new))


# The top-level fields in the order of the Etalab guide (a field's first sub-field counts).
_ORDER: tuple[str, ...] = tuple(dict.fromkeys(key.split(".")[0] for key in labels.FIELD))
_KNOWN = frozenset(_ORDER)


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Change, ...]:
    """Every difference from ``before`` to ``after``, in the order of the Etalab guide, then
    fields it does not name in alphabetical order."""
    present = before.keys() | after.keys()
    fields = [key for key in _ORDER if key in present]
    fields += sorted(key for key in present if key not in _KNOWN)
    changes: list[Change] = []
    for field in fields:
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        if field in _ITEMS and (isinstance(old, list) or isinstance(new, list)):
            changes.extend(_list_changes(field, old, new))
        elif isinstance(old, Mapping) or isinstance(new, Mapping):
            old_map = old if isinstance(old, Mapping) else {}
            new_map = new if isinstance(new, Mapping) else {}
            group, feminine = _name(field)
            for key in sorted(set(old_map) | set(new_map), key=str):
                if old_map.get(key) == new_map.get(key):
                    continue
                sub = _SUB_NAMES.get(f"{field}.{key}", str(key))
                shown = f"{group} ({sub})"
                changes.append(
                    _scalar_change(field, shown, feminine, old_map.get(key), new_map.get(key))
                )
        else:
            shown, feminine = _name(field)
            changes.append(_scalar_change(field, shown, feminine, old, new))
    return tuple(changes)
