"""A local staging deployment, end to end (ci/deploy.sh, ci/rollback.sh,
ci/validate-deployment.sh; docs/deployment.md): real findash replicas behind a real nginx,
on the PostgreSQL and memcached of `make test`.

The tests run in file order against one deployment (module fixture `staging`):

1. deploy release 1 (2 replicas behind nginx) and validate it at L1–L7 (L7: the live
   subset, VALIDATE_L7=live; `make test` runs the full suite anyway);
2. deploy release 2 while client threads hammer the balancer (keep-alive connections and a
   new connection per request; /health, the cached dashboard, /health/dashboard): no request
   fails, and the version the clients see switches from 1 to 2;
3. ci/rollback.sh under the same load: back to release 1, no request fails;
4. broken releases: a binary that exits 1, and one whose dashboard routes answer 404 (its
   smoke test fails): the deploy exits 1, the new colour is stopped, release 1 keeps serving
   without a failed request;
5. the feature flag: release 1 deployed again with DASHBOARD_ENABLED=false (DEPLOY_ENV_FILE)
   switches with no failed health request and the dashboard answers 404; deployed again
   without it, the dashboard is back.

The deployment lives in a temporary state directory on a free port (DEPLOY_STATE_DIR,
DEPLOY_PORT), so it never meets a developer's .local/deploy or port 8002; it is stopped
(`ci/deploy.sh staging --stop`) at the end whatever happened.

Client failures: a request counts as failed when it gets no answer or an answer other than
200. A keep-alive client may find that the server closed its idle connection just as it sent
the next request (nginx's old workers close idle connections when they stop); like every
HTTP client (RFC 9112 §9.3.1) it then retries that idempotent request once on a new
connection. Such retries are counted and reported, never hidden: a request that fails on a
fresh connection, or twice, is a failure.
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import threading
import time

import pytest

import support

ROOT = support.ROOT
DEPLOY = os.path.join(ROOT, "ci", "deploy.sh")
ROLLBACK = os.path.join(ROOT, "ci", "rollback.sh")
VALIDATE = os.path.join(ROOT, "ci", "validate-deployment.sh")

V1 = "1.0.0+deploytest.1"
V2 = "1.0.0+deploytest.2"


class Deployment:
    def __init__(self, state_dir, port):
        self.state = state_dir
        self.port = port
        self.url = "http://127.0.0.1:%d" % port
        env = {k: v for k, v in os.environ.items() if k not in support.CONFIG_VARS}
        for key in list(env):
            if key.startswith(("DEPLOY_", "VALIDATE_")) or key in ("FINDASH_VERSION", "TOKEN"):
                del env[key]
        env.update({
            "DEPLOY_MODE": "local",
            "DEPLOY_STATE_DIR": state_dir,
            "DEPLOY_PORT": str(port),
            "DEPLOY_BINARY": os.environ["FINDASH_BIN"],
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "MEMCACHED_SERVERS": os.environ["MEMCACHED_SERVERS"],
            "JWT_SECRET": support.TEST_SECRET,
            "DRAIN_TIMEOUT": "10",
        })
        self.env = env
        self.token = support.make_token(tenant_type="user", tenant_id="deploy_load", ttl=3600)

    def run(self, *cmd, timeout=240, **extra_env):
        env = dict(self.env)
        for key, value in extra_env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = str(value)
        started = time.monotonic()
        proc = subprocess.run(list(cmd), cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        proc.seconds = time.monotonic() - started
        return proc

    def deploy(self, version, **extra_env):
        return self.run(DEPLOY, "staging", FINDASH_VERSION=version, **extra_env)

    def version(self):
        status, _, body = support.get_json(self.url, "/health/dashboard")
        assert status == 200, "GET %s/health/dashboard: %s %s\n%s" % (self.url, status, body, self.logs())
        return body["version"]

    def logs(self):
        """Every log of the deployment (`ci/deploy.sh staging --logs`), for failure messages."""
        proc = self.run(DEPLOY, "staging", "--status", timeout=60)
        logs = self.run(DEPLOY, "staging", "--logs", "15", timeout=60)
        return "--- ci/deploy.sh staging --status\n%s%s\n--- ci/deploy.sh staging --logs 15\n%s%s" % (
            proc.stdout, proc.stderr, logs.stdout[-8000:], logs.stderr[-2000:])

    def replicas(self, colour):
        """[(index, port, pid, start)] of a colour, as ci/deploy.sh recorded them."""
        path = os.path.join(self.state, colour, "replicas")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [tuple(int(x) for x in line.split()) for line in f if line.strip()]

    def live_colour(self):
        with open(os.path.join(self.state, "colour")) as f:
            return f.read().strip()


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _explain(proc):
    return "exit %s after %.1f s\n--- stdout\n%s\n--- stderr\n%s" % (
        proc.returncode, proc.seconds, proc.stdout[-6000:], proc.stderr[-10000:])


@pytest.fixture(autouse=True)
def _deployment_logs_on_failure(request):
    """When a test of this file fails, print the deployment's status and logs."""
    yield
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed and "staging" in request.fixturenames:
        print(request.getfixturevalue("staging").logs())


