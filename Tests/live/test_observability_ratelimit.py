"""Per-tenant rate limiting (issue 5, Deliver 3) through real HTTP.

RATE_LIMIT_RPS / RATE_LIMIT_BURST (default max(1, ceil(2 × RPS))): a token bucket per
tenant; over it, 429 application/problem+json with Retry-After (whole seconds ≥ 1);
X-RateLimit-Limit (= burst) / -Remaining / -Reset on every dashboard response after
authentication while limiting is on; nothing of the kind when RATE_LIMIT_RPS is unset.
"""

import json
import os
import subprocess
import time
import uuid

import support
from support import make_token

SUMMARY = "/financial/dashboard/summary"
RL_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def tid(prefix):
    return "%s_%s" % (prefix, uuid.uuid4().hex[:10])


def rl(headers):
    """(limit, remaining, reset) as ints; fails when one is missing or not an integer."""
    values = []
    for name in RL_HEADERS:
        assert name in headers, "%s missing: %s" % (name, headers)
        assert headers[name].isdigit(), "%s is not a non-negative integer: %r" % (name, headers[name])
        values.append(int(headers[name]))
    return tuple(values)


def test_burst_then_429_with_retry_after_and_headers_on_every_dashboard_response(start_findash):
    # 0.1 rps: a refill every 10 s, so the sequence below cannot be topped up midway (even
    # with a stall of a few seconds on a busy machine).
    server = start_findash(RATE_LIMIT_RPS="0.1", RATE_LIMIT_BURST="4")
    # The 304 below needs the cache in use: before that, the revalidation is computed
    # afresh and may carry another generated_at (another ETag).
    server.wait_cache_ready()
    token = make_token(tenant_id=tid("obsrl"))
    seen = []

    status, headers, _ = support.request(server, "GET", SUMMARY, token=token)
    assert status == 200
    seen.append((status, rl(headers)))
    etag = headers["etag"]
    status, headers, _ = support.request(server, "GET", SUMMARY, token=token, headers={"If-None-Match": etag})
    assert status == 304
    seen.append((status, rl(headers)))
    status, headers, body = support.request(server, "GET", SUMMARY + "?from=not-a-date", token=token)
    assert status == 400, body
    seen.append((status, rl(headers)))
    status, headers, _ = support.request(server, "HEAD", SUMMARY, token=token)
    assert status == 200
    seen.append((status, rl(headers)))
    status, headers, body = support.request(server, "GET", SUMMARY, token=token)
    assert status == 429, (status, body[:200])
    seen.append((status, rl(headers)))

    assert [limit for _, (limit, _, _) in seen] == [4] * 5, seen
    assert [rem for _, (_, rem, _) in seen] == [3, 2, 1, 0, 0], seen
    for _, (_, remaining, reset) in seen:
        assert 1 <= reset <= 45, seen  # seconds until the bucket is full again (4 tokens at 0.1/s ≤ 40 s)

    # The 429 itself.
    assert headers.get("content-type") == "application/problem+json", headers
    problem = json.loads(body)
    assert problem["status"] == 429 and problem["title"] and problem["type"], problem
    retry = headers.get("retry-after", "")
    assert retry.isdigit() and 1 <= int(retry) <= 10, "Retry-After %r: want whole seconds, 1..10 at 0.1 rps" % retry
    assert headers.get("x-request-id")
    # Unauthenticated requests are not charged to anyone (and carry no tenant's numbers).
    status, headers, _ = support.request(server, "GET", SUMMARY)
    assert status == 401
    assert not any(name in headers for name in RL_HEADERS), headers


def test_after_retry_after_seconds_a_request_succeeds(start_findash):
    # 0.5 rps: the refused third request and the one remaining==0 below hold for 2 s (one
    # refill period) after the burst, so a stall of about a second cannot flip them.
    server = start_findash(RATE_LIMIT_RPS="0.5", RATE_LIMIT_BURST="2")
    token = make_token(tenant_id=tid("obsrlwait"))
    statuses = [support.request(server, "GET", SUMMARY, token=token)[0] for _ in range(2)]
    assert statuses == [200, 200]
    status, headers, _ = support.request(server, "GET", SUMMARY, token=token)
    assert status == 429
    retry = int(headers["retry-after"])
    assert 1 <= retry <= 2, retry
    time.sleep(retry)
    status, headers, body = support.request(server, "GET", SUMMARY, token=token)
    assert status == 200, "still refused %.1f s after Retry-After: %s %s" % (retry, status, body[:200])
    assert rl(headers)[1] == 0


