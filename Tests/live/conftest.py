"""pytest fixtures for the live tests (Tests/live), run by `make test`.

The live tests talk to the release binary over real sockets, with the PostgreSQL and
memcached that scripts/services.sh started. They need FINDASH_BIN, DATABASE_URL and
MEMCACHED_SERVERS; when one is missing the run stops with an error — never a skip.

Fixtures
- findash            session-wide server (FindashServer), started once
- start_findash      factory: start_findash(**env_overrides) -> started FindashServer,
                     stopped (SIGTERM) at the end of the test
- psql               psql(sql, *args) -> stdout; the schema is migrated first
- migrated           runs `findash migrate` once per session
- http               namespace with .request(...) and .get_json(...) (see support.py)
- get_json           support.get_json
- services           services(action): scripts/services.sh ACTION $FINDASH_SERVICES_DIR

Every test is bounded: after FINDASH_TEST_TIMEOUT seconds (default 300, setup and
teardown included) the run prints every thread's stack and exits with status 3, so that
a hung server cannot hang CI.
"""

import atexit
import faulthandler
import os
import resource
import sys
import threading
import types

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import support  # noqa: E402
from support import FindashServer  # noqa: E402

TEST_TIMEOUT = float(os.environ.get("FINDASH_TEST_TIMEOUT", "300"))

atexit.register(support.stop_all_servers)


def _raise_fd_limit():
    # Many-connection tests (500 concurrent clients, connection limits) need more than
    # the usual 1024 descriptors, in this process and in the servers it starts.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft == resource.RLIM_INFINITY or soft >= want:
        return
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    except (ValueError, OSError):
        pass


_raise_fd_limit()


def pytest_configure(config):
    try:
        support.require_env()
    except support.LiveTestSetupError as exc:
        raise pytest.UsageError("findash live tests: %s" % exc)


def _watchdog_fire(item):
    # Out of pytest's output capture first, or the stacks would vanish with the process.
    capman = item.config.pluginmanager.getplugin("capturemanager")
    try:
        if capman is not None:
            capman.suspend_global_capture(in_=True)
    except Exception:  # noqa: BLE001 — best effort; exiting matters more
        pass
    sys.stderr.write("\n!!! %s still running after %.0f s (FINDASH_TEST_TIMEOUT): "
                     "stacks of every thread follow, then the run stops.\n" % (item.nodeid, TEST_TIMEOUT))
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
    sys.stderr.flush()
    support.stop_all_servers()
    os._exit(3)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    timer = threading.Timer(TEST_TIMEOUT, _watchdog_fire, args=(item,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


def _failed(node):
    return any(getattr(getattr(node, "rep_" + when, None), "failed", False)
               for when in ("setup", "call"))


@pytest.fixture(scope="session")
def live_log_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("findash-logs"))


@pytest.fixture(scope="session")
def findash(live_log_dir):
    """The session's server: default settings (ENVIRONMENT=testing, JWT_SECRET=TEST_SECRET)."""
    server = FindashServer(log_dir=live_log_dir, name="session").start()
    yield server
    crashed = not server.alive()
    rc = server.stop(timeout=25)
    if crashed or rc != 0:
        raise AssertionError("the session's findash server %s (exit status %s)\n%s" % (
            "died during the tests" if crashed else "did not stop cleanly on SIGTERM",
            rc, server.log_tail(80)))


@pytest.fixture(autouse=True)
def _session_server_alive(request):
    """A test that uses the session server fails clearly if an earlier test killed it."""
    if "findash" in request.fixturenames:
        server = request.getfixturevalue("findash")
        if not server.alive():
            pytest.fail("the session's findash server is no longer running (exit status %s)\n%s"
                        % (server.proc.poll(), server.log_tail(80)))
    yield


@pytest.fixture
def start_findash(request, live_log_dir):
    """start_findash(**env_overrides) -> a started FindashServer of the test's own.
    Servers still running at the end of the test get SIGTERM (25 s, then SIGKILL);
    when the test failed, their log tails are printed."""
    servers = []

    def start(**env_overrides):
        name = request.node.name.replace("/", "_")[:60]
        server = FindashServer(log_dir=live_log_dir, name=name, **env_overrides)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop(timeout=25)
    if _failed(request.node):
        for server in servers:
            print(server.log_tail(80))


@pytest.fixture(scope="session")
def migrated():
    """`findash migrate` once per session (make test has run it already; it is idempotent)."""
    proc = support.run_findash("migrate", timeout=300)
    if proc.returncode != 0:
        pytest.fail("findash migrate failed (exit %d):\n%s%s" % (proc.returncode, proc.stdout, proc.stderr))
    return True


@pytest.fixture(scope="session")
def psql(migrated):
    """psql(sql, *args) -> stdout of the last statement (see support.psql)."""
    return support.psql


@pytest.fixture(scope="session")
def http():
    return types.SimpleNamespace(request=support.request, get_json=support.get_json,
                                 RawConnection=support.RawConnection)


@pytest.fixture(scope="session")
def get_json():
    return support.get_json


@pytest.fixture(scope="session")
def services():
    return support.services
