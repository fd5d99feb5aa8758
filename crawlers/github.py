"""GitHub adapter (github.com and GitHub Enterprise) on PyGithub, over the shared HTTP layer.

REST request budget per owner: ``GET /users/{login}`` (tells organisation or user), plus
``GET /orgs/{login}`` for an organisation (its description), plus one request per page of
100 repositories (``/orgs/{login}/repos?type=all`` or ``/users/{login}/repos?type=owner``):
at most ``ceil(n / 100) + 2``. Never a per-repository request: PyGithub completes a lazy
object with one request when a missing attribute (or ``raw_data``) is read, so repositories
are listed as :class:`ListedRepository`, a PyGithub object that cannot complete itself and
whose ``raw_data`` is the list payload (it also spares building PyGithub's ~100 attribute
objects per repository).

With a token, the listing goes through GitHub's GraphQL API instead
(:mod:`crawlers.github_graphql`; ``graphql=None`` means "GraphQL when a token is given", as
GitHub's GraphQL API requires one): one ``POST`` per page of 100 repositories carries the
owner's fields and each repository's root files (entry names, ``publiccode.yml`` text):
``max(1, ceil(n / 100))`` requests per owner, no ``/users`` or ``/orgs`` request, except one
``GET /users/{login}`` when GraphQL does not know the login (renamed or deleted account: REST
follows GitHub's 301 or answers 404). PyGithub sends the query (``requestJsonAndCheck`` on
``Requester.graphql_url``, which it derives from the API root: ``https://api.github.com`` ->
``https://api.github.com/graphql``, ``https://HOST/api/v3`` -> ``https://HOST/api/graphql``,
any other ``--api-url`` root ``URL`` -> ``URL/graphql``, a trailing ``/v3`` dropped), so it
goes through the same shared session (retries on 5xx, 429 and secondary limits apply to
POSTs; ETags do not). Unlike REST pages, GraphQL answers cannot be revalidated (they answer
POSTs): a second crawl costs the same requests as the first, each a rate-limit point, where
REST's 304s cost none.

A heavy page can time out on GitHub's side (HTTP 502/504, or a 200 whose error says so): it
is not retried as is but asked again, from the same cursor, lighter (100, 50, 25
repositories, then 25 without the ``publiccode.yml`` texts, which the batched root-files
query reads afterwards; :data:`crawlers.github_graphql.PLANS`); if even that times out, the
owner is listed over REST. The plan that worked is the listing's ``hint``, stored with the
owner and handed back (``Known.hint``) so that the next crawl starts there.

PyGithub's own transport and retry are replaced: its connection classes are swapped (once,
process-wide) for ones that send through the :class:`requests.Session` bound to the current
thread by :func:`bound_session`, i.e. the session of :func:`crawlers.http.make_session`, so
tenacity in :mod:`crawlers.http` is the single retry layer and ETags revalidate every page.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

import requests
from github import Auth, Github, GithubException, UnknownObjectException
from github.GithubObject import NonCompletableGithubObject
from github.PaginatedList import PaginatedList
from github.Requester import Requester, RequestsResponse

from crawlers import github_graphql
from crawlers.base import ForgeKind, Known, Listing, Target
from crawlers.dates import iso_utc
from crawlers.errors import CrawlerError, ForgeUnavailable, MalformedResponse, OwnerNotFound
from crawlers.http import NO_RETRY_HEADER, USER_AGENT, token_env_name
from inventory.model import Organisation, Repository, RootFiles

PER_PAGE = 100
#: The listing hint of an owner listed over REST because GraphQL timed out on it.
REST_HINT = "rest"
#: Page cap of a listing whose owner declares no repository count.
MAX_PAGES = 2000

_local = threading.local()
_inject_lock = threading.Lock()
_injected = False


@contextlib.contextmanager
def bound_session(session: requests.Session) -> Iterator[None]:
    """Route PyGithub's requests made in this thread through ``session``."""
    previous = getattr(_local, "session", None)
    _local.session = session
    try:
        yield
    finally:
        _local.session = previous


