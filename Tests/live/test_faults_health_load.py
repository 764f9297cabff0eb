"""`/health/dashboard` under heavy dashboard load (issue 3, Acceptance; CONTRACT.md §4 health):

"While 64 concurrent clients request uncached full dashboards of the largest seeded tenant,
/health/dashboard still answers within 2 s, every time."

The module seeds a heavy demo data set first (`findash seed --tenants 20 --transactions
200000`, which replaces only the demo tenants user_0001…), starts a server with the
default worker, blocking-thread and pool sizes, lets 64 threads request full dashboards of
the largest tenant with a distinct `from`/`to` each time (never cached), and meanwhile
probes `/health/dashboard` every 200 ms for 8 s on fresh connections, as a load balancer
would.
"""

import datetime
import http.client
import itertools
import json
import re
import threading
import time

import pytest

import support
from support import make_token

CLIENTS = 64
POLL_SECONDS = 8.0
POLL_INTERVAL = 0.2
HEALTH_BOUND = 2.0 * support.TIME_FACTOR   # the contract's 2 s; x 3 under the sanitizers
DASHBOARD_CLIENT_TIMEOUT = 60.0   # far beyond any server-side bound: a hang shows as an error

SEED_TENANTS = 20
SEED_TRANSACTIONS = 200000


@pytest.fixture(scope="module")
def heavy_tenant(psql):
    """Seeds the heavy demo data set; returns (tenant_type, tenant_id, transactions) of the
    largest tenant."""
    started = time.monotonic()
    proc = support.run_findash("seed", "--tenants", SEED_TENANTS, "--transactions", SEED_TRANSACTIONS,
                               "--seed", 42, timeout=240)
    seconds = time.monotonic() - started
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, "findash seed failed (exit %d):\n%s" % (proc.returncode, output)
    print("findash seed --tenants %d --transactions %d: %.1f s" % (SEED_TENANTS, SEED_TRANSACTIONS, seconds))
    row = psql("SELECT tenant_type, tenant_id, count(*) FROM transactions "
               "GROUP BY tenant_type, tenant_id ORDER BY count(*) DESC, tenant_id LIMIT 1")
    tenant_type, tenant_id, count = row.split("|")
    count = int(count)
    assert count >= SEED_TRANSACTIONS // 10, "the largest tenant has only %d transactions" % count
    m = re.search(r"largest tenant (\w+)/(\S+) with", output)
    if m:
        assert (m.group(1), m.group(2)) == (tenant_type, tenant_id), output
    return tenant_type, tenant_id, count


