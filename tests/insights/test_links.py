"""URL normalisation and record <-> repository matching (inventory.insights.links)."""

from __future__ import annotations

import pytest

from inventory.catalogue.store import OwnerStatus
from inventory.insights.links import (
    match_resources,
    normalise_url,
    redirects_from_owners,
    repository_key,
)
from tests.insights.helpers import record, repo

GITLAB_FORGES = {"forge.example.fr": "gitlab", "git.example.fr": "gitea"}


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/etalab/taxe",
        "http://github.com/etalab/taxe",
        "https://GitHub.com/etalab/taxe",
        "https://www.github.com/etalab/taxe",
        "https://github.com/Etalab/Taxe",
        "https://github.com/etalab/taxe/",
        "https://github.com/etalab/taxe.git",
        "https://github.com/etalab/taxe.git/",
        "https://github.com/etalab/taxe/tree/main",
        "https://github.com/etalab/taxe/tree/main/src/calcul",
        "https://github.com/etalab/taxe/blob/main/README.md",
        "https://github.com/etalab/taxe?tab=readme-ov-file",
        "https://github.com/etalab/taxe#readme",
        "https://github.com:443/etalab/taxe",
        "git@github.com:etalab/taxe.git",
        "ssh://git@github.com/etalab/taxe.git",
        "  https://github.com/etalab/taxe  ",
    ],
)
def test_github_forms_normalise_to_one_key(url: str) -> None:
    assert repository_key(url) == "github.com/etalab/taxe"
    assert normalise_url(url) == "https://github.com/etalab/taxe"


@pytest.mark.parametrize(
    "url",
    [
        "https://gitlab.com/a/b/c",
        "https://gitlab.com/a/b/c/",
        "https://gitlab.com/a/b/c.git",
        "https://gitlab.com/A/B/C",
        "https://gitlab.com/a/b/c/-/tree/main",
        "https://gitlab.com/a/b/c/-/blob/main/src/x.py",
        "https://gitlab.com/a/b/c/-/merge_requests/3",
        "https://gitlab.com/a/b/c/tree/main",
        "https://gitlab.com/a/b/c/blob/main/README.md",
        "https://gitlab.com/a/b/c?ref_type=heads",
    ],
)
def test_gitlab_subgroup_paths_stay_whole(url: str) -> None:
    assert repository_key(url) == "gitlab.com/a/b/c"


def test_self_hosted_forges_use_the_crawled_forge_kind() -> None:
    assert repository_key("https://forge.example.fr/g/s/p/-/tree/x", GITLAB_FORGES) == (
        "forge.example.fr/g/s/p"
    )
    assert repository_key("https://git.example.fr/o/r/src/branch/main/a.py", GITLAB_FORGES) == (
        "git.example.fr/o/r"
    )
    # An unknown host is never shortened on a guess (only /-/ and reserved words are cut).
    assert repository_key("https://code.example.org/o/r/extra") == "code.example.org/o/r/extra"
    assert repository_key("https://code.example.org/o/r/-/issues") == "code.example.org/o/r"


@pytest.mark.parametrize(
    "url", ["", "mailto:a@b.fr", "ftp://github.com/a/b", "https://", "https://github.com/", 42]
)
def test_non_repository_urls_have_no_key(url: object) -> None:
    assert repository_key(url) is None


def test_a_non_default_port_is_kept() -> None:
    assert repository_key("http://127.0.0.1:8080/o/r") == "127.0.0.1:8080/o/r"
    assert repository_key("http://127.0.0.1:8080/o/r") != repository_key("http://127.0.0.1/o/r")


def test_matching_links_both_ways() -> None:
    taxe = repo("https://github.com/etalab/taxe")
    calcul = repo("https://gitlab.com/dgfip/impots/calcul", forge="gitlab")
    records = [
        record(
            "impot",
            "http://www.github.com/Etalab/taxe.git",
            "https://gitlab.com/dgfip/impots/calcul/-/tree/main",
        ),
        record("aide", "https://github.com/etalab/taxe/tree/dev"),
        record("sans-code"),
    ]
    index = match_resources(records, [taxe, calcul])
    assert [r.id for r in index.repositories_for("impot")] == [taxe.id, calcul.id]
    assert index.algorithms_for(taxe.id) == ("aide", "impot")
    assert index.algorithms_for(calcul.id) == ("impot",)
    assert index.unmatched == ()
    assert index.has_published_code("aide")
    assert not index.has_declared_code("sans-code")
    assert index.repositories_for("sans-code") == ()