class _SessionConnection:
    """Mimics PyGithub's connection classes, sending through the thread's bound session."""

    protocol = "https"

    def __init__(self, host: str, port: int | None = None, **_: Any) -> None:
        self.host = host
        self.port = port

    def request(
        self, verb: str, url: str, input: Any, headers: dict[str, str], stream: bool = False
    ) -> None:
        self.verb, self.url, self.input, self.headers = verb, url, input, headers

    def getresponse(self) -> RequestsResponse:
        session: requests.Session | None = getattr(_local, "session", None)
        if session is None:  # pragma: no cover - programming error
            raise RuntimeError("no HTTP session bound: use crawlers.github.bound_session")
        netloc = self.host if self.port is None else f"{self.host}:{self.port}"
        response = session.request(
            self.verb,
            f"{self.protocol}://{netloc}{self.url}",
            headers=self.headers,
            data=self.input,
            allow_redirects=False,
        )
        return RequestsResponse(response)

    def close(self) -> None:
        """The session outlives PyGithub's connections; nothing to close."""


class _HTTPSConnection(_SessionConnection):
    protocol = "https"


class _HTTPConnection(_SessionConnection):
    protocol = "http"


def _inject() -> None:
    global _injected
    with _inject_lock:
        if not _injected:
            Requester.injectConnectionClasses(_HTTPConnection, _HTTPSConnection)  # type: ignore[arg-type]
            _injected = True


class ListedRepository(NonCompletableGithubObject):
    """A repository of a listing page, kept as its raw payload; never completed."""

    def _initAttributes(self) -> None:
        pass

    def _useAttributes(self, attributes: Any) -> None:
        pass


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def normalize_repository(raw: Mapping[str, Any], target: Target) -> Repository:
    """A GitHub list-payload repository as an :class:`~inventory.model.Repository`."""
    from crawlers.licenses import normalize_license, original_license

    licence = raw.get("license") or {}
    spdx = licence.get("spdx_id") if isinstance(licence, Mapping) else None
    name = licence.get("name") if isinstance(licence, Mapping) else None
    key = licence.get("key") if isinstance(licence, Mapping) else None
    owner = raw.get("owner") or {}
    topics = raw.get("topics") or ()
    return Repository(
        id=f"{target.host}:{raw['id']}",
        name=str(raw["name"]),
        organization_name=str(owner.get("login") or target.owner or ""),
        platform=target.host,
        repository_url=str(raw.get("html_url") or ""),
        forge=ForgeKind.GITHUB.value,
        description=_text(raw.get("description")),
        default_branch=_text(raw.get("default_branch")),
        is_fork=_bool(raw.get("fork")),
        is_archived=_bool(raw.get("archived")),
        creation_date=iso_utc(raw.get("created_at")),
        last_update=iso_utc(raw.get("updated_at")),
        last_modification=iso_utc(raw.get("pushed_at")),
        homepage=_text(raw.get("homepage")),
        stars_count=_int(raw.get("stargazers_count")),
        forks_count=_int(raw.get("forks_count")),
        license=normalize_license(spdx if spdx and spdx != "NOASSERTION" else key, name),
        license_original=original_license(spdx if spdx != "NOASSERTION" else None, name, key, spdx),
        open_issues_count=_int(raw.get("open_issues_count")),
        language=_text(raw.get("language")),
        topics=tuple(str(topic) for topic in topics),
        pso_id=target.pso_id,
    )


def normalize_owner(
    user: Mapping[str, Any], org: Mapping[str, Any] | None, target: Target
) -> Organisation:
    """The owner account (``/users`` payload, plus ``/orgs`` payload for an organisation)."""
    data = {**user, **(org or {})}
    return Organisation(
        login=str(data.get("login") or target.owner),
        platform=target.host,
        forge=ForgeKind.GITHUB.value,
        name=_text(data.get("name")),
        description=_text(data.get("description") if org is not None else data.get("bio")),
        organization_url=_text(data.get("html_url")),
        website=_text(data.get("blog")),
        avatar_url=_text(data.get("avatar_url")),
        repositories_count=_int(data.get("public_repos")),
        creation_date=iso_utc(data.get("created_at")),
        pso_id=target.pso_id,
        floss_policy=target.floss_policy,
        ospo_url=target.ospo_url,
    )