@pytest.fixture(scope="module")
def staging(tmp_path_factory):
    if not shutil.which("nginx"):
        pytest.fail("nginx is not installed (scripts/deps.sh installs nginx-light)")
    state = str(tmp_path_factory.mktemp("deploy-staging"))
    dep = Deployment(state, support.free_port())
    try:
        yield dep
    finally:
        proc = dep.run(DEPLOY, "staging", "--stop", timeout=120)
        leftovers = [pid for colour in ("blue", "green") for (_, _, pid, _) in dep.replicas(colour) if _alive(pid)]
        pid_file = os.path.join(state, "nginx", "nginx.pid")
        if os.path.exists(pid_file):
            with open(pid_file) as f:
                nginx_pid = int(f.read().strip() or 0)
            if nginx_pid and _alive(nginx_pid):
                leftovers.append(nginx_pid)
        assert proc.returncode == 0, _explain(proc)
        assert not leftovers, "processes left after ci/deploy.sh staging --stop: %s" % leftovers


class Load:
    """Client threads hammering the balancer until stop(): `keepalive` threads reuse one
    connection, `fresh` threads open one per request. Paths rotate over /health, the cached
    full dashboard and /health/dashboard (whose version is recorded in order of arrival)."""

    def __init__(self, url, token, keepalive=3, fresh=2, pause=0.001):
        self.host, port = url.rsplit("//", 1)[1].split(":")
        self.port = int(port)
        self.token = token
        self.pause = pause
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.ok = 0
        self.failures = []
        self.stale_retries = 0
        self.versions = []      # (time.monotonic() at the answer, version), in order of arrival
        self.threads = [threading.Thread(target=self._worker, args=(True, i), daemon=True) for i in range(keepalive)]
        self.threads += [threading.Thread(target=self._worker, args=(False, i), daemon=True) for i in range(fresh)]

    PATHS = ("/health", "/financial/dashboard", "/health/dashboard")

    def start(self):
        for t in self.threads:
            t.start()
        deadline = time.monotonic() + 10
        while self.ok < 50 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.ok >= 50, "the load did not get going: %s" % self.failures[:5]
        return self

    def stop(self):
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=30)

    def _once(self, conn, path):
        headers = {"Authorization": "Bearer " + self.token} if path.startswith("/financial") else {}
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read(), (resp.getheader("Connection") or "").lower()

    def _worker(self, keepalive, n):
        conn = None
        i = n
        while not self.stop_event.is_set():
            path = self.PATHS[i % len(self.PATHS)]
            i += 1
            for attempt in (1, 2):
                reused = conn is not None
                if conn is None:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=15)
                try:
                    status, body, connection = self._once(conn, path)
                except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                    conn.close()
                    conn = None
                    if reused and attempt == 1:
                        with self.lock:
                            self.stale_retries += 1
                        continue
                    with self.lock:
                        self.failures.append("%s: %r" % (path, exc))
                    break
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = None
                    with self.lock:
                        self.failures.append("%s: %r" % (path, exc))
                    break
                with self.lock:
                    if status == 200:
                        self.ok += 1
                        if path == "/health/dashboard":
                            self.versions.append((time.monotonic(), json.loads(body)["version"]))
                    else:
                        self.failures.append("%s: HTTP %d %r" % (path, status, body[:200]))
                if not keepalive or connection == "close":
                    conn.close()
                    conn = None
                break
            time.sleep(self.pause)
        if conn is not None:
            conn.close()

    def seen(self, after=None, before=None):
        """The versions answered in a time window, in order, repeats collapsed."""
        out = []
        for t, v in self.versions:
            if (after is None or t > after) and (before is None or t < before) and (not out or out[-1] != v):
                out.append(v)
        return out

    def window(self):
        """Seconds during which both versions answered (first answer of the last version seen
        to the last answer of any other one)."""
        if not self.versions:
            return 0.0
        last = self.versions[-1][1]
        first_new = next(t for t, v in self.versions if v == last)
        last_old = max((t for t, v in self.versions if v != last), default=first_new)
        return max(0.0, last_old - first_new)

    def report(self):
        seen = self.seen()
        return ("%d ok, %d failed, %d stale keep-alive retries; versions %s -> %s, both answering for %.3f s; "
                "first failures: %s" % (self.ok, len(self.failures), self.stale_retries, seen[0] if seen else None,
                                        seen[-1] if seen else None, self.window(), self.failures[:5]))

    def check_switch(self, old, new, started, finished):
        """Only `old` before the command started, only `new` after it returned (while nginx's
        old workers finish, both answer: no order is promised inside the window)."""
        assert self.seen(before=started) == [old], self.report()
        assert self.seen(after=finished) == [new], self.report()


