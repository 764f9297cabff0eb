"""Slow and hostile clients over raw sockets (issue 8, item 2): slowloris, slow bodies,
slow readers — while well-behaved clients keep their latency.

Each attack runs against a server of its own with short timeouts, and a `LatencyProbe`
(well-behaved clients: fresh connections and keep-alive ones, GET /health) measures the
latency the attack costs others. Every test is bounded (well under 60 s) and asserts:
the attackers are cut off by the right timeout, the others are served within
`P99_LIMIT`, and the server's memory stays bounded.

The helpers here (LatencyProbe, rss_kib, open_connections, ...) are shared with the
other test_hostile_*.py files.
"""

import errno
import multiprocessing
import os
import selectors
import socket
import threading
import time

from support import RawConnection, simple_get

# The well-behaved clients' 99th percentile must stay below this during an attack. The
# machine is small and shared (2 cores), so the bound is generous; an event loop that a
# slow client blocks costs seconds, not milliseconds.
P99_LIMIT = float(os.environ.get("FINDASH_HOSTILE_P99_LIMIT", "0.2"))
# Memory bounds are multiplied by this: a sanitizer build (scripts/test-sanitize.sh sets
# it) pays redzones, quarantine and shadow memory on every allocation.
MEMORY_FACTOR = float(os.environ.get("FINDASH_HOSTILE_MEMORY_FACTOR", "1"))


# ----------------------------------------------------------------------------- helpers

def rss_kib(pid):
    """The process's resident set (VmRSS) in KiB, from /proc/PID/status."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for pid %d" % pid)


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[k]


class LatencyProbe:
    """Well-behaved clients: `threads` loops, each alternating a request on a fresh
    connection with a request on its kept-alive one, GET /health, with a short pause
    between requests. They run in a child process of their own (fork), so that they never
    wait for the interpreter lock of an attacking loop in this process: the latencies are
    the server's. `stop()` returns self; then `latencies`, `failures` (descriptions of
    anything but a prompt 200) and `p99`."""

    def __init__(self, server, threads=2, pause=0.02, timeout=5.0):
        self.server = server
        self.nthreads = threads
        self.pause = pause
        self.timeout = timeout
        self.latencies = []
        self.failures = []
        self.lock = threading.Lock()
        self.stopping = None   # set by stop(); a multiprocessing Event
        self.proc = None
        self.results = None    # the child's end of the pipe sends (latencies, failures)

    def start(self):
        ctx = multiprocessing.get_context("fork")
        self.stopping = ctx.Event()
        receiver, sender = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=self._child, args=(sender,), daemon=True)
        self.proc.start()
        sender.close()
        self.results = receiver
        return self

    def stop(self):
        self.stopping.set()
        try:
            if self.results.poll(self.timeout + 10):
                self.latencies, self.failures = self.results.recv()
            else:
                self.failures = ["the probe process sent no results"]
        except EOFError:
            self.failures = ["the probe process died (exit status %s)" % self.proc.exitcode]
        finally:
            self.results.close()
            self.proc.join(5)
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join(5)
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _child(self, sender):
        # In the child: the client threads, then the results back to the parent.
        local_stop = threading.Event()
        threads = [threading.Thread(target=self._run, args=(i, local_stop), daemon=True)
                   for i in range(self.nthreads)]
        for t in threads:
            t.start()
        try:
            self.stopping.wait()
        finally:
            local_stop.set()
            for t in threads:
                t.join(self.timeout + 5)
            with self.lock:
                sender.send((list(self.latencies), list(self.failures)))
            sender.close()

    def _record(self, seconds=None, failure=None):
        with self.lock:
            if failure is not None:
                self.failures.append(failure)
            else:
                self.latencies.append(seconds)

    def _run(self, index, stopping):
        kept = None
        n = 0
        while not stopping.is_set():
            n += 1
            fresh = n % 2 == 1 or kept is None
            started = time.monotonic()
            try:
                if fresh:
                    with RawConnection(self.server, timeout=self.timeout) as conn:
                        conn.send(simple_get(extra=b"Connection: close\r\n"))
                        resp = conn.read_response()
                else:
                    kept.send(simple_get())
                    resp = kept.read_response()
                elapsed = time.monotonic() - started
                if resp.status != 200:
                    self._record(failure="status %d" % resp.status)
                else:
                    self._record(elapsed)
            except Exception as exc:  # noqa: BLE001 — every failure is a finding
                self._record(failure="%s after %.2f s: %r" % ("fresh" if fresh else "keep-alive",
                                                              time.monotonic() - started, exc))
                if not fresh and kept is not None:
                    kept.close()
                    kept = None
            if kept is None:
                try:
                    kept = RawConnection(self.server, timeout=self.timeout)
                except OSError as exc:
                    self._record(failure="connect: %r" % exc)
            stopping.wait(self.pause)
        if kept is not None:
            kept.close()

    @property
    def p99(self):
        return percentile(self.latencies, 99)

    def summary(self):
        lat = self.latencies
        return ("%d requests, %d failures, p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                % (len(lat), len(self.failures), percentile(lat, 50) * 1000, self.p99 * 1000,
                   (max(lat) if lat else float("nan")) * 1000))

    def check(self, what, min_requests=50):
        if self.failures and hasattr(self.server, "alive") and not self.server.alive():
            raise AssertionError("%s: the server died (exit status %s); well-behaved clients failed: %s\n%s" % (
                what, self.server.proc.poll(), self.failures[:3], self.server.log_tail(60)))
        assert not self.failures, "%s: well-behaved clients failed: %s (%s)" % (
            what, self.failures[:5], self.summary())
        assert len(self.latencies) >= min_requests, "%s: only %s" % (what, self.summary())
        assert self.p99 < P99_LIMIT, "%s: well-behaved p99 over %.0f ms: %s" % (
            what, P99_LIMIT * 1000, self.summary())


def open_connections(server, count, timeout=5.0):
    """`count` connected, non-blocking client sockets (plain socket objects)."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(timeout)
            s.connect((server.host, server.port))
            s.setblocking(False)
            socks.append(s)
    except BaseException:
        for s in socks:
            s.close()
        raise
    return socks


