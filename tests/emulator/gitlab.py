"""GitLab v4 emulator on top of :class:`tests.emulator.core.Emulator`.

Serves, under ``<prefix>/api/v4`` (so several instances can share one server):

* ``GET /groups/:id`` (numeric id or full path, renamed paths answered like GitLab's redirect
  routes: the group under its new path);
* ``GET /groups/:id/projects`` with ``include_subgroups``, ``with_shared``, ``archived``,
  ``visibility``, ``order_by=id``/``sort`` and offset pagination (``x-page``, ``x-per-page``,
  ``x-next-page``, ``x-prev-page``, ``x-total``, ``x-total-pages`` -- the totals omitted
  beyond 10,000 items like GitLab -- and a ``Link`` header with first/prev/next/last);
* ``GET /users?username=``, ``GET /users/:id_or_username/projects``;
* ``GET /projects``: keyset pagination (``pagination=keyset&order_by=id``, ``id_after``,
  ``Link: rel="next"`` only) or offset pagination;
* ``GET /projects/:id`` (``license=true`` adds ``license_url`` and ``license``) and
  ``GET /projects/:id/languages``.

``per_page`` is capped at 100 as on GitLab. Every answer carries GitLab's ``RateLimit-*``
headers and a strong ETag (304 on ``If-None-Match``), via the core emulator. Payloads are
built from the recorded shapes in ``payloads/gitlab/``.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug import Request, Response

from tests.emulator.core import Emulator, page_of, page_url

PAYLOADS = Path(__file__).parent / "payloads" / "gitlab"
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
WEB = "https://{host}"


def payload(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))


@dataclass
class GitLabEmulator:
    """One emulated GitLab instance ``host`` served at ``emulator.url + prefix``."""

    emulator: Emulator
    host: str = "gitlab.example.org"
    prefix: str = "/gitlab"
    groups: dict[int, dict[str, Any]] = field(default_factory=dict)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    projects: dict[int, dict[str, Any]] = field(default_factory=dict)
    licenses: dict[int, dict[str, Any] | None] = field(default_factory=dict)
    languages: dict[int, dict[str, float]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    #: The server's per_page cap (GitLab: 100; lower emulates a capping proxy).
    max_per_page: int = MAX_PER_PAGE
    #: When set, the ``next`` link of this page number points back to page 1 (a broken server).
    loop_after_page: int | None = None
    #: When set, pagination links name this root instead of the emulator (GitLab's
    #: ``external_url`` seen through a mirror or proxy).
    external_url: str | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1000))

    def __post_init__(self) -> None:
        api = re.escape(self.prefix) + "/api/v4"
        e = self.emulator
        e.route("GET", api + r"/groups/(?P<id>.+)/projects", self._group_projects)
        e.route("GET", api + r"/groups/(?P<id>.+)", self._group)
        e.route("GET", api + r"/users", self._users)
        e.route("GET", api + r"/users/(?P<id>[^/]+)/projects", self._user_projects)
        e.route("GET", api + r"/projects", self._projects)
        e.route("GET", api + r"/projects/(?P<id>\d+)/languages", self._languages)
        e.route("GET", api + r"/projects/(?P<id>\d+)", self._project)

    # -- addresses -------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"{self.emulator.url}{self.prefix}/api/v4"

    @property
    def api_path(self) -> str:
        """The path prefix of the API, for ``emulator.count``/``fault`` regexes."""
        return re.escape(f"{self.prefix}/api/v4")

    # -- building the instance -------------------------------------------------------------

    def add_group(
        self, path: str, parent: dict[str, Any] | None = None, *, description: str = ""
    ) -> dict[str, Any]:
        group = payload("group")
        gid = next(self._ids)
        full_path = f"{parent['full_path']}/{path}" if parent else path
        name = path.replace("-", " ").title()
        group.update(
            id=gid,
            name=name,
            path=path,
            full_path=full_path,
            full_name=f"{parent['full_name']} / {name}" if parent else name,
            parent_id=parent["id"] if parent else None,
            description=description,
            web_url=f"{WEB.format(host=self.host)}/groups/{full_path}",
        )
        self.groups[gid] = group
        return group

    def add_user(self, username: str, name: str | None = None) -> dict[str, Any]:
        user = payload("user")
        uid = next(self._ids)
        user.update(
            id=uid,
            username=username,
            name=name or username.title(),
            web_url=f"{WEB.format(host=self.host)}/{username}",
            avatar_url=f"{WEB.format(host=self.host)}/uploads/-/system/user/avatar/{uid}/a.png",
        )
        self.users[uid] = user
        return user

    def add_project(
        self,
        owner: dict[str, Any],
        path: str,
        *,
        archived: bool = False,
        forked: bool = False,
        visibility: str = "public",
        empty: bool = False,
        license_key: str | None = None,
        license_name: str | None = None,
        languages: dict[str, float] | None = None,
        last_activity_at: str = "2024-03-01T10:00:00.000Z",
        topics: list[str] | None = None,
        issues_enabled: bool = True,
    ) -> dict[str, Any]:
        project = payload("project")
        pid = next(self._ids)
        is_user = "username" in owner
        namespace_path = owner["username"] if is_user else owner["full_path"]
        web = f"{WEB.format(host=self.host)}/{namespace_path}/{path}"
        project.update(
            id=pid,
            name=path.replace("-", " ").title(),
            path=path,
            path_with_namespace=f"{namespace_path}/{path}",
            name_with_namespace=f"{owner.get('full_name') or owner.get('name')} / {path}",
            description=f"Projet {path}",
            web_url=web,
            http_url_to_repo=f"{web}.git",
            ssh_url_to_repo=f"git@{self.host}:{namespace_path}/{path}.git",
            readme_url=None if empty else f"{web}/-/blob/main/README.md",
            default_branch=None if empty else "main",
            archived=archived,
            visibility=visibility,
            empty_repo=empty,
            last_activity_at=last_activity_at,
            updated_at=last_activity_at,
            topics=list(topics or []),
            tag_list=list(topics or []),
            star_count=pid % 7,
            forks_count=pid % 3,
            container_registry_image_prefix=f"registry.{self.host}/{namespace_path}/{path}",
        )
        for key in list(project["_links"]):
            project["_links"][key] = project["_links"][key].replace(
                "/projects/4", f"/projects/{pid}"
            )
        project["namespace"] = {
            "id": owner["id"],
            "name": owner["name"],
            "path": owner["username"] if is_user else owner["path"],
            "kind": "user" if is_user else "group",
            "full_path": namespace_path,
            "parent_id": None if is_user else owner["parent_id"],
            "avatar_url": owner.get("avatar_url"),
            "web_url": owner["web_url"],
        }
        if is_user:
            project["owner"] = {
                k: owner[k]
                for k in ("id", "username", "name", "state", "locked", "avatar_url", "web_url")
            }
        if not issues_enabled:
            project["issues_enabled"] = False
            project["issues_access_level"] = "disabled"
            del project["open_issues_count"]
        else:
            project["open_issues_count"] = pid % 5
        if forked:
            project["forked_from_project"] = payload("forked_from_project")
        self.projects[pid] = project
        if license_key is not None:
            lic = payload("license")
            lic["license"].update(key=license_key, name=license_name or license_key)
            lic["license_url"] = f"{web}/-/blob/main/LICENSE"
            self.licenses[pid] = lic
        else:
            self.licenses[pid] = None
        self.languages[pid] = dict(languages or {})
        return project

    def touch(self, project: dict[str, Any], when: str) -> None:
        """A push: the project's ``last_activity_at`` moves."""
        project["last_activity_at"] = when
        project["updated_at"] = when

    def rename_group(self, group: dict[str, Any], new_path: str) -> None:
        """Rename a top-level group; the old path keeps answering (GitLab redirect routes)."""
        old = group["full_path"]
        self.redirects[old] = new_path
        group.update(
            path=new_path,
            full_path=new_path,
            web_url=f"{WEB.format(host=self.host)}/groups/{new_path}",
        )

    # -- lookups ---------------------------------------------------------------------------

    def _find_group(self, ident: str) -> dict[str, Any] | None:
        ident = urllib.parse.unquote(ident)
        if ident.isdigit():
            return self.groups.get(int(ident))
        ident = self.redirects.get(ident, ident)
        for group in self.groups.values():
            if group["full_path"].lower() == ident.lower():
                return group
        return None

    def _descendants(self, group: dict[str, Any]) -> set[int]:
        found = {group["id"]}
        changed = True
        while changed:
            changed = False
            for g in self.groups.values():
                if g["parent_id"] in found and g["id"] not in found:
                    found.add(g["id"])
                    changed = True
        return found

    # -- responses -------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        now = int(time.time())
        return {
            "RateLimit-Limit": "2000",
            "RateLimit-Observed": "1",
            "RateLimit-Remaining": "1999",
            "RateLimit-Reset": str(now + 60),
            "RateLimit-ResetTime": time.strftime(
                "%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 60)
            ),
            "Cache-Control": "max-age=0, private, must-revalidate",
        }

    def _not_found(self, request: Request, what: str) -> Response:
        return self.emulator.json(request, {"message": f"404 {what} Not Found"}, status=404)

    def _offset_page(self, request: Request, items: list[dict[str, Any]]) -> Response:
        info = page_of(
            request, len(items), max_per_page=self.max_per_page, default_per_page=DEFAULT_PER_PAGE
        )
        total_pages = max(1, math.ceil(info.total / info.per_page))
        headers = self._headers()
        headers.update(
            {
                "X-Page": str(info.page),
                "X-Per-Page": str(info.per_page),
                "X-Prev-Page": str(info.page - 1) if info.page > 1 else "",
                "X-Next-Page": str(info.page + 1) if info.page < total_pages else "",
            }
        )
        if info.total <= 10_000:
            headers["X-Total"] = str(info.total)
            headers["X-Total-Pages"] = str(total_pages)
        links = []
        if info.page > 1:
            links.append(f'<{page_url(request, info.page - 1)}>; rel="prev"')
        if self.loop_after_page is not None and info.page >= self.loop_after_page:
            links.append(f'<{page_url(request, 1)}>; rel="next"')
        elif info.page < total_pages:
            links.append(f'<{page_url(request, info.page + 1)}>; rel="next"')
        links.append(f'<{page_url(request, 1)}>; rel="first"')
        links.append(f'<{page_url(request, total_pages)}>; rel="last"')
        headers["Link"] = self._external(request, ", ".join(links))
        return self.emulator.json(request, items[info.start : info.end], headers=headers)

    def _external(self, request: Request, link: str) -> str:
        if not self.external_url:
            return link
        return link.replace(f"{request.host_url.rstrip('/')}{self.prefix}", self.external_url)

    def _filtered(self, request: Request, projects: list[dict[str, Any]]) -> list[dict[str, Any]]:
        args = request.args
        if "archived" in args:
            wanted = args["archived"].lower() == "true"
            projects = [p for p in projects if p["archived"] is wanted]
        if "visibility" in args:
            projects = [p for p in projects if p["visibility"] == args["visibility"]]
        elif not request.headers.get("PRIVATE-TOKEN"):
            projects = [p for p in projects if p["visibility"] == "public"]
        reverse = args.get("sort", "desc") == "desc"
        key = args.get("order_by", "created_at")
        if key == "id":
            projects = sorted(projects, key=lambda p: p["id"], reverse=reverse)
        else:
            projects = sorted(projects, key=lambda p: (p["created_at"], p["id"]), reverse=reverse)
        return projects

    def _group(self, request: Request, match: re.Match[str]) -> Response:
        group = self._find_group(match["id"])
        if group is None:
            return self._not_found(request, "Group")
        body = copy.deepcopy(group)
        if request.args.get("with_projects", "true").lower() != "false":
            body["projects"] = [
                p for p in self.projects.values() if p["namespace"]["id"] == group["id"]
            ][:100]
            body["shared_projects"] = []
        return self.emulator.json(request, body, headers=self._headers())

    def _group_projects(self, request: Request, match: re.Match[str]) -> Response:
        group = self._find_group(match["id"])
        if group is None:
            return self._not_found(request, "Group")
        if request.args.get("include_subgroups", "false").lower() == "true":
            namespaces = self._descendants(group)
        else:
            namespaces = {group["id"]}
        items = [
            p
            for p in self.projects.values()
            if p["namespace"]["kind"] == "group" and p["namespace"]["id"] in namespaces
        ]
        return self._offset_page(request, self._filtered(request, items))

    def _users(self, request: Request, match: re.Match[str]) -> Response:
        username = request.args.get("username")
        users = list(self.users.values())
        if username is not None:
            users = [u for u in users if u["username"].lower() == username.lower()]
        return self._offset_page(request, users)

    def _user_projects(self, request: Request, match: re.Match[str]) -> Response:
        ident = match["id"]
        user = next(
            (u for u in self.users.values() if str(u["id"]) == ident or u["username"] == ident),
            None,
        )
        if user is None:
            return self._not_found(request, "User")
        items = [
            p
            for p in self.projects.values()
            if p["namespace"]["kind"] == "user" and p["namespace"]["id"] == user["id"]
        ]
        return self._offset_page(request, self._filtered(request, items))

    def _projects(self, request: Request, match: re.Match[str]) -> Response:
        items = self._filtered(request, list(self.projects.values()))
        if request.args.get("pagination") != "keyset":
            return self._offset_page(request, items)
        if request.args.get("order_by") not in ("id", None) and "id_after" not in request.args:
            return self.emulator.json(
                request, {"error": "order_by is invalid for keyset pagination"}, status=405
            )
        try:
            per_page = int(request.args.get("per_page", DEFAULT_PER_PAGE))
            per_page = max(1, min(self.max_per_page, per_page))
        except ValueError:
            per_page = DEFAULT_PER_PAGE
        descending = request.args.get("sort", "desc") == "desc"
        if "id_after" in request.args:
            after = int(request.args["id_after"])
            items = [p for p in items if p["id"] > after]
        if "id_before" in request.args:
            before = int(request.args["id_before"])
            items = [p for p in items if p["id"] < before]
        page = items[:per_page]
        headers = self._headers()
        if len(items) > per_page:
            args = {k: v for k, v in request.args.items() if k not in ("id_after", "id_before")}
            args["id_before" if descending else "id_after"] = str(page[-1]["id"])
            url = f"{request.host_url.rstrip('/')}{request.path}?{urllib.parse.urlencode(args)}"
            headers["Link"] = self._external(request, f'<{url}>; rel="next"')
        return self.emulator.json(request, page, headers=headers)

    def _project(self, request: Request, match: re.Match[str]) -> Response:
        pid = int(match["id"])
        project = self.projects.get(pid)
        if project is None:
            return self._not_found(request, "Project")
        body = copy.deepcopy(project)
        if request.args.get("license", "").lower() == "true":
            lic = self.licenses.get(pid)
            body["license_url"] = lic["license_url"] if lic else None
            body["license"] = copy.deepcopy(lic["license"]) if lic else None
        return self.emulator.json(request, body, headers=self._headers())

    def _languages(self, request: Request, match: re.Match[str]) -> Response:
        pid = int(match["id"])
        if pid not in self.projects:
            return self._not_found(request, "Project")
        return self.emulator.json(request, self.languages.get(pid, {}), headers=self._headers())
