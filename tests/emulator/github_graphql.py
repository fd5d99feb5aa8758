"""GitHub GraphQL emulator: ``POST {prefix}/graphql`` on a :class:`.github.GitHubForge`.

The path is ``{prefix}/graphql``, or ``/api/graphql`` for a GitHub Enterprise prefix ending in
``/api/v3`` (where PyGithub sends GraphQL queries).

Queries are parsed, validated and executed by graphql-core against
``payloads/github/schema.graphql``, a hand-written subset of GitHub's public schema (same type,
field, argument and enum names), so a query with an unknown field fails validation as on
GitHub: HTTP 200 with ``errors`` and no ``data``. The data are the forge's own accounts and
REST repository payloads (one data set answers both APIs), plus what REST does not show: the
files of each repository (``GitHubForge.files``) and its open pull requests
(``GitHubForge.pulls``: REST's ``open_issues_count`` counts them, GraphQL's ``issues`` does
not).

Behaviour copied from GitHub:

* ``repositoryOwner(login:)`` is case-insensitive and ``null`` for an unknown login, a renamed
  login included (GraphQL does not follow renames; REST answers 301);
* connections need ``first`` or ``last`` (``MISSING_PAGINATION_BOUNDARIES``), at most 100
  (``EXCESSIVE_PAGINATION``), with opaque base64 cursors; ``privacy``,
  ``ownerAffiliations``, ``isFork``, ``isArchived`` and ``orderBy`` are honoured;
* ``object(expression: "HEAD:path")`` resolves to a ``Tree`` or a ``Blob`` of the default
  branch (a ``bytes`` file is binary: ``text`` null); an empty repository (files ``None``)
  has no ``HEAD`` and no ``defaultBranchRef``; a repository given no files has a ``HEAD``
  whose root tree is empty;
* every answer carries ``X-RateLimit-*`` headers with ``X-RateLimit-Resource: graphql``; a
  request without ``Authorization`` gets ``401``.

Faults, besides the emulator's generic ones (``emu.fault(path, "status"|"truncated"...,
method="POST")``)::

    gh.graphql.rate_limit(times=1, status=200, reset_in=3600)  # RATE_LIMITED (200 or 403)
    gh.set_loop("etalab")            # the second page repeats the first page's endCursor
    gh.graphql.endless.add("etalab") # hasNextPage stays true past the last repository
    gh.graphql.ignore_privacy = True # privacy: PUBLIC no longer filters private repositories
    gh.graphql.fail("etalab", status=500, times=None)  # queries whose $login is "etalab"
    gh.graphql.hidden.add("etalab")  # repositoryOwner(login: "etalab") is null (REST unchanged)
    gh.graphql.timeout_above = 60    # a repositories page heavier than 60 times out: its
                                     # weight is ``first``, tripled when a Blob's ``text`` is
                                     # asked (after @include/@skip); GitHub answers HTTP 502
    gh.graphql.timeout_status = 200  # ... or 200, both with GitHub's timeout message
    gh.graphql.timeouts              # how many queries timed out so far
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLError,
    InlineFragmentNode,
    build_schema,
    execute,
    parse,
    validate,
    value_from_ast,
)
from werkzeug import Request, Response

if TYPE_CHECKING:
    from tests.emulator.github import GitHubForge, _Account

SCHEMA_TEXT = "schema.graphql"
MAX_FIRST = 100
#: GitHub's answer to a query it gave up on (its real wording).
TIMEOUT_MESSAGE = (
    "Something went wrong while executing your query. This may be the result of a timeout, "
    "or it could be a GitHub bug. Please include `0000:0000:0000000:0000000:00000000` when "
    "reporting this issue."
)


class _TooHeavy(Exception):
    """Raised by a resolver when the page asked is heavier than ``timeout_above``."""


def _included(node: Any, variables: Mapping[str, Any]) -> bool:
    """Whether ``@include``/``@skip`` keep ``node`` with these variables."""
    for directive in node.directives or ():
        condition = next((arg.value for arg in directive.arguments if arg.name.value == "if"), None)
        value = bool(value_from_ast(condition, GraphQLBoolean, variables))
        if directive.name.value == "include" and not value:
            return False
        if directive.name.value == "skip" and value:
            return False
    return True


def _asks_blob_text(selections: Any, info: Any, blob: bool = False) -> bool:
    """Whether a selection set (directives applied) reads ``text`` on a ``Blob``."""
    for node in selections or ():
        # The request's raw variables, handed through the context (graphql-core's own
        # ``info.variable_values`` changed shape between 3.2 and 3.3).
        if not _included(node, info.context["variables"]):
            continue
        if isinstance(node, FieldNode):
            if blob and node.name.value == "text":
                return True
            if node.selection_set and _asks_blob_text(node.selection_set.selections, info):
                return True
        elif isinstance(node, InlineFragmentNode):
            on_blob = blob or (
                node.type_condition is not None and node.type_condition.name.value == "Blob"
            )
            if _asks_blob_text(node.selection_set.selections, info, on_blob):
                return True
        elif isinstance(node, FragmentSpreadNode):
            fragment = info.fragments[node.name.value]
            on_blob = blob or fragment.type_condition.name.value == "Blob"
            if _asks_blob_text(fragment.selection_set.selections, info, on_blob):
                return True
    return False


class GitHubError(Exception):
    """An error GitHub reports with a ``type`` (``NOT_FOUND``, ``EXCESSIVE_PAGINATION``...)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def cursor_of(index: int) -> str:
    """An opaque cursor naming the item at ``index`` (GitHub's are base64 too)."""
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def index_of(cursor: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        prefix, _, number = text.rpartition(":")
        if prefix != "cursor:v2":
            raise ValueError(text)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise GitHubError(
            "INVALID_CURSOR_ARGUMENTS", f"`{cursor}` does not appear to be a valid cursor."
        ) from None


def connection(
    items: Sequence[Any],
    name: str,
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> dict[str, Any]:
    """A GitHub connection (nodes, edges, pageInfo, totalCount) over ``items``."""
    if first is None and last is None:
        raise GitHubError(
            "MISSING_PAGINATION_BOUNDARIES",
            f"You must provide a `first` or `last` value to properly paginate the `{name}` "
            "connection.",
        )
    for label, value in (("first", first), ("last", last)):
        if value is not None and value > MAX_FIRST:
            raise GitHubError(
                "EXCESSIVE_PAGINATION",
                f"Requesting {value} records on the `{name}` connection exceeds the `{label}` "
                f"limit of {MAX_FIRST} records.",
            )
    start = index_of(after) + 1 if after is not None else 0
    end = index_of(before) if before is not None else len(items)
    start, end = max(0, start), min(len(items), end)
    if first is not None:
        end = min(end, start + max(0, first))
    if last is not None:
        start = max(start, end - max(0, last))
    window = list(range(start, max(start, end)))
    return {
        "totalCount": len(items),
        "nodes": [items[i] for i in window],
        "edges": [{"cursor": cursor_of(i), "node": items[i]} for i in window],
        "pageInfo": {
            "startCursor": cursor_of(window[0]) if window else None,
            "endCursor": cursor_of(window[-1]) if window else None,
            "hasNextPage": end < len(items),
            "hasPreviousPage": start > 0,
        },
    }


@dataclass
class _Fault:
    times: int | None
    status: int
    reset_in: float
    hits: int = 0


_ORDER_KEYS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "NAME": lambda repo: str(repo.get("name", "")).lower(),
    "CREATED_AT": lambda repo: repo.get("created_at") or "",
    "UPDATED_AT": lambda repo: repo.get("updated_at") or "",
    "PUSHED_AT": lambda repo: repo.get("pushed_at") or "",
    "STARGAZERS": lambda repo: repo.get("stargazers_count") or 0,
}


class GitHubGraphQL:
    """Registers ``POST {forge.prefix}/graphql`` on the forge's emulator (see the module doc)."""

    def __init__(self, forge: GitHubForge) -> None:
        from tests.emulator.github import PAYLOADS

        self.forge = forge
        self.schema = build_schema((PAYLOADS / SCHEMA_TEXT).read_text(encoding="utf-8"))
        self.endless: set[str] = set()
        self.ignore_privacy = False
        self.hidden: set[str] = set()
        self.timeout_above: int | None = None
        self.timeout_status = 502
        self.timeouts = 0
        self._faults: list[_Fault] = []
        self._failing: dict[str, _Fault] = {}
        # GitHub Enterprise serves REST under /api/v3 and GraphQL at /api/graphql.
        self.path = forge.prefix.removesuffix("/v3") + "/graphql"
        forge.emu.route("POST", re.escape(self.path), self._handle)

    # -- faults ------------------------------------------------------------------------------

    def rate_limit(
        self, *, times: int | None = 1, status: int = 200, reset_in: float = 3600
    ) -> None:
        """The next ``times`` queries answer GitHub's ``RATE_LIMITED`` error."""
        self._faults.append(_Fault(times, status, reset_in))

    def fail(self, login: str, *, status: int = 500, times: int | None = 1) -> None:
        """The next ``times`` queries for ``login`` (their ``$login`` variable) get ``status``."""
        self._failing[login.lower()] = _Fault(times, status, 0)

    def _failure(self, variables: Mapping[str, Any]) -> int | None:
        fault = self._failing.get(str(variables.get("login", "")).lower())
        if fault is None or (fault.times is not None and fault.hits >= fault.times):
            return None
        fault.hits += 1
        return fault.status

    def _take_fault(self) -> _Fault | None:
        for fault in self._faults:
            if fault.times is None or fault.hits < fault.times:
                fault.hits += 1
                return fault
        return None

    # -- HTTP --------------------------------------------------------------------------------

    def _headers(self, remaining: int = 4999, reset_in: float = 3600) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(int(time.time() + reset_in)),
            "X-RateLimit-Used": str(5000 - remaining),
            "X-RateLimit-Resource": "graphql",
            "X-GitHub-Media-Type": "github.v4; format=json",
        }

    def _answer(self, payload: Any, status: int = 200, **headers: Any) -> Response:
        return Response(
            json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            status=status,
            headers=self._headers(**headers),
            content_type="application/json; charset=utf-8",
        )

    def _handle(self, request: Request, match: Any) -> Response:
        if not request.headers.get("Authorization"):
            return self._answer(
                {
                    "message": "This endpoint requires you to be authenticated.",
                    "documentation_url": "https://docs.github.com/graphql/guides/"
                    "forming-calls-with-graphql#authenticating-with-graphql",
                },
                status=401,
            )
        fault = self._take_fault()
        if fault is not None:
            return self._answer(
                {
                    "errors": [
                        {
                            "type": "RATE_LIMITED",
                            "code": "graphql_rate_limit",
                            "message": "API rate limit exceeded for user ID 1.",
                        }
                    ]
                },
                status=fault.status,
                remaining=0,
                reset_in=fault.reset_in,
            )
        try:
            body = json.loads(request.get_data())
            query = body["query"]
            variables = body.get("variables") or {}
            if not isinstance(query, str) or not isinstance(variables, dict):
                raise ValueError(query)
        except (ValueError, KeyError, TypeError):
            return self._answer(
                {
                    "message": "Problems parsing JSON",
                    "documentation_url": "https://docs.github.com/graphql",
                },
                status=400,
            )
        failure = self._failure(variables)
        if failure is not None:
            return self._answer({"message": "Server Error"}, status=failure)
        try:
            return self._answer(self.run(query, variables, body.get("operationName")))
        except _TooHeavy:
            self.timeouts += 1
            return self._answer(
                {"data": None, "errors": [{"message": TIMEOUT_MESSAGE}]},
                status=self.timeout_status,
            )

    def run(
        self, query: str, variables: Mapping[str, Any], operation: str | None = None
    ) -> dict[str, Any]:
        """Execute ``query`` as GitHub would: the JSON body of the answer."""
        try:
            document = parse(query)
        except GraphQLError as error:
            return {"errors": [_format(error)]}
        problems = validate(self.schema, document)
        if problems:
            return {"errors": [_format(error) for error in problems]}
        result = execute(
            self.schema,
            document,
            root_value={
                "repositoryOwner": self._repository_owner,
                "repository": self._repository_by_name,
            },
            variable_values=dict(variables),
            context_value={"variables": dict(variables)},
            operation_name=operation,
        )
        if any(isinstance(e.original_error, _TooHeavy) for e in result.errors or ()):
            raise _TooHeavy
        payload: dict[str, Any] = {}
        if result.errors:
            payload["errors"] = [_format(error) for error in result.errors]
        if result.data is not None or not result.errors:
            payload["data"] = result.data
        return payload

    # -- resolvers ---------------------------------------------------------------------------

    def _repository_owner(self, info: Any, login: str) -> dict[str, Any] | None:
        account = self.forge.account(login)
        if account is None or account.login.lower() in self.hidden:
            return None
        return self._owner(account)

    def _repository_by_name(
        self, info: Any, owner: str, name: str, followRenames: bool = True
    ) -> dict[str, Any] | None:
        """``repository(owner:, name:)``: null (with a NOT_FOUND error) when unknown."""
        account = self.forge.account(owner)
        if account is not None and account.login.lower() not in self.hidden:
            for repo in account.repos:
                if str(repo.get("name")).lower() == name.lower() and not repo.get("private"):
                    return self._repository(repo)
        raise GitHubError(
            "NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'."
        )

    def _owner(self, account: _Account) -> dict[str, Any]:
        is_org = account.type == "Organization"
        rest = self.forge.account_payload(account, org=is_org)
        return {
            "__typename": account.type,
            "id": f"{'O' if is_org else 'U'}_{account.id}",
            "databaseId": account.id,
            "login": account.login,
            "name": rest.get("name"),
            "description": rest.get("description") if is_org else None,
            "bio": None if is_org else rest.get("bio"),
            "company": rest.get("company"),
            "email": rest.get("email") or "",
            "location": rest.get("location"),
            "websiteUrl": rest.get("blog") or None,
            "avatarUrl": lambda info, size=None: rest.get("avatar_url"),
            "url": rest.get("html_url"),
            "resourcePath": f"/{account.login}",
            "createdAt": rest.get("created_at"),
            "repositories": lambda info, **args: self._repositories(account, args, info),
        }

    def _repositories(
        self, account: _Account, args: Mapping[str, Any], info: Any = None
    ) -> dict[str, Any]:
        if self.timeout_above is not None and info is not None:
            weight = int(args.get("first") or args.get("last") or 0)
            selections = [n.selection_set for n in info.field_nodes if n.selection_set]
            if any(_asks_blob_text(s.selections, info) for s in selections):
                weight *= 3
            if weight > self.timeout_above:
                raise _TooHeavy
        repos: list[dict[str, Any]] = list(account.repos)
        affiliations = args.get("ownerAffiliations")
        if affiliations is not None and "OWNER" not in affiliations:
            repos = []  # the emulator's accounts only own repositories
        privacy = args.get("privacy")
        if privacy is not None and not self.ignore_privacy:
            repos = [r for r in repos if bool(r.get("private")) == (privacy == "PRIVATE")]
        for arg, key in (("isFork", "fork"), ("isArchived", "archived")):
            if args.get(arg) is not None:
                repos = [r for r in repos if bool(r.get(key)) == args[arg]]
        order = args.get("orderBy")
        if order:
            repos.sort(key=_ORDER_KEYS[order["field"]], reverse=order["direction"] == "DESC")
        nodes = [self._repository(repo) for repo in repos]
        page = connection(
            nodes,
            "repositories",
            first=args.get("first"),
            after=args.get("after"),
            last=args.get("last"),
            before=args.get("before"),
        )
        page["totalDiskUsage"] = sum(int(repo.get("size") or 0) for repo in repos)
        info = page["pageInfo"]
        if account.loop and args.get("after") is not None:
            # A broken server: every later page claims to end where the first one did.
            info.update(endCursor=cursor_of(MAX_FIRST - 1), hasNextPage=True)
        if account.login.lower() in {login.lower() for login in self.endless}:
            after = args.get("after")
            end = (index_of(after) if after else -1) + int(args.get("first") or MAX_FIRST)
            info.update(endCursor=cursor_of(end), hasNextPage=True)
        return page

    def _repository(self, repo: Mapping[str, Any]) -> dict[str, Any]:
        repo_id = repo.get("id")
        files = self.forge.files.get(repo_id, {}) if isinstance(repo_id, int) else {}
        pulls = self.forge.pulls.get(repo_id, 0) if isinstance(repo_id, int) else 0
        open_items = int(repo.get("open_issues_count") or 0)
        licence = repo.get("license")
        language = repo.get("language")
        branch = repo.get("default_branch")
        topics = [
            {"id": f"RT_{name}", "topic": {"id": f"T_{name}", "name": name}}
            for name in repo.get("topics") or ()
        ]
        return {
            "__typename": "Repository",
            "id": repo.get("node_id"),
            "databaseId": repo_id,
            "name": repo.get("name"),
            "nameWithOwner": repo.get("full_name"),
            "url": repo.get("html_url"),
            "sshUrl": repo.get("ssh_url"),
            "description": repo.get("description"),
            "homepageUrl": repo.get("homepage"),
            "isFork": bool(repo.get("fork")),
            "isArchived": bool(repo.get("archived")),
            "isPrivate": bool(repo.get("private")),
            "isEmpty": files is None,
            "createdAt": repo.get("created_at"),
            "updatedAt": repo.get("updated_at"),
            "pushedAt": repo.get("pushed_at"),
            "stargazerCount": repo.get("stargazers_count") or 0,
            "forkCount": repo.get("forks_count") or 0,
            "licenseInfo": (
                {
                    "id": licence.get("node_id"),
                    "key": licence.get("key"),
                    "spdxId": licence.get("spdx_id"),
                    "name": licence.get("name"),
                    "url": licence.get("url"),
                }
                if isinstance(licence, Mapping)
                else None
            ),
            "primaryLanguage": {"id": f"L_{language}", "name": language} if language else None,
            "repositoryTopics": lambda info, **args: connection(topics, "repositoryTopics", **args),
            "defaultBranchRef": (
                None
                if files is None or not branch
                else {"id": f"REF_{branch}", "name": branch, "prefix": "refs/heads/"}
            ),
            "issues": lambda info, **args: _count(args, open_items - pulls),
            "pullRequests": lambda info, **args: _count(args, pulls),
            "object": lambda info, expression=None, oid=None: _git_object(
                files, branch, expression
            ),
        }


