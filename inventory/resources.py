"""Where the project's JSON Schemas are, in a source checkout and in an installed package.

They live in ``schemas/`` at the repository root; a wheel ships them as ``inventory/_schemas``
(see ``pyproject.toml``), so the tool also works when installed without ``-e`` (pre-commit's
hook environment, ``pip install .``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
SOURCE_SCHEMAS = _PACKAGE.parent / "schemas"
INSTALLED_SCHEMAS = _PACKAGE / "_schemas"


def schemas_dir() -> Path:
    """The schemas folder: the checkout's when present, else the installed copy."""
    return SOURCE_SCHEMAS if SOURCE_SCHEMAS.is_dir() else INSTALLED_SCHEMAS


def schema_path(name: str) -> Path:
    """The path of one schema file (it may not exist: callers report that in French)."""
    return schemas_dir() / name
