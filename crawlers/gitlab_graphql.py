"""GitLab's GraphQL: root files of projects, batched, with a REST fallback.

One ``POST /api/graphql`` asks for up to :data:`BATCH` projects (aliases ``pN:
project(fullPath: $pN)``, which any GitLab since 13.12 answers), each with its root tree's
blob and tree names and the text of ``publiccode.yml``/``publiccode.yaml``
(``Repository.blobs(paths:)``, ``rawTextBlob``). An instance that cannot answer (endpoint
absent, HTTP 4xx, a GraphQL error without data such as an unknown field on an old GitLab or a
complexity limit) is switched to REST (:class:`crawlers.rootfiles.RestRootFiles`) for the rest
of the run after that one failed request (one per crawl worker of the host, each keeping its
reader). A project whose fields failed in an otherwise good answer is read over REST at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import requests

from crawlers.base import RootFilesOutcome
from crawlers.errors import CrawlerError
from crawlers.rootfiles import RestRootFiles, read_json, repository_path
from inventory.model import PUBLICCODE_FILES, Repository, RootFiles

#: GitLab projects per GraphQL query. GitLab refuses a query whose complexity exceeds 200
#: (unauthenticated) or 250 (with a token). Its score (``Types::BaseField``): each field
#: costs 1, plus 1 when it calls Gitaly; a field with a resolver costs its children + 1 (+ the
#: number of ``paths`` for ``Repository.blobs``) + 1 for Gitaly, and a connection resolver is
#: then multiplied by ``1 + 0.01 x page size`` (100, so x 2). For one project of
#: :func:`query`: ``name`` 1, ``nodes`` 2, ``Tree.blobs`` (Gitaly) 4, ``Tree.trees``
#: 3, ``tree`` 7 + 1 + 1 = 9, ``Repository.blobs`` (3 + 3 + 1) x 2 = 14, ``repository``
#: 1 + 9 + 14 = 24, ``project`` 25. Five projects score about 125: under the anonymous
#: limit with a wide margin (an older GitLab that scores connections by page size refuses
#: the query, and the reader falls back to REST). The query text stays under 2,000
#: characters, far below any query size limit.
BATCH = 5

_FIELDS = (
    "repository { tree { blobs(first: 100) { nodes { name } } "
    "trees(first: 100) { nodes { name } } } "
    f"blobs(paths: {json.dumps(list(PUBLICCODE_FILES))}) {{ nodes {{ path rawTextBlob }} }} }}"
)


def query(batch: Sequence[Repository]) -> tuple[str, dict[str, str]]:
    """One GraphQL query for a batch of GitLab projects (paths passed as variables)."""
    declarations = []
    selections = []
    variables: dict[str, str] = {}
    for position, repository in enumerate(batch):
        variables[f"p{position}"] = repository_path(repository)
        declarations.append(f"$p{position}: ID!")
        selections.append(f"p{position}: project(fullPath: $p{position}) {{ {_FIELDS} }}")
    text = f"query({', '.join(declarations)}) {{ {' '.join(selections)} }}"
    return text, variables


def graphql_url(api: str) -> str:
    """``https://HOST/api/v4`` -> ``https://HOST/api/graphql`` (any root minus ``/v4``)."""
    return api.rstrip("/").removesuffix("/v4") + "/graphql"


class _Unanswerable(Exception):
    """The instance cannot answer the batched query: use REST for the rest of the run."""


def _names(tree: Any) -> tuple[str, ...]:
    names: list[str] = []
    if not isinstance(tree, dict):
        return ()  # an empty repository has no tree
    for kind in ("blobs", "trees"):
        connection = tree.get(kind)
        nodes = connection.get("nodes") if isinstance(connection, dict) else None
        for node in nodes if isinstance(nodes, list) else []:
            if isinstance(node, dict) and isinstance(node.get("name"), str) and node["name"]:
                names.append(node["name"])
    return tuple(names)


def _publiccode_text(blobs: Any) -> str | None:
    nodes = blobs.get("nodes") if isinstance(blobs, dict) else None
    texts = {
        node.get("path"): node.get("rawTextBlob")
        for node in (nodes if isinstance(nodes, list) else [])
        if isinstance(node, dict)
    }
    for name in PUBLICCODE_FILES:
        if isinstance(texts.get(name), str):
            return texts[name]
    return None


class GitLabRootFiles:
    """:class:`crawlers.base.RootFilesReader` for GitLab (see the module docstring)."""

    def __init__(
        self,
        session: requests.Session,
        api: str,
        *,
        token: str | None = None,
        batch: int = BATCH,
    ) -> None:
        self.session = session
        self.url = graphql_url(api)
        self.batch = max(1, batch)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.rest = RestRootFiles(
            session, api, "gitlab", headers={"PRIVATE-TOKEN": token} if token else None
        )
        #: False once the instance failed to answer the query: REST for the rest of the run.
        self.graphql = True
        self.posts = 0

    @property
    def requests(self) -> int:
        return self.posts + self.rest.requests

    def read(self, repositories: Sequence[Repository]) -> Iterator[RootFilesOutcome]:
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
            yield from self.rest.read(again)
        yield from self.rest.read(pending)

    def _query(
        self, batch: Sequence[Repository]
    ) -> tuple[list[RootFilesOutcome], list[Repository]]:
        """Outcomes of the batch, and the projects GraphQL failed on (asked again over REST)."""
        text, variables = query(batch)
        self.posts += 1
        response = self.session.post(
            self.url, json={"query": text, "variables": variables}, headers=self.headers or None
        )
        if response.status_code != 200:  # 5xx and 429 were retried by the session already
            raise _Unanswerable(response.status_code)
        try:
            payload = read_json(response, "la requête GraphQL de GitLab")
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
        outcomes: list[RootFilesOutcome] = []
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
                root = RootFiles(_names(found.get("tree")), _publiccode_text(found.get("blobs")))
                outcomes.append((repository, root))
        return outcomes, again
