"""The deployment files are checked without Docker, and the checks have teeth.

ci/check-compose.sh (YAML lint, the Compose JSON schema for each file and each merged
base+override, each environment's shape, nginx -t, .env.example), ci/check-dockerfile.sh
and ci/check-prometheus.sh (promtool check config / check rules / test rules) must pass on
the checkout and fail on a copy with one thing broken. Nothing here is skipped: when a
tool cannot be installed the check scripts exit non-zero and the test fails.
"""

import filecmp
import os
import re
import shutil
import subprocess

import pytest

import support

ROOT = support.ROOT
CI = os.path.join(ROOT, "ci")

# Files the checkers read, copied so that a test can break one; the rest is linked.
COPIED = ["docker-compose.yml", "compose", "deploy", "Dockerfile", ".dockerignore", "Makefile",
          "Package.swift", ".env.example", "README.md"]
LINKED = ["Sources", "Tests", "scripts"]


def run(cmd, timeout=600, env=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=full_env)
    return proc.returncode, proc.stdout + proc.stderr


def deployment_copy(tmp_path):
    dest = tmp_path / "repo"
    dest.mkdir()
    for name in COPIED:
        src = os.path.join(ROOT, name)
        if os.path.isdir(src):
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    for name in LINKED:
        os.symlink(os.path.join(ROOT, name), dest / name)
    return dest


def edit(path, old, new, count=1):
    text = path.read_text()
    assert old in text, "%s does not contain %r (the test needs updating)" % (path, old)
    path.write_text(text.replace(old, new, count))


# ----------------------------------------------------------------------------- compose

def test_check_compose_passes_on_the_checkout():
    rc, out = run([os.path.join(CI, "check-compose.sh")])
    assert rc == 0, out
    assert "check-compose: all checks passed" in out
    for env in ("development", "testing", "staging", "production"):
        assert "ok    %s (merged): valid against the Compose schema" % env in out, out
        assert re.search(r"ok    %s: the design's shape" % env, out), out
    assert "ok    nginx -t: compose/nginx/production.conf" in out
    assert "ok    yamllint" in out


def test_committed_schema_copy_matches_the_shared_one():
    shared = os.path.join(os.path.dirname(ROOT), "shared", "schemas", "compose-spec.json")
    committed = os.path.join(CI, "schemas", "compose-spec.json")
    assert os.path.isfile(committed), "ci/schemas/compose-spec.json is missing (clean clones need it)"
    if os.path.isfile(shared):
        assert filecmp.cmp(shared, committed, shallow=False), \
            "ci/schemas/compose-spec.json differs from ../shared/schemas/compose-spec.json: copy it again"


COMPOSE_BREAKAGES = {
    # name: (file, old, new, what the output must say)
    "staging_one_replica": ("compose/docker-compose.staging.yml", "replicas: 2", "replicas: 1",
                            "FAIL  staging: the design's shape"),
    "production_no_memory_limit": ("compose/docker-compose.production.yml", "memory: 1G", "memory: 2G",
                                   "FAIL  production: the design's shape"),
    "testing_database_on_disk": ("compose/docker-compose.testing.yml", "type: tmpfs", "type: volume",
                                 "FAIL"),
    "yaml_syntax": ("compose/docker-compose.production.yml", "  nginx:\n", "  nginx:\n   bad: [\n",
                    "FAIL  yamllint"),
    "schema_unknown_key": ("compose/docker-compose.testing.yml", "    ports:\n      - \"8001:8000\"",
                           "    portz:\n      - \"8001:8000\"",
                           "FAIL  compose/docker-compose.testing.yml: valid against the Compose schema"),
    "app_variable_typo": ("compose/docker-compose.development.yml", "DASHBOARD_CACHE_TTL:", "DASHBOARD_CACHE_TTLL:",
                          "FAIL  development: merged model is consistent"),
    "secret_with_default": ("compose/docker-compose.staging.yml",
                            "${JWT_SECRET:?JWT_SECRET must be set for staging}", "${JWT_SECRET:-weak-default-secret}",
                            "FAIL  staging: refuses to start without its secrets"),
    "env_example_incomplete": (".env.example", "DB_POOL_SIZE=10\n", "",
                               "FAIL  .env.example: names all"),
    "unknown_build_target": ("compose/docker-compose.development.yml", "target: development", "target: devel",
                             "not a stage of the Dockerfile"),
    "nginx_bad_directive": ("deploy/nginx/findash-proxy.conf", "proxy_http_version 1.1;", "proxy_http_versionn 1.1;",
                            "FAIL  nginx -t"),
    "prometheus_not_allowed_to_scrape": ("compose/docker-compose.production.yml",
                                         "METRICS_ALLOW: 127.0.0.1,::1,172.28.0.250", "METRICS_ALLOW: 127.0.0.1,::1",
                                         "is not in app METRICS_ALLOW"),
}


