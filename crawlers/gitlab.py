"""GitLab adapter (python-gitlab over the shared HTTP session).

What one :class:`Target` costs, in requests (``n`` projects, pages of 100):

* a group: ``GET /groups/:path`` + ``ceil(n/100)`` pages of ``/groups/:id/projects`` with
  ``include_subgroups=true`` (every subgroup at any depth, archived projects included: the
  listing is never filtered on ``archived``), following the ``Link: rel="next"`` header of
  every page, never stopping on a short page;
* a user namespace: the group lookup answers 404, then ``GET /users?username=`` + the pages
  of ``/users/:id/projects`` (the namespaces API needs authentication, this path does not);
* a whole instance (no owner): keyset pagination of ``/projects`` (``pagination=keyset``,
  ``order_by=id``, ``sort=asc``, ``per_page=100``) following the ``Link`` header;
* enrichment: GitLab's listing has neither licence nor languages, so a project that is new or
  whose ``last_activity_at`` changed since the last crawl costs ``GET /projects/:id?license=true``
  and ``GET /projects/:id/languages`` (none for an empty repository); an unchanged project
  copies them from :class:`~crawlers.base.Known` and costs nothing.

Only public projects are listed (``visibility=public``), so that a token never leaks internal
projects into the open inventory.

Normalisation choices: ``Repository.id`` is ``<host>:<project id>`` (stable across renames
and moves); ``name`` is the project ``path`` (its URL slug, as GitHub's ``name``);
``organization_name`` is the crawled owner's canonical full path (a subgroup's projects
belong to the owner listed in ``sources.yml``, which carries the ``pso_id``), or, for a whole
instance, the top-level namespace of the project; ``last_update`` and
``last_modification`` are both ``last_activity_at`` (GitLab has no separate push date in
its listing); GitLab projects have no homepage field.

Pagination links are rewritten onto the configured API root (``keep_base_url``), so that a
crawl through ``--api-url`` never leaves it for the instance's external URL. A listing never
reads more than its cap: the ``X-Total`` of its first page plus one page of slack (projects
created meanwhile), or :data:`MAX_PAGES` pages when GitLab declares no total (keyset
pagination, more than 10,000 projects); ``next`` links that never end fail the owner.

python-gitlab's own retries are disabled (``obey_rate_limit``/``retry_transient_errors``
off, ``max_retries=0`` on every call): the shared session is the single retry layer.
"""

from __future__ import annotations

import contextlib
import dataclasses
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import gitlab
import gitlab.exceptions
import gitlab.utils
import requests

from crawlers.base import ForgeKind, Known, Listing, Target
from crawlers.dates import iso_utc
from crawlers.errors import (
    CrawlerError,
    ForgeUnavailable,
    MalformedResponse,
    OwnerNotFound,
)
from crawlers.licenses import normalize_license, original_license
from inventory.model import Organisation, Repository

PER_PAGE = 100
#: Page cap of a listing whose total GitLab does not declare (200,000 projects).
MAX_PAGES = 2000
FORGE = ForgeKind.GITLAB.value