class GitHubCrawler:
    """Lists the repositories of GitHub organisations and users (see the module docstring)."""

    def __init__(
        self, session: requests.Session, *, token: str | None = None, graphql: bool | None = None
    ) -> None:
        _inject()
        self.session = session
        self._token = token
        #: List through GraphQL (health signals included) rather than REST.
        self.graphql = bool(token) if graphql is None else graphql
        self._clients: dict[str, Github] = {}
        self._lock = threading.Lock()

    def _client(self, api_url: str) -> Github:
        api_url = api_url.rstrip("/")
        with self._lock:
            client = self._clients.get(api_url)
            if client is None:
                client = Github(
                    auth=Auth.Token(self._token) if self._token else None,
                    base_url=api_url,
                    per_page=PER_PAGE,
                    retry=None,
                    seconds_between_requests=None,
                    seconds_between_writes=None,
                    user_agent=USER_AGENT,
                )
                self._clients[api_url] = client
            return client

    def crawl(self, target: Target, known: Known) -> Listing:
        if not target.owner:
            raise CrawlerError(
                f"{target.host} : GitHub ne se moissonne que par compte, ajoutez des « owners »"
            )
        with bound_session(self.session):
            try:
                github = self._client(target.api_url)
                if self.graphql and known.hint != REST_HINT:
                    return self._crawl_graphql(github, target, known.hint)
                listing = self._crawl(github, target)
                # Listed over REST because GraphQL could not serve even its lightest page:
                # so again next time (without a token, REST is the only way anyway).
                return dataclasses.replace(listing, hint=REST_HINT) if self.graphql else listing
            except UnknownObjectException:
                raise OwnerNotFound(
                    f"compte introuvable sur {target.host} : {target.owner} (404)"
                ) from None
            except GithubException as exc:
                if exc.status == 401:
                    raise ForgeUnavailable(
                        f"jeton refusé par {target.host} (HTTP 401) : vérifiez "
                        f"{token_env_name(target.host)}"
                        + (" ou GITHUB_TOKEN" if target.host == "github.com" else "")
                    ) from None
                raise ForgeUnavailable(
                    f"{target.host} a répondu HTTP {exc.status} pour le compte {target.owner}"
                ) from None
            except ValueError:
                raise MalformedResponse(
                    f"{target.host} a renvoyé un JSON illisible pour le compte {target.owner}"
                ) from None
            except RuntimeError:  # PyGithub refuses redirects to another host or scheme
                raise MalformedResponse(
                    f"{target.host} a redirigé le compte {target.owner} hors de l'API"
                ) from None

    def _crawl(
        self, github: Github, target: Target, user_raw: dict[str, Any] | None = None
    ) -> Listing:
        assert target.owner is not None
        if user_raw is None:
            user_raw = dict(github.get_user(target.owner).raw_data)
        login = str(user_raw.get("login") or target.owner)
        is_org = user_raw.get("type") == "Organization"
        org_raw: dict[str, Any] | None = None
        if is_org:
            org = github.get_organization(login)
            org_raw = dict(org.raw_data)
            repos_url, kind = f"/orgs/{quote(login, safe='')}/repos", "all"
        else:
            repos_url, kind = f"/users/{quote(login, safe='')}/repos", "owner"
        # A path relative to the API root (not the payload's absolute ``url``): a mirror or
        # proxy given with --api-url keeps receiving every page request.
        paginated = PaginatedList(ListedRepository, github.requester, repos_url, {"type": kind})
        organisation = normalize_owner(user_raw, org_raw, target)
        declared = organisation.repositories_count
        repositories: dict[str, Repository] = {}
        if declared != 0:
            repositories = self._list(paginated, target, declared)
        renamed_to = login if login.lower() != target.owner.lower() else None
        return Listing(
            target=target,
            organisations=(organisation,),
            repositories=tuple(repositories.values()),
            renamed_to=renamed_to,
        )

    def _list(self, paginated: Any, target: Target, declared: int | None) -> dict[str, Repository]:
        """Every repository of the listing, guarding against pagination loops: a run of a
        page of repeats, or more public repositories than the pages the owner's declared
        count needs plus one (:data:`MAX_PAGES` pages when it declares none)."""
        repositories: dict[str, Repository] = {}
        pages = MAX_PAGES if declared is None else -(-declared // PER_PAGE) + 1
        limit = pages * PER_PAGE
        seen = since_new = 0
        for repo in paginated:
            raw = repo.raw_data  # the list payload itself: a ListedRepository never completes
            if not isinstance(raw, dict) or "id" not in raw or "name" not in raw:
                raise MalformedResponse(
                    f"{target.host} a renvoyé un dépôt sans identifiant ni nom pour le compte "
                    f"{target.owner}"
                )
            if raw.get("private"):
                continue
            seen += 1
            repository = normalize_repository(raw, target)
            if repository.id in repositories:
                since_new += 1
            else:
                since_new = 0
                repositories[repository.id] = repository
            if since_new >= PER_PAGE or seen > limit:
                raise MalformedResponse(
                    f"boucle ou pagination sans fin sur {target.host} pour le compte "
                    f"{target.owner} ({seen} dépôts lus, {declared} annoncés) : arrêt du listage"
                )
        return repositories

    # -- GraphQL ---------------------------------------------------------------------------

    def _crawl_graphql(self, github: Github, target: Target, hint: str | None = None) -> Listing:
        assert target.owner is not None
        send = self._graphql_sender(github.requester, target)
        start = github_graphql.plan_index(hint)
        try:
            listing = github_graphql.list_owner(send, target, target.owner, start=start)
        except github_graphql.QueryTimeout:
            # Even 25 repositories without texts time out: the weight of a query never
            # fails an owner. REST lists it; the health signals come from the batched query.
            return dataclasses.replace(self._crawl(github, target), hint=REST_HINT)
        if listing is None:
            # GraphQL does not follow renames: REST tells a renamed owner (301) from a deleted
            # one (404, raised as OwnerNotFound by crawl()).
            user_raw = dict(github.get_user(target.owner).raw_data)
            login = str(user_raw.get("login") or target.owner)
            if login.lower() == target.owner.lower():
                # Known to REST, not (yet) to GraphQL: list over REST, without health signals.
                return self._crawl(github, target, user_raw)
            try:
                listing = github_graphql.list_owner(send, target, login, start=start)
            except github_graphql.QueryTimeout:
                return dataclasses.replace(self._crawl(github, target), hint=REST_HINT)
            if listing is None:
                raise OwnerNotFound(
                    f"compte introuvable sur {target.host} : {target.owner} "
                    f"(renommé en {login}, introuvable sous ce nom)"
                )
        login = str(listing.owner.get("login"))
        user_raw, org_raw = github_graphql.owner_as_rest(listing.owner, listing.total)
        repositories: dict[str, Repository] = {}
        root_files: dict[str, RootFiles] = {}
        for node, texts in zip(listing.nodes, listing.texts, strict=True):
            raw = github_graphql.repository_as_rest(node, login)
            if not isinstance(raw["id"], int) or not isinstance(raw["name"], str):
                raise MalformedResponse(
                    f"{target.host} a renvoyé un dépôt sans identifiant ni nom pour le compte "
                    f"{target.owner}"
                )
            if raw["private"] is not False:
                continue  # privacy: PUBLIC asks for none; never list one that slips through
            repository = normalize_repository(raw, target)
            if repository.id not in repositories:
                repositories[repository.id] = repository
                files = github_graphql.root_files_of(node, texts=texts)
                if files is not None:  # else read later, with the publiccode.yml text
                    root_files[repository.id] = files
        return Listing(
            target=target,
            organisations=(normalize_owner(user_raw, org_raw, target),),
            repositories=tuple(repositories.values()),
            renamed_to=login if login.lower() != target.owner.lower() else None,
            root_files=root_files,
            hint=listing.plan.hint,
        )

    @staticmethod
    def _graphql_sender(requester: Requester, target: Target) -> github_graphql.Send:
        def send(query: str, variables: Mapping[str, Any]) -> tuple[Mapping[str, Any], Any]:
            try:
                return requester.requestJsonAndCheck(
                    "POST",
                    requester.graphql_url,
                    input={"query": query, "variables": dict(variables)},
                    # A gateway timeout is GitHub giving up on the page's weight: answered
                    # at once (not retried as is) so that a lighter page is asked instead.
                    headers={NO_RETRY_HEADER: "502,504"},
                )
            except GithubException as exc:
                if exc.status in (502, 504):
                    raise github_graphql.QueryTimeout(
                        f"{target.host} a abandonné la requête GraphQL du compte "
                        f"{target.owner} (HTTP {exc.status})"
                    ) from None
                data = exc.data if isinstance(exc.data, Mapping) else {}
                limited = github_graphql.rate_limited(
                    data.get("errors"), exc.headers or {}, target.host
                )
                if limited is not None:
                    raise limited from None
                if exc.status == 401:
                    raise  # crawl() explains a refused token
                raise ForgeUnavailable(
                    f"{target.host} a répondu HTTP {exc.status} à la requête GraphQL du compte "
                    f"{target.owner}"
                ) from None

        return send