LEVEL_RE = re.compile(r"^(L[1-7]) (\w+): (PASS|FAIL|SKIP)(?: \((.*)\))?$", re.M)


# ----------------------------------------------------------------------------- 1. deploy + L1–L7

def test_staging_deploys_two_replicas_behind_nginx_and_validates_at_every_level(staging):
    proc = staging.deploy(V1)
    assert proc.returncode == 0, _explain(proc)
    assert "deploy: staging %s (release 0001) on blue, 2 replica(s): %s" % (V1, staging.url) in proc.stdout, _explain(proc)
    assert staging.version() == V1
    replicas = staging.replicas("blue")
    assert len(replicas) == 2 and all(_alive(pid) for (_, _, pid, _) in replicas), replicas

    status = staging.run(DEPLOY, "staging", "--status")
    assert status.returncode == 0, _explain(status)
    assert "release       0001  version %s  colour blue" % V1 in status.stdout, status.stdout
    assert status.stdout.count(": running, /health 200") == 2, status.stdout

    # Each replica directly and the balancer: the balancer never serves /metrics.
    for (_, port, _, _) in replicas:
        assert support.request("http://127.0.0.1:%d" % port, "GET", "/metrics")[0] == 200
    assert support.request(staging.url, "GET", "/metrics")[0] == 404

    proc = staging.run(VALIDATE, "staging", timeout=600, VALIDATE_L7="live", VALIDATE_L6_DURATION="3")
    levels = {m.group(1): m for m in LEVEL_RE.finditer(proc.stdout)}
    assert sorted(levels) == ["L1", "L2", "L3", "L4", "L5", "L6", "L7"], _explain(proc)
    not_passed = {k: m.group(0) for k, m in levels.items() if m.group(3) != "PASS"}
    assert not not_passed, "levels that did not pass: %s\n%s" % (not_passed, _explain(proc))
    assert proc.returncode == 0, _explain(proc)
    assert re.search(r"^verdict: PASS \(7 passed, 0 skipped", proc.stdout, re.M), proc.stdout
    # What each level says it checked.
    assert "2 replica(s) run" in levels["L2"].group(4)
    assert "on 2 replica(s) and the balancer" in levels["L3"].group(4)
    assert "documented endpoints answered as documented" in levels["L4"].group(4)
    assert "tenant isolation and freshness" in levels["L5"].group(4) and "on 3 target(s)" in levels["L5"].group(4)
    assert "p99" in levels["L6"].group(4)
    assert "passed" in levels["L7"].group(4)


# ----------------------------------------------------------------------------- 2. blue-green under load

def test_blue_green_switch_under_load_fails_no_request(staging):
    assert staging.version() == V1, "test 1 must have deployed %s" % V1
    old = staging.replicas("blue")
    load = Load(staging.url, staging.token).start()
    try:
        started = time.monotonic()
        proc = staging.deploy(V2)
        finished = time.monotonic()
        time.sleep(1.0)
    finally:
        load.stop()
    assert proc.returncode == 0, _explain(proc)
    print("blue-green switch: deploy took %.1f s; load: %s" % (proc.seconds, load.report()))
    assert not load.failures, load.report()
    load.check_switch(V1, V2, started, finished)
    assert staging.version() == V2
    assert staging.live_colour() == "green"
    assert not any(_alive(pid) for (_, _, pid, _) in old), "the old colour still runs: %s" % old
    assert len(staging.replicas("green")) == 2


# ----------------------------------------------------------------------------- 3. rollback under load

