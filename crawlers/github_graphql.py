"""GitHub's GraphQL: the listing (one query per 100 repositories, owner and root files included)
and the batched reading of root files for repositories listed over REST.

:data:`LISTING_QUERY` asks ``repositoryOwner(login:)`` for the owner's own fields and one page
of its public repositories (``privacy: PUBLIC, ownerAffiliations: [OWNER]``: the set REST
lists with ``/orgs/{login}/repos?type=all`` or ``/users/{login}/repos?type=owner``, minus
private ones), each with the list fields of the REST payload **and** the names at the root of
its default branch (``object(expression: "HEAD:")``) and the text of its ``publiccode.yml``
(or ``publiccode.yaml``): the raw facts of the health signals, at no request of their own. An
owner of ``n`` repositories costs ``max(1, ceil(n / 100))`` requests, owner fields included.

:class:`GitHubRootFiles` reads the same facts for repositories listed over REST
(``--github-rest``, or an owner GraphQL does not know): up to :data:`ROOT_FILES_BATCH`
repositories per query (aliases), never one request per repository.

Every node is turned into the shape of the REST list payload (:func:`repository_as_rest`,
:func:`owner_as_rest`) and normalised by the very functions of the REST path
(:func:`crawlers.github.normalize_repository` and :func:`~crawlers.github.normalize_owner`),
so both modes yield identical :class:`~inventory.model.Repository` and
:class:`~inventory.model.Organisation` values for the same data. Field by field:

============================  ==========================================================
REST (list payload)           GraphQL
============================  ==========================================================
``id``                        ``databaseId``
``html_url``                  ``url``
``homepage``                  ``homepageUrl``
``fork`` / ``archived``       ``isFork`` / ``isArchived`` (``isPrivate``: skipped)
``stargazers_count``          ``stargazerCount``
``forks_count``               ``forkCount``
``open_issues_count``         ``issues(states: OPEN)`` + ``pullRequests(states: OPEN)``
                              (REST counts open pull requests as issues)
``license``                   ``licenseInfo { key spdxId name }``
``language``                  ``primaryLanguage { name }``
``topics``                    ``repositoryTopics(first: 20)`` (GitHub allows 20 topics)
``default_branch``            ``defaultBranchRef { name }``
owner ``public_repos``        ``repositories(privacy: PUBLIC, ...) { totalCount }``
owner ``blog``                ``websiteUrl``
org ``description`` / ``bio`` ``description`` / ``bio``
============================  ==========================================================

One unavoidable difference: an **empty** repository (no commit) has no ``defaultBranchRef``
in GraphQL, so its ``default_branch`` is None, where REST gives the configured name.

Faults (see :func:`read_page`): ``repositoryOwner`` null or a ``NOT_FOUND`` error means the
owner is unknown under that login (GraphQL does not follow renames: the caller asks REST);
``RATE_LIMITED`` raises :class:`~crawlers.errors.RateLimited` with the reset of
``X-RateLimit-Reset``; any other error, a missing ``data`` or an ill-shaped node raises
:class:`~crawlers.errors.MalformedResponse`; a repeated ``endCursor`` or more pages than the
owner's ``totalCount`` allows stops the listing as a pagination loop.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from crawlers.base import RootFilesOutcome, Target
from crawlers.errors import CrawlerError, MalformedResponse, RateLimited
from inventory.model import Repository, RootFiles

PAGE_SIZE = 100


@dataclass(frozen=True)
class PagePlan:
    """How heavy one listing page is: ``size`` repositories, with or without the
    ``publiccode.yml`` texts (without them, those texts are read later by the batched
    root-files query, for the repositories that have such a file)."""

    size: int
    texts: bool = True

    @property
    def hint(self) -> str:
        return str(self.size) if self.texts else f"{self.size}-sans-textes"


#: Lighter and lighter pages, tried in turn when a page times out on GitHub's side.
PLANS = (PagePlan(100), PagePlan(50), PagePlan(25), PagePlan(25, texts=False))


def plan_index(hint: str | None) -> int:
    """The plan a remembered hint names (the heaviest when unknown)."""
    for index, plan in enumerate(PLANS):
        if plan.hint == hint:
            return index
    return 0


class QueryTimeout(CrawlerError):
    """GitHub gave up on a query (HTTP 502/504, or an error saying it may be a timeout)."""


#: Words of the error GitHub answers when a query took too long.
_TIMEOUT_WORDS = ("timeout", "timed out", "something went wrong while executing your query")

#: One page of an owner's repositories (``$first``: at most :data:`PAGE_SIZE`, GitHub's cap),
#: with the owner's own fields; ``$texts`` adds the ``publiccode.yml`` texts (the heavy part);
#: topics are capped at 20 by GitHub, so ``first: 20`` reads them all.
LISTING_QUERY = """
query InventoryListing($login: String!, $cursor: String, $first: Int!, $texts: Boolean!) {
  repositoryOwner(login: $login) {
    __typename
    login
    avatarUrl
    url
    ... on Organization { databaseId name description websiteUrl createdAt }
    ... on User { databaseId name bio websiteUrl createdAt }
    repositories(
      first: $first
      after: $cursor
      privacy: PUBLIC
      ownerAffiliations: [OWNER]
      orderBy: {field: NAME, direction: ASC}
    ) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId name url description homepageUrl
        isFork isArchived isPrivate createdAt updatedAt pushedAt
        stargazerCount forkCount
        licenseInfo { key spdxId name }
        primaryLanguage { name }
        repositoryTopics(first: 20) { nodes { topic { name } } }
        defaultBranchRef { name }
        issues(states: OPEN) { totalCount }
        pullRequests(states: OPEN) { totalCount }
        root: object(expression: "HEAD:") { ... on Tree { entries { name } } }
        publiccode: object(expression: "HEAD:publiccode.yml") @include(if: $texts) {
          ... on Blob { text }
        }
        publiccodeYaml: object(expression: "HEAD:publiccode.yaml") @include(if: $texts) {
          ... on Blob { text }
        }
      }
    }
  }
}
""".strip()

#: ``send(query, variables) -> (response headers, decoded JSON)``; raises on HTTP errors.
Send = Callable[[str, Mapping[str, Any]], tuple[Mapping[str, Any], Any]]


@dataclass(frozen=True)
class OwnerPage:
    """One answer of :data:`LISTING_QUERY`."""

    owner: Mapping[str, Any]
    nodes: tuple[Mapping[str, Any], ...]
    total: int
    has_next: bool
    end_cursor: str | None


@dataclass(frozen=True)
class OwnerListing:
    """Everything the GraphQL listing of one owner yielded (before normalisation); ``plan``
    is the lightest plan it needed, ``texts`` tells, node by node, whether the page carried
    the ``publiccode.yml`` texts."""

    owner: Mapping[str, Any]
    total: int
    nodes: tuple[Mapping[str, Any], ...]
    plan: PagePlan = PLANS[0]
    texts: tuple[bool, ...] = ()


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _one_line(text: Any, limit: int = 160) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return str(value)
    return None


def rate_limited(
    errors: Any, headers: Mapping[str, Any], host: str, now: Callable[[], float] = time.time
) -> RateLimited | None:
    """The :class:`RateLimited` to raise when ``errors`` holds a ``RATE_LIMITED`` entry."""
    if not isinstance(errors, list):
        return None
    if not any(_map(error).get("type") == "RATE_LIMITED" for error in errors):
        return None
    reset_at: float | None = None
    reset = _header(headers, "X-RateLimit-Reset")
    if reset:
        try:
            reset_at = float(reset)
        except ValueError:
            reset_at = None
    when = (
        f"réinitialisation dans {max(0, int(reset_at - now()))} s"
        if reset_at is not None
        else "réinitialisation non indiquée"
    )
    return RateLimited(
        f"limite de requêtes GraphQL atteinte sur {host} ({when}) : forge reportée",
        reset_at=reset_at,
    )


def timed_out(errors: Any) -> bool:
    """Whether GitHub's ``errors`` say the query was given up (a timeout on its side)."""
    if not isinstance(errors, list):
        errors = [errors]
    return any(
        any(word in str(_map(error).get("message", "")).lower() for word in _TIMEOUT_WORDS)
        for error in errors
    )


