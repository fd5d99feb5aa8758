"""Emulators of the file-listing endpoints the health signals use (GitHub GraphQL, GitLab, Gitea).

Registered on a shared :class:`~tests.emulator.core.Emulator`, under their own prefixes:

* ``POST {GITHUB}/graphql``: GitHub's GraphQL API for the batched query of
  :func:`inventory.catalogue.health_pass.github_query` (aliases ``rN: repository(owner: $oN, name:
  $nN)`` with ``root: object(expression: "HEAD:")`` and ``publiccode: object(expression:
  "HEAD:publiccode.yml")``); an unknown repository answers ``null`` with a ``NOT_FOUND``
  entry in ``errors``, as GitHub does; no ``Authorization`` header gives ``401``.
* ``POST {GITLAB minus /v4}/graphql`` (``/gl/api/v4`` -> ``/gl/api/graphql``, as
  ``https://HOST/api/v4`` -> ``https://HOST/api/graphql``): GitLab's GraphQL API, parsed,
  validated and executed by graphql-core against ``payloads/gitlab/schema.graphql`` (a
  hand-written subset of GitLab's schema), so an unknown field fails validation as on GitLab:
  HTTP 200, ``errors`` and no ``data``. ``project(fullPath:)`` is ``null`` for an unknown
  project (no error, as GitLab does for a project it does not show); a project of
  :attr:`Files.empty` has a repository without a tree. Connections are capped at 100 nodes.
  The query's complexity is scored as GitLab's ``Types::BaseField`` does (see
  :func:`gitlab_complexity`) and refused above 200 without a token, 250 with one
  (:attr:`Files.gitlab_max_complexity` overrides both), with GitLab's message.
  :attr:`Files.gitlab_graphql` emulates older instances: ``"absent"`` answers 404,
  ``"old"`` uses the schema without ``Repository.blobs``. A project of
  :attr:`Files.broken` gets a field error on ``Repository.blobs`` (``null`` there, an entry in
  ``errors``), the rest of the answer intact.
* ``GET {GITLAB}/projects/:path/repository/tree`` and
  ``.../repository/files/:file/raw`` (GitLab v4 shapes).
* ``GET {GITEA}/repos/:owner/:name/contents`` and ``.../raw/:file`` (Gitea v1 shapes).

:attr:`Files.repos` maps ``owner/name`` (GitLab: the full path) to ``{file name: text}``; a
name ending with ``/`` is a directory (a ``trees`` entry for GitLab's GraphQL).
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    build_schema,
    execute,
    get_named_type,
    parse,
    validate,
    value_from_ast,
)
from werkzeug import Request, Response

from tests.emulator.core import Emulator

GITHUB = "/health-gh"
GITLAB = "/health-gl"
GITEA = "/health-gt"

_ALIAS = re.compile(r"r(\d+): repository\(owner: \$o\1, name: \$n\1\)")

GITLAB_SCHEMA = Path(__file__).parent / "payloads" / "gitlab" / "schema.graphql"
#: GitLab's limits (``GitlabSchema``): complexity without / with a token, and page size.
GITLAB_MAX_COMPLEXITY = 200
GITLAB_AUTHENTICATED_MAX_COMPLEXITY = 250
GITLAB_MAX_PAGE_SIZE = 100

# What GitLab declares on the fields of the subset (``calls_gitaly``, a resolver class, a
# connection resolver): what its complexity score depends on.
_GITALY = {("Repository", "tree"), ("Repository", "blobs"), ("Tree", "blobs")}
_GITALY |= {("Tree", "submodules"), ("Repository", "rootRef"), ("Repository", "empty")}
_GITALY |= {("Repository", "exists")}
_RESOLVERS = {("Query", "project"), ("Repository", "tree"), ("Repository", "blobs")}
_CONNECTION_RESOLVERS = {("Repository", "blobs")}


@cache
def gitlab_schema(old: bool = False) -> GraphQLSchema:
    """The SDL subset; ``old`` drops the line marked ``recent`` (an older GitLab)."""
    lines = GITLAB_SCHEMA.read_text(encoding="utf-8").splitlines()
    if old:
        lines = [line for line in lines if not line.rstrip().endswith("# recent")]
    return build_schema("\n".join(lines))


def gitlab_complexity(
    schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any]
) -> int:
    """The complexity GitLab gives a (valid) query, after ``Types::BaseField``.

    A plain field costs 1 (2 when it calls Gitaly) plus its children; a field with a resolver
    costs its children + 1 (+ the number of ``paths`` for ``Repository.blobs``) + 1 when it
    calls Gitaly, and a connection resolver multiplies that by ``1 + 0.01 x page size``.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))

    def score(parent: Any, selections: SelectionSetNode | None) -> int:
        total = 0
        for node in selections.selections if selections else ():
            if isinstance(node, InlineFragmentNode):
                kind = (
                    schema.get_type(node.type_condition.name.value) if node.type_condition else None
                )
                total += score(kind or parent, node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                fragment = fragments[node.name.value]
                total += score(
                    schema.get_type(fragment.type_condition.name.value), fragment.selection_set
                )
            elif isinstance(node, FieldNode):
                total += field_score(parent, node)
        return total

    def field_score(parent: Any, node: FieldNode) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 1
        definition = parent.fields[name]
        children = score(get_named_type(definition.type), node.selection_set)
        key = (parent.name, name)
        gitaly = 1 if key in _GITALY else 0
        if key not in _RESOLVERS:
            return 1 + gitaly + children
        args = _arguments(definition, node, variables)
        cost = float(children + 1 + len(args.get("paths") or ()) + gitaly)
        if key in _CONNECTION_RESOLVERS:
            limits = [v for v in (args.get("first"), args.get("last")) if isinstance(v, int)]
            cost += cost * min([*limits, GITLAB_MAX_PAGE_SIZE]) * 0.01
        return int(cost)

    return score(schema.query_type, operation.selection_set)


def _arguments(definition: Any, node: FieldNode, variables: dict[str, Any]) -> dict[str, Any]:
    """The field's argument values, variables substituted and defaults applied.

    Public API only (``value_from_ast``): graphql-core's own ``get_argument_values`` is an
    internal whose signature changed between 3.2 and 3.3.
    """
    given = {argument.name.value: argument.value for argument in node.arguments or ()}
    values: dict[str, Any] = {}
    for name, argument in definition.args.items():
        if name in given:
            value = value_from_ast(given[name], argument.type, variables)
        else:
            value = argument.default_value
        if value is not Undefined:
            values[name] = value
    return values


@lru_cache(maxsize=64)
def _checked(query: str, old: bool) -> tuple[DocumentNode, list[dict[str, Any]]]:
    """The parsed query and its validation errors (cached: a crawl sends few query shapes,
    and validation would otherwise dominate the benchmark's emulator)."""
    document = parse(query)
    return document, [e.formatted for e in validate(gitlab_schema(old), document)]


def _connection(items: list[dict[str, Any]], first: int | None = None) -> dict[str, Any]:
    limit = min(first if first is not None else GITLAB_MAX_PAGE_SIZE, GITLAB_MAX_PAGE_SIZE)
    shown = items[: max(0, limit)]
    return {
        "nodes": shown,
        "edges": [{"cursor": str(i), "node": item} for i, item in enumerate(shown)],
        "pageInfo": {
            "hasNextPage": len(items) > len(shown),
            "hasPreviousPage": False,
            "startCursor": "0" if shown else None,
            "endCursor": str(len(shown) - 1) if shown else None,
        },
    }


@dataclass
class Files:
    emulator: Emulator
    repos: dict[str, dict[str, str]] = field(default_factory=dict)
    #: API roots (paths on the emulator); point them at another forge emulator's API root to
    #: serve the file endpoints beside its listing (``/gitea/api/v1``...).
    github: str = GITHUB
    gitlab: str = GITLAB
    gitea: str = GITEA
    #: GitLab projects that exist with an empty repository (no tree; REST answers 404).
    empty: set[str] = field(default_factory=set)
    #: GitLab projects whose ``Repository.blobs`` fails (a field error in GraphQL).
    broken: set[str] = field(default_factory=set)
    #: ``"current"``, ``"old"`` (no ``Repository.blobs``) or ``"absent"`` (404).
    gitlab_graphql: str = "current"
    #: Overrides GitLab's complexity limits (200 anonymous, 250 with a token).
    gitlab_max_complexity: int | None = None

    def __post_init__(self) -> None:
        e = self.emulator
        gl, gt = re.escape(self.gitlab), re.escape(self.gitea)
        e.route("POST", re.escape(self.github) + "/graphql", self._graphql)
        e.route("POST", re.escape(self.gitlab_graphql_path), self._gl_graphql)
        e.route("GET", gl + r"/projects/(?P<path>.+)/repository/tree", self._gl_tree)
        e.route(
            "GET", gl + r"/projects/(?P<path>.+)/repository/files/(?P<file>[^/]+)/raw", self._gl_raw
        )
        e.route("GET", gt + r"/repos/(?P<path>[^/]+/[^/]+)/contents", self._gt_tree)
        e.route("GET", gt + r"/repos/(?P<path>[^/]+/[^/]+)/raw/(?P<file>.+)", self._gt_raw)

    def url(self, prefix: str) -> str:
        return self.emulator.url + prefix

    @property
    def gitlab_graphql_path(self) -> str:
        """GitLab's GraphQL endpoint: the API root minus ``/v4``, plus ``/graphql``."""
        return self.gitlab.rstrip("/").removesuffix("/v4") + "/graphql"

    def _find(self, path: str) -> dict[str, str] | None:
        for key, files in self.repos.items():
            if key.lower() == path.lower():
                return files
        return None

    def _graphql(self, request: Request, match: re.Match[str]) -> Response:
        if not request.headers.get("Authorization"):
            return self.emulator.json(request, {"message": "Requires authentication"}, status=401)
        body = json.loads(request.get_data())
        variables = body.get("variables") or {}
        data: dict[str, object] = {}
        errors = []
        for number in _ALIAS.findall(body["query"]):
            owner, name = variables[f"o{number}"], variables[f"n{number}"]
            files = self._find(f"{owner}/{name}")
            if files is None:
                data[f"r{number}"] = None
                errors.append(
                    {
                        "type": "NOT_FOUND",
                        "path": [f"r{number}"],
                        "message": "Could not resolve to a Repository with the name "
                        f"'{owner}/{name}'.",
                    }
                )
                continue
            text = files.get("publiccode.yml")
            data[f"r{number}"] = {
                "root": {"entries": [{"name": n} for n in sorted(files)]} if files else None,
                "publiccode": {"text": text} if text is not None else None,
            }
        payload: dict[str, object] = {"data": data}
        if errors:
            payload["errors"] = errors
        return self.emulator.json(request, payload)

    # -- GitLab GraphQL ----------------------------------------------------------------------

    def _gl_graphql(self, request: Request, match: re.Match[str]) -> Response:
        if self.gitlab_graphql == "absent":
            return self.emulator.json(request, {"message": "404 Not Found"}, status=404)
        old = self.gitlab_graphql == "old"
        schema = gitlab_schema(old=old)
        try:
            body = json.loads(request.get_data())
            document, problems = _checked(str(body["query"]), old)
        except (ValueError, KeyError, TypeError, GraphQLError) as exc:
            return self.emulator.json(request, {"errors": [{"message": str(exc)}]})
        variables = body.get("variables") or {}
        if problems:
            return self.emulator.json(request, {"errors": problems})
        limit = self.gitlab_max_complexity or (
            GITLAB_AUTHENTICATED_MAX_COMPLEXITY
            if request.headers.get("Authorization") or request.headers.get("PRIVATE-TOKEN")
            else GITLAB_MAX_COMPLEXITY
        )
        try:
            score = gitlab_complexity(schema, document, variables)
        except GraphQLError as exc:
            return self.emulator.json(request, {"errors": [exc.formatted]})
        if score > limit:
            message = f"Query has complexity of {score}, which exceeds max complexity of {limit}"
            return self.emulator.json(request, {"errors": [{"message": message}]})
        result = execute(
            schema, document, root_value={"project": self._gl_project}, variable_values=variables
        )
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [e.formatted for e in result.errors]
        return self.emulator.json(request, payload)

    def _gl_project(self, info: Any, fullPath: str) -> dict[str, Any] | None:
        files = self._find(fullPath)
        empty = any(p.lower() == fullPath.lower() for p in self.empty)
        if files is None and not empty:
            return None
        path = fullPath.rsplit("/", 1)[-1]
        return {
            "id": f"gid://gitlab/Project/{zlib.crc32(fullPath.encode())}",
            "fullPath": fullPath,
            "name": path,
            "path": path,
            "repository": self._gl_repository(fullPath, None if empty else files or {}),
        }

    def _gl_repository(self, full_path: str, files: dict[str, str] | None) -> dict[str, Any]:
        def tree(info: Any, **args: Any) -> dict[str, Any] | None:
            if files is None:
                return None  # GitLab's TreeResolver: nothing when the repository is empty
            entries = [
                {
                    "id": f"{i:040x}",
                    "sha": f"{i:040x}",
                    "name": name.rstrip("/"),
                    "type": "tree" if name.endswith("/") else "blob",
                    "path": name.rstrip("/"),
                    "flatPath": name.rstrip("/"),
                    "mode": "040000" if name.endswith("/") else "100644",
                }
                for i, name in enumerate(sorted(files))
            ]
            blobs = [e for e in entries if e["type"] == "blob"]
            trees = [e for e in entries if e["type"] == "tree"]
            return {
                "blobs": lambda info, first=None, **_: _connection(blobs, first),
                "trees": lambda info, first=None, **_: _connection(trees, first),
                "submodules": lambda info, first=None, **_: _connection([], first),
            }

        def blobs(info: Any, paths: list[str], first: int | None = None, **_: Any) -> Any:
            if any(p.lower() == full_path.lower() for p in self.broken):
                raise GraphQLError("Max blobs size limit exceeded (25 MiB / 20 MiB).")
            found = [
                {
                    "id": f"gid://gitlab/Blob/{i:040x}",
                    "oid": f"{i:040x}",
                    "path": path,
                    "name": path.rsplit("/", 1)[-1],
                    "size": len(files[path].encode("utf-8")),
                    "rawBlob": files[path],
                    "rawTextBlob": files[path],
                }
                for i, path in enumerate(paths)
                if files is not None and path in files and not path.endswith("/")
            ]
            return _connection(found, first)

        return {
            "rootRef": None if files is None else "main",
            "empty": not files,
            "exists": True,
            "tree": tree,
            "blobs": blobs,
        }

    # -- GitLab REST ---------------------------------------------------------------------------

    def _gl_tree(self, request: Request, match: re.Match[str]) -> Response:
        files = self._find(match.group("path"))
        if files is None:
            return self.emulator.json(request, {"message": "404 Project Not Found"}, status=404)
        entries = [
            {
                "id": f"{i:040x}",
                "name": n.rstrip("/"),
                "type": "tree" if n.endswith("/") else "blob",
                "path": n.rstrip("/"),
                "mode": "040000" if n.endswith("/") else "100644",
            }
            for i, n in enumerate(sorted(files))
        ]
        return self.emulator.json(request, entries)

    def _gl_raw(self, request: Request, match: re.Match[str]) -> Response:
        files = self._find(match.group("path")) or {}
        if match.group("file") not in files:
            return self.emulator.json(request, {"message": "404 File Not Found"}, status=404)
        return Response(files[match.group("file")], content_type="text/plain; charset=utf-8")

    def _gt_tree(self, request: Request, match: re.Match[str]) -> Response:
        files = self._find(match.group("path"))
        if files is None:
            return self.emulator.json(request, {"message": "not found"}, status=404)
        entries = [
            {"name": n, "path": n, "type": "file", "size": len(files[n]), "sha": f"{i:040x}"}
            for i, n in enumerate(sorted(files))
        ]
        return self.emulator.json(request, entries)

    def _gt_raw(self, request: Request, match: re.Match[str]) -> Response:
        files = self._find(match.group("path")) or {}
        if match.group("file") not in files:
            return self.emulator.json(request, {"message": "not found"}, status=404)
        return Response(files[match.group("file")], content_type="text/plain; charset=utf-8")