def test_rollback_returns_to_the_previous_release_under_load(staging):
    assert staging.version() == V2, "test 2 must have deployed %s" % V2
    listing = staging.run(ROLLBACK, "staging", "--list")
    assert listing.returncode == 0, _explain(listing)
    assert re.search(r"^0001  %s .*\(previous\)$" % re.escape(V1), listing.stdout, re.M), listing.stdout
    assert re.search(r"^0002  %s .*\(current\)$" % re.escape(V2), listing.stdout, re.M), listing.stdout

    old = staging.replicas("green")
    load = Load(staging.url, staging.token).start()
    try:
        started = time.monotonic()
        proc = staging.run(ROLLBACK, "staging")
        finished = time.monotonic()
        time.sleep(1.0)
    finally:
        load.stop()
    assert proc.returncode == 0, _explain(proc)
    print("rollback: took %.1f s; load: %s" % (proc.seconds, load.report()))
    assert "rollback: staging %s (release 0001) on blue" % V1 in proc.stdout, _explain(proc)
    assert not load.failures, load.report()
    load.check_switch(V2, V1, started, finished)
    assert staging.version() == V1
    assert not any(_alive(pid) for (_, _, pid, _) in old), "the rolled-back colour still runs: %s" % old
    with open(os.path.join(staging.state, "history")) as f:
        history = f.read()
    assert re.search(r"\trollback\tok\trelease=0001 version=%s colour=blue" % re.escape(V1), history), history


# ----------------------------------------------------------------------------- 4. failed releases

def test_failed_releases_are_stopped_and_the_old_one_keeps_serving(staging, tmp_path):
    assert staging.version() == V1
    serving = staging.replicas("blue")
    load = Load(staging.url, staging.token, keepalive=2, fresh=1).start()
    try:
        # A binary that does not even run: `findash migrate` fails, nothing starts.
        broken = tmp_path / "findash-broken"
        broken.write_text("#!/bin/sh\necho 'findash: this release is broken' >&2\nexit 1\n")
        broken.chmod(0o755)
        proc = staging.deploy("9.9.9+broken", DEPLOY_BINARY=str(broken))
        assert proc.returncode == 1, _explain(proc)
        assert "findash migrate FAILED (nothing switched)" in proc.stderr, _explain(proc)
        assert staging.replicas("green") == [], "a broken release left replicas behind"

        # A release that starts and answers /health but whose dashboard routes are broken
        # (they answer 404): its smoke test fails.
        regressed = tmp_path / "findash-regressed"
        regressed.write_text("#!/bin/sh\nDASHBOARD_ENABLED=false exec '%s' \"$@\"\n" % os.environ["FINDASH_BIN"])
        regressed.chmod(0o755)
        proc = staging.deploy("9.9.9+dashboard-off", DEPLOY_BINARY=str(regressed))
        assert proc.returncode == 1, _explain(proc)
        assert "smoke test FAILED" in proc.stderr, _explain(proc)
        assert "did not pass its checks and was stopped; blue still serves" in proc.stderr, _explain(proc)
        started = re.findall(r"green replica \d: port \d+, pid (\d+)", proc.stderr)
        assert len(started) == 2, _explain(proc)
        assert not any(_alive(int(pid)) for pid in started), "the failed colour was not stopped: %s" % started
        time.sleep(0.5)
    finally:
        load.stop()
    assert not load.failures, load.report()
    assert load.seen() == [V1], load.report()
    assert staging.version() == V1
    assert staging.live_colour() == "blue"
    assert staging.replicas("blue") == serving and all(_alive(pid) for (_, _, pid, _) in serving)
    with open(os.path.join(staging.state, "history")) as f:
        history = f.read()
    assert "\tdeploy\tfailed\trelease=0003 version=9.9.9+broken step=migrate" in history, history
    assert "\tdeploy\tfailed\trelease=0004 version=9.9.9+dashboard-off step=validate" in history, history
    # The failed releases are not "previous": a rollback would still go to release 2.
    with open(os.path.join(staging.state, "previous")) as f:
        assert f.read().strip() == "0002"


# ----------------------------------------------------------------------------- 5. feature flag

def test_feature_flag_redeploys_the_current_release_with_the_dashboard_off_and_on(staging, tmp_path):
    assert staging.version() == V1
    flag = tmp_path / "dashboard-off.env"
    flag.write_text("# the rollback plan's feature flag\nDASHBOARD_ENABLED=false\n")
    proc = staging.run(DEPLOY, "staging", "--release", "0001", DEPLOY_ENV_FILE=str(flag))
    assert proc.returncode == 0, _explain(proc)
    assert "dashboard off (DASHBOARD_ENABLED=false): 404 as intended" in proc.stderr, _explain(proc)
    status, _, body = support.get_json(staging.url, "/financial/dashboard/summary", token=staging.token)
    assert status == 404, body
    status, _, body = support.get_json(staging.url, "/health/dashboard")
    assert status == 200 and body["services"]["dashboard"]["status"] == "disabled", body

    proc = staging.run(DEPLOY, "staging", "--release", "0001")
    assert proc.returncode == 0, _explain(proc)
    status, _, body = support.get_json(staging.url, "/financial/dashboard/summary", token=staging.token)
    assert status == 200, body
    with open(os.path.join(staging.state, "previous")) as f:
        assert f.read().strip() == "0002", "redeploying the current release must not change 'previous'"
