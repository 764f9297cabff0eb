"""Every shell block of README.md and docs/**/*.md runs as written and exits 0.

Each ```sh / ```bash block is one test (id: file:line), run with `bash -e` (every command of
the block must succeed; a pipeline counts as its last command, as a reader sees it), from a
throw-away copy of the checkout's top level (symlinks, so `scripts/…`, `ci/…` and the
sources are the real ones) whose `.local/run/env` and `.local/run/jwt_secret` describe this
test's services, exactly as `make run` would write them. The variables the docs expect
(docs/runbooks/README.md, "Conventions") are set:

- BASE_URL: a findash started for this module (settings of the live tests: ENVIRONMENT=
  testing, JWT_SECRET=support.TEST_SECRET, the DATABASE_URL / MEMCACHED_SERVERS of `make test`);
- TOKEN: a token of that secret for user/user_0001; DATABASE_URL, MEMCACHED_SERVERS and
  FINDASH_SERVICES_DIR: those of `make test`;
- DEPLOY_ENV=staging, with DEPLOY_STATE_DIR / DEPLOY_PORT pointing at a staging deployment
  of this module's own (two releases deployed before the first block, so that rollbacks have
  somewhere to go; stopped at the end), DEPLOY_BINARY=FINDASH_BIN, JWT_SECRET=TEST_SECRET;
  VALIDATE_L7=skip (the docs test runs inside `make test`: no suite within the suite),
  VALIDATE_LEVELS="L2 L3 L4" and VALIDATE_L6_DURATION=2 to keep validations short
  (tests/test_deploy_local.py runs every level);
- CANDIDATE_PORT: a free port for the candidate of docs/runbooks/failed-deployment.md.

Two adaptations, both mechanical: `swift build -c release --show-bin-path` answers with
FINDASH_BIN's directory (a `swift` shim first on PATH; `make test` built FINDASH_BIN with that
very command), and the fixed addresses `http://localhost:8000` / `http://127.0.0.1:8000` of
README.md and the setup blocks become BASE_URL's (8000 may belong to a developer's `make run`).

Blocks run in document order, files in this order: README.md, docs/*.md except
deployment.md, docs/runbooks/*.md, docs/deployment.md last (its walk-through ends with
`ci/deploy.sh staging --stop`).

Blocks that are not run, each reported as a skip with its reason (`pytest -rs`):
- in the docs this project's deployment work owns, a comment on the line before the fence:
  `<!-- docs-test: skip: REASON -->` (Docker-only blocks);
- elsewhere, the SKIP table below: long-running commands (`make run`, `make test`,
  `make bench`) and the README's command synopsis (placeholders, not commands).
A block that would run `make run`, `make test`, `make bench` or `docker` without being named
either way fails (it is never run).
"""

import glob
import os
import re
import shutil
import subprocess
import tempfile

import pytest

import support
from support import FindashServer, make_token

ROOT = support.ROOT
DEPLOY = os.path.join(ROOT, "ci", "deploy.sh")

# (file, first line of the block) -> why it is not run.
SKIP = {
    ("README.md", "make run    # install what is missing, build, start PostgreSQL + memcached, migrate,"):
        "long-running: `make run` serves until Ctrl-C, and `make test` is this very suite",
    ("docs/performance.md", "make bench                                        # the full run: 2,000 tenants, 5,000,000 transactions"):
        "long-running: the benchmark (minutes, millions of rows)",
}

