"""Repository addresses: one comparison key per repository, whoever wrote the address.

A record says where its code lives with a URL typed by a person (``http://www.GitHub.com/
Etalab/Repo.git``, ``https://gitlab.com/a/b/c/-/tree/main``, ``git@github.com:a/b.git``...);
the crawl knows each repository's canonical ``repository_url``. Both are reduced to one
**key** by :func:`repository_key` and matched on equality. The rules, in order:

1. Scheme: ``http``, ``https`` and ``git+https``/``ssh`` clone forms (``git@host:path``,
   ``ssh://git@host/path``) all mean the same repository: the scheme is dropped.
2. Host: lower-cased, a leading ``www.`` dropped, user info and default ports (80, 443, 22)
   dropped.
3. Query string and fragment dropped.
4. Path: percent-decoded, dot segments resolved (``a/b/../c`` is ``a/c``), empty segments
   dropped (a trailing ``/``), a trailing ``.git`` dropped.
5. Deep links cut back to the repository, according to the host's forge kind (known from the
   crawl: ``platform`` -> ``forge`` of the crawled repositories; ``github.com`` is GitHub and
   ``gitlab.com`` GitLab without a crawl):

   * GitHub and the Gitea family (Gitea, Forgejo, Gogs) have exactly two levels
     (``owner/name``): everything after them (``/tree/main``, ``/blob/...``,
     ``/src/branch/...``, ``/issues``...) is cut.
   * GitLab keeps the whole group path (subgroups: ``gitlab.com/a/b/c`` stays whole, and
     ``gitlab.com/a/b`` is another project); its deep links start with ``/-/`` and are cut
     there, and the older routes without ``/-/`` (``/tree/``, ``/blob/``, ``/commits/``...,
     names GitLab reserves so no group or project can bear them) are cut at that word, from
     the third segment on.
   * An unknown host is handled like GitLab (``/-/`` and the reserved words only), which
     never shortens a path on a guess.

6. Case: the path is lower-cased. GitHub, GitLab (``find_by_full_path`` is case-insensitive
   and redirects to the canonical case) and Gitea/Forgejo/Gogs (``lower_name``) all route
   owner and repository names case-insensitively, and those are the only forges crawled, so
   two URLs differing only in case name the same repository.
7. Redirects recorded by the crawl (an owner renamed: ``https://github.com/old`` ->
   ``https://github.com/new``, or one repository moved) are applied to the key by longest
   path-prefix on segment boundaries, following chains (bounded, loop-safe).

Nothing else is relaxed: another host, another owner (a fork), another group level or a
longer name (``repo`` vs ``repo-old``) never match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

#: Forge kinds whose repository paths have exactly two segments (owner/name).
TWO_LEVEL_FORGES = frozenset({"github", "gitea", "forgejo", "gogs"})

#: Hosts whose forge kind is known without a crawl.
DEFAULT_FORGES: Mapping[str, str] = {"github.com": "github", "gitlab.com": "gitlab"}

#: GitLab's legacy project routes (reserved words: no group or project bears these names).
GITLAB_ROUTE_WORDS = frozenset(
    {
        "tree",
        "blob",
        "raw",
        "blame",
        "commits",
        "commit",
        "compare",
        "branches",
        "tags",
        "releases",
        "issues",
        "merge_requests",
        "wikis",
        "pipelines",
        "builds",
        "jobs",
        "graphs",
        "network",
        "find_file",
        "files",
        "edit",
        "new",
        "preview",
        "refs",
        "update",
        "create",
        "create_dir",
        "environments",
        "badges",
        "info",
        "gitlab-lfs",
    }
)

_DEFAULT_PORTS = {"80", "443", "22"}
_SCP_LIKE = re.compile(
    r"^(?:[A-Za-z0-9._-]+@)?(?P<host>[A-Za-z0-9.-]+\.[A-Za-z]{2,}):(?P<path>[^/].*)$"
)
_MAX_REDIRECT_HOPS = 10


def _split(url: str) -> tuple[str, list[str]] | None:
    """``(host, path segments)`` of a repository URL, or None when it is not one."""
    text = url.strip()
    if not text:
        return None
    scp = _SCP_LIKE.match(text)
    if scp and "://" not in text:
        host, path = scp.group("host"), scp.group("path")
    else:
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        if scheme not in {"http", "https", "ssh", "git", "git+https", "git+ssh"}:
            return None
        host = parts.hostname or ""
        if port is not None and str(port) not in _DEFAULT_PORTS:
            host = f"{host}:{port}"
        path = parts.path
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[len("www.") :]
    if not host:
        return None
    segments: list[str] = []
    for raw in path.split("/"):
        segment = unquote(raw)
        if segment in ("", "."):
            continue
        if segment == "..":  # resolved as a browser would (RFC 3986 dot segments)
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    return host, segments


def _cut(segments: list[str], kind: str | None) -> list[str]:
    if "-" in segments:
        segments = segments[: segments.index("-")]
    if kind in TWO_LEVEL_FORGES:
        segments = segments[:2]
    else:
        for position, segment in enumerate(segments):
            if position >= 2 and segment.lower() in GITLAB_ROUTE_WORDS:
                segments = segments[:position]
                break
    if segments and segments[-1].lower().endswith(".git"):
        segments[-1] = segments[-1][: -len(".git")]
        if not segments[-1]:
            segments.pop()
    return segments


def _repository_segments(
    url: str, forges: Mapping[str, str] | None
) -> tuple[str, list[str]] | None:
    """``(host, segments naming the repository)`` of a URL, cut for its forge kind."""
    split = _split(url)
    if split is None:
        return None
    host, segments = split
    kind = (forges or {}).get(host) or DEFAULT_FORGES.get(host)
    return host, _cut(segments, kind)


def repository_key(url: object, forges: Mapping[str, str] | None = None) -> str | None:
    """The comparison key ``host/owner/name`` (lower case) of a repository URL, or None.

    ``forges`` maps a host to its forge kind (``github``, ``gitlab``, ``gitea``...), as the
    crawl knows it; :data:`DEFAULT_FORGES` completes it. See the module docstring.
    """
    if not isinstance(url, str):
        return None
    split = _repository_segments(url, forges)
    if split is None or not split[1]:
        return None
    return "/".join([split[0], *split[1]]).lower()


def normalise_url(url: object, forges: Mapping[str, str] | None = None) -> str | None:
    """``https://`` + :func:`repository_key`: a canonical URL to show or compare, or None."""
    key = repository_key(url, forges)
    return f"https://{key}" if key else None


