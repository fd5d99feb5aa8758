"""Suggestions for misspellings: the closest allowed key or value to what was written."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable


def _normal(text: str) -> str:
    """Lower case, no accents, ``-`` and spaces as ``_``: how writers' variants differ."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ascii_text.lower().strip().replace("-", "_").replace(" ", "_")


def closest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The choice closest to ``word`` (accent, case and separator differences first)."""
    options = list(choices)
    normal = _normal(word)
    by_normal = {_normal(option): option for option in options}
    if normal in by_normal:
        return by_normal[normal]
    matches = difflib.get_close_matches(normal, list(by_normal), n=1, cutoff=cutoff)
    return by_normal[matches[0]] if matches else None
