"""A throw-away project tree for end-to-end build tests (the real mkdocs.yml, site/, schemas/)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import PROJECT


def make_project(root: Path) -> Path:
    """Copy what a build reads from the real project; algorithms/ is left empty."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(PROJECT / "site", root / "site")
    shutil.copytree(PROJECT / "schemas", root / "schemas")
    (root / "algorithms").mkdir()
    return root


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def write_record(root: Path, folder: str, record_id: str, data: Mapping[str, Any]) -> Path:
    path = root / "algorithms" / folder / f"{record_id}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = dict(_plain(data))
    if isinstance(data.get("date_mise_a_jour"), dt.date):
        data["date_mise_a_jour"] = data["date_mise_a_jour"].isoformat()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