def _prefix_key(url: str, forges: Mapping[str, str] | None) -> str | None:
    """Key of a redirect end, which may name an owner (one segment) rather than a repository."""
    split = _repository_segments(url, forges)
    if split is None:
        return None
    return "/".join([split[0], *split[1]]).lower()


@dataclass(frozen=True)
class Redirects:
    """Old URL prefix -> new URL prefix, compared as keys on whole path segments."""

    table: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_urls(
        cls, redirects: Mapping[str, str] | None, forges: Mapping[str, str] | None = None
    ) -> Redirects:
        table: dict[str, str] = {}
        for old, new in (redirects or {}).items():
            old_key, new_key = _prefix_key(old, forges), _prefix_key(new, forges)
            if old_key and new_key and old_key != new_key:
                table[old_key] = new_key
        return cls(table)

    def apply(self, key: str) -> str:
        """``key`` after every redirect that applies (longest prefix first, chains followed)."""
        seen = {key}
        for _ in range(_MAX_REDIRECT_HOPS):
            moved = self._one(key)
            if moved is None or moved in seen:
                return key
            seen.add(moved)
            key = moved
        return key

    def _one(self, key: str) -> str | None:
        segments = key.split("/")
        for length in range(len(segments), 0, -1):
            prefix = "/".join(segments[:length])
            target = self.table.get(prefix)
            if target is not None:
                return "/".join([target, *segments[length:]])
        return None


def redirects_from_owners(owners: Iterable[object]) -> dict[str, str]:
    """Owner renames recorded by the crawl (``Store.owner_statuses()``) as a URL map.

    Each status with ``renamed_to`` set gives ``https://HOST/OLD`` -> ``https://HOST/NEW``.
    """
    result: dict[str, str] = {}
    for status in owners:
        host = getattr(status, "host", None)
        owner = getattr(status, "owner", None)
        renamed = getattr(status, "renamed_to", None)
        if host and owner and renamed:
            result[f"https://{host}/{owner}"] = f"https://{host}/{renamed}"
    return result