def test_check_compose_passes_on_an_unbroken_copy(tmp_path):
    """The copy the breakage tests start from passes (so their failures are the breakage's)."""
    rc, out = run([os.path.join(CI, "check-compose.sh"), str(deployment_copy(tmp_path))])
    assert rc == 0, out


@pytest.mark.parametrize("breakage", sorted(COMPOSE_BREAKAGES))
def test_check_compose_fails_on_a_broken_copy(tmp_path, breakage):
    path, old, new, expected = COMPOSE_BREAKAGES[breakage]
    repo = deployment_copy(tmp_path)
    edit(repo / path, old, new)
    rc, out = run([os.path.join(CI, "check-compose.sh"), str(repo)])
    assert rc == 1, "check-compose.sh passed with %s broken:\n%s" % (breakage, out)
    assert expected in out, out


# ----------------------------------------------------------------------------- Dockerfile

def _dockerfile_check(repo=None):
    cmd = [os.path.join(CI, "check-dockerfile.sh")] + ([str(repo)] if repo else [])
    return run(cmd, env={"FINDASH_BIN": os.environ["FINDASH_BIN"]})


def test_check_dockerfile_passes_on_the_checkout():
    rc, out = _dockerfile_check()
    assert rc == 0, out
    for line in ("stages development, testing and production exist",
                 "production runs as a non-root user",
                 "production has a HEALTHCHECK on /health",
                 "production STOPSIGNAL SIGTERM",
                 "every library the binary needs is in the production image"):
        assert "ok    " + line in out, out


DOCKERFILE_BREAKAGES = {
    "runs_as_root": ("USER findash:findash", "USER root", "FAIL  production runs as a non-root user"),
    "no_healthcheck": ("HEALTHCHECK --interval", "# HEALTHCHECK --interval", "FAIL  production has a HEALTHCHECK"),
    "stop_signal": ("STOPSIGNAL SIGTERM", "STOPSIGNAL SIGKILL", "FAIL  production STOPSIGNAL SIGTERM"),
    "missing_stage": ("AS testing", "AS tests", "FAIL  stages development, testing and production exist"),
    "missing_library": (" libmemcachedutil2", "", "FAIL  every library the binary needs"),
    "toolchain_in_runtime": ("ca-certificates curl", "ca-certificates curl build-essential",
                             "FAIL  production installs only runtime libraries"),
    "unknown_make_target": ("RUN make release \\", "RUN make release-it \\", "FAIL  make targets called exist"),
    "no_make_in_swift_image": ("--no-install-recommends make", "--no-install-recommends",
                               "FAIL  make is installed before the first `make`"),
    "shell_form_cmd": ('CMD ["findash", "serve"]', "CMD findash serve", "FAIL  production CMD runs findash in exec form"),
}


def test_check_dockerfile_passes_on_an_unbroken_copy(tmp_path):
    rc, out = _dockerfile_check(deployment_copy(tmp_path))
    assert rc == 0, out


