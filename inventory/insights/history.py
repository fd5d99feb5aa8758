"""Every record's history, read from the register's git repository in one pass.

One ``git log`` over ``algorithms/`` (first-parent: each step is a state the branch went
through, a merged merge request shown as one change), renames and moves between
administration folders followed, then every version's content through one
``git cat-file --batch`` (:mod:`inventory.gitrepo`). Versions are untrusted YAML, parsed with
the register's safe reader from text, each distinct content once (the records the check has
just read are not parsed again); one that cannot be read is kept as such, with the reason.
Bounds: commits read (:data:`inventory.gitrepo.MAX_COMMITS`), versions kept per record
(:data:`MAX_VERSIONS`, the newest), size of a version, time of each git process.

Without git or outside a repository there is no history (said once, :attr:`RegisterHistory.
note`); in a shallow clone the history is partial (the oldest version known is not shown as
a creation) and the note says so. Neither is a failure.
"""

from __future__ import annotations

import functools
import heapq
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from inventory import gitrepo
from inventory.insights.changes import Change, differences
from inventory.model import Record
from inventory.register import messages
from inventory.register.records import EXTENSIONS, read_version

MAX_VERSIONS = 100
NOTE_ABSENT = (
    "Historique des fiches indisponible : le registre n'est pas lu depuis un dépôt git "
    "(ou git est absent)."
)
NOTE_SHALLOW = (
    "Historique des fiches partiel : le dépôt est un clone superficiel ; récupérez tout "
    "l'historique (git fetch --unshallow, ou fetch-depth: 0) pour le voir en entier."
)

CREATION = "creation"
EDIT = "modification"
MOVE = "deplacement"
REMOVAL = "suppression"
OLDEST = "plus-ancien-connu"  # first version seen in a shallow clone


@dataclass(frozen=True)
class Version:
    """One state of a record, as a commit of the branch left it."""

    sha: str
    date: str
    author: str
    message: str
    path: str  # the file's path in the repository at that commit
    kind: str  # CREATION, EDIT, MOVE, REMOVAL or OLDEST
    problem: str = ""  # why this version cannot be read (its changes are then unknown)
    changes: tuple[Change, ...] = ()
    previous_path: str = ""

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True)
class RecordHistory:
    """The versions of one record, oldest first; ``record_id`` is its latest file's name."""

    record_id: str
    path: str
    versions: tuple[Version, ...]
    truncated: bool = False  # older versions dropped (MAX_VERSIONS)

    @property
    def removed(self) -> bool:
        return bool(self.versions) and self.versions[-1].kind == REMOVAL


@dataclass(frozen=True)
class RegisterHistory:
    """The history of every record; ``available`` is false without git (``note`` says why)."""

    records: tuple[RecordHistory, ...] = ()
    available: bool = False
    partial: bool = False
    note: str = NOTE_ABSENT
    by_id: Mapping[str, RecordHistory] = field(default_factory=dict, compare=False)

    def of(self, record_id: str) -> RecordHistory | None:
        return self.by_id.get(record_id)

    def latest(self, limit: int) -> list[tuple[RecordHistory, Version]]:
        """The ``limit`` most recent versions across the register, newest first."""
        every = ((h, v) for h in self.records for v in h.versions)
        return heapq.nlargest(limit, every, key=lambda item: (item[1].date, item[0].record_id))


def _is_record(path: str, folder: str) -> bool:
    return path.startswith(folder + "/") and path.endswith(EXTENSIONS)


def _record_id(path: str) -> str:
    return PurePosixPath(path).stem


@dataclass
class _Lineage:
    steps: list[tuple[gitrepo.Commit, gitrepo.FileChange]]


