"""Timeouts and the connection limit over real sockets (issue 2): a header trickle
hits HTTP_HEAD_TIMEOUT, idle keep-alive connections close after HTTP_IDLE_TIMEOUT, a
client that does not read is dropped after HTTP_WRITE_TIMEOUT, and connections beyond
MAX_CONNECTIONS are closed at once while the others are served."""

import errno
import select
import socket
import time

from support import RawConnection, simple_get, start_with_metrics_port, wait_no_connections


def test_header_trickle_hits_head_timeout(start_findash):
    # One byte every 0.3 s: the idle timer (60 s) would never fire, the head timer must.
    server = start_findash(HTTP_HEAD_TIMEOUT="1")
    head = b"GET /health HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"a" * 200
    received = b""
    first_byte_at = closed_at = None
    how = None
    with RawConnection(server, timeout=5) as conn:
        for i in range(len(head)):
            try:
                conn.sock.send(head[i:i + 1])
            except (BrokenPipeError, ConnectionResetError):
                closed_at, how = time.monotonic(), "send failed"
                break
            if first_byte_at is None:
                first_byte_at = time.monotonic()
            if conn.readable_now(0.3):
                try:
                    chunk = conn.sock.recv(4096)
                except ConnectionResetError:
                    chunk, how = b"", "reset"
                received += chunk
                if not chunk:
                    closed_at, how = time.monotonic(), how or "eof"
                    break
            if time.monotonic() - first_byte_at > 12:
                break
        if closed_at is None and received:
            # A 408 came; the close must follow.
            _, how = conn.read_until_close(3)
            closed_at = time.monotonic() if how != "timeout" else None
    assert closed_at is not None, (
        "the server kept a connection whose head took over 12 s (HTTP_HEAD_TIMEOUT=1); got %r"
        % received[:200])
    elapsed = closed_at - first_byte_at
    assert 0.5 <= elapsed <= 4.5, "closed %.2f s after the first byte (HTTP_HEAD_TIMEOUT=1)" % elapsed
    if received:
        assert received.startswith(b"HTTP/1.1 408"), "expected a 408 or a plain close, got %r" % received[:200]
    # The server is fine afterwards.
    with RawConnection(server) as conn:
        conn.send(simple_get())
        assert conn.read_response().status == 200


def test_idle_keepalive_connection_is_closed_after_idle_timeout(start_findash):
    server = start_findash(HTTP_IDLE_TIMEOUT="1")
    with RawConnection(server, timeout=10) as conn:
        conn.send(simple_get())
        assert conn.read_response().status == 200
        idle_from = time.monotonic()
        rest, how = conn.read_until_close(8)
        elapsed = time.monotonic() - idle_from
    assert how != "timeout", "an idle keep-alive connection was still open after 8 s (HTTP_IDLE_TIMEOUT=1)"
    assert rest == b"", "unexpected bytes on an idle connection: %r" % rest[:200]
    assert 0.5 <= elapsed <= 3.5, "closed after %.2f s idle (HTTP_IDLE_TIMEOUT=1)" % elapsed


def test_busy_keepalive_connection_is_not_closed_by_idle_timeout(start_findash):
    # Idle 0.4 s between requests, against a 2 s idle timeout: a client-side stall of a
    # second (GIL, scheduler) must not look like an idle connection. The connection lives
    # 2.5 idle timeouts, so a timer counted from the connect (not from the last request)
    # would close it.
    idle = 2.0
    server = start_findash(HTTP_IDLE_TIMEOUT=str(int(idle)))
    with RawConnection(server, timeout=5) as conn:
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < 2.5 * idle:
            conn.send(simple_get())
            assert conn.read_response().status == 200, "request %d" % n
            n += 1
            time.sleep(0.4)
    assert n >= 10


def test_silent_new_connection_is_closed(start_findash):
    # A connection that never sends a byte is closed by the idle (or head) timeout.
    server = start_findash(HTTP_IDLE_TIMEOUT="1", HTTP_HEAD_TIMEOUT="1")
    with RawConnection(server) as conn:
        started = time.monotonic()
        _, how = conn.read_until_close(6)
        elapsed = time.monotonic() - started
    assert how != "timeout", "a silent connection was still open after 6 s (timeouts 1 s)"
    assert elapsed <= 3.5, "closed after %.2f s" % elapsed


