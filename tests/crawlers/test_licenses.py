"""Licence normalisation: forge keys and names -> SPDX ids, French licences included."""

from __future__ import annotations

import pytest
from license_expression import get_spdx_licensing

from crawlers.licenses import normalize_license


@pytest.mark.parametrize(
    ("key", "name", "expected"),
    [
        # GitLab license.key / license.name (licensee keys, choosealicense names).
        ("cecill-2.1", "CeCILL Free Software License Agreement v2.1", "CECILL-2.1"),
        ("cecill-b", None, "CECILL-B"),
        ("cecill-c", None, "CECILL-C"),
        ("cecill-1.0", None, "CECILL-1.0"),
        ("cecill-1.1", None, "CECILL-1.1"),
        ("cecill-2.0", None, "CECILL-2.0"),
        (None, "CeCILL-2.1", "CECILL-2.1"),
        (None, "Licence CeCILL version 2.1", "CECILL-2.1"),
        ("gpl-3.0", "GNU General Public License v3.0", "GPL-3.0-only"),
        ("lgpl-2.1", "GNU Lesser General Public License v2.1", "LGPL-2.1-only"),
        ("agpl-3.0", None, "AGPL-3.0-only"),
        ("mit", "MIT License", "MIT"),
        ("other", "MIT License", "MIT"),
        ("apache-2.0", None, "Apache-2.0"),
        ("eupl-1.2", None, "EUPL-1.2"),
        # GitHub spdx_id and Gitea licence names are SPDX ids already.
        ("MIT", None, "MIT"),
        ("GPL-3.0", None, "GPL-3.0-only"),
        ("GPL-3.0-or-later", None, "GPL-3.0-or-later"),
        ("Apache-2.0 OR MIT", None, "Apache-2.0 OR MIT"),
        # The Etalab open licence under its various spellings.
        ("etalab-2.0", None, "etalab-2.0"),
        ("Etalab-2.0", None, "etalab-2.0"),
        ("LO-FR-2.0", None, "etalab-2.0"),
        (None, "Licence Ouverte 2.0", "etalab-2.0"),
        (None, "Licence Ouverte / Open Licence version 2.0", "etalab-2.0"),
    ],
)
def test_known_licences_map_to_spdx(key, name, expected):
    assert normalize_license(key, name) == expected


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("NOASSERTION", None),
        ("other", "Other"),
        ("", ""),
        (None, None),
        ("   ", None),
        ("not-a-licence", None),
        ("CeCILL", None),  # no version: which CeCILL is unknown, never guess
        ("LO-FR-1.0", None),  # Licence Ouverte 1.0 has no SPDX id
        ("MIT AND (", None),
        ("LicenseRef-private", None),
        ("x" * 5000, None),
        (42, ["MIT"]),
        ({"key": "mit"}, 3.5),
    ],
)
def test_unknown_or_odd_values_give_none_without_raising(key, name):
    assert normalize_license(key, name) is None


def test_results_are_valid_spdx_expressions():
    licensing = get_spdx_licensing()
    for value in ("cecill-2.1", "CeCILL-B", "Licence Ouverte", "gpl-3.0", "Apache License 2.0"):
        spdx = normalize_license(value)
        assert spdx is not None
        assert licensing.validate(spdx).errors == []


def test_original_value_is_kept_as_given_and_bounded():
    from crawlers.licenses import ORIGINAL_MAX, original_license

    assert original_license(None, "", "  apache-2.0 ") == "apache-2.0"
    assert original_license(["MIT", "MIT", " ", "Apache-2.0"]) == "MIT, Apache-2.0"
    assert original_license(None, 42, [], "") is None
    assert len(original_license("x" * 10_000) or "") == ORIGINAL_MAX
