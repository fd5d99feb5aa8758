"""Rules a schema cannot express: dates against today, and rules across records."""

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
