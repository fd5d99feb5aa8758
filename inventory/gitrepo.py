"""Reading a git repository with git itself: a few processes, each bounded in time and size.

The register's history is read in ONE ``git log`` over a folder (renames and moves followed
with ``-M``, the blob ids of every version in ``--raw``), then every blob through ONE
``git cat-file --batch`` process: never one git process per file. Git's output is untrusted
(commit messages, file names): it is parsed by counting NUL-separated fields, never by
searching for a separator a message could contain.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from inventory.errors import InventoryError

TIMEOUT = 120.0  # seconds, for one git process
MAX_COMMITS = 100_000
ZERO = "0" * 40


def _env() -> dict[str, str]:
    return {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


class GitError(InventoryError):
    """Git cannot be run, or answers with an error."""


@dataclass(frozen=True)
class FileChange:
    """One file changed by a commit: ``status`` is ``A``, ``M``, ``D`` or ``R`` (renamed or
    moved, ``old_path`` set); ``blob`` is the new content's id (``None`` once deleted)."""

    status: str
    path: str
    old_path: str | None = None
    blob: str | None = None
    old_blob: str | None = None


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # ISO 8601, the committer's date (when the change reached the branch)
    author: str
    message: str
    changes: tuple[FileChange, ...] = ()


def _run(
    args: list[str], cwd: Path, *, timeout: float = TIMEOUT
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=timeout,
            env=_env(),
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitError("git est introuvable : installez git pour lire l'historique") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} n'a pas répondu en {timeout:.0f} s") from exc


def toplevel(path: Path) -> Path | None:
    """The work tree holding ``path``, or ``None`` (no git, or not in a repository)."""
    folder = Path(path)
    if not folder.is_dir():
        folder = folder.parent
    try:
        done = _run(["rev-parse", "--show-toplevel"], folder, timeout=30)
    except GitError:
        return None
    if done.returncode != 0:
        return None
    return Path(done.stdout.decode("utf-8", "replace").strip())


def is_shallow(top: Path) -> bool:
    done = _run(["rev-parse", "--is-shallow-repository"], top, timeout=30)
    return done.stdout.strip() == b"true"


def resolve(top: Path, ref: str) -> str | None:
    """The commit ``ref`` names, or ``None`` when it names none."""
    if not ref or ref.startswith("-"):
        return None
    done = _run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top)
    text = done.stdout.decode("ascii", "replace").strip()
    return text if done.returncode == 0 and text else None


def blob_id(content: bytes, length: int = 40) -> str:
    """The id git gives a file's ``content`` (SHA-1, or SHA-256 for 64-character ids)."""
    digest = hashlib.sha256() if length == 64 else hashlib.sha1(usedforsecurity=False)
    digest.update(b"blob %d\0" % len(content))
    digest.update(content)
    return digest.hexdigest()


def _raw_entries(tokens: list[str], start: int) -> tuple[list[FileChange], int]:
    """The ``--raw -z`` entries from ``tokens[start]`` on; the index after them."""
    changes: list[FileChange] = []
    index = start
    while index < len(tokens):
        meta = tokens[index].lstrip("\n")
        if not meta.startswith(":"):
            break
        fields = meta[1:].split(" ")
        if len(fields) < 5:
            break
        old_blob, new_blob, status = fields[2], fields[3], fields[4][:1]
        if status in ("R", "C"):
            if index + 2 >= len(tokens):
                break
            old_path, path = tokens[index + 1], tokens[index + 2]
            index += 3
        else:
            if index + 1 >= len(tokens):
                break
            old_path, path = None, tokens[index + 1]
            index += 2
        if status == "C":  # a copy is a new file
            status, old_path = "A", None
        changes.append(
            FileChange(
                status=status,
                path=path,
                old_path=old_path,
                blob=None if new_blob == ZERO else new_blob,
                old_blob=None if old_blob == ZERO else old_blob,
            )
        )
    return changes, index


_FORMAT = "%x1e%H%x1f%cI%x1f%an%x1f%B"


