"""Small builders of domain values shared by the insights tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inventory.model import Record, Repository


def repo(url: str, *, forge: str = "", rid: str | None = None, **values: Any) -> Repository:
    """A crawled repository at ``url`` (platform, owner and name taken from the URL)."""
    rest = url.split("://", 1)[1]
    host, _, path = rest.partition("/")
    owner, _, name = path.rpartition("/")
    kind = forge or ("gitlab" if "gitlab" in host else "github" if "github" in host else "gitea")
    return Repository(
        id=rid or f"{host}/{path}",
        name=name,
        organization_name=owner,
        platform=host,
        repository_url=url,
        forge=kind,
        **values,
    )


def record(rid: str, *code: str, **data: Any) -> Record:
    """A record whose ``ressources`` are the given ``code_source`` URLs (plus ``data``)."""
    resources = [{"type": "code_source", "url": url} for url in code]
    body: dict[str, Any] = {"nom": f"Algorithme {rid}", **data}
    if resources or "ressources" in data:
        body["ressources"] = [*data.get("ressources", []), *resources]
    return Record(id=rid, folder="test", path=Path(f"algorithms/test/{rid}.yml"), data=body)
