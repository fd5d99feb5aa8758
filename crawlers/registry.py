"""Which adapter crawls which forge kind (imported lazily: one forge's bug spares the others)."""

from __future__ import annotations

import importlib
import inspect

import requests

from crawlers.base import Crawler, ForgeKind, RootFilesReader
from crawlers.errors import CrawlerError

#: forge kind -> (module, class); each class takes ``(session, *, token=None, forge=...,
#: graphql=None)`` or the subset of those keywords it declares (a forge without ``token``
#: reads the ``Authorization`` header of the session, see :func:`session_headers`).
ADAPTERS: dict[ForgeKind, tuple[str, str]] = {
    ForgeKind.GITHUB: ("crawlers.github", "GitHubCrawler"),
    ForgeKind.GITLAB: ("crawlers.gitlab", "GitLabCrawler"),
    ForgeKind.GITEA: ("crawlers.gitea", "GiteaCrawler"),
    ForgeKind.FORGEJO: ("crawlers.gitea", "GiteaCrawler"),
    ForgeKind.GOGS: ("crawlers.gitea", "GiteaCrawler"),
}


def make_crawler(
    forge: ForgeKind | str,
    session: requests.Session,
    *,
    token: str | None = None,
    graphql: bool | None = None,
) -> Crawler:
    """The adapter of ``forge`` sending through ``session`` (see :mod:`crawlers.http`).

    ``graphql`` reaches the adapters that offer a GraphQL listing (GitHub); ``None`` lets
    them choose.
    """
    kind = ForgeKind(forge)
    module_name, class_name = ADAPTERS[kind]
    try:
        factory = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError):
        raise CrawlerError(
            f"aucun moissonneur disponible pour les forges « {kind.value} »"
        ) from None
    accepted = inspect.signature(factory).parameters
    kwargs: dict[str, object] = {}
    if "token" in accepted:
        kwargs["token"] = token
    if "forge" in accepted:
        kwargs["forge"] = kind
    if "graphql" in accepted:
        kwargs["graphql"] = graphql
    return factory(session, **kwargs)


def session_headers(forge: ForgeKind | str, token: str | None) -> dict[str, str]:
    """Headers the shared session sends for adapters that do not authenticate themselves."""
    kind = ForgeKind(forge)
    if not token or kind in (ForgeKind.GITHUB, ForgeKind.GITLAB):
        return {}  # PyGithub and python-gitlab add their own authentication header
    return {"Authorization": f"token {token}"}


def make_root_reader(
    forge: ForgeKind | str,
    session: requests.Session,
    api_url: str,
    token: str | None = None,
) -> RootFilesReader:
    """The root-files reader of a forge, from its API root (:attr:`Target.api_url`).

    GitHub: batched GraphQL, which needs ``token`` (:class:`CrawlerError` without one); it
    serves the repositories listed over REST (``--github-rest``, or an owner GraphQL does not
    know), since the GraphQL listing already carries their root files. GitLab: batched GraphQL
    with a REST fallback. Gitea family: REST. ``token`` authenticates GitHub's and GitLab's
    requests (PyGithub's and python-gitlab's sessions carry none); the Gitea family reads the
    ``Authorization`` header of ``session`` itself (:func:`session_headers`).
    """
    kind = ForgeKind(forge)
    if kind is ForgeKind.GITHUB:
        if not token:
            raise CrawlerError("jeton nécessaire pour relever les signaux de santé")
        from crawlers.github_graphql import GitHubRootFiles

        return GitHubRootFiles(session, api_url, token=token)
    if kind is ForgeKind.GITLAB:
        from crawlers.gitlab_graphql import GitLabRootFiles

        return GitLabRootFiles(session, api_url, token=token)
    from crawlers.rootfiles import RestRootFiles

    return RestRootFiles(session, api_url, kind.value)
