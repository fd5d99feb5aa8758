"""The root-files queries: valid against the forges' schemas, within their limits, names as
variables only."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from crawlers import github_graphql, gitlab_graphql
from tests.emulator.health import GITLAB_MAX_COMPLEXITY, gitlab_complexity, gitlab_schema
from tests.insights.helpers import repo


def test_gitlab_query_fits_gitlab_limits() -> None:
    batch = [repo(f"https://gitlab.com/g/sous-groupe/r{i}") for i in range(gitlab_graphql.BATCH)]
    query, variables = gitlab_graphql.query(batch)
    document = parse(query)
    assert validate(gitlab_schema(), document) == []
    assert variables["p0"] == "g/sous-groupe/r0"
    # Scored as GitLab scores it: well under the anonymous limit, with room for one more.
    score = gitlab_complexity(gitlab_schema(), document, variables)
    assert score + score // gitlab_graphql.BATCH <= GITLAB_MAX_COMPLEXITY
    hostile = repo('https://gitlab.com/o/x") { evil }')
    query, variables = gitlab_graphql.query([hostile])
    assert "evil" not in query and variables["p0"] == 'o/x") { evil }'


@pytest.mark.parametrize(
    ("api", "url"),
    [
        ("https://gitlab.example.fr/api/v4", "https://gitlab.example.fr/api/graphql"),
        ("http://127.0.0.1:8080/gl/api/v4/", "http://127.0.0.1:8080/gl/api/graphql"),
        ("http://127.0.0.1:8080/health-gl", "http://127.0.0.1:8080/health-gl/graphql"),
    ],
)
def test_gitlab_graphql_url(api: str, url: str) -> None:
    assert gitlab_graphql.graphql_url(api) == url


def test_query_uses_variables_only() -> None:
    hostile = repo('https://github.com/o/x") { evil }')
    query, variables = github_graphql.root_files_query([hostile])
    assert "evil" not in query and variables["n0"] == 'x") { evil }'


@pytest.mark.parametrize(
    "api_url",
    ["https://api.github.com", "https://ghe.example.fr/api/v3", "http://127.0.0.1:8080/gh"],
)
def test_github_graphql_url_is_the_one_pygithub_uses(api_url: str) -> None:
    from github import Github

    assert github_graphql.graphql_url(api_url) == Github(base_url=api_url).requester.graphql_url
