"""DASHBOARD_ENABLED (CONTRACT.md §5, the rollback plan's feature flag) and CORS for
CORS_ALLOWED_ORIGINS (issue 5, Deliver 5), through real HTTP."""

import json
import uuid

import pytest

import support
from support import make_token

ROUTES = ("/financial/dashboard", "/financial/dashboard/summary", "/financial/dashboard/accounts",
          "/financial/dashboard/transactions", "/financial/dashboard/budgets")
SUMMARY = "/financial/dashboard/summary"
A, B, C = "https://a.example", "https://b.example", "https://c.example"


def tid(prefix):
    return "%s_%s" % (prefix, uuid.uuid4().hex[:10])


def tokens_of(header):
    return [t.strip().lower() for t in header.split(",") if t.strip()]


# ----------------------------------------------------------------------------- feature flag

@pytest.mark.parametrize("flag", ["false", "0", "off", "FALSE"])
def test_dashboard_disabled_turns_every_dashboard_route_into_404_problems(start_findash, flag):
    server = start_findash(DASHBOARD_ENABLED=flag)
    good = make_token(tenant_id=tid("obsflag"))
    bad = make_token(tenant_id=tid("obsflag"), secret="wrong-secret-wrong-secret")
    for route in ROUTES:
        for token in (good, bad, None):
            status, headers, body = support.request(server, "GET", route + "?from=2026-11-01", token=token)
            assert status == 404, (flag, route, token is not None, status, body[:200])
            assert headers.get("content-type") == "application/problem+json", headers
            problem = json.loads(body)
            assert problem["status"] == 404 and problem["title"] and problem["type"], problem
            assert "www-authenticate" not in headers, headers
            assert "etag" not in headers and "x-cache" not in headers, headers
            assert headers.get("x-request-id") and headers.get("x-content-type-options") == "nosniff"
        status, _, body = support.request(server, "HEAD", route, token=good)
        assert status == 404 and body == b""
        for method in ("POST", "DELETE", "OPTIONS"):  # a route that does not exist has no methods
            status, headers, _ = support.request(server, method, route, token=good)
            assert status == 404 and "allow" not in headers, (method, route, status, headers)
    status, _, body = support.request(server, "GET", "/health")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    status, _, body = support.request(server, "GET", "/health/dashboard")
    assert status == 200, body[:300]
    assert json.loads(body)["services"]["dashboard"]["status"] == "disabled", body[:300]
    status, _, body = support.request(server, "GET", "/metrics")
    assert status == 200 and b"dashboard_requests_total" in body


def test_dashboard_enabled_by_default_and_with_true(start_findash):
    for flag in (None, "true", "yes", "ON"):
        server = start_findash(DASHBOARD_ENABLED=flag)
        status, _, _ = support.request(server, "GET", SUMMARY, token=make_token(tenant_id=tid("obsflagon")))
        assert status == 200, flag
        _, _, body = support.request(server, "GET", "/health/dashboard")
        assert json.loads(body)["services"]["dashboard"]["status"] == "enabled", (flag, body[:300])
        server.stop()


# ----------------------------------------------------------------------------- CORS

@pytest.fixture
def cors_server(start_findash):
    return start_findash(CORS_ALLOWED_ORIGINS="%s,%s" % (A, B))


def test_preflight_for_a_listed_origin(cors_server):
    for origin in (A, B):
        for route in (SUMMARY, "/financial/dashboard"):
            status, headers, body = support.request(cors_server, "OPTIONS", route, headers={
                "Origin": origin, "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization, if-none-match"})
            assert status == 204, (origin, route, status, body[:200])
            assert body == b""
            assert headers.get("access-control-allow-origin") == origin, headers
            methods = tokens_of(headers.get("access-control-allow-methods", ""))
            assert "get" in methods and "head" in methods, headers
            allowed = tokens_of(headers.get("access-control-allow-headers", ""))
            assert "authorization" in allowed and "if-none-match" in allowed, headers
            assert headers.get("access-control-max-age", "").isdigit() and int(headers["access-control-max-age"]) > 0
            assert "origin" in tokens_of(headers.get("vary", "")), headers
            assert headers.get("access-control-allow-credentials") is None, headers


def test_preflight_for_an_unlisted_origin_gets_no_allow_origin(cors_server):
    for origin in (C, "null", "https://a.example.evil", "http://a.example", "HTTPS://A.EXAMPLE"):
        status, headers, _ = support.request(cors_server, "OPTIONS", SUMMARY, headers={
            "Origin": origin, "Access-Control-Request-Method": "GET"})
        assert status in (200, 204, 403), (origin, status)
        assert "access-control-allow-origin" not in headers, (origin, headers)
        assert "access-control-allow-methods" not in headers, (origin, headers)


