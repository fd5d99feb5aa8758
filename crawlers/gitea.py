"""Gitea, Forgejo and Gogs adapter: a small client over the shared ``requests`` session.

Endpoints (API root ``https://HOST/api/v1``):

* organisation: ``GET /orgs/{org}`` then the pages of ``/orgs/{org}/repos``;
* user (when ``/orgs/{owner}`` answers 404): ``GET /users/{u}`` then ``/users/{u}/repos``;
* whole instance: the pages of ``/repos/search`` (``{"ok": true, "data": [...]}``).

Paging: the server caps ``limit`` (``[api] MAX_RESPONSE_ITEMS``, 50 by default, whatever the
client asks). The page size sent is the value of ``/settings/api`` ``max_response_items``
when the server publishes it (Gitea, Forgejo; read once per crawler), 50 otherwise. The
client follows ``Link: rel="next"`` (a ``Link`` header without ``next`` marks the last page);
without any link it goes on while ``X-Total-Count`` says items are missing; a server that
sends neither is read until an empty page. A short page is never taken as the last one. A
next link already followed, or a page made only of repositories already seen while the
server claims more pages, is a pagination loop and raises
:class:`~crawlers.errors.MalformedResponse` instead of hanging; so does a listing longer than
its page cap: ``ceil(X-Total-Count / page size) + 1`` pages (the page size the server really
serves; one page of slack for repositories created meanwhile) when the server declares a
total, :data:`MAX_PAGES` otherwise. A server whose ``next`` links never end while it claims
100 repositories stops after 3 pages of 50.

Gogs lists an owner's repositories in one unpaginated answer (``page`` is ignored): a second
page repeating the first therefore ends the listing when the server sent no paging header.
Gogs fields differ (no ``archived``, ``topics``, ``language`` nor ``licenses``; the owner has
``username``): missing fields stay None.

Repositories: ``id`` is ``<host>:<repo id>``, ``name`` the repository name,
``organization_name`` the owner's login, ``homepage`` the ``website`` field, ``license`` from
``licenses`` (Gitea >= 1.22) normalised to SPDX, ``language`` from ``language``,
``last_update``/``last_modification`` from ``updated_at``. No per-repository request ever.
Private or internal repositories (visible with a token) are left out.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import Any

import requests

from crawlers.base import ForgeKind, Known, Listing, Target
from crawlers.dates import iso_utc
from crawlers.errors import CrawlerError, ForgeUnavailable, MalformedResponse, OwnerNotFound
from crawlers.licenses import normalize_license, original_license
from inventory.model import Organisation, Repository

DEFAULT_LIMIT = 50
#: Upper bound of the page size asked, whatever ``/settings/api`` says.
MAX_LIMIT = 100
#: Page cap of a listing whose server declares no total (100,000 repositories at 50).
MAX_PAGES = 2000


def page_cap(total: int | None, limit: int) -> int:
    """The most pages a listing of ``total`` repositories may take (see the module doc)."""
    if total is None:
        return MAX_PAGES
    return min(MAX_PAGES, -(-total // max(limit, 1)) + 1)


class GiteaClient:
    """GET-only JSON client of one Gitea-family API root, paging included."""

    def __init__(
        self, session: requests.Session, api_url: str, *, where: str, settings: bool = True
    ) -> None:
        self._session = session
        self._api_url = api_url.rstrip("/")
        self._where = where
        self._limit: int | None = None if settings else DEFAULT_LIMIT

    def url(self, path: str) -> str:
        return f"{self._api_url}/{path.lstrip('/')}"

    def get(
        self, path_or_url: str, params: Mapping[str, Any] | None = None
    ) -> tuple[Any, requests.Response]:
        """``(decoded JSON, response)``; 404 -> :class:`OwnerNotFound`, other errors mapped."""
        url = path_or_url if "://" in path_or_url else self.url(path_or_url)
        try:
            response = self._session.get(url, params=params)
        except CrawlerError:
            raise
        except requests.TooManyRedirects:
            raise MalformedResponse(f"{self._where} : trop de redirections") from None
        except requests.RequestException:
            raise ForgeUnavailable(f"{self._where} : forge injoignable") from None
        if response.status_code == 404:
            raise OwnerNotFound(f"{self._where} : introuvable (HTTP 404)")
        if response.status_code in (401, 403):
            raise ForgeUnavailable(f"{self._where} : accès refusé (HTTP {response.status_code})")
        if response.status_code != 200:
            raise ForgeUnavailable(
                f"{self._where} : réponse inattendue (HTTP {response.status_code})"
            )
        try:
            return json.loads(response.content), response
        except ValueError:
            raise MalformedResponse(f"{self._where} : réponse JSON illisible ou tronquée") from None

    def on_root(self, url: str) -> str:
        """A server link moved onto the configured API root.

        Gitea builds ``Link`` headers from its ``ROOT_URL``; behind ``--api-url`` (a mirror, a
        proxy, the tests) following them as is would leave the configured root.
        """
        if url.startswith(self._api_url + "/"):
            return url
        parts = urllib.parse.urlsplit(url)
        if "/api/v1/" not in parts.path:
            return url
        rest = parts.path.split("/api/v1/", 1)[1]
        query = f"?{parts.query}" if parts.query else ""
        return f"{self._api_url}/{rest}{query}"

    def page_limit(self) -> int:
        """The server's page cap from ``/settings/api`` (Gitea, Forgejo), else 50. Read once."""
        if self._limit is None:
            limit = DEFAULT_LIMIT
            try:
                settings, _ = self.get("/settings/api")
            except (OwnerNotFound, ForgeUnavailable, MalformedResponse):
                settings = None  # Gogs and old Gitea: no such endpoint
            if isinstance(settings, Mapping):
                value = settings.get("max_response_items")
                if isinstance(value, int) and value > 0:
                    limit = min(value, MAX_LIMIT)
            self._limit = limit
        return self._limit

    def pages(
        self, path: str, params: Mapping[str, Any] | None = None, *, paginated: bool = True
    ) -> Iterator[list[Any]]:
        """Every page of a list endpoint (plain list or ``{"data": [...]}``), loops refused.

        ``paginated=False`` is for endpoints documented as answering everything at once
        (Gogs owner listings): one request, unless the server sends paging headers anyway.
        """
        limit = self.page_limit()
        page = 1
        query: dict[str, Any] | None = {**(params or {}), "page": page, "limit": limit}
        url = self.url(path)
        followed: set[str] = set()
        seen: set[Any] = set()
        count = largest = 0
        while True:
            data, response = self.get(url, query)
            items = data.get("data") if isinstance(data, Mapping) else data
            if not isinstance(items, list):
                raise MalformedResponse(f"{self._where} : une liste de dépôts était attendue")
            ids = {item.get("id") if isinstance(item, Mapping) else None for item in items}
            fresh = ids - seen
            links = response.links
            next_url = links.get("next", {}).get("url")
            total = _int(response.headers.get("X-Total-Count"))
            paged = bool(links) or total is not None
            if items and not fresh:
                if paged:
                    raise MalformedResponse(
                        f"{self._where} : boucle de pagination (page {page} déjà lue)"
                    )
                return  # the server ignores ``page`` (Gogs): the first answer was complete
            seen |= ids
            count += len(items)
            yield items
            if not paginated and not paged:
                return
            largest = max(largest, len(items))  # the server may serve less than asked
            cap = page_cap(total, min(limit, largest or limit))
            if page >= cap and (next_url or (items and (total is None or count < total))):
                raise MalformedResponse(
                    f"{self._where} : pagination sans fin ({page} pages lues, "
                    + (
                        f"le serveur annonce {total} dépôts"
                        if total is not None
                        else "aucun total annoncé"
                    )
                    + ") : listage abandonné"
                )
            page += 1
            if next_url:
                if next_url in followed:
                    raise MalformedResponse(
                        f"{self._where} : boucle de pagination (lien « next » déjà suivi)"
                    )
                followed.add(next_url)
                url, query = self.on_root(next_url), None
            elif links or not items or (total is not None and count >= total):
                return  # links without "next": the last page; or nothing more to read
            else:
                url, query = self.url(path), {**(params or {}), "page": page, "limit": limit}


