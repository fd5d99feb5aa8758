"""Text helpers shared by every layer: folding for matching, slugs, host names of URLs."""

from __future__ import annotations

import functools
import re
import unicodedata


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated slug ('' when nothing is left)."""
    ascii_text = fold(text)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80].strip("-")


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold(text: object) -> str:
    """Lower-case text without accents, for searching and matching."""
    value = str(text or "")
    if value.isascii():
        return value.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", value)).lower()


@functools.lru_cache(maxsize=65536)
def host(url: object) -> str:
    """The lower-case host name of an http(s) URL ('' when there is none)."""
    text = str(url or "").strip()
    _, sep, rest = text.partition("://")
    if not sep:
        return ""
    netloc = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    netloc = netloc.rsplit("@", 1)[-1]
    if netloc.startswith("["):
        return netloc.split("]", 1)[0].lstrip("[").lower()
    return netloc.split(":", 1)[0].lower()
