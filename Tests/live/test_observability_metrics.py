"""/metrics through real HTTP (issue 5, Deliver 1): exact counts after a known mix of
requests, bounded label values, the METRICS_ALLOW gate, METRICS_PORT, and gauges that
match what the kernel says about the process.

`promtool check metrics` on a real scrape lives in test_ops_live.py (not repeated here).
Every test starts a server of its own, so that nothing else moves its counters.
"""

import os
import re
import time
import uuid

import support
from support import make_token

SUMMARY = "/financial/dashboard/summary"
ACCOUNTS = "/financial/dashboard/accounts"

# Every endpoint label value a bounded implementation may produce.
KNOWN_ENDPOINTS = {
    "/financial/dashboard", "/financial/dashboard/summary", "/financial/dashboard/accounts",
    "/financial/dashboard/transactions", "/financial/dashboard/budgets", "/health",
    "/health/dashboard", "/metrics", "/openapi.json", "other",
}
TENANT_TYPES = {"user", "organization", "none"}

_SAMPLE_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$')
_LABEL_RE = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)')


def parse_metrics(text):
    """{(name, ((label, value), …) sorted): float} for every sample line; raises on a
    line that is neither a comment nor a sample."""
    samples = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = _SAMPLE_RE.match(line)
        assert m, "not a Prometheus sample line: %r" % line
        name, raw_labels, value = m.group(1), m.group(2) or "", m.group(3)
        labels = []
        pos = 0
        while pos < len(raw_labels):
            lm = _LABEL_RE.match(raw_labels, pos)
            assert lm, "bad label set in %r" % line
            labels.append((lm.group(1), lm.group(2)))
            pos = lm.end()
        key = (name, tuple(sorted(labels)))
        assert key not in samples, "duplicate sample %r" % line
        samples[key] = float(value)
    return samples


def scrape(server):
    status, headers, body = support.request(server, "GET", "/metrics")
    assert status == 200, (status, body[:300])
    assert headers.get("content-type", "").startswith("text/plain"), headers
    assert "version=0.0.4" in headers.get("content-type", ""), headers
    text = body.decode("utf-8")
    return text, parse_metrics(text)


def series(samples, name):
    """{labels dict as sorted tuple: value} of one metric name."""
    return {labels: value for (n, labels), value in samples.items() if n == name}


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def deltas(before, after, name):
    keys = set(series(before, name)) | set(series(after, name))
    out = {}
    for labels in keys:
        d = series(after, name).get(labels, 0.0) - series(before, name).get(labels, 0.0)
        if d:
            out[dict(labels).get("endpoint", ""), dict(labels).get("tenant_type", ""),
                dict(labels).get("status", "")] = d
    return out


def tenant_id(prefix):
    return "%s_%s" % (prefix, uuid.uuid4().hex[:12])


# ----------------------------------------------------------------------------- counts

