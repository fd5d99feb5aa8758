"""Gather repository health signals from the forges, within a budget.

Used by the crawl for what its listing does not carry (:mod:`inventory.catalogue.crawl`: GitLab,
the Gitea family, and GitHub listed over REST) and by the standalone ``inventory health``.
For each repository **changed since its last health check** (its ``last_update`` differs from
the one recorded, or it was never checked, or the check failed), the files at the root of its
default branch are read, and a ``publiccode.yml`` found there is parsed and checked
(:mod:`inventory.catalogue.publiccode`):

* GitHub (github.com and GitHub Enterprise): GraphQL, **batched**: one query asks for up to
  :data:`GITHUB_BATCH` repositories at once (aliases), each with
  ``object(expression: "HEAD:")`` (the root tree's entry names) and
  ``object(expression: "HEAD:publiccode.yml")`` (its text): at most one request per 50
  changed repositories, never one per repository. GitHub's GraphQL API needs a token
  (``GITHUB_TOKEN`` or ``INVENTORY_TOKEN_<HOST>``); without one the GitHub repositories are
  skipped and the summary says so.
* GitLab: GraphQL, **batched** too (:class:`GitLabFetcher`): one ``POST /api/graphql`` asks
  for up to :data:`GITLAB_BATCH` projects (aliases ``pN: project(fullPath: $pN)``, which any
  GitLab since 13.12 answers), each with its root tree's blob and tree names and the text of
  ``publiccode.yml``/``publiccode.yaml`` (``Repository.blobs(paths:)``, ``rawTextBlob``).
  The batch size keeps the query well under GitLab's complexity limit (see
  :data:`GITLAB_BATCH`). An instance that cannot answer (endpoint absent, HTTP 4xx, a GraphQL
  error without data such as an unknown field on an old GitLab or a complexity limit) is
  switched to the REST path below for the rest of the run after that one failed request (one
  per crawl worker of the host, each keeping its fetcher): one request per changed repository
  (``GET /projects/:path/repository/tree``), plus one to read ``publiccode.yml``
  (``.../repository/files/publiccode.yml/raw``) only when the tree shows one. A project
  whose fields failed in an otherwise good answer is read over REST at once.
* Gitea, Forgejo, Gogs: one request per changed repository (``GET /repos/:owner/:name/
  contents``), plus one to read ``publiccode.yml`` (``/raw/publiccode.yml``) only when present.

:func:`fetcher_for` picks the fetcher of a forge; the crawl (:mod:`inventory.catalogue.crawl`) and
``inventory health`` both use it. (GitHub listed through GraphQL, the crawl's default with a
token, needs none of this: its listing query carries the signals, :mod:`crawlers.github_graphql`.)

Nothing is asked again for an unchanged repository, so a second run with nothing changed
sends no request. Requests go through the shared HTTP layer (:func:`crawlers.http.
make_session`: retries, ``Retry-After``, rate-limit resets, a far reset defers the forge).
Results are stored in the crawl database, table ``repository_health`` (store migration 2,
rows written by :mod:`inventory.catalogue.health_rows`): by the crawl with each owner's listing, in
the same transaction; by ``inventory health`` one committed row per repository.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import requests

from crawlers.base import ForgeKind
from crawlers.errors import CrawlerError, RateLimited
from crawlers.http import HttpPolicy, Stats, api_root, make_session, token_for
from inventory.catalogue.health import PUBLICCODE_NAMES, HealthSignals, observe
from inventory.catalogue.health_rows import COLUMNS, StoredHealth, from_row, values
from inventory.catalogue.sidetables import SideTable, read_rows
from inventory.model import Repository

GITHUB_BATCH = 50

#: GitLab projects per GraphQL query. GitLab refuses a query whose complexity exceeds 200
#: (unauthenticated) or 250 (with a token). Its score (``Types::BaseField``): each field
#: costs 1, plus 1 when it calls Gitaly; a field with a resolver costs its children + 1 (+ the
#: number of ``paths`` for ``Repository.blobs``) + 1 for Gitaly, and a connection resolver is
#: then multiplied by ``1 + 0.01 x page size`` (100, so x 2). For one project of
#: :func:`gitlab_query`: ``name`` 1, ``nodes`` 2, ``Tree.blobs`` (Gitaly) 4, ``Tree.trees``
#: 3, ``tree`` 7 + 1 + 1 = 9, ``Repository.blobs`` (3 + 3 + 1) x 2 = 14, ``repository``
#: 1 + 9 + 14 = 24, ``project`` 25. Five projects score about 125: under the anonymous
#: limit with a wide margin (an older GitLab that scores connections by page size refuses
#: the query, and the fetcher falls back to REST). The query text stays under 2,000
#: characters, far below any query size limit.
GITLAB_BATCH = 5


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- storage ------------------------------------------------------------------------------


class HealthStore(SideTable):
    """The ``repository_health`` table of the crawl database."""

    table = "repository_health"

    def load(self) -> dict[str, StoredHealth]:
        return {row["repository_id"]: from_row(row) for row in self._rows()}

    def save(
        self,
        repository: Repository,
        signals: HealthSignals | None,
        *,
        error: str | None = None,
        now: str | None = None,
    ) -> None:
        self._insert(
            COLUMNS,
            values(
                repository.id,
                repository.last_update,
                signals,
                checked_at=now or _now(),
                error=error,
            ),
        )


def read_health(path: Path | str | None) -> dict[str, HealthSignals]:
    """Stored signals by repository id, read-only; ``{}`` when none were gathered."""
    found = {}
    for row in read_rows(path, HealthStore.table):
        stored = from_row(row)
        if stored.signals is not None:
            found[row["repository_id"]] = stored.signals
    return found


# --- fetchers -----------------------------------------------------------------------------


Outcome = tuple[Repository, "HealthSignals | CrawlerError"]


def _path_of(repository: Repository) -> str:
    return urllib.parse.urlsplit(repository.repository_url).path.strip("/").removesuffix(".git")


def _signals(names: Sequence[str], text: str | None, repository: Repository) -> HealthSignals:
    return observe(list(names), text, repository.repository_url)


def _json(response: requests.Response, what: str) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        raise CrawlerError(f"réponse illisible pour {what}") from None


class RestFetcher:
    """GitLab and the Gitea family: one listing request per repository (+ publiccode.yml)."""

    def __init__(
        self,
        session: requests.Session,
        api: str,
        forge: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.session = session
        self.api = api.rstrip("/")
        self.gitlab = forge == "gitlab"
        self.headers = dict(headers or {})
        #: Requests sent (the crawl summary counts them apart from the listing's).
        self.requests = 0

    def _get(self, url: str) -> requests.Response:
        self.requests += 1
        return self.session.get(url, headers=self.headers or None)

    def _tree(self, repository: Repository) -> tuple[str, list[str]]:
        path = _path_of(repository)
        if self.gitlab:
            base = f"{self.api}/projects/{urllib.parse.quote(path, safe='')}"
            url = f"{base}/repository/tree?per_page=100"
        else:
            base = f"{self.api}/repos/{urllib.parse.quote(path, safe='/')}"
            url = f"{base}/contents"
        response = self._get(url)
        if response.status_code == 404:
            return base, []  # an empty repository has no tree
        if response.status_code != 200:
            raise CrawlerError(f"HTTP {response.status_code} pour {repository.repository_url}")
        entries = _json(response, repository.repository_url)
        if not isinstance(entries, list):
            raise CrawlerError(f"réponse inattendue pour {repository.repository_url}")
        names = [str(e.get("name")) for e in entries if isinstance(e, dict) and e.get("name")]
        return base, names

    def fetch(self, repositories: Sequence[Repository]) -> Iterator[Outcome]:
        for repository in repositories:
            try:
                base, names = self._tree(repository)
                text = None
                found = next((n for n in names if n.lower() in PUBLICCODE_NAMES), None)
                if found:
                    quoted = urllib.parse.quote(found, safe="")
                    url = (
                        f"{base}/repository/files/{quoted}/raw?ref=HEAD"
                        if self.gitlab
                        else f"{base}/raw/{quoted}"
                    )
                    response = self._get(url)
                    if response.status_code == 200:
                        text = response.content.decode("utf-8", errors="replace")
                outcome: HealthSignals | CrawlerError = _signals(names, text, repository)
            except RateLimited:
                raise
            except CrawlerError as exc:
                outcome = exc
            yield repository, outcome


class Fetcher(Protocol):
    """What :func:`fetcher_for` returns: signals per repository, and the requests sent."""

    @property
    def requests(self) -> int: ...

    def fetch(self, repositories: Sequence[Repository]) -> Iterator[Outcome]: ...


_GITLAB_FIELDS = (
    "repository { tree { blobs(first: 100) { nodes { name } } "
    "trees(first: 100) { nodes { name } } } "
    f"blobs(paths: {json.dumps(list(PUBLICCODE_NAMES))}) {{ nodes {{ path rawTextBlob }} }} }}"
)


def gitlab_query(batch: Sequence[Repository]) -> tuple[str, dict[str, str]]:
    """One GraphQL query for a batch of GitLab projects (paths passed as variables)."""
    declarations = []
    selections = []
    variables: dict[str, str] = {}
    for position, repository in enumerate(batch):
        variables[f"p{position}"] = _path_of(repository)
        declarations.append(f"$p{position}: ID!")
        selections.append(f"p{position}: project(fullPath: $p{position}) {{ {_GITLAB_FIELDS} }}")
    query = f"query({', '.join(declarations)}) {{ {' '.join(selections)} }}"
    return query, variables


def gitlab_graphql_url(api: str) -> str:
    """``https://HOST/api/v4`` -> ``https://HOST/api/graphql`` (any root minus ``/v4``)."""
    return api.rstrip("/").removesuffix("/v4") + "/graphql"


