"""The database failing under load (issue 3, Acceptance; CONTRACT.md §4 health, §5).

Real sockets, a real PostgreSQL that these tests stop, freeze and restart, a real
memcached:

- a clean stop (`services.sh stop-db` / `start-db`) and a frozen server (SIGSTOP of the
  postmaster and all its children, then SIGCONT) while 32 clients request uncached full
  dashboards: every answer is 200 or a 503 problem+json with Retry-After, none takes
  longer than DB_STATEMENT_TIMEOUT + 2 s, no connection is reset, 503s appear while the
  database is down, 200s come back within 5 s after it is back, and the server process
  is the one that was started (no crash, no restart);
- `/health` never touches the database (200 at once while it is down); `/health/dashboard`
  answers 503 `unhealthy` within 2 s and reveals no host, port, user or password;
- tenant isolation while the database restarts (crash + start, freeze + thaw): no answer
  for tenant A ever holds tenant B's data, and every 200 is A's exact figures.

These tests stop the session's shared database. Every one restarts (or thaws) it in a
`finally` and waits until it accepts connections again before it ends.
"""

import datetime
import http.client
import itertools
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
from urllib.parse import unquote, urlsplit

import pytest

import support
from support import make_token

# Sanitizer builds run the server several times slower (support.TIME_FACTOR, 3 there):
# there these tests look for crashes, races and leaks, and `make test` holds the real bounds.
TIME_FACTOR = support.TIME_FACTOR
STATEMENT_TIMEOUT = 2                     # DB_STATEMENT_TIMEOUT of the test servers
REQUEST_BOUND = (STATEMENT_TIMEOUT + 2.0) * TIME_FACTOR  # no dashboard request may take longer
CLIENT_TIMEOUT = REQUEST_BOUND + 8.0      # the client's own socket timeout (a hang shows)
RECOVERY_BOUND = 5.0 * TIME_FACTOR        # served again within 5 s of the database's return
CLIENTS = 32                              # > DB_POOL_SIZE (10), 2 x BLOCKING_THREADS (16)

TO = datetime.date(2026, 11, 21)
FROM_BASE = datetime.date(2022, 1, 1)     # every `from` is before all of the tenants' data
FROM_SPAN = 1400                          # distinct `from` values (TO - from <= 1830 days)

ALPHA_NAME = "Alpha operating account"
BRAVO_NAME = "Bravo reserve account"


# ----------------------------------------------------------------------------- database control

def _pgdata():
    directory = os.environ.get("FINDASH_SERVICES_DIR")
    if not directory:
        raise support.LiveTestSetupError("FINDASH_SERVICES_DIR is not set")
    return os.path.join(os.path.realpath(os.path.join(directory, "postgres")), "data")


def _db_accepts_connections():
    try:
        return support.psql("SELECT 1", timeout=5) == "1"
    except (AssertionError, subprocess.TimeoutExpired):
        return False


