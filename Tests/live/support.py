"""Helpers for the live tests: a real `findash serve` process, real sockets, real
PostgreSQL and memcached (started by `make test`, see scripts/services.sh).

Standard library only. Nothing here skips: a missing FINDASH_BIN, DATABASE_URL or
MEMCACHED_SERVERS is an error (see `require_env`).

Main pieces
- `make_token(...)`, `sign_hs256(header, payload, secret)`, `b64url(...)`: JWTs minted
  independently of the server's code.
- `FindashServer`: starts `$FINDASH_BIN serve` on a free port, waits for /health,
  captures its output, stops it with a signal and reports the exit status.
- `request(...)` / `get_json(...)`: one HTTP request over http.client.
- `RawConnection`: a plain socket with a small, strict HTTP/1.1 response reader, for
  pipelining, smuggling and timeout tests.
- `psql(sql, *args)`: runs SQL through psql on DATABASE_URL.
- `services(action)`: scripts/services.sh ACTION $FINDASH_SERVICES_DIR (fault tests).
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from urllib.parse import urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The HS256 secret every test server is started with (JWT_SECRET).
TEST_SECRET = "findash-live-tests-secret-0123456789abcdef"

REQUIRED_ENV = ("FINDASH_BIN", "DATABASE_URL", "MEMCACHED_SERVERS")

# Every variable the server reads (CONTRACT.md §6 and the HTTP settings). A test server
# never inherits them from the caller's environment, only from FindashServer's defaults
# and the test's overrides.
CONFIG_VARS = (
    "ENVIRONMENT", "HOST", "PORT", "DATABASE_URL", "MEMCACHED_SERVERS",
    "DASHBOARD_CACHE_TTL", "DASHBOARD_ENABLED", "JWT_SECRET", "JWT_PUBLIC_KEY_FILE",
    "JWT_ISSUER", "JWT_AUDIENCE", "CORS_ALLOWED_ORIGINS", "LOG_LEVEL", "WORKERS",
    "BLOCKING_THREADS", "DB_POOL_SIZE", "HTTP_HEAD_TIMEOUT", "HTTP_IDLE_TIMEOUT",
    "HTTP_WRITE_TIMEOUT", "MAX_CONNECTIONS", "DRAIN_TIMEOUT", "DB_STATEMENT_TIMEOUT",
    "METRICS_ALLOW", "METRICS_PORT", "DB_READER_ROLE", "RATE_LIMIT_RPS", "RATE_LIMIT_BURST",
    "MEMCACHED_TIMEOUT_MS",
)

# Sanitizer builds run the server several times slower (scripts/test-sanitize.sh sets 3):
# wall-clock bounds that only hold for a release build are multiplied by this; `make test`
# (factor 1) holds the real bounds.
TIME_FACTOR = float(os.environ.get("FINDASH_FAULT_TIME_FACTOR", "1"))

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class LiveTestSetupError(RuntimeError):
    """The environment the live tests need is missing (never a reason to skip)."""


def require_env():
    """Returns {name: value} for REQUIRED_ENV; raises LiveTestSetupError naming what
    is missing. `make test` sets all of them."""
    missing = [name for name in REQUIRED_ENV if not os.environ.get(name)]
    if missing:
        raise LiveTestSetupError(
            "live tests need %s in the environment (run them with `make test`, which "
            "builds the release binary and starts PostgreSQL and memcached)" % ", ".join(missing))
    binary = os.environ["FINDASH_BIN"]
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        raise LiveTestSetupError("FINDASH_BIN=%s is not an executable file" % binary)
    return {name: os.environ[name] for name in REQUIRED_ENV}


# ----------------------------------------------------------------------------- JWT

def b64url(data):
    """base64url without padding (RFC 7515 §2) of bytes, or of a str as UTF-8."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(obj):
    """base64url of compact JSON: what a JWT header or payload segment holds."""
    return b64url(json.dumps(obj, separators=(",", ":")))


def _secret_bytes(secret):
    return secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)


def sign_hs256(header, payload, secret):
    """A compact JWS: header and payload dicts, signed with HMAC-SHA256 whatever the
    header's `alg` says (useful for algorithm-confusion tests)."""
    signing_input = b64url_json(header) + "." + b64url_json(payload)
    mac = hmac.new(_secret_bytes(secret), signing_input.encode("ascii"), hashlib.sha256).digest()
    return signing_input + "." + b64url(mac)