def _lineages(commits: list[gitrepo.Commit], folder: str) -> list[_Lineage]:
    """Group file changes by record, following renames and moves, oldest first."""
    alive: dict[str, _Lineage] = {}
    every: list[_Lineage] = []
    for commit in commits:
        for change in commit.changes:
            old_in = change.old_path is not None and _is_record(change.old_path, folder)
            new_in = _is_record(change.path, folder)
            if change.status == "R" and old_in:
                lineage = alive.pop(change.old_path or "", None)
                if lineage is None:
                    lineage = _Lineage([])
                    every.append(lineage)
                if new_in:
                    alive[change.path] = lineage
                    lineage.steps.append((commit, change))
                else:  # moved out of the register: removed from it
                    removal = gitrepo.FileChange("D", change.old_path or "", None, None)
                    lineage.steps.append((commit, removal))
                continue
            if not new_in:
                continue
            if change.status == "R":  # moved into the register: a creation
                change = gitrepo.FileChange("A", change.path, None, change.blob)
            if change.status == "A" or change.path not in alive:
                lineage = _Lineage([])
                every.append(lineage)
                alive[change.path] = lineage
            lineage = alive[change.path]
            lineage.steps.append((commit, change))
            if change.status == "D":
                alive.pop(change.path, None)
    return every


def _kind(change: gitrepo.FileChange, first: bool, shallow_start: bool) -> str:
    if change.status == "D":
        return REMOVAL
    if first:
        return OLDEST if shallow_start or change.status != "A" else CREATION
    if change.status == "R":
        return MOVE
    return EDIT


def _parse(raw: bytes | None, shown: str) -> tuple[Mapping[str, Any] | None, str]:
    if raw is None:
        return None, "version illisible : contenu absent du dépôt ou plus grand que " + (
            messages.MAX_FILE_LABEL
        )
    return read_version(raw, shown)


def _known_blobs(current: Iterable[Record], length: int) -> dict[str, Mapping[str, Any]]:
    """The data of the records already read from the work tree, by the blob id their file
    has (a version equal to the file is not parsed again)."""
    known: dict[str, Mapping[str, Any]] = {}
    for record in current:
        try:
            with Path(record.path).open("rb") as handle:
                raw = handle.read(messages.MAX_FILE_BYTES + 1)
        except OSError:
            continue
        if len(raw) <= messages.MAX_FILE_BYTES:
            known[gitrepo.blob_id(raw, length)] = record.data
    return known


class _Contents:
    """Each version's data, parsed once per blob: a blob met again (a file copied, a
    change undone) is kept until its last use only."""

    def __init__(
        self,
        raw: Mapping[str, bytes | None],
        uses: Counter[str],
        known: Mapping[str, Mapping[str, Any]],
    ) -> None:
        self.raw, self.uses, self.known = raw, uses, known
        self.kept: dict[str, tuple[Mapping[str, Any] | None, str]] = {}

    def read(self, blob: str, shown: str) -> tuple[Mapping[str, Any] | None, str]:
        self.uses[blob] -= 1
        found = self.kept.get(blob)
        if found is None:
            data = self.known.get(blob)
            found = (data, "") if data is not None else _parse(self.raw.get(blob), shown)
            if self.uses[blob] > 0:
                self.kept[blob] = found
        elif self.uses[blob] <= 0:
            del self.kept[blob]
        return found


def _record_history(
    lineage: _Lineage, contents: _Contents, shallow_start: bool, max_versions: int
) -> RecordHistory | None:
    """One record's versions from its file's steps (``None``: no change of the record)."""
    versions: list[Version] = []
    previous: Mapping[str, Any] | None = None
    for index, (commit, change) in enumerate(lineage.steps):
        kind = _kind(change, index == 0, shallow_start)
        data: Mapping[str, Any] | None = None
        problem = ""
        if change.blob:
            data, problem = contents.read(change.blob, change.path)
        changes: tuple[Change, ...] = ()
        if kind in (EDIT, MOVE) and previous is not None and data is not None:
            changes = differences(previous, data)
        if kind == EDIT and not changes and not problem:
            continue  # formatting or comments only: not a change of the record
        versions.append(
            Version(
                sha=commit.sha,
                date=commit.date,
                author=commit.author,
                message=commit.message,
                path=change.path,
                kind=kind,
                problem=problem,
                changes=changes,
                previous_path=change.old_path or "",
            )
        )
        if data is not None:
            previous = data
    if not versions:
        return None
    last_path = next((v.path for v in reversed(versions) if v.kind != REMOVAL), "")
    return RecordHistory(
        record_id=_record_id(last_path or versions[-1].path),
        path=last_path or versions[-1].path,
        versions=tuple(versions),
        truncated=len(lineage.steps) >= max_versions,
    )