def test_client_that_does_not_read_is_dropped_after_write_timeout(start_findash):
    # Long head/idle timeouts: the last request may be cut off mid-way by a partial
    # send, and that must not be what closes the connection.
    server = start_findash(HTTP_WRITE_TIMEOUT="1", HTTP_HEAD_TIMEOUT="60", HTTP_IDLE_TIMEOUT="60")
    request = b"GET /nope-%s HTTP/1.1\r\nHost: t\r\n\r\n" % (b"p" * 200)
    batch = request * 64
    # A small receive buffer so that the server's writes stall quickly.
    conn = RawConnection(server, timeout=5, rcvbuf=4096)
    sock = conn.sock
    sock.setblocking(False)
    sent = 0
    pending = b""
    stalled_since = None
    dropped_while_sending = False
    started = time.monotonic()
    try:
        while time.monotonic() - started < 8 and sent < 16 * 1024 * 1024:
            try:
                # Continue a partial send where it stopped: the byte stream must stay a
                # sequence of well-formed requests.
                if not pending:
                    pending = batch
                n = sock.send(pending)
                pending = pending[n:]
                sent += n
                stalled_since = None
            except BlockingIOError:
                now = time.monotonic()
                stalled_since = stalled_since or now
                if now - stalled_since > 1.0:
                    break  # both directions are full; the server's write has stalled
                select.select([], [sock], [], 0.05)
            except (BrokenPipeError, ConnectionResetError):
                dropped_while_sending = True
                break
        if not dropped_while_sending:
            time.sleep(1.0 + 2.5)  # HTTP_WRITE_TIMEOUT plus a margin
        # Now read: a dropped connection ends (EOF or reset) before every request is
        # answered; a kept one would go on answering all of them.
        sock.setblocking(True)
        sock.settimeout(3)
        answered = 0
        received = 0
        ended = dropped_while_sending
        read_until = time.monotonic() + 20
        while not ended and time.monotonic() < read_until:
            try:
                chunk = sock.recv(1 << 20)
            except socket.timeout:
                break
            except OSError as exc:
                if exc.errno in (errno.ECONNRESET, errno.EPIPE):
                    ended = True
                    break
                raise
            if not chunk:
                ended = True
                break
            received += len(chunk)
            answered += chunk.count(b"HTTP/1.1 404")
    finally:
        conn.close()
    requests = sent // len(request)
    assert ended, ("a client that read nothing for over 3 s kept its connection "
                   "(HTTP_WRITE_TIMEOUT=1; %d requests sent, %d responses read afterwards)"
                   % (requests, answered))
    assert answered < requests or dropped_while_sending, (
        "every one of %d requests was answered: the connection was not dropped" % requests)
    assert server.alive()


def test_connections_over_max_connections_are_closed_at_once(start_findash):
    server = start_with_metrics_port(start_findash, MAX_CONNECTIONS="50")
    wait_no_connections(server)  # the readiness probe's connection is gone: 50 free slots
    conns = []
    try:
        for _ in range(60):
            conns.append(RawConnection(server, timeout=5))
        time.sleep(1.0)
        closed = []
        for i, conn in enumerate(conns):
            if conn.readable_now(0):
                data, how = conn.read_until_close(0.5)
                if how != "timeout":
                    closed.append(i)
        # The 10 beyond the limit were closed promptly, without waiting in a queue.
        assert len(closed) == 10, "expected 10 connections closed at once, got %d: %r" % (len(closed), closed)
        open_conns = [c for i, c in enumerate(conns) if i not in closed]
        for i, conn in enumerate(open_conns):
            conn.send(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: lim-%d\r\n\r\n" % i)
        for i, conn in enumerate(open_conns):
            resp = conn.read_response(timeout=10)
            assert resp.status == 200 and resp.header("x-request-id") == "lim-%d" % i
    finally:
        for conn in conns:
            conn.close()
    # Once they are gone, new connections are served again.
    deadline = time.monotonic() + 5
    while True:
        try:
            with RawConnection(server, timeout=3) as conn:
                conn.send(simple_get())
                if conn.read_response().status == 200:
                    break
        except Exception:  # noqa: BLE001 — the server may not have noticed the closes yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_half_closed_connection_with_partial_request_is_closed(findash):
    # Once the client has sent FIN, a partial request can never complete: waiting for
    # the head timeout only holds a descriptor.
    for partial in (b"GET /health HTTP/1.1\r\nHost: t\r\n",
                    simple_get() + b"GET /hea",
                    b"GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"):
        with RawConnection(findash, timeout=5) as conn:
            conn.send(partial)
            conn.sock.shutdown(socket.SHUT_WR)
            started = time.monotonic()
            _, how = conn.read_until_close(5)
            elapsed = time.monotonic() - started
        assert how != "timeout" and elapsed < 2, (
            "after the client's FIN with %r pending, the connection stayed open %.1f s" % (partial, elapsed))
