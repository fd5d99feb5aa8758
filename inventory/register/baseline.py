"""``inventory check --base REF``: what a merge request changed in the records.

The files changed between REF (its merge base with ``HEAD`` when there is one) and the work
tree come from one ``git diff``, the versions at REF from one ``git cat-file --batch``
(:mod:`inventory.gitrepo`). A record whose content changed while its ``date_mise_a_jour``
did not move gets a warning (an error with ``--strict``); a record removed since REF is
reported with the advice to set ``statut: retire`` instead, so that a withdrawn algorithm
keeps its public history.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from inventory import gitrepo
from inventory.errors import RecordsError
from inventory.model import Level, Problem, Record
from inventory.register import messages
from inventory.register.records import DATE_FIELD, EXTENSIONS, find_mark, read_version


def _without_date(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != DATE_FIELD}


def _shown(top: Path, path: str) -> str:
    """A repository path as the other problems name files (relative to the current folder)."""
    absolute = top / path
    try:
        return Path(os.path.relpath(absolute)).as_posix()
    except ValueError:  # another drive
        return absolute.as_posix()


def base_problems(
    records: Sequence[Record], paths: Sequence[Path], ref: str, *, strict: bool = False
) -> list[Problem]:
    """The problems of the records under ``paths`` against the reference ``ref``.

    Raises :class:`~inventory.errors.RecordsError` (one French line) when the records are
    not in a git repository or ``ref`` names no commit.
    """
    level = Level.ERROR if strict else Level.WARNING
    first = Path(paths[0]) if paths else Path("algorithms")
    top = gitrepo.toplevel(first.resolve() if first.exists() else Path.cwd())
    if top is None:
        raise RecordsError(messages.BASE["no-git"].format(ref=ref, where=first.as_posix()))
    base = gitrepo.resolve(top, ref)
    if base is None:
        raise RecordsError(messages.BASE["unknown-ref"].format(ref=ref))
    by_file = {os.path.realpath(r.path): r for r in records}
    problems: list[Problem] = []
    changes: list[gitrepo.FileChange] = []
    seen: set[str] = set()
    for path in paths or [first]:
        try:
            spec = Path(path).resolve().relative_to(top.resolve()).as_posix()
        except ValueError:
            continue
        for change in gitrepo.diff_since(top, ref, spec):
            key = f"{change.status}\0{change.old_path}\0{change.path}"
            if key not in seen:
                seen.add(key)
                changes.append(change)
    olds = gitrepo.read_blobs(
        top,
        [c.old_blob for c in changes if c.old_blob and c.status in ("M", "R")],
        max_bytes=messages.MAX_FILE_BYTES,
    )
    for change in changes:
        if not change.path.endswith(EXTENSIONS):
            continue
        if change.status == "D":
            shown = _shown(top, change.path)
            message = messages.BASE["removed"].format(ref=ref)
            problems.append(Problem(shown, None, None, "", message, level, "record-removed"))
            continue
        if change.status not in ("M", "R") or not change.old_blob:
            continue
        record = by_file.get(os.path.realpath(top / change.path))
        raw = olds.get(change.old_blob)
        if record is None or raw is None:
            continue  # unreadable now (check reports it) or then (nothing to compare)
        old, _ = read_version(raw, change.old_path or change.path)
        if old is None:
            continue
        same_date = old.get(DATE_FIELD) == record.get(DATE_FIELD)
        if same_date and _without_date(old) != _without_date(record.data):
            line, column = find_mark(record.marks, DATE_FIELD)
            message = messages.BASE["date-not-updated"].format(
                ref=ref, date=record.get(DATE_FIELD) or "absente"
            )
            problems.append(
                Problem(
                    record.path.as_posix(),
                    line,
                    column,
                    DATE_FIELD,
                    message,
                    level,
                    "date-not-updated",
                )
            )
    return problems
