"""A client that pipelines requests and then half-closes its side (shutdown(SHUT_WR), RFC 9112
§9.6) still gets an answer to every complete request, in order, and then the end of the
stream — also when the requests take the asynchronous path (a database round) and when
reading paused for back-pressure before the FIN was seen."""

import socket
import time

from support import RawConnection


def _half_closed_exchange(server, raw, count, timeout=15.0):
    """Sends `raw`, half-closes, reads `count` responses and then expects EOF; returns the
    statuses and how long the EOF took after the last response."""
    with RawConnection(server, timeout=timeout) as conn:
        conn.send(raw)
        conn.sock.shutdown(socket.SHUT_WR)
        statuses = [conn.read_response().status for _ in range(count)]
        last = time.monotonic()
        conn.sock.settimeout(timeout)
        rest = bytes(conn.buf)
        while True:
            chunk = conn.sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        return statuses, time.monotonic() - last, rest


def test_pipelined_requests_behind_an_asynchronous_one_are_answered_after_a_half_close(findash):
    raw = (b"GET /health/dashboard HTTP/1.1\r\nHost: t\r\n\r\n"
           b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n"
           b"GET /health/dashboard HTTP/1.1\r\nHost: t\r\n\r\n"
           b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
    statuses, _, rest = _half_closed_exchange(findash, raw, 4)
    assert statuses == [200, 200, 200, 200], statuses
    assert rest == b"", "bytes after the fourth response: %r" % rest[:200]


def test_a_half_close_behind_back_pressure_is_still_seen(start_findash):
    """Over 64 KiB of asynchronous requests, then FIN: reading pauses while answers are
    pending, and the FIN must still end the connection once they are written (not the
    idle timeout, 30 s here)."""
    server = start_findash(HTTP_IDLE_TIMEOUT="30")
    one = b"GET /health/dashboard HTTP/1.1\r\nHost: t\r\nX-Pad: " + b"p" * 40 + b"\r\n\r\n"
    count = 70_000 // len(one) + 1
    statuses, eof_after, _ = _half_closed_exchange(server, one * count, count, timeout=40.0)
    assert statuses == [200] * count, sorted(set(statuses))
    assert eof_after < 10, "the connection ended %.1f s after its last answer (the idle timeout, not the FIN)" % eof_after
