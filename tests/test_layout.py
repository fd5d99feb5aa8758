"""The package layout stays true: dependencies run one way, only the CLI imports click.

Every module's imports are read with ``ast`` (no import is executed). The layers, lowest
first; a module may import its own package and the layers below it, never a layer above
nor a peer of its own rank:

0. shared values: the modules at the top of ``inventory/`` (model, errors, atomic...);
1. ``crawlers/``: the forge adapters;
2. ``inventory/register/`` (the records) and ``inventory/catalogue/`` (the code inventory);
3. ``inventory/interchange/`` (documents in and out) and ``inventory/insights/`` (the joins);
4. ``inventory/exports/``: the open data;
5. ``inventory/site/``;
6. ``inventory/cli/``: the only importer of click.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RANKS: dict[str, int] = {
    "inventory": 0,
    "crawlers": 1,
    "inventory.register": 2,
    "inventory.catalogue": 2,
    "inventory.interchange": 3,
    "inventory.insights": 3,
    "inventory.exports": 4,
    "inventory.site": 5,
    "inventory.cli": 6,
}


def layer_of(module: str) -> str:
    """The layer (a key of :data:`RANKS`) a dotted module name belongs to."""
    parts = module.split(".")
    if parts[0] == "crawlers":
        return "crawlers"
    if len(parts) >= 2 and f"inventory.{parts[1]}" in RANKS:
        return f"inventory.{parts[1]}"
    return "inventory"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, module: str) -> list[tuple[str, int]]:
    """``(imported name, line)`` of every import in the file, relative ones resolved; for
    ``from X import a, b``, the names ``X.a`` and ``X.b`` (``a`` may be a module of ``X``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.extend((f"{base}.{alias.name}", node.lineno) for alias in node.names)
    return found


def violations(root: Path) -> list[str]:
    """Every import against the layers, and every click import outside the CLI (one line per
    offending statement)."""
    problems: dict[tuple[str, int], str] = {}
    for path in sorted([*root.glob("inventory/**/*.py"), *root.glob("crawlers/**/*.py")]):
        module = module_name(root, path)
        layer = layer_of(module)
        for imported, line in imports_of(path, module):
            where = f"{path.relative_to(root)}:{line}"
            top = imported.split(".")[0]
            if top == "click" and layer != "inventory.cli":
                problems.setdefault((where, line), f"{where} importe click hors de inventory/cli/")
            if top not in ("inventory", "crawlers"):
                continue
            target = layer_of(imported)
            if target != layer and RANKS[target] >= RANKS[layer]:
                message = f"{where} : {layer} importe {imported} ({target})"
                problems.setdefault((where, line), message)
    return list(problems.values())


def test_dependencies_run_one_way(project_root: Path) -> None:
    assert violations(project_root) == []


def test_every_package_has_a_docstring_saying_what_it_owns(project_root: Path) -> None:
    for init in [
        *project_root.glob("inventory/*/__init__.py"),
        project_root / "crawlers/__init__.py",
    ]:
        if init.parent.name.startswith("_"):
            continue
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and len(docstring) > 80, init


@pytest.mark.parametrize(
    ("writer", "text", "expected"),
    [
        # A layer importing a layer above it.
        (
            "inventory/catalogue/leak.py",
            "from inventory.site import paths\n",
            "inventory.catalogue importe inventory.site.paths",
        ),
        # Peers of the same rank.
        (
            "inventory/register/leak.py",
            "from inventory.catalogue.store import Store\n",
            "inventory.register importe inventory.catalogue.store",
        ),
        # The forge adapters reaching into the catalogue.
        (
            "crawlers/leak.py",
            "import inventory.catalogue.health\n",
            "crawlers importe inventory.catalogue.health",
        ),
        # click outside the CLI.
        ("inventory/site/leak.py", "import click\n", "importe click hors de inventory/cli/"),
        # A relative import is resolved before it is judged.
        (
            "inventory/insights/leak.py",
            "from ..site import layout\n",
            "inventory.insights importe inventory.site.layout",
        ),
    ],
)
def test_an_import_against_the_order_is_caught(
    tmp_path: Path, writer: str, text: str, expected: str
) -> None:
    for package in ("inventory", "crawlers"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    target = tmp_path / writer
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    found = violations(tmp_path)
    assert len(found) == 1 and expected in found[0], found