class _Unanswerable(Exception):
    """The instance cannot answer the batched query: use REST for the rest of the run."""


def _names(tree: Any) -> list[str]:
    names: list[str] = []
    if not isinstance(tree, dict):
        return names  # an empty repository has no tree
    for kind in ("blobs", "trees"):
        connection = tree.get(kind)
        nodes = connection.get("nodes") if isinstance(connection, dict) else None
        for node in nodes if isinstance(nodes, list) else []:
            if isinstance(node, dict) and isinstance(node.get("name"), str) and node["name"]:
                names.append(node["name"])
    return names


def _publiccode_text(blobs: Any) -> str | None:
    nodes = blobs.get("nodes") if isinstance(blobs, dict) else None
    texts = {
        node.get("path"): node.get("rawTextBlob")
        for node in (nodes if isinstance(nodes, list) else [])
        if isinstance(node, dict)
    }
    for name in PUBLICCODE_NAMES:
        if isinstance(texts.get(name), str):
            return texts[name]
    return None


class GitLabFetcher:
    """GitLab: batched GraphQL, REST when the instance cannot answer (module docstring)."""

    def __init__(
        self,
        session: requests.Session,
        api: str,
        *,
        token: str | None = None,
        batch: int = GITLAB_BATCH,
    ) -> None:
        self.session = session
        self.url = gitlab_graphql_url(api)
        self.batch = max(1, batch)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.rest = RestFetcher(
            session, api, "gitlab", headers={"PRIVATE-TOKEN": token} if token else None
        )
        #: False once the instance failed to answer the query: REST for the rest of the run.
        self.graphql = True
        self.posts = 0

    @property
    def requests(self) -> int:
        return self.posts + self.rest.requests

    def fetch(self, repositories: Sequence[Repository]) -> Iterator[Outcome]:
        pending = list(repositories)
        while pending and self.graphql:
            batch, rest = pending[: self.batch], pending[self.batch :]
            try:
                outcomes, again = self._query(batch)
            except _Unanswerable:
                self.graphql = False
                break
            pending = rest
            yield from outcomes
            yield from self.rest.fetch(again)
        yield from self.rest.fetch(pending)

    def _query(self, batch: Sequence[Repository]) -> tuple[list[Outcome], list[Repository]]:
        """Outcomes of the batch, and the projects GraphQL failed on (asked again over REST)."""
        query, variables = gitlab_query(batch)
        self.posts += 1
        response = self.session.post(
            self.url, json={"query": query, "variables": variables}, headers=self.headers or None
        )
        if response.status_code != 200:  # 5xx and 429 were retried by the session already
            raise _Unanswerable(response.status_code)
        try:
            payload = _json(response, "la requête GraphQL de GitLab")
        except CrawlerError as exc:
            return [(r, exc) for r in batch], []
        if not isinstance(payload, dict):
            error = CrawlerError("réponse inattendue de la requête GraphQL de GitLab")
            return [(r, error) for r in batch], []
        data = payload.get("data")
        if not isinstance(data, dict):  # errors without data: unknown field, complexity...
            raise _Unanswerable(payload.get("errors"))
        failed: dict[object, str] = {}
        for error in payload.get("errors") or []:
            path = error.get("path") if isinstance(error, dict) else None
            if isinstance(path, list) and path:
                failed.setdefault(path[0], str(error.get("message") or "erreur"))
        outcomes: list[Outcome] = []
        again: list[Repository] = []
        for position, repository in enumerate(batch):
            alias = f"p{position}"
            node = data.get(alias)
            if not isinstance(node, dict):  # not found, or not visible without a token
                reason = f" ({failed[alias]})" if alias in failed else ""
                message = f"projet introuvable par GraphQL : {repository.repository_url}{reason}"
                outcomes.append((repository, CrawlerError(message)))
            elif alias in failed:
                again.append(repository)  # a field failed for this project only
            else:
                found = node.get("repository")
                found = found if isinstance(found, dict) else {}
                names = _names(found.get("tree"))
                text = _publiccode_text(found.get("blobs"))
                outcomes.append((repository, _signals(names, text, repository)))
        return outcomes, again


