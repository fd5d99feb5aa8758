"""The shared HTTP layer against the emulator: ETags, retries, rate limits, secrets."""

from __future__ import annotations

import time

import pytest
import requests

from crawlers.base import ForgeKind
from crawlers.errors import ForgeUnavailable, RateLimited
from crawlers.http import (
    CACHE_HEADER,
    HttpPolicy,
    MemoryEtagStore,
    Stats,
    api_root,
    make_session,
    parse_api_overrides,
    redact_url,
    token_env_name,
    token_for,
)
from tests.emulator.core import Emulator

ITEMS = [{"id": i, "name": f"depot-{i}"} for i in range(250)]


@pytest.fixture
def items_emulator(emulator: Emulator) -> Emulator:
    emulator.route("GET", r"/items", lambda req, m: emulator.paginate(req, ITEMS, max_per_page=100))
    emulator.route("GET", r"/one", lambda req, m: emulator.json(req, {"ok": True}))
    return emulator


def _session(policy: HttpPolicy, stats: Stats | None = None, etags=None, headers=None):
    return make_session(
        "127.0.0.1", stats=stats or Stats(), etags=etags, policy=policy, headers=headers
    )


def test_etag_revalidation_replays_body_and_link(items_emulator: Emulator, fast_policy):
    stats, etags = Stats(), MemoryEtagStore()
    session = _session(fast_policy, stats, etags)
    url = f"{items_emulator.url}/items?per_page=100&page=1"
    first = session.get(url)
    assert first.status_code == 200 and len(first.json()) == 100
    assert CACHE_HEADER not in first.headers
    second = session.get(url)
    assert second.status_code == 200
    assert second.headers[CACHE_HEADER] == "revalidated"
    assert second.json() == first.json()
    assert second.headers["Link"] == first.headers["Link"]
    assert 'rel="next"' in second.headers["Link"]
    assert stats.snapshot() == {"requests": 2, "not_modified": 1, "retries": 0}
    assert items_emulator.count("/items", status=304) == 1
    assert items_emulator.requests("/items")[1].headers["If-None-Match"] == first.headers["ETag"]


def test_server_caps_page_size(items_emulator: Emulator, fast_policy):
    session = _session(fast_policy)
    page = session.get(f"{items_emulator.url}/items?per_page=500&page=3")
    assert [item["id"] for item in page.json()] == list(range(200, 250))
    assert 'rel="prev"' in page.headers["Link"] and 'rel="next"' not in page.headers["Link"]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_then_success_is_retried(items_emulator: Emulator, fast_policy, sleeps, status):
    items_emulator.fault("/one", "status", times=2, status=status)
    stats = Stats()
    response = _session(fast_policy, stats).get(f"{items_emulator.url}/one")
    assert response.json() == {"ok": True}
    assert stats.requests == 3 and stats.retries == 2
    # Bounded exponential back-off: base, then twice the base.
    assert sleeps == [fast_policy.backoff_base, fast_policy.backoff_base * 2]


@pytest.mark.parametrize("status", [501, 505])
def test_permanent_server_errors_are_answered_at_once(
    items_emulator: Emulator, fast_policy, sleeps, status
):
    # 501 (e.g. POST not implemented by a proxy): retrying cannot help, the caller decides.
    items_emulator.fault("/one", "status", times=None, status=status)
    stats = Stats()
    response = _session(fast_policy, stats).get(f"{items_emulator.url}/one")
    assert response.status_code == status
    assert stats.requests == 1 and stats.retries == 0 and sleeps == []


def test_5xx_forever_gives_up_with_french_error(items_emulator: Emulator, fast_policy, sleeps):
    items_emulator.fault("/one", "status", times=None, status=503)
    stats = Stats()
    with pytest.raises(ForgeUnavailable, match="erreur du serveur HTTP 503"):
        _session(fast_policy, stats).get(f"{items_emulator.url}/one")
    assert stats.requests == fast_policy.max_retries + 1
    assert max(sleeps) <= fast_policy.backoff_max


def test_backoff_is_bounded(items_emulator: Emulator, sleeps):
    policy = HttpPolicy(
        timeout=0.5, max_retries=6, backoff_base=1, backoff_max=4, sleep=sleeps.append
    )
    items_emulator.fault("/one", "status", times=6)
    _session(policy).get(f"{items_emulator.url}/one")
    assert sleeps == [1, 2, 4, 4, 4, 4]


def test_429_retry_after_is_honoured(items_emulator: Emulator, fast_policy, sleeps):
    items_emulator.fault("/one", "rate_limit", times=1, retry_after=7)
    response = _session(fast_policy).get(f"{items_emulator.url}/one")
    assert response.json() == {"ok": True}
    assert sleeps == [7.0]


def test_403_secondary_rate_limit_is_retried(items_emulator: Emulator, fast_policy, sleeps):
    items_emulator.fault("/one", "secondary", times=1, retry_after=3)
    response = _session(fast_policy).get(f"{items_emulator.url}/one")
    assert response.status_code == 200
    assert sleeps == [3.0]


def test_plain_403_is_not_retried(emulator: Emulator, fast_policy, sleeps):
    emulator.route(
        "GET", "/private", lambda req, m: emulator.json(req, {"message": "Forbidden"}, status=403)
    )
    response = _session(fast_policy).get(f"{emulator.url}/private")
    assert response.status_code == 403
    assert sleeps == [] and emulator.count("/private") == 1


