"""`findash check-config` (issue 5, Deliver 6) and `findash serve` refusing the same bad
settings: the binary run directly with a controlled environment.

check-config validates like serve, prints NAME=value lines with secrets masked and a final
"configuration: ok" (exit 0); a bad value gives exit 2 and one line naming the variable,
and `serve` stops with the same line (non-zero exit)."""

import os
import re
import subprocess

import pytest

import support

SECRET = "cc-secret-7f3a9c1e5b2d4068aa"


def run(args, timeout=20, **overrides):
    """Runs the binary with FindashServer's environment (ENVIRONMENT=testing, JWT_SECRET,
    DATABASE_URL, …) plus overrides (None removes a variable)."""
    server = support.FindashServer(**overrides)
    env = server.build_env(support.free_port())
    return subprocess.run([server.binary] + list(args), env=env, cwd=support.ROOT, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def config_lines(stdout):
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert lines and lines[-1] == "configuration: ok", stdout
    values = {}
    for line in lines[:-1]:
        m = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line)
        assert m, "not a NAME=value line: %r" % line
        assert m.group(1) not in values, "%s printed twice" % m.group(1)
        values[m.group(1)] = m.group(2)
    return values


def password_forms(password):
    return [
        ("uri", "postgresql://findash:%s@127.0.0.1:5432/findash" % password),
        ("uri with query password", "postgresql://findash@127.0.0.1:5432/findash?password=%s&sslmode=disable" % password),
        ("keywords", "host=127.0.0.1 port=5432 user=findash password=%s dbname=findash" % password),
        ("quoted keywords", "host=127.0.0.1 user=findash password='%s x' dbname=findash" % password),
        ("several hosts", "postgresql://findash:%s@h1:5432,h2:5433/findash?target_session_attrs=read-write" % password),
    ]


# ----------------------------------------------------------------------------- valid settings

def test_valid_configuration_prints_every_setting_with_secrets_masked():
    db_url = os.environ["DATABASE_URL"]
    proc = run(["check-config"], ENVIRONMENT="staging", JWT_SECRET=SECRET, PORT="8123", LOG_LEVEL="warning",
               RATE_LIMIT_RPS="2.5", CORS_ALLOWED_ORIGINS="https://a.example,https://b.example",
               DASHBOARD_ENABLED="false", METRICS_ALLOW="10.0.0.7", MEMCACHED_TIMEOUT_MS="120")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    values = config_lines(proc.stdout)
    expected = {"ENVIRONMENT": "staging", "PORT": "8123", "LOG_LEVEL": "warning", "DASHBOARD_CACHE_TTL": "600",
                "RATE_LIMIT_BURST": "5", "DASHBOARD_ENABLED": "false", "METRICS_ALLOW": "10.0.0.7",
                "MEMCACHED_TIMEOUT_MS": "120"}
    for name, value in expected.items():
        assert values.get(name) == value, "%s=%r, want %r\n%s" % (name, values.get(name), value, proc.stdout)
    assert float(values["RATE_LIMIT_RPS"]) == 2.5
    assert "https://a.example" in values["CORS_ALLOWED_ORIGINS"] and "https://b.example" in values["CORS_ALLOWED_ORIGINS"]
    assert "DATABASE_URL" in values and "127.0.0.1" in values["DATABASE_URL"], values
    everything = proc.stdout + proc.stderr
    password = db_url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    assert SECRET not in everything and SECRET[-16:] not in everything, "JWT_SECRET printed"
    assert password not in everything, "the database password printed"
    assert db_url not in everything


def test_defaults_and_environment_dependent_ttl():
    for environment, ttl in (("development", "60"), ("testing", "300"), ("staging", "600"), ("production", "1800")):
        proc = run(["check-config"], ENVIRONMENT=environment, JWT_SECRET=SECRET, PORT=None, LOG_LEVEL=None,
                   HOST=None, MEMCACHED_TIMEOUT_MS=None)
        assert proc.returncode == 0, (environment, proc.stdout + proc.stderr)
        values = config_lines(proc.stdout)
        assert values["DASHBOARD_CACHE_TTL"] == ttl, (environment, values)
        assert values["PORT"] == "8000" and values["HOST"] == "0.0.0.0" and values["LOG_LEVEL"] == "info", values
        assert values["MEMCACHED_TIMEOUT_MS"] == "50", values
        assert SECRET not in proc.stdout + proc.stderr


@pytest.mark.parametrize("form", [name for name, _ in password_forms("x")])
def test_database_password_masked_in_every_connection_string_form(form):
    password = "pw-" + "d41d8cd98f00b204"
    url = dict(password_forms(password))[form]
    proc = run(["check-config"], DATABASE_URL=url)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    everything = proc.stdout + proc.stderr
    assert password not in everything, "%s: password printed: %s" % (form, everything)
    assert config_lines(proc.stdout)["DATABASE_URL"], proc.stdout


