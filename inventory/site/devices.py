"""The build's performance devices, each switchable so that its saving can be measured.

* ``fork_crawl``: the crawl database is read in a forked child while the records are checked
  (:mod:`inventory.site.background`); the snapshot comes back through a pipe.
* ``fork_exports``: the open data is written by a forked child while pages are generated.
* ``fork_pages``: the administration and explorer pages are written by a forked child while
  this process writes the others.
* ``tidy``: while MkDocs renders in its own process, a thread frees the build's data and
  deletes the previous tree, instead of at the interpreter's exit.

Kept because each saved at least 5 % of the build at one scale (measured with
``python benchmarks/bench_build_devices.py``; saving = (time off - all on) / time off; these
shared machines are noisy, the spread between runs is about as large as the savings):

============  ===========================  =========================  ======================
device        run A (2 rep., loaded)       run B (3 rep., load ~1)    run C (2 rep.)
              half / national              half                       half
============  ===========================  =========================  ======================
fork_crawl    +2.3 % / +13.0 %             +0.1 %                     n/a
fork_exports  +7.6 % / -0.3 %              +5.4 %                     n/a
fork_pages    +9.3 % / +1.3 %              +2.7 %                     +9.9 %
tidy          +13.0 % / -2.8 %             +6.6 %                     +6.5 %
============  ===========================  =========================  ======================

``gc.freeze`` (the objects of the build kept out of the collector's full passes) saved
+0.6 % at half scale and cost 6.0 % at national scale in run A: it was removed.

:meth:`Devices.from_environment` reads ``INVENTORY_BUILD_OFF`` (a comma-separated list of the
names above), which ``benchmarks/bench_build_devices.py`` uses to measure each device off; no
user needs it. The output is the same whichever devices are on (a test compares the trees).
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

ENVIRONMENT = "INVENTORY_BUILD_OFF"


@dataclass(frozen=True)
class Devices:
    fork_crawl: bool = True
    fork_exports: bool = True
    fork_pages: bool = True
    tidy: bool = True

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Devices:
        """Every device on, except those named in ``INVENTORY_BUILD_OFF``."""
        value = (os.environ if environ is None else environ).get(ENVIRONMENT, "")
        off = {name.strip() for name in value.split(",") if name.strip()}
        return cls(**{name: name not in off for name in cls.names()})

    @classmethod
    def serial(cls) -> Devices:
        """No forked child (the same files, written by this process alone)."""
        return cls(fork_crawl=False, fork_exports=False, fork_pages=False)

    @contextlib.contextmanager
    def tidying(self, old: Path | None, leftovers: list[Any]) -> Iterator[None]:
        """While the block runs (MkDocs, in its own process), free the build's data
        (``leftovers`` holds the last references to it) and delete the old tree."""
        if not self.tidy:
            try:
                yield
            finally:
                _tidy(old, leftovers)
            return
        thread = threading.Thread(target=_tidy, args=(old, leftovers))
        thread.start()
        try:
            yield
        finally:
            thread.join()


def _tidy(old: Path | None, leftovers: list[Any]) -> None:
    leftovers.clear()
    gc.collect()
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