def parse_log(output: str) -> list[Commit]:
    """The commits of ``git log --raw -z --format=`` :data:`_FORMAT` output."""
    tokens = output.split("\0")
    commits: list[Commit] = []
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if not token.startswith("\x1e"):
            continue
        parts = token[1:].split("\x1f", 3)
        if len(parts) < 4:
            continue
        sha, date, author, message = parts
        changes, index = _raw_entries(tokens, index)
        commits.append(Commit(sha, date, author, message.strip(), tuple(changes)))
    return commits


def log(
    top: Path, folder: str, *, limit: int = MAX_COMMITS, timeout: float = TIMEOUT
) -> list[Commit]:
    """The commits of the current branch that touched ``folder`` (relative to ``top``), oldest
    first, each with its files: first-parent history, a merge shown against the branch it was
    merged into (the change a merge request made), renames and moves detected."""
    done = _run(
        [
            "-c",
            "core.quotepath=off",
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--find-renames",
            "--raw",
            "--no-abbrev",
            "-z",
            f"--max-count={int(limit)}",
            f"--format={_FORMAT}",
            "HEAD",
            "--",
            folder,
        ],
        top,
        timeout=timeout,
    )
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        if "does not have any commits" in stderr or "unknown revision" in stderr:
            return []
        raise GitError(f"git log a échoué : {stderr.strip().splitlines()[-1:]!s}")
    commits = parse_log(done.stdout.decode("utf-8", "replace"))
    commits.reverse()
    return commits


def diff_since(top: Path, base: str, folder: str) -> list[FileChange]:
    """The files of ``folder`` changed between ``base`` (its merge base with ``HEAD`` when
    there is one) and the work tree, renames and moves detected."""
    args = ["-c", "core.quotepath=off", "diff", "-M", "--raw", "--no-abbrev", "-z"]
    done = _run([*args, "--merge-base", base, "--", folder], top)
    if done.returncode != 0:  # no merge base (e.g. a shallow clone): compare with base itself
        done = _run([*args, base, "--", folder], top)
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git diff a échoué : {stderr.splitlines()[-1:]!s}")
    changes, _ = _raw_entries(done.stdout.decode("utf-8", "replace").split("\0"), 0)
    return changes


def read_blobs(
    top: Path, blobs: Iterable[str], *, max_bytes: int, timeout: float = TIMEOUT
) -> dict[str, bytes | None]:
    """The content of each blob, through one ``git cat-file --batch`` process; ``None`` for a
    blob larger than ``max_bytes`` (read past, never kept) or missing (a shallow clone)."""
    wanted = list(dict.fromkeys(b for b in blobs if b))
    result: dict[str, bytes | None] = {}
    if not wanted:
        return result
    try:
        process = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
    except FileNotFoundError as exc:
        raise GitError("git est introuvable : installez git pour lire l'historique") from exc
    assert process.stdin is not None and process.stdout is not None
    stdin, stdout = process.stdin, process.stdout

    def feed() -> None:
        try:
            for blob in wanted:
                stdin.write(blob.encode("ascii") + b"\n")
            stdin.close()
        except (BrokenPipeError, OSError):
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        process.kill()

    timer = threading.Timer(timeout, expire)
    timer.start()
    try:
        for blob in wanted:
            header = stdout.readline()
            if not header:
                break
            fields = header.split()
            if len(fields) < 3 or fields[1] == b"missing":
                result[blob] = None
                continue
            size = int(fields[2])
            if size > max_bytes:
                for _ in _skip(stdout, size + 1):
                    pass
                result[blob] = None
                continue
            content = stdout.read(size)
            stdout.read(1)  # the newline after the content
            result[blob] = content
    finally:
        timer.cancel()
        writer.join(timeout=5)
        process.kill()
        process.wait()
        stdout.close()
    if expired.is_set():
        raise GitError(f"git cat-file n'a pas répondu en {timeout:.0f} s")
    return result


def _skip(stream: IO[bytes], size: int) -> Iterator[int]:
    read = stream.read
    left = size
    while left > 0:
        chunk = read(min(left, 1 << 16))
        if not chunk:
            return
        left -= len(chunk)
        yield left
