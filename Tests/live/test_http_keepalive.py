"""Connection management over real sockets (issue 2, RFC 9112 §9): keep-alive with
curl, pipelining, HTTP/1.0, Connection: close, Expect: 100-continue, request bodies,
10,000 requests on one connection, 500 concurrent connections."""

import json
import shutil
import subprocess
import time

import pytest

from support import ConnectionClosed, RawConnection, simple_get



def is_health(body):
    """The /health body: {"status":"ok"} (whatever the JSON spacing)."""
    try:
        return json.loads(body) == {"status": "ok"}
    except ValueError:
        return False


def test_curl_reuses_one_connection(findash):
    assert shutil.which("curl"), "curl is missing: run scripts/deps.sh"
    url = findash.url + "/health"
    proc = subprocess.run(
        ["curl", "-v", "--no-progress-meter", "--max-time", "20",
         "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
         "-w", "%{http_code} %{num_connects}\\n", url, url, url, url],
        capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.split()
    codes, connects = lines[0::2], lines[1::2]
    assert codes == ["200"] * 4, proc.stdout
    # One connect for the first transfer, none for the three that follow.
    assert connects == ["1", "0", "0", "0"], "curl opened new connections: %s\n%s" % (
        proc.stdout, proc.stderr[-3000:])
    assert proc.stderr.count("Re-using existing connection") == 3, proc.stderr[-3000:]


def test_three_pipelined_requests_in_one_write_answered_in_order(findash):
    with RawConnection(findash) as conn:
        conn.send(b"".join(
            b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: pipe-%d\r\n\r\n" % i for i in (1, 2, 3)))
        responses = [conn.read_response() for _ in range(3)]
        # And the connection is still usable afterwards.
        conn.send(simple_get(extra=b"X-Request-ID: pipe-4\r\n"))
        responses.append(conn.read_response())
    assert [r.status for r in responses] == [200] * 4
    assert [r.header("x-request-id") for r in responses] == ["pipe-1", "pipe-2", "pipe-3", "pipe-4"]
    assert all(is_health(r.body) for r in responses)


def test_pipelined_mixed_methods_and_statuses_in_order(findash):
    with RawConnection(findash) as conn:
        conn.send(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: m-1\r\n\r\n"
                  b"HEAD /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: m-2\r\n\r\n"
                  b"GET /missing HTTP/1.1\r\nHost: t\r\nX-Request-ID: m-3\r\n\r\n"
                  b"POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nX-Request-ID: m-4\r\n\r\nabc"
                  b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: m-5\r\n\r\n")
        methods = ["GET", "HEAD", "GET", "POST", "GET"]
        responses = [conn.read_response(m) for m in methods]
    assert [r.status for r in responses] == [200, 200, 404, 405, 200]
    assert [r.header("x-request-id") for r in responses] == ["m-1", "m-2", "m-3", "m-4", "m-5"]


def test_pipeline_stops_after_connection_close(findash):
    with RawConnection(findash) as conn:
        conn.send(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: c-1\r\n\r\n"
                  b"GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\nX-Request-ID: c-2\r\n\r\n"
                  b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: c-3\r\n\r\n")
        first = conn.read_response()
        second = conn.read_response()
        rest, how = conn.read_until_close(5)
    assert (first.status, second.status) == (200, 200)
    assert second.has_token("connection", "close")
    assert how != "timeout", "connection still open after a Connection: close request"
    assert b"HTTP/" not in rest, "a request after Connection: close was answered: %r" % rest[:300]


def test_connection_close_closes_after_response(findash):
    with RawConnection(findash) as conn:
        conn.send(simple_get(extra=b"Connection: close\r\n"))
        resp = conn.read_response()
        rest, how = conn.read_until_close(5)
    assert resp.status == 200 and resp.has_token("connection", "close")
    assert how != "timeout" and rest == b""


def test_http10_without_keepalive_is_closed_after_response(findash):
    with RawConnection(findash) as conn:
        conn.send(b"GET /health HTTP/1.0\r\n\r\n")
        resp = conn.read_response()
        rest, how = conn.read_until_close(5)
    assert resp.status == 200 and is_health(resp.body)
    assert not resp.has_token("connection", "keep-alive")
    assert how != "timeout", "HTTP/1.0 connection without keep-alive was left open"
    assert rest == b""


def test_http10_with_keepalive_stays_open(findash):
    with RawConnection(findash) as conn:
        for i in range(3):
            conn.send(b"GET /health HTTP/1.0\r\nConnection: keep-alive\r\nX-Request-ID: k10-%d\r\n\r\n" % i)
            resp = conn.read_response()
            assert resp.status == 200 and is_health(resp.body)
            assert resp.header("x-request-id") == "k10-%d" % i
            assert resp.has_token("connection", "keep-alive"), resp.headers
            assert resp.header("content-length") == str(len(resp.body))
        # Without keep-alive on the last request, the server closes.
        conn.send(b"GET /health HTTP/1.0\r\n\r\n")
        assert conn.read_response().status == 200
        assert conn.closed_within(5)


def test_expect_100_continue_then_response(findash):
    with RawConnection(findash) as conn:
        conn.send(b"GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                  b"Expect: 100-continue\r\nX-Request-ID: exp-1\r\n\r\n")
        interim = conn.read_response(timeout=5)
        assert interim.status == 100, "expected 100 Continue, got %r" % interim
        conn.send(b"hello")
        final = conn.read_response()
        assert final.status == 200 and final.header("x-request-id") == "exp-1"
        conn.send(simple_get(extra=b"X-Request-ID: exp-2\r\n"))
        after = conn.read_response()
    assert after.status == 200 and after.header("x-request-id") == "exp-2"


def test_expect_100_continue_with_body_sent_at_once(findash):
    # A client may send the body without waiting: an optional 100 and exactly one final
    # response, then the connection goes on.
    with RawConnection(findash) as conn:
        conn.send(b"GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                  b"Expect: 100-continue\r\n\r\nhello" + simple_get(extra=b"X-Request-ID: e-2\r\n"))
        first = conn.read_final_response()
        second = conn.read_final_response()
    assert first.status == 200 and second.status == 200
    assert second.header("x-request-id") == "e-2"


@pytest.mark.parametrize("size", [1, 5, 65536, 1024 * 1024])
def test_get_with_content_length_body_is_answered_and_connection_reusable(findash, size):
    with RawConnection(findash, timeout=20) as conn:
        conn.send(b"GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\nX-Request-ID: b-1\r\n\r\n"
                  % size + b"x" * size + simple_get(extra=b"X-Request-ID: b-2\r\n"))
        first = conn.read_response()
        second = conn.read_response()
    assert (first.status, second.status) == (200, 200)
    assert (first.header("x-request-id"), second.header("x-request-id")) == ("b-1", "b-2")


@pytest.mark.parametrize("chunks", [
    b"5\r\nhello\r\n0\r\n\r\n",
    b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    b"A\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n",          # hex sizes, both cases
    b"5;name=value\r\nhello\r\n0;last\r\n\r\n",                   # chunk extensions
    b"5\r\nhello\r\n0\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n",   # trailer fields
    b"0\r\n\r\n",                                                 # empty body
])
def test_get_with_chunked_body_is_answered_and_connection_reusable(findash, chunks):
    with RawConnection(findash) as conn:
        conn.send(b"GET /health HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                  b"X-Request-ID: ch-1\r\n\r\n" + chunks + simple_get(extra=b"X-Request-ID: ch-2\r\n"))
        first = conn.read_response()
        second = conn.read_response()
    assert (first.status, second.status) == (200, 200)
    assert (first.header("x-request-id"), second.header("x-request-id")) == ("ch-1", "ch-2")


def test_request_split_into_single_bytes_is_parsed(findash):
    data = b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: split-1\r\nContent-Length: 3\r\n\r\nabc"
    with RawConnection(findash) as conn:
        for i in range(len(data)):
            conn.send(data[i:i + 1])
            time.sleep(0.001)
        resp = conn.read_response()
    assert resp.status == 200 and resp.header("x-request-id") == "split-1"


def test_ten_thousand_sequential_requests_on_one_connection(findash):
    request = b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n"
    started = time.monotonic()
    statuses = {}
    with RawConnection(findash, timeout=10) as conn:
        for i in range(10_000):
            conn.send(request)
            resp = conn.read_response()
            statuses[resp.status] = statuses.get(resp.status, 0) + 1
            if resp.status != 200 or not is_health(resp.body):
                pytest.fail("request %d: %r %r" % (i, resp, resp.body[:200]))
            assert time.monotonic() - started < 50, "too slow: %d requests in 50 s" % i
    assert statuses == {200: 10_000}


def test_five_hundred_concurrent_connections(findash):
    conns = []
    try:
        for _ in range(500):
            conns.append(RawConnection(findash, timeout=20))
        # All 500 are open at once; now each sends one request.
        for i, conn in enumerate(conns):
            conn.send(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: cc-%d\r\n\r\n" % i)
        bad = []
        deadline = time.monotonic() + 40
        for i, conn in enumerate(conns):
            try:
                resp = conn.read_response(timeout=max(0.1, deadline - time.monotonic()))
            except (ConnectionClosed, TimeoutError, OSError) as exc:
                bad.append((i, repr(exc)[:200]))
                continue
            if resp.status != 200 or resp.header("x-request-id") != "cc-%d" % i:
                bad.append((i, resp.status, resp.header("x-request-id")))
        assert not bad, "%d of 500 connections failed, e.g. %r" % (len(bad), bad[:5])
    finally:
        for conn in conns:
            conn.close()


def test_many_concurrent_keepalive_clients_with_threads(findash):
    # 64 threads x 50 requests on their own keep-alive connections.
    import threading

    errors = []
    counts = []

    def client(n):
        done = 0
        try:
            with RawConnection(findash, timeout=20) as conn:
                for j in range(50):
                    conn.send(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: t%d-%d\r\n\r\n" % (n, j))
                    resp = conn.read_response()
                    if resp.status != 200 or resp.header("x-request-id") != "t%d-%d" % (n, j):
                        errors.append((n, j, resp.status, resp.header("x-request-id")))
                        return
                    done += 1
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append((n, repr(exc)[:200]))
        finally:
            counts.append(done)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(64)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(45)
    assert not any(t.is_alive() for t in threads), "client threads still running after 45 s"
    assert not errors, errors[:5]
    assert sum(counts) == 64 * 50
