"""Invalid and smuggling requests over raw sockets (issue 2, RFC 9112 §6.3, §11.2).

Each case sends `<bad request><a valid GET /health>` in one write. The server must
answer the bad request (400, or the specific 413/414/431/501/505) with
`Connection: close`, close the connection, and never answer the valid request behind
it — answering it is exactly how request smuggling shows.
"""

import random
import time

import pytest

from support import REQUEST_ID_RE, ConnectionClosed, RawConnection, simple_get

FOLLOW = b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: smuggled\r\n\r\n"


def req(head_lines, body=b"", start=b"GET /health HTTP/1.1", host=True):
    lines = [start] + ([b"Host: t"] if host else []) + list(head_lines)
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


KIB = 1024
# (id, bad request bytes, acceptable statuses)
CASES = [
    # --- framing: Content-Length and Transfer-Encoding
    ("cl-and-te", req([b"Content-Length: 5", b"Transfer-Encoding: chunked"], b"0\r\n\r\n"), {400}),
    ("te-and-cl", req([b"Transfer-Encoding: chunked", b"Content-Length: 5"], b"0\r\n\r\n"), {400}),
    ("cl-duplicate-differing", req([b"Content-Length: 5", b"Content-Length: 6"], b"hello!"), {400}),
    ("cl-list-differing", req([b"Content-Length: 5, 6"], b"hello!"), {400}),
    ("cl-plus", req([b"Content-Length: +5"], b"hello"), {400}),
    ("cl-hex", req([b"Content-Length: 0x5"], b"hello"), {400}),
    ("cl-negative", req([b"Content-Length: -1"]), {400}),
    ("cl-empty", req([b"Content-Length: "]), {400}),
    ("cl-inner-space", req([b"Content-Length: 1 2"], b"x" * 12), {400}),
    ("cl-decimal", req([b"Content-Length: 5.0"], b"hello"), {400}),
    ("cl-overflow-2^64", req([b"Content-Length: 18446744073709551616"]), {400, 413}),
    ("cl-overflow-huge", req([b"Content-Length: " + b"9" * 40]), {400, 413}),
    ("te-gzip", req([b"Transfer-Encoding: gzip"], b"0\r\n\r\n"), {400, 501}),
    ("te-chunked-then-gzip", req([b"Transfer-Encoding: chunked, gzip"], b"0\r\n\r\n"), {400, 501}),
    ("te-identity", req([b"Transfer-Encoding: identity"]), {400, 501}),
    ("te-chunked-twice", req([b"Transfer-Encoding: chunked, chunked"], b"0\r\n\r\n"), {400}),
    ("te-two-fields", req([b"Transfer-Encoding: chunked", b"Transfer-Encoding: chunked"], b"0\r\n\r\n"), {400}),
    ("te-xchunked", req([b"Transfer-Encoding: xchunked"], b"0\r\n\r\n"), {400, 501}),
    ("te-empty", req([b"Transfer-Encoding: "]), {400, 501}),
    # --- header field syntax (RFC 9110 §5, RFC 9112 §5)
    ("name-with-space", req([b"Bad Name: x"]), {400}),
    ("space-before-colon", req([b"X-Test : x"]), {400}),
    ("tab-before-colon", req([b"X-Test\t: x"]), {400}),
    ("cl-space-before-colon", req([b"Content-Length : 5"], b"hello"), {400}),
    ("name-with-at", req([b"X@Test: x"]), {400}),
    ("empty-name", req([b": x"]), {400}),
    ("non-ascii-name", req([b"X-T\xc3\xa9st: x"]), {400}),
    ("line-without-colon", req([b"NoColonHere"]), {400}),
    ("value-with-nul", req([b"X-Test: a\x00b"]), {400}),
    ("value-with-ctl", req([b"X-Test: a\x01b"]), {400}),
    ("value-with-del", req([b"X-Test: a\x7fb"]), {400}),
    ("value-with-bare-cr", req([b"X-Test: a\rb"]), {400}),
    ("obs-fold", req([b"X-Test: a", b"  folded"]), {400}),
    ("obs-fold-tab", req([b"X-Test: a", b"\tfolded"]), {400}),
    ("leading-whitespace-first-field", b"GET /health HTTP/1.1\r\n Host: t\r\n\r\n", {400}),
    # --- chunked body syntax
    ("chunk-size-not-hex", req([b"Transfer-Encoding: chunked"], b"zz\r\nhello\r\n0\r\n\r\n"), {400}),
    ("chunk-size-negative", req([b"Transfer-Encoding: chunked"], b"-1\r\nhello\r\n0\r\n\r\n"), {400}),
    ("chunk-size-0x", req([b"Transfer-Encoding: chunked"], b"0x5\r\nhello\r\n0\r\n\r\n"), {400}),
    ("chunk-size-empty", req([b"Transfer-Encoding: chunked"], b"\r\nhello\r\n0\r\n\r\n"), {400}),
    ("chunk-size-overflow", req([b"Transfer-Encoding: chunked"], b"f" * 20 + b"\r\nhello\r\n0\r\n\r\n"), {400, 413}),
    ("chunk-ext-ctl", req([b"Transfer-Encoding: chunked"], b"5;a\x01b\r\nhello\r\n0\r\n\r\n"), {400}),
    ("chunk-ext-nul", req([b"Transfer-Encoding: chunked"], b"5;a=\x00\r\nhello\r\n0\r\n\r\n"), {400}),
    ("chunk-data-too-long", req([b"Transfer-Encoding: chunked"], b"5\r\nhelloXX\r\n0\r\n\r\n"), {400}),
    ("chunk-size-bare-cr", req([b"Transfer-Encoding: chunked"], b"5\rhello\r\n0\r\n\r\n"), {400}),
    # --- request line and version
    ("missing-host-1.1", b"GET /health HTTP/1.1\r\nX-Test: x\r\n\r\n", {400}),
    ("two-host-fields", req([b"Host: u"]), {400}),
    ("version-1.x", req([], start=b"GET /health HTTP/1.x"), {400}),
    ("version-trailing-junk", req([], start=b"GET /health HTTP/1.1x"), {400}),
    ("version-lowercase", req([], start=b"GET /health http/1.1"), {400}),
    ("version-no-dot", req([], start=b"GET /health HTTP/11"), {400}),
    ("version-one-digit", req([], start=b"GET /health HTTP/1"), {400}),
    ("version-space", req([], start=b"GET /health HTTP/ 1.1"), {400}),
    ("version-2.0", req([], start=b"GET /health HTTP/2.0"), {505}),
    ("version-3.0", req([], start=b"GET /health HTTP/3.0"), {505}),
    ("version-0.9", req([], start=b"GET /health HTTP/0.9"), {505}),
    ("double-space-after-method", req([], start=b"GET  /health HTTP/1.1"), {400}),
    ("double-space-before-version", req([], start=b"GET /health  HTTP/1.1"), {400}),
    ("trailing-space", req([], start=b"GET /health HTTP/1.1 "), {400}),
    ("space-in-target", req([], start=b"GET /hea lth HTTP/1.1"), {400}),
    ("ctl-in-target", req([], start=b"GET /hea\x01lth HTTP/1.1"), {400}),
    ("target-not-origin-form", req([], start=b"GET health HTTP/1.1"), {400}),
    ("nul-before-method", b"\x00" + req([]), {400}),
    ("method-not-a-token", req([], start=b"G@T /health HTTP/1.1"), {400, 501}),
    ("unknown-method", req([], start=b"BREW /health HTTP/1.1"), {501}),
    # --- limits
    ("target-over-8k", req([], start=b"GET /health?" + b"a" * (8 * KIB) + b" HTTP/1.1"), {414}),
    ("target-100k", req([], start=b"GET /" + b"a" * (100 * KIB) + b" HTTP/1.1"), {414, 431}),
    ("one-header-over-32k", req([b"X-Big: " + b"a" * (33 * KIB)]), {431}),
    ("many-headers-over-32k", req([b"X-H%d: %s" % (i, b"b" * 900) for i in range(40)]), {431}),
    ("101-fields", req([b"X-F%d: v" % i for i in range(100)]), {431}),
    ("body-over-1mib-content-length", req([b"Content-Length: %d" % (1024 * 1024 + 1)]), {413}),
    ("body-over-1mib-chunked", req([b"Transfer-Encoding: chunked"], b"100001\r\n" + b"a" * 1000), {413}),
    ("body-over-1mib-many-chunks", req([b"Transfer-Encoding: chunked"],
                                       b"".join([b"10000\r\n" + b"a" * 0x10000 + b"\r\n"] * 17)), {413}),
]