def test_request_counts_histograms_and_cache_counters_after_a_known_mix(start_findash):
    server = start_findash()
    server.wait_cache_ready()
    user_id, org_id = tenant_id("obsmu"), tenant_id("obsmo")
    user = make_token(tenant_type="user", tenant_id=user_id)
    org = make_token(tenant_type="organization", tenant_id=org_id)

    _, before = scrape(server)
    x_cache = []
    etag = None
    for _ in range(3):
        status, headers, _ = support.request(server, "GET", SUMMARY, token=user)
        assert status == 200
        x_cache.append(headers.get("x-cache"))
        etag = headers.get("etag")
    status, headers, _ = support.request(server, "GET", SUMMARY, token=user, headers={"If-None-Match": etag})
    assert status == 304
    x_cache.append(headers.get("x-cache"))
    for _ in range(2):
        assert support.request(server, "GET", SUMMARY)[0] == 401
    assert support.request(server, "GET", SUMMARY + "?from=not-a-date", token=user)[0] == 400
    assert support.request(server, "GET", "/random/path/123")[0] == 404
    status, headers, _ = support.request(server, "GET", ACCOUNTS, token=org)
    assert status == 200
    x_cache.append(headers.get("x-cache"))
    text, after = scrape(server)

    got = deltas(before, after, "dashboard_requests_total")
    want = {
        (SUMMARY, "user", "200"): 3,
        (SUMMARY, "user", "304"): 1,
        (SUMMARY, "none", "401"): 2,
        (SUMMARY, "user", "400"): 1,
        ("other", "none", "404"): 1,
        (ACCOUNTS, "organization", "200"): 1,
        ("/metrics", "none", "200"): 1,  # the first scrape
    }
    assert got == want, "dashboard_requests_total deltas:\n got  %s\n want %s" % (sorted(got.items()), sorted(want.items()))

    counts = {dict(labels)["endpoint"]: v - series(before, "dashboard_request_duration_seconds_count").get(labels, 0.0)
              for labels, v in series(after, "dashboard_request_duration_seconds_count").items()}
    counts = {k: v for k, v in counts.items() if v}
    assert counts == {SUMMARY: 7, ACCOUNTS: 1, "other": 1, "/metrics": 1}, counts
    # Each histogram is consistent: cumulative buckets, +Inf == _count, positive _sum.
    for endpoint in (SUMMARY, ACCOUNTS, "other"):
        buckets = sorted(((float("inf") if dict(labels)["le"] == "+Inf" else float(dict(labels)["le"])), v)
                         for labels, v in series(after, "dashboard_request_duration_seconds_bucket").items()
                         if dict(labels)["endpoint"] == endpoint)
        assert buckets and buckets[-1][0] == float("inf"), (endpoint, buckets)
        assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])), (endpoint, buckets)
        assert buckets[-1][1] == value(after, "dashboard_request_duration_seconds_count", endpoint=endpoint)
        assert value(after, "dashboard_request_duration_seconds_sum", endpoint=endpoint) > 0

    hits, misses = x_cache.count("HIT"), x_cache.count("MISS")
    assert hits + misses == len(x_cache), x_cache
    assert x_cache[0] == "MISS" and x_cache[-1] == "MISS", x_cache  # a fresh tenant's first request of a route
    d = lambda name: value(after, name) - value(before, name)  # noqa: E731
    assert d("dashboard_cache_hits_total") == hits, (d("dashboard_cache_hits_total"), x_cache)
    assert d("dashboard_cache_misses_total") == misses, (d("dashboard_cache_misses_total"), x_cache)
    assert d("dashboard_db_computations_total") == misses
    assert d("dashboard_cache_errors_total") == 0
    assert value(after, "dashboard_active_tenants") == 2, "two tenants called this fresh server"
    assert user_id not in text and org_id not in text


def test_rate_limited_requests_are_counted_with_status_429(start_findash):
    # 0.1 rps: no refill within 10 s, so the four requests cannot be topped up midway.
    server = start_findash(RATE_LIMIT_RPS="0.1", RATE_LIMIT_BURST="2")
    token = make_token(tenant_id=tenant_id("obsm429"))
    _, before = scrape(server)
    statuses = [support.request(server, "GET", SUMMARY, token=token)[0] for _ in range(4)]
    assert statuses == [200, 200, 429, 429], statuses
    _, after = scrape(server)
    got = deltas(before, after, "dashboard_requests_total")
    assert got.get((SUMMARY, "user", "429")) == 2, got
    assert got.get((SUMMARY, "user", "200")) == 2, got


def test_cache_invalidations_counter_moves_on_a_data_change(start_findash, psql):
    server = start_findash()
    server.wait_cache_ready()
    tid = tenant_id("obsminv")
    token = make_token(tenant_id=tid)
    status, headers, _ = support.request(server, "GET", SUMMARY, token=token)
    assert status == 200 and headers.get("x-cache") == "MISS"
    _, before = scrape(server)
    psql("INSERT INTO accounts (id, tenant_type, tenant_id, name, type, currency, balance, is_active) "
         "VALUES (gen_random_uuid(), 'user', $1, 'Obs', 'checking', 'USD', 10.00, true)", tid)
    deadline = time.monotonic() + 3
    moved = 0
    while time.monotonic() < deadline:
        _, now = scrape(server)
        moved = value(now, "dashboard_cache_invalidations_total") - value(before, "dashboard_cache_invalidations_total")
        if moved >= 1:
            break
        time.sleep(0.1)
    assert moved >= 1, "dashboard_cache_invalidations_total did not move within 3 s of a committed change"
    assert support.request(server, "GET", SUMMARY, token=token)[1].get("x-cache") == "MISS"