def _owner_missing(errors: list[Any]) -> bool:
    """Every error says the owner cannot be resolved (``NOT_FOUND`` on ``repositoryOwner``)."""
    return all(
        _map(error).get("type") == "NOT_FOUND"
        and (_map(error).get("path") or ["repositoryOwner"])[0] == "repositoryOwner"
        for error in errors
    )


def read_page(payload: Any, headers: Mapping[str, Any], target: Target) -> OwnerPage | None:
    """One decoded answer as an :class:`OwnerPage`; None when the owner is unknown."""
    who = f"{target.host} pour le compte {target.owner}"
    if not isinstance(payload, Mapping):
        raise MalformedResponse(f"réponse GraphQL illisible de {who}")
    errors = payload.get("errors")
    limited = rate_limited(errors, headers, target.host)
    if limited is not None:
        raise limited
    if errors and timed_out(errors):
        raise QueryTimeout(f"requête GraphQL trop lourde pour {who} (délai de GitHub dépassé)")
    if errors:
        if isinstance(errors, list) and _owner_missing(errors):
            return None
        first = _map(errors[0] if isinstance(errors, list) and errors else errors)
        raise MalformedResponse(
            f"requête GraphQL refusée par {who} : « {_one_line(first.get('message', errors))} »"
        )
    data = payload.get("data")
    if not isinstance(data, Mapping) or "repositoryOwner" not in data:
        raise MalformedResponse(f"réponse GraphQL sans « data » de {who}")
    owner = data["repositoryOwner"]
    if owner is None:
        return None
    connection = _map(_map(owner).get("repositories"))
    info = _map(connection.get("pageInfo"))
    nodes = connection.get("nodes")
    total = connection.get("totalCount")
    if (
        not isinstance(_map(owner).get("login"), str)
        or not isinstance(nodes, list)
        or not isinstance(total, int)
        or not isinstance(info.get("hasNextPage"), bool)
    ):
        raise MalformedResponse(f"réponse GraphQL incomplète de {who}")
    cursor = info.get("endCursor")
    return OwnerPage(
        owner={key: value for key, value in owner.items() if key != "repositories"},
        nodes=tuple(_map(node) for node in nodes if node is not None),
        total=total,
        has_next=info["hasNextPage"],
        end_cursor=cursor if isinstance(cursor, str) else None,
    )


