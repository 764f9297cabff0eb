#!/usr/bin/env python3
"""S6 helper: hold N idle keep-alive connections open to a server.

    idle.py HOST PORT N READY_FILE

Opens N TCP connections (in batches, so the listen backlog is never flooded), sends one
`GET /health` on each and reads its answer, then leaves them all idle. When every connection
is settled it writes a JSON line to READY_FILE: {"opened", "answered", "failed"}. On SIGTERM or
SIGINT it counts how many are still open (the server has not closed them), prints one JSON
line {"opened", "answered", "failed", "alive_at_end"} on stdout and exits.
"""
import errno
import json
import os
import resource
import selectors
import signal
import socket
import sys
import time

REQUEST = b"GET /health HTTP/1.1\r\nHost: bench\r\n\r\n"
BATCH = 500


def main() -> int:
    host, port, count, ready_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = count + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(want, soft)), hard))

    sel = selectors.DefaultSelector()
    sockets = []
    received = {}  # fd -> bytes read so far
    answered = failed = 0
    pending = 0
    started = time.monotonic()

    def settle(sock, ok):
        nonlocal answered, failed, pending
        pending -= 1
        try:
            sel.unregister(sock)
        except (KeyError, ValueError):
            pass
        if ok:
            answered += 1
        else:
            failed += 1
            sock.close()

    opened = 0
    while opened < count or pending > 0:
        if time.monotonic() - started > 120:
            break
        while opened < count and pending < BATCH:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            err = s.connect_ex((host, port))
            opened += 1
            if err not in (0, errno.EINPROGRESS):
                failed += 1
                s.close()
                continue
            sockets.append(s)
            received[s.fileno()] = b""
            sel.register(s, selectors.EVENT_WRITE, "connect")
            pending += 1
        for key, _ in sel.select(timeout=1.0):
            s = key.fileobj
            if key.data == "connect":
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                    settle(s, False)
                    continue
                try:
                    s.send(REQUEST)
                except OSError:
                    settle(s, False)
                    continue
                sel.modify(s, selectors.EVENT_READ, "read")
            else:
                try:
                    chunk = s.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    settle(s, False)
                    continue
                if not chunk:
                    settle(s, False)
                    continue
                data = received[s.fileno()] + chunk
                received[s.fileno()] = data
                head, sep, body = data.partition(b"\r\n\r\n")
                if sep:
                    length = 0
                    for line in head.split(b"\r\n")[1:]:
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value.strip())
                    if len(body) >= length:
                        settle(s, head.startswith(b"HTTP/1.1 200"))

    result = {"opened": opened, "answered": answered, "failed": failed,
              "seconds": round(time.monotonic() - started, 2)}
    with open(ready_file + ".tmp", "w") as f:
        f.write(json.dumps(result) + "\n")
    os.rename(ready_file + ".tmp", ready_file)

    stop = False

    def on_signal(signum, frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    while not stop:
        time.sleep(0.2)

    alive = 0
    for s in sockets:
        if s.fileno() < 0:
            continue
        try:
            if s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                continue  # the server closed it
            alive += 1  # unexpected bytes, but still open
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
    result["alive_at_end"] = alive
    print(json.dumps(result), flush=True)
    for s in sockets:
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
