"""The JSON access and event log (issue 5, Deliver 2) through real HTTP.

Every line the server writes to stdout must be a JSON object; each request has exactly
one access line (found by its X-Request-ID) with the documented fields and types; no
token, JWT secret, database password or connection string appears anywhere in stdout or
stderr; LOG_LEVEL=warning drops the access lines; a stdout nobody reads never blocks
the server.
"""

import json
import os
import shutil
import subprocess
import time
import uuid
from urllib.parse import urlsplit

import pytest

import support
from support import FindashServer, make_token

SUMMARY = "/financial/dashboard/summary"
ACCESS_FIELDS = ("timestamp", "level", "service", "request_id", "method", "path", "status",
                 "tenant_type", "tenant_id", "subject", "endpoint", "duration_ms", "cache_hit",
                 "response_size")


class SplitOutputServer(FindashServer):
    """A FindashServer whose stdout and stderr go to separate files (or stdout to a pipe
    nobody reads, with stdout="pipe")."""

    def __init__(self, stdout="file", **kwargs):
        super().__init__(**kwargs)
        self.stdout_mode = stdout
        self.stderr_path = None

    def spawn(self, port=None):
        self.port = int(port or self.overrides.get("PORT") or support.free_port())
        self.env = self.build_env(self.port)
        self.host = "127.0.0.1"
        self.log_path = os.path.join(self.log_dir, "%s-%d.stdout" % (self.name, self.port))
        self.stderr_path = os.path.join(self.log_dir, "%s-%d.stderr" % (self.name, self.port))
        stdout = subprocess.PIPE if self.stdout_mode == "pipe" else open(self.log_path, "ab")
        cmd = [self.binary] + list(self.args)
        setpriv = shutil.which("setpriv")
        if setpriv:  # the server dies with the test process even when pytest is killed hard
            cmd = [setpriv, "--pdeathsig", "KILL", "--"] + cmd
        with open(self.stderr_path, "ab") as err:
            self.proc = subprocess.Popen(cmd, env=self.env, stdin=subprocess.DEVNULL,
                                         stdout=stdout, stderr=err, cwd=support.ROOT, start_new_session=True)
        if stdout is not subprocess.PIPE:
            stdout.close()
        self.returncode = None
        with support._live_lock:
            support._live_servers.add(self)
        return self

    def stderr_text(self):
        if not self.stderr_path or not os.path.exists(self.stderr_path):
            return ""
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


@pytest.fixture
def split_server(request, tmp_path):
    servers = []

    def start(stdout="file", **env):
        server = SplitOutputServer(stdout=stdout, log_dir=str(tmp_path), name=request.node.name[:40], **env)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        if server.proc is not None and server.proc.stdout is not None:
            server.proc.stdout.close()
        server.stop(timeout=25)


def parse_every_line(text, what="stdout"):
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        try:
            record = json.loads(line)
        except ValueError:
            raise AssertionError("%s line %d is not JSON: %r" % (what, number, line[:300]))
        assert isinstance(record, dict), "%s line %d is JSON but not an object: %r" % (what, number, line[:300])
        records.append(record)
    return records


def secrets_of_database_url(url):
    parts = urlsplit(url)
    found = [url]
    if parts.password:
        found.append(parts.password)
    return found


def assert_nothing_secret(texts, secrets):
    for what, text in texts.items():
        for secret in secrets:
            assert secret not in text, "%s contains a secret (%s…)" % (what, secret[:12])


# ----------------------------------------------------------------------------- access lines