def list_owner(send: Send, target: Target, login: str, *, start: int = 0) -> OwnerListing | None:
    """Every page of ``login``'s repositories; None when GraphQL does not know ``login``.

    Pages follow :data:`PLANS` from ``start`` (the plan remembered from the last crawl): a
    page that times out is asked again, from the same cursor, with the next lighter plan
    (100, 50, 25 repositories, then 25 without the ``publiccode.yml`` texts); when even the
    lightest times out, :class:`QueryTimeout` is raised (the caller lists over REST).

    A repeated ``endCursor``, a next page without a cursor, or more pages than the owner's
    ``totalCount`` allows at the sizes used (one page of slack for repositories created
    meanwhile) raise the pagination-loop :class:`MalformedResponse` of the REST path.
    """
    loop = MalformedResponse(
        f"boucle de pagination sur {target.host} pour le compte {target.owner} : arrêt du listage"
    )
    index = min(max(start, 0), len(PLANS) - 1)
    first: OwnerPage | None = None
    nodes: list[Mapping[str, Any]] = []
    texts: list[bool] = []
    seen: set[str] = set()
    cursor: str | None = None
    consumed = 0
    while True:
        plan = PLANS[index]
        variables = {"login": login, "cursor": cursor, "first": plan.size, "texts": plan.texts}
        try:
            headers, payload = send(LISTING_QUERY, variables)
            page = read_page(payload, headers, target)
        except QueryTimeout:
            if index + 1 >= len(PLANS):
                raise
            index += 1
            continue
        if page is None:
            if first is None:
                return None
            raise MalformedResponse(
                f"le compte {target.owner} a disparu de {target.host} pendant son listage"
            )
        first = first or page
        nodes.extend(page.nodes)
        texts.extend(plan.texts for _ in page.nodes)
        if not page.has_next:
            break
        # Room for the declared total plus one page, whatever the sizes used so far.
        consumed += plan.size
        if page.end_cursor is None or page.end_cursor in seen or consumed > first.total + plan.size:
            raise loop
        seen.add(page.end_cursor)
        cursor = page.end_cursor
    return OwnerListing(
        owner=first.owner,
        total=first.total,
        nodes=tuple(nodes),
        plan=PLANS[index],
        texts=tuple(texts),
    )