def _count(args: Mapping[str, Any], open_count: int) -> dict[str, Any]:
    """Issue and pull request connections: the emulator only knows the open ones."""
    states = args.get("states")
    total = open_count if states is None or "OPEN" in states else 0
    return {"totalCount": total, "pageInfo": {"hasNextPage": False, "hasPreviousPage": False}}


def _git_object(
    files: Mapping[str, str | bytes] | None, branch: str | None, expression: str | None
) -> dict[str, Any] | None:
    """``object(expression: "REV:PATH")`` on the default branch; None when nothing is there."""
    if files is None or not expression or ":" not in expression:
        return None
    revision, _, path = expression.partition(":")
    if revision not in ("HEAD", branch):
        return None
    path = path.strip("/")
    if path in files:
        content = files[path]
        binary = isinstance(content, bytes)
        return {
            "__typename": "Blob",
            "text": None if binary else content,
            "byteSize": len(content if binary else content.encode("utf-8")),
            "isBinary": binary,
            "isTruncated": False,
        }
    prefix = f"{path}/" if path else ""
    below = [name[len(prefix) :] for name in files if name.startswith(prefix)]
    if not below and path:
        return None
    entries: dict[str, str] = {}
    for rest in sorted(below):
        head, sep, _ = rest.partition("/")
        entries.setdefault(head, "tree" if sep else "blob")
    return {
        "__typename": "Tree",
        "entries": [
            {
                "name": name,
                "path": prefix + name,
                "type": kind,
                "mode": 16384 if kind == "tree" else 33188,
            }
            for name, kind in entries.items()
        ],
    }


def _format(error: GraphQLError) -> dict[str, Any]:
    """An error as GitHub words it: ``message``, ``locations``, ``path`` and its ``type``."""
    entry: dict[str, Any] = dict(error.formatted)
    entry.pop("extensions", None)
    if isinstance(error.original_error, GitHubError):
        entry["type"] = error.original_error.kind
    return entry