def fetcher_for(
    session: requests.Session, forge: ForgeKind | str, api_url: str, token: str | None = None
) -> Fetcher:
    """The fetcher of a forge, from its API root (the crawl's :attr:`Target.api_url`).

    GitHub: batched GraphQL, which needs ``token`` (:class:`CrawlerError` without one); it
    serves the repositories listed over REST (``--github-rest``, or an owner GraphQL does not
    know), since the GraphQL listing already carries the signals. GitLab: batched GraphQL with
    a REST fallback. Gitea family: REST. ``token`` authenticates GitHub's and GitLab's requests
    (PyGithub's and python-gitlab's sessions carry none); the Gitea family reads the
    ``Authorization`` header of ``session`` itself.
    """
    kind = ForgeKind(forge)
    if kind is ForgeKind.GITHUB:
        if not token:
            raise CrawlerError("jeton nécessaire pour relever les signaux de santé")
        return GitHubFetcher(session, github_graphql_url(api_url), token=token)
    if kind is ForgeKind.GITLAB:
        return GitLabFetcher(session, api_url, token=token)
    return RestFetcher(session, api_url, kind.value)


_GITHUB_FIELDS = (
    'root: object(expression: "HEAD:") { ... on Tree { entries { name } } } '
    'publiccode: object(expression: "HEAD:publiccode.yml") { ... on Blob { text } }'
)


