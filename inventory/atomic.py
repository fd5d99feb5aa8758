"""Atomic file writes: a reader never sees a half-written file.

Data is written to a temporary file in the destination folder, flushed and fsynced, then
renamed over the destination (``os.replace`` is atomic on POSIX within one filesystem).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

from inventory.errors import ExportError


@contextlib.contextmanager
def atomic_open(
    path: Path, mode: str = "w", *, encoding: str | None = "utf-8", newline: str | None = None
) -> Iterator[IO]:
    """Open a temporary sibling of ``path`` for writing; rename it onto ``path`` on success.

    On any exception the temporary file is removed and ``path`` is left untouched.
    """
    if "b" in mode:
        encoding = None
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"impossible d'écrire dans {path.parent} : {exc.strerror}") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Atomically replace ``path`` with ``text`` (UTF-8)."""
    with atomic_open(path) as handle:
        handle.write(text)


def write_bytes(path: Path, data: bytes) -> None:
    """Atomically replace ``path`` with ``data``."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def ensure_writable(targets: Iterable[Path], *, force: bool) -> None:
    """Refuse (``ExportError``) to replace any existing target unless ``force`` is set.

    Called with every file a command will write before any is written, so a refusal leaves
    every file as it was.
    """
    for target in targets:
        if target.is_dir():
            raise ExportError(f"{target} est un dossier : impossible d'y écrire l'export")
        if target.exists() and not force:
            raise ExportError(
                f"le fichier {target} existe déjà : ajoutez --force pour le remplacer"
            )


def write_texts(folder: Path, texts: Mapping[str, str], *, force: bool) -> list[Path]:
    """Write ``texts`` (file name -> UTF-8 text) into ``folder``, each file atomically.

    Every target is checked first (:func:`ensure_writable`): a refused overwrite writes
    nothing. Returns the paths written, in ``texts``' order.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} n'est pas un dossier : impossible d'y écrire les exports")
    targets = [folder / name for name in texts]
    ensure_writable(targets, force=force)
    for target, text in zip(targets, texts.values(), strict=True):
        write_text(target, text)
    return targets