def test_another_tenant_is_unaffected_by_one_tenants_exhaustion(start_findash):
    server = start_findash(RATE_LIMIT_RPS="0.1", RATE_LIMIT_BURST="3")
    shared_id = tid("obsrlnoisy")
    noisy = make_token(tenant_type="user", tenant_id=shared_id)
    statuses = [support.request(server, "GET", SUMMARY, token=noisy)[0] for _ in range(10)]
    assert statuses == [200] * 3 + [429] * 7, statuses
    # Another user, an organization with the same id, and the same tenant with another
    # subject (a second session of the same tenant shares the tenant's bucket).
    others = {
        "other user": make_token(tenant_type="user", tenant_id=tid("obsrlquiet")),
        "organization with the same id": make_token(tenant_type="organization", tenant_id=shared_id),
    }
    for what, token in others.items():
        for i in range(3):
            status, headers, _ = support.request(server, "GET", SUMMARY, token=token)
            assert status == 200, "%s refused (request %d) after another tenant was limited" % (what, i + 1)
            assert rl(headers)[1] == 2 - i, (what, headers)
    same_tenant = make_token(tenant_type="user", tenant_id=shared_id, claims_override={"sub": "second-session"})
    assert support.request(server, "GET", SUMMARY, token=same_tenant)[0] == 429, \
        "the bucket is per tenant, not per token"


def test_default_burst_is_twice_the_rate_rounded_up(start_findash):
    for rps, burst in (("0.3", 1), ("1.5", 3), ("2", 4)):
        server = start_findash(RATE_LIMIT_RPS=rps)
        token = make_token(tenant_id=tid("obsrldef"))
        status, headers, _ = support.request(server, "GET", SUMMARY, token=token)
        assert status == 200
        assert rl(headers)[0] == burst, "RATE_LIMIT_RPS=%s: X-RateLimit-Limit %s, want %d" % (rps, headers, burst)
        server.stop()


def test_no_rate_limit_headers_and_no_limit_when_off(start_findash):
    server = start_findash(RATE_LIMIT_RPS=None, RATE_LIMIT_BURST=None)
    token = make_token(tenant_id=tid("obsrloff"))
    conn = support.RawConnection(server)
    try:
        for i in range(60):
            conn.send(support.simple_get(SUMMARY, extra=("Authorization: Bearer %s\r\n" % token).encode()))
            resp = conn.read_response()
            assert resp.status == 200, (i, resp)
            for name in RL_HEADERS + ("retry-after",):
                assert resp.header(name) is None, "%s present with limiting off: %s" % (name, resp.headers)
    finally:
        conn.close()


def test_a_tiny_rate_is_refused_at_start_naming_the_variable():
    """Rates below 0.001/s are refused at start, with the variable named."""
    env = dict(os.environ, RATE_LIMIT_RPS="1e-30", RATE_LIMIT_BURST="1", JWT_SECRET="x" * 20)
    proc = subprocess.run([os.environ["FINDASH_BIN"], "check-config"], env=env, capture_output=True, text=True, timeout=20)
    assert proc.returncode == 2 and "RATE_LIMIT_RPS" in proc.stderr, (proc.returncode, proc.stderr)


def test_the_smallest_rate_does_not_break_the_server(start_findash):
    """The smallest accepted rate must work: a refill period of 1000 s (and an empty bucket)
    must not overflow Retry-After / X-RateLimit-Reset."""
    server = start_findash(RATE_LIMIT_RPS="0.001", RATE_LIMIT_BURST="1")
    token = make_token(tenant_id=tid("obsrltiny"))
    try:
        status, headers, _ = support.request(server, "GET", SUMMARY, token=token, timeout=5)
    except OSError as exc:
        deadline = time.monotonic() + 5
        while server.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        fate = "the server died (exit status %s)" % server.proc.poll() if not server.alive() else "the server lives"
        crash = [line.strip() for line in server.log_text().splitlines() if "Fatal error" in line or "RateLimiter" in line]
        raise AssertionError("RATE_LIMIT_RPS=0.001: the first dashboard request "
                             "failed (%r); %s; %s" % (exc, fate, crash[:3]))
    assert status == 200
    status, headers, _ = support.request(server, "GET", SUMMARY, token=token, timeout=5)
    assert status == 429
    assert headers["retry-after"].isdigit() and int(headers["retry-after"]) >= 1
    assert server.alive()
