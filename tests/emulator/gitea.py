"""Gitea / Forgejo / Gogs emulator on top of :class:`tests.emulator.core.Emulator`.

Gitea flavour, under ``<prefix>/api/v1``: ``GET /settings/api``, ``/orgs/{org}``,
``/orgs/{org}/repos``, ``/users/{u}``, ``/users/{u}/repos`` and ``/repos/search``
(``{"ok": true, "data": [...]}``). Lists are paged with ``page``/``limit``, the server capping
``limit`` at ``max_response_items`` (50 by default) whatever the client asks, like Gitea; each
page carries ``X-Total-Count`` and a ``Link`` header (``next``/``last``/``first``/``prev``).
``publish_settings=False`` emulates a server without ``/settings/api`` (404).

Gogs flavour (``gogs=True``): no ``/settings/api``; ``/orgs/{org}/repos`` and
``/users/{u}/repos`` answer every repository at once and ignore ``page`` (Gogs does not page
them); ``/repos/search`` pages with ``limit`` (capped at 50) and a ``Link`` header but no
``X-Total-Count``. Payload shapes come from ``payloads/gitea/`` (``gogs_*`` for Gogs).
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug import Request, Response

from tests.emulator.core import Emulator, link_header, page_of, page_url

PAYLOADS = Path(__file__).parent / "payloads" / "gitea"


def payload(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))


@dataclass
class GiteaEmulator:
    """One emulated Gitea (or Gogs) instance ``host`` served at ``emulator.url + prefix``."""

    emulator: Emulator
    host: str = "gitea.example.org"
    prefix: str = "/gitea"
    max_response_items: int = 50
    default_paging_num: int = 30
    gogs: bool = False
    publish_settings: bool = True
    #: What ``/settings/api`` claims, when it differs from the real cap (misconfigured proxy).
    advertised_max_response_items: int | None = None
    #: When set, the ``next`` link of this page number points back to page 1 (a broken server).
    loop_after_page: int | None = None
    #: When set, pagination links name this root instead of the emulator (Gitea's
    #: ``ROOT_URL`` seen through a mirror or proxy).
    external_url: str | None = None
    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    repos: dict[int, dict[str, Any]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        api = re.escape(self.prefix) + "/api/v1"
        e = self.emulator
        e.route("GET", api + r"/settings/api", self._settings)
        e.route("GET", api + r"/orgs/(?P<name>[^/]+)/repos", self._owner_repos)
        e.route("GET", api + r"/orgs/(?P<name>[^/]+)", self._org)
        e.route("GET", api + r"/users/(?P<name>[^/]+)/repos", self._owner_repos)
        e.route("GET", api + r"/users/(?P<name>[^/]+)", self._user)
        e.route("GET", api + r"/repos/search", self._search)

    @property
    def api_url(self) -> str:
        return f"{self.emulator.url}{self.prefix}/api/v1"

    @property
    def api_path(self) -> str:
        return re.escape(f"{self.prefix}/api/v1")

    @property
    def page_cap(self) -> int:
        return 50 if self.gogs else self.max_response_items

    # -- building --------------------------------------------------------------------------

    def add_org(self, name: str, *, full_name: str | None = None) -> dict[str, Any]:
        org = payload("gogs_organization" if self.gogs else "organization")
        org.update(
            id=next(self._ids),
            username=name,
            full_name=full_name or name.title(),
            avatar_url=f"https://{self.host}/avatars/{name}",
            website=f"https://{name}.example.org",
        )
        if not self.gogs:
            org["name"] = name
        self.orgs[name] = org
        return org

    def add_user(self, login: str) -> dict[str, Any]:
        user = payload("gogs_user" if self.gogs else "user")
        user.update(id=next(self._ids), username=login, login=login)
        user["avatar_url"] = f"https://{self.host}/avatars/{login}"
        if not self.gogs:
            user["html_url"] = f"https://{self.host}/{login}"
        self.users[login] = user
        return user

    def add_repo(
        self,
        owner: dict[str, Any],
        name: str,
        *,
        archived: bool = False,
        fork: bool = False,
        private: bool = False,
        licenses: list[str] | None = None,
        language: str = "Python",
        topics: list[str] | None = None,
        updated_at: str = "2024-05-06T07:08:09+02:00",
    ) -> dict[str, Any]:
        repo = payload("gogs_repository" if self.gogs else "repository")
        rid = next(self._ids)
        login = owner.get("login") or owner.get("username") or owner["name"]
        html = f"https://{self.host}/{login}/{name}"
        owner_shape = payload("gogs_user" if self.gogs else "user")
        owner_shape.update({k: v for k, v in owner.items() if k in owner_shape})
        owner_shape.update(login=login, username=login)
        repo.update(
            id=rid,
            owner=owner_shape,
            name=name,
            full_name=f"{login}/{name}",
            description=f"Dépôt {name}",
            private=private,
            fork=fork,
            html_url=html,
            ssh_url=f"git@{self.host}:{login}/{name}.git",
            clone_url=f"{html}.git",
            stars_count=rid % 5,
            forks_count=rid % 3,
            updated_at=updated_at,
        )
        if not self.gogs:
            repo.update(
                archived=archived,
                language=language,
                topics=list(topics or []),
                licenses=list(licenses or []),
                url=f"https://{self.host}/api/v1/repos/{login}/{name}",
                languages_url=f"https://{self.host}/api/v1/repos/{login}/{name}/languages",
            )
        self.repos[rid] = repo
        return repo

    # -- responses -------------------------------------------------------------------------

    def _not_found(self, request: Request) -> Response:
        if self.gogs:
            return Response(b"Not Found", status=404, content_type="text/plain")
        return self.emulator.json(
            request,
            {"errors": None, "message": "The target couldn't be found.", "url": ""},
            status=404,
        )

    def _page(
        self, request: Request, items: list[dict[str, Any]], *, wrap: bool, total_header: bool
    ) -> Response:
        info = page_of(
            request,
            len(items),
            max_per_page=self.page_cap,
            default_per_page=10 if self.gogs else self.default_paging_num,
            per_page_param="limit",
        )
        headers: dict[str, str] = {}
        link = link_header(request, info)
        if self.loop_after_page is not None and info.page >= self.loop_after_page:
            link = f'<{page_url(request, 1)}>; rel="next"'
        if link and self.external_url:
            link = link.replace(f"{request.host_url.rstrip('/')}{self.prefix}", self.external_url)
        if link:
            headers["Link"] = link
        if total_header:
            headers["X-Total-Count"] = str(len(items))
            headers["Access-Control-Expose-Headers"] = "X-Total-Count, Link"
        body: Any = items[info.start : info.end]
        if wrap:
            body = {"ok": True, "data": body}
        return self.emulator.json(request, body, headers=headers)

    def _settings(self, request: Request, match: re.Match[str]) -> Response:
        if self.gogs or not self.publish_settings:
            return self._not_found(request)
        body = payload("settings_api")
        body.update(
            max_response_items=self.advertised_max_response_items or self.max_response_items,
            default_paging_num=self.default_paging_num,
        )
        return self.emulator.json(request, body)

    def _org(self, request: Request, match: re.Match[str]) -> Response:
        org = self.orgs.get(match["name"])
        return self.emulator.json(request, org) if org else self._not_found(request)

    def _user(self, request: Request, match: re.Match[str]) -> Response:
        user = self.users.get(match["name"])
        return self.emulator.json(request, user) if user else self._not_found(request)

    def _owner_repos(self, request: Request, match: re.Match[str]) -> Response:
        name = match["name"]
        is_org = "/orgs/" in request.path
        if (is_org and name not in self.orgs) or (not is_org and name not in self.users):
            return self._not_found(request)
        items = [
            copy.deepcopy(r)
            for r in sorted(self.repos.values(), key=lambda r: r["id"])
            if r["owner"]["login"] == name and not r["private"]
        ]
        if self.gogs:
            return self.emulator.json(request, items)  # Gogs: everything, ``page`` ignored
        return self._page(request, items, wrap=False, total_header=True)

    def _search(self, request: Request, match: re.Match[str]) -> Response:
        items = [
            copy.deepcopy(r)
            for r in sorted(self.repos.values(), key=lambda r: r["id"])
            if not r["private"]
        ]
        return self._page(request, items, wrap=True, total_header=not self.gogs)