class GiteaCrawler:
    """:class:`crawlers.base.Crawler` for Gitea, Forgejo and Gogs."""

    def __init__(
        self, session: requests.Session, *, forge: ForgeKind | str = ForgeKind.GITEA
    ) -> None:
        self._session = session
        self._forge = ForgeKind(forge)
        self._clients: dict[str, GiteaClient] = {}

    def _client(self, target: Target) -> GiteaClient:
        client = self._clients.get(target.api_url)
        if client is None:
            client = GiteaClient(
                self._session,
                target.api_url,
                where=target.host,
                settings=ForgeKind(target.forge) is not ForgeKind.GOGS,
            )
            self._clients[target.api_url] = client
        return client

    def crawl(self, target: Target, known: Known) -> Listing:
        client = self._client(target)
        forge = ForgeKind(target.forge).value if target.forge else self._forge.value
        if target.owner is None:
            repos = _repositories(target, forge, _items(client.pages("/repos/search")))
            return Listing(target, _instance_organisations(target, forge, repos), repos)
        owner = urllib.parse.quote(target.owner, safe="")
        try:
            account, _ = client.get(f"/orgs/{owner}")
            kind = "orgs"
        except OwnerNotFound:
            try:
                account, _ = client.get(f"/users/{owner}")
            except OwnerNotFound:
                raise OwnerNotFound(
                    f"{target.host} : ni organisation ni utilisateur « {target.owner} » (HTTP 404)"
                ) from None
            kind = "users"
        if not isinstance(account, Mapping):
            raise MalformedResponse(f"{target.key} : compte illisible")
        login = str(
            account.get("username") or account.get("login") or account.get("name") or target.owner
        )
        listing = client.pages(
            f"/{kind}/{urllib.parse.quote(login, safe='')}/repos",
            paginated=ForgeKind(forge) is not ForgeKind.GOGS,
        )
        repos = _repositories(target, forge, _items(listing), organization_name=login)
        organisation = _organisation(target, forge, account, login, len(repos))
        renamed = login if login.lower() != target.owner.lower() else None
        return Listing(target, (organisation,), repos, renamed_to=renamed)


