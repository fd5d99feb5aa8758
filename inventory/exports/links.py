"""The links between algorithms and repositories as open data: ``liens.json`` and ``liens.csv``.

One row per (algorithm, crawled repository) pair matched by :mod:`inventory.insights.links`, so the
table reads both ways (an algorithm's repositories, a repository's algorithms):

``algorithme``      the record id;
``algorithme_nom``  its name;
``depot``           the repository id (as in ``repos.json``);
``depot_url``       the repository's URL as crawled;
``url_declaree``    the ``code_source`` URL as written in the record.

Rows are sorted by algorithm then repository.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from inventory.exports.rows import rows_csv, rows_json
from inventory.insights.links import LinkIndex, forge_kinds, repository_key
from inventory.insights.links import Redirects as _Redirects
from inventory.model import Record, Repository

COLUMNS = ("algorithme", "algorithme_nom", "depot", "depot_url", "url_declaree")
JSON_NAME = "liens.json"
CSV_NAME = "liens.csv"


def link_rows(
    records: Sequence[Record],
    repositories: Sequence[Repository],
    index: LinkIndex,
    redirects: Mapping[str, str] | None = None,
) -> list[dict[str, str]]:
    """The rows of the links table (see the module docstring)."""
    forges = forge_kinds(repositories)
    moves = _Redirects.from_urls(redirects, forges)
    rows = []
    for record in sorted(records, key=lambda r: r.id):
        linked = index.repositories_for(record.id)
        if not linked:
            continue
        declared = index.declared.get(record.id, ())
        for repository in sorted(linked, key=lambda r: r.id):
            target = repository_key(repository.repository_url, forges)
            target = moves.apply(target) if target else None
            written = next(
                (
                    url
                    for url in declared
                    if (key := repository_key(url, forges)) and moves.apply(key) == target
                ),
                "",
            )
            rows.append(
                {
                    "algorithme": record.id,
                    "algorithme_nom": str(record.get("nom") or ""),
                    "depot": repository.id,
                    "depot_url": repository.repository_url,
                    "url_declaree": written,
                }
            )
    return rows


def render(
    records: Sequence[Record],
    repositories: Sequence[Repository],
    index: LinkIndex,
    redirects: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The two files, by name."""
    rows = link_rows(records, repositories, index, redirects)
    return {JSON_NAME: rows_json(rows), CSV_NAME: rows_csv(rows, COLUMNS)}