def test_every_line_is_json_and_each_request_has_its_access_line_without_secrets(split_server):
    jwt_secret = "obs-log-secret-" + uuid.uuid4().hex
    db_url = os.environ["DATABASE_URL"]
    assert urlsplit(db_url).password, "the test needs a DATABASE_URL with a password"
    server = split_server(JWT_SECRET=jwt_secret, LOG_LEVEL="info")
    server.wait_cache_ready()
    uid, oid = "obslog_u_" + uuid.uuid4().hex[:8], "obslog_o_" + uuid.uuid4().hex[:8]
    user = make_token(tenant_type="user", tenant_id=uid, secret=jwt_secret,
                      claims_override={"sub": "alice-" + uid})
    org = make_token(tenant_type="organization", tenant_id=oid, secret=jwt_secret)
    forged = make_token(tenant_id=uid, secret="not-the-secret-" + uuid.uuid4().hex)
    garbage = "garbage-token-" + uuid.uuid4().hex
    tokens = [user, org, forged, garbage]

    plan = [
        # (request id, method, path, token, extra headers, expected status, tenant_type, tenant_id, subject, endpoint)
        ("obs-1", "GET", SUMMARY, user, {}, 200, "user", uid, "alice-" + uid, SUMMARY),
        ("obs-2", "GET", SUMMARY, user, {}, 200, "user", uid, "alice-" + uid, SUMMARY),
        ("obs-3", "GET", "/financial/dashboard/accounts", org, {}, 200, "organization", oid, None,
         "/financial/dashboard/accounts"),
        ("obs-4", "GET", SUMMARY, forged, {}, 401, None, None, None, SUMMARY),
        ("obs-5", "GET", SUMMARY, garbage, {}, 401, None, None, None, SUMMARY),
        ("obs-6", "GET", SUMMARY, None, {}, 401, None, None, None, SUMMARY),
        ("obs-7", "GET", SUMMARY + "?from=bad-date", user, {}, 400, "user", uid, "alice-" + uid, SUMMARY),
        ("obs-8", "GET", "/random/path/123", user, {}, 404, None, None, None, "other"),
        ("obs-9", "HEAD", SUMMARY, user, {}, 200, "user", uid, "alice-" + uid, SUMMARY),
        ("obs-10", "GET", "/health", None, {}, 200, None, None, None, "/health"),
        ("obs-11", "DELETE", SUMMARY, user, {}, 405, None, None, None, SUMMARY),
        # A client that put its token in the query string: the log must not repeat it.
        ("obs-12", "GET", SUMMARY + "?access_token=" + user, user, {}, None, "user", uid, "alice-" + uid, SUMMARY),
        ("obs-13", "GET", "/health/dashboard", None, {}, 200, None, None, None, "/health/dashboard"),
    ]
    seen = {}
    for rid, method, path, token, extra, status, *_ in plan:
        headers = dict(extra, **{"X-Request-ID": rid})
        got, hdrs, body = support.request(server, method, path, token=token, headers=headers)
        assert hdrs.get("x-request-id") == rid
        if status is not None:
            assert got == status, (rid, got, body[:200])
        seen[rid] = (got, hdrs, body)
    etag = seen["obs-1"][1]["etag"]
    got, hdrs, _ = support.request(server, "GET", SUMMARY, token=user, headers={"X-Request-ID": "obs-304",
                                                                              "If-None-Match": etag})
    assert got == 304
    plan.append(("obs-304", "GET", SUMMARY, user, {}, 304, "user", uid, "alice-" + uid, SUMMARY))
    seen["obs-304"] = (304, hdrs, b"")

    rc = server.stop()
    assert rc == 0, server.log_tail()
    stdout, stderr = server.log_text(), server.stderr_text()
    records = parse_every_line(stdout)
    by_id = {}
    for record in records:
        for field in ("timestamp", "level", "service", "message"):
            assert field in record, "log line without %s: %s" % (field, record)
        assert record["level"] in ("debug", "info", "warning", "error"), record
        assert record["service"] == "findash", record
        if record["message"] == "request":
            by_id.setdefault(record.get("request_id"), []).append(record)

    for rid, method, path, token, _, status, tenant_type, tenant_id, subject, endpoint in plan:
        lines = by_id.get(rid, [])
        assert len(lines) == 1, "request %s has %d access lines: %s" % (rid, len(lines), lines)
        line = lines[0]
        missing = [f for f in ACCESS_FIELDS if f not in line]
        assert not missing, "access line of %s lacks %s: %s" % (rid, missing, line)
        assert line["level"] == "info"
        assert line["method"] == method
        assert line["path"].split("?")[0] == path.split("?")[0], (rid, line["path"])
        assert line["status"] == seen[rid][0] and type(line["status"]) is int, (rid, line)
        assert isinstance(line["duration_ms"], (int, float)) and not isinstance(line["duration_ms"], bool)
        assert 0 <= line["duration_ms"] < 30000, line
        assert line["cache_hit"] is None or isinstance(line["cache_hit"], bool), line
        assert type(line["response_size"]) is int and line["response_size"] >= 0, line
        assert line["tenant_type"] == tenant_type, (rid, line)
        assert line["tenant_id"] == tenant_id, (rid, line)
        assert line["subject"] == subject, (rid, line)
        assert line["endpoint"] == endpoint, (rid, line)
        ts = line["timestamp"]
        assert isinstance(ts, str) and ts.endswith("Z") and ts[4] == "-" and ts[10] == "T", ts
        if rid in ("obs-1", "obs-3"):
            assert line["cache_hit"] is False, line
            assert line["response_size"] == len(seen[rid][2]), line
        if "x-cache" in seen[rid][1]:
            assert line["cache_hit"] is (seen[rid][1]["x-cache"] == "HIT"), \
                "%s: cache_hit %s but X-Cache %s" % (rid, line["cache_hit"], seen[rid][1]["x-cache"])
        if status in (401, 404, 405) or endpoint in ("/health", "/health/dashboard"):
            assert line["cache_hit"] is None, line
    assert by_id.get("obs-304")[0]["response_size"] == 0
    assert any(lines[0]["cache_hit"] is True for lines in by_id.values()), "no access line with cache_hit true"

    events = [r["message"] for r in records if r["message"] != "request"]
    assert "listening" in events and "stopped" in events, events

    assert_nothing_secret({"stdout": stdout, "stderr": stderr},
                          tokens + [jwt_secret] + secrets_of_database_url(db_url)
                          + [t.rsplit(".", 1)[1] for t in tokens if t.count(".") == 2])
    assert stderr.strip() == "" or all(line.startswith("{") for line in stderr.splitlines()), stderr[:500]


