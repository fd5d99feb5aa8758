"""Emulators of the file-listing endpoints the health signals use (GitHub GraphQL, GitLab, Gitea).

Registered on a shared :class:`~tests.emulator.core.Emulator`, under their own prefixes:

* ``POST {GITHUB}/graphql``: GitHub's GraphQL API for the batched query of
  :func:`inventory.health_crawl.github_query` (aliases ``rN: repository(owner: $oN, name:
  $nN)`` with ``root: object(expression: "HEAD:")`` and ``publiccode: object(expression:
  "HEAD:publiccode.yml")``); an unknown repository answers ``null`` with a ``NOT_FOUND``
  entry in ``errors``, as GitHub does; no ``Authorization`` header gives ``401``.
* ``GET {GITLAB}/projects/:path/repository/tree`` and
  ``.../repository/files/:file/raw`` (GitLab v4 shapes).
* ``GET {GITEA}/repos/:owner/:name/contents`` and ``.../raw/:file`` (Gitea v1 shapes).

:attr:`Files.repos` maps ``owner/name`` (GitLab: the full path) to ``{file name: text}``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from werkzeug import Request, Response

from tests.emulator.core import Emulator

GITHUB = "/health-gh"
GITLAB = "/health-gl"
GITEA = "/health-gt"

_ALIAS = re.compile(r"r(\d+): repository\(owner: \$o\1, name: \$n\1\)")


@dataclass
class Files:
    emulator: Emulator
    repos: dict[str, dict[str, str]] = field(default_factory=dict)
    #: API roots (paths on the emulator); point them at another forge emulator's API root to
    #: serve the file endpoints beside its listing (``/gitea/api/v1``...).
    github: str = GITHUB
    gitlab: str = GITLAB
    gitea: str = GITEA

    def __post_init__(self) -> None:
        e = self.emulator
        gl, gt = re.escape(self.gitlab), re.escape(self.gitea)
        e.route("POST", re.escape(self.github) + "/graphql", self._graphql)
        e.route("GET", gl + r"/projects/(?P<path>.+)/repository/tree", self._gl_tree)
        e.route(
            "GET", gl + r"/projects/(?P<path>.+)/repository/files/(?P<file>[^/]+)/raw", self._gl_raw
        )
        e.route("GET", gt + r"/repos/(?P<path>[^/]+/[^/]+)/contents", self._gt_tree)
        e.route("GET", gt + r"/repos/(?P<path>[^/]+/[^/]+)/raw/(?P<file>.+)", self._gt_raw)

    def url(self, prefix: str) -> str:
        return self.emulator.url + prefix

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

    def _gl_tree(self, request: Request, match: re.Match[str]) -> Response:
        files = self._find(match.group("path"))
        if files is None:
            return self.emulator.json(request, {"message": "404 Project Not Found"}, status=404)
        entries = [
            {"id": f"{i:040x}", "name": n, "type": "blob", "path": n, "mode": "100644"}
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