def read_history(
    records_folder: Path,
    *,
    current: Iterable[Record] = (),
    max_commits: int = gitrepo.MAX_COMMITS,
    max_versions: int = MAX_VERSIONS,
    timeout: float = gitrepo.TIMEOUT,
) -> RegisterHistory:
    """The history of the records under ``records_folder`` (``algorithms/``); an empty,
    unavailable history when it is not in a git repository or git cannot be run.
    ``current`` are the records just read from the work tree (by the check): a version
    whose content is a record's file is not parsed a second time."""
    folder_path = Path(records_folder).resolve()
    if not folder_path.is_dir():
        return RegisterHistory()
    top = gitrepo.toplevel(folder_path)
    if top is None:
        return RegisterHistory()
    folder = folder_path.relative_to(top.resolve()).as_posix()
    try:
        shallow = gitrepo.is_shallow(top)
        commits = gitrepo.log(top, folder, limit=max_commits, timeout=timeout)
    except gitrepo.GitError as exc:
        return RegisterHistory(note=f"Historique des fiches indisponible : {exc}")
    truncated_log = len(commits) >= max_commits
    shallow_start = shallow or truncated_log
    lineages = _lineages(commits, folder)
    for lineage in lineages:
        if len(lineage.steps) > max_versions:
            lineage.steps[:] = lineage.steps[-max_versions:]
    uses = Counter(
        change.blob for lineage in lineages for _, change in lineage.steps if change.blob
    )
    length = len(next(iter(uses), gitrepo.ZERO))
    known = _known_blobs(current, length) if uses else {}
    try:
        raw = gitrepo.read_blobs(
            top,
            [blob for blob in uses if blob not in known],
            max_bytes=messages.MAX_FILE_BYTES,
            timeout=timeout,
        )
    except gitrepo.GitError as exc:
        return RegisterHistory(note=f"Historique des fiches indisponible : {exc}")
    contents = _Contents(raw, uses, known)
    histories = [
        found
        for lineage in lineages
        if (found := _record_history(lineage, contents, shallow_start, max_versions)) is not None
    ]
    histories.sort(key=lambda h: (h.record_id, h.removed))
    by_id: dict[str, RecordHistory] = {}
    for history in histories:  # the living record wins over a removed one of the same name
        if history.record_id not in by_id or not history.removed:
            by_id[history.record_id] = history
    note = NOTE_SHALLOW if shallow else ""
    if truncated_log and not shallow:
        note = f"Historique des fiches partiel : seuls les {max_commits} derniers commits sont lus."
    return RegisterHistory(
        records=tuple(histories),
        available=True,
        partial=shallow_start,
        note=note,
        by_id=by_id,
    )


# --- links to the forge ---------------------------------------------------------------------

_GITHUB_MR = re.compile(r"(?:Merge pull request #|\(#|^#| #)(\d{1,9})\b", re.MULTILINE)
_GITLAB_MR = re.compile(r"(?:^|[\s(])(?:[\w.\-/]*)!(\d{1,9})\b", re.MULTILINE)


@functools.lru_cache(maxsize=64)
def forge_of(repo_url: str) -> str:
    """``github`` or ``gitlab`` (every other host: GitLab, the forge of most public bodies)."""
    host = (urlsplit(repo_url).hostname or "").lower()
    return "github" if host == "github.com" or host.endswith(".github.com") else "gitlab"


def merge_request(message: str, repo_url: str) -> str:
    """The number of the merge request a commit message names (``""`` when none)."""
    pattern = _GITHUB_MR if forge_of(repo_url) == "github" else _GITLAB_MR
    found = pattern.search(message)
    return found.group(1) if found else ""


def commit_url(repo_url: str, sha: str) -> str:
    base = repo_url.rstrip("/")
    if forge_of(repo_url) == "github":
        return f"{base}/commit/{sha}"
    return f"{base}/-/commit/{sha}"


def merge_request_url(repo_url: str, number: str) -> str:
    base = repo_url.rstrip("/")
    if forge_of(repo_url) == "github":
        return f"{base}/pull/{number}"
    return f"{base}/-/merge_requests/{number}"


def merge_request_label(repo_url: str, number: str) -> str:
    sign = "#" if forge_of(repo_url) == "github" else "!"
    return f"demande de fusion {sign}{number}"


def relative_to(path: str, folder: str) -> str:
    """``path`` relative to the register folder (for display)."""
    return posixpath.relpath(path, folder) if path.startswith(folder + "/") else path