def test_unreachable_dependencies_are_logged_as_json_events_without_the_password(split_server):
    password = "obs-db-pass-" + uuid.uuid4().hex
    db_port = support.free_port()
    db_url = "postgresql://findash:%s@127.0.0.1:%d/findash" % (password, db_port)
    server = split_server(DATABASE_URL=db_url, MEMCACHED_SERVERS="127.0.0.1:%d" % support.free_port(),
                          DB_STATEMENT_TIMEOUT="1")
    token = make_token(tenant_id="obslog_dbdown")
    for rid in ("down-1", "down-2"):
        status, headers, body = support.request(server, "GET", SUMMARY, token=token, headers={"X-Request-ID": rid})
        assert status == 503, (status, body[:300])
        assert password.encode() not in body and b"postgresql://" not in body
    support.request(server, "GET", "/health/dashboard")
    time.sleep(0.5)
    assert server.stop() == 0
    stdout, stderr = server.log_text(), server.stderr_text()
    records = parse_every_line(stdout)
    warnings = [r for r in records if r["level"] in ("warning", "error")]
    assert warnings, "no warning/error event with the database and memcached unreachable:\n%s" % stdout[-2000:]
    access = [r for r in records if r["message"] == "request" and r.get("request_id") in ("down-1", "down-2")]
    assert [r["status"] for r in access] == [503, 503], access
    assert_nothing_secret({"stdout": stdout, "stderr": stderr}, [password, db_url])


def test_requests_the_parser_refuses_have_access_lines_too(split_server):
    """A request refused before routing (400, 501, 505) is logged like any other, so that
    probing shows in the log; the status and the client's request id are on the line."""
    server = split_server()
    raws = [b"GET / HTTP/1.1\r\nHost: a b\r\nX-Request-ID: refused-400\r\n\r\n",
            b"PROPFIND / HTTP/1.1\r\nHost: t\r\nX-Request-ID: refused-501\r\n\r\n",
            b"GET / HTTP/1.2\r\nHost: t\r\nX-Request-ID: refused-505\r\n\r\n"]
    for raw in raws:
        with support.RawConnection(server, timeout=5) as conn:
            conn.send(raw)
            conn.read_response()
    assert server.stop() == 0
    lines = {r.get("request_id"): r for r in parse_every_line(server.log_text()) if r.get("message") == "request"}
    for status in (400, 501, 505):
        record = lines.get("refused-%d" % status)
        assert record is not None and record["status"] == status, (status, sorted(k for k in lines if k))


def test_log_level_warning_writes_no_access_lines(split_server):
    server = split_server(LOG_LEVEL="warning")
    token = make_token(tenant_id="obslog_quiet")
    for path, tok in ((SUMMARY, token), (SUMMARY, None), ("/health", None), ("/nope", None)):
        support.request(server, "GET", path, token=tok, headers={"X-Request-ID": "quiet-1"})
    assert server.stop() == 0
    records = parse_every_line(server.log_text())
    assert not [r for r in records if r.get("message") == "request" or "request_id" in r], records
    assert all(r["level"] in ("warning", "error") for r in records), records


