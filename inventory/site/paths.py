"""Where each generated page lives and how pages link to each other.

The site uses MkDocs' directory URLs (``use_directory_urls: true``): ``a/b.md`` is served at
``a/b/`` and ``a/index.md`` at ``a/``. Links written in raw HTML are not rewritten by MkDocs,
so they are computed here, relative to the page that holds them.
"""

from __future__ import annotations

from inventory.text import fold, host, slugify

__all__ = ["fold", "host", "slugify"]

HOME = "index.md"
ALGORITHMS = "algorithmes/index.md"
ADMINISTRATIONS = "administrations/index.md"
REPOSITORIES = "codes-sources/index.md"
REPOSITORIES_JSON = "codes-sources/depots.json"
HEALTH = "codes-sources/sante.md"
DATA = "donnees/index.md"
FORMAT = "format/index.md"
CONTRIBUTE = "contribuer.md"
ACCESSIBILITY = "accessibilite.md"


def algorithm_page(record_id: str) -> str:
    return f"algorithmes/{record_id}.md"


def administration_page(slug: str) -> str:
    return f"administrations/{slug}.md"


def url_dir(md_path: str) -> str:
    """The URL folder (relative to the site root, '' for the root) serving a Markdown file."""
    if md_path.endswith(".md"):
        stem = md_path[: -len(".md")]
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")].rstrip("/")
        return stem
    return md_path.rpartition("/")[0]


def href(from_md: str, to: str) -> str:
    """Relative URL from the page ``from_md`` to a page (``.md``) or file of the site."""
    base = [part for part in url_dir(from_md).split("/") if part]
    if to.endswith(".md"):
        target, slash = [part for part in url_dir(to).split("/") if part], "/"
    else:
        target, slash = [part for part in to.split("/") if part], ""
    common = 0
    while common < min(len(base), len(target)) and base[common] == target[common]:
        common += 1
    parts = [".."] * (len(base) - common) + target[common:]
    if not parts:
        return "./"
    return "/".join(parts) + slash
