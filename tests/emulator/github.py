"""GitHub REST v3 emulator: users, organisations and their repository listings.

Payloads are the documented response shapes (``payloads/github/*.json``: every field of
GitHub's examples) with URLs rewritten to the emulator. Every answer carries GitHub's
rate-limit headers and a strong ETag (304 on ``If-None-Match``). Listings are paged with
``Link`` headers and GitHub's cap of 100 per page.

    gh = GitHubForge(emulator, prefix="/gh", host="github.com")
    gh.api_url                                   # give it to the crawler (--api-url)
    gh.add_org("etalab", 250)                    # 250 generated repositories
    gh.add_user("jdupont", [{"name": "outil", "license": None}])  # explicit repositories
    gh.rename("old-name", "new-name")            # /users/old-name and /orgs/old-name -> 301
    gh.repos_of("etalab")                        # the payloads served, to compare with
    gh.set_loop("etalab")                        # page 2's Link "next" points back to page 1
    gh.add_org("etalab", [{"name": "site"}, {"name": "vide"}],
               files={"site": {"README.md": "...", "publiccode.yml": "..."}, "vide": None},
               pulls={"site": 2})             # root files (None: empty repository, no HEAD)
                                                 # and open pull requests, for GraphQL
    gh.set_files("etalab", "site", {...})        # same, after the fact
    gh.graphql                                   # the GraphQL endpoint (github_graphql.py)

Routes: ``/users/{login}``, ``/orgs/{login}``, ``/orgs/{login}/repos``,
``/users/{login}/repos``, ``/repos/{owner}/{name}`` (a per-repository request: served so
that a lazy completion would succeed, and counted by tests that forbid it),
``/rate_limit``, and ``POST /graphql`` (:mod:`tests.emulator.github_graphql`, on the same
accounts and repositories).

Files and pull requests do not change the REST payloads (REST's ``open_issues_count`` already
counts open pull requests: GraphQL splits it into ``issues`` and ``pullRequests``).
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug import Request, Response

from tests.emulator.core import Emulator, page_of, page_url
from tests.emulator.github_graphql import GitHubGraphQL

PAYLOADS = Path(__file__).parent / "payloads" / "github"
MAX_PER_PAGE = 100


def _template(name: str) -> str:
    return (PAYLOADS / f"{name}.json").read_text(encoding="utf-8")


@dataclass
class _Account:
    login: str
    type: str  # "Organization" | "User"
    id: int
    fields: dict[str, Any]
    repos: list[dict[str, Any]] = field(default_factory=list)
    loop: bool = False


class GitHubForge:
    def __init__(self, emu: Emulator, *, prefix: str = "/github", host: str = "github.com"):
        self.emu = emu
        self.prefix = prefix.rstrip("/")
        self.host = host
        self.api_url = emu.url + self.prefix
        self.html = f"https://{host}"
        self._accounts: dict[str, _Account] = {}
        self._renamed: dict[str, str] = {}
        self._next_id = 1000
        self._repo_template = _template("repository")
        self._org_template = json.loads(self._rewrite(_template("organization")))
        self._user_template = json.loads(self._rewrite(_template("user")))
        p = self.prefix
        emu.route("GET", rf"{p}/users/(?P<login>[^/]+)", self._user)
        emu.route("GET", rf"{p}/orgs/(?P<login>[^/]+)", self._org)
        emu.route("GET", rf"{p}/(?P<kind>orgs|users)/(?P<login>[^/]+)/repos", self._repos)
        emu.route("GET", rf"{p}/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)", self._repo)
        emu.route("GET", rf"{p}/rate_limit", self._rate_limit)
        #: Root files of each repository by REST id (None: empty repository, no HEAD).
        self.files: dict[int, dict[str, str | bytes] | None] = {}
        #: Open pull requests by REST id (part of REST's ``open_issues_count``).
        self.pulls: dict[int, int] = {}
        self.graphql = GitHubGraphQL(self)

    # -- building accounts -------------------------------------------------------------------

    def _rewrite(self, text: str) -> str:
        return (
            text.replace("https://api.github.com", "\x00API\x00")
            .replace("https://github.com", self.html)
            .replace("\x00API\x00", self.api_url)
        )

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def repo_payload(self, owner: _Account, spec: dict[str, Any]) -> dict[str, Any]:
        name = spec.get("name") or f"depot-{len(owner.repos) + 1:05d}"
        text = self._repo_template.replace("octocat/Hello-World", f"{owner.login}/{name}")
        text = text.replace("/users/octocat", f"/users/{owner.login}").replace(
            "github.com/octocat", f"github.com/{owner.login}"
        )
        payload = json.loads(self._rewrite(text))
        payload.update(
            id=self._id(),
            name=name,
            full_name=f"{owner.login}/{name}",
            node_id=f"R_{name}",
        )
        payload["owner"].update(login=owner.login, id=owner.id, type=owner.type)
        for key, value in spec.items():
            if key == "license" and isinstance(value, str):
                value = {
                    **payload["license"],
                    "spdx_id": value,
                    "key": value.lower(),
                    "name": value,
                }
            payload[key] = value
        return payload

    def _add(
        self,
        login: str,
        kind: str,
        repos: int | list[dict[str, Any]],
        files: Mapping[str, Mapping[str, str | bytes] | None] | None = None,
        pulls: Mapping[str, int] | None = None,
        **fields: Any,
    ):
        account = _Account(login=login, type=kind, id=self._id(), fields=fields)
        specs = [{} for _ in range(repos)] if isinstance(repos, int) else repos
        for spec in specs:
            account.repos.append(self.repo_payload(account, dict(spec)))
        self._accounts[login.lower()] = account
        for name, tree in (files or {}).items():
            self.set_files(login, name, tree)
        for name, count in (pulls or {}).items():
            self.pulls[self._repo_named(account, name)["id"]] = count
        return account.repos

    def add_org(
        self,
        login: str,
        repos: int | list[dict[str, Any]] = 0,
        *,
        files: Mapping[str, Mapping[str, str | bytes] | None] | None = None,
        pulls: Mapping[str, int] | None = None,
        **fields: Any,
    ):
        return self._add(login, "Organization", repos, files, pulls, **fields)

    def add_user(
        self,
        login: str,
        repos: int | list[dict[str, Any]] = 0,
        *,
        files: Mapping[str, Mapping[str, str | bytes] | None] | None = None,
        pulls: Mapping[str, int] | None = None,
        **fields: Any,
    ):
        return self._add(login, "User", repos, files, pulls, **fields)

    @staticmethod
    def _repo_named(account: _Account, name: str) -> dict[str, Any]:
        for repo in account.repos:
            if repo["name"] == name:
                return repo
        raise KeyError(f"{account.login}/{name}")

    def set_files(self, login: str, name: str, files: Mapping[str, str | bytes] | None) -> None:
        """The files of a repository's default branch (None: an empty repository)."""
        repo = self._repo_named(self._accounts[login.lower()], name)
        self.files[repo["id"]] = None if files is None else dict(files)

    def account(self, login: str) -> _Account | None:
        """The account named ``login`` now (any case); None when unknown or renamed away."""
        return self._accounts.get(login.lower())

    def account_payload(self, account: _Account, *, org: bool) -> dict[str, Any]:
        """The ``/orgs/{login}`` (``org``) or ``/users/{login}`` payload of ``account``."""
        return self._account_payload(account, org)

    def add_repo(self, login: str, **spec: Any) -> dict[str, Any]:
        account = self._accounts[login.lower()]
        payload = self.repo_payload(account, spec)
        account.repos.append(payload)
        return payload

    def remove_repo(self, login: str, name: str) -> None:
        account = self._accounts[login.lower()]
        account.repos = [r for r in account.repos if r["name"] != name]

    def update_repo(self, login: str, name: str, **changes: Any) -> None:
        for repo in self._accounts[login.lower()].repos:
            if repo["name"] == name:
                repo.update(changes)

    def repos_of(self, login: str) -> list[dict[str, Any]]:
        return list(self._accounts[login.lower()].repos)

    def rename(self, old: str, new: str) -> None:
        account = self._accounts.pop(old.lower())
        account.login = new
        for repo in account.repos:
            repo["owner"]["login"] = new
            repo["full_name"] = f"{new}/{repo['name']}"
            repo["html_url"] = f"{self.html}/{new}/{repo['name']}"
        self._accounts[new.lower()] = account
        self._renamed[old.lower()] = new

    def set_loop(self, login: str) -> None:
        self._accounts[login.lower()].loop = True

    # -- handlers ----------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": "4999",
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Used": "1",
            "X-RateLimit-Resource": "core",
            "X-GitHub-Media-Type": "github.v3; format=json",
        }

    def _not_found(self, request: Request) -> Response:
        return self.emu.json(
            request,
            {
                "message": "Not Found",
                "documentation_url": "https://docs.github.com/rest",
                "status": "404",
            },
            status=404,
            headers=self._headers(),
        )

    def _moved(self, request: Request, kind: str, login: str) -> Response | None:
        new = self._renamed.get(login.lower())
        if new is None:
            return None
        location = request.path.replace(f"/{kind}/{login}", f"/{kind}/{new}", 1)
        return Response(
            json.dumps({"message": "Moved Permanently", "url": self.emu.url + location}),
            status=301,
            headers={"Location": self.emu.url + location, **self._headers()},
            content_type="application/json",
        )

    def _account_payload(self, account: _Account, org: bool) -> dict[str, Any]:
        base = copy.deepcopy(self._org_template if org else self._user_template)
        text = json.dumps(base).replace("/orgs/github", f"/orgs/{account.login}")
        text = text.replace("/users/octocat", f"/users/{account.login}")
        payload = json.loads(text)
        payload.update(
            login=account.login,
            id=account.id,
            type=account.type,
            html_url=f"{self.html}/{account.login}",
            public_repos=sum(1 for repo in account.repos if not repo.get("private")),
            name=account.login.title(),
        )
        if not org:
            payload["url"] = f"{self.api_url}/users/{account.login}"
            payload["repos_url"] = f"{self.api_url}/users/{account.login}/repos"
        else:
            payload["url"] = f"{self.api_url}/orgs/{account.login}"
            payload["repos_url"] = f"{self.api_url}/orgs/{account.login}/repos"
        payload.update(account.fields)
        return payload

    def _user(self, request: Request, match: Any) -> Response:
        login = match["login"]
        moved = self._moved(request, "users", login)
        if moved:
            return moved
        account = self._accounts.get(login.lower())
        if account is None:
            return self._not_found(request)
        payload = self._account_payload(account, org=False)
        if account.type == "Organization":
            # /users/{org} answers the user shape with type "Organization" (no bio).
            payload.update(bio=None, hireable=None, email=None)
        return self.emu.json(request, payload, headers=self._headers())

    def _org(self, request: Request, match: Any) -> Response:
        login = match["login"]
        moved = self._moved(request, "orgs", login)
        if moved:
            return moved
        account = self._accounts.get(login.lower())
        if account is None or account.type != "Organization":
            return self._not_found(request)
        return self.emu.json(
            request, self._account_payload(account, org=True), headers=self._headers()
        )

    def _repos(self, request: Request, match: Any) -> Response:
        kind, login = match["kind"], match["login"]
        moved = self._moved(request, kind, login)
        if moved:
            return moved
        account = self._accounts.get(login.lower())
        if account is None or (kind == "orgs" and account.type != "Organization"):
            return self._not_found(request)
        if account.loop:
            info = page_of(request, len(account.repos), max_per_page=MAX_PER_PAGE)
            nxt = page_url(request, 1 if info.page >= 2 else info.page + 1)
            headers = {**self._headers(), "Link": f'<{nxt}>; rel="next"'}
            items = account.repos[info.start : info.end]
            return self.emu.json(request, items, headers=headers)
        return self.emu.paginate(
            request, account.repos, max_per_page=MAX_PER_PAGE, headers=self._headers()
        )

    def _repo(self, request: Request, match: Any) -> Response:
        account = self._accounts.get(match["owner"].lower())
        for repo in account.repos if account else ():
            if repo["name"] == match["name"]:
                return self.emu.json(request, repo, headers=self._headers())
        return self._not_found(request)

    def _rate_limit(self, request: Request, match: Any) -> Response:
        core = {"limit": 5000, "remaining": 4999, "reset": int(time.time()) + 3600, "used": 1}
        return self.emu.json(
            request, {"resources": {"core": core}, "rate": core}, headers=self._headers()
        )
