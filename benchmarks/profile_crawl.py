"""Where the crawler's CPU goes, per request: a profile of the client side of bench_crawl.

    python benchmarks/profile_crawl.py [--scale 0.2] [--latency 0.01] [--top 35]
                                       [--sort cumulative] [--crawl first|second]

Reuses :mod:`bench_crawl`'s world and emulator server (a child process, so the server's CPU
is not counted) on a reduced world (every forge kept, ``--scale`` of its owners and of
their repositories), and crawls it with the real orchestrator into a real SQLite store.
Every thread of this process (the crawl's worker threads and the main one) is profiled by
``cProfile`` timed with :func:`time.thread_time`, i.e. CPU time, not waiting; the profiles
are merged and the top functions printed. ``--crawl second`` profiles the second crawl
(nothing changed: 304s replayed from the ETag store) instead of the first.

The last line prints the crawler's CPU per request sent, in milliseconds, measured in a
separate unprofiled crawl of the same world (profiling inflates CPU); the lines before it
split it between user and kernel time, so that two versions of the code compare on one figure.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import math
import multiprocessing
import os
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_crawl import ForgeSpec, build_world, serve, targets_for  # noqa: E402

from crawlers.http import HttpPolicy  # noqa: E402
from inventory.catalogue.crawl import CrawlSummary, run_crawl  # noqa: E402
from inventory.catalogue.store import Store  # noqa: E402


def scaled_world(seed: int, scale: float) -> list[ForgeSpec]:
    """bench_crawl's world with ``scale`` of each forge's owners and of their repositories."""
    world = []
    for forge in build_world(seed):
        keep = max(1, math.ceil(len(forge.owners) * scale))
        owners = tuple(
            dataclasses.replace(owner, repos=max(1, round(owner.repos * scale)))
            for owner in forge.owners[:keep]
        )
        world.append(dataclasses.replace(forge, owners=owners))
    return world


class ThreadProfiles:
    """One CPU-time cProfile per thread started while installed, merged at the end."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: list[cProfile.Profile] = []
        self._original = threading.Thread.run

    def install(self) -> None:
        original, done, lock = self._original, self._done, self._lock

        def run(thread: threading.Thread) -> None:
            profile = cProfile.Profile(time.thread_time)
            profile.enable()
            try:
                original(thread)
            finally:
                profile.disable()
                with lock:
                    done.append(profile)

        threading.Thread.run = run  # type: ignore[method-assign]

    def uninstall(self) -> None:
        threading.Thread.run = self._original  # type: ignore[method-assign]

    def stats(self, main: cProfile.Profile) -> pstats.Stats:
        out = io.StringIO()
        merged = pstats.Stats(main, stream=out)
        with self._lock:
            for profile in self._done:
                merged.add(profile)
        merged.stream = sys.stdout  # type: ignore[attr-defined]
        return merged


def server_cpu(pid: int | None) -> float:
    """CPU seconds used so far by the emulator's process (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclasses.dataclass(frozen=True)
class Cost:
    wall: float
    user: float  # CPU in this process, user mode
    system: float  # CPU in this process, kernel mode (sockets, SQLite, thread switches)

    @property
    def cpu(self) -> float:
        return self.user + self.system


def crawl(
    targets: list[Any], store: Store, per_host: int, policy: HttpPolicy
) -> tuple[CrawlSummary, Cost]:
    started, before = time.perf_counter(), os.times()
    summary = run_crawl(targets, store, per_host=per_host, policy=policy)
    after = os.times()
    return summary, Cost(
        time.perf_counter() - started, after.user - before.user, after.system - before.system
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--latency", type=float, default=0.01)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (tottime...)")
    parser.add_argument("--crawl", choices=("first", "second"), default="first")
    parser.add_argument("--no-profile", action="store_true", help="only the CPU figures")
    parser.add_argument("--dump", type=Path, help="also save the merged profile (pstats file)")
    args = parser.parse_args()

    world = scaled_world(args.seed, args.scale)
    owners = sum(len(f.owners) for f in world)
    repos = sum(o.repos for f in world for o in f.owners)
    print(f"monde réduit ({args.scale}) : {len(world)} forges, {owners} comptes, {repos} dépôts")

    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    server = context.Process(
        target=serve, args=(world, args.seed, args.latency, child), daemon=True
    )
    server.start()
    policy = HttpPolicy(timeout=60.0)
    try:
        base = parent.recv()
        targets = targets_for(world, base)
        with tempfile.TemporaryDirectory() as tmp:
            # Unprofiled figures: a first and a second crawl of the same world.
            store = Store.open(Path(tmp) / "plain.sqlite")
            try:
                served = server_cpu(server.pid)
                first, cost1 = crawl(targets, store, args.per_host, policy)
                served = server_cpu(server.pid) - served
                second, cost2 = crawl(targets, store, args.per_host, policy)
            finally:
                store.close()
            if not args.no_profile:
                profiles = ThreadProfiles()
                main_profile = cProfile.Profile(time.thread_time)
                store = Store.open(Path(tmp) / "profiled.sqlite")
                try:
                    if args.crawl == "second":
                        crawl(targets, store, args.per_host, policy)
                    profiles.install()
                    main_profile.enable()
                    try:
                        crawl(targets, store, args.per_host, policy)
                    finally:
                        main_profile.disable()
                        profiles.uninstall()
                finally:
                    store.close()
                stats = profiles.stats(main_profile)
                print(f"\nprofil CPU ({args.crawl} moissonnage, tous les fils, tri {args.sort})")
                stats.sort_stats(args.sort).print_stats(args.top)
                if args.dump:
                    stats.dump_stats(args.dump)
    finally:
        server.terminate()
        server.join(5)

    failed = len(first.owners_failed) + len(second.owners_failed)
    for label, summary, cost in (("1er", first, cost1), ("2e", second, cost2)):
        print(
            f"{label} moissonnage : {summary.requests} requêtes "
            f"({summary.not_modified} réponses 304), {cost.wall:.1f} s, CPU {cost.cpu:.1f} s "
            f"(utilisateur {cost.user:.1f} s, système {cost.system:.1f} s)"
        )
    per1 = cost1.cpu * 1000 / max(1, first.requests)
    per2 = cost2.cpu * 1000 / max(1, second.requests)
    print(
        f"émulateur (autre processus) pendant le 1er moissonnage : CPU {served:.1f} s, "
        f"soit {served * 1000 / max(1, first.requests):.2f} ms par requête servie"
    )
    print(
        f"{failed} échecs ; charge de la machine {os.getloadavg()[0]:.1f} "
        f"pour {os.cpu_count()} cœurs"
    )
    print(f"CPU par requête : 1er moissonnage {per1:.2f} ms, 2e {per2:.2f} ms")


if __name__ == "__main__":
    main()