def wait_db_ready(timeout=60.0):
    """Waits until the shared database answers a query; raises AssertionError otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _db_accepts_connections():
            return
        time.sleep(0.2)
    raise AssertionError("the test database does not accept connections %.0f s after the fault "
                         "was undone; later test files will fail" % timeout)


def _postmaster_pid():
    with open(os.path.join(_pgdata(), "postmaster.pid")) as f:
        return int(f.readline().strip())


def _children(pid):
    proc = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, timeout=10)
    return {int(line) for line in proc.stdout.split()}


class FrozenDatabase:
    """SIGSTOP of the postmaster, then of every child (listed again until the set is
    stable: a stopped postmaster forks no more); thaw() sends SIGCONT to all of them."""

    def __init__(self):
        self.pids = []

    def freeze(self):
        postmaster = _postmaster_pid()
        os.kill(postmaster, signal.SIGSTOP)
        self.pids.append(postmaster)
        for _ in range(5):
            fresh = sorted(_children(postmaster) - set(self.pids))
            if not fresh:
                break
            for pid in fresh:
                try:
                    os.kill(pid, signal.SIGSTOP)
                    self.pids.append(pid)
                except ProcessLookupError:
                    pass
        assert len(self.pids) > 1, "found no PostgreSQL child processes to stop"

    def thaw(self):
        # Children first, the postmaster last (it then sees them all running again).
        for pid in reversed(self.pids):
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        self.pids = []


class DatabaseFault:
    """One fault of the shared database: kind "stop-db" (clean stop), "crash-db"
    (immediate stop) or "sigstop" (frozen). down() applies it, up() undoes it and
    returns once PostgreSQL accepts connections; restore() is for `finally`."""

    def __init__(self, services, kind):
        self.services = services
        self.kind = kind
        self.frozen = FrozenDatabase() if kind == "sigstop" else None

    def down(self):
        if self.kind == "sigstop":
            self.frozen.freeze()
        else:
            self.services(self.kind)

    def up(self):
        if self.kind == "sigstop":
            self.frozen.thaw()
        else:
            self.services("start-db")
        wait_db_ready(timeout=60)

    def restore(self):
        try:
            if self.frozen is not None:
                self.frozen.thaw()
            else:
                self.services("start-db")
        finally:
            wait_db_ready(timeout=60)


# ----------------------------------------------------------------------------- tenants

def _secret_parts():
    url = os.environ["DATABASE_URL"]
    parts = urlsplit(url)
    return {
        "url": url,
        "host": parts.hostname or "",
        "port": str(parts.port or ""),
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
    }


def assert_no_secrets(body, what):
    """Nothing of the connection string, the host, the port or the SQL in a body."""
    s = _secret_parts()
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    leaks = []
    if s["password"] and s["password"] in text:
        leaks.append("the database password")
    if s["url"] in text:
        leaks.append("DATABASE_URL")
    if s["host"] and s["port"] and (s["host"] + ":" + s["port"]) in text:
        leaks.append("host:port %s:%s" % (s["host"], s["port"]))
    if s["host"] and s["host"] in text:
        leaks.append("the database host %s" % s["host"])
    if s["port"] and re.search(r"(?<!\d)%s(?!\d)" % re.escape(s["port"]), text):
        leaks.append("the database port %s" % s["port"])
    if s["user"] and re.search(r"(user\s*=\s*|\"user\"\s*:\s*\"|role\s+\")%s" % re.escape(s["user"]), text, re.I):
        leaks.append("the database user name")
    if s["user"] and ((s["user"] + "@") in text or (s["user"] + ":" + s["password"]) in text):
        leaks.append("user credentials")
    for marker in ("postgresql://", "postgres://", "SELECT ", "libpq", "connection to server",
                   "password authentication", "dbname="):
        if marker.lower() in text.lower():
            leaks.append("%r" % marker)
    assert not leaks, "%s reveals %s: %s" % (what, ", ".join(leaks), text[:600])


@pytest.fixture(scope="module")
def fault_tenants(psql):
    """Two small tenants (user/A, user/B) with distinct ids, names and figures; all of
    their rows are booked in 2026, so any `from` before 2026 gives the same figures."""
    suffix = secrets.token_hex(4)
    alpha, bravo = "fltalpha-" + suffix, "fltbravo-" + suffix
    ids = {alpha: "a1", bravo: "b2"}

    def uid(tag, kind, n):
        return "%s%s0000-0000-4000-8000-%012d" % (ids[tag], kind, n)

    def rows(tenant, name, balance, income, expense, budget):
        return """
INSERT INTO accounts (id, tenant_type, tenant_id, name, type, currency, balance, is_active) VALUES
  ('{a1}', 'user', '{t}', '{name}', 'checking', 'USD', {balance}, true),
  ('{a2}', 'user', '{t}', '{name} card', 'credit_card', 'USD', -45.10, true);
INSERT INTO transactions (id, tenant_type, tenant_id, account_id, amount, currency, kind, category, description, booked_on) VALUES
  ('{c1}', 'user', '{t}', '{a1}', {income}, 'USD', 'income', 'salary', '{name} salary', '2026-03-01'),
  ('{c2}', 'user', '{t}', '{a1}', -{expense}, 'USD', 'expense', 'groceries', '{name} groceries', '2026-11-10'),
  ('{c3}', 'user', '{t}', '{a2}', -45.10, 'USD', 'expense', NULL, '{name} misc', '2026-06-15');
INSERT INTO budgets (id, tenant_type, tenant_id, name, category, currency, amount, period, alert_threshold, starts_on, ends_on, is_active) VALUES
  ('{d1}', 'user', '{t}', '{name} groceries', 'groceries', 'USD', {budget}, 'monthly', 0.8000, '2026-01-01', NULL, true);
