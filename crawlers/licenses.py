"""Licence normalisation: whatever a forge says about a licence -> an SPDX id (or None).

Forges describe licences differently: GitHub gives an SPDX id (``spdx_id``, ``NOASSERTION``
when unknown), GitLab gives the licensee key and name (``cecill-2.1`` / ``CeCILL Free Software
License Agreement v2.1``, ``other``), Gitea >= 1.22 gives SPDX ids in ``licenses``. Everything
goes through the SPDX licensing index of ``license-expression`` (which knows CeCILL-1.0 to
CeCILL-2.1, CeCILL-B, CeCILL-C and ``etalab-2.0``), after a small table of the full names
forges print and of the French "Licence Ouverte" (version 2.0 is the Etalab Open Licence 2.0).

:func:`normalize_license` never raises: an unknown or odd value gives None, never a guess.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

from license_expression import ExpressionError, Licensing, get_spdx_licensing

#: Values that mean "no usable licence information".
_NO_INFORMATION = frozenset(
    {
        "",
        "noassertion",
        "other",
        "none",
        "null",
        "unknown",
        "unlicensed",
        "see license",
        "proprietary",
        "all rights reserved",
    }
)

#: Full names printed by forges (GitHub/GitLab use choosealicense.com names) and French
#: names; values are SPDX ids. Looked up through :func:`_name_key`.
_NAME_TABLE = {
    "GNU Affero General Public License v3.0": "AGPL-3.0-only",
    "GNU AGPLv3": "AGPL-3.0-only",
    "Apache License 2.0": "Apache-2.0",
    "Apache License, Version 2.0": "Apache-2.0",
    "Apache v2": "Apache-2.0",
    'BSD 2-Clause "Simplified" License': "BSD-2-Clause",
    'BSD 3-Clause "New" or "Revised" License': "BSD-3-Clause",
    "BSD 3-Clause Clear License": "BSD-3-Clause-Clear",
    'BSD 4-Clause "Original" or "Old" License': "BSD-4-Clause",
    "BSD Zero Clause License": "0BSD",
    "Boost Software License 1.0": "BSL-1.0",
    "Creative Commons Attribution 4.0 International": "CC-BY-4.0",
    "Creative Commons Attribution Share Alike 4.0 International": "CC-BY-SA-4.0",
    "Creative Commons Zero v1.0 Universal": "CC0-1.0",
    "Eclipse Public License 1.0": "EPL-1.0",
    "Eclipse Public License 2.0": "EPL-2.0",
    "European Union Public License 1.1": "EUPL-1.1",
    "European Union Public License 1.2": "EUPL-1.2",
    "European Union Public Licence v. 1.2": "EUPL-1.2",
    "GNU General Public License v2.0": "GPL-2.0-only",
    "GNU General Public License v3.0": "GPL-3.0-only",
    "GNU GPLv2": "GPL-2.0-only",
    "GNU GPLv3": "GPL-3.0-only",
    "GNU Lesser General Public License v2.1": "LGPL-2.1-only",
    "GNU Lesser General Public License v3.0": "LGPL-3.0-only",
    "GNU LGPLv3": "LGPL-3.0-only",
    "ISC License": "ISC",
    "MIT License": "MIT",
    "MIT No Attribution": "MIT-0",
    "Mozilla Public License 2.0": "MPL-2.0",
    "The Unlicense": "Unlicense",
    "Do What The F*ck You Want To Public License": "WTFPL",
    "zlib License": "Zlib",
    "SIL Open Font License 1.1": "OFL-1.1",
    "Artistic License 2.0": "Artistic-2.0",
    "University of Illinois/NCSA Open Source License": "NCSA",
    "Academic Free License v3.0": "AFL-3.0",
    "Educational Community License v2.0": "ECL-2.0",
    "Open Software License 3.0": "OSL-3.0",
    "The PostgreSQL License": "PostgreSQL",
    "Microsoft Public License": "MS-PL",
    # French public-sector licences: the Licence Ouverte 2.0 *is* the Etalab Open Licence 2.0.
    "Licence Ouverte": "etalab-2.0",
    "Licence Ouverte 2.0": "etalab-2.0",
    "Licence Ouverte v2.0": "etalab-2.0",
    "Licence Ouverte version 2.0": "etalab-2.0",
    "Licence Ouverte Etalab": "etalab-2.0",
    "Licence Ouverte Etalab 2.0": "etalab-2.0",
    "Licence Ouverte / Open Licence": "etalab-2.0",
    "Licence Ouverte / Open Licence 2.0": "etalab-2.0",
    "Licence Ouverte / Open Licence version 2.0": "etalab-2.0",
    "LO-FR-2.0": "etalab-2.0",
    "LO 2.0": "etalab-2.0",
    "Etalab": "etalab-2.0",
    "Etalab Open License 2.0": "etalab-2.0",
    "Etalab Open Licence 2.0": "etalab-2.0",
    "Open Licence 2.0": "etalab-2.0",
}

_CECILL = re.compile(
    r"cecill(?:[\s_-]*(?P<variant>[bc])\b|[\s_-]*(?:v|version|vers\.?)?\s*(?P<version>[12][.,][01]|[12])\b)?",
    re.IGNORECASE,
)
_CECILL_VERSIONS = {"1": "1.0", "2": "2.0", "1.0": "1.0", "1.1": "1.1", "2.0": "2.0", "2.1": "2.1"}


_LICENSING_LOCK = threading.Lock()
_LICENSING: list[Licensing] = []


def spdx_licensing() -> Licensing:
    """The process's one SPDX :class:`Licensing`, built once and shared by every thread.

    Building it (``get_spdx_licensing()``) parses the whole SPDX index: about 60 ms of CPU,
    which once cost every licence check. It is built under a lock and warmed up (its
    tokenizer, otherwise built lazily by the first ``parse`` without any lock, is made here)
    so that concurrent threads only ever read it.
    """
    if not _LICENSING:
        with _LICENSING_LOCK:
            if not _LICENSING:
                licensing = get_spdx_licensing()
                licensing.parse("MIT")  # builds the advanced tokenizer before sharing
                _LICENSING.append(licensing)
    return _LICENSING[0]


def _licensing() -> Licensing:
    return spdx_licensing()


def _name_key(text: str) -> str:
    """A forgiving key for a licence name: lower case, no quotes, no "license" word."""
    key = text.lower().replace('"', " ").replace("'", " ").replace("’", " ")
    key = re.sub(r"\b(the|licen[cs]es?|contrat de)\b", " ", key)
    key = re.sub(r"\bversion\s+", "v", key)
    return " ".join(key.replace(",", " ").split())


def _from_cecill(text: str) -> str | None:
    """``CeCILL-B``, ``CeCILL v2.1``, ``CeCILL Free Software License Agreement v2.1``..."""
    match = _CECILL.search(text)
    if not match:
        return None
    if match.group("variant"):
        return f"CECILL-{match.group('variant').upper()}"
    version = match.group("version")
    if version is None:
        tail = re.search(r"\bv?(?:ersion\s*)?([12][.,][01])\b", text[match.end() :])
        version = tail.group(1) if tail else None
    if version is None:
        return None  # "CeCILL" without a version: which one is unknown
    return f"CECILL-{_CECILL_VERSIONS[version.replace(',', '.')]}"


def _from_expression(text: str) -> str | None:
    """Parse ``text`` as an SPDX expression whose every licence is known to the index."""
    licensing = _licensing()
    try:
        if licensing.validate(text).errors:
            return None
        expression = licensing.parse(text)
    except (ExpressionError, TypeError, ValueError, AttributeError):
        return None
    if expression is None:
        return None
    rendered = expression.render()
    return rendered or None


_NAMES = {_name_key(name): spdx for name, spdx in _NAME_TABLE.items()}


def _normalize_one(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if text.lower() in _NO_INFORMATION or len(text) > 300:
        return None
    spdx = _from_expression(text)
    if spdx is not None:
        return None if "licenseref-" in spdx.lower() else spdx
    if text.lower().replace(" ", "") in ("lo-fr-1.0", "licenceouverte1.0", "licenceouvertev1.0"):
        return None  # Licence Ouverte 1.0 has no SPDX id
    named = _NAMES.get(_name_key(text))
    if named:
        return named
    if "cecill" in text.lower():
        return _from_cecill(text)
    return None


@functools.lru_cache(maxsize=4096)
def _normalize_cached(key: str | None, name: str | None) -> str | None:
    return _normalize_one(key) or _normalize_one(name)


def normalize_license(key: Any, name: Any = None) -> str | None:
    """The SPDX id (or expression) for a forge's licence ``key`` and/or ``name``; None if unknown.

    ``key`` is tried first (GitHub ``spdx_id``, GitLab ``license.key``, a Gitea licence name),
    then ``name``. ``NOASSERTION``, ``other``, empty values and anything unrecognised give None.
    Never raises.
    """
    try:
        key = key if isinstance(key, str) else None
        name = name if isinstance(name, str) else None
        return _normalize_cached(key, name)
    except Exception:  # defensive: a licence must never break a crawl
        return None


#: Longest licence value kept as the forge gave it (forges are untrusted).
ORIGINAL_MAX = 200


def original_license(*values: Any) -> str | None:
    """The licence as the forge gave it: the first non-empty text of ``values`` (several
    texts, as Gitea's list of licence files, are joined with « , »), bounded in size."""
    for value in values:
        if isinstance(value, list | tuple):
            texts = [v.strip() for v in value if isinstance(v, str) and v.strip()]
            text = ", ".join(dict.fromkeys(texts))
        else:
            text = value.strip() if isinstance(value, str) else ""
        if text:
            return text[:ORIGINAL_MAX]
    return None
