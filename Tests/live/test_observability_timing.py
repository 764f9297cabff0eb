"""Server-Timing on dashboard responses (issue 5, Deliver 4): `auth`, `cache`, `db`,
`encode` and `total` durations in milliseconds (RFC: W3C Server Timing), parseable by a
browser; on a MISS the database time is positive; the total covers each part."""

import re
import time
import uuid

import support
from support import make_token

SUMMARY = "/financial/dashboard/summary"
PARTS = ("auth", "cache", "db", "encode", "total")
_METRIC_RE = re.compile(r"^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)((?:\s*;\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+=[^;,]*)*)$")


def parse_server_timing(value):
    """{name: dur in ms} from a Server-Timing field; fails on anything malformed."""
    assert value, "no Server-Timing header"
    metrics = {}
    for item in value.split(","):
        item = item.strip()
        m = _METRIC_RE.match(item)
        assert m, "malformed Server-Timing metric %r in %r" % (item, value)
        name = m.group(1)
        params = dict(p.strip().split("=", 1) for p in m.group(2).split(";") if p.strip())
        assert "dur" in params, "metric %r without dur in %r" % (name, value)
        dur = params["dur"]
        assert re.fullmatch(r"\d+(\.\d+)?", dur), "dur %r of %s is not a non-negative number" % (dur, name)
        assert name not in metrics, "metric %s twice in %r" % (name, value)
        metrics[name] = float(dur)
    return metrics


def check(value):
    metrics = parse_server_timing(value)
    assert set(metrics) == set(PARTS), "Server-Timing %r: want exactly %s" % (value, PARTS)
    for part in PARTS[:-1]:
        assert metrics["total"] >= metrics[part], "total < %s in %r" % (part, value)
    # The parts are sequential stages of one request: together they cannot exceed the
    # total by more than the rounding of their printed values.
    assert sum(metrics[p] for p in PARTS[:-1]) <= metrics["total"] + 0.01 * len(PARTS), value
    assert metrics["total"] < 30000, value
    return metrics


def test_server_timing_on_miss_hit_304_and_400(findash):
    token = make_token(tenant_id="obst_%s" % uuid.uuid4().hex[:10])
    status, headers, _ = support.request(findash, "GET", SUMMARY, token=token)
    assert status == 200 and headers.get("x-cache") == "MISS"
    miss = check(headers.get("server-timing"))
    assert miss["db"] > 0, "db;dur is 0 on a MISS: %s" % headers.get("server-timing")

    for _ in range(20):  # a HIT (the cache may be bypassed while the server starts)
        status, headers, _ = support.request(findash, "GET", SUMMARY, token=token)
        assert status == 200
        if headers.get("x-cache") == "HIT":
            break
        time.sleep(0.1)
    assert headers.get("x-cache") == "HIT", headers
    check(headers.get("server-timing"))

    status, headers, _ = support.request(findash, "GET", SUMMARY, token=token,
                                         headers={"If-None-Match": headers["etag"]})
    assert status == 304
    check(headers.get("server-timing"))

    status, headers, _ = support.request(findash, "HEAD", "/financial/dashboard", token=token)
    assert status == 200
    check(headers.get("server-timing"))

    status, headers, _ = support.request(findash, "GET", SUMMARY + "?granularity=nope&from=x", token=token)
    assert status == 400
    parse_server_timing(headers.get("server-timing"))


def test_server_timing_on_every_dashboard_route(findash):
    token = make_token(tenant_type="organization", tenant_id="obst_%s" % uuid.uuid4().hex[:10])
    for route in ("/financial/dashboard", SUMMARY, "/financial/dashboard/accounts",
                  "/financial/dashboard/transactions", "/financial/dashboard/budgets"):
        status, headers, _ = support.request(findash, "GET", route, token=token)
        assert status == 200, route
        metrics = check(headers.get("server-timing"))
        if headers.get("x-cache") == "MISS":
            assert metrics["db"] > 0, (route, headers.get("server-timing"))


def test_total_is_bounded_by_the_latency_the_client_saw(findash):
    """`total` is milliseconds of this request: positive, and no more than the client's
    own measurement of the round trip (not, say, microseconds labelled as ms)."""
    token = make_token(tenant_id="obst_%s" % uuid.uuid4().hex[:10])
    started = time.monotonic()
    status, headers, _ = support.request(findash, "GET", "/financial/dashboard", token=token)
    client_ms = (time.monotonic() - started) * 1000
    assert status == 200 and headers.get("x-cache") == "MISS"
    metrics = check(headers.get("server-timing"))
    assert 0 < metrics["total"] <= client_ms + 1, (metrics, client_ms)
    assert metrics["db"] > 0
