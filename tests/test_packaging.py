"""Packaging: every package is shipped, and the JSON Schemas travel inside the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from inventory import resources

ROOT = Path(__file__).resolve().parent.parent


def setuptools_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]


def test_every_package_of_the_tree_is_listed() -> None:
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("inventory", "crawlers")
        for init in (ROOT / top).rglob("__init__.py")
    }
    listed = set(setuptools_config()["packages"])
    assert listed - {"inventory._schemas"} == found


def test_schemas_are_mapped_into_the_package() -> None:
    config = setuptools_config()
    assert config["package-dir"] == {"inventory._schemas": "schemas"}
    assert config["package-data"]["inventory._schemas"] == ["*.json"]
    shipped = {p.name for p in (ROOT / "schemas").glob("*.json")}
    assert {"algorithme.schema.json", "sources.schema.json"} <= shipped


def test_installed_copy_is_used_without_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = tmp_path / "site-packages" / "inventory" / "_schemas"
    installed.mkdir(parents=True)
    (installed / "algorithme.schema.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(resources, "SOURCE_SCHEMAS", tmp_path / "absent")
    monkeypatch.setattr(resources, "INSTALLED_SCHEMAS", installed)
    assert resources.schema_path("algorithme.schema.json") == installed / "algorithme.schema.json"
    monkeypatch.setattr(resources, "SOURCE_SCHEMAS", ROOT / "schemas")
    assert resources.schemas_dir() == ROOT / "schemas"


def test_the_texts_templates_are_shipped() -> None:
    """The legal texts' templates (and their README for lawyers) are package data."""
    import fnmatch

    patterns = setuptools_config()["package-data"]["inventory.interchange"]
    folder = ROOT / "inventory" / "interchange"
    files = [p.relative_to(folder).as_posix() for p in (folder / "textes").iterdir()]
    assert {"textes/mention.txt.j2", "textes/README.md"} <= set(files)
    for name in files:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