# ----------------------------------------------------------------------------- bounded labels

def test_label_values_stay_bounded_whatever_paths_and_tenants_call(start_findash):
    server = start_findash()
    ids = [tenant_id("obsmlbl%d" % i) for i in range(12)]
    paths = []
    for i, tid in enumerate(ids):
        token = make_token(tenant_type="user" if i % 2 else "organization", tenant_id=tid)
        assert support.request(server, "GET", SUMMARY, token=token)[0] == 200
        for path in ("/random/path/%d" % (1000 + i), "/financial/dashboard/summary/%s" % tid,
                     "/financial/%s" % tid, "/financial/dashboard/x%d?tenant=%s" % (i, tid),
                     "/metrics/%d" % i, "/health/%d" % i):
            paths.append(path.split("?")[0])
            support.request(server, "GET", path, token=token)
        support.request(server, "DELETE", SUMMARY, token=token)
        support.request(server, "GET", SUMMARY + "?from=%s" % tid, token=token)
    text, samples = scrape(server)

    for (name, labels), _ in samples.items():
        lab = dict(labels)
        if "endpoint" in lab:
            assert lab["endpoint"] in KNOWN_ENDPOINTS, "unbounded endpoint label: %s%s" % (name, lab)
        if "tenant_type" in lab:
            assert lab["tenant_type"] in TENANT_TYPES, (name, lab)
        if "status" in lab:
            assert re.fullmatch(r"[1-5]\d\d", lab["status"]), (name, lab)
        assert set(lab) <= {"endpoint", "tenant_type", "status", "le"}, "unexpected label in %s%s" % (name, lab)
    for tid in ids:
        assert tid not in text, "tenant id %s appears in /metrics" % tid
    for path in paths:
        assert '"%s"' % path not in text, "raw path %s is a label value" % path
    other = value(samples, "dashboard_requests_total", endpoint="other", tenant_type="none", status="404")
    assert other == 12 * 6, "dashboard_requests_total{endpoint=\"other\",tenant_type=\"none\",status=\"404\"} = %s, " \
        "want 72 (every unknown path)" % other
    assert len(series(samples, "dashboard_requests_total")) <= 30, sorted(series(samples, "dashboard_requests_total"))


def test_unknown_path_is_counted_under_other(start_findash):
    server = start_findash()
    _, before = scrape(server)
    assert support.request(server, "GET", "/random/path/123")[0] == 404
    text, after = scrape(server)
    got = deltas(before, after, "dashboard_requests_total")
    assert got == {("other", "none", "404"): 1, ("/metrics", "none", "200"): 1}, got
    assert "/random/path/123" not in text


# ----------------------------------------------------------------------------- access

def test_metrics_refused_when_metrics_allow_excludes_the_client(start_findash):
    server = start_findash(METRICS_ALLOW="10.9.9.9")
    status, headers, body = support.request(server, "GET", "/metrics")
    assert status == 404, (status, body[:200])
    assert headers.get("content-type") == "application/problem+json", headers
    assert b"dashboard_requests_total" not in body and b"process_" not in body
    status, _, body = support.request(server, "HEAD", "/metrics")
    assert status == 404 and body == b""
    assert support.request(server, "GET", "/health")[0] == 200
    token = make_token(tenant_id=tenant_id("obsmallow"))
    assert support.request(server, "GET", SUMMARY, token=token)[0] == 200


def test_metrics_allow_default_serves_loopback(start_findash):
    server = start_findash(METRICS_ALLOW=None)
    assert support.request(server, "GET", "/metrics")[0] == 200


