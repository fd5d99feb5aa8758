"""Memory of a build: long-lived objects kept out of the collector's passes, and freed early.

A build holds tens of thousands of long-lived objects (records, repositories, joins) while it
allocates many short-lived ones; :func:`frozen_heap` keeps the former out of the collector's
full passes. :func:`tidying` frees them, and deletes the previous tree, in a thread while
MkDocs renders in its own process, instead of at the interpreter's exit.
"""

from __future__ import annotations

import contextlib
import gc
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_FROZEN: list[int] = [0]  # depth of nested frozen_heap() blocks


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the objects alive so far (records, crawl, joins) out of the collector's passes.

    A build allocates many short-lived containers; full collections would otherwise walk the
    tens of thousands of long-lived objects again and again, in this process and in its
    forked children. Inside the block, ``gc.freeze()`` adds what has been loaded since; the
    outermost block hands every object back to the collector. Nothing is freed differently.
    """
    gc.freeze()
    _FROZEN[0] += 1
    try:
        yield
    finally:
        _FROZEN[0] -= 1
        if not _FROZEN[0]:
            gc.unfreeze()


def _tidy(old: Path | None, leftovers: list[Any]) -> None:
    leftovers.clear()  # the last references: freed here, not at the interpreter's exit
    gc.collect()
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def tidying(old: Path | None, leftovers: list[Any]) -> Iterator[None]:
    """While the ``with`` block runs (MkDocs, in its own process), a thread frees the build's
    data (``leftovers`` holds the last references to it) and deletes the old tree."""
    thread = threading.Thread(target=_tidy, args=(old, leftovers))
    thread.start()
    try:
        yield
    finally:
        thread.join()