def close_all(socks):
    for s in socks:
        try:
            s.close()
        except OSError:
            pass


class CloseWatcher:
    """Watches many non-blocking sockets for the server closing them (EOF or reset),
    remembering when and what each received first."""

    def __init__(self, socks):
        self.socks = socks
        self.sel = selectors.DefaultSelector()  # epoll: select() stops at 1024 descriptors
        self.closed_at = {}
        self.received = {}
        for i, s in enumerate(socks):
            self.sel.register(s, selectors.EVENT_READ, i)

    def poll(self, wait):
        for key, _ in self.sel.select(wait):
            i = key.data
            s = self.socks[i]
            try:
                chunk = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            if chunk:
                self.received[i] = self.received.get(i, b"") + chunk[:200]
                continue
            self.closed_at[i] = time.monotonic()
            self.sel.unregister(s)

    def mark_closed(self, i):
        if i not in self.closed_at:
            self.closed_at[i] = time.monotonic()
            try:
                self.sel.unregister(self.socks[i])
            except (KeyError, ValueError):
                pass

    def open_indices(self):
        return [i for i in range(len(self.socks)) if i not in self.closed_at]

    def close(self):
        self.sel.close()


def send_or_closed(sock, data):
    """Sends without blocking; False when the peer has closed (EPIPE / reset)."""
    try:
        sock.send(data)
        return True
    except BlockingIOError:
        return True
    except OSError as exc:
        if exc.errno in (errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN):
            return False
        raise


def assert_serves(server, what):
    with RawConnection(server, timeout=5) as conn:
        conn.send(simple_get())
        assert conn.read_response().status == 200, "%s: the server no longer answers" % what


# ----------------------------------------------------------------------------- tests

def test_slowloris_1000_trickling_connections_are_cut_off_while_others_keep_their_latency(start_findash):
    """1,000 connections each send one header byte every 0.5 s (classic slowloris: the
    head never completes, the idle timeout never fires). HTTP_HEAD_TIMEOUT=3 must close
    every one of them 3–6 s after its first byte, answering 408 or nothing; meanwhile
    well-behaved clients keep a p99 under P99_LIMIT."""
    head_timeout = 3.0
    server = start_findash(HTTP_HEAD_TIMEOUT=str(head_timeout), HTTP_IDLE_TIMEOUT="60")
    rss_before = rss_kib(server.pid)
    socks = open_connections(server, 1000)
    watcher = CloseWatcher(socks)
    head = b"GET /health HTTP/1.1\r\nHost: t\r\nUser-Agent: slowloris\r\nX-a: " + b"b" * 200
    try:
        with LatencyProbe(server) as probe:
            first_byte = {}
            position = 0
            started = time.monotonic()
            deadline = started + head_timeout + 8
            while watcher.open_indices() and time.monotonic() < deadline:
                round_start = time.monotonic()
                if position < len(head):
                    for i in watcher.open_indices():
                        if send_or_closed(socks[i], head[position:position + 1]):
                            first_byte.setdefault(i, time.monotonic())
                        else:
                            watcher.mark_closed(i)
                    position += 1
                while time.monotonic() - round_start < 0.5:
                    watcher.poll(0.05)
            rss_during = rss_kib(server.pid)
        still_open = watcher.open_indices()
        lifetimes = sorted(watcher.closed_at[i] - first_byte[i] for i in first_byte if i in watcher.closed_at)
        print("slowloris: %d closed, lifetimes %.2f..%.2f s, RSS %d -> %d KiB; well-behaved: %s"
              % (len(lifetimes), lifetimes[0] if lifetimes else -1, lifetimes[-1] if lifetimes else -1,
                 rss_before, rss_during, probe.summary()))
        assert not still_open, ("%d of 1000 trickling connections still open %.0f s after their first "
                                "byte (HTTP_HEAD_TIMEOUT=%g)" % (len(still_open), deadline - started, head_timeout))
        assert lifetimes[0] >= head_timeout - 0.5, (
            "a trickling connection was closed after %.2f s, before HTTP_HEAD_TIMEOUT=%g"
            % (lifetimes[0], head_timeout))
        assert lifetimes[-1] <= head_timeout + 3.0, (
            "a trickling connection lived %.2f s (HTTP_HEAD_TIMEOUT=%g)" % (lifetimes[-1], head_timeout))
        bad = [data for data in watcher.received.values() if not data.startswith(b"HTTP/1.1 408 ")]
        assert not bad, "trickling connections got something else than a 408: %r" % bad[:3]
        probe.check("during slowloris")
        # 1,000 partial heads of ~200 bytes: a few MiB at most, never the 32 KiB limit each.
        assert rss_during - rss_before < 64 * 1024 * MEMORY_FACTOR, (
            "RSS grew by %d KiB for 1000 trickling connections" % (rss_during - rss_before))
    finally:
        watcher.close()
        close_all(socks)
    assert server.alive()
    assert_serves(server, "after slowloris")