def _count(value: Any) -> int | None:
    count = _map(value).get("totalCount")
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def repository_as_rest(node: Mapping[str, Any], login: str) -> dict[str, Any]:
    """A repository node in the shape of GitHub's REST list payload (see the module table)."""
    licence = node.get("licenseInfo")
    language = _map(node.get("primaryLanguage")).get("name")
    branch = _map(node.get("defaultBranchRef")).get("name")
    topics = _map(node.get("repositoryTopics")).get("nodes")
    issues, pulls = _count(node.get("issues")), _count(node.get("pullRequests"))
    return {
        "id": node.get("databaseId"),
        "name": node.get("name"),
        "owner": {"login": login},
        "private": node.get("isPrivate"),
        "html_url": node.get("url"),
        "description": node.get("description"),
        "default_branch": branch,
        "fork": node.get("isFork"),
        "archived": node.get("isArchived"),
        "created_at": node.get("createdAt"),
        "updated_at": node.get("updatedAt"),
        "pushed_at": node.get("pushedAt"),
        "homepage": node.get("homepageUrl"),
        "stargazers_count": node.get("stargazerCount"),
        "forks_count": node.get("forkCount"),
        "license": (
            {
                "key": _map(licence).get("key"),
                "spdx_id": _map(licence).get("spdxId"),
                "name": _map(licence).get("name"),
            }
            if isinstance(licence, Mapping)
            else None
        ),
        "open_issues_count": issues + pulls if issues is not None and pulls is not None else None,
        "language": language,
        "topics": [
            name
            for entry in (topics if isinstance(topics, list) else ())
            if isinstance(name := _map(_map(entry).get("topic")).get("name"), str)
        ],
    }


