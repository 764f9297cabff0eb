"""Acceptance tests for issue 4: dashboard caching in memcached (CONTRACT.md §4–§6).

Real `findash serve` processes, real PostgreSQL, real memcached (the one scripts/services.sh
started, plus a second instance of our own for the ketama test), real sockets.

What is checked
- miss then hit: X-Cache, strong ETag, identical bytes, 304 on If-None-Match, explicit
  defaults / parameter order / unknown parameters share one entry, another value does not;
  the entries land in memcached with the configured TTL and keys within its rules;
- expiry after a short DASHBOARD_CACHE_TTL (memcached and in-process);
- freshness: INSERT / UPDATE / DELETE on accounts, transactions and budgets shows in the
  next answer within 1 s, while another tenant's entry stays a HIT; across two processes
  sharing memcached; after the LISTEN connection is lost;
- replicas share memcached: an entry stored by one process is a HIT in another;
- memcached stopped mid-test: 200s with correct figures, no 5xx, bounded latency,
  /health/dashboard degraded; restarted: healthy, entries stored and hit again;
  memcached frozen (SIGSTOP): only its ~50 ms timeouts are added, degraded, then back;
- ketama over two memcached instances (both receive sets; one dying is harmless);
- no stampede: 50 concurrent identical cold requests -> one database computation;
- in-process mode (MEMCACHED_SERVERS empty): same semantics, memcached untouched;
- one tenant's entries never answer another (user/x vs organization/x).

Every tenant id is fresh (cache_<hex>), so entries of other tests or earlier runs never
interfere. Counters come from /metrics (loopback), memcached's own `stats` and
`lru_crawler metadump`, read over raw sockets.
"""

import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import uuid

import pytest

import support
from support import make_token, request

EP = "/financial/dashboard"
ENDPOINTS = [EP + "/summary", EP + "/accounts", EP + "/transactions", EP + "/budgets", EP]

# CONTRACT §4/§5 freshness bound, plus what a poll every 50 ms and one request may add.
FRESH_WITHIN = 1.0
FRESH_SLACK = 0.15
POLL_EVERY = 0.05

# Wall-clock bounds that hold for a release build are multiplied by this (3 under the
# sanitizers, whose builds are several times slower; 1 in `make test`).
TIME_FACTOR = support.TIME_FACTOR

# memcached's failing-server retry is ~2 s; health must follow within a few seconds.
RECOVERY_WITHIN = 6.0


# =============================================================================== helpers

def today():
    return datetime.datetime.now(datetime.timezone.utc).date()


@pytest.fixture(autouse=True)
def _not_across_utc_midnight():
    """The tests book rows on the test's UTC "today" and ask for the server's default period
    (first of the month .. the server's today) or compare keys with an explicit `to=today`:
    a test that straddles 00:00 UTC would see its rows leave the period or its key change.
    Close to midnight, start just after it instead."""
    now = datetime.datetime.now(datetime.timezone.utc)
    midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(),
                                         tzinfo=datetime.timezone.utc)
    left = (midnight - now).total_seconds()
    if left < 30 * TIME_FACTOR:
        time.sleep(left + 1)


def mc_timeout(server):
    """The server's bound of one memcached step, in seconds (MEMCACHED_TIMEOUT_MS, 50 ms by
    default; the sanitizer runs raise it through FINDASH_TEST_MEMCACHED_TIMEOUT_MS)."""
    return int(server.env.get("MEMCACHED_TIMEOUT_MS") or 50) / 1000.0


def new_tid(tag="t"):
    return "cache_%s_%s" % (tag, secrets.token_hex(5))


def money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return "%s%d.%02d" % (sign, cents // 100, cents % 100)


class Answer:
    """One HTTP answer: status, lower-case headers, raw body bytes, elapsed seconds."""

    def __init__(self, status, headers, body, elapsed, path):
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsed = elapsed
        self.path = path

    @property
    def xcache(self):
        return self.headers.get("x-cache")

    @property
    def etag(self):
        return self.headers.get("etag")

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<%s %s X-Cache=%s ETag=%s %.0f ms: %s>" % (
            self.path, self.status, self.xcache, self.etag, self.elapsed * 1000,
            self.body[:300].decode("utf-8", "replace"))


def get(server, path, tenant, headers=None, timeout=10.0):
    """GET path with a token for `tenant` = (type, id)."""
    token = make_token(tenant_type=tenant[0], tenant_id=tenant[1])
    start = time.monotonic()
    status, hdrs, body = request(server, "GET", path, headers=headers, token=token, timeout=timeout)
    return Answer(status, hdrs, body, time.monotonic() - start, path)


def get_ok(server, path, tenant, headers=None):
    a = get(server, path, tenant, headers=headers)
    assert a.status == 200, "GET %s for %s: expected 200, got %r" % (path, tenant, a)
    return a


def figures(answer):
    """The body without generated_at: what must stay equal whether cached or recomputed."""
    body = answer.json()
    body.pop("generated_at", None)
    return body


def summary_figures(answer):
    body = answer.json()
    usd = [c for c in body["currencies"] if c["currency"] == "USD"]
    cur = usd[0] if usd else {}
    return {
        "total_assets": cur.get("total_assets"),
        "income": cur.get("income"),
        "expenses": cur.get("expenses"),
        "transactions_count": body["transactions_count"],
        "accounts_count": body["accounts_count"],
        "budgets_total": body["budgets"]["total"],
    }


def wait_until(what, check, within, every=POLL_EVERY):
    """Polls check() -> (done, detail) until done; returns (elapsed, detail) or fails."""
    start = time.monotonic()
    detail = None
    while True:
        done, detail = check()
        elapsed = time.monotonic() - start
        if done:
            return elapsed, detail
        if elapsed > within:
            pytest.fail("%s: not within %.2f s; last: %r" % (what, within, detail))
        time.sleep(every)