class _SingleRetryLayerGitlab(gitlab.Gitlab):
    """python-gitlab whose retry loop is off: retries belong to the shared session only."""

    def http_request(self, verb: str, path: str, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["obey_rate_limit"] = False
        kwargs["retry_transient_errors"] = False
        kwargs["max_retries"] = 0
        return super().http_request(verb, path, *args, **kwargs)


def instance_url(api_url: str) -> str:
    """python-gitlab wants the instance root: ``https://h/api/v4`` -> ``https://h``."""
    url = api_url.rstrip("/")
    return url[: -len("/api/v4")] if url.endswith("/api/v4") else url


@dataclass(frozen=True)
class _Owner:
    """The resolved owner: its canonical path, its organisation row and its project listing."""

    path: str
    organisation: Organisation
    projects: Iterable[Any]


class GitLabCrawler:
    """:class:`crawlers.base.Crawler` for GitLab v4 (gitlab.com and self-hosted instances)."""

    def __init__(self, session: requests.Session, *, token: str | None = None) -> None:
        self._session = session
        self._token = token

    # -- the Crawler interface ---------------------------------------------------------------

    def crawl(self, target: Target, known: Known) -> Listing:
        gl = _SingleRetryLayerGitlab(
            instance_url(target.api_url),
            private_token=self._token,
            session=self._session,
            per_page=PER_PAGE,
            # Behind ``--api-url`` (mirror, proxy, emulator) the ``Link`` headers name the
            # instance's external URL: stay on the configured root for every page.
            keep_base_url=True,
        )
        with _translated_errors(target):
            if target.owner is None:
                repositories = self._normalise_all(gl, target, known, _instance_projects(gl))
                organisations = _instance_organisations(target, repositories)
                return Listing(target, organisations, repositories)
            owner = self._resolve_owner(gl, target)
            repositories = self._normalise_all(
                gl, target, known, owner.projects, organization_name=owner.path
            )
            organisation = _with_count(owner.organisation, len(repositories))
            renamed = owner.path if owner.path.lower() != target.owner.lower() else None
            return Listing(target, (organisation,), repositories, renamed_to=renamed)

    # -- owners ------------------------------------------------------------------------------

    def _resolve_owner(self, gl: gitlab.Gitlab, target: Target) -> _Owner:
        assert target.owner is not None
        try:
            group = gl.groups.get(target.owner, with_projects="false")
        except gitlab.exceptions.GitlabError as exc:
            if exc.response_code != 404:
                raise
        else:
            attrs = group.attributes
            path = str(attrs.get("full_path") or target.owner)
            projects = _raw_list(
                gl,
                f"/groups/{gitlab.utils.EncodedId(group.get_id())}/projects",
                include_subgroups="true",
                with_shared="false",
                visibility="public",
                order_by="id",
                sort="asc",
                per_page=PER_PAGE,
            )
            return _Owner(path, _group_organisation(target, attrs, path), projects)
        if "/" not in target.owner:
            users = gl.users.list(username=target.owner, get_all=False)
            if users:
                attrs = users[0].attributes
                path = str(attrs.get("username") or target.owner)
                projects = _raw_list(
                    gl,
                    f"/users/{gitlab.utils.EncodedId(attrs['id'])}/projects",
                    visibility="public",
                    order_by="id",
                    sort="asc",
                    per_page=PER_PAGE,
                )
                return _Owner(path, _user_organisation(target, attrs, path), projects)
        raise OwnerNotFound(
            f"{target.host} : ni groupe ni utilisateur « {target.owner} » (HTTP 404)"
        )

    # -- projects ----------------------------------------------------------------------------

    def _normalise_all(
        self,
        gl: gitlab.Gitlab,
        target: Target,
        known: Known,
        projects: Iterable[Any],
        *,
        organization_name: str | None = None,
    ) -> tuple[Repository, ...]:
        result: dict[str, Repository] = {}
        for attrs in _unique_public(projects):
            repo = _normalise(target, attrs, organization_name)
            previous = known.repositories.get(repo.id)
            if previous is not None and previous.last_update == repo.last_update:
                license_, original, language = (
                    previous.license,
                    previous.license_original,
                    previous.language,
                )
            else:
                license_, original, language = _enrichment(gl, attrs)
            result[repo.id] = _replace(
                repo, license=license_, license_original=original, language=language
            )
        return tuple(result.values())


# --------------------------------------------------------------------------------------------
# Listing helpers


def _raw_list(gl: gitlab.Gitlab, path: str, **query: Any) -> Iterable[Mapping[str, Any]]:
    """The projects of a list endpoint, as the JSON objects the server sent.

    Same requests as ``<manager>.list(iterator=True, **query)``, same pagination
    (python-gitlab's :class:`gitlab.GitlabList` follows the ``Link`` headers, keyset ones
    included), but no ``RESTObject`` per project: building one (two dozen sub-managers) and
    reading its ``attributes`` (a deep copy) cost more CPU than the request itself, for
    fields that are only read here.
    """
    return _capped(gl.http_list(path, iterator=True, **query), path)


def _capped(projects: Any, path: str) -> Iterator[Mapping[str, Any]]:
    """The projects of a listing, refused past its cap (see the module docstring)."""
    total = getattr(projects, "total", None)
    cap = MAX_PAGES * PER_PAGE if total is None else int(total) + PER_PAGE
    for count, project in enumerate(projects, 1):
        if count > cap:
            declared = "aucun total annoncé" if total is None else f"GitLab annonce {total} projets"
            raise MalformedResponse(
                f"pagination sans fin sur {path} ({count - 1} projets lus, {declared}) : "
                "listage abandonné"
            )
        yield project


def _instance_projects(gl: gitlab.Gitlab) -> Iterable[Any]:
    return _raw_list(
        gl,
        "/projects",
        pagination="keyset",
        order_by="id",
        sort="asc",
        per_page=PER_PAGE,
        visibility="public",
    )


def _unique_public(projects: Iterable[Any]) -> Iterator[Mapping[str, Any]]:
    """Each project once; a run of already-seen projects longer than a page is a loop.

    A server whose ``next`` link points back to a page already read would otherwise make
    python-gitlab iterate for ever; a whole page of repeats cannot happen otherwise.
    """
    seen: set[Any] = set()
    repeats = 0
    for project in projects:
        attrs = getattr(project, "attributes", project)
        if not isinstance(attrs, Mapping) or "id" not in attrs:
            raise MalformedResponse("réponse GitLab inattendue : un projet sans identifiant")
        if attrs["id"] in seen:
            repeats += 1
            if repeats > PER_PAGE:
                raise MalformedResponse(
                    "boucle de pagination : GitLab renvoie sans fin les mêmes projets"
                )
            continue
        repeats = 0
        seen.add(attrs["id"])
        if attrs.get("visibility", "public") != "public":
            continue
        yield attrs


def _normalise(target: Target, p: Mapping[str, Any], organization_name: str | None) -> Repository:
    namespace = p.get("namespace") or {}
    if organization_name is None:
        full = str(namespace.get("full_path") or p.get("path_with_namespace", "")).strip("/")
        organization_name = full.split("/")[0] if full else ""
    topics = p.get("topics") or p.get("tag_list") or ()
    last_activity = iso_utc(p.get("last_activity_at"))
    archived = p.get("archived")
    return Repository(
        id=f"{target.host}:{p['id']}",
        name=str(p.get("path") or p.get("name") or p["id"]),
        organization_name=organization_name,
        platform=target.host,
        repository_url=str(p.get("web_url") or ""),
        forge=FORGE,
        description=p.get("description") or None,
        default_branch=p.get("default_branch"),
        is_fork=bool(p.get("forked_from_project")),
        is_archived=bool(archived) if archived is not None else None,
        creation_date=iso_utc(p.get("created_at")),
        last_update=last_activity,
        last_modification=last_activity,
        homepage=None,
        stars_count=_int(p.get("star_count")),
        forks_count=_int(p.get("forks_count")),
        open_issues_count=_int(p.get("open_issues_count")),
        topics=tuple(str(t) for t in topics),
        pso_id=target.pso_id,
    )


def _enrichment(
    gl: gitlab.Gitlab, p: Mapping[str, Any]
) -> tuple[str | None, str | None, str | None]:
    """Licence (SPDX, and as GitLab gave it) and main language of one project: at most 2
    requests, none when empty."""
    if p.get("empty_repo") is True:
        return None, None, None
    license_ = original = language = None
    try:
        details = gl.http_get(f"/projects/{p['id']}", query_data={"license": "true"})
    except gitlab.exceptions.GitlabHttpError as exc:
        if exc.response_code not in (403, 404):
            raise
    else:
        info = details.get("license") if isinstance(details, Mapping) else None
        if isinstance(info, Mapping):
            license_ = normalize_license(info.get("key"), info.get("name"))
            original = original_license(info.get("key"), info.get("name"))
    try:
        shares = gl.http_get(f"/projects/{p['id']}/languages")
    except gitlab.exceptions.GitlabHttpError as exc:
        if exc.response_code not in (403, 404):
            raise
    else:
        language = _main_language(shares)
    return license_, original, language


def _main_language(shares: Any) -> str | None:
    """The language with the largest share of ``{"Python": 80.5, "Shell": 19.5}``."""
    if not isinstance(shares, Mapping):
        return None
    best: tuple[float, str] | None = None
    for name, share in shares.items():
        try:
            value = float(share)
        except (TypeError, ValueError):
            continue
        if best is None or value > best[0]:
            best = (value, str(name))
    return best[1] if best else None


# --------------------------------------------------------------------------------------------
# Organisations


def _group_organisation(target: Target, g: Mapping[str, Any], path: str) -> Organisation:
    return Organisation(
        login=path,
        platform=target.host,
        forge=FORGE,
        name=g.get("full_name") or g.get("name"),
        description=g.get("description") or None,
        organization_url=g.get("web_url"),
        website=None,
        avatar_url=g.get("avatar_url"),
        creation_date=iso_utc(g.get("created_at")),
        pso_id=target.pso_id,
        floss_policy=target.floss_policy,
        ospo_url=target.ospo_url,
    )


def _user_organisation(target: Target, u: Mapping[str, Any], path: str) -> Organisation:
    return Organisation(
        login=path,
        platform=target.host,
        forge=FORGE,
        name=u.get("name"),
        description=u.get("bio") or None,
        organization_url=u.get("web_url"),
        website=u.get("website_url") or None,
        avatar_url=u.get("avatar_url"),
        creation_date=iso_utc(u.get("created_at")),
        pso_id=target.pso_id,
        floss_policy=target.floss_policy,
        ospo_url=target.ospo_url,
    )


def _instance_organisations(
    target: Target, repositories: tuple[Repository, ...]
) -> tuple[Organisation, ...]:
    """One row per top-level namespace seen in a whole-instance crawl (no extra request)."""
    counts: dict[str, int] = {}
    urls: dict[str, str] = {}
    for repo in repositories:
        login = repo.organization_name
        counts[login] = counts.get(login, 0) + 1
        if login not in urls and repo.repository_url:
            parts = urllib.parse.urlsplit(repo.repository_url)
            urls[login] = f"{parts.scheme}://{parts.netloc}/{urllib.parse.quote(login)}"
    return tuple(
        Organisation(
            login=login,
            platform=target.host,
            forge=FORGE,
            organization_url=urls.get(login),
            repositories_count=count,
            pso_id=target.pso_id,
            floss_policy=target.floss_policy,
            ospo_url=target.ospo_url,
        )
        for login, count in sorted(counts.items())
    )


# --------------------------------------------------------------------------------------------
# Small helpers


def _with_count(organisation: Organisation, count: int) -> Organisation:
    return _replace(organisation, repositories_count=count)


def _replace(value: Any, **changes: Any) -> Any:
    return dataclasses.replace(value, **changes)


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@contextlib.contextmanager
def _translated_errors(target: Target) -> Iterator[None]:
    """python-gitlab and requests errors -> the crawler layer's French one-liners."""
    where = target.key
    try:
        yield
    except CrawlerError:
        raise
    except gitlab.exceptions.GitlabParsingError:
        raise MalformedResponse(f"{where} : réponse JSON illisible ou tronquée") from None
    except gitlab.exceptions.GitlabError as exc:
        code = exc.response_code
        if code == 404:
            raise OwnerNotFound(f"{where} : introuvable (HTTP 404)") from None
        if code in (401, 403):
            raise ForgeUnavailable(f"{where} : accès refusé (HTTP {code})") from None
        raise ForgeUnavailable(f"{where} : erreur GitLab (HTTP {code})") from None
    except requests.TooManyRedirects:
        raise MalformedResponse(f"{where} : trop de redirections") from None
    except requests.RequestException:
        raise ForgeUnavailable(f"{where} : forge injoignable") from None
    except ValueError:
        raise MalformedResponse(f"{where} : réponse JSON illisible ou tronquée") from None