def test_public_key_file_is_accepted_and_shown_without_its_contents(tmp_path):
    key = tmp_path / "jwt.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", str(tmp_path / "priv.pem")], check=True, capture_output=True, timeout=30)
    subprocess.run(["openssl", "pkey", "-in", str(tmp_path / "priv.pem"), "-pubout", "-out", str(key)],
                   check=True, capture_output=True, timeout=30)
    proc = run(["check-config"], ENVIRONMENT="production", JWT_SECRET=None, JWT_PUBLIC_KEY_FILE=str(key))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    config_lines(proc.stdout)
    body = key.read_text().splitlines()[1]
    assert body not in proc.stdout


# ----------------------------------------------------------------------------- invalid settings

INVALID = {
    # case: (overrides, the variable the one line must name)
    "port_zero": ({"PORT": "0"}, "PORT"),
    "port_text": ({"PORT": "http"}, "PORT"),
    "log_level_loud": ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
    "rate_negative": ({"RATE_LIMIT_RPS": "-1"}, "RATE_LIMIT_RPS"),
    "rate_zero": ({"RATE_LIMIT_RPS": "0"}, "RATE_LIMIT_RPS"),
    "rate_text": ({"RATE_LIMIT_RPS": "fast"}, "RATE_LIMIT_RPS"),
    "burst_zero": ({"RATE_LIMIT_RPS": "1", "RATE_LIMIT_BURST": "0"}, "RATE_LIMIT_BURST"),
    "burst_fraction": ({"RATE_LIMIT_RPS": "1", "RATE_LIMIT_BURST": "2.5"}, "RATE_LIMIT_BURST"),
    "environment_prod": ({"ENVIRONMENT": "prod"}, "ENVIRONMENT"),
    "missing_database_url": ({"DATABASE_URL": None}, "DATABASE_URL"),
    "no_jwt_key_in_staging": ({"ENVIRONMENT": "staging", "JWT_SECRET": None}, "JWT_SECRET"),
    "no_jwt_key_in_production": ({"ENVIRONMENT": "production", "JWT_SECRET": None}, "JWT_SECRET"),
    "public_key_unreadable": ({"JWT_SECRET": None, "JWT_PUBLIC_KEY_FILE": "/nonexistent/findash/key.pem"},
                              "JWT_PUBLIC_KEY_FILE"),
    "jwt_secret_short_in_production": ({"ENVIRONMENT": "production", "JWT_SECRET": "short-secret"}, "JWT_SECRET"),
    "jwt_secret_and_key_file": ({"JWT_PUBLIC_KEY_FILE": "/etc/hostname"}, "JWT_PUBLIC_KEY_FILE"),
    "dashboard_enabled_maybe": ({"DASHBOARD_ENABLED": "maybe"}, "DASHBOARD_ENABLED"),
    "cache_ttl_zero": ({"DASHBOARD_CACHE_TTL": "0"}, "DASHBOARD_CACHE_TTL"),
    "pool_size_huge": ({"DB_POOL_SIZE": "1000000"}, "DB_POOL_SIZE"),
    "memcached_timeout_zero": ({"MEMCACHED_TIMEOUT_MS": "0"}, "MEMCACHED_TIMEOUT_MS"),
    "memcached_timeout_with_unit": ({"MEMCACHED_TIMEOUT_MS": "50ms"}, "MEMCACHED_TIMEOUT_MS"),
    "cors_wildcard": ({"CORS_ALLOWED_ORIGINS": "*"}, "CORS_ALLOWED_ORIGINS"),
    "cors_trailing_slash": ({"CORS_ALLOWED_ORIGINS": "https://a.example,https://b.example/"}, "CORS_ALLOWED_ORIGINS"),
    "cors_not_an_origin": ({"CORS_ALLOWED_ORIGINS": "app.example.com"}, "CORS_ALLOWED_ORIGINS"),
}


def one_line_naming(proc, variable, what):
    out = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    assert len(out) == 1, "%s: want one line, got %d:\n%s" % (what, len(out), "\n".join(out))
    assert variable in out[0], "%s: the line does not name %s: %r" % (what, variable, out[0])
    assert SECRET not in out[0]
    return out[0]


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_setting_check_config_exits_2_and_serve_refuses_with_the_same_line(case):
    overrides, variable = INVALID[case]
    overrides = dict({"JWT_SECRET": SECRET}, **overrides)
    proc = run(["check-config"], **overrides)
    assert proc.returncode == 2, "check-config exit %d with %s:\n%s%s" % (proc.returncode, overrides, proc.stdout,
                                                                        proc.stderr)
    line = one_line_naming(proc, variable, "check-config")
    assert "configuration: ok" not in proc.stdout
    try:
        served = run(["serve"], timeout=15, **overrides)
    except subprocess.TimeoutExpired:
        raise AssertionError("serve with %s kept running (check-config refused it: %r)" % (overrides, line))
    assert served.returncode != 0, "serve exited 0 with %s" % overrides
    assert one_line_naming(served, variable, "serve") == line