""".format(t=tenant, name=name, balance=balance, income=income, expense=expense, budget=budget,
           a1=uid(tenant, "aa", 1), a2=uid(tenant, "aa", 2), c1=uid(tenant, "cc", 1),
           c2=uid(tenant, "cc", 2), c3=uid(tenant, "cc", 3), d1=uid(tenant, "dd", 1))

    def cleanup():
        psql("DELETE FROM transactions WHERE tenant_id IN ($1, $2); "
             "DELETE FROM budgets WHERE tenant_id IN ($1, $2); "
             "DELETE FROM accounts WHERE tenant_id IN ($1, $2)", alpha, bravo)

    wait_db_ready(timeout=30)
    cleanup()
    psql(rows(alpha, ALPHA_NAME, "1111.11", "3000.00", "123.45", "400.00")
         + rows(bravo, BRAVO_NAME, "2222.22", "5000.00", "678.90", "500.00"))
    yield {"alpha": alpha, "bravo": bravo,
           "names": {alpha: ALPHA_NAME, bravo: BRAVO_NAME},
           "tokens": {alpha: make_token(tenant_id=alpha, ttl=3600),
                      bravo: make_token(tenant_id=bravo, ttl=3600)}}
    wait_db_ready(timeout=60)
    cleanup()


# ----------------------------------------------------------------------------- load

class DashboardLoad:
    """CLIENTS threads, each sending uncached full-dashboard requests (a distinct `from`
    each time, DASHBOARD_CACHE_TTL=1) on fresh connections, alternating tenants by
    thread, recording every outcome with its monotonic start and end."""

    def __init__(self, server, tenants, clients=CLIENTS):
        self.server = server
        self.tenants = tenants
        self.clients = clients
        self.records = []
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.counter = itertools.count()
        self.threads = []

    def path(self):
        k = next(self.counter)
        frm = FROM_BASE + datetime.timedelta(days=k % FROM_SPAN)
        return "/financial/dashboard?from=%s&to=%s" % (frm.isoformat(), TO.isoformat())

    def one(self, tenant):
        path = self.path()
        rec = {"tenant": tenant, "path": path, "status": None, "error": None,
               "headers": {}, "body": b"", "start": time.monotonic()}
        try:
            status, headers, body = support.request(
                self.server, "GET", path, token=self.tenants["tokens"][tenant],
                headers={"Connection": "close"}, timeout=CLIENT_TIMEOUT)
            rec.update(status=status, headers=headers, body=body)
        except (OSError, http.client.HTTPException) as exc:
            rec["error"] = "%s: %s" % (type(exc).__name__, exc)
        rec["end"] = time.monotonic()
        rec["elapsed"] = rec["end"] - rec["start"]
        with self.lock:
            self.records.append(rec)

    def worker(self, n):
        tenant = (self.tenants["alpha"], self.tenants["bravo"])[n % 2]
        while not self.stop_event.is_set():
            self.one(tenant)

    def start(self):
        for n in range(self.clients):
            t = threading.Thread(target=self.worker, args=(n,), daemon=True, name="load-%d" % n)
            t.start()
            self.threads.append(t)
        return self

    def stop(self):
        self.stop_event.set()
        deadline = time.monotonic() + CLIENT_TIMEOUT + 5
        for t in self.threads:
            t.join(max(0.1, deadline - time.monotonic()))
        stuck = [t.name for t in self.threads if t.is_alive()]
        assert not stuck, "load threads did not finish: %s" % stuck
        with self.lock:
            return sorted(self.records, key=lambda r: r["start"])


def _describe(rec, t0):
    what = rec["error"] or "%s %s" % (rec["status"], rec["body"][:160].decode("utf-8", "replace"))
    return "[%+.2f s .. %+.2f s, %.2f s] %s %s -> %s" % (
        rec["start"] - t0, rec["end"] - t0, rec["elapsed"], rec["tenant"], rec["path"], what)


def _summary(records, t0, marks):
    buckets = {}
    for rec in records:
        key = rec["error"].split(":")[0] if rec["error"] else rec["status"]
        buckets[key] = buckets.get(key, 0) + 1
    slowest = max((r["elapsed"] for r in records), default=0)
    return "%d requests %s, slowest %.2f s; marks %s" % (
        len(records), buckets, slowest,
        ", ".join("%s %+.2f s" % (k, v - t0) for k, v in marks.items()))


def check_problem_503(rec, t0):
    """A 503 answer is a problem+json with Retry-After and nothing of the connection."""
    where = _describe(rec, t0)
    ctype = rec["headers"].get("content-type", "")
    assert ctype.split(";")[0].strip().lower() == "application/problem+json", \
        "503 without Content-Type application/problem+json (%r): %s" % (ctype, where)
    retry = rec["headers"].get("retry-after")
    assert retry is not None and re.fullmatch(r"\d+", retry.strip()), \
        "503 without a delta-seconds Retry-After (%r): %s" % (retry, where)
    problem = json.loads(rec["body"].decode("utf-8"))
    assert problem.get("status") == 503, "problem status is not 503: %s" % where
    for member in ("type", "title", "detail"):
        assert isinstance(problem.get(member), str), "problem without %r: %s" % (member, where)
    assert_no_secrets(rec["body"], "a 503 dashboard answer")


def run_fault(start_findash, services, tenants, kind, down_seconds):
    """Starts a server, puts it under load, applies the fault for `down_seconds`, undoes
    it, keeps the load RECOVERY_BOUND + 3 s (× TIME_FACTOR) longer. Returns (server, pid, records, marks)."""
    wait_db_ready(timeout=30)
    server = start_findash(DASHBOARD_CACHE_TTL="1", DB_STATEMENT_TIMEOUT=str(STATEMENT_TIMEOUT))
    pid = server.pid
    # The server answers before the fault (and the tenants' rows are there).
    for tenant in (tenants["alpha"], tenants["bravo"]):
        status, _, body = support.request(server, "GET", "/financial/dashboard?from=2025-01-01&to=2026-11-21",
                                          token=tenants["tokens"][tenant], timeout=CLIENT_TIMEOUT)
        assert status == 200, "before the fault: %s %r" % (status, body[:300])
    fault = DatabaseFault(services, kind)
    load = DashboardLoad(server, tenants).start()
    marks = {}
    records = None
    try:
        time.sleep(1.5)
        marks["fault"] = time.monotonic()
        fault.down()
        marks["down"] = time.monotonic()
        time.sleep(down_seconds)
        marks["undo"] = time.monotonic()
        fault.up()
        marks["back"] = time.monotonic()
        time.sleep(RECOVERY_BOUND + 3.0 * TIME_FACTOR)
        marks["end"] = time.monotonic()
    finally:
        try:
            records = load.stop()
        finally:
            fault.restore()
    return server, pid, records, marks


def check_fault_run(server, pid, records, marks, expected=None):
    """Every acceptance point of a fault run. All findings are collected and reported
    together (one failing point does not hide the others)."""
    t0 = marks["fault"]
    info = _summary(records, t0, marks)
    print(info)
    problems = []

    def finding(message, recs=()):
        lines = [_describe(r, t0) for r in recs[:12]]
        more = " (and %d more)" % (len(recs) - 12) if len(recs) > 12 else ""
        problems.append(message + more + ("\n    " + "\n    ".join(lines) if lines else ""))

    # No crash and no restart: the very process that was started still runs.
    if not server.alive() or server.pid != pid:
        finding("the server died during the fault (exit status %s)\n%s" % (
            server.proc.poll(), server.log_tail(60)))

    # Never a reset, a dropped connection or a client timeout.
    errors = [r for r in records if r["error"]]
    if errors:
        finding("%d request(s) failed at the connection level (reset, closed or no answer "
                "within %.0f s)" % (len(errors), CLIENT_TIMEOUT), errors)

    # Only 200 or 503.
    bad = [r for r in records if not r["error"] and r["status"] not in (200, 503)]
    if bad:
        finding("%d answer(s) other than 200/503" % len(bad), bad)

    # Nothing hangs past its timeout.
    slow = sorted((r for r in records if r["elapsed"] > REQUEST_BOUND), key=lambda r: -r["elapsed"])
    if slow:
        finding("%d request(s) took longer than (DB_STATEMENT_TIMEOUT + 2 s) x %g = %.1f s"
                % (len(slow), TIME_FACTOR, REQUEST_BOUND), slow)

    # The load worked before the fault.
    before = [r for r in records if r["end"] < marks["fault"]]
    if not before or any(r["status"] != 200 for r in before):
        finding("before the fault not every answer was 200",
                [r for r in before if r["status"] != 200])

    # 503 problem answers while the database was down.
    during = [r for r in records if marks["down"] < r["end"] <= marks["undo"]]
    if not any(r["status"] == 503 for r in during):
        finding("no 503 among the %d answers given while the database was down" % len(during),
                during)
    for rec in (r for r in records if r["status"] == 503):
        try:
            check_problem_503(rec, t0)
        except (AssertionError, ValueError) as exc:
            finding("a malformed 503: %s" % exc)
            break

    # Served again within 5 s of the database's return, and from then on only 200s.
    back = marks["back"]
    first_ok = min((r["end"] for r in records if r["status"] == 200 and r["start"] >= back),
                   default=None)
    if first_ok is None or first_ok - back > RECOVERY_BOUND:
        finding("no 200 within %.0f s after the database was back (first: %s)"
                % (RECOVERY_BOUND, "none" if first_ok is None else "%+.2f s" % (first_ok - back)))
    late = [r for r in records if r["start"] >= back + RECOVERY_BOUND]
    if len(late) < CLIENTS:
        finding("too few requests (%d) later than %.0f s after recovery to judge"
                % (len(late), RECOVERY_BOUND))
    late_bad = [r for r in late if r["status"] != 200]
    if late_bad:
        finding("%d answer(s) other than 200 more than %.0f s after the database was back"
                % (len(late_bad), RECOVERY_BOUND), late_bad)

    if expected is not None:
        problems.extend(isolation_problems(records, expected, t0))

    assert not problems, "%s\n%d finding(s):\n- %s" % (info, len(problems), "\n- ".join(problems))


def _invariant(doc):
    """The parts of a full dashboard that do not depend on `from` for these tenants."""
    return {key: doc.get(key) for key in ("tenant", "summary", "accounts", "budgets")}


def expected_figures(start_findash, tenants):
    """Each tenant's figures, read before any fault on a server of its own."""
    wait_db_ready(timeout=30)
    reference = start_findash(DASHBOARD_CACHE_TTL="1")
    expected = {}
    for tenant in (tenants["alpha"], tenants["bravo"]):
        status, _, body = support.request(reference, "GET", "/financial/dashboard?from=2025-12-31&to=%s" % TO,
                                          token=tenants["tokens"][tenant], timeout=CLIENT_TIMEOUT)
        assert status == 200, body[:300]
        expected[tenant] = _invariant(json.loads(body))
        assert expected[tenant]["tenant"] == {"type": "user", "id": tenant}
        name = tenants["names"][tenant]
        assert [a["name"] for a in expected[tenant]["accounts"]] == [name, name + " card"], expected[tenant]
    reference.stop()
    return expected