def start_ready(start_findash, **env):
    """start_findash(**env), then waits until the cache is in use: the server bypasses it
    until its LISTEN session is up (it connects asynchronously at start), so a probe
    tenant of no data is asked until its second answer is a HIT (bounded)."""
    server = start_findash(**env)
    probe = ("user", new_tid("ready"))

    def ready():
        get_ok(server, EP + "/budgets", probe)
        a = get_ok(server, EP + "/budgets", probe)
        return a.xcache == "HIT", a
    wait_until("the server's cache comes into use after start", ready, 5.0, every=0.05)
    return server


# ---------------------------------------------------------------------------- test data

class TenantData:
    """A small tenant of our own: one active USD checking account, an income and an expense
    booked today (inside the default period), one monthly budget on 'groceries'."""

    def __init__(self, psql, tenant_type="user", tenant_id=None, balance=500000,
                 income=100000, expense=25000):
        self.psql = psql
        self.tenant_type = tenant_type
        self.tenant_id = tenant_id or new_tid()
        self.account = str(uuid.uuid4())
        self.income_tx = str(uuid.uuid4())
        self.expense_tx = str(uuid.uuid4())
        self.budget = str(uuid.uuid4())
        self.balance, self.income, self.expense = balance, income, expense
        day = today().isoformat()
        psql("INSERT INTO accounts (id, tenant_type, tenant_id, name, type, currency, balance, is_active) "
             "VALUES ($1, $2, $3, 'Main', 'checking', 'USD', $4, true);"
             "INSERT INTO transactions (id, tenant_type, tenant_id, account_id, amount, currency, kind, "
             "category, description, booked_on) VALUES "
             "($5, $2, $3, $1, $6, 'USD', 'income', 'salary', 'Salary', $8),"
             "($7, $2, $3, $1, $9, 'USD', 'expense', 'groceries', 'Market', $8);"
             "INSERT INTO budgets (id, tenant_type, tenant_id, name, category, currency, amount, period, "
             "alert_threshold, starts_on, ends_on, is_active) VALUES "
             "($10, $2, $3, 'Groceries', 'groceries', 'USD', 1000.00, 'monthly', 0.8, '2020-01-01', NULL, true);",
             self.account, self.tenant_type, self.tenant_id, money(balance), self.income_tx,
             money(income), self.expense_tx, day, money(-expense), self.budget)

    @property
    def tenant(self):
        return (self.tenant_type, self.tenant_id)

    def expected_summary(self):
        return {"total_assets": money(self.balance), "income": money(self.income),
                "expenses": money(self.expense), "transactions_count": 2, "accounts_count": 1,
                "budgets_total": 1}

    def insert_income(self, cents):
        psql_id = str(uuid.uuid4())
        self.psql("INSERT INTO transactions (id, tenant_type, tenant_id, account_id, amount, currency, "
                  "kind, category, description, booked_on) VALUES ($1, $2, $3, $4, $5, 'USD', 'income', "
                  "'bonus', 'Bonus', $6)",
                  psql_id, self.tenant_type, self.tenant_id, self.account, money(cents), today().isoformat())
        return psql_id


# ---------------------------------------------------------------------------- /metrics

METRIC_LINE = re.compile(r"^([A-Za-z_:][A-Za-z0-9_:]*)(\{[^}]*\})?\s+(\S+)")
COUNTERS = ("dashboard_cache_hits_total", "dashboard_cache_misses_total",
            "dashboard_cache_errors_total", "dashboard_cache_invalidations_total",
            "dashboard_db_computations_total")