@pytest.mark.parametrize(
    "url",
    [
        "https://gitlab.com/etalab/taxe",  # same name, another host
        "https://github.com/etalab/taxe-old",  # a longer name
        "https://github.com/etalab/tax",  # a prefix of the name
        "https://github.com/someone/taxe",  # a fork's URL
        "https://github.com/etalab",  # the owner, not a repository
    ],
)
def test_near_misses_do_not_match(url: str) -> None:
    index = match_resources([record("x", url)], [repo("https://github.com/etalab/taxe")])
    assert index.repositories_for("x") == ()
    assert [(u.record_id, u.url, u.index) for u in index.unmatched] == [("x", url, 0)]
    assert index.has_declared_code("x") and not index.has_published_code("x")


@pytest.mark.parametrize(
    "url",
    ["https://gitlab.com/a/b", "https://gitlab.com/a/b/c/d", "https://gitlab.com/x/b/c"],
)
def test_another_group_level_does_not_match(url: str) -> None:
    crawled = repo("https://gitlab.com/a/b/c", forge="gitlab")
    index = match_resources([record("x", url)], [crawled])
    assert index.repositories_for("x") == ()


def test_a_fork_in_the_crawl_is_not_confused_with_the_original() -> None:
    original = repo("https://github.com/etalab/taxe")
    fork = repo("https://github.com/betagouv/taxe", is_fork=True)
    index = match_resources([record("x", "https://github.com/betagouv/taxe")], [original, fork])
    assert [r.id for r in index.repositories_for("x")] == [fork.id]


def test_owner_renames_recorded_by_the_crawl_are_followed() -> None:
    moved = repo("https://github.com/new-name/taxe")
    statuses = [
        OwnerStatus(
            "github.com/old-name",
            "github.com",
            "old-name",
            "github",
            "ok",
            "2026-01-01",
            "2026-01-01",
            None,
            None,
            "new-name",
        ),
        OwnerStatus(
            "github.com/etalab",
            "github.com",
            "etalab",
            "github",
            "ok",
            "2026-01-01",
            "2026-01-01",
            None,
            None,
            None,
        ),
    ]
    redirects = redirects_from_owners(statuses)
    assert redirects == {"https://github.com/old-name": "https://github.com/new-name"}
    index = match_resources(
        [
            record("x", "https://github.com/Old-Name/taxe.git"),
            record("y", "https://github.com/old-name-2/taxe"),
        ],
        [moved],
        redirects,
    )
    assert [r.id for r in index.repositories_for("x")] == [moved.id]
    # The prefix is a whole segment: old-name-2 is another owner.
    assert index.repositories_for("y") == ()


def test_repository_redirect_chains_and_loops() -> None:
    final = repo("https://gitlab.com/c/final", forge="gitlab")
    redirects = {
        "https://gitlab.com/a/first": "https://gitlab.com/b/second",
        "https://gitlab.com/b/second": "https://gitlab.com/c/final",
        "https://gitlab.com/loop/one": "https://gitlab.com/loop/two",
        "https://gitlab.com/loop/two": "https://gitlab.com/loop/one",
    }
    index = match_resources(
        [record("x", "https://gitlab.com/a/first"), record("y", "https://gitlab.com/loop/one")],
        [final],
        redirects,
    )
    assert [r.id for r in index.repositories_for("x")] == [final.id]
    assert index.repositories_for("y") == ()


def test_unmatched_positions_skip_other_resource_types() -> None:
    rec = record(
        "x",
        "https://github.com/nowhere/thing",
        ressources=[{"type": "documentation", "url": "https://doc.example.fr"}],
    )
    index = match_resources([rec], [])
    assert [(u.url, u.index) for u in index.unmatched] == [("https://github.com/nowhere/thing", 1)]


def test_dot_segments_are_resolved() -> None:
    assert repository_key("https://github.com/etalab/taxe/../autre") == "github.com/etalab/autre"
    assert repository_key("https://github.com/etalab/./taxe") == "github.com/etalab/taxe"
    assert repository_key("https://github.com/a%2Db/taxe") == "github.com/a-b/taxe"