def test_actual_get_carries_allow_origin_only_for_listed_origins(cors_server):
    # The 304 below needs the cache in use (until then each answer is computed afresh).
    cors_server.wait_cache_ready()
    token = make_token(tenant_id=tid("obscors"))
    status, headers, _ = support.request(cors_server, "GET", SUMMARY, token=token, headers={"Origin": A})
    assert status == 200
    assert headers.get("access-control-allow-origin") == A, headers
    assert "origin" in tokens_of(headers.get("vary", "")), headers
    assert "authorization" in tokens_of(headers.get("vary", "")), headers
    exposed = tokens_of(headers.get("access-control-expose-headers", ""))
    assert "etag" in exposed and "x-request-id" in exposed, headers

    status, headers, _ = support.request(cors_server, "GET", SUMMARY, token=token, headers={"Origin": C})
    assert status == 200
    assert "access-control-allow-origin" not in headers, headers
    assert "origin" in tokens_of(headers.get("vary", "")), headers

    status, headers, _ = support.request(cors_server, "GET", SUMMARY, token=token)
    assert status == 200
    assert "access-control-allow-origin" not in headers, headers
    assert "origin" in tokens_of(headers.get("vary", "")), "Vary: Origin missing without an Origin: %s" % headers

    etag = headers["etag"]
    status, headers, _ = support.request(cors_server, "GET", SUMMARY, token=token,
                                         headers={"Origin": B, "If-None-Match": etag})
    assert status == 304
    assert headers.get("access-control-allow-origin") == B, headers


def test_refusals_to_a_listed_origin_are_readable_by_the_frontend(cors_server):
    """A browser app must be able to read a 401 (expired token: log in again) and a 400:
    without Access-Control-Allow-Origin the browser hides them as network errors."""
    token = make_token(tenant_id=tid("obscors401"))
    cases = {
        "401 without a token": (SUMMARY, None),
        "401 with an expired token": (SUMMARY, make_token(tenant_id=tid("obscorsexp"), ttl=-60)),
        "400 bad parameter": (SUMMARY + "?from=nope", token),
    }
    unreadable = []
    for what, (path, tok) in cases.items():
        status, headers, _ = support.request(cors_server, "GET", path, token=tok, headers={"Origin": A})
        assert status == int(what[:3]), (what, status)
        if headers.get("access-control-allow-origin") != A or "origin" not in tokens_of(headers.get("vary", "")):
            unreadable.append("%s: %s" % (what, headers))
    assert not unreadable, "responses to a listed origin without Access-Control-Allow-Origin / Vary: Origin:\n" \
        + "\n".join(unreadable)


def test_rate_limit_and_retry_after_are_exposed_to_a_listed_origin(start_findash):
    """The X-RateLimit-* headers are only useful to a browser frontend when it may read
    them (Access-Control-Expose-Headers); a 429 must reach it with ACAO."""
    server = start_findash(CORS_ALLOWED_ORIGINS=A, RATE_LIMIT_RPS="0.1", RATE_LIMIT_BURST="1")
    token = make_token(tenant_id=tid("obscorsrl"))
    status, headers, _ = support.request(server, "GET", SUMMARY, token=token, headers={"Origin": A})
    assert status == 200
    exposed = tokens_of(headers.get("access-control-expose-headers", ""))
    missing = [h for h in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after")
               if h not in exposed]
    assert not missing, "Access-Control-Expose-Headers lacks %s: %r" % (missing, headers.get("access-control-expose-headers"))
    status, headers, _ = support.request(server, "GET", SUMMARY, token=token, headers={"Origin": A})
    assert status == 429
    assert headers.get("access-control-allow-origin") == A, headers


def test_without_cors_options_is_405_with_allow(start_findash):
    server = start_findash(CORS_ALLOWED_ORIGINS=None)
    for path in (SUMMARY, "/health"):
        status, headers, body = support.request(server, "OPTIONS", path, headers={
            "Origin": A, "Access-Control-Request-Method": "GET"})
        assert status == 405, (path, status)
        assert tokens_of(headers.get("allow", "")) == ["get", "head"], headers
        assert "access-control-allow-origin" not in headers
        assert headers.get("content-type") == "application/problem+json"
    token = make_token(tenant_id=tid("obsnocors"))
    status, headers, _ = support.request(server, "GET", SUMMARY, token=token, headers={"Origin": A})
    assert status == 200
    assert not any(h.startswith("access-control-") for h in headers), headers
