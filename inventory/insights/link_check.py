"""``inventory check --links``: report ``code_source`` URLs that match no crawled repository.

Such a URL usually means the crawl sources miss an account (or the URL is wrong): the
problem says so, located on the resource's ``url`` line. It is a warning by default and an
error with ``--strict``. The crawl database is read-only here; the owner renames it
recorded are followed (:func:`inventory.insights.links.redirects_from_owners`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from inventory.catalogue.snapshot import CatalogueSnapshot
from inventory.catalogue.store import read_snapshot
from inventory.errors import StoreError
from inventory.insights.links import LinkIndex, match_resources, redirects_from_owners
from inventory.model import Level, Problem, Record
from inventory.register.records import find_mark
from inventory.register.validate import CheckResult

CODE = "code-source-non-moissonne"


def link_problems(
    records: Sequence[Record], index: LinkIndex, *, strict: bool = False
) -> list[Problem]:
    """One problem per ``code_source`` URL of ``records`` that matched nothing."""
    by_id = {record.id: record for record in records}
    problems = []
    level = Level.ERROR if strict else Level.WARNING
    for link in index.unmatched:
        record = by_id.get(link.record_id)
        if record is None:
            continue
        field = f"ressources[{link.index}].url"
        line, column = find_mark(record.marks, field)
        problems.append(
            Problem(
                record.path.as_posix(),
                line,
                column,
                field,
                f"l'adresse de code source « {link.url} » ne correspond à aucun dépôt moissonné : "
                "vérifiez l'adresse, ou ajoutez le compte qui l'héberge aux sources du "
                "moissonnage (sources.yml)",
                level,
                CODE,
            )
        )
    return problems


def load_crawl(db_path: Path) -> CatalogueSnapshot:
    """The crawl database's snapshot (read-only)."""
    if not Path(db_path).is_file():
        raise StoreError(
            f"--links a besoin de la base du moissonnage : {db_path} est introuvable "
            "(lancez « inventory crawl » ou indiquez --db)"
        )
    return read_snapshot(db_path)


def with_link_problems(result: CheckResult, db_path: Path, *, strict: bool = False) -> CheckResult:
    """``result`` plus the link problems (see the module docstring)."""
    catalogue = load_crawl(db_path)
    redirects = redirects_from_owners(catalogue.owners)
    index = match_resources(result.records, catalogue.repositories, redirects)
    extra = link_problems(result.records, index, strict=strict)
    if not extra:
        return result
    problems = sorted(
        [*result.problems, *extra],
        key=lambda p: (p.path, p.line or 0, p.column or 0, 0 if p.is_error else 1, p.message),
    )
    return dataclasses.replace(result, problems=tuple(problems))
