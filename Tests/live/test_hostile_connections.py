"""Connection exhaustion over raw sockets (issue 8, item 2): 10,000 idle connections, a
flood beyond MAX_CONNECTIONS, and a storm of connections reset as soon as they open.

Each test starts a server of its own, holds the connections from this process (the
descriptor limit is raised here; the server raises its own), and asserts that the
others are still served promptly and that the server's memory stays bounded
(/proc/PID/status VmRSS).
"""

import multiprocessing
import os
import resource
import signal
import socket
import struct
import threading
import time

from support import RawConnection, simple_get, start_with_metrics_port, wait_no_connections
from test_hostile_slow_clients import (MEMORY_FACTOR, CloseWatcher, LatencyProbe, assert_serves, close_all,
                                       open_connections, rss_kib)


def _raise_nofile(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        target = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert soft == resource.RLIM_INFINITY or soft >= need, (
        "this test needs %d descriptors; RLIMIT_NOFILE is %d (hard %d)" % (need, soft, hard))


def _server_fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def test_ten_thousand_idle_connections_cost_little_and_others_are_served(start_findash):
    """10,000 connections open and say nothing (within HTTP_IDLE_TIMEOUT). The server
    keeps them all — MAX_CONNECTIONS is 10,000 by default, so this uses 10,100 — answers
    others promptly, and holds them in a bounded amount of memory (< 8 KiB each)."""
    count = 10_000
    _raise_nofile(count + 1000)
    server = start_findash(MAX_CONNECTIONS="10100", HTTP_IDLE_TIMEOUT="120", HTTP_HEAD_TIMEOUT="120")
    time.sleep(0.3)
    rss_before = rss_kib(server.pid)
    socks = []
    try:
        started = time.monotonic()
        socks = open_connections(server, count, timeout=10)
        opened_in = time.monotonic() - started
        # Every one accepted: the server holds a descriptor for each (give it a moment).
        deadline = time.monotonic() + 10
        while _server_fd_count(server.pid) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        fds = _server_fd_count(server.pid)
        assert fds >= count, "the server holds %d descriptors for %d open connections" % (fds, count)
        with LatencyProbe(server) as probe:
            time.sleep(3)
        rss_with = rss_kib(server.pid)
        probe.check("with 10,000 idle connections", min_requests=20)
        # None of the idle ones was closed or answered.
        watcher = CloseWatcher(socks)
        watcher.poll(0.2)
        watcher.close()
        assert not watcher.closed_at and not watcher.received, (
            "%d idle connections closed, %d answered (HTTP_IDLE_TIMEOUT=120)"
            % (len(watcher.closed_at), len(watcher.received)))
        per_connection = (rss_with - rss_before) * 1024 / count
        print("10k idle: opened in %.1f s, server fds %d, RSS %d -> %d KiB (%.0f bytes each); well-behaved: %s"
              % (opened_in, fds, rss_before, rss_with, per_connection, probe.summary()))
        assert per_connection < 8192 * MEMORY_FACTOR, ("RSS grew by %d KiB for %d idle connections (%.0f bytes each; opened in %.1f s)"
                                       % (rss_with - rss_before, count, per_connection, opened_in))
    finally:
        close_all(socks)
    # Closing them all is noticed and the server goes on.
    deadline = time.monotonic() + 10
    while _server_fd_count(server.pid) > 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _server_fd_count(server.pid) <= 200, "closed connections are still held: %d descriptors" % _server_fd_count(server.pid)
    assert server.alive()
    assert_serves(server, "after 10,000 idle connections")


def test_flood_beyond_max_connections_is_closed_at_once_and_service_continues(start_findash):
    """MAX_CONNECTIONS=300, then 2,000 connections from four threads as fast as they
    come. Exactly the first 300 are kept (each answered when it asks); every other one
    is closed at once, not queued; once the flood is gone, new clients are served at
    once and the server's memory has not grown much."""
    limit, flood = 300, 2000
    _raise_nofile(flood + 1000)
    server = start_with_metrics_port(start_findash, MAX_CONNECTIONS=str(limit), HTTP_IDLE_TIMEOUT="60",
                                     HTTP_HEAD_TIMEOUT="60")
    wait_no_connections(server)  # the readiness probe's connection is gone: `limit` free slots
    rss_before = rss_kib(server.pid)
    socks = []
    lock = threading.Lock()
    errors = []

    def connect_many(n):
        mine = []
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(5)
            try:
                s.connect((server.host, server.port))
            except OSError as exc:  # a refused or reset connect is a form of refusal too
                errors.append(repr(exc))
                s.close()
                continue
            s.setblocking(False)
            mine.append(s)
        with lock:
            socks.extend(mine)

    try:
        started = time.monotonic()
        threads = [threading.Thread(target=connect_many, args=(flood // 4,)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        flood_seconds = time.monotonic() - started
        watcher = CloseWatcher(socks)
        end = time.monotonic() + 2.0
        while time.monotonic() < end:
            watcher.poll(0.1)
        kept = watcher.open_indices()
        closed = len(socks) - len(kept)
        print("flood: %d connected in %.1f s, %d kept, %d closed, %d connects failed"
              % (len(socks), flood_seconds, len(kept), closed, len(errors)))
        assert len(kept) == limit, ("with MAX_CONNECTIONS=%d, %d of %d flood connections stayed open "
                                    "(%d closed within 2 s, %d connects failed; flood took %.1f s)"
                                    % (limit, len(kept), flood, closed, len(errors), flood_seconds))
        assert not any(watcher.received.values()), "a refused connection got bytes instead of a plain close"
        watcher.close()
        # The kept ones are real connections: each gets its answer.
        for n, i in enumerate(kept):
            socks[i].setblocking(True)
            socks[i].settimeout(10)
            socks[i].sendall(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: kept-%d\r\n\r\n" % n)
        for n, i in enumerate(kept):
            conn = RawConnection((server.host, server.port), connect=False)
            conn.sock = socks[i]
            resp = conn.read_response(timeout=10)
            assert resp.status == 200 and resp.header("x-request-id") == "kept-%d" % n
        rss_after = rss_kib(server.pid)
    finally:
        close_all(socks)
    # The flood is gone: service at once.
    deadline = time.monotonic() + 5
    while True:
        try:
            assert_serves(server, "after the flood")
            break
        except Exception:  # noqa: BLE001 — the server may not have noticed every close yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    with LatencyProbe(server) as probe:
        time.sleep(1.5)
    probe.check("after the flood", min_requests=20)
    assert rss_after - rss_before < 32 * 1024 * MEMORY_FACTOR, "RSS grew by %d KiB during the flood" % (rss_after - rss_before)
    assert server.alive()


def _storm(host, port, seconds, results):
    """In a child process (its own interpreter lock, so the probe's timings are the
    server's): connect and reset at once (SO_LINGER 0), some after part of a request."""
    n = 0
    linger = struct.pack("ii", 1, 0)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        s.settimeout(2)
        try:
            s.connect((host, port))
            if n % 3 == 1:
                s.send(b"GET /health HTTP/1.1\r\nHo")
            elif n % 3 == 2:
                s.send(simple_get())
        except OSError:
            pass
        s.close()  # RST, not FIN
        n += 1
    results.put(n)


def test_storm_of_connections_reset_at_once_does_not_disturb_others(start_findash):
    """Processes (one per core) open connections and reset them at once (SO_LINGER 0), some after
    part or all of a request, for 5 s, while well-behaved clients measure their latency.
    Accepting a connection that is already gone must cost little, leak no descriptor and
    never take the server down."""
    server = start_findash(HTTP_HEAD_TIMEOUT="5")
    time.sleep(0.3)
    fds_before = _server_fd_count(server.pid)
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    # One storm process per core: more only measures the scheduler's queue, not the server.
    workers = [ctx.Process(target=_storm, args=(server.host, server.port, 5.0, results), daemon=True)
               for _ in range(max(2, os.cpu_count() or 2))]
    with LatencyProbe(server) as probe:
        for w in workers:
            w.start()
        for w in workers:
            w.join(20)
    total = sum(results.get(timeout=5) for _ in workers)
    print("reset storm: %d connections; well-behaved: %s" % (total, probe.summary()))
    assert total > 1000, "only %d connections in the storm" % total
    probe.check("during a reset storm of %d connections" % total)
    deadline = time.monotonic() + 5
    while _server_fd_count(server.pid) > fds_before + 5 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _server_fd_count(server.pid) <= fds_before + 5, (
        "descriptors leaked: %d before the storm, %d after" % (fds_before, _server_fd_count(server.pid)))
    assert server.alive()
    assert_serves(server, "after the reset storm")


def test_a_backlog_of_reset_connections_does_not_shut_out_a_live_one(start_findash):
    """While the server is stopped (SIGSTOP: a starved machine), 1,500 connections complete
    their handshake in the kernel's backlog and are reset; then a live client queues its
    request behind them. Once the server runs again it must answer the live client: dead
    connections are reaped between bounded accept batches instead of being held, all at once,
    against MAX_CONNECTIONS (500 here), which would close the live one at once with a reset."""
    dead = 1_500
    _raise_nofile(dead + 500)
    server = start_findash(MAX_CONNECTIONS="500", WORKERS="1")
    linger = struct.pack("ii", 1, 0)
    os.kill(server.pid, signal.SIGSTOP)
    try:
        for _ in range(dead):
            s = socket.create_connection((server.host, server.port), timeout=5)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            s.close()  # RST while the connection waits in the backlog
        live = RawConnection(server, timeout=10)
        live.send(simple_get())
    finally:
        os.kill(server.pid, signal.SIGCONT)
    with live:
        assert live.read_response().status == 200, "the live client behind %d reset connections was not served" % dead
    assert server.alive()