def test_log_level_error_and_debug_are_accepted(split_server):
    quiet = split_server(LOG_LEVEL="error")
    support.request(quiet, "GET", "/health")
    assert quiet.stop() == 0
    assert all(r["level"] == "error" for r in parse_every_line(quiet.log_text()))
    loud = split_server(LOG_LEVEL="debug")
    support.request(loud, "GET", "/health", headers={"X-Request-ID": "dbg-1"})
    assert loud.stop() == 0
    assert [r for r in parse_every_line(loud.log_text()) if r.get("request_id") == "dbg-1"]


def test_a_stdout_nobody_reads_never_blocks_requests(split_server):
    """A full stdout pipe (64 KiB, a few hundred access lines) must not stall the event
    loops: logging never blocks."""
    server = split_server(stdout="pipe")
    token = make_token(tenant_id="obslog_pipe")
    started = time.monotonic()
    conn = support.RawConnection(server, timeout=5)
    try:
        for i in range(1500):
            conn.send(support.simple_get(SUMMARY, extra=("Authorization: Bearer %s\r\nX-Request-ID: pipe-%d-%s\r\n"
                                                         % (token, i, "x" * 60)).encode()))
            resp = conn.read_response(timeout=5)
            assert resp.status == 200, (i, resp)
    finally:
        conn.close()
    elapsed = time.monotonic() - started
    assert elapsed < 60, elapsed
    status, _, _ = support.request(server, "GET", "/health", timeout=5)
    assert status == 200


# ----------------------------------------------------------------------------- dependency events

def _wait_for(server, predicate, after, timeout):
    """The first parsed stdout record past index `after` that satisfies predicate, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        records = parse_every_line(server.log_text())
        for index, record in enumerate(records):
            if index >= after and predicate(record):
                return index, record
        time.sleep(0.1)
    return None, None


def _mentions(record, *words):
    text = json.dumps(record).lower()
    return any(word in text for word in words)


def test_database_lost_and_back_are_logged(split_server, services):
    """Issue 5: application events "database lost / back" as JSON lines."""
    server = split_server()
    token = make_token(tenant_id="obslog_dbflap")
    assert support.request(server, "GET", SUMMARY, token=token)[0] == 200
    mark = len(parse_every_line(server.log_text()))
    services("stop-db")
    try:
        support.request(server, "GET", SUMMARY + "?from=2026-01-01", token=token, timeout=10)
        index, lost = _wait_for(server, lambda r: r["level"] in ("warning", "error") and r["message"] != "request",
                                mark, 8)
        assert lost is not None, "no warning event within 8 s of the database going away:\n%s" \
            % server.log_text()[-2000:]
    finally:
        services("start-db")
    back_index, back = _wait_for(server, lambda r: r["level"] == "info" and r["message"] != "request"
                                 and _mentions(r, "connected", "back", "restored", "up"), index + 1, 15)
    assert back is not None, "no event when the database came back:\n%s" % server.log_text()[-2000:]
    deadline = time.monotonic() + 10
    while support.request(server, "GET", SUMMARY + "?from=2026-02-01", token=token)[0] != 200:
        assert time.monotonic() < deadline, "the server did not resume after the database came back"
        time.sleep(0.2)
    assert server.stop() == 0


def test_memcached_lost_and_back_are_logged(split_server, services):
    """Issue 5: application events "memcached lost / back" as JSON lines."""
    server = split_server()
    token = make_token(tenant_id="obslog_mcflap")
    assert support.request(server, "GET", SUMMARY, token=token)[0] == 200
    mark = len(parse_every_line(server.log_text()))
    services("stop-cache")
    try:
        for i in range(5):
            status = support.request(server, "GET", SUMMARY + "?from=2026-01-%02d" % (i + 1), token=token)[0]
            assert status == 200, "memcached down must not fail dashboard requests (got %d)" % status
        index, lost = _wait_for(server, lambda r: r["level"] in ("warning", "error") and r["message"] != "request"
                                and _mentions(r, "memcached", "cache"), mark, 5)
        assert lost is not None, "no warning event mentioning memcached within 5 s of it going away " \
            "(dashboard requests kept coming):\n%s" % server.log_text()[-2000:]
    finally:
        services("start-cache")
    deadline = time.monotonic() + 15
    back = None
    while time.monotonic() < deadline and back is None:
        support.request(server, "GET", SUMMARY + "?from=2026-03-01", token=token)
        _, back = _wait_for(server, lambda r: r["level"] == "info" and r["message"] != "request"
                            and _mentions(r, "memcached", "cache"), index + 1, 0.5)
    assert back is not None, "no event when memcached came back:\n%s" % server.log_text()[-2000:]