MARKER_RE = re.compile(r"<!--\s*docs-test:\s*skip:\s*(.*?)\s*-->")
FENCE_RE = re.compile(r"^```(sh|bash|shell)[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
FIXED_URL_RE = re.compile(r"http://(?:localhost|127\.0\.0\.1):8000(?![0-9])")


def _doc_files():
    docs = sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    last = [p for p in docs if os.path.basename(p) == "deployment.md"]
    docs = [p for p in docs if p not in last]
    runbooks = sorted(glob.glob(os.path.join(ROOT, "docs", "runbooks", "*.md")))
    deeper = sorted(p for p in glob.glob(os.path.join(ROOT, "docs", "**", "*.md"), recursive=True)
                    if p not in docs + runbooks + last)
    return [os.path.join(ROOT, "README.md")] + docs + runbooks + deeper + last


def _blocks():
    out = []
    for path in _doc_files():
        rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in FENCE_RE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            before = text[:m.start()].rstrip("\n").rsplit("\n", 2)[-2:]
            marker = None
            for candidate in reversed(before):
                found = MARKER_RE.search(candidate)
                if found:
                    marker = found.group(1)
                    break
                if candidate.strip():
                    break
            body = m.group(2)
            first = next((ln for ln in body.splitlines() if ln.strip()), "")
            reason = marker or SKIP.get((rel, first.rstrip()))
            out.append(pytest.param(rel, line, body, reason, id="%s:%d" % (rel, line)))
    return out


BLOCKS = _blocks()


def test_the_skip_table_names_blocks_that_exist():
    present = {(b.values[0], next((ln for ln in b.values[2].splitlines() if ln.strip()), "").rstrip())
               for b in BLOCKS}
    stale = [key for key in SKIP if key not in present]
    assert not stale, "SKIP entries that match no block any more (update the table): %s" % stale


@pytest.fixture(scope="module")
def docs_env(tmp_path_factory, live_log_dir):
    work = str(tmp_path_factory.mktemp("docs-commands"))
    sandbox = os.path.join(work, "checkout")
    os.mkdir(sandbox)
    for name in os.listdir(ROOT):
        if name not in (".local", ".git"):
            os.symlink(os.path.join(ROOT, name), os.path.join(sandbox, name))
    run_dir = os.path.join(sandbox, ".local", "run")
    os.makedirs(run_dir)
    with open(os.path.join(run_dir, "env"), "w") as f:
        for name in ("DATABASE_URL", "MEMCACHED_SERVERS", "FINDASH_SERVICES_DIR"):
            f.write("export %s=%s\n" % (name, os.environ.get(name, "")))
    with open(os.path.join(run_dir, "jwt_secret"), "w") as f:
        f.write(support.TEST_SECRET)

    # `swift build -c release --show-bin-path` -> a directory whose findash is FINDASH_BIN.
    bin_path = os.path.join(work, "release-bin")
    os.mkdir(bin_path)
    os.symlink(os.environ["FINDASH_BIN"], os.path.join(bin_path, "findash"))
    shim_dir = os.path.join(work, "shim")
    os.mkdir(shim_dir)
    real_swift = shutil.which("swift") or (os.path.exists("/opt/swift/usr/bin/swift") and "/opt/swift/usr/bin/swift") or "false"
    with open(os.path.join(shim_dir, "swift"), "w") as f:
        f.write('#!/bin/sh\n# test_docs_commands.py: the release build under test is FINDASH_BIN\n'
                'if [ "$*" = "build -c release --show-bin-path" ]; then echo %s; exit 0; fi\n'
                'exec %s "$@"\n' % (bin_path, real_swift))
    os.chmod(os.path.join(shim_dir, "swift"), 0o755)

    server = FindashServer(log_dir=live_log_dir, name="docs-commands").start()
    env = {k: v for k, v in os.environ.items()
           if k not in support.CONFIG_VARS and not k.startswith(("DEPLOY_", "VALIDATE_"))
           and k not in ("TOKEN", "BASE_URL", "FINDASH_VERSION")}
    env.update({
        "PATH": shim_dir + os.pathsep + os.environ.get("PATH", ""),
        "BASE_URL": server.url,
        "TOKEN": make_token(tenant_type="user", tenant_id="user_0001", ttl=3600),
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "MEMCACHED_SERVERS": os.environ["MEMCACHED_SERVERS"],
        "FINDASH_SERVICES_DIR": os.environ.get("FINDASH_SERVICES_DIR", ""),
        "JWT_SECRET": support.TEST_SECRET,
        "DEPLOY_ENV": "staging",
        "DEPLOY_MODE": "local",
        "DEPLOY_STATE_DIR": os.path.join(work, "deploy-staging"),
        "DEPLOY_PORT": str(support.free_port()),
        # failed-deployment.md's candidate: a free port, not the fixed default 18999, which
        # another run on this machine may use at the same time (SO_REUSEPORT lets both bind).
        "CANDIDATE_PORT": str(support.free_port()),
        "DEPLOY_BINARY": os.environ["FINDASH_BIN"],
        "DRAIN_TIMEOUT": "10",
        "VALIDATE_L7": "skip",
        "VALIDATE_LEVELS": "L2 L3 L4",
        "VALIDATE_L6_DURATION": "2",
    })
    for version in ("0.1.0-docs.1", "0.1.0-docs.2"):
        proc = subprocess.run([DEPLOY, "staging"], cwd=sandbox, env=dict(env, FINDASH_VERSION=version),
                              capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, "setup: ci/deploy.sh staging failed:\n%s%s" % (proc.stdout, proc.stderr)
    try:
        yield {"cwd": sandbox, "env": env, "server": server}
    finally:
        subprocess.run([DEPLOY, "staging", "--stop"], cwd=sandbox, env=env, capture_output=True,
                       timeout=120, stdin=subprocess.DEVNULL)
        server.stop()


@pytest.mark.parametrize("rel,line,body,reason", BLOCKS)
def test_doc_block_runs(docs_env, rel, line, body, reason):
    if reason:
        pytest.skip("%s:%d not run: %s" % (rel, line, reason))
    # A safety net for blocks the table or a marker should name but does not (say the README's
    # first line changed): never start `make run` / `make test` / `make bench` or Docker here.
    unsafe = re.search(r"^\s*(?:[A-Z_]+=\S*\s+)*(make (?:run|test|bench)\b|docker\b)", body, re.M)
    if unsafe:
        pytest.fail("%s:%d runs `%s`, which this test never runs: add the block to SKIP (or a "
                    "`<!-- docs-test: skip: REASON -->` line before it) with the reason" % (rel, line, unsafe.group(1)))
    script = FIXED_URL_RE.sub(docs_env["env"]["BASE_URL"], body)
    proc = subprocess.run(["bash", "-e", "-c", script], cwd=docs_env["cwd"], env=docs_env["env"],
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, "%s:%d exited %d\n--- block\n%s\n--- stdout\n%s\n--- stderr\n%s" % (
        rel, line, proc.returncode, script, proc.stdout[-4000:], proc.stderr[-6000:])
    if not docs_env["server"].alive():
        pytest.fail("%s:%d stopped the BASE_URL server\n%s" % (rel, line, docs_env["server"].log_tail(30)))