def owner_as_rest(
    owner: Mapping[str, Any], total: int
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The owner node as the ``/users/{login}`` payload, plus ``/orgs/{login}``'s for an org."""
    user = {
        "login": owner.get("login"),
        "type": owner.get("__typename"),
        "name": owner.get("name"),
        "bio": owner.get("bio"),
        "html_url": owner.get("url"),
        "blog": owner.get("websiteUrl"),
        "avatar_url": owner.get("avatarUrl"),
        "public_repos": total,
        "created_at": owner.get("createdAt"),
    }
    if owner.get("__typename") != "Organization":
        return user, None
    return user, {"description": owner.get("description")}


def root_files_of(node: Mapping[str, Any], *, texts: bool = True) -> RootFiles | None:
    """The root entry names and ``publiccode.yml`` text of a listed node.

    An empty repository (no ``HEAD``) has no root: ``RootFiles()``. A node listed without
    the texts (``texts=False``) whose root holds a ``publiccode.yml`` gives None: its root
    files are read later, by the batched query.
    """
    entries = _map(node.get("root")).get("entries")
    names = tuple(
        name
        for entry in (entries if isinstance(entries, list) else ())
        if isinstance(name := _map(entry).get("name"), str)
    )
    if not texts and any(name.lower() in ("publiccode.yml", "publiccode.yaml") for name in names):
        return None
    text = None
    for alias in ("publiccode", "publiccodeYaml"):
        blob_text = _map(node.get(alias)).get("text")
        if isinstance(blob_text, str):
            text = blob_text
            break
    return RootFiles(names, text)


# --- root files of repositories listed over REST ------------------------------------------

#: Repositories per batched root-files query.
ROOT_FILES_BATCH = 50

_ROOT_FIELDS = (
    'root: object(expression: "HEAD:") { ... on Tree { entries { name } } } '
    'publiccode: object(expression: "HEAD:publiccode.yml") { ... on Blob { text } }'
)


def _owner_and_name(repository: Repository) -> tuple[str, str]:
    path = urllib.parse.urlsplit(repository.repository_url).path.strip("/").removesuffix(".git")
    owner, _, name = path.partition("/")
    return owner, name


def root_files_query(batch: Sequence[Repository]) -> tuple[str, dict[str, str]]:
    """One GraphQL query for a batch (names passed as variables, never interpolated)."""
    declarations = []
    selections = []
    variables: dict[str, str] = {}
    for position, repository in enumerate(batch):
        owner, name = _owner_and_name(repository)
        variables[f"o{position}"] = owner
        variables[f"n{position}"] = name
        declarations.append(f"$o{position}: String!, $n{position}: String!")
        selections.append(
            f"r{position}: repository(owner: $o{position}, name: $n{position}) {{ {_ROOT_FIELDS} }}"
        )
    query = f"query({', '.join(declarations)}) {{ {' '.join(selections)} }}"
    return query, variables


def graphql_url(api_url: str) -> str:
    """GitHub's GraphQL endpoint from its REST root, as PyGithub derives it: GitHub Enterprise
    ``https://HOST/api/v3`` -> ``https://HOST/api/graphql``; any other root (api.github.com,
    a mirror or the emulator given with ``--api-url``) -> ``ROOT/graphql``."""
    root = api_url.rstrip("/")
    if root.endswith("/api/v3"):
        return root.removesuffix("/v3") + "/graphql"
    return root + "/graphql"


class GitHubRootFiles:
    """:class:`crawlers.base.RootFilesReader` for GitHub: batched GraphQL (needs a token)."""

    def __init__(self, session: requests.Session, api_url: str, *, token: str) -> None:
        self.session = session
        self.url = graphql_url(api_url)
        self._headers = {"Authorization": f"bearer {token}"}
        self.requests = 0

    def read(self, repositories: Sequence[Repository]) -> Iterator[RootFilesOutcome]:
        for start in range(0, len(repositories), ROOT_FILES_BATCH):
            batch = repositories[start : start + ROOT_FILES_BATCH]
            query, variables = root_files_query(batch)
            self.requests += 1
            response = self.session.post(
                self.url, json={"query": query, "variables": variables}, headers=self._headers
            )
            if response.status_code != 200:
                error = CrawlerError(f"GraphQL de GitHub : HTTP {response.status_code}")
                yield from ((r, error) for r in batch)
                continue
            try:
                payload = json.loads(response.content)
            except ValueError:
                error = CrawlerError("réponse illisible pour la requête GraphQL de GitHub")
                yield from ((r, error) for r in batch)
                continue
            data = payload.get("data") if isinstance(payload, dict) else None
            data = data if isinstance(data, dict) else {}
            for position, repository in enumerate(batch):
                node = data.get(f"r{position}")
                if not isinstance(node, dict):
                    message = f"dépôt introuvable par GraphQL : {repository.repository_url}"
                    yield repository, CrawlerError(message)
                    continue
                yield repository, root_files_of(node)
