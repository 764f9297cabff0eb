"""The operations kit against a running server: promtool on a real /metrics scrape,
scripts/smoke-test.sh and scripts/health-check.sh (pass on a healthy server, fail — with
the right exit status and output — when something is broken)."""

import http.server
import json
import os
import subprocess
import threading

import support
from support import make_token

ROOT = support.ROOT
SMOKE = os.path.join(ROOT, "scripts", "smoke-test.sh")
HEALTH = os.path.join(ROOT, "scripts", "health-check.sh")
CHECK_PROMETHEUS = os.path.join(ROOT, "ci", "check-prometheus.sh")

METRIC_NAMES = (
    "dashboard_requests_total", "dashboard_request_duration_seconds_bucket",
    "dashboard_cache_hits_total", "dashboard_cache_misses_total", "dashboard_cache_errors_total",
    "dashboard_cache_invalidations_total", "dashboard_db_computations_total", "dashboard_active_tenants",
    "dashboard_db_pool_in_use", "dashboard_db_pool_idle", "dashboard_db_pool_waiting",
    "dashboard_worker_queue", "dashboard_http_connections", "process_resident_memory_bytes",
    "process_open_fds", "process_cpu_seconds_total",
)


def run(cmd, timeout=300):
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def exercise(server, token):
    """A few requests of every kind, so that every metric family has samples."""
    for path in ("/health", "/health/dashboard", "/financial/dashboard/summary", "/no-such-route"):
        support.request(server, "GET", path)
    for path in ("/financial/dashboard/summary", "/financial/dashboard/summary", "/financial/dashboard"):
        status, _, _ = support.request(server, "GET", path, token=token)
        assert status == 200, path


# ----------------------------------------------------------------------------- promtool

def test_promtool_check_metrics_accepts_a_real_scrape(findash):
    exercise(findash, make_token(tenant_id="ops_metrics"))
    status, _, body = support.request(findash, "GET", "/metrics")
    assert status == 200
    text = body.decode()
    missing = [name for name in METRIC_NAMES if "\n" + name not in "\n" + text]
    assert not missing, "metrics missing from the scrape: %s" % missing
    rc, out, err = run([CHECK_PROMETHEUS, "--metrics", findash.url + "/metrics"])
    assert rc == 0, out + err
    assert "ok    promtool check metrics" in out


class _BadMetrics(http.server.BaseHTTPRequestHandler):
    # A counter without the _total suffix and a metric with no HELP: promtool lints both.
    BODY = b"# TYPE requests counter\nrequests 3\nno_help_gauge 1\n"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(self.BODY)))
        self.end_headers()
        self.wfile.write(self.BODY)

    def log_message(self, *args):
        pass


def test_promtool_check_metrics_rejects_bad_exposition():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BadMetrics)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        rc, out, err = run([CHECK_PROMETHEUS, "--metrics", "http://127.0.0.1:%d/metrics" % server.server_port])
    finally:
        server.shutdown()
        server.server_close()
    assert rc == 1, out + err
    assert "FAIL  promtool check metrics" in out


# ----------------------------------------------------------------------------- smoke test

def test_smoke_test_passes_with_a_token(findash):
    rc, out, err = run([SMOKE, findash.url, make_token(tenant_id="ops_smoke")])
    assert rc == 0, out + err
    assert "FAIL" not in out
    assert "smoke test: all 14 checks passed" in out, out
    for path in ("/financial/dashboard/summary", "/financial/dashboard/accounts", "/financial/dashboard/transactions",
                 "/financial/dashboard/budgets", "/financial/dashboard:"):
        assert "ok    GET " + path in out, out


def test_smoke_test_without_a_token_checks_the_refusals(findash):
    rc, out, err = run([SMOKE, findash.url])
    assert rc == 0, out + err
    assert "ok    GET /financial/dashboard/summary without a token: 401" in out
    assert "smoke test: all 7 checks passed" in out, out


def test_smoke_test_fails_when_the_dashboard_is_off(start_findash):
    server = start_findash(DASHBOARD_ENABLED="false")
    rc, out, err = run([SMOKE, server.url, make_token(tenant_id="ops_smoke")])
    assert rc == 1, out + err
    assert "FAIL  GET /financial/dashboard/summary: status 404, want 200" in out, out
    assert "checks FAILED" in out


def test_smoke_test_fails_with_a_token_the_server_rejects(findash):
    rc, out, err = run([SMOKE, findash.url, make_token(tenant_id="ops_smoke", secret="another-secret-entirely")])
    assert rc == 1, out + err
    assert "status 401, want 200" in out, out


def test_smoke_test_fails_when_nothing_listens():
    rc, out, err = run([SMOKE, "http://127.0.0.1:%d" % support.free_port()])
    assert rc == 1, out + err
    assert "FAIL  GET /health: status 000" in out, out


def test_smoke_test_usage():
    rc, _, err = run([SMOKE])
    assert rc == 2
    assert "BASE_URL" in err


# ----------------------------------------------------------------------------- health check

def _health(url):
    rc, out, err = run([HEALTH, url], timeout=60)
    try:
        doc = json.loads(out)
    except ValueError:
        raise AssertionError("health-check.sh did not print JSON (exit %d):\n%s\n%s" % (rc, out, err))
    return rc, doc


def test_health_check_reports_a_healthy_server(findash):
    rc, doc = _health(findash.url)
    assert rc == 0, doc
    assert doc["status"] == "healthy"
    assert doc["http_status"] == 200
    assert isinstance(doc["latency_ms"], (int, float)) and doc["latency_ms"] >= 0
    assert doc["liveness"] == {"status": "ok", "http_status": 200, "latency_ms": doc["liveness"]["latency_ms"]}
    assert doc["checks"]["database"]["status"] == "up"
    assert doc["checks"]["cache"]["status"] == "up"
    assert doc["checks"]["dashboard"]["status"] == "enabled"
    assert doc["version"] and doc["server_timestamp"] and doc["error"] is None


def test_health_check_reports_degraded_when_memcached_is_unreachable(start_findash):
    server = start_findash(MEMCACHED_SERVERS="127.0.0.1:%d" % support.free_port())
    rc, doc = _health(server.url)
    assert rc == 1, doc
    assert doc["status"] == "degraded"
    assert doc["checks"]["database"]["status"] == "up"
    assert doc["checks"]["cache"]["status"] != "up"


def test_health_check_reports_unhealthy_when_the_database_is_unreachable(start_findash):
    server = start_findash(DATABASE_URL="postgresql://findash:x@127.0.0.1:%d/findash" % support.free_port())
    rc, doc = _health(server.url)
    assert rc == 2, doc
    assert doc["status"] == "unhealthy"
    assert doc["http_status"] == 503
    assert doc["checks"]["database"]["status"] != "up"


def test_health_check_reports_unreachable():
    rc, doc = _health("http://127.0.0.1:%d" % support.free_port())
    assert rc == 2, doc
    assert doc["status"] == "unreachable"
    assert doc["http_status"] is None and doc["error"]