def make_token(tenant_type="user", tenant_id="t1", scope="dashboard:read", ttl=300,
               secret=TEST_SECRET, alg="HS256", header=None, claims_override=None, drop=()):
    """An HS256 JWT for the test servers (JWT_SECRET=TEST_SECRET).

    Claims: tenant_type, tenant_id, scope, iat (now), exp (now + ttl; a negative ttl
    gives an expired token). A None tenant_type / tenant_id / scope leaves the claim
    out. `claims_override` is merged last; `drop` names claims to remove at the end.
    Header: {"alg": alg, "typ": "JWT"} updated with `header`. alg "none" (any casing)
    gives an empty signature; HS384 / HS512 sign with those; any other alg is signed
    with HMAC-SHA256 (e.g. alg=RS256 + secret=<public key PEM> for confusion tests).
    """
    now = int(time.time())
    claims = {"iat": now, "exp": now + int(ttl)}
    if tenant_type is not None:
        claims["tenant_type"] = tenant_type
    if tenant_id is not None:
        claims["tenant_id"] = tenant_id
    if scope is not None:
        claims["scope"] = scope
    claims.update(claims_override or {})
    for name in drop:
        claims.pop(name, None)
    hdr = {"alg": alg, "typ": "JWT"}
    hdr.update(header or {})
    signing_input = b64url_json(hdr) + "." + b64url_json(claims)
    kind = str(hdr.get("alg", "")).upper()
    if kind == "NONE":
        return signing_input + "."
    digest = {"HS384": hashlib.sha384, "HS512": hashlib.sha512}.get(kind, hashlib.sha256)
    mac = hmac.new(_secret_bytes(secret), signing_input.encode("ascii"), digest).digest()
    return signing_input + "." + b64url(mac)


# ----------------------------------------------------------------------------- ports

def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----------------------------------------------------------------------------- server

_live_servers = set()
_live_lock = threading.Lock()


def stop_all_servers():
    """Kills every FindashServer still running (atexit / end of session)."""
    with _live_lock:
        servers = list(_live_servers)
    for server in servers:
        server.kill()