def test_slow_bodies_are_cut_off_by_the_head_timeout(start_findash):
    """200 clients send a complete head announcing a body (Content-Length: 100000, or
    chunked), then one body byte every 0.5 s. The head timeout also bounds the body: every
    one is answered 408 (or closed) within HTTP_HEAD_TIMEOUT + margin, the others are
    served meanwhile."""
    head_timeout = 2.0
    server = start_findash(HTTP_HEAD_TIMEOUT=str(head_timeout), HTTP_IDLE_TIMEOUT="60")
    socks = open_connections(server, 200)
    watcher = CloseWatcher(socks)
    try:
        with LatencyProbe(server) as probe:
            started = time.monotonic()
            for i, s in enumerate(socks):
                if i % 2:
                    s.send(b"POST /health HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n")
                else:
                    s.send(b"POST /health HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n186a0\r\n")
            deadline = started + head_timeout + 6
            while watcher.open_indices() and time.monotonic() < deadline:
                round_start = time.monotonic()
                for i in watcher.open_indices():
                    if not send_or_closed(socks[i], b"x"):
                        watcher.mark_closed(i)
                while time.monotonic() - round_start < 0.5:
                    watcher.poll(0.05)
        elapsed = {i: t - started for i, t in watcher.closed_at.items()}
        print("slow bodies: %d closed after %.2f..%.2f s; well-behaved: %s"
              % (len(elapsed), min(elapsed.values(), default=-1), max(elapsed.values(), default=-1), probe.summary()))
        still_open = watcher.open_indices()
        assert not still_open, ("%d of 200 slow bodies still being read %.0f s later (HTTP_HEAD_TIMEOUT=%g)"
                                % (len(still_open), deadline - started, head_timeout))
        assert min(elapsed.values()) >= head_timeout - 0.5, "a slow body was cut off after %.2f s" % min(elapsed.values())
        assert max(elapsed.values()) <= head_timeout + 3.0, "a slow body lasted %.2f s" % max(elapsed.values())
        answers = [data[:12] for data in watcher.received.values()]
        assert all(a.startswith(b"HTTP/1.1 408") for a in answers), (
            "a slow body got something else than a 408: %r" % [a for a in answers if not a.startswith(b"HTTP/1.1 408")][:3])
        probe.check("during slow bodies")
    finally:
        watcher.close()
        close_all(socks)
    assert_serves(server, "after slow bodies")


def _pipeline_without_reading(sock, request, seconds):
    """Sends `request` over and over without reading until the socket stays full for
    0.5 s (both directions stalled) or `seconds` pass. Returns (requests sent, dropped)."""
    sock.setblocking(False)
    sent = 0
    pending = b""
    stalled_since = None
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not pending:
            pending = request * 16
        try:
            n = sock.send(pending)
        except BlockingIOError:
            now = time.monotonic()
            stalled_since = stalled_since or now
            if now - stalled_since > 0.5:
                break
            time.sleep(0.02)
            continue
        except OSError as exc:
            if exc.errno in (errno.EPIPE, errno.ECONNRESET):
                return sent // len(request), True
            raise
        pending = pending[n:]
        sent += n
        stalled_since = None
    return sent // len(request), False


