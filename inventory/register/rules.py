"""Rules a schema cannot express: dates against today, rules across records, and what the
texts owed to the person concerned need (the explicit mention, the explanation)."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from inventory.model import Level, Problem, Record
from inventory.register import messages
from inventory.register.records import DATE_FIELD, find_mark


def _year_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def date_problems(record: Record, today: date) -> list[Problem]:
    """A date in the future (error) or more than 12 months old (warning)."""
    value = record.data.get(DATE_FIELD)
    if not isinstance(value, date):
        return []
    line, column = find_mark(record.marks, DATE_FIELD)
    shown = record.path.as_posix()
    if value > today:
        text = messages.RULES["future-date"].format(
            value=value.isoformat(), today=today.isoformat()
        )
        return [Problem(shown, line, column, DATE_FIELD, text, code="date-future")]
    if value < _year_before(today):
        text = messages.RULES["stale-date"].format(value=value.isoformat())
        return [
            Problem(shown, line, column, DATE_FIELD, text, level=Level.WARNING, code="date-stale")
        ]
    return []


def duplicate_id_problems(records: Sequence[Record]) -> list[Problem]:
    """One error on each file of an identifier used more than once, naming all of them."""
    by_id: defaultdict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_id[record.id].append(record)
    problems = []
    for record_id, group in by_id.items():
        if len(group) < 2:
            continue
        names = sorted(r.path.as_posix() for r in group)
        files = " et ".join([", ".join(names[:-1]), names[-1]])
        text = messages.RULES["duplicate-id"].format(id=record_id, files=files)
        for record in group:
            problems.append(
                Problem(record.path.as_posix(), None, None, "", text, code="duplicate-id")
            )
    return problems


def _administration(record: Record) -> str | None:
    administration = record.data.get("administration")
    if isinstance(administration, dict) and isinstance(administration.get("nom"), str):
        return administration["nom"]
    return None


def _normal_name(name: str) -> str:
    return " ".join(name.casefold().split())


def mixed_folder_problems(records: Sequence[Record]) -> list[Problem]:
    """A warning on each record naming another administration than most of its folder."""
    by_folder: defaultdict[str, list[tuple[Record, str]]] = defaultdict(list)
    for record in records:
        name = _administration(record)
        if name is not None:
            by_folder[os.path.abspath(record.path.parent)].append((record, name))
    problems = []
    for group in by_folder.values():
        names = Counter(_normal_name(name) for _, name in group)
        if len(names) < 2:
            continue
        group.sort(key=lambda item: item[0].path.as_posix())
        order = [_normal_name(name) for _, name in group]
        main = max(names, key=lambda n: (names[n], -order.index(n)))
        for record, name in group:
            if _normal_name(name) == main:
                continue
            others = []
            for other_name in dict.fromkeys(order):
                if other_name == _normal_name(name):
                    continue
                files = [r.path.name for r, n in group if _normal_name(n) == other_name]
                label = next(n for _, n in group if _normal_name(n) == other_name)
                others.append(
                    messages.RULES["mixed-folder-other"].format(name=label, files=", ".join(files))
                )
            text = messages.RULES["mixed-folder"].format(
                folder=record.folder, name=name, others=" ; ".join(others)
            )
            line, column = find_mark(record.marks, "administration.nom")
            problems.append(
                Problem(
                    record.path.as_posix(),
                    line,
                    column,
                    "administration.nom",
                    text,
                    level=Level.WARNING,
                    code="mixed-folder",
                )
            )
    return problems


#: Shortest purpose and operations the mention and the explanation can be made of.
PURPOSE_MIN = 20
OPERATIONS_MIN = 20
#: Codes of the problems about the texts owed to the person concerned (errors with --strict).
RIGHTS_CODES = frozenset({"rights-purpose", "rights-parameters", "rights-operations"})


def rights_problems(record: Record) -> list[Problem]:
    """Warnings when the record lacks what the explicit mention or the explanation needs: a
    meaningful purpose; for a fully automated decision, its parameters and operations."""
    shown = record.path.as_posix()
    found: list[Problem] = []

    def warn(field: str, code: str, **values: object) -> None:
        line, column = find_mark(record.marks, field)
        text = messages.RULES[code].format(**values)
        found.append(Problem(shown, line, column, field, text, level=Level.WARNING, code=code))

    purpose = " ".join(str(record.data.get("finalite") or "").split())
    if purpose and len(purpose) < PURPOSE_MIN:
        warn("finalite", "rights-purpose", length=len(purpose))
    if record.data.get("niveau_automatisation") == "decision_entierement_automatisee":
        if not record.data.get("parametres"):
            warn("niveau_automatisation", "rights-parameters")
        operations = " ".join(str(record.data.get("operations") or "").split())
        if operations and len(operations) < OPERATIONS_MIN:
            warn("operations", "rights-operations", length=len(operations))
    return found