def github_query(batch: Sequence[Repository]) -> tuple[str, dict[str, str]]:
    """One GraphQL query for a batch (names passed as variables, never interpolated)."""
    declarations = []
    selections = []
    variables: dict[str, str] = {}
    for position, repository in enumerate(batch):
        owner, _, name = _path_of(repository).partition("/")
        variables[f"o{position}"] = owner
        variables[f"n{position}"] = name
        declarations.append(f"$o{position}: String!, $n{position}: String!")
        selections.append(
            f"r{position}: repository(owner: $o{position}, name: $n{position}) "
            f"{{ {_GITHUB_FIELDS} }}"
        )
    query = f"query({', '.join(declarations)}) {{ {' '.join(selections)} }}"
    return query, variables


def github_graphql_url(api_url: str) -> str:
    """GitHub's GraphQL endpoint from its REST root, as PyGithub derives it: GitHub Enterprise
    ``https://HOST/api/v3`` -> ``https://HOST/api/graphql``; any other root (api.github.com,
    a mirror or the emulator given with ``--api-url``) -> ``ROOT/graphql``."""
    root = api_url.rstrip("/")
    if root.endswith("/api/v3"):
        return root.removesuffix("/v3") + "/graphql"
    return root + "/graphql"


class GitHubFetcher:
    """GitHub: batched GraphQL (see the module docstring)."""

    def __init__(self, session: requests.Session, url: str, *, token: str) -> None:
        self.session = session
        self.url = url
        self._headers = {"Authorization": f"bearer {token}"}
        #: Requests sent (the crawl summary counts them apart from the listing's).
        self.requests = 0

    def fetch(self, repositories: Sequence[Repository]) -> Iterator[Outcome]:
        for start in range(0, len(repositories), GITHUB_BATCH):
            batch = repositories[start : start + GITHUB_BATCH]
            query, variables = github_query(batch)
            self.requests += 1
            response = self.session.post(
                self.url, json={"query": query, "variables": variables}, headers=self._headers
            )
            if response.status_code != 200:
                error = CrawlerError(f"GraphQL de GitHub : HTTP {response.status_code}")
                yield from ((r, error) for r in batch)
                continue
            try:
                payload = _json(response, "la requête GraphQL de GitHub")
            except CrawlerError as exc:
                yield from ((r, exc) for r in batch)
                continue
            data = payload.get("data") if isinstance(payload, dict) else None
            data = data if isinstance(data, dict) else {}
            for position, repository in enumerate(batch):
                node = data.get(f"r{position}")
                if not isinstance(node, dict):
                    yield (
                        repository,
                        CrawlerError(
                            f"dépôt introuvable par GraphQL : {repository.repository_url}"
                        ),
                    )
                    continue
                root = node.get("root") if isinstance(node.get("root"), dict) else {}
                entries = root.get("entries") if isinstance(root.get("entries"), list) else []
                names = [str(e["name"]) for e in entries if isinstance(e, dict) and e.get("name")]
                blob = node.get("publiccode") if isinstance(node.get("publiccode"), dict) else {}
                text = blob.get("text") if isinstance(blob.get("text"), str) else None
                yield repository, _signals(names, text, repository)


