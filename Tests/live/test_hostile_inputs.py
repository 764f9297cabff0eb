"""Oversized and malformed input over raw sockets (issue 8, item 2).

test_http_smuggling.py sends fixed oversized requests in one write; here the oversized
parts are *streamed without end*, so the server must refuse as soon as a limit is
crossed (414/431/413) instead of buffering what it is sent, and its memory must not
grow with what the client sends. Then invalid UTF-8 and invalid percent-encoding in
paths, query parameters and header values: always a 4xx (400 for the request itself,
401 for a mangled token), never a 5xx, never a dead server.
"""

import json
import time
import uuid

import pytest

from support import REQUEST_ID_RE, ConnectionClosed, RawConnection, make_token, simple_get
from test_hostile_slow_clients import MEMORY_FACTOR, assert_serves, rss_kib

KIB = 1024
MIB = 1024 * 1024
DASHBOARD = "/financial/dashboard/summary"


def stream_until_refused(server, prefix, filler, limit_bytes=64 * MIB, seconds=20):
    """Sends `prefix`, then `filler` over and over (never completing the request), while
    watching for an answer. Returns (response or None, bytes sent). Stops at the first
    answer, when the server stops taking bytes (reset / closed), after `limit_bytes` or
    after `seconds`."""
    conn = RawConnection(server, timeout=seconds)
    sock = conn.sock
    sent = 0
    resp = None
    try:
        sock.sendall(prefix)
        sent += len(prefix)
        block = filler * max(1, 65536 // len(filler))
        sock.setblocking(False)
        end = time.monotonic() + seconds
        while sent < limit_bytes and time.monotonic() < end:
            if conn.readable_now(0):
                break
            try:
                sent += sock.send(block)
            except BlockingIOError:
                conn.readable_now(0.05)
            except OSError:
                break  # reset or closed while we were still sending: the answer may be buffered
        sock.setblocking(True)
        try:
            resp = conn.read_response(timeout=5)
        except (ConnectionClosed, TimeoutError):
            resp = None
        return resp, sent
    finally:
        conn.close()


STREAMS = [
    # (id, prefix, endless filler, expected status, the limit the server must stop near)
    ("request-line-without-end", b"GET /", b"a", 414, 8 * KIB),
    ("query-without-end", b"GET /health?x=", b"%41", 414, 8 * KIB),
    ("header-value-without-end", b"GET /health HTTP/1.1\r\nHost: t\r\nX-Long: ", b"b", 431, 32 * KIB),
    ("header-fields-without-end", b"GET /health HTTP/1.1\r\nHost: t\r\n", b"X-F: v\r\n", 431, 32 * KIB),
    ("empty-lines-before-request", b"", b"\r\n", 431, 32 * KIB),
    ("chunked-body-without-end", b"POST /health HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n",
     b"8000\r\n" + b"c" * 0x8000 + b"\r\n", 413, 1 * MIB),
    ("chunk-extensions-without-end", b"POST /health HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1",
     b";e=v", 413, 16 * KIB),
    ("trailers-without-end", b"POST /health HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
     b"X-T: v\r\n", 431, 32 * KIB),
]


@pytest.mark.parametrize("name,prefix,filler,status,limit", STREAMS, ids=[s[0] for s in STREAMS])
def test_endless_request_part_is_refused_at_its_limit(findash, name, prefix, filler, status, limit):
    """The refusal comes once the limit is crossed — long before the 64 MiB the client
    would send — and the server did not buffer what followed."""
    rss_before = rss_kib(findash.pid)
    resp, sent = stream_until_refused(findash, prefix, filler)
    rss_after = rss_kib(findash.pid)
    assert resp is not None, "%s: no answer after %d bytes" % (name, sent)
    # Empty lines before a request line count towards the head limit (HTTPLimits).
    assert resp.status == status, "%s: expected %d, got %d %r" % (name, status, resp.status, resp.body[:200])
    assert resp.has_token("connection", "close"), "%s: %d without Connection: close" % (name, resp.status)
    # The socket buffers on both sides hold a few MiB; the server must not have read much
    # further than the limit (it would take seconds to send 64 MiB here).
    assert sent < 16 * MIB, "%s: the server took %d bytes before refusing (limit %d)" % (name, sent, limit)
    assert rss_after - rss_before < 2 * 1024 * MEMORY_FACTOR, "%s: RSS grew by %d KiB" % (name, rss_after - rss_before)
    assert findash.alive()


def test_oversized_content_length_is_refused_before_the_body_and_without_100_continue(findash):
    with RawConnection(findash, timeout=5) as conn:
        conn.send(b"POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n"
                  % (MIB + 1))
        resp = conn.read_response(timeout=5)
        assert resp.status == 413, "expected 413 before any body byte, got %r" % resp
        assert resp.has_token("connection", "close")
        rest, how = conn.read_until_close(3)
        assert how != "timeout" and b"HTTP/1.1 100" not in rest


def test_body_of_exactly_the_limit_is_read_and_the_connection_goes_on(findash):
    body = b"z" * MIB
    with RawConnection(findash, timeout=15) as conn:
        conn.send(b"POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(body) + body
                  + simple_get(extra=b"X-Request-ID: after-1mib\r\n"))
        first = conn.read_response()
        assert first.status == 405, "a 1 MiB body (the limit) on POST /health: %r" % first
        second = conn.read_response()
        assert second.status == 200 and second.header("x-request-id") == "after-1mib"


@pytest.fixture(scope="module")
def token():
    # A tenant with no rows: valid requests answer 200 with empty figures.
    return make_token(tenant_type="user", tenant_id="hostile_%s" % uuid.uuid4().hex[:12])


def _exchange(server, raw, timeout=15):
    with RawConnection(server, timeout=timeout) as conn:
        conn.send(raw)
        try:
            return conn.read_response()
        except ConnectionClosed as exc:
            pytest.fail("no answer to %r: connection %s" % (raw[:120], "reset" if exc.reset else "closed"))


# Request targets with bytes that are not valid UTF-8 or not valid percent-encoding. The
# raw ones are refused by the parser; decoded ones must never reach the handlers as text.
BAD_PATHS = [
    ("raw-latin1", b"/health\xe9", {400}),
    ("raw-utf8", b"/h\xc3\xa9alth", {400}),
    ("raw-ff", b"/\xff\xfe", {400}),
    ("pct-invalid-utf8", b"/health%C3%28", {400}),
    ("pct-lone-continuation", b"/%80health", {400}),
    ("pct-overlong-slash", b"/%C0%AFhealth", {400}),
    ("pct-surrogate", b"/%ED%A0%80", {400}),
    ("pct-beyond-unicode", b"/%F4%90%80%80", {400}),
    ("pct-truncated-sequence", b"/health%E2%82", {400}),
    ("pct-nul", b"/health%00", {400}),
    ("pct-not-hex", b"/health%zz", {400}),
    ("pct-one-digit", b"/health%4", {400}),
    ("pct-bare", b"/health%", {400}),
    ("pct-double-encoded-dotdot", b"/%252e%252e/health", {404}),
    ("pct-dotdot-traversal", b"/financial/%2e%2e/%2e%2e/health", {404}),
    # %2F decodes to "/" (HTTPRequestHead.path): routed like the plain path.
    ("pct-encoded-slash", b"/financial%2Fdashboard%2Fsummary", {200}),
    ("dashboard-raw-high-bytes", DASHBOARD.encode() + b"\x80", {400}),
    ("dashboard-pct-invalid-utf8", DASHBOARD.encode() + b"%FF", {400}),
]


@pytest.mark.parametrize("name,path,expected", BAD_PATHS, ids=[c[0] for c in BAD_PATHS])
def test_invalid_encoding_in_the_path_is_a_4xx_never_a_5xx(findash, token, name, path, expected):
    resp = _exchange(findash, b"GET " + path + b" HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
                     + token.encode() + b"\r\n\r\n")
    assert resp.status in expected, "GET %r: expected %s, got %d %r" % (path, sorted(expected), resp.status, resp.body[:200])
    rid = resp.header("x-request-id")
    assert rid and REQUEST_ID_RE.match(rid)
    assert findash.alive()


BAD_QUERIES = [
    # A known parameter whose value does not decode: a 400 naming it.
    ("invalid-utf8-value", "from=%C3%28", "from"),
    ("lone-continuation", "to=%80", "to"),
    ("overlong", "top=%C0%B1", "top"),
    ("surrogate", "granularity=%ED%A0%80", "granularity"),
    ("nul", "from=2026-01-01%00", "from"),
    ("not-hex", "top=%zz", "top"),
    ("truncated", "top=1%", "top"),
    ("truncated-2", "top=1%4", "top"),
    ("latin1-encoded", "include_inactive=%F6", "include_inactive"),
]


@pytest.mark.parametrize("name,query,parameter", BAD_QUERIES, ids=[c[0] for c in BAD_QUERIES])
def test_invalid_encoding_in_a_known_parameter_is_a_400_problem_naming_it(findash, token, name, query, parameter):
    resp = _exchange(findash, ("GET %s?%s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n"
                               % (DASHBOARD, query, token)).encode())
    assert resp.status == 400, "?%s: expected 400, got %d %r" % (query, resp.status, resp.body[:300])
    assert resp.header("content-type", "").startswith("application/problem+json")
    doc = json.loads(resp.body)
    assert doc.get("status") == 400
    assert "'%s'" % parameter in doc.get("detail", ""), "?%s: the detail does not name %s: %r" % (query, parameter, doc)
    text = json.dumps(doc)
    assert "%" not in doc.get("detail", "") and "\\ufffd" not in text, (
        "the problem echoes the client's bytes: %r" % doc)
    assert findash.alive()


IGNORED_QUERIES = [
    # CONTRACT §4: unknown parameters are ignored, whatever their bytes.
    ("invalid-utf8-name", "%FF=1"),
    ("unknown-parameter-invalid", "x=%FF&from=2026-01-01"),
    ("tracking-parameter-with-bare-percent", "utm_content=100%&from=2026-01-01"),
    ("unknown-nul", "a=%00"),
]


@pytest.mark.parametrize("name,query", IGNORED_QUERIES, ids=[c[0] for c in IGNORED_QUERIES])
def test_an_unknown_parameter_is_ignored_whatever_its_encoding(findash, token, name, query):
    clean = "&".join(p for p in query.split("&") if p.startswith("from="))
    resp = _exchange(findash, ("GET %s?%s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n"
                               % (DASHBOARD, query, token)).encode())
    ref = _exchange(findash, ("GET %s?%s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n"
                              % (DASHBOARD, clean, token)).encode())
    assert resp.status == 200, "?%s: expected 200, got %d %r" % (query, resp.status, resp.body[:300])
    assert resp.body == ref.body, "?%s answered otherwise than without its unknown parameter" % query


def test_valid_percent_encoding_in_query_parameters_is_decoded(findash, token):
    plain = _exchange(findash, ("GET %s?from=2026-01-01&to=2026-01-31&top=5 HTTP/1.1\r\nHost: t\r\n"
                                "Authorization: Bearer %s\r\n\r\n" % (DASHBOARD, token)).encode())
    encoded = _exchange(findash, ("GET %s?fr%%6Fm=2026%%2D01%%2D01&to=2026-01-3%%31&top=%%35 HTTP/1.1\r\n"
                                  "Host: t\r\nAuthorization: Bearer %s\r\n\r\n" % (DASHBOARD, token)).encode())
    assert plain.status == 200, plain
    assert encoded.status == 200, "percent-encoded but valid parameters: %d %r" % (encoded.status, encoded.body[:300])
    a, b = json.loads(plain.body), json.loads(encoded.body)
    for doc in (a, b):
        doc.pop("generated_at", None)
    assert a == b, "the same parameters percent-encoded gave another answer"


# Header values with bytes ≥ 0x80 (obs-text, RFC 9110 §5.5: allowed on the wire, but not
# UTF-8 text) reach the application: authentication, request ids, ETags, CORS origins.
BAD_HEADERS = [
    ("authorization-latin1", b"Authorization: Bearer \xe9\xe9\xe9", {400, 401}),
    ("authorization-invalid-utf8-in-token", b"Authorization: Bearer eyJ\xff.eyJ\xfe.sig", {400, 401}),
    ("authorization-scheme-utf8", b"Authorization: B\xc3\xa9arer x", {400, 401}),
    ("request-id-invalid-utf8", b"X-Request-ID: \xff\xfe\xfd", {200, 400}),
    ("if-none-match-invalid-utf8", b"If-None-Match: \"\xff\"", {200, 400}),
    ("origin-invalid-utf8", b"Origin: http://\xe9vil.example", {200, 400}),
    ("host-invalid-utf8", None, {200, 400}),
]


@pytest.mark.parametrize("name,field,expected", BAD_HEADERS, ids=[c[0] for c in BAD_HEADERS])
def test_invalid_utf8_in_header_values_is_never_a_5xx(findash, token, name, field, expected):
    if field is None:
        raw = b"GET /health HTTP/1.1\r\nHost: h\xe9st\r\n\r\n"
    elif field.startswith(b"Authorization"):
        raw = b"GET " + DASHBOARD.encode() + b" HTTP/1.1\r\nHost: t\r\n" + field + b"\r\n\r\n"
    else:
        raw = (b"GET " + DASHBOARD.encode() + b" HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
               + token.encode() + b"\r\n" + field + b"\r\n\r\n")
    resp = _exchange(findash, raw)
    assert resp.status in expected, "%s: expected %s, got %d %r" % (name, sorted(expected), resp.status, resp.body[:200])
    rid = resp.header("x-request-id")
    assert rid and REQUEST_ID_RE.match(rid), "%s: X-Request-ID %r" % (name, rid)
    assert all(b < 0x80 for b in resp.raw_head), "%s: non-ASCII bytes in the response head %r" % (name, resp.raw_head)
    assert findash.alive()
    assert_serves(findash, name)


# SQL injection: the only client text that reaches SQL is the tenant id (a claim of a
# token that verified; restricted to [A-Za-z0-9_.-]) and the validated parameters, all
# bound as parameters ($n), never spliced. A hostile but validly signed token or query
# must be refused or treated as data: never a 5xx, never a change to the tables.
SQL_PAYLOADS = [
    "' OR '1'='1",
    "t1' OR tenant_id IS NOT NULL --",
    "t1'; DROP TABLE accounts; --",
    "t1\\' UNION SELECT * FROM transactions --",
    "t1%' --",
    "t1\"; SELECT pg_sleep(5); --",
    "$1",
]


def test_sql_injection_payloads_are_refused_or_inert(findash, psql):
    tables = "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM transactions), (SELECT count(*) FROM budgets)"
    before = psql(tables)
    for payload in SQL_PAYLOADS:
        # In the tenant id of a validly signed token: not a valid id, so 401.
        bad = make_token(tenant_type="user", tenant_id=payload)
        resp = _exchange(findash, ("GET %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n"
                                   % (DASHBOARD, bad)).encode())
        assert resp.status == 401, "tenant_id %r: %d %r" % (payload, resp.status, resp.body[:200])
        # In the tenant type, the subject and unknown claims.
        odd = make_token(tenant_type=payload, tenant_id="t1")
        resp = _exchange(findash, ("GET %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n"
                                   % (DASHBOARD, odd)).encode())
        assert resp.status == 401, "tenant_type %r: %d" % (payload, resp.status)
        started = time.monotonic()
        sub = make_token(tenant_type="user", tenant_id="hostile_sql_probe",
                         claims_override={"sub": payload, "tenant": payload, "role": payload})
        resp = _exchange(findash, ("GET %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n"
                                   % (DASHBOARD, sub)).encode())
        assert resp.status == 200, "sub %r: %d %r" % (payload, resp.status, resp.body[:200])
        doc = json.loads(resp.body)
        assert doc["tenant"] == {"type": "user", "id": "hostile_sql_probe"}
        assert doc["accounts_count"] == 0 and doc["transactions_count"] == 0, "rows leaked to a new tenant: %r" % doc
        assert time.monotonic() - started < 4, "pg_sleep ran? %.1f s" % (time.monotonic() - started)
        # In the query parameters (percent-encoded as a browser would).
        query = "from=" + "".join("%%%02X" % b for b in payload.encode())
        resp = _exchange(findash, ("GET %s?%s&top=%s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n"
                                   % (DASHBOARD, query, query[5:], sub)).encode())
        assert resp.status == 400, "from=%r: %d" % (payload, resp.status)
    assert psql(tables) == before, "the tables changed during the injection attempts"


def test_log_injection_cannot_forge_log_lines(start_findash):
    """Client text that is logged (the path, the token's subject) holds line breaks and
    JSON of its own: every line of the log must still be one JSON record of the server's,
    and no forged record may appear."""
    server = start_findash(LOG_LEVEL="info")
    forged = '{"level":"error","message":"forged","service":"findash"}'
    token = make_token(tenant_type="user", tenant_id="hostile_log_probe",
                       claims_override={"sub": "x\n" + forged + "\r\n\u2028" + forged})
    raws = [
        b"GET /no%0A" + "".join("%%%02X" % b for b in forged.encode()).encode() + b" HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET /%0D%0A%7B%22message%22%3A%22forged%22%7D HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET /%E2%80%A8%7B%22message%22%3A%22forged%22%7D%E2%80%A9 HTTP/1.1\r\nHost: t\r\n\r\n",
        ("GET %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n" % (DASHBOARD, token)).encode(),
        b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: a\xe2\x80\xa8b\r\nUser-Agent: \"}\r\n\r\n",
    ]
    for raw in raws:
        resp = _exchange(server, raw)
        assert resp.status < 500, "%r: %d" % (raw[:80], resp.status)
    time.sleep(0.5)  # the access lines are written
    server.stop()
    records = 0
    text = server.log_text()
    # U+2028/U+2029 end a line for JavaScript and str.splitlines(): they are written escaped.
    assert "\u2028" not in text and "\u2029" not in text, "a raw U+2028/U+2029 in the log"
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            pytest.fail("a log line is not JSON (a forged line break?): %r" % line[:300])
        assert record.get("message") != "forged", "a client forged a log record: %r" % line[:300]
        records += 1
    assert records >= len(raws), "only %d log records" % records
