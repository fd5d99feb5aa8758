"""Root files over REST, one request per repository: GitLab v4 and the Gitea family.

For each repository, the entries at the root of its default branch
(``GET /projects/:path/repository/tree`` on GitLab, ``GET /repos/:owner/:name/contents`` on
Gitea, Forgejo and Gogs), plus one request to read ``publiccode.yml`` (``.../repository/files/
publiccode.yml/raw`` or ``/raw/publiccode.yml``) only when the root shows one. An empty
repository (404 on its tree) has no root files.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import requests

from crawlers.base import RootFilesOutcome
from crawlers.errors import CrawlerError, RateLimited
from inventory.model import PUBLICCODE_FILES, Repository, RootFiles


def repository_path(repository: Repository) -> str:
    """``owner/name`` (GitLab: the full path) from the repository's web address."""
    return urllib.parse.urlsplit(repository.repository_url).path.strip("/").removesuffix(".git")


def read_json(response: requests.Response, what: str) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        raise CrawlerError(f"réponse illisible pour {what}") from None


class RestRootFiles:
    """:class:`crawlers.base.RootFilesReader` over REST, for GitLab and the Gitea family."""

    def __init__(
        self,
        session: requests.Session,
        api: str,
        forge: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.session = session
        self.api = api.rstrip("/")
        self.gitlab = forge == "gitlab"
        self.headers = dict(headers or {})
        self.requests = 0

    def _get(self, url: str) -> requests.Response:
        self.requests += 1
        return self.session.get(url, headers=self.headers or None)

    def _tree(self, repository: Repository) -> tuple[str, tuple[str, ...]]:
        path = repository_path(repository)
        if self.gitlab:
            base = f"{self.api}/projects/{urllib.parse.quote(path, safe='')}"
            url = f"{base}/repository/tree?per_page=100"
        else:
            base = f"{self.api}/repos/{urllib.parse.quote(path, safe='/')}"
            url = f"{base}/contents"
        response = self._get(url)
        if response.status_code == 404:
            return base, ()  # an empty repository has no tree
        if response.status_code != 200:
            raise CrawlerError(f"HTTP {response.status_code} pour {repository.repository_url}")
        entries = read_json(response, repository.repository_url)
        if not isinstance(entries, list):
            raise CrawlerError(f"réponse inattendue pour {repository.repository_url}")
        names = tuple(str(e["name"]) for e in entries if isinstance(e, dict) and e.get("name"))
        return base, names

    def read(self, repositories: Sequence[Repository]) -> Iterator[RootFilesOutcome]:
        for repository in repositories:
            try:
                base, names = self._tree(repository)
                text = None
                found = next((n for n in names if n.lower() in PUBLICCODE_FILES), None)
                if found:
                    quoted = urllib.parse.quote(found, safe="")
                    url = (
                        f"{base}/repository/files/{quoted}/raw?ref=HEAD"
                        if self.gitlab
                        else f"{base}/raw/{quoted}"
                    )
                    response = self._get(url)
                    if response.status_code == 200:
                        text = response.content.decode("utf-8", errors="replace")
                outcome: RootFiles | CrawlerError = RootFiles(names, text)
            except RateLimited:
                raise
            except CrawlerError as exc:
                outcome = exc
            yield repository, outcome