class HeavyLoad:
    """CLIENTS threads requesting full dashboards of one tenant, each with a `from`/`to`
    pair never used before in this run (so never a cache hit)."""

    BASE_TO = datetime.date(2026, 11, 21)

    def __init__(self, server, token):
        self.server = server
        self.token = token
        self.counter = itertools.count()
        self.lock = threading.Lock()
        self.records = []
        self.in_flight = {}
        self.stop_event = threading.Event()
        self.threads = []

    def path(self):
        k = next(self.counter)
        to = self.BASE_TO - datetime.timedelta(days=k // 400)
        frm = to - datetime.timedelta(days=300 + k % 400)   # 10 to 23 months: heavy
        return "/financial/dashboard?from=%s&to=%s" % (frm.isoformat(), to.isoformat())

    def worker(self, n):
        while not self.stop_event.is_set():
            path = self.path()
            start = time.monotonic()
            with self.lock:
                self.in_flight[n] = start
            rec = {"path": path, "start": start, "status": None, "error": None, "body": b""}
            try:
                status, _, body = support.request(self.server, "GET", path, token=self.token,
                                                  headers={"Connection": "close"},
                                                  timeout=DASHBOARD_CLIENT_TIMEOUT)
                rec.update(status=status, body=body[:300])
            except (OSError, http.client.HTTPException) as exc:
                rec["error"] = "%s: %s" % (type(exc).__name__, exc)
            rec["end"] = time.monotonic()
            with self.lock:
                self.in_flight.pop(n, None)
                self.records.append(rec)

    def start(self):
        for n in range(CLIENTS):
            t = threading.Thread(target=self.worker, args=(n,), daemon=True, name="heavy-%d" % n)
            t.start()
            self.threads.append(t)
        return self

    def busy_clients(self):
        with self.lock:
            return len(self.in_flight)

    def stop(self):
        self.stop_event.set()
        deadline = time.monotonic() + DASHBOARD_CLIENT_TIMEOUT + 5
        for t in self.threads:
            t.join(max(0.1, deadline - time.monotonic()))
        stuck = [t.name for t in self.threads if t.is_alive()]
        assert not stuck, "dashboard clients did not finish: %s" % stuck[:10]
        with self.lock:
            return list(self.records)


def test_health_dashboard_answers_within_2s_under_64_heavy_clients(start_findash, heavy_tenant):
    tenant_type, tenant_id, count = heavy_tenant
    server = start_findash()   # default WORKERS, BLOCKING_THREADS, DB_POOL_SIZE, statement timeout
    token = make_token(tenant_type=tenant_type, tenant_id=tenant_id, ttl=3600)

    # One dashboard alone, to know what a request costs.
    started = time.monotonic()
    status, _, body = support.request(server, "GET", "/financial/dashboard?from=2024-12-01&to=2026-11-20",
                                      token=token, timeout=DASHBOARD_CLIENT_TIMEOUT)
    single = time.monotonic() - started
    assert status == 200, "a single dashboard of %s/%s: %s %r" % (tenant_type, tenant_id, status, body[:300])

    load = HeavyLoad(server, token).start()
    probes = []
    try:
        # Every client has a request in flight before the probing starts.
        deadline = time.monotonic() + 10
        while load.busy_clients() < CLIENTS and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.5)
        poll_end = time.monotonic() + POLL_SECONDS
        next_at = time.monotonic()
        while time.monotonic() < poll_end:
            busy = load.busy_clients()
            t0 = time.monotonic()
            probe = {"at": t0, "busy": busy, "status": None, "error": None, "body": b""}
            try:
                status, _, body = support.request(server, "GET", "/health/dashboard",
                                                  headers={"Connection": "close"}, timeout=HEALTH_BOUND + 3)
                probe.update(status=status, body=body)
            except (OSError, http.client.HTTPException) as exc:
                probe["error"] = "%s: %s" % (type(exc).__name__, exc)
            probe["elapsed"] = time.monotonic() - t0
            probes.append(probe)
            next_at += POLL_INTERVAL
            time.sleep(max(0.0, next_at - time.monotonic()))
    finally:
        records = load.stop()

    statuses = {}
    for rec in records:
        key = rec["error"].split(":")[0] if rec["error"] else rec["status"]
        statuses[key] = statuses.get(key, 0) + 1
    durations = sorted(r["end"] - r["start"] for r in records)
    info = ("%s/%s (%d transactions); one dashboard alone %.2f s; %d dashboard requests %s, "
            "median %.2f s, slowest %.2f s; %d health probes, slowest %.3f s, busy clients %d..%d"
            % (tenant_type, tenant_id, count, single, len(records), statuses,
               durations[len(durations) // 2] if durations else 0, durations[-1] if durations else 0,
               len(probes), max((p["elapsed"] for p in probes), default=0),
               min((p["busy"] for p in probes), default=0), max((p["busy"] for p in probes), default=0)))
    print(info)

    def watchdog_503(p):
        # Sanitizer builds only: the server's own watchdog (HealthChecker, 1.8 s) answered
        # "unhealthy" for a round its slow build could not finish in time. In `make test`
        # (factor 1) every probe must be a 200.
        if support.TIME_FACTOR <= 1 or p["status"] != 503:
            return False
        try:
            doc = json.loads(p["body"])
        except ValueError:
            return False
        return doc.get("status") == "unhealthy" and doc["services"]["database"].get("latency_ms") == 1800.0

    def show(p):
        return "[+%.2f s, %d clients busy] %.3f s: %s" % (
            p["at"] - probes[0]["at"], p["busy"], p["elapsed"],
            p["error"] or "%s %s" % (p["status"], p["body"][:300].decode("utf-8", "replace")))

    assert len(probes) >= int(POLL_SECONDS / POLL_INTERVAL) // 2, "too few probes; %s" % info
    failed = [show(p) for p in probes
              if p["error"] or (p["status"] != 200 and not watchdog_503(p)) or p["elapsed"] > HEALTH_BOUND]
    assert not failed, ("/health/dashboard did not answer 200 within %.1f s under %d heavy clients "
                        "(%d of %d probes); %s\n%s" % (HEALTH_BOUND, CLIENTS, len(failed), len(probes),
                                                       info, "\n".join(failed[:15])))
    for p in probes:
        assert watchdog_503(p) or json.loads(p["body"]).get("status") in ("healthy", "degraded"), show(p)

    # The load was real: every client busy during the probes, dashboards really computed.
    assert min(p["busy"] for p in probes) >= CLIENTS * 3 // 4, "the load was not sustained; %s" % info
    assert statuses.get(200, 0) >= 1, "no dashboard was computed under load; %s" % info

    # And the dashboards themselves: a 200 or a 503 (shed load), never a 500, a reset or a hang.
    bad = ["%s -> %s" % (r["path"], r["error"] or "%s %r" % (r["status"], r["body"][:200]))
           for r in records if r["error"] or r["status"] not in (200, 503)]
    assert not bad, "dashboard requests under load failed; %s\n%s" % (info, "\n".join(bad[:15]))
    assert server.alive(), server.log_tail(40)