def metrics(server):
    """{metric name: value summed over labels} from GET /metrics (Prometheus text)."""
    status, headers, body = request(server, "GET", "/metrics", timeout=5)
    assert status == 200, "GET /metrics from loopback: expected 200, got %s %r" % (status, body[:300])
    values = {}
    for line in body.decode("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = METRIC_LINE.match(line)
        assert m, "unparsable /metrics line %r" % line
        values[m.group(1)] = values.get(m.group(1), 0.0) + float(m.group(3))
    for name in COUNTERS:
        assert name in values, "/metrics lacks %s; it has: %s" % (name, sorted(values))
    return values


def delta(after, before, name):
    return after[name] - before[name]


# ---------------------------------------------------------------------------- memcached

def mc_addr(spec=None):
    spec = spec or os.environ["MEMCACHED_SERVERS"].split(",")[0]
    host, port = spec.rsplit(":", 1)
    return host, int(port)


def mc_command(addr, command, terminator=b"END\r\n", timeout=3.0):
    """memcached's answer to `command`, up to `terminator` (or a one-line BUSY answer)."""
    with socket.create_connection(addr, timeout=timeout) as s:
        s.sendall(command)
        buf = b""
        deadline = time.monotonic() + timeout
        while not buf.endswith(terminator):
            if buf.startswith(b"BUSY") and buf.endswith(b"\r\n"):
                break  # the LRU crawler is busy (mc_keys asks again)
            if time.monotonic() > deadline:
                raise AssertionError("memcached %s: no complete answer to %r; got %r"
                                     % (addr, command, buf[-300:]))
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            buf += chunk
        return buf


def mc_stats(addr=None):
    """memcached's `stats` as {name: int or str}."""
    out = {}
    for line in mc_command(addr or mc_addr(), b"stats\r\n").decode().splitlines():
        parts = line.split(" ")
        if len(parts) == 3 and parts[0] == "STAT":
            try:
                out[parts[1]] = int(parts[2])
            except ValueError:
                out[parts[1]] = parts[2]
    return out


def mc_keys(addr=None):
    """[(key, exp)] of every item, via `lru_crawler metadump all` (keys URL-decoded)."""
    # memcached answers "BUSY currently processing crawler request" while its own LRU crawl
    # runs (frequent after many items expired): ask again for up to ~5 s.
    for _ in range(50):
        raw = mc_command(addr or mc_addr(), b"lru_crawler metadump all\r\n", timeout=5.0)
        if not raw.startswith(b"BUSY"):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("memcached %s: lru_crawler stayed BUSY for 5 s: %r" % (addr or mc_addr(), raw[:200]))
    text = raw.decode()
    items = []
    for line in text.splitlines():
        if not line.startswith("key="):
            continue
        fields = dict(f.split("=", 1) for f in line.split(" ") if "=" in f)
        items.append((urllib.parse.unquote(fields["key"]), int(fields["exp"])))
    return items


class PrivateMemcached:
    """A memcached of this test's own on a free port; stopped by `stop()` (its own pid)."""

    def __init__(self):
        self.port = support.free_port()
        user = "memcache"
        try:
            import pwd
            pwd.getpwnam(user)
        except KeyError:
            user = "nobody"
        cmd = ["memcached", "-u", user, "-l", "127.0.0.1", "-p", str(self.port), "-U", "0", "-m", "16"]
        setpriv = shutil.which("setpriv")
        if setpriv:
            cmd = [setpriv, "--pdeathsig", "KILL", "--"] + cmd
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 5
        while True:
            try:
                if mc_command(self.addr, b"version\r\n", terminator=b"\r\n").startswith(b"VERSION"):
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError("a private memcached did not start on port %d" % self.port)
            time.sleep(0.05)

    @property
    def addr(self):
        return ("127.0.0.1", self.port)

    @property
    def spec(self):
        return "127.0.0.1:%d" % self.port

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture
def private_memcached():
    started = []

    def start():
        mc = PrivateMemcached()
        started.append(mc)
        return mc

    yield start
    for mc in started:
        mc.stop()


def health(server):
    start = time.monotonic()
    status, headers, body = request(server, "GET", "/health/dashboard", timeout=5 * TIME_FACTOR)
    elapsed = time.monotonic() - start
    assert elapsed < 2.0 * TIME_FACTOR, "/health/dashboard took %.2f s (CONTRACT §4: never more than 2 s; x %g)" % (
        elapsed, TIME_FACTOR)
    return status, json.loads(body.decode("utf-8"))


# =============================================================================== 1. miss/hit

@pytest.mark.parametrize("path", ENDPOINTS, ids=lambda p: p.rsplit("/", 1)[-1])
def test_miss_then_hit_etag_and_304(start_findash, psql, path):
    data = TenantData(psql)
    server = start_ready(start_findash)
    first = get_ok(server, path, data.tenant)
    assert first.xcache == "MISS", "first request for a new tenant: %r" % first
    assert first.headers.get("cache-control") == "private, no-cache", first.headers
    assert "authorization" in [v.strip().lower() for v in first.headers.get("vary", "").split(",")], first.headers
    assert re.fullmatch(r'"[\x21\x23-\x7e]+"', first.etag or ""), "not a strong ETag: %r" % first.etag

    second = get_ok(server, path, data.tenant)
    assert second.xcache == "HIT", "second identical request: %r" % second
    assert second.etag == first.etag, (first.etag, second.etag)
    assert second.body == first.body, "a cached answer must be byte-identical to the first"

    # If-None-Match with the ETag: 304, no body, same validator, still a hit.
    nm = get(server, path, data.tenant, headers={"If-None-Match": first.etag})
    assert nm.status == 304, "If-None-Match with the current ETag: %r" % nm
    assert nm.body == b"", "a 304 carries no body: %r" % nm.body[:200]
    assert nm.etag == first.etag, nm.headers
    assert nm.xcache == "HIT", "304 served from the cache: %r" % nm.headers
    # A list containing it matches too; another tag does not.
    nm2 = get(server, path, data.tenant, headers={"If-None-Match": '"nope", %s' % first.etag})
    assert nm2.status == 304, nm2
    other = get(server, path, data.tenant, headers={"If-None-Match": '"0000000000000000"'})
    assert other.status == 200 and other.body == first.body and other.xcache == "HIT", other


def test_explicit_defaults_and_parameter_order_share_one_entry(start_findash, psql):
    data = TenantData(psql)
    server = start_ready(start_findash)
    t = today()
    first_of_month = t.replace(day=1).isoformat()
    days = (t - t.replace(day=1)).days + 1
    default_granularity = "day" if days <= 31 else "week"

    cases = {
        EP + "/summary": ["from=%s&to=%s" % (first_of_month, t),
                          "to=%s&from=%s" % (t, first_of_month),
                          "as_of=%s&to=%s" % (t, t),
                          "utm_source=mail"],
        EP + "/accounts": ["from=%s&to=%s&include_inactive=false" % (first_of_month, t),
                           "include_inactive=false&to=%s" % t],
        EP + "/transactions": ["top=10&granularity=%s" % default_granularity,
                               "granularity=%s&from=%s&top=10&to=%s" % (default_granularity, first_of_month, t)],
        EP + "/budgets": ["as_of=%s" % t, "to=%s" % t],
        EP: ["from=%s&to=%s&as_of=%s&top=10&granularity=%s&include_inactive=false"
             % (first_of_month, t, t, default_granularity),
             "include_inactive=false&granularity=%s&as_of=%s&top=10&to=%s&from=%s"
             % (default_granularity, t, t, first_of_month)],
    }
    for path, variants in cases.items():
        base = get_ok(server, path, data.tenant)
        assert base.xcache == "MISS", base
        for query in [""] + variants:
            a = get_ok(server, path + "?" + query, data.tenant)
            assert a.xcache == "HIT", "%s?%s must share the entry of %s: %r" % (path, query, path, a)
            assert a.etag == base.etag and a.body == base.body, "%s?%s: another body than %s" % (path, query, path)

    # A different value is another entry: MISS, then its own spellings HIT.
    differing = [
        (EP + "/summary", "from=%s&to=%s" % ((t - datetime.timedelta(days=40)).isoformat(), t),
         "to=%s&from=%s" % (t, (t - datetime.timedelta(days=40)).isoformat())),
        (EP + "/accounts", "include_inactive=true", "include_inactive=true&from=%s" % first_of_month),
        (EP + "/transactions", "top=5", "top=5&granularity=%s" % default_granularity),
        (EP + "/transactions", "granularity=month", "granularity=month&top=10"),
        (EP + "/budgets", "as_of=%s" % (t - datetime.timedelta(days=1)).isoformat(),
         "as_of=%s&utm=1" % (t - datetime.timedelta(days=1)).isoformat()),
        (EP, "top=3", "top=3&include_inactive=false"),
    ]
    for path, query, same in differing:
        a = get_ok(server, path + "?" + query, data.tenant)
        assert a.xcache == "MISS", "%s?%s differs from the default: must not be served its entry: %r" % (path, query, a)
        b = get_ok(server, path + "?" + same, data.tenant)
        assert b.xcache == "HIT" and b.body == a.body, "%s?%s must share the entry of ?%s: %r" % (path, same, query, b)


def test_counters_and_memcached_entries(start_findash, psql):
    """The counters follow the answers; the entries are in memcached with the configured
    TTL and keys within memcached's rules (≤ 250 bytes, no spaces or control characters)."""
    ttl = 120
    data = TenantData(psql, tenant_id="cache_" + secrets.token_hex(29))  # 64 characters
    server = start_ready(start_findash, DASHBOARD_CACHE_TTL=str(ttl))
    assert len(data.tenant_id) == 64
    before = metrics(server)
    mc_before = mc_stats()
    keys_before = {k for k, _ in mc_keys()}
    t = today()
    longest = EP + "?from=%s&to=%s&as_of=%s&top=100&granularity=week&include_inactive=true" % (
        t - datetime.timedelta(days=1829), t, t)
    answers = []
    for path in ENDPOINTS + [longest]:
        answers.append(get_ok(server, path, data.tenant))
        answers.append(get_ok(server, path, data.tenant))
        answers.append(get(server, path, data.tenant, headers={"If-None-Match": answers[-1].etag}))
    hits = sum(a.xcache == "HIT" for a in answers)
    misses = sum(a.xcache == "MISS" for a in answers)
    assert (misses, hits) == (6, 12), answers
    after = metrics(server)
    mc_after = mc_stats()
    assert delta(after, before, "dashboard_cache_misses_total") == misses, (before, after)
    assert delta(after, before, "dashboard_cache_hits_total") == hits, (before, after)
    assert delta(after, before, "dashboard_cache_errors_total") == 0, (before, after)
    assert delta(after, before, "dashboard_db_computations_total") == misses, (before, after)
    assert mc_after["cmd_set"] - mc_before["cmd_set"] >= misses, (
        "every computed answer is stored in memcached: cmd_set %d -> %d for %d misses"
        % (mc_before["cmd_set"], mc_after["cmd_set"], misses))

    now = time.time()
    ours = [(k, exp) for k, exp in mc_keys() if k not in keys_before]
    assert len(ours) >= misses, "memcached holds %d new entries, expected %d: %r" % (
        len(ours), misses, ours)
    for key, exp in ours:
        assert len(key.encode()) <= 250, "key over 250 bytes: %r" % key
        assert not re.search(r"[\x00-\x20\x7f]", key), "key with a space or control character: %r" % key
        if key.startswith("fdg:"):
            # A generation token shared by the replicas (tiny, long-lived by design).
            continue
        assert ttl - 10 <= exp - now <= ttl + 2, "entry %r expires in %.0f s, DASHBOARD_CACHE_TTL=%d" % (
            key, exp - now, ttl)


# =============================================================================== 2. expiry

@pytest.mark.parametrize("mode", ["memcached", "in-process"])
def test_short_ttl_expires(start_findash, psql, mode):
    env = {"DASHBOARD_CACHE_TTL": "1"}
    if mode == "in-process":
        env["MEMCACHED_SERVERS"] = ""
    data = TenantData(psql)
    server = start_ready(start_findash, **env)
    path = EP + "/summary"
    first = get_ok(server, path, data.tenant)
    assert first.xcache == "MISS", first
    second = get_ok(server, path, data.tenant)
    assert second.xcache == "HIT" and second.body == first.body, "within the 1 s TTL: %r" % second
    time.sleep(2.5)
    third = get_ok(server, path, data.tenant)
    assert third.xcache == "MISS", "2.5 s after caching with DASHBOARD_CACHE_TTL=1: %r" % third
    assert third.json()["generated_at"] > first.json()["generated_at"], (first, third)
    assert third.etag != first.etag
    assert figures(third) == figures(first)
    fourth = get_ok(server, path, data.tenant)
    assert fourth.xcache == "HIT" and fourth.body == third.body, fourth


# =============================================================================== 3. freshness

def _cache_both(server, path, *tenants):
    cached = {}
    for tenant in tenants:
        get_ok(server, path, tenant)
        again = get_ok(server, path, tenant)
        assert again.xcache == "HIT", "could not get %s cached: %r" % (tenant, again)
        cached[tenant] = again
    return cached


def _wait_fresh(server, path, tenant, expect, what, started):
    """Polls until summary_figures(answer) includes `expect`; returns (elapsed, answer)."""
    first_changed = []

    def check():
        a = get_ok(server, path, tenant)
        got = summary_figures(a) if path.startswith(EP + "/summary") else figures_of_full(a)
        if all(got.get(k) == v for k, v in expect.items()):
            first_changed.append(a)
            return True, a
        return False, (got, a)

    remaining = (FRESH_WITHIN + FRESH_SLACK) * TIME_FACTOR - (time.monotonic() - started)
    wait_until(what, check, max(0.0, remaining))
    answer = first_changed[0]
    return time.monotonic() - started, answer


def figures_of_full(answer):
    body = answer.json()
    usd = [c for c in body["summary"]["currencies"] if c["currency"] == "USD"]
    cur = usd[0] if usd else {}
    return {"total_assets": cur.get("total_assets"), "income": cur.get("income"),
            "expenses": cur.get("expenses"),
            "transactions_count": body["summary"]["transactions_count"],
            "accounts_count": body["summary"]["accounts_count"],
            "budgets_total": body["summary"]["budgets"]["total"]}


CHANGES = {
    "insert_transaction": (
        "INSERT INTO transactions (id, tenant_type, tenant_id, account_id, amount, currency, kind, category, "
        "description, booked_on) VALUES (gen_random_uuid(), $1, $2, $3, 12.34, 'USD', 'income', 'bonus', "
        "'Bonus', $5)",
        {"income": "1012.34", "transactions_count": 3}),
    "update_transaction": (
        "UPDATE transactions SET amount = -300.00 WHERE id = $4",
        {"expenses": "300.00", "transactions_count": 2}),
    "delete_transaction": (
        "DELETE FROM transactions WHERE id = $6",
        {"income": "0.00", "transactions_count": 1}),
    "update_account_balance": (
        "UPDATE accounts SET balance = balance + 100.00, updated_at = now() WHERE id = $3",
        {"total_assets": "5100.00"}),
    "insert_account": (
        "INSERT INTO accounts (id, tenant_type, tenant_id, name, type, currency, balance, is_active) "
        "VALUES (gen_random_uuid(), $1, $2, 'Extra', 'savings', 'USD', 1.00, true)",
        {"total_assets": "5001.00", "accounts_count": 2}),
    "delete_budget": (
        "DELETE FROM budgets WHERE id = $7",
        {"budgets_total": 0}),
    "insert_budget": (
        "INSERT INTO budgets (id, tenant_type, tenant_id, name, category, currency, amount, period, "
        "alert_threshold, starts_on, ends_on, is_active) VALUES (gen_random_uuid(), $1, $2, 'Fun', 'fun', "
        "'USD', 50.00, 'monthly', 0.8, '2020-01-01', NULL, true)",
        {"budgets_total": 2}),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("path", [EP + "/summary", EP], ids=["summary", "full"])
def test_change_shows_within_1s_other_tenant_still_hit(start_findash, psql, change, path):
    a = TenantData(psql)
    b = TenantData(psql)
    findash = start_ready(start_findash)
    cached = _cache_both(findash, path, a.tenant, b.tenant)
    sql, expect = CHANGES[change]
    psql(sql, a.tenant_type, a.tenant_id, a.account, a.expense_tx, today().isoformat(), a.income_tx, a.budget)
    committed = time.monotonic()
    elapsed, fresh = _wait_fresh(findash, path, a.tenant, expect,
                                 "%s for tenant A shows in %s" % (change, path), committed)
    assert fresh.xcache == "MISS", "the first answer with the change is recomputed: %r" % fresh
    assert fresh.etag != cached[a.tenant].etag
    # Tenant B's entry is untouched.
    bb = get_ok(findash, path, b.tenant)
    assert bb.xcache == "HIT", "another tenant's entry must stay cached after A's change: %r" % bb
    assert bb.etag == cached[b.tenant].etag and bb.body == cached[b.tenant].body
    # And A's new answer is cached in turn.
    again = get_ok(findash, path, a.tenant)
    assert again.xcache == "HIT" and again.body == fresh.body, again


def test_freshness_across_two_processes_sharing_memcached(start_findash, psql):
    a = TenantData(psql)
    b = TenantData(psql)
    s1 = start_ready(start_findash)
    s2 = start_ready(start_findash)
    path = EP + "/summary"
    c1 = _cache_both(s1, path, a.tenant, b.tenant)
    c2 = _cache_both(s2, path, a.tenant, b.tenant)
    a.insert_income(1234)
    committed = time.monotonic()
    expect = {"income": "1012.34", "transactions_count": 3}
    results = {}
    errors = []

    def watch(name, server):
        try:
            results[name] = _wait_fresh(server, path, a.tenant, expect,
                                        "insert shows on server %s" % name, committed)
        except BaseException as exc:  # pytest.fail raises Failed (a BaseException)
            errors.append("%s: %s" % (name, exc))

    threads = [threading.Thread(target=watch, args=(n, s)) for n, s in (("1", s1), ("2", s2))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert not errors, errors
    # The fresh answer was computed once: by one process (MISS), and the other either computed
    # it too or found it in the shared memcached under the new generation (HIT). Never both
    # HITs: that would mean a fresh answer nobody computed.
    kinds = sorted(results[name][1].xcache for name in ("1", "2"))
    assert kinds in (["MISS", "MISS"], ["HIT", "MISS"]), results
    for server, cached in ((s1, c1), (s2, c2)):
        bb = get_ok(server, path, b.tenant)
        assert bb.xcache == "HIT" and bb.body == cached[b.tenant].body, bb


def test_second_process_reuses_entries_from_memcached(start_findash, psql):
    """Replicas share memcached: an entry one process computed is a HIT in another
    (and memcached counts get_hits), until the tenant's data changes."""
    data = TenantData(psql)
    s1 = start_ready(start_findash)
    s2 = start_ready(start_findash)
    path = EP + "/summary"
    first = get_ok(s1, path, data.tenant)
    assert first.xcache == "MISS", first
    before = mc_stats()
    other = get_ok(s2, path, data.tenant)
    after = mc_stats()
    assert other.xcache == "HIT", (
        "server 2's first request for an entry server 1 has just stored in the shared memcached: %r" % other)
    assert other.body == first.body
    assert after["get_hits"] > before["get_hits"], (
        "memcached get_hits %d -> %d" % (before["get_hits"], after["get_hits"]))


def _listener_backends(server, psql):
    """PostgreSQL backend pids of `server`'s LISTEN session, found by the local TCP ports
    of the server process's sockets: its last statement is the LISTEN or the empty query
    it sends to probe an idle session (dashboard pool sessions run dashboard SQL)."""
    pid = server.proc.pid
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        m = re.fullmatch(r"socket:\[(\d+)\]", link)
        if m:
            inodes.add(m.group(1))
    ports = set()
    for table in ("tcp", "tcp6"):
        try:
            with open("/proc/%d/net/%s" % (pid, table)) as f:
                lines = f.read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[9] in inodes:
                ports.add(int(parts[1].rsplit(":", 1)[1], 16))
    if not ports:
        return []
    out = psql("SELECT pid FROM pg_stat_activity WHERE usename = current_user "
               "AND (query ILIKE 'LISTEN%%' OR query = '') AND client_port IN (%s)"
               % ",".join(str(p) for p in sorted(ports)))
    return [int(x) for x in out.split()]


def test_lost_listen_connection_counts_as_everything_changed(start_findash, psql):
    a = TenantData(psql)
    b = TenantData(psql)
    server = start_ready(start_findash)
    path = EP + "/summary"
    cached = _cache_both(server, path, a.tenant, b.tenant)
    backends = _listener_backends(server, psql)
    assert backends, "found no LISTEN session of the server"
    # Kill the LISTEN session, then change A while the server is (re)connecting.
    psql("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid",
         "{%s}" % ",".join(str(p) for p in backends))
    a.insert_income(1234)
    committed = time.monotonic()
    elapsed, fresh = _wait_fresh(server, path, a.tenant, {"income": "1012.34", "transactions_count": 3},
                                 "a change committed while the LISTEN session was down", committed)
    assert fresh.xcache == "MISS", fresh
    # Caching resumes once the session is back (new LISTEN backend, entries HIT again).
    def resumed():
        x = get_ok(server, path, b.tenant)
        return x.xcache == "HIT", x
    wait_until("caching resumes after the LISTEN session reconnects", resumed, RECOVERY_WITHIN, every=0.2)
    assert figures(get_ok(server, path, b.tenant)) == figures(cached[b.tenant])
    new = _listener_backends(server, psql)
    assert new and not set(new) & set(backends), (
        "LISTEN session before %r, after reconnecting %r" % (backends, new))


# =============================================================================== 4. outage

def test_memcached_stopped_then_restarted(start_findash, psql, services):
    tenants = [TenantData(psql, balance=100000 * (i + 1), income=1000 * (i + 1), expense=100 * (i + 1))
               for i in range(4)]
    server = start_ready(start_findash)
    paths = [EP + "/summary", EP + "/accounts", EP]
    before = {}
    for data in tenants:
        for path in paths:
            get_ok(server, path, data.tenant)
            again = get_ok(server, path, data.tenant)
            assert again.xcache == "HIT", again
            before[(data.tenant, path)] = again
    m0 = metrics(server)
    status, body = health(server)
    assert (status, body["status"]) == (200, "healthy"), body

    t = today()
    try:
        services("stop-cache")
        outage_started = time.monotonic()
        answers = []
        # Cached entries, entries never cached (another period) and a tenant never asked.
        late = TenantData(psql, balance=777700, income=4200, expense=1100)
        for round_ in range(3):
            for data in tenants:
                for path in paths:
                    a = get(server, path, data.tenant)
                    answers.append(a)
                    assert a.status == 200, "memcached down: %r" % a
                    assert figures(a) == figures(before[(data.tenant, path)]), (
                        "memcached down: %s for %s changed figures" % (path, data.tenant))
                other = get(server, EP + "/summary?from=%s&to=%s" % (t - datetime.timedelta(days=60), t),
                            data.tenant)
                answers.append(other)
                assert other.status == 200, other
                assert summary_figures(other) == data.expected_summary(), other.json()
            fresh = get(server, EP + "/summary", late.tenant)
            answers.append(fresh)
            assert fresh.status == 200 and summary_figures(fresh) == late.expected_summary(), fresh
        slowest = max(answers, key=lambda x: x.elapsed)
        assert slowest.elapsed < 0.75 * TIME_FACTOR, "memcached down: slowest answer took %.0f ms: %r" % (
            slowest.elapsed * 1000, slowest)
        assert not [a for a in answers if a.status >= 500]

        def degraded():
            st, b = health(server)
            return (st, b["status"]) == (200, "degraded"), (st, b)
        wait_until("/health/dashboard says degraded with memcached down", degraded, 3.0, every=0.2)

        # Freshness holds without memcached.
        tenants[0].insert_income(1234)
        committed = time.monotonic()
        _wait_fresh(server, EP + "/summary", tenants[0].tenant,
                    {"income": "22.34", "transactions_count": 3}, "change during the outage", committed)
        m1 = metrics(server)
        assert delta(m1, m0, "dashboard_cache_errors_total") > 0, (
            "memcached down for %.1f s, yet dashboard_cache_errors_total did not move" % (
                time.monotonic() - outage_started))
    finally:
        services("start-cache")

    def healthy():
        st, b = health(server)
        return (st, b["status"]) == (200, "healthy"), (st, b)
    wait_until("/health/dashboard healthy after memcached restarted", healthy, RECOVERY_WITHIN, every=0.2)

    # Entries are stored in (and read from) memcached again.
    def stored_again():
        newcomer = TenantData(psql)
        s0 = mc_stats()
        first = get_ok(server, EP + "/summary", newcomer.tenant)
        s1 = mc_stats()
        second = get_ok(server, EP + "/summary", newcomer.tenant)
        ok = (first.xcache == "MISS" and second.xcache == "HIT" and s1["cmd_set"] > s0["cmd_set"]
              and s1["cmd_get"] > s0["cmd_get"])
        return ok, (first, second, s0.get("cmd_get"), s1.get("cmd_get"), s0.get("cmd_set"), s1.get("cmd_set"))
    wait_until("a new entry is looked up in and stored in the restarted memcached", stored_again,
               RECOVERY_WITHIN, every=0.3)
    keys_before = {k for k, _ in mc_keys()}
    newcomer = TenantData(psql)
    get_ok(server, EP + "/summary", newcomer.tenant)
    assert {k for k, _ in mc_keys()} - keys_before, "the new entry is not in memcached"
    for data in tenants[1:]:
        a = get_ok(server, EP + "/summary", data.tenant)
        assert figures(a) == figures(before[(data.tenant, EP + "/summary")])


def test_frozen_memcached_costs_no_more_than_its_timeout(start_findash, private_memcached, psql):
    """A memcached that accepts connections but never answers (SIGSTOP): answers stay 200 and
    correct with at most the client timeouts (MEMCACHED_TIMEOUT_MS, ~50 ms) added; health
    degraded; back when it resumes."""
    mc = private_memcached()
    tenants = [TenantData(psql, balance=10000 * (i + 1)) for i in range(3)]
    server = start_ready(start_findash, MEMCACHED_SERVERS=mc.spec)
    t = today()
    for data in tenants:
        get_ok(server, EP + "/summary", data.tenant)
    frozen_at = time.monotonic()
    os.kill(mc.proc.pid, 19)  # SIGSTOP
    try:
        answers = []
        for i in range(4):
            for data in tenants:
                # Each a new key: a memcached lookup (and store) every time.
                path = EP + "/summary?from=%s&to=%s" % (t - datetime.timedelta(days=40 + i), t)
                a = get(server, path, data.tenant)
                answers.append(a)
                assert a.status == 200, "memcached frozen: %r" % a
                got = summary_figures(a)
                assert got["total_assets"] == data.expected_summary()["total_assets"], a
                assert got["income"] == data.expected_summary()["income"], a
        # The first answer after the freeze pays two memcached timeouts (the get, then the
        # set) before the breaker opens: a raised MEMCACHED_TIMEOUT_MS adds twice its excess.
        timeout = mc_timeout(server)
        bound = 0.5 * TIME_FACTOR + 2 * max(0.0, timeout - 0.05)
        slowest = max(answers, key=lambda x: x.elapsed)
        assert slowest.elapsed < bound, "memcached frozen: slowest answer %.0f ms (timeouts are %.0f ms): %r" % (
            slowest.elapsed * 1000, timeout * 1000, slowest)

        def degraded():
            st, b = health(server)
            return (st, b["status"]) == (200, "degraded"), (st, b)
        wait_until("/health/dashboard degraded with memcached frozen", degraded, 3.0, every=0.2)
        frozen_for = time.monotonic() - frozen_at
    finally:
        os.kill(mc.proc.pid, 18)  # SIGCONT

    def healthy():
        st, b = health(server)
        return (st, b["status"]) == (200, "healthy"), (st, b)
    wait_until("/health/dashboard healthy after memcached resumed (frozen %.1f s)" % frozen_for,
               healthy, RECOVERY_WITHIN, every=0.2)

    def stored_again():
        newcomer = ("user", new_tid("thaw"))
        s0 = mc_stats(mc.addr)
        first = get_ok(server, EP + "/summary", newcomer)
        s1 = mc_stats(mc.addr)
        return s1["cmd_set"] > s0["cmd_set"] and first.xcache == "MISS", (first, s0["cmd_set"], s1["cmd_set"])
    wait_until("entries are stored in memcached again after it resumed", stored_again, RECOVERY_WITHIN, every=0.3)


# =============================================================================== 5. ketama

def test_ketama_spreads_entries_over_two_servers(start_findash, private_memcached, psql):
    mc_a = private_memcached()
    mc_b = private_memcached()
    server = start_ready(start_findash, MEMCACHED_SERVERS="%s,%s" % (mc_a.spec, mc_b.spec))
    ready_sets = mc_stats(mc_a.addr)["cmd_set"] + mc_stats(mc_b.addr)["cmd_set"]
    ready_keys = len(mc_keys(mc_a.addr)) + len(mc_keys(mc_b.addr))
    status, body = health(server)
    assert (status, body["status"]) == (200, "healthy"), body
    tenants = [("user" if i % 2 else "organization", new_tid("k%d" % i)) for i in range(30)]
    t = today()
    keys = 0
    for tenant in tenants:
        for path in (EP + "/summary", EP + "/budgets?as_of=%s" % (t - datetime.timedelta(days=3))):
            a = get_ok(server, path, tenant)
            assert a.xcache == "MISS", a
            keys += 1
    sa, sb = mc_stats(mc_a.addr), mc_stats(mc_b.addr)
    # Each entry once, plus one generation token per new tenant (shared by the replicas).
    assert sa["cmd_set"] + sb["cmd_set"] - ready_sets == keys + len(tenants), (
        "each of the %d entries and %d tokens is stored once: cmd_set %d + %d (%d before)"
        % (keys, len(tenants), sa["cmd_set"], sb["cmd_set"], ready_sets))
    for name, s in (("a", sa), ("b", sb)):
        assert s["cmd_set"] >= keys // 10, (
            "ketama over two servers: server %s got %d of %d sets" % (name, s["cmd_set"], keys))
    # Each key lives on exactly one of the two.
    on_a = {k for k, _ in mc_keys(mc_a.addr)}
    on_b = {k for k, _ in mc_keys(mc_b.addr)}
    assert not (on_a & on_b), "one key stored on both servers: %r" % sorted(on_a & on_b)[:3]
    assert len(on_a) + len(on_b) - ready_keys == keys + len(tenants), (
        "each entry and token is one key: %d + %d keys, %d before" % (len(on_a), len(on_b), ready_keys))

    # One of the two dies: answers stay 200, correct and fast.
    mc_b.stop()
    answers = []
    for tenant in tenants:
        a = get(server, EP + "/summary?from=%s" % (t - datetime.timedelta(days=45)), tenant)
        answers.append(a)
        assert a.status == 200, a
        assert a.json()["tenant"] == {"type": tenant[0], "id": tenant[1]}
        fresh = get(server, EP + "/accounts?include_inactive=true", tenant)
        answers.append(fresh)
        assert fresh.status == 200 and fresh.json()["accounts"] == [], fresh
    slowest = max(answers, key=lambda x: x.elapsed)
    assert slowest.elapsed < 0.75 * TIME_FACTOR, "one memcached of two down: slowest answer %.0f ms: %r" % (
        slowest.elapsed * 1000, slowest)


# =============================================================================== 6. stampede

def test_no_stampede_50_concurrent_cold_requests(start_findash, psql):
    tid = new_tid("herd")
    account = str(uuid.uuid4())
    t = today()
    psql("INSERT INTO accounts (id, tenant_type, tenant_id, name, type, currency, balance, is_active) "
         "VALUES ($1, 'user', $2, 'Main', 'checking', 'USD', 100.00, true);"
         "INSERT INTO transactions (id, tenant_type, tenant_id, account_id, amount, currency, kind, category, "
         "description, booked_on) SELECT gen_random_uuid(), 'user', $2, $1, "
         "CASE WHEN g % 4 = 0 THEN 1000.00 ELSE -(g % 997) - 0.25 END, 'USD', "
         "CASE WHEN g % 4 = 0 THEN 'income' ELSE 'expense' END, 'cat' || (g % 23), 'tx ' || g, "
         "$3::date - (g % 365) FROM generate_series(1, 30000) AS g",
         account, tid, t.isoformat())
    tenant = ("user", tid)
    path = EP + "?from=%s&to=%s" % (t - datetime.timedelta(days=364), t)
    server = start_ready(start_findash)

    # How long one computation takes (another key of the same tenant, so ours stays cold).
    probe = get_ok(server, path + "&top=99", tenant)
    assert probe.xcache == "MISS", probe
    before = metrics(server)

    n = 50
    barrier = threading.Barrier(n)
    results = [None] * n
    token = make_token(tenant_type="user", tenant_id=tid)

    def worker(i):
        conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
        try:
            conn.connect()
            barrier.wait(10)
            conn.request("GET", path, headers={"Authorization": "Bearer " + token})
            resp = conn.getresponse()
            results[i] = (resp.status, resp.getheader("X-Cache"), resp.getheader("ETag"), resp.read())
        except Exception as exc:  # reported below
            results[i] = ("error", repr(exc), None, b"")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    after = metrics(server)
    statuses = [r[0] for r in results]
    assert statuses == [200] * n, statuses
    bodies = {r[3] for r in results}
    assert len(bodies) == 1, "%d different bodies among %d concurrent identical requests" % (len(bodies), n)
    assert len({r[2] for r in results}) == 1
    computations = delta(after, before, "dashboard_db_computations_total")
    assert computations == 1, (
        "50 concurrent identical cold requests ran %d database computations (one takes ~%.0f ms); "
        "X-Cache: %r" % (computations, probe.elapsed * 1000, sorted(r[1] for r in results)))
    last = get_ok(server, path, tenant)
    assert last.xcache == "HIT" and last.body in bodies, last


# =============================================================================== 7. in-process

def test_in_process_cache(start_findash, psql):
    a = TenantData(psql)
    b = TenantData(psql)
    mc_before = mc_stats()
    server = start_ready(start_findash, MEMCACHED_SERVERS="")
    status, body = health(server)
    assert (status, body["status"]) == (200, "healthy"), body
    for path in ENDPOINTS:
        for data in (a, b):
            first = get_ok(server, path, data.tenant)
            assert first.xcache == "MISS", first
            second = get_ok(server, path, data.tenant)
            assert second.xcache == "HIT" and second.body == first.body and second.etag == first.etag, second
            nm = get(server, path, data.tenant, headers={"If-None-Match": first.etag})
            assert nm.status == 304 and nm.body == b"", nm
    cached_b = get_ok(server, EP + "/summary", b.tenant)
    a.insert_income(1234)
    committed = time.monotonic()
    _, fresh = _wait_fresh(server, EP + "/summary", a.tenant, {"income": "1012.34", "transactions_count": 3},
                           "in-process cache: insert shows", committed)
    assert fresh.xcache == "MISS", fresh
    bb = get_ok(server, EP + "/summary", b.tenant)
    assert bb.xcache == "HIT" and bb.body == cached_b.body, bb
    mc_after = mc_stats()
    assert (mc_after["cmd_get"], mc_after["cmd_set"]) == (mc_before["cmd_get"], mc_before["cmd_set"]), (
        "MEMCACHED_SERVERS empty, yet memcached was used: cmd_get %d -> %d, cmd_set %d -> %d" % (
            mc_before["cmd_get"], mc_after["cmd_get"], mc_before["cmd_set"], mc_after["cmd_set"]))
    status, body = health(server)
    assert body["services"]["cache"].get("kind") != "memcached", body


# =============================================================================== 8. tenants

def test_entries_of_one_tenant_never_answer_another(start_findash, psql):
    tid = new_tid("twin")
    user = TenantData(psql, tenant_type="user", tenant_id=tid, balance=111100, income=2000, expense=300)
    org = TenantData(psql, tenant_type="organization", tenant_id=tid, balance=999900, income=7000, expense=800)
    # Ids that a careless key scheme could confuse with each other.
    upper = TenantData(psql, tenant_type="user", tenant_id=tid.upper(), balance=5500, income=100, expense=1)
    dotted = TenantData(psql, tenant_type="user", tenant_id=tid + ".summary", balance=6600, income=200, expense=2)
    everyone = (user, org, upper, dotted)
    server = start_ready(start_findash)
    for path in ENDPOINTS:
        first = {}
        for data in everyone:
            a = get_ok(server, path, data.tenant)
            assert a.xcache == "MISS", "%s for %s was served another tenant's entry: %r" % (path, data.tenant, a)
            first[data.tenant] = a
        for _ in range(2):
            for data in everyone:
                a = get_ok(server, path, data.tenant)
                assert a.xcache == "HIT", a
                assert a.body == first[data.tenant].body, "%s for %s: not its own cached body" % (path, data.tenant)
        assert len({a.body for a in first.values()}) == len(everyone), (
            "%s: tenants with different data got equal bodies" % path)
    for data in everyone:
        a = get_ok(server, EP + "/summary", data.tenant)
        assert a.json()["tenant"] == {"type": data.tenant_type, "id": data.tenant_id}
        assert summary_figures(a) == data.expected_summary(), (data.tenant, a.json())
        full = get_ok(server, EP, data.tenant)
        assert full.json()["tenant"] == {"type": data.tenant_type, "id": data.tenant_id}
        assert figures_of_full(full) == data.expected_summary()