def isolation_problems(records, expected, t0):
    """No answer for one tenant holds the other's id or account name; every 200 holds
    exactly the tenant's own figures."""
    alpha, bravo = sorted(expected)
    other = {alpha: bravo, bravo: alpha}
    names = {t: expected[t]["accounts"][0]["name"] for t in expected}
    leaks, wrong = [], []
    for rec in records:
        text = rec["body"].decode("utf-8", "replace")
        foreign = other[rec["tenant"]]
        if foreign in text or names[foreign] in text:
            leaks.append(_describe(rec, t0))
        elif rec["status"] == 200:
            got = _invariant(json.loads(text))
            if got != expected[rec["tenant"]]:
                wrong.append("%s\n      expected %s\n      got      %s" % (
                    _describe(rec, t0), json.dumps(expected[rec["tenant"]])[:400], json.dumps(got)[:400]))
    problems = []
    if leaks:
        problems.append("%d answer(s) hold the other tenant's data:\n    %s"
                        % (len(leaks), "\n    ".join(leaks[:10])))
    if wrong:
        problems.append("%d answer(s) with figures other than the tenant's own:\n    %s"
                        % (len(wrong), "\n    ".join(wrong[:5])))
    return problems


# ----------------------------------------------------------------------------- (a) stop under load

def test_database_clean_stop_under_load(start_findash, services, fault_tenants):
    expected = expected_figures(start_findash, fault_tenants)
    server, pid, records, marks = run_fault(start_findash, services, fault_tenants, "stop-db",
                                            down_seconds=3.0)
    check_fault_run(server, pid, records, marks, expected)