def test_metrics_port_serves_metrics_when_set(start_findash):
    """Issue 5: metrics are "served on the main port only to the addresses in
    METRICS_ALLOW (default loopback), or on METRICS_PORT when set"."""
    metrics_port = support.free_port()
    server = start_findash(METRICS_PORT=str(metrics_port))
    deadline = time.monotonic() + 3
    last = None
    while time.monotonic() < deadline:
        try:
            status, _, body = support.request("http://127.0.0.1:%d" % metrics_port, "GET", "/metrics", timeout=3)
            assert status == 200, (status, body[:200])
            assert b"dashboard_requests_total" in body
            return
        except OSError as exc:
            last = exc
            time.sleep(0.1)
    raise AssertionError("METRICS_PORT=%d: nothing serves /metrics there (%r); the server on port %d "
                         "ignores METRICS_PORT" % (metrics_port, last, server.port))


# ----------------------------------------------------------------------------- gauges

def _proc_rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_gauges_match_the_process_and_its_connections(start_findash):
    server = start_findash(DB_POOL_SIZE="4")
    for i in range(3):
        assert support.request(server, "GET", SUMMARY, token=make_token(tenant_id=tenant_id("obsmg%d" % i)))[0] == 200
    held = []
    try:
        for _ in range(8):
            conn = support.RawConnection(server)
            conn.send(support.simple_get("/health"))
            assert conn.read_response().status == 200
            held.append(conn)
        time.sleep(0.1)
        _, samples = scrape(server)
        fds_now = len(os.listdir("/proc/%d/fd" % server.pid))
        rss_now = _proc_rss_bytes(server.pid)
    finally:
        for conn in held:
            conn.close()
    connections = value(samples, "dashboard_http_connections")
    assert 9 <= connections <= 12, "dashboard_http_connections=%s with 8 idle keep-alive connections + the scrape" % connections
    fds = value(samples, "process_open_fds")
    assert abs(fds - fds_now) <= 6, "process_open_fds=%s, /proc says %d" % (fds, fds_now)
    rss = value(samples, "process_resident_memory_bytes")
    assert rss_now / 2 <= rss <= rss_now * 2, "process_resident_memory_bytes=%s, /proc says %d" % (rss, rss_now)
    cpu1 = value(samples, "process_cpu_seconds_total")
    assert cpu1 > 0
    for _ in range(200):
        support.request(server, "GET", "/health")
    _, later = scrape(server)
    assert value(later, "process_cpu_seconds_total") >= cpu1
    in_use, idle = value(samples, "dashboard_db_pool_in_use"), value(samples, "dashboard_db_pool_idle")
    assert 0 <= in_use and 0 <= idle and in_use + idle <= 4, (in_use, idle)
    assert idle >= 1, "a pooled connection was used three times yet none is idle"
    assert value(samples, "dashboard_db_pool_waiting") == 0
    assert value(samples, "dashboard_worker_queue") >= 0
    assert value(samples, "dashboard_active_tenants") == 3
    # Closing the connections lowers the gauge.
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        _, after = scrape(server)
        if value(after, "dashboard_http_connections") <= 2:
            break
        time.sleep(0.1)
    assert value(after, "dashboard_http_connections") <= 2, value(after, "dashboard_http_connections")


def test_scrape_is_valid_exposition_with_help_and_type_for_every_family(start_findash):
    """A cheap structural check beside promtool (test_ops_live.py): every sample belongs
    to a family with one # HELP and one # TYPE, and nothing else is on the page."""
    server = start_findash()
    support.request(server, "GET", SUMMARY, token=make_token(tenant_id=tenant_id("obsmfmt")))
    text, samples = scrape(server)
    helps = re.findall(r"^# HELP (\S+) ", text, re.M)
    types = dict(re.findall(r"^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$", text, re.M))
    assert len(helps) == len(set(helps)) and set(helps) == set(types), (helps, types)
    for name, _ in samples:
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, "sample %s has no # TYPE" % name
    assert text.endswith("\n")