def check_rejected(conn, expected, payload_name):
    try:
        resp = conn.read_response(timeout=10)
    except ConnectionClosed as exc:
        pytest.fail("%s: connection %s without a response (expected %s)"
                    % (payload_name, "reset" if exc.reset else "closed", sorted(expected)))
    assert resp.status in expected, "%s: expected %s, got %d %s (%s)" % (
        payload_name, sorted(expected), resp.status, resp.reason, resp.body[:200])
    assert resp.has_token("connection", "close"), (
        "%s: %d without Connection: close: %r" % (payload_name, resp.status, resp.headers))
    rid = resp.header("x-request-id")
    assert rid and REQUEST_ID_RE.match(rid) and rid != "smuggled", (
        "%s: X-Request-ID %r" % (payload_name, rid))
    assert resp.header("x-content-type-options") == "nosniff", payload_name
    rest, how = conn.read_until_close(5)
    assert how != "timeout", "%s: connection still open 5 s after a %d" % (payload_name, resp.status)
    assert b"HTTP/" not in rest, "%s: the request behind the bad one was answered: %r" % (
        payload_name, rest[:300])
    return resp


@pytest.mark.parametrize("name,payload,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_request_is_rejected_and_nothing_behind_it_answered(findash, name, payload, expected):
    with RawConnection(findash, timeout=10) as conn:
        try:
            conn.send(payload + FOLLOW)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused while still sending a large payload: the answer is still owed
        check_rejected(conn, expected, name)
    assert findash.alive(), "findash died on %s\n%s" % (name, findash.log_tail())


def test_bad_request_after_a_good_one_on_the_same_connection(findash):
    with RawConnection(findash) as conn:
        conn.send(simple_get(extra=b"X-Request-ID: good-1\r\n")
                  + req([b"Content-Length: 1", b"Content-Length: 2"], b"ab") + FOLLOW)
        first = conn.read_response()
        assert first.status == 200 and first.header("x-request-id") == "good-1"
        check_rejected(conn, {400}, "duplicate Content-Length after a good request")


def test_limits_at_the_boundary_are_accepted(findash):
    # Exactly at each limit is still fine ("over 8 KiB", "more than 100 fields").
    target = b"/health?" + b"a" * (8 * KIB - len(b"/health?"))
    assert len(target) == 8 * KIB
    with RawConnection(findash) as conn:
        conn.send(req([], start=b"GET " + target + b" HTTP/1.1"))
        assert conn.read_response().status == 200, "an 8 KiB request target was refused"
        conn.send(req([b"X-F%d: v" % i for i in range(99)]))  # Host + 99 = 100 fields
        assert conn.read_response().status == 200, "100 header fields were refused"
        conn.send(req([b"X-Big: " + b"a" * (30 * KIB)]))
        assert conn.read_response().status == 200, "a 30 KiB header section was refused"


def test_server_survives_random_garbage(findash):
    """No input may trap the process: mutated requests, each on its own connection,
    then the server must still answer."""
    rng = random.Random(20261121)
    seeds = [
        req([b"Content-Length: 5"], b"hello"),
        req([b"Transfer-Encoding: chunked"], b"5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n"),
        b"GET /health?x=%zz&y=%%%&z HTTP/1.1\r\nHost: t\r\nX-Request-ID: abc\r\n\r\n",
        b"HEAD /%ff%00%2e%2e/../health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        req([b"Content-Length: 99999999999999999999999999"]),
        req([b"Transfer-Encoding: chunked"], b"fffffffffffffffffffffffff\r\n"),
    ]
    alphabet = b"\x00\r\n :;,=\t\x7f\xff0123456789abcdefABCDEF-+/%?"
    deadline = time.monotonic() + 40
    for i in range(300):
        if time.monotonic() > deadline:
            break
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 6)):
            op = rng.randrange(4)
            pos = rng.randrange(len(data) + 1)
            if op == 0 and data:
                del data[min(pos, len(data) - 1)]
            elif op == 1:
                data[pos:pos] = bytes([rng.choice(alphabet)])
            elif op == 2 and data:
                data[min(pos, len(data) - 1)] = rng.randrange(256)
            else:
                data[pos:pos] = bytes(data[pos:pos + rng.randint(1, 40)]) * rng.randint(1, 50)
        with RawConnection(findash, timeout=5) as conn:
            try:
                conn.send(bytes(data))
                conn.sock.shutdown(1)  # SHUT_WR: the server sees end of input
            except OSError:
                pass
            conn.read_until_close(1)
        assert findash.alive(), "findash died on input %r\n%s" % (bytes(data)[:300], findash.log_tail())
    with RawConnection(findash) as conn:
        conn.send(simple_get())
        assert conn.read_response().status == 200