def test_database_frozen_under_load(start_findash, services, fault_tenants):
    # SIGSTOP: the database never answers, only the server's own deadlines end each request.
    expected = expected_figures(start_findash, fault_tenants)
    server, pid, records, marks = run_fault(start_findash, services, fault_tenants, "sigstop",
                                            down_seconds=STATEMENT_TIMEOUT + 3.0)
    check_fault_run(server, pid, records, marks, expected)


# ----------------------------------------------------------------------------- (c) health

def _timed_get(server, path, timeout=5.0 * TIME_FACTOR):
    started = time.monotonic()
    status, headers, body = support.request(server, "GET", path, headers={"Connection": "close"},
                                            timeout=timeout)
    return status, headers, body, time.monotonic() - started


@pytest.mark.parametrize("kind", ["stop-db", "sigstop"])
def test_health_while_database_is_down(start_findash, services, kind):
    wait_db_ready(timeout=30)
    server = start_findash()
    status, _, body, _ = _timed_get(server, "/health/dashboard")
    assert status == 200 and json.loads(body)["status"] == "healthy", \
        "before the fault: %s %r" % (status, body[:400])
    fault = DatabaseFault(services, kind)
    try:
        fault.down()
        for probe in range(4):
            status, headers, body, elapsed = _timed_get(server, "/health")
            assert status == 200 and json.loads(body) == {"status": "ok"}, \
                "/health with the database down (%s): %s %r" % (kind, status, body[:300])
            assert elapsed < 0.5 * TIME_FACTOR, "/health took %.2f s with the database down (%s)" % (
                elapsed, kind)

            status, headers, body, elapsed = _timed_get(server, "/health/dashboard")
            assert elapsed <= 2.0 * TIME_FACTOR, "/health/dashboard took %.2f s with the database down (%s)" % (
                elapsed, kind)
            assert status == 503, "/health/dashboard with the database down (%s): %s %r" % (
                kind, status, body[:400])
            doc = json.loads(body)
            assert doc.get("status") == "unhealthy", "/health/dashboard body: %r" % doc
            assert_no_secrets(body, "/health/dashboard (%s)" % kind)
            assert_no_secrets(json.dumps(headers), "/health/dashboard headers (%s)" % kind)
            time.sleep(0.3)
        fault.up()
        deadline = time.monotonic() + RECOVERY_BOUND
        while True:
            status, _, body, elapsed = _timed_get(server, "/health/dashboard")
            assert elapsed <= 2.0 * TIME_FACTOR, "/health/dashboard took %.2f s after the database came back" % elapsed
            if status == 200:
                assert json.loads(body)["status"] == "healthy", body[:400]
                break
            assert time.monotonic() < deadline, \
                "/health/dashboard still %s %.0f s after the database came back: %r" % (
                    status, RECOVERY_BOUND, body[:400])
            time.sleep(0.2)
        assert server.alive()
    finally:
        fault.restore()