@pytest.mark.parametrize("breakage", sorted(DOCKERFILE_BREAKAGES))
def test_check_dockerfile_fails_on_a_broken_copy(tmp_path, breakage):
    old, new, expected = DOCKERFILE_BREAKAGES[breakage]
    repo = deployment_copy(tmp_path)
    # The production stage is the last one: break the last occurrence.
    text = (repo / "Dockerfile").read_text()
    assert old in text, "the Dockerfile no longer contains %r (the test needs updating)" % old
    head, _, tail = text.rpartition(old)
    (repo / "Dockerfile").write_text(head + new + tail)
    rc, out = _dockerfile_check(repo)
    assert rc == 1, "check-dockerfile.sh passed with %s:\n%s" % (breakage, out)
    assert expected in out, out


# ----------------------------------------------------------------------------- Prometheus

def test_promtool_checks_pass_on_the_deploy_files():
    rc, out = run([os.path.join(CI, "check-prometheus.sh")])
    assert rc == 0, out
    for line in ("promtool check config deploy/prometheus.yml", "promtool check rules deploy/alerts.yml",
                 "promtool test rules deploy/alerts_test.yml"):
        assert "ok    " + line in out, out


def test_alerts_cover_the_design():
    import yaml  # installed by ci/check-compose.sh when missing
    with open(os.path.join(ROOT, "deploy", "alerts.yml"), encoding="utf-8") as f:
        all_rules = [r for g in yaml.safe_load(f)["groups"] for r in g["rules"]]
    rules = {r["alert"]: r["expr"] for r in all_rules}
    text = "\n".join(rules.values())
    for rule in all_rules:
        runbook = rule.get("annotations", {}).get("runbook", "")
        assert runbook and os.path.isfile(os.path.join(ROOT, runbook)), \
            "alert %s: runbook %r does not exist" % (rule["alert"], runbook)
    assert re.search(r"status=~\"5\.\.\".*\n.*> 0\.01", text), "error rate > 1 %"
    assert "histogram_quantile(0.99" in text and "> 0.5" in text, "p99 > 500 ms"
    assert "dashboard_cache_hits_total" in text and "< 0.7" in text, "cache hit ratio < 70 %"
    assert "process_cpu_seconds_total" in text and "> 0.8" in text, "CPU > 80 %"
    assert "process_resident_memory_bytes" in text and "0.8 * 1073741824" in text, "memory > 80 % of 1 GB"


PROMETHEUS_BREAKAGES = {
    "bad_promql": ("deploy/alerts.yml", "> 0.01", "> > 0.01", "FAIL  promtool check rules"),
    "threshold_drift": ("deploy/alerts.yml", "> 0.01", "> 0.05", "FAIL  promtool test rules"),
    "bad_scrape_config": ("deploy/prometheus.yml", "scrape_interval: 15s", "scrape_interval: fifteen",
                          "FAIL  promtool check config"),
    "missing_rule_file": ("deploy/prometheus.yml", "- alerts.yml", "- alerts-missing.yml",
                          "FAIL  promtool check config"),
}


def test_promtool_checks_pass_on_an_unbroken_copy(tmp_path):
    rc, out = run([os.path.join(CI, "check-prometheus.sh"), str(deployment_copy(tmp_path))])
    assert rc == 0, out


@pytest.mark.parametrize("breakage", sorted(PROMETHEUS_BREAKAGES))
def test_promtool_checks_fail_on_a_broken_copy(tmp_path, breakage):
    path, old, new, expected = PROMETHEUS_BREAKAGES[breakage]
    repo = deployment_copy(tmp_path)
    edit(repo / path, old, new)
    rc, out = run([os.path.join(CI, "check-prometheus.sh"), str(repo)])
    assert rc == 1, "check-prometheus.sh passed with %s:\n%s" % (breakage, out)
    assert expected in out, out


# ----------------------------------------------------------------------------- scripts

def test_ops_scripts_pass_shellcheck():
    scripts = [os.path.join(ROOT, "scripts", s) for s in ("smoke-test.sh", "health-check.sh")]
    scripts += sorted(os.path.join(CI, s) for s in os.listdir(CI) if s.endswith(".sh"))
    proc = subprocess.run(["shellcheck", "-x"] + scripts, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
