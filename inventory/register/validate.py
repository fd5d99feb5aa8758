"""``inventory check`` as a library call: :func:`check_paths`.

It finds the record files, reads each one (:func:`inventory.register.records.load_record`),
validates it against the schema with one compiled validator (:mod:`inventory.register.schema`),
then applies the rules that need today's date or several records
(:mod:`inventory.register.rules`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from inventory.model import Level, Problem, Record
from inventory.register import messages, openings
from inventory.register.records import EXTENSIONS, load_record
from inventory.register.rules import (
    date_problems,
    duplicate_id_problems,
    mixed_folder_problems,
    rights_problems,
)
from inventory.register.schema import (
    SCHEMA_PATH,
    field_path,
    load_schema,
    validate_record,
    validator,
)

# Names other modules import from here.
__all__ = [
    "DEFAULT_PATH",
    "SCHEMA_PATH",
    "CheckResult",
    "check_paths",
    "date_problems",
    "duplicate_id_problems",
    "field_path",
    "load_schema",
    "mixed_folder_problems",
    "validate_record",
    "validator",
]

DEFAULT_PATH = Path("algorithms")
#: Checked by default beside the records, when the folder exists.
OPENINGS_PATH = Path(openings.FOLDER)


@dataclass(frozen=True)
class CheckResult:
    """Every record read (valid or not) and every problem found, sorted by file and line."""

    records: tuple[Record, ...]
    problems: tuple[Problem, ...]
    files: tuple[Path, ...] = ()
    #: The roadmaps of announced code openings checked with the records (``ouvertures/``).
    roadmaps: tuple[openings.Roadmap, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level is Level.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level is Level.WARNING)

    @property
    def ok(self) -> bool:
        """True when no error was found (warnings allowed)."""
        return not self.errors

    @property
    def files_with_problems(self) -> int:
        """How many of the checked files have at least one problem."""
        checked = {f.as_posix() for f in self.files}
        return len({p.path for p in self.problems} & checked)

    @property
    def valid_records(self) -> tuple[Record, ...]:
        """The records of files without any error."""
        failed = {p.path for p in self.errors}
        return tuple(r for r in self.records if r.path.as_posix() not in failed)


def _walk(folder: Path) -> list[Path]:
    """Record files under ``folder``, recursively, hidden files and folders skipped, sorted."""
    found = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(current, name)
            for name in files
            if name.endswith(EXTENSIONS) and not name.startswith(".")
        )
    return sorted(found)


def _collect(paths: Sequence[Path]) -> tuple[list[tuple[Path, Path]], list[Problem]]:
    """``(file, register root)`` pairs to read, and problems with the paths themselves."""
    pairs: list[tuple[Path, Path]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in paths:
        path = Path(path)
        shown = path.as_posix()
        if path.is_dir():
            files = _walk(path)
            if not files:
                problems.append(
                    Problem(
                        shown,
                        None,
                        None,
                        "",
                        messages.FILE["no-records"],
                        Level.WARNING,
                        "no-records",
                    )
                )
            # A folder holding records directly (and no sub-folder of records) is one
            # administration's folder; otherwise it is the register itself.
            nested = any(f.parent != path for f in files)
            direct = any(f.parent == path for f in files)
            root = Path(os.path.abspath(path)).parent if direct and not nested else path
            candidates = [(f, root) for f in files]
        elif path.is_file():
            if not path.name.endswith(EXTENSIONS):
                problems.append(
                    Problem(shown, None, None, "", messages.FILE["not-yaml"], code="file-type")
                )
                continue
            candidates = [(path, Path(os.path.abspath(path)).parent.parent)]
        else:
            problems.append(
                Problem(shown, None, None, "", messages.FILE["missing"], code="file-missing")
            )
            continue
        for file, root in candidates:
            key = os.path.abspath(file)
            if key not in seen:
                seen.add(key)
                pairs.append((file, root))
    return pairs, problems


def _order(problem: Problem) -> tuple[str, int, int, int, str]:
    return (
        problem.path,
        problem.line or 0,
        problem.column or 0,
        0 if problem.level is Level.ERROR else 1,
        problem.message,
    )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while records are read.

    Records are trees of fresh containers: the collector's passes over the growing set of
    live records find nothing to free, and cost about a sixth of the time of a large check.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _split_roadmaps(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """``paths`` as (record paths, roadmap files): the ``ouvertures/`` folder and the files
    in it are roadmaps, everything else records."""
    record_paths: list[Path] = []
    roadmap_files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir() and path.resolve().name == openings.FOLDER:
            roadmap_files.extend(openings.roadmap_files(path))
        elif path.is_file() and openings.is_roadmap_path(path):
            roadmap_files.append(path)
        else:
            record_paths.append(path)
    return record_paths, roadmap_files


def default_paths() -> list[Path]:
    """What ``inventory check`` reads without arguments: the records, and the roadmaps when
    the project has an ``ouvertures/`` folder."""
    return [DEFAULT_PATH, *([OPENINGS_PATH] if OPENINGS_PATH.is_dir() else [])]


def check_paths(
    paths: Sequence[Path],
    *,
    today: date | None = None,
    crawled: Sequence[str] = (),
) -> CheckResult:
    """Check the records found in ``paths`` (folders, searched recursively, or files), and
    the roadmaps among them (``ouvertures/``; ``crawled``: the accounts of ``sources.yml``,
    ``host/owner`` or ``host``, to tell a trackable ``depot``)."""
    today = today or date.today()
    record_paths, roadmap_files = _split_roadmaps(paths or [DEFAULT_PATH])
    pairs, problems = _collect(record_paths) if record_paths or not roadmap_files else ([], [])
    opened = openings.check_roadmaps(roadmap_files, crawled)
    problems.extend(opened.problems)
    records: list[Record] = []
    with _collector_paused():
        for file, root in pairs:
            record, found = load_record(file, root)
            problems.extend(found)
            if record is None:
                continue
            records.append(record)
            problems.extend(validate_record(record))
            problems.extend(date_problems(record, today))
            problems.extend(rights_problems(record))
    problems.extend(duplicate_id_problems(records))
    problems.extend(mixed_folder_problems(records))
    problems.sort(key=_order)
    return CheckResult(
        records=tuple(records),
        problems=tuple(problems),
        files=(*(f for f, _ in pairs), *opened.files),
        roadmaps=opened.roadmaps,
    )


def strictly(result: CheckResult) -> CheckResult:
    """``result`` with the warnings about the texts owed to the person concerned as errors."""
    from inventory.register.rules import RIGHTS_CODES

    problems = tuple(
        dataclasses.replace(p, level=Level.ERROR) if p.code in RIGHTS_CODES else p
        for p in result.problems
    )
    return dataclasses.replace(result, problems=problems)


def with_base_problems(
    result: CheckResult, paths: Sequence[Path], ref: str, *, strict: bool = False
) -> CheckResult:
    """``result`` with the problems of the changes since ``ref`` (``check --base``)."""
    from inventory.register.baseline import base_problems

    found = base_problems(result.records, paths, ref, strict=strict)
    problems = sorted([*result.problems, *found], key=_order)
    return dataclasses.replace(result, problems=tuple(problems))