# --------------------------------------------------------------------------------------------
# Normalisation


def _items(pages: Iterator[list[Any]]) -> Iterator[Mapping[str, Any]]:
    for page in pages:
        for item in page:
            if not isinstance(item, Mapping) or "id" not in item:
                raise MalformedResponse("réponse Gitea inattendue : un dépôt sans identifiant")
            yield item


def _repositories(
    target: Target,
    forge: str,
    items: Iterator[Mapping[str, Any]],
    *,
    organization_name: str | None = None,
) -> tuple[Repository, ...]:
    result: dict[str, Repository] = {}
    for item in items:
        if item.get("private") or item.get("internal"):
            continue
        repo = _repository(target, forge, item, organization_name)
        result[repo.id] = repo
    return tuple(result.values())


def _repository(
    target: Target, forge: str, r: Mapping[str, Any], organization_name: str | None
) -> Repository:
    owner = r.get("owner") or {}
    if organization_name is None:
        organization_name = str(
            owner.get("login") or owner.get("username") or str(r.get("full_name", "")).split("/")[0]
        )
    updated = iso_utc(r.get("updated_at"))
    archived = r.get("archived")
    return Repository(
        id=f"{target.host}:{r['id']}",
        name=str(r.get("name") or r["id"]),
        organization_name=organization_name,
        platform=target.host,
        repository_url=str(r.get("html_url") or ""),
        forge=forge,
        description=r.get("description") or None,
        default_branch=r.get("default_branch") or None,
        is_fork=bool(r.get("fork")) if "fork" in r else None,
        is_archived=bool(archived) if archived is not None else None,
        creation_date=iso_utc(r.get("created_at")),
        last_update=updated,
        last_modification=updated,
        homepage=r.get("website") or None,
        stars_count=_int(r.get("stars_count")),
        forks_count=_int(r.get("forks_count")),
        license=_license(r.get("licenses")),
        license_original=original_license(r.get("licenses")),
        open_issues_count=_int(r.get("open_issues_count")),
        language=r.get("language") or None,
        topics=tuple(str(t) for t in (r.get("topics") or ())),
        pso_id=target.pso_id,
    )


def _license(licenses: Any) -> str | None:
    """Gitea >= 1.22 ``licenses`` (SPDX names of the licence files found) -> one expression."""
    if isinstance(licenses, str):
        licenses = [licenses]
    if not isinstance(licenses, list):
        return None
    found: list[str] = []
    for value in licenses:
        spdx = normalize_license(value)
        if spdx and spdx not in found:
            found.append(spdx)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    return " AND ".join(f"({s})" if " " in s else s for s in found)


def _organisation(
    target: Target, forge: str, a: Mapping[str, Any], login: str, count: int
) -> Organisation:
    return Organisation(
        login=login,
        platform=target.host,
        forge=forge,
        name=a.get("full_name") or None,
        description=a.get("description") or None,
        organization_url=a.get("html_url") or f"https://{target.host}/{login}",
        website=a.get("website") or None,
        avatar_url=a.get("avatar_url") or None,
        repositories_count=count,
        creation_date=iso_utc(a.get("created")),
        pso_id=target.pso_id,
        floss_policy=target.floss_policy,
        ospo_url=target.ospo_url,
    )


def _instance_organisations(
    target: Target, forge: str, repos: tuple[Repository, ...]
) -> tuple[Organisation, ...]:
    counts: dict[str, int] = {}
    for repo in repos:
        counts[repo.organization_name] = counts.get(repo.organization_name, 0) + 1
    return tuple(
        Organisation(
            login=login,
            platform=target.host,
            forge=forge,
            organization_url=f"https://{target.host}/{urllib.parse.quote(login)}",
            repositories_count=count,
            pso_id=target.pso_id,
            floss_policy=target.floss_policy,
            ospo_url=target.ospo_url,
        )
        for login, count in sorted(counts.items())
    )


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
