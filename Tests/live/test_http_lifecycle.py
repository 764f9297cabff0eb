"""Process lifecycle over real sockets (issue 2): graceful drain on SIGTERM/SIGINT
during load, a wrk run with zero errors, and the command line (help, bad settings)."""

import re
import shutil
import signal
import subprocess
import threading
import time

from support import ConnectionClosed, RawConnection, free_port, run_findash, simple_get


def test_sigterm_during_load_answers_every_request_sent_before_it(start_findash):
    drain = 10
    server = start_findash(DRAIN_TIMEOUT=str(drain))
    signal_at = [None]  # monotonic time just before os.kill
    lock = threading.Lock()
    before = {"ok": 0, "failed": []}      # requests fully sent before the signal
    after = {"ok": 0, "closed": 0, "refused": 0, "other": 0}

    def worker(n):
        conn = None
        seq = 0
        end = time.monotonic() + 20
        while time.monotonic() < end:
            sig = signal_at[0]
            if sig is not None and time.monotonic() > sig + 1.5:
                break
            if conn is None:
                try:
                    conn = RawConnection(server, timeout=drain + 5)
                except OSError:
                    with lock:
                        after["refused"] += 1
                    if signal_at[0] is None:
                        with lock:
                            before["failed"].append((n, seq, "connect failed before the signal"))
                        break
                    time.sleep(0.05)
                    continue
            seq += 1
            rid = b"w%d-%d" % (n, seq)
            try:
                conn.send(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: " + rid + b"\r\n\r\n")
            except OSError:
                # Not fully sent: counts as after the signal (the server may close idle
                # connections once draining).
                with lock:
                    after["closed"] += 1
                conn.close()
                conn = None
                continue
            sent_at = time.monotonic()
            sig = signal_at[0]
            sent_before_signal = sig is None or sent_at < sig
            try:
                resp = conn.read_response(timeout=drain + 5)
                ok = resp.status == 200 and resp.header("x-request-id") == rid.decode()
                outcome = "%d %s" % (resp.status, resp.header("x-request-id"))
                if resp.has_token("connection", "close"):
                    conn.close()
                    conn = None
            except (ConnectionClosed, TimeoutError, OSError) as exc:
                ok, outcome = False, repr(exc)[:160]
                if conn is not None:
                    conn.close()
                conn = None
            with lock:
                if sent_before_signal:
                    if ok:
                        before["ok"] += 1
                    else:
                        before["failed"].append((n, seq, outcome))
                elif ok:
                    after["ok"] += 1
                elif "Closed" in outcome or "Reset" in outcome:
                    after["closed"] += 1
                else:
                    after["other"] += 1
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(8)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    signal_at[0] = time.monotonic()
    server.send_signal(signal.SIGTERM)
    rc = server.wait(timeout=drain + 10)
    for t in threads:
        t.join(drain + 10)
    assert not any(t.is_alive() for t in threads), "client threads still running"
    summary = "before the signal: %d answered, %d failed; after: %r" % (
        before["ok"], len(before["failed"]), after)
    assert before["ok"] > 100, "the load was not running: " + summary
    assert not before["failed"], "requests sent before SIGTERM without a complete 200: %r\n%s\n%s" % (
        before["failed"][:10], summary, server.log_tail())
    assert rc == 0, "exit status %s after SIGTERM (%s)\n%s" % (rc, summary, server.log_tail())
    assert server.stop_seconds <= drain + 1, "took %.1f s to exit (DRAIN_TIMEOUT=%d)" % (
        server.stop_seconds, drain)


def test_sigterm_closes_idle_connections_and_exits_promptly(start_findash):
    server = start_findash(DRAIN_TIMEOUT="20")
    conns = [RawConnection(server) for _ in range(5)]
    try:
        for conn in conns:
            conn.send(simple_get())
            assert conn.read_response().status == 200
        server.send_signal(signal.SIGTERM)
        rc = server.wait(timeout=25)
        assert rc == 0, "exit status %s\n%s" % (rc, server.log_tail())
        assert server.stop_seconds < 5, (
            "idle keep-alive connections held the drain for %.1f s" % server.stop_seconds)
        for conn in conns:
            _, how = conn.read_until_close(2)
            assert how != "timeout", "an idle connection stayed open after the server exited"
    finally:
        for conn in conns:
            conn.close()
    # No longer accepting.
    try:
        RawConnection(server, timeout=2).close()
        raise AssertionError("the port still accepts connections after exit")
    except OSError:
        pass


def test_sigint_drains_and_exits_zero(start_findash):
    server = start_findash()
    with RawConnection(server) as conn:
        conn.send(simple_get())
        assert conn.read_response().status == 200
    rc = server.stop(sig=signal.SIGINT, timeout=25)
    assert rc == 0, "exit status %s after SIGINT\n%s" % (rc, server.log_tail())


def test_wrk_reports_no_errors(findash):
    assert shutil.which("wrk"), "wrk is missing: run scripts/deps.sh"
    proc = subprocess.run(["wrk", "-t1", "-c64", "-d3s", "--timeout", "2s", findash.url + "/health"],
                          capture_output=True, text=True, timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    m = re.search(r"(\d+) requests in", out)
    assert m and int(m.group(1)) > 0, out
    assert "Socket errors" not in out, out
    assert "Non-2xx or 3xx responses" not in out, out
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    print("wrk -t1 -c64 -d3s /health: %s requests/s" % (rps.group(1) if rps else "?"))
    assert findash.alive()


# ---------------------------------------------------------------- command line

def test_help_explains_the_commands():
    proc = run_findash("--help", timeout=20)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = proc.stdout + proc.stderr
    for word in ("serve", "migrate", "seed", "token"):
        assert word in text, "findash --help does not mention %r:\n%s" % (word, text)
    proc = run_findash("serve", "--help", timeout=20)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PORT" in proc.stdout + proc.stderr, "serve --help does not explain its settings"


BAD_SETTINGS = [
    ("PORT", "not-a-port"),
    ("PORT", "70000"),
    ("ENVIRONMENT", "prod"),
    ("LOG_LEVEL", "loud"),
    ("DASHBOARD_ENABLED", "maybe"),
    ("HTTP_HEAD_TIMEOUT", "soon"),
    ("HTTP_IDLE_TIMEOUT", "-1"),
    ("MAX_CONNECTIONS", "lots"),
    ("WORKERS", "two"),
    ("DRAIN_TIMEOUT", "x"),
]


def test_bad_setting_stops_the_server_with_a_message_naming_it():
    problems = []
    for name, value in BAD_SETTINGS:
        try:
            proc = run_findash("serve", env_overrides={name: value, "PORT": value if name == "PORT"
                                                       else str(free_port())}, timeout=15)
        except subprocess.TimeoutExpired:
            problems.append("%s=%s: still running after 15 s" % (name, value))
            continue
        text = proc.stdout + proc.stderr
        if proc.returncode == 0:
            problems.append("%s=%s: exit status 0" % (name, value))
        elif name not in text:
            problems.append("%s=%s: message does not name the variable: %r" % (name, value, text[-300:]))
    assert not problems, "\n".join(problems)


def test_missing_jwt_key_outside_development_stops_the_server():
    proc = run_findash("serve", env_overrides={"JWT_SECRET": None, "JWT_PUBLIC_KEY_FILE": None,
                                               "ENVIRONMENT": "production"}, timeout=15)
    assert proc.returncode != 0
    assert "JWT_SECRET" in proc.stdout + proc.stderr


def test_missing_database_url_stops_the_server():
    proc = run_findash("serve", env_overrides={"DATABASE_URL": None}, timeout=15)
    assert proc.returncode != 0
    assert "DATABASE_URL" in proc.stdout + proc.stderr