def _ended(sock, within):
    """Reads (and discards) until EOF/reset; True if the connection ended within `within` s."""
    sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ)
    end = time.monotonic() + within
    try:
        while time.monotonic() < end:
            if not sel.select(max(0.0, end - time.monotonic())):
                continue
            try:
                if not sock.recv(1 << 20):
                    return True
            except BlockingIOError:
                continue
            except OSError:
                return True
        return False
    finally:
        sel.close()


def test_readers_that_never_read_large_responses_are_dropped_and_memory_stays_bounded(start_findash):
    """20 clients pipeline GET /openapi.json (the largest fixed response, tens of KiB)
    with a tiny receive window and never read. The server stops reading each one once
    4 MiB of answers wait (back-pressure), drops it HTTP_WRITE_TIMEOUT after its writes
    stalled, keeps serving others meanwhile, and its memory stays bounded."""
    write_timeout = 2.0
    server = start_findash(HTTP_WRITE_TIMEOUT=str(write_timeout), HTTP_HEAD_TIMEOUT="60", HTTP_IDLE_TIMEOUT="60")
    with RawConnection(server) as conn:
        conn.send(simple_get("/openapi.json"))
        doc = conn.read_response()
    assert doc.status == 200 and len(doc.body) > 8192, "GET /openapi.json: %r" % doc
    rss_before = rss_kib(server.pid)
    request = b"GET /openapi.json HTTP/1.1\r\nHost: t\r\n\r\n"
    readers = []
    results = []
    try:
        with LatencyProbe(server) as probe:
            for _ in range(20):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                s.settimeout(5)
                s.connect((server.host, server.port))
                readers.append(s)
            threads = [threading.Thread(target=lambda s=s: results.append(_pipeline_without_reading(s, request, 8)))
                       for s in readers]
            for t in threads:
                t.start()
            for t in threads:
                t.join(15)
            stalled_at = time.monotonic()
            rss_peak = rss_kib(server.pid)
            # Not reading at all for the write timeout plus the sweep and a margin.
            time.sleep(write_timeout + 1.5)
            ended = [_ended(s, 3.0) for s in readers]
            waited = time.monotonic() - stalled_at
        print("slow readers: requests sent %s, ended %d/20 after %.1f s, RSS %d -> %d KiB; well-behaved: %s"
              % ([r[0] for r in results], ended.count(True), waited, rss_before, rss_peak, probe.summary()))
        assert len(results) == 20
        assert all(ended), ("%d of 20 non-reading clients still connected %.1f s after their writes stalled "
                            "(HTTP_WRITE_TIMEOUT=%g; requests sent: %s)"
                            % (ended.count(False), waited, write_timeout, [r[0] for r in results]))
        probe.check("during slow readers")
        # At most ~4 MiB of queued answers per reader (plus the request bytes it buffered).
        grown = rss_peak - rss_before
        assert grown < (20 * 6 * 1024 + 32 * 1024) * MEMORY_FACTOR, "RSS grew by %d KiB for 20 non-reading clients" % grown
    finally:
        close_all(readers)
    assert server.alive()
    assert_serves(server, "after slow readers")


def test_reader_that_reads_slowly_is_dropped_after_the_write_timeout(start_findash):
    """A slow-read attack (slowhttptest -X): the client does read, but 4 KiB a second of
    a large pipelined answer, keeping the server's writes stalled. Progress does not
    reset the write timeout: the connection ends within a few seconds of
    HTTP_WRITE_TIMEOUT, not after the megabytes it asked for."""
    write_timeout = 2.0
    server = start_findash(HTTP_WRITE_TIMEOUT=str(write_timeout), HTTP_HEAD_TIMEOUT="60", HTTP_IDLE_TIMEOUT="60")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(5)
    s.connect((server.host, server.port))
    try:
        requested, dropped = _pipeline_without_reading(s, b"GET /openapi.json HTTP/1.1\r\nHost: t\r\n\r\n", 5)
        assert requested > 50, "only %d requests could be sent" % requested
        started = time.monotonic()
        received = 0
        ended = dropped
        s.setblocking(True)
        s.settimeout(2)
        while not ended and time.monotonic() - started < write_timeout + 10:
            try:
                chunk = s.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                ended = True
                break
            if not chunk:
                ended = True
                break
            received += len(chunk)
            time.sleep(1.0)
        lasted = time.monotonic() - started
    finally:
        s.close()
    print("slow read: %d requests, %d bytes read, ended=%s after %.1f s" % (requested, received, ended, lasted))
    assert ended, ("a client reading 4 KiB/s was still served %.0f s later (HTTP_WRITE_TIMEOUT=%g, %d bytes read)"
                   % (lasted, write_timeout, received))
    assert lasted <= write_timeout + 5, "the slow reader lasted %.1f s" % lasted
    assert server.alive()
    assert_serves(server, "after a slow reader")