# --- one run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthSummary:
    checked: int = 0
    skipped: int = 0
    failed: tuple[str, ...] = ()
    deferred: tuple[str, ...] = ()  # hosts skipped (no token, rate limit far away)
    requests: int = 0

    @property
    def complete(self) -> bool:
        return not self.failed and not self.deferred


def due(
    repositories: Sequence[Repository], known: Mapping[str, StoredHealth], *, force: bool
) -> list[Repository]:
    """Repositories never checked, failed, or changed since their last check."""
    result = []
    for repository in repositories:
        stored = known.get(repository.id)
        if (
            force
            or stored is None
            or stored.error is not None
            or stored.repo_last_update != repository.last_update
        ):
            result.append(repository)
    return result


@dataclass
class _Run:
    checked: int = 0
    failed: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)


def _record(
    store: HealthStore,
    repository: Repository,
    outcome: HealthSignals | CrawlerError,
    run: _Run,
    now: str,
) -> None:
    if isinstance(outcome, HealthSignals):
        store.save(repository, outcome, now=now)
        run.checked += 1
    else:
        store.save(repository, None, error=str(outcome), now=now)
        run.failed.append(f"{repository.repository_url} : {outcome}")


def gather(
    repositories: Sequence[Repository],
    store: HealthStore,
    *,
    api_overrides: Mapping[str, str] | None = None,
    policy: HttpPolicy | None = None,
    environ: Mapping[str, str] | None = None,
    force: bool = False,
    limit: int | None = None,
    now: Callable[[], str] = _now,
) -> HealthSummary:
    """Gather and store the signals of the due repositories (see the module docstring)."""
    todo = due(repositories, store.load(), force=force)
    skipped = len(repositories) - len(todo)
    if limit is not None:
        todo = todo[: max(0, limit)]
    by_host: dict[tuple[str, str], list[Repository]] = defaultdict(list)
    for repository in todo:
        by_host[(repository.platform.lower(), str(repository.forge))].append(repository)
    stats = Stats()
    run = _Run()
    for (host, forge), items in sorted(by_host.items()):
        token = token_for(host, environ)
        if forge == "github" and not token:
            run.deferred.append(f"{host} (jeton nécessaire pour l'API GraphQL)")
            continue
        headers: dict[str, str] = {}
        if token and forge not in ("github", "gitlab"):  # those fetchers authenticate themselves
            headers["Authorization"] = f"token {token}"
        session = make_session(host, stats=stats, etags=None, policy=policy, headers=headers)
        try:
            fetcher = fetcher_for(session, forge, api_root(host, forge, api_overrides), token)
            done: set[str] = set()
            try:
                for repository, outcome in fetcher.fetch(items):
                    done.add(repository.id)
                    _record(store, repository, outcome, run, now())
            except RateLimited as exc:
                run.deferred.append(f"{host} ({exc})")
            except CrawlerError as exc:  # the whole forge failed (retries exhausted)
                for repository in items:
                    if repository.id not in done:
                        _record(store, repository, exc, run, now())
        finally:
            session.close()
    return HealthSummary(
        checked=run.checked,
        skipped=skipped,
        failed=tuple(run.failed),
        deferred=tuple(run.deferred),
        requests=stats.requests,
    )
