"""Crawl benchmark: 400 owners, 20,000 repositories over 90 emulated forges.

    python benchmarks/bench_crawl.py [--latency 0.01] [--per-host 2] [--seed 42]

One loopback HTTP server (a child process, so that it has its own core) serves every forge
through the test emulators (``tests/emulator``: GitHub, GitLab v4, Gitea/Forgejo/Gogs), each
forge under its own path prefix, with a fixed simulated latency per request. The world has a
realistic skew: github.com holds 60 % of the repositories over 180 owners, gitlab.com and 83
self-hosted GitLab instances (10 of them crawled whole) 35 %, 5 Gitea-family forges the
remainder; owner sizes follow a Zipf law (a few big owners, many small ones).

The real orchestrator (:func:`inventory.catalogue.crawl.run_crawl`) crawls it into a real
SQLite store, twice. Printed:

* requests sent versus the listing floor (sum over owners of ceil(repositories / page cap)
  plus one owner lookup; whole instances: their pages), as a ratio; GitLab's listing lacks
  licence and languages, so the budget adds at most 2 requests per GitLab project, printed too;
* wall time versus the critical path of the busiest host (its requests x latency / its
  concurrency), as a ratio;
* the second crawl (nothing changed): requests, 304s and per-project requests (must be 0);
* health signals, gathered by the same crawls for repositories new or changed since
  their last check, nothing when unchanged: GitLab projects by batched GraphQL queries, Gitea
  repositories one request each (plus one to read a ``publiccode.yml``, 3 % of them here); a
  third crawl after 5 % of them changed prints the requests per changed repository (the
  issue's limit: 1). GitHub, crawled here without a token (REST), has none; its GraphQL
  listing, which carries them at no extra request, is counted in
  tests/crawlers/test_github_graphql.py.

The last line sums the ratios up.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import re
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from werkzeug import Request, Response  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

from crawlers.base import ForgeKind, Target  # noqa: E402
from crawlers.gitlab_graphql import BATCH as GITLAB_BATCH  # noqa: E402
from crawlers.http import HttpPolicy  # noqa: E402
from inventory.catalogue.crawl import run_crawl  # noqa: E402
from inventory.catalogue.store import Store  # noqa: E402
from tests.catalogue.test_publiccode import VALID  # noqa: E402
from tests.emulator.core import Emulator  # noqa: E402
from tests.emulator.gitea import GiteaEmulator  # noqa: E402
from tests.emulator.github import GitHubForge  # noqa: E402
from tests.emulator.gitlab import GitLabEmulator  # noqa: E402
from tests.emulator.health import Files  # noqa: E402

VALID_URL = "https://github.com/Etalab/taxe.git"  # the url written in VALID, replaced per repo

PAGE_CAP = {"github": 100, "gitlab": 100, "gitea": 50, "forgejo": 50, "gogs": 50}
#: Requests that are about one project, never the listing (must be 0 on a second crawl).
PER_PROJECT = re.compile(r".*/api/v4/projects/\d+(/languages)?|/f\d+/repos/[^/]+/[^/]+")


# --------------------------------------------------------------------------------------------
# The world


@dataclass(frozen=True)
class OwnerSpec:
    login: str | None  # None: the whole instance
    kind: str  # "org" | "user" | "instance"
    repos: int


@dataclass(frozen=True)
class ForgeSpec:
    index: int
    host: str
    forge: str
    owners: tuple[OwnerSpec, ...]

    @property
    def prefix(self) -> str:
        return f"/f{self.index:02d}"


def _zipf_sizes(rng: random.Random, count: int, total: int, exponent: float = 1.0) -> list[int]:
    weights = [1 / (rank + 1) ** exponent for rank in range(count)]
    scale = total / sum(weights)
    sizes = [max(1, round(w * scale)) for w in weights]
    sizes[0] += total - sum(sizes)  # exact total
    rng.shuffle(sizes)
    return sizes


def build_world(seed: int) -> list[ForgeSpec]:
    rng = random.Random(seed)
    forges: list[ForgeSpec] = []

    def owners(prefix: str, sizes: list[int], user_share: float) -> list[OwnerSpec]:
        return [
            OwnerSpec(f"{prefix}{i}", "user" if rng.random() < user_share else "org", n)
            for i, n in enumerate(sizes)
        ]

    # github.com: 180 owners, 12,000 repositories.
    forges.append(
        ForgeSpec(
            0, "github.com", "github", tuple(owners("gh", _zipf_sizes(rng, 180, 12_000), 0.1))
        )
    )
    # gitlab.com: 40 groups and users, 2,000 projects.
    forges.append(
        ForgeSpec(1, "gitlab.com", "gitlab", tuple(owners("gl", _zipf_sizes(rng, 40, 2_000), 0.05)))
    )
    # 83 self-hosted GitLab: 10 crawled whole (800 projects), 73 with 150 owners (4,200).
    instance_sizes = _zipf_sizes(rng, 10, 800, 0.8)
    for i in range(10):
        spec = (OwnerSpec(None, "instance", instance_sizes[i]),)
        forges.append(ForgeSpec(2 + i, f"gitlab.instance{i}.fr", "gitlab", spec))
    per_host = _zipf_sizes(rng, 73, 150, 0.9)
    sizes = iter(_zipf_sizes(rng, 150, 4_200))
    for i, count in enumerate(per_host):
        host_owners = owners(f"g{i}-", [next(sizes) for _ in range(count)], 0.05)
        forges.append(ForgeSpec(12 + i, f"gitlab.forge{i}.fr", "gitlab", tuple(host_owners)))
    # 5 Gitea-family forges: 20 owners, 1,000 repositories.
    kinds = ["gitea", "gitea", "gitea", "forgejo", "gogs"]
    sizes = iter(_zipf_sizes(rng, 20, 1_000))
    for i, kind in enumerate(kinds):
        host_owners = owners(f"t{i}-", [next(sizes) for _ in range(4)], 0.25)
        forges.append(ForgeSpec(85 + i, f"{kind}{i}.example.fr", kind, tuple(host_owners)))
    return forges


def listing_floor(world: list[ForgeSpec]) -> int:
    floor = 0
    for forge in world:
        for owner in forge.owners:
            floor += max(1, math.ceil(owner.repos / PAGE_CAP[forge.forge]))
            floor += 0 if owner.kind == "instance" else 1
    return floor


# --------------------------------------------------------------------------------------------
# The server (child process)


class _KeepAliveServer(ThreadingHTTPServer):
    """Loopback HTTP/1.1 server with keep-alive (werkzeug's development server closes every
    connection, which would make the benchmark measure TCP handshakes, not the crawler)."""

    daemon_threads = True
    request_queue_size = 256
    dispatch: Any = None


class _KeepAliveHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:  # GraphQL (GitLab's health signals)
        self._serve("POST")

    def _serve(self, method: str) -> None:
        path, _, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        environ = EnvironBuilder(
            path=urllib.parse.unquote(path),
            method=method,
            query_string=query,
            headers=list(self.headers.items()),
            data=self.rfile.read(length) if length else None,
            base_url=f"http://127.0.0.1:{self.server.server_address[1]}",
        ).get_environ()
        response = self.server.dispatch(Request(environ))  # type: ignore[attr-defined]
        body = response.get_data()
        self.send_response(response.status_code)
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Shim:
    """What :class:`Emulator` needs of a pytest-httpserver, over a plain werkzeug server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler: Any = None

    def expect_request(self, *args: Any, **kwargs: Any) -> _Shim:
        return self

    def respond_with_handler(self, handler: Any) -> None:
        self.handler = handler

    def url_for(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


PUBLICCODE_SHARE = 0.03
TOUCHED_SHARE = 20  # every 20th GitLab/Gitea repository changes before the third crawl


def _files(rng: random.Random, path: str, url: str, empty: bool = False) -> dict[str, str]:
    if empty:
        return {}
    files = {"README.md": "# Outil", "LICENSE": "EUPL-1.2"}
    if rng.random() < 0.3:
        files["CONTRIBUTING.md"] = ""
    if rng.random() < PUBLICCODE_SHARE:
        files["publiccode.yml"] = VALID.replace(VALID_URL, url)
    return files


def _populate(emulator: Emulator, world: list[ForgeSpec], seed: int) -> list[Any]:
    """Fill the emulator; returns the touch callbacks of the GitLab/Gitea repositories."""
    rng = random.Random(seed + 1)
    touches: list[Any] = []
    for spec in world:
        if spec.forge == "github":
            gh = GitHubForge(emulator, prefix=spec.prefix, host=spec.host)
            for owner in spec.owners:
                add = gh.add_user if owner.kind == "user" else gh.add_org
                add(owner.login, owner.repos)
        elif spec.forge == "gitlab":
            gl = GitLabEmulator(emulator, host=spec.host, prefix=spec.prefix)
            files = Files(emulator, gitlab=f"{spec.prefix}/api/v4", github=f"{spec.prefix}/_gh")
            for owner in spec.owners:
                if owner.kind == "instance":
                    homes = [gl.add_group(f"grp{k}") for k in range(max(1, owner.repos // 40))]
                    homes += [gl.add_user(f"user{k}") for k in range(3)]
                elif owner.kind == "user":
                    homes = [gl.add_user(owner.login)]
                else:
                    top = gl.add_group(owner.login)
                    sub = gl.add_group("equipe", top)
                    homes = [top, sub, gl.add_group("projets", sub)]
                for k in range(owner.repos):
                    empty = rng.random() < 0.02
                    project = gl.add_project(
                        rng.choice(homes),
                        f"projet-{k}",
                        archived=rng.random() < 0.1,
                        empty=empty,
                        license_key=rng.choice(["mit", "cecill-2.1", "gpl-3.0", None]),
                        languages={"Python": 70.0, "Shell": 30.0},
                    )
                    path = project["path_with_namespace"]
                    url = f"https://{spec.host}/{path}"
                    files.repos[path] = _files(rng, path, url, empty)
                    touches.append(lambda when, gl=gl, p=project: gl.touch(p, when))
        else:
            gt = GiteaEmulator(
                emulator, host=spec.host, prefix=spec.prefix, gogs=spec.forge == "gogs"
            )
            files = Files(emulator, gitea=f"{spec.prefix}/api/v1", github=f"{spec.prefix}/_gh")
            for owner in spec.owners:
                account = (
                    gt.add_user(owner.login) if owner.kind == "user" else gt.add_org(owner.login)
                )
                for k in range(owner.repos):
                    repo = gt.add_repo(account, f"depot-{k}", licenses=["EUPL-1.2"])
                    path = repo["full_name"]
                    files.repos[path] = _files(rng, path, repo["html_url"])
                    touches.append(lambda when, r=repo: r.update(updated_at=when))
    return touches


def _stats_routes(emulator: Emulator, touches: list[Any]) -> None:
    def stats(request: Request, match: Any) -> Response:
        log = emulator.requests()
        body = {
            "total": len(log),
            "per_project": sum(1 for r in log if PER_PROJECT.fullmatch(r.path)),
            "statuses": dict(Counter(str(r.status) for r in log)),
        }
        return Response(json.dumps(body), content_type="application/json")

    def clear(request: Request, match: Any) -> Response:
        emulator.clear_log()
        return Response(b"{}", content_type="application/json")

    def touch(request: Request, match: Any) -> Response:
        changed = touches[::TOUCHED_SHARE]
        for callback in changed:
            callback("2026-11-27T12:00:00Z")
        return Response(json.dumps({"touched": len(changed)}), content_type="application/json")

    emulator.route("GET", r"/_bench/stats", stats)
    emulator.route("GET", r"/_bench/clear", clear)
    emulator.route("GET", r"/_bench/touch", touch)


def serve(world: list[ForgeSpec], seed: int, latency: float, conn: Any) -> None:
    server = _KeepAliveServer(("127.0.0.1", 0), _KeepAliveHandler)
    shim = _Shim(server.server_address[1])
    emulator = Emulator(shim)  # type: ignore[arg-type]
    _stats_routes(emulator, _populate(emulator, world, seed))
    emulator.latency = latency
    server.dispatch = shim.handler
    conn.send(shim.url_for(""))
    server.serve_forever()


# --------------------------------------------------------------------------------------------
# The client side


def targets_for(world: list[ForgeSpec], base: str) -> list[Target]:
    targets = []
    for spec in world:
        kind = ForgeKind(spec.forge)
        root = base + spec.prefix + {"github": "", "gitlab": "/api/v4"}.get(spec.forge, "/api/v1")
        for owner in spec.owners:
            targets.append(Target(spec.host, kind, root, owner=owner.login, pso_id="bench"))
    return targets


def server_stats(base: str, path: str) -> dict[str, Any]:
    return requests.get(f"{base}/_bench/{path}", timeout=10).json()


def critical_path(
    world: list[ForgeSpec], per_host_requests: dict[str, int], latency: float, per_host: int
) -> tuple[str, float]:
    targets = {spec.host: len(spec.owners) for spec in world}
    best = ("", 0.0)
    for host, count in per_host_requests.items():
        path = count * latency / min(per_host, targets.get(host, 1))
        if path > best[1]:
            best = (host, path)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.01, help="seconds per request")
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    world = build_world(args.seed)
    owners = sum(len(f.owners) for f in world)
    repos = sum(o.repos for f in world for o in f.owners)
    gitlab_projects = sum(o.repos for f in world if f.forge == "gitlab" for o in f.owners)
    floor = listing_floor(world)
    kinds = Counter(f.forge for f in world)
    print(
        f"monde : {len(world)} forges ({dict(kinds)}), {owners} comptes, {repos} dépôts, "
        f"latence simulée {args.latency * 1000:.0f} ms, "
        f"{args.per_host} requêtes parallèles par hôte"
    )

    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    server = context.Process(
        target=serve, args=(world, args.seed, args.latency, child), daemon=True
    )
    server.start()
    try:
        base = parent.recv()
        targets = targets_for(world, base)
        policy = HttpPolicy(timeout=60.0)
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(Path(tmp) / "bench.sqlite")
            try:
                started, cpu = time.perf_counter(), time.process_time()
                first = run_crawl(targets, store, per_host=args.per_host, policy=policy)
                wall, cpu = time.perf_counter() - started, time.process_time() - cpu
                load = os.getloadavg()[0]
                found = len(store.repositories())
                first_server = server_stats(base, "stats")
                server_stats(base, "clear")
                second = run_crawl(targets, store, per_host=args.per_host, policy=policy)
                second_server = server_stats(base, "stats")
                touched = server_stats(base, "touch")["touched"]
                third = run_crawl(targets, store, per_host=args.per_host, policy=policy)
            finally:
                store.close()
    finally:
        server.terminate()
        server.join(5)

    failed = len(first.owners_failed) + len(second.owners_failed) + len(third.owners_failed)
    budget = floor + 2 * gitlab_projects
    host, path = critical_path(world, dict(first.per_host_requests), args.latency, args.per_host)
    listing = first.requests - first.health_requests  # the listing's own budget
    request_ratio = listing / floor
    budget_ratio = listing / budget
    health_first = first.health_requests / max(1, first.health_checked)
    health_changed = third.health_requests / max(1, touched)
    time_ratio = wall / path if path else float("nan")
    print(
        f"1er moissonnage : {first.owners_ok} comptes ok, {len(first.owners_failed)} en échec, "
        f"{found} dépôts en base, {first.requests} requêtes dont {listing} pour le listage "
        f"et {first.health_requests} pour les signaux de santé "
        f"(serveur : {first_server['total']}, dont {first_server['per_project']} par projet)"
    )
    print(
        f"requêtes / plancher de listage ({floor}) = {request_ratio:.2f} ; "
        f"requêtes / budget (plancher + 2 par projet GitLab = {budget}) = {budget_ratio:.3f}"
    )
    print(
        f"durée {wall:.1f} s / chemin critique de l'hôte le plus chargé ({host} : "
        f"{first.per_host_requests.get(host, 0)} requêtes) {path:.1f} s = {time_ratio:.2f} "
        f"(CPU du moissonneur {cpu:.0f} s, charge de la machine {load:.1f} "
        f"pour {os.cpu_count()} cœurs)"
    )
    print(
        f"2e moissonnage (rien n'a changé) : {second.requests} requêtes, "
        f"{second.not_modified} réponses 304, {second_server['per_project']} requêtes par projet, "
        f"{second.duration:.1f} s ; {failed} échecs"
    )
    print(
        f"signaux de santé, 1er moissonnage : {first.health_checked} dépôts GitLab/Gitea "
        f"examinés, {first.health_requests} requêtes = {health_first:.3f} par dépôt (GitLab : "
        f"requêtes GraphQL par lots de {GITLAB_BATCH} projets ; Gitea : 1 + la part ayant un "
        f"publiccode.yml à lire, ~{PUBLICCODE_SHARE:.0%}) ; non relevés : "
        f"{', '.join(first.health_skipped) or 'aucun'}"
    )
    print(
        f"signaux de santé, 2e moissonnage : {second.health_requests} requêtes ; "
        f"3e moissonnage après {touched} dépôts modifiés : {third.health_checked} examinés, "
        f"{third.health_requests} requêtes = {health_changed:.3f} par dépôt modifié"
    )
    print(
        f"RÉSUMÉ requêtes/plancher={request_ratio:.2f} requêtes/budget={budget_ratio:.3f} "
        f"durée/chemin_critique={time_ratio:.2f} 2e_moissonnage={second.requests} requêtes "
        f"dont {second.not_modified} 304 et {second_server['per_project']} par projet "
        f"santé/dépôt_modifié={health_changed:.3f}"
    )
    if failed or found != repos:
        raise SystemExit(f"échec du banc : {failed} comptes en échec, {found}/{repos} dépôts")


if __name__ == "__main__":
    main()