def test_first_health_probe_after_a_database_restart_is_healthy(start_findash, services, psql):
    """The health check's own PostgreSQL session does not survive a restart. The first
    /health/dashboard once the database accepts connections again must notice that and
    reconnect, not answer 503 from the dead session: a load balancer would pull a healthy
    replica after every database failover."""
    wait_db_ready(timeout=30)  # (psql: the schema and the reader role are there)
    server = start_findash()
    # This probe opens the health check's session.
    status, _, body, _ = _timed_get(server, "/health/dashboard")
    assert status == 200 and json.loads(body)["status"] == "healthy", \
        "before the restart: %s %r" % (status, body[:400])
    fault = DatabaseFault(services, "stop-db")  # a fast stop ends every session
    try:
        fault.down()
        fault.up()  # returns once psql gets an answer; findash has not been asked meanwhile
        status, _, body, elapsed = _timed_get(server, "/health/dashboard")
        assert status == 200, ("the first /health/dashboard after a database restart (%.2f s): %s %r"
                               % (elapsed, status, body[:400]))
        assert json.loads(body)["services"]["database"]["status"] == "up", body[:400]
        assert server.alive()
    finally:
        fault.restore()


# ----------------------------------------------------------------------------- (d) isolation

def test_tenant_isolation_while_database_restarts(start_findash, services, fault_tenants):
    # A crash (`pg_ctl -m immediate`) and a restart under load of two tenants; the two
    # runs above check the same after a clean stop and a freeze.
    expected = expected_figures(start_findash, fault_tenants)
    server, pid, records, marks = run_fault(start_findash, services, fault_tenants, "crash-db",
                                            down_seconds=2.0)
    t0 = marks["fault"]
    info = _summary(records, t0, marks)
    print(info)
    problems = isolation_problems(records, expected, t0)
    assert not problems, "%s\n- %s" % (info, "\n- ".join(problems))
    assert sum(1 for r in records if r["status"] == 200 and r["start"] >= marks["back"]) >= CLIENTS, \
        "too few answers after the restart to judge; %s" % info
    assert any(r["status"] == 503 for r in records), "the crash was not noticed; %s" % info
    assert server.alive() and server.pid == pid, "the server died: %s" % server.log_tail(40)