def test_rate_limit_reset_soon_waits_until_reset(items_emulator: Emulator, sleeps):
    now = time.time()
    policy = HttpPolicy(timeout=0.5, sleep=sleeps.append, now=lambda: now)
    items_emulator.fault("/one", "exhausted", times=1, reset_in=10)
    assert _session(policy).get(f"{items_emulator.url}/one").status_code == 200
    assert len(sleeps) == 1 and 9 <= sleeps[0] <= 12


def test_gitlab_ratelimit_reset_in_seconds(emulator: Emulator, sleeps, fast_policy):
    calls = []

    def handler(req, m):
        calls.append(1)
        if len(calls) == 1:
            return emulator.json(
                req, {"message": "429"}, status=429, headers={"RateLimit-Reset": "5"}
            )
        return emulator.json(req, [])

    emulator.route("GET", "/api/v4/projects", handler)
    assert _session(fast_policy).get(f"{emulator.url}/api/v4/projects").json() == []
    assert sleeps == [5.0]


def test_rate_limit_reset_far_away_defers(items_emulator: Emulator, fast_policy, sleeps):
    items_emulator.fault("/one", "exhausted", times=None, reset_in=3600)
    with pytest.raises(RateLimited) as caught:
        _session(fast_policy).get(f"{items_emulator.url}/one")
    assert caught.value.reset_at is not None and caught.value.reset_at > time.time() + 3000
    assert "reportée" in str(caught.value)
    assert sleeps == []
    assert items_emulator.count("/one") == 1


def test_timeout_is_retried_then_succeeds(items_emulator: Emulator, sleeps):
    policy = HttpPolicy(timeout=1.0, max_retries=3, sleep=sleeps.append)
    items_emulator.fault("/one", "timeout", times=1, delay=4.0)
    stats = Stats()
    started = time.monotonic()
    response = _session(policy, stats).get(f"{items_emulator.url}/one")
    assert response.json() == {"ok": True}
    assert stats.retries >= 1 and stats.requests == stats.retries + 1
    # The client gave up on the slow answer instead of waiting for it.
    assert time.monotonic() - started < 4.0


def test_connection_refused_gives_up(fast_policy, sleeps):
    with pytest.raises(ForgeUnavailable, match="connexion impossible"):
        _session(fast_policy).get("http://127.0.0.1:9/nothing")
    assert len(sleeps) == fast_policy.max_retries


def test_truncated_body_is_not_cached(items_emulator: Emulator, fast_policy):
    items_emulator.fault("/one", "truncated", times=1)
    etags = MemoryEtagStore()
    session = _session(fast_policy, etags=etags)
    broken = session.get(f"{items_emulator.url}/one")
    with pytest.raises(ValueError):
        broken.json()
    assert len(etags) == 0
    assert session.get(f"{items_emulator.url}/one").json() == {"ok": True}
    assert len(etags) == 1


def test_tokens_never_in_errors(items_emulator: Emulator, fast_policy):
    secret = "ghp_SECRETSECRETSECRET"
    items_emulator.fault("/one", "status", times=None, status=500)
    session = _session(fast_policy, headers={"Authorization": f"token {secret}"})
    with pytest.raises(ForgeUnavailable) as caught:
        session.get(f"{items_emulator.url}/one?token={secret}&private_token={secret}")
    text = (
        f"{caught.value} {caught.value!r} {caught.value.__cause__!r} {caught.value.__context__!r}"
    )
    assert secret not in text
    assert "Authorization" not in text
    # The header did reach the server (the token is used, just never shown).
    assert items_emulator.requests("/one")[0].headers["Authorization"] == f"token {secret}"


def test_redact_url_masks_secret_params():
    assert "s3cr3t" not in redact_url("https://h/api?private_token=s3cr3t&page=2")
    assert "page=2" in redact_url("https://h/api?private_token=s3cr3t&page=2")


def test_token_for_environment_only():
    env = {"GITHUB_TOKEN": "gh", "GITLAB_TOKEN": "gl", "INVENTORY_TOKEN_GIT_EXAMPLE_FR": "ex"}
    assert token_env_name("git.example-1.fr") == "INVENTORY_TOKEN_GIT_EXAMPLE_1_FR"
    assert token_for("github.com", env) == "gh"
    assert token_for("gitlab.com", env) == "gl"
    assert token_for("git.example.fr", env) == "ex"
    assert token_for("framagit.org", env) is None
    env["INVENTORY_TOKEN_GITHUB_COM"] = "specific"
    assert token_for("github.com", env) == "specific"


def test_api_roots_and_overrides():
    assert api_root("github.com", ForgeKind.GITHUB) == "https://api.github.com"
    assert api_root("ghe.example.fr", "github") == "https://ghe.example.fr/api/v3"
    assert api_root("gitlab.com", "gitlab") == "https://gitlab.com/api/v4"
    assert api_root("git.example.fr", "gitea") == "https://git.example.fr/api/v1"
    assert api_root("gogs.example.fr", "gogs") == "https://gogs.example.fr/api/v1"
    assert api_root("codeberg.org", "forgejo") == "https://codeberg.org/api/v1"
    overrides = parse_api_overrides(["github.com=http://127.0.0.1:8080/gh/"])
    assert api_root("github.com", "github", overrides) == "http://127.0.0.1:8080/gh"
    with pytest.raises(ValueError, match="HOTE=URL"):
        parse_api_overrides(["github.com"])


def test_requests_session_non_get_not_cached(items_emulator: Emulator, fast_policy):
    items_emulator.route("POST", "/one", lambda req, m: items_emulator.json(req, {"posted": 1}))
    etags = MemoryEtagStore()
    response = _session(fast_policy, etags=etags).post(f"{items_emulator.url}/one")
    assert response.json() == {"posted": 1} and len(etags) == 0
    assert isinstance(response, requests.Response)