class FindashServer:
    """One `findash serve` process.

        server = FindashServer(HTTP_IDLE_TIMEOUT="1").start()
        server.url, server.port, server.pid
        server.wait_cache_ready()  # its LISTEN session is up: the cache is in use
        server.stop()            # SIGTERM, waits up to 25 s, returns the exit status
        server.log_text()        # everything it printed (stdout and stderr)

    Environment: the caller's, minus every findash variable (CONFIG_VARS), plus
    ENVIRONMENT=testing, HOST=127.0.0.1, PORT=<free>, JWT_SECRET=TEST_SECRET,
    DATABASE_URL, MEMCACHED_SERVERS (from the environment), LOG_LEVEL=info, then the
    overrides (a value of None removes the variable).
    """

    START_TIMEOUT = 20.0

    def __init__(self, log_dir=None, name="findash", args=("serve",), **env_overrides):
        require_env()
        self.binary = os.environ["FINDASH_BIN"]
        self.name = name
        self.args = tuple(args)
        self.overrides = {k: (None if v is None else str(v)) for k, v in env_overrides.items()}
        self.log_dir = log_dir or tempfile.mkdtemp(prefix="findash-live-")
        self.host = "127.0.0.1"
        self.port = None
        self.proc = None
        self.log_path = None
        self.returncode = None
        self.stop_seconds = None  # how long the last stop()/wait() took
        self.env = None

    # -- lifecycle

    def build_env(self, port):
        env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
        env.update({
            "ENVIRONMENT": "testing",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "JWT_SECRET": TEST_SECRET,
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "MEMCACHED_SERVERS": os.environ["MEMCACHED_SERVERS"],
            "LOG_LEVEL": "info",
        })
        # The sanitizer runs give memcached steps more room than the default 50 ms (a slow
        # build's scheduling hiccup is not a memcached failure); a test's own value wins.
        mc_timeout = os.environ.get("FINDASH_TEST_MEMCACHED_TIMEOUT_MS")
        if mc_timeout and "MEMCACHED_TIMEOUT_MS" not in self.overrides:
            env["MEMCACHED_TIMEOUT_MS"] = mc_timeout
        for key, value in self.overrides.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def spawn(self, port=None):
        """Starts the process without waiting for it to answer."""
        self.port = int(port or self.overrides.get("PORT") or free_port())
        self.env = self.build_env(self.port)
        self.host = self.env.get("HOST") or "127.0.0.1"
        if self.host in ("0.0.0.0", "::", ""):
            self.host = "127.0.0.1"
        self.log_path = os.path.join(self.log_dir, "%s-%d.log" % (self.name, self.port))
        cmd = [self.binary] + list(self.args)
        # The server dies with the test process even when pytest is killed hard.
        setpriv = shutil.which("setpriv")
        if setpriv:
            cmd = [setpriv, "--pdeathsig", "KILL", "--"] + cmd
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=self.env, stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT,
                                         cwd=ROOT, start_new_session=True)
        self.returncode = None
        with _live_lock:
            _live_servers.add(self)
        return self

    def start(self, timeout=None):
        """Spawns the server and waits until GET /health answers 200. Retries on another
        port when the chosen one was taken meanwhile. Raises AssertionError with the log
        tail when the server exits or does not answer in time."""
        timeout = self.START_TIMEOUT if timeout is None else timeout
        for attempt in range(3):
            self.spawn()
            try:
                self.wait_ready(timeout)
                return self
            except AssertionError:
                exited = self.proc.poll() is not None
                in_use = "in use" in self.log_text().lower()
                if exited and in_use and "PORT" not in self.overrides and attempt < 2:
                    self.forget()
                    continue
                self.kill()
                raise
        raise AssertionError("unreachable")

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.returncode = self.proc.returncode
                raise AssertionError("%s exited with status %s before answering /health\n%s"
                                     % (self.describe(), self.proc.returncode, self.log_tail()))
            try:
                status, _, _ = request(self, "GET", "/health", headers={"Connection": "close"},
                                       timeout=1.0)
                if status == 200:
                    return
                last_error = "status %s" % status
            except (OSError, http.client.HTTPException) as exc:
                last_error = repr(exc)
            time.sleep(0.05)
        raise AssertionError("%s did not answer GET /health with 200 within %.0f s (last: %s)\n%s"
                             % (self.describe(), timeout, last_error, self.log_tail()))

    def wait_cache_ready(self, timeout=10.0):
        """Waits for the "change notifications connected" event. Until its LISTEN session
        is up (it connects asynchronously at start) the server bypasses its cache, so two
        identical requests may be computed apart (another generated_at, another ETag):
        call this before counting hits or expecting a 304 (needs LOG_LEVEL info or debug)."""
        deadline = time.monotonic() + timeout * TIME_FACTOR
        while '"change notifications connected"' not in self.log_text():
            assert self.alive(), "%s exited before its change notifications connected\n%s" % (
                self.describe(), self.log_tail())
            assert time.monotonic() < deadline, "%s: no change notifications within %.0f s\n%s" % (
                self.describe(), timeout * TIME_FACTOR, self.log_tail())
            time.sleep(0.02)
        return self

    def send_signal(self, sig=signal.SIGTERM):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)

    def wait(self, timeout=25.0):
        """Waits for the process to exit; SIGKILLs it after `timeout` seconds. Returns the
        exit status (negative: killed by that signal) and sets stop_seconds."""
        if self.proc is None:
            return None
        started = time.monotonic()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.stop_seconds = time.monotonic() - started
        self.returncode = self.proc.returncode
        self.forget()
        return self.returncode

    def stop(self, sig=signal.SIGTERM, timeout=25.0):
        """Sends `sig`, waits up to `timeout` s (then SIGKILL); returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is not None:
            self.returncode = self.proc.returncode
            self.forget()
            return self.returncode
        self.send_signal(sig)
        return self.wait(timeout)

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self.proc is not None:
            self.returncode = self.proc.returncode
        self.forget()

    def forget(self):
        with _live_lock:
            _live_servers.discard(self)

    # -- state

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def describe(self):
        extra = " ".join("%s=%s" % kv for kv in sorted(self.overrides.items()))
        return "findash %s on port %s%s" % (" ".join(self.args), self.port,
                                            (" (" + extra + ")") if extra else "")

    # -- output

    def log_text(self):
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def log_tail(self, lines=60):
        text = self.log_text().splitlines()
        tail = "\n".join(text[-lines:])
        return "---- %s, last %d lines of %s ----\n%s\n---- end of log ----" % (
            self.describe(), min(lines, len(text)), self.log_path, tail)

    def log_records(self):
        """The JSON log lines, parsed (other lines are skipped)."""
        records = []
        for line in self.log_text().splitlines():
            line = line.strip()
            if line.startswith("{"):
                try:
                    records.append(json.loads(line))
                except ValueError:
                    pass
        return records

    def __repr__(self):
        return "<FindashServer %s pid=%s>" % (self.describe(), self.pid)


def start_with_metrics_port(start, **env_overrides):
    """start(METRICS_PORT=<free port>, **env_overrides) -> a started server with /metrics on a
    port of its own (see wait_no_connections). Starts again in the rare case that the main
    port came out equal to METRICS_PORT (SO_REUSEPORT would let both listeners bind it)."""
    for _ in range(3):
        server = start(METRICS_PORT=str(free_port()), **env_overrides)
        if server.port != int(server.env["METRICS_PORT"]):
            return server
        server.stop()
    raise AssertionError("no distinct PORT and METRICS_PORT in three tries")


def wait_no_connections(server, timeout=5.0):
    """Waits until `server` holds no HTTP connection on its main port: its
    dashboard_http_connections gauge (what MAX_CONNECTIONS counts) is 0. After start() the
    readiness probe's connection still counts until the server has read the client's close,
    which a loaded machine may delay. Read over METRICS_PORT (start_with_metrics_port): a
    scrape on the main port would be a connection itself."""
    url = "http://127.0.0.1:%s" % server.env["METRICS_PORT"]
    deadline = time.monotonic() + timeout * TIME_FACTOR
    while True:
        status, _, body = request(url, "GET", "/metrics", timeout=5.0)
        m = re.search(rb"^dashboard_http_connections (\S+)$", body, re.M)
        assert status == 200 and m, "GET %s/metrics: %s %r" % (url, status, body[:300])
        if float(m.group(1)) == 0:
            return
        assert time.monotonic() < deadline, "%s still holds %s connection(s) %.0f s after start" % (
            server.describe(), m.group(1).decode(), timeout * TIME_FACTOR)
        time.sleep(0.02)


def run_findash(*args, env_overrides=None, timeout=60, input=None):
    """Runs `$FINDASH_BIN ARGS…` to completion with FindashServer's environment
    (random PORT included). Returns subprocess.CompletedProcess (text, stdout and
    stderr captured)."""
    server = FindashServer(**(env_overrides or {}))
    env = server.build_env(free_port())
    return subprocess.run([server.binary] + [str(a) for a in args], env=env, cwd=ROOT,
                          input=input, capture_output=True, text=True, timeout=timeout)


# ----------------------------------------------------------------------------- HTTP

def _host_port(server_or_url):
    if hasattr(server_or_url, "port") and hasattr(server_or_url, "host"):
        return server_or_url.host, server_or_url.port
    parts = urlsplit(server_or_url if "://" in server_or_url else "http://" + server_or_url)
    return parts.hostname, parts.port or 80


def request(server_or_url, method, path, headers=None, body=None, token=None, timeout=15.0):
    """One request on a fresh connection (http.client). Returns
    (status, headers: dict with lower-case names — repeated fields joined by ", ",
    body: bytes). `token` adds `Authorization: Bearer <token>`."""
    host, port = _host_port(server_or_url)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        hdrs = dict(headers or {})
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        merged = {}
        for name, value in resp.getheaders():
            key = name.lower()
            merged[key] = value if key not in merged else merged[key] + ", " + value
        return resp.status, merged, data
    finally:
        conn.close()


def get_json(server_or_url, path, token=None, headers=None, timeout=30.0):
    """GET path. Returns (status, headers, body) with the body parsed as JSON; when it
    is not JSON, the body as text ('' when empty)."""
    status, hdrs, data = request(server_or_url, "GET", path, headers=headers, token=token,
                                 timeout=timeout)
    text = data.decode("utf-8", "replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text
    return status, hdrs, parsed


class Response:
    """A response read off a RawConnection."""

    def __init__(self, version, status, reason, headers, body, raw_head):
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers  # [(name, value)] in wire order, names as sent
        self.body = body
        self.raw_head = raw_head

    def header(self, name, default=None):
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return default

    def header_all(self, name):
        name = name.lower()
        return [value for key, value in self.headers if key.lower() == name]

    def has_token(self, name, token):
        """True when header `name` lists `token` (comma-separated, case-insensitive)."""
        token = token.lower()
        return any(token == part.strip().lower()
                   for value in self.header_all(name) for part in value.split(","))

    @property
    def headers_dict(self):
        merged = {}
        for key, value in self.headers:
            key = key.lower()
            merged[key] = value if key not in merged else merged[key] + ", " + value
        return merged

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<Response %s %s %s, %d body bytes>" % (self.version, self.status, self.reason,
                                                       len(self.body))


class ConnectionClosed(Exception):
    """The peer closed (or reset) the connection before a complete response."""

    def __init__(self, message, partial=b"", reset=False):
        super().__init__(message)
        self.partial = partial
        self.reset = reset


class RawConnection:
    """A client socket with a strict response reader.

        conn = RawConnection(server)            # or RawConnection(("127.0.0.1", port))
        conn.send(b"GET /health HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
        resp = conn.read_response()            # Response; 1xx returned as they come
        data, how = conn.read_until_close(5)   # how: "eof" | "reset" | "timeout"

    Every read has a deadline, so a broken server can never hang a test.
    """

    def __init__(self, server_or_addr, timeout=10.0, connect=True, rcvbuf=None):
        if isinstance(server_or_addr, tuple):
            self.addr = server_or_addr
        else:
            self.addr = _host_port(server_or_addr)
        self.timeout = timeout
        self.buf = bytearray()
        self.eof = False
        self.reset = False
        self.sock = None
        if connect:
            self.connect(rcvbuf=rcvbuf)

    def connect(self, rcvbuf=None):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.addr)
        except OSError:
            sock.close()
            raise
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = sock
        return self

    def fileno(self):
        return self.sock.fileno()

    def send(self, data):
        self.sock.settimeout(self.timeout)
        self.sock.sendall(data)

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _fill(self, deadline):
        """Reads more bytes into buf. Returns False on EOF/reset; raises TimeoutError."""
        if self.eof:
            return False
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no complete response before the deadline; got %r"
                               % bytes(self.buf[:400]))
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise TimeoutError("no complete response before the deadline; got %r"
                               % bytes(self.buf[:400])) from None
        except (ConnectionResetError, ConnectionAbortedError):
            self.eof = True
            self.reset = True
            return False
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def _read_line(self, deadline, start):
        while True:
            idx = self.buf.find(b"\r\n", start)
            if idx >= 0:
                return idx
            if not self._fill(deadline):
                raise ConnectionClosed("connection %s before a complete response; got %r"
                                       % ("reset" if self.reset else "closed", bytes(self.buf[:400])),
                                       bytes(self.buf), self.reset)

    def _need(self, n, deadline):
        while len(self.buf) < n:
            if not self._fill(deadline):
                raise ConnectionClosed("connection %s in a response body (%d of %d bytes)"
                                       % ("reset" if self.reset else "closed", len(self.buf), n),
                                       bytes(self.buf), self.reset)

    def read_response(self, method="GET", timeout=None):
        """Reads one response (an interim 1xx is returned like any other). Raises
        ConnectionClosed when the connection ends first, TimeoutError when it takes
        longer than `timeout` (default: the connection's timeout)."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        # Head.
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                break
            if len(self.buf) > 256 * 1024:
                raise AssertionError("response head over 256 KiB: %r" % bytes(self.buf[:400]))
            if not self._fill(deadline):
                raise ConnectionClosed("connection %s before a complete response head; got %r"
                                       % ("reset" if self.reset else "closed", bytes(self.buf[:400])),
                                       bytes(self.buf), self.reset)
        raw_head = bytes(self.buf[:end])
        del self.buf[:end + 4]
        lines = raw_head.split(b"\r\n")
        m = re.match(rb"^(HTTP/\d\.\d) (\d{3}) ?(.*)$", lines[0])
        if not m:
            raise AssertionError("malformed status line: %r" % lines[0])
        version, status, reason = m.group(1).decode(), int(m.group(2)), m.group(3).decode("latin-1")
        headers = []
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if not sep or not name or name != name.strip():
                raise AssertionError("malformed response header line %r" % line)
            headers.append((name.decode("latin-1"), value.strip(b" \t").decode("latin-1")))
        resp = Response(version, status, reason, headers, b"", raw_head)
        # Body (RFC 9112 §6.3).
        if method.upper() == "HEAD" or 100 <= status < 200 or status in (204, 304):
            return resp
        te = resp.header("transfer-encoding")
        cl = resp.header("content-length")
        if te is not None:
            if te.strip().lower() != "chunked":
                raise AssertionError("unexpected Transfer-Encoding %r" % te)
            body = bytearray()
            pos = 0
            while True:
                idx = self._read_line(deadline, pos)
                size = int(self.buf[pos:idx].split(b";")[0].strip(), 16)
                pos = idx + 2
                if size == 0:
                    # trailers until an empty line
                    while True:
                        idx = self._read_line(deadline, pos)
                        if idx == pos:
                            pos += 2
                            break
                        pos = idx + 2
                    break
                self._need(pos + size + 2, deadline)
                body += self.buf[pos:pos + size]
                pos += size + 2
            del self.buf[:pos]
            resp.body = bytes(body)
        elif cl is not None:
            n = int(cl)
            self._need(n, deadline)
            resp.body = bytes(self.buf[:n])
            del self.buf[:n]
        else:
            # Delimited by close.
            while self._fill(deadline):
                pass
            resp.body = bytes(self.buf)
            self.buf.clear()
        return resp

    def read_final_response(self, method="GET", timeout=None):
        """Like read_response, skipping interim 1xx responses."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            resp = self.read_response(method, timeout=max(0.01, deadline - time.monotonic()))
            if not 100 <= resp.status < 200:
                return resp

    def read_until_close(self, timeout=5.0):
        """Reads until the peer closes. Returns (bytes read, how) with how "eof",
        "reset" or "timeout" (still open when the time was up)."""
        deadline = time.monotonic() + timeout
        try:
            while self._fill(deadline):
                pass
        except TimeoutError:
            data = bytes(self.buf)
            self.buf.clear()
            return data, "timeout"
        data = bytes(self.buf)
        self.buf.clear()
        return data, ("reset" if self.reset else "eof")

    def closed_within(self, timeout):
        """True when the peer closes within `timeout` s (bytes received are kept)."""
        _, how = self.read_until_close(timeout)
        return how != "timeout"

    def readable_now(self, wait=0.0):
        r, _, _ = select.select([self.sock], [], [], wait)
        return bool(r)


def simple_get(path="/health", host="localhost", extra=b"", version=b"HTTP/1.1"):
    """Bytes of a minimal GET request."""
    if isinstance(path, str):
        path = path.encode()
    if isinstance(host, str):
        host = host.encode()
    head = b"GET " + path + b" " + version + b"\r\n"
    if host:
        head += b"Host: " + host + b"\r\n"
    return head + extra + b"\r\n"


# ----------------------------------------------------------------------------- psql

_PARAM_RE = re.compile(r"(?<![\w$])\$(\d+)(?![\w$])")


def sql_literal(value):
    """A value as an SQL literal (standard_conforming_strings on)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if "\x00" in text:
        raise ValueError("NUL in an SQL literal")
    return "'" + text.replace("'", "''") + "'"


def psql(sql, *args, database_url=None, timeout=120):
    """Runs `psql "$DATABASE_URL" -X -v ON_ERROR_STOP=1 -At -c SQL` and returns its
    stdout without the final newline (the result of the last statement, `|`-separated
    columns). $1, $2… in `sql` are replaced by the quoted literals of `args` (None is
    NULL). Raises AssertionError with psql's message when it fails."""
    if args:
        def substitute(m):
            index = int(m.group(1))
            if not 1 <= index <= len(args):
                raise ValueError("$%d in SQL but %d argument(s) given" % (index, len(args)))
            return sql_literal(args[index - 1])
        sql = _PARAM_RE.sub(substitute, sql)
    url = database_url or os.environ.get("DATABASE_URL")
    if not url:
        raise LiveTestSetupError("DATABASE_URL is not set")
    proc = subprocess.run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
                          capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        shown = sql if len(sql) < 2000 else sql[:2000] + "…"
        raise AssertionError("psql failed (exit %d): %s\nSQL: %s"
                             % (proc.returncode, proc.stderr.strip(), shown))
    return proc.stdout[:-1] if proc.stdout.endswith("\n") else proc.stdout


# ----------------------------------------------------------------------------- services

def services(action, timeout=120):
    """Runs `scripts/services.sh ACTION $FINDASH_SERVICES_DIR` (start-db, stop-db,
    crash-db, start-cache, stop-cache, status, …). Returns its output; raises
    AssertionError when it fails (except for `status`, which returns the output
    whatever the state)."""
    directory = os.environ.get("FINDASH_SERVICES_DIR")
    if not directory:
        raise LiveTestSetupError("FINDASH_SERVICES_DIR is not set (run the live tests with `make test`)")
    proc = subprocess.run([os.path.join(ROOT, "scripts", "services.sh"), action, directory],
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0 and action != "status":
        raise AssertionError("scripts/services.sh %s failed (exit %d):\n%s"
                             % (action, proc.returncode, output))
    return output
