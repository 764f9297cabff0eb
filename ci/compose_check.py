#!/usr/bin/env python3
"""Checks findash's Compose files without a Docker engine (run by ci/check-compose.sh).

    python3 ci/compose_check.py --root REPO --schema compose-spec.json

1. Each file (docker-compose.yml, compose/docker-compose.*.yml) parses and validates
   against the Compose Specification's JSON schema as written.
2. For every environment, the base and its override are merged the way Compose merges
   them, ${VARIABLES} are interpolated from .env.example (plus stand-in values for the
   secrets staging and production require), and the merged model validates against the
   schema too.
3. The merged model holds together: services named in depends_on, networks, volumes and
   secrets exist; bind-mounted files exist; build targets are stages of the Dockerfile; no
   host port is published twice; the app is given only variables findash reads.
4. Each environment has the deployment design's shape (port, replicas, limits,
   reservations, restart policy, cache TTL, tmpfs database, nginx, Prometheus).
5. Staging and production refuse to start without their secrets (interpolation fails).
6. .env.example names every variable the server reads, and nothing unknown.

Prints one line per check ("ok" / "FAIL"); exits 1 when any check failed.
"""

import argparse
import copy
import ipaddress
import json
import os
import re
import sys

import jsonschema
import yaml

ENVIRONMENTS = {
    # name: expectations from the deployment design (../shared/DEPLOYMENT-NOTES.md)
    "development": {"port": 8000, "ttl": "60", "replicas": 1, "log_level": "debug"},
    "testing": {"port": 8001, "ttl": "300", "replicas": 1, "tmpfs_db": True},
    "staging": {"port": 8002, "ttl": "600", "replicas": 2, "nginx": True,
                "limits": ("0.5", 512 * 2**20)},
    "production": {"port": 443, "ttl": "1800", "replicas": 3, "nginx": True, "tls": True,
                   "limits": ("1", 2**30), "reservations": ("0.5", 512 * 2**20),
                   "restart": ("on-failure", 3), "prometheus": True},
}

# Stand-ins for the values an operator must supply (never used to run anything).
REQUIRED_STANDINS = {
    "JWT_SECRET": "check-compose-standin-secret-0123456789",
    "POSTGRES_PASSWORD": "check-compose-standin-password",
    "FINDASH_TAG": "0.0.0-check",
}

# Variables the app may get besides the server's own (see Dockerfile).
EXTRA_APP_VARS = {"FINDASH_VERSION"}

REPLACED_KEYS = {"command", "entrypoint", "test"}


class Report:
    def __init__(self):
        self.failures = 0

    def ok(self, what):
        print("ok    %s" % what)

    def fail(self, what, detail=""):
        self.failures += 1
        print("FAIL  %s%s" % (what, (": " + detail) if detail else ""))

    def check(self, cond, what, detail=""):
        if cond:
            self.ok(what)
        else:
            self.fail(what, detail)
        return cond


# ----------------------------------------------------------------------------- loading

def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def load_dotenv(path):
    values = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", line)
            if not m:
                raise ValueError("%s:%d: not NAME=value: %r" % (path, n, line))
            values[m.group(1)] = m.group(2)
    return values


# ----------------------------------------------------------------------------- interpolation

class InterpolationError(ValueError):
    pass


_VAR = re.compile(r"\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


def interpolate_str(text, env):
    def repl(m):
        if m.group(1):
            return "$"
        name = m.group(2) or m.group(5)
        op, arg = m.group(3), m.group(4)
        value = env.get(name)
        unset_or_empty = value is None or value == ""
        if op is None:
            return value or ""
        missing = unset_or_empty if op.startswith(":") else value is None
        kind = op[-1]
        if kind == "-":
            return interpolate_str(arg, env) if missing else value
        if kind == "?":
            if missing:
                raise InterpolationError("required variable %s is missing: %s" % (name, arg))
            return value
        if kind == "+":
            return "" if missing else interpolate_str(arg, env)
        raise InterpolationError("bad substitution ${%s%s}" % (name, op))
    return _VAR.sub(repl, text)


def interpolate(node, env):
    if isinstance(node, dict):
        return {k: interpolate(v, env) for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate(v, env) for v in node]
    if isinstance(node, str):
        return interpolate_str(node, env)
    return node


# ----------------------------------------------------------------------------- merging

def _env_dict(value):
    if isinstance(value, dict):
        return dict(value)
    out = {}
    for item in value or []:
        key, sep, val = str(item).partition("=")
        out[key] = val if sep else None
    return out


def _volume_target(v):
    if isinstance(v, dict):
        return v.get("target")
    parts = str(v).split(":")
    return parts[1] if len(parts) > 1 else parts[0]


def _merge_list(key, base, over):
    if key in ("volumes", "devices"):
        by_target = {}
        for item in base + over:
            by_target[_volume_target(item)] = item
        return list(by_target.values())
    if key in ("secrets", "configs"):
        by_name = {}
        for item in base + over:
            name = item.get("source") if isinstance(item, dict) else item
            by_name[name] = item
        return list(by_name.values())
    out = list(base)
    for item in over:
        if item not in out:
            out.append(item)
    return out


def merge(base, over, key=None):
    """Compose's merge rules: mappings merge key by key, command / entrypoint /
    healthcheck.test are replaced, environment and labels merge as mappings, volumes /
    devices merge by target, other sequences are appended without duplicates."""
    if key in REPLACED_KEYS:
        return copy.deepcopy(over)
    if key in ("environment", "labels", "annotations", "extra_hosts", "sysctls"):
        merged = _env_dict(base)
        merged.update(_env_dict(over))
        return merged
    if key == "depends_on" or key == "networks":
        if isinstance(base, list):
            base = {name: None for name in base}
        if isinstance(over, list):
            over = {name: None for name in over}
    if isinstance(base, dict) and isinstance(over, dict):
        out = copy.deepcopy(base)
        for k, v in over.items():
            out[k] = merge(out[k], v, k) if k in out and out[k] is not None else copy.deepcopy(v)
        return out
    if isinstance(base, list) and isinstance(over, list):
        return _merge_list(key, base, over)
    return copy.deepcopy(over)


# ----------------------------------------------------------------------------- helpers

def parse_bytes(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([bkmgt]?)b?", str(text).strip().lower())
    if not m:
        raise ValueError("not a size: %r" % text)
    return int(float(m.group(1)) * 1024 ** "bkmgt".index(m.group(2) or "b"))


def published_ports(service):
    out = []
    for p in service.get("ports") or []:
        if isinstance(p, dict):
            if p.get("published") is not None:
                out.append((p.get("host_ip", ""), str(p["published"]), int(p["target"])))
            continue
        text = str(p).split("/")[0]
        parts = text.rsplit(":", 2)
        if len(parts) == 3:
            out.append((parts[0], parts[1], int(parts[2])))
        elif len(parts) == 2:
            out.append(("", parts[0], int(parts[1])))
    return out


def dockerfile_stages(path):
    stages = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^\s*FROM\s+\S+(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
            if m and m.group(1):
                stages.append(m.group(1).lower())
    return stages


def server_variables(root):
    """Every variable `findash serve` reads, from Sources/FindashApp/Configuration.swift."""
    path = os.path.join(root, "Sources", "FindashApp", "Configuration.swift")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    names = set(re.findall(r'value\("([A-Z][A-Z0-9_]+)"\)', text))
    names |= set(re.findall(r'(?:integer|seconds)\(env,\s*"([A-Z][A-Z0-9_]+)"', text))
    return names


def readme_variables(root):
    path = os.path.join(root, "README.md")
    if not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as f:
        return set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|", f.read(), re.MULTILINE))


# ----------------------------------------------------------------------------- checks

def check_model(r, root, name, model, stages, server_vars):
    """Consistency checks of one merged, interpolated model."""
    services = model.get("services") or {}
    networks = set((model.get("networks") or {}).keys()) | {"default"}
    volumes = set((model.get("volumes") or {}).keys())
    secrets = set((model.get("secrets") or {}).keys())
    problems = []
    host_ports = {}
    for sname, svc in services.items():
        if not svc.get("image") and not svc.get("build"):
            problems.append("%s has neither image nor build" % sname)
        deps = svc.get("depends_on") or {}
        for dep, spec in (deps.items() if isinstance(deps, dict) else ((d, None) for d in deps)):
            if dep not in services:
                problems.append("%s depends on unknown service %s" % (sname, dep))
                continue
            cond = (spec or {}).get("condition", "service_started")
            if cond == "service_healthy" and not services[dep].get("healthcheck") \
                    and services[dep].get("build", {}).get("target") != "production":
                problems.append("%s waits for %s to be healthy, which has no healthcheck" % (sname, dep))
            if cond == "service_completed_successfully" and str(services[dep].get("restart", "no")) != "no":
                problems.append("%s waits for one-shot %s, whose restart is not \"no\"" % (sname, dep))
        nets = svc.get("networks") or {}
        for net in (nets.keys() if isinstance(nets, dict) else nets):
            if net not in networks:
                problems.append("%s uses undeclared network %s" % (sname, net))
        if isinstance(nets, dict):
            for net, spec in nets.items():
                addr = (spec or {}).get("ipv4_address")
                if addr:
                    subnets = [c.get("subnet") for c in
                               (((model.get("networks") or {}).get(net) or {}).get("ipam") or {}).get("config", [])]
                    if not any(ipaddress.ip_address(addr) in ipaddress.ip_network(s) for s in subnets if s):
                        problems.append("%s: %s is outside network %s's subnets %s" % (sname, addr, net, subnets))
        for vol in svc.get("volumes") or []:
            if isinstance(vol, dict):
                vtype, source = vol.get("type"), vol.get("source")
            else:
                source = str(vol).split(":")[0]
                vtype = "bind" if source.startswith((".", "/", "~")) else "volume"
            if vtype == "volume" and source and source not in volumes:
                problems.append("%s mounts undeclared volume %s" % (sname, source))
            if vtype == "bind" and source.startswith("."):
                if not os.path.exists(os.path.join(root, source)):
                    problems.append("%s bind-mounts %s, which does not exist" % (sname, source))
        for sec in svc.get("secrets") or []:
            sec_name = sec.get("source") if isinstance(sec, dict) else sec
            if sec_name not in secrets:
                problems.append("%s uses undeclared secret %s" % (sname, sec_name))
        build = svc.get("build")
        if isinstance(build, dict):
            dockerfile = os.path.join(root, build.get("context", "."), build.get("dockerfile", "Dockerfile"))
            target = build.get("target")
            if not os.path.exists(dockerfile):
                problems.append("%s builds from missing %s" % (sname, dockerfile))
            elif target and target.lower() not in stages:
                problems.append("%s builds target %s, not a stage of the Dockerfile %s" % (sname, target, stages))
        profiles = svc.get("profiles")
        for host_ip, published, _ in published_ports(svc):
            key = (host_ip or "0.0.0.0", published)
            if key in host_ports and not profiles:
                problems.append("host port %s published by %s and %s" % (published, host_ports[key], sname))
            host_ports[key] = sname
    app = services.get("app") or {}
    env = _env_dict(app.get("environment"))
    unknown = sorted(set(env) - server_vars - EXTRA_APP_VARS)
    if unknown:
        problems.append("app gets variables findash does not read: %s" % ", ".join(unknown))
    r.check(not problems, "%s: merged model is consistent" % name, "; ".join(problems))


def check_environment(r, root, name, model):
    """The deployment design's shape of environment `name`."""
    want = ENVIRONMENTS[name]
    services = model["services"]
    app = services["app"]
    env = _env_dict(app.get("environment"))
    deploy = app.get("deploy") or {}
    problems = []

    if env.get("ENVIRONMENT") != name:
        problems.append("app ENVIRONMENT=%s" % env.get("ENVIRONMENT"))
    if str(env.get("DASHBOARD_CACHE_TTL")) != want["ttl"]:
        problems.append("DASHBOARD_CACHE_TTL=%s, want %s" % (env.get("DASHBOARD_CACHE_TTL"), want["ttl"]))
    if "log_level" in want and env.get("LOG_LEVEL") != want["log_level"]:
        problems.append("LOG_LEVEL=%s, want %s" % (env.get("LOG_LEVEL"), want["log_level"]))
    replicas = int(deploy.get("replicas", 1))
    if replicas != want["replicas"]:
        problems.append("app replicas %d, want %d" % (replicas, want["replicas"]))

    pg = services.get("postgres") or {}
    if not str(pg.get("image", "")).startswith("postgres:17"):
        problems.append("postgres image %s, want postgres:17" % pg.get("image"))
    mc = services.get("memcached") or {}
    mc_cmd = mc.get("command") or []
    mc_cmd = mc_cmd.split() if isinstance(mc_cmd, str) else [str(x) for x in mc_cmd]
    if not str(mc.get("image", "")).startswith("memcached:1.6"):
        problems.append("memcached image %s, want memcached:1.6" % mc.get("image"))
    if "-m" not in mc_cmd or mc_cmd[mc_cmd.index("-m") + 1:][:1] != ["64"]:
        problems.append("memcached not started with -m 64: %s" % mc_cmd)

    url = str(env.get("DATABASE_URL", ""))
    if "@postgres:" not in url or "memcached:" not in str(env.get("MEMCACHED_SERVERS", "")):
        problems.append("app not pointed at the postgres and memcached services")
    app_deps = app.get("depends_on") or {}
    if (app_deps.get("migrate") or {}).get("condition") != "service_completed_successfully":
        problems.append("app does not wait for a successful migrate")
    migrate_cmd = services.get("migrate", {}).get("command")
    if migrate_cmd != ["findash", "migrate"]:
        problems.append("migrate service does not run `findash migrate`: %s" % migrate_cmd)

    app_ports = published_ports(app)
    if want.get("nginx"):
        nginx = services.get("nginx")
        if not nginx:
            problems.append("no nginx service")
        else:
            nginx_ports = {int(p) for _, p, _ in published_ports(nginx)}
            wanted = {80, 443} if want.get("tls") else {want["port"]}
            if not wanted <= nginx_ports:
                problems.append("nginx publishes %s, want %s" % (sorted(nginx_ports), sorted(wanted)))
            if app_ports:
                problems.append("app publishes %s itself (only nginx should)" % app_ports)
            confs = [str(v).split(":")[0] for v in nginx.get("volumes") or []
                     if str(v).split(":")[1:2] == ["/etc/nginx/conf.d/default.conf"]]
            if not confs:
                problems.append("nginx gets no /etc/nginx/conf.d/default.conf")
            else:
                with open(os.path.join(root, confs[0]), encoding="utf-8") as f:
                    conf = f.read()
                if "server app:8000" not in conf:
                    problems.append("%s does not balance over app:8000" % confs[0])
                if want.get("tls") and not re.search(r"listen\s+443\s+ssl", conf):
                    problems.append("%s does not terminate TLS on 443" % confs[0])
    else:
        if [p for _, p, t in app_ports if int(p) == want["port"] and t == 8000] == []:
            problems.append("app does not publish %d -> 8000: %s" % (want["port"], app_ports))

    if want.get("tmpfs_db"):
        data = [v for v in pg.get("volumes") or [] if _volume_target(v) == "/var/lib/postgresql/data"]
        if not data or not isinstance(data[0], dict) or data[0].get("type") != "tmpfs":
            problems.append("postgres data is not on tmpfs: %s" % data)

    resources = deploy.get("resources") or {}
    for kind in ("limits", "reservations"):
        if kind in want:
            got = resources.get(kind) or {}
            cpus, mem = want[kind]
            try:
                ok = float(got.get("cpus", "nan")) == float(cpus) and parse_bytes(got.get("memory", "x")) == mem
            except ValueError:
                ok = False
            if not ok:
                problems.append("%s %s, want %s CPU / %d bytes" % (kind, got, cpus, mem))
    if "restart" in want:
        policy = deploy.get("restart_policy") or {}
        cond, attempts = want["restart"]
        if policy.get("condition") != cond or int(policy.get("max_attempts", -1)) != attempts:
            problems.append("restart_policy %s, want %s with max_attempts %d" % (policy, cond, attempts))
        restart = str(app.get("restart", ""))
        if restart not in ("", "%s:%d" % (cond, attempts)):
            problems.append("restart: %s disagrees with deploy.restart_policy" % restart)

    if want.get("prometheus"):
        prom = services.get("prometheus")
        if not prom:
            problems.append("no prometheus service")
        else:
            mounts = [str(v).split(":")[0] for v in prom.get("volumes") or []]
            if "./deploy/prometheus.yml" not in mounts or "./deploy/alerts.yml" not in mounts:
                problems.append("prometheus does not mount deploy/prometheus.yml and deploy/alerts.yml")
            addrs = [spec.get("ipv4_address") for spec in (prom.get("networks") or {}).values()
                     if isinstance(spec, dict)]
            allow = [a.strip() for a in str(env.get("METRICS_ALLOW", "")).split(",")]
            if not addrs or not all(a in allow for a in addrs if a):
                problems.append("Prometheus's address %s is not in app METRICS_ALLOW %s" % (addrs, allow))

    r.check(not problems, "%s: the design's shape (port %d, %d replica(s), TTL %s s%s)" % (
        name, want["port"], want["replicas"], want["ttl"],
        ", nginx" if want.get("nginx") else ""), "; ".join(problems))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True, help="the checkout (or a copy of its deployment files)")
    ap.add_argument("--schema", required=True, help="compose-spec.json")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    r = Report()

    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    # The schema says draft-07 (its $schema URI lacks the usual "#").
    validator_cls = jsonschema.Draft7Validator
    validator_cls.check_schema(schema)
    validator = validator_cls(schema)

    def validate(label, doc):
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        detail = "; ".join("%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)", e.message)
                           for e in errors[:5])
        return r.check(not errors, "%s: valid against the Compose schema" % label, detail)

    base_path = os.path.join(root, "docker-compose.yml")
    files = {"docker-compose.yml": base_path}
    for name in ENVIRONMENTS:
        files["compose/docker-compose.%s.yml" % name] = os.path.join(root, "compose", "docker-compose.%s.yml" % name)

    docs = {}
    for label, path in files.items():
        try:
            doc = load_yaml(path)
        except (OSError, yaml.YAMLError) as exc:
            r.fail("%s: parses" % label, str(exc).splitlines()[0] if str(exc) else repr(exc))
            continue
        if not isinstance(doc, dict):
            r.fail("%s: parses" % label, "not a mapping")
            continue
        docs[label] = doc
        validate(label, doc)

    try:
        dotenv = load_dotenv(os.path.join(root, ".env.example"))
        r.ok(".env.example: parses")
    except (OSError, ValueError) as exc:
        r.fail(".env.example: parses", str(exc))
        dotenv = {}

    server_vars = server_variables(root) if os.path.exists(
        os.path.join(root, "Sources", "FindashApp", "Configuration.swift")) else set()
    stages = dockerfile_stages(os.path.join(root, "Dockerfile")) if os.path.exists(
        os.path.join(root, "Dockerfile")) else []

    base = docs.get("docker-compose.yml")
    for name in ENVIRONMENTS:
        label = "compose/docker-compose.%s.yml" % name
        if base is None or label not in docs:
            r.fail("%s: merged with docker-compose.yml" % name, "a file did not load")
            continue
        merged_raw = merge(base, docs[label])
        env = dict(dotenv)
        env.update({k: v for k, v in REQUIRED_STANDINS.items() if not env.get(k)})
        try:
            model = interpolate(merged_raw, env)
        except InterpolationError as exc:
            r.fail("%s: interpolates" % name, str(exc))
            continue
        r.ok("%s: merged with docker-compose.yml and interpolated" % name)
        validate("%s (merged)" % name, model)
        check_model(r, root, name, model, stages, server_vars)
        try:
            check_environment(r, root, name, model)
        except (KeyError, TypeError, ValueError) as exc:
            r.fail("%s: the design's shape" % name, "%s: %s" % (type(exc).__name__, exc))
        if name in ("staging", "production"):
            bare = {k: v for k, v in dotenv.items() if k not in REQUIRED_STANDINS}
            try:
                interpolate(merged_raw, bare)
                r.fail("%s: refuses to start without its secrets" % name,
                       "interpolated without %s" % ", ".join(sorted(REQUIRED_STANDINS)))
            except InterpolationError as exc:
                r.ok("%s: refuses to start without its secrets (%s)" % (name, str(exc).split(":")[0]))

    # .env.example: every server variable, and nothing nobody reads.
    if server_vars:
        compose_text = ""
        for path in files.values():
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    compose_text += f.read()
        referenced = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose_text))
        missing = sorted(server_vars - set(dotenv))
        unknown = sorted(set(dotenv) - server_vars - referenced - EXTRA_APP_VARS)
        r.check(not missing and not unknown,
                ".env.example: names all %d server variables and only known ones" % len(server_vars),
                "; ".join(filter(None, ["missing " + ", ".join(missing) if missing else "",
                                        "unknown " + ", ".join(unknown) if unknown else ""])))
        readme = readme_variables(root)
        if readme:
            r.check(readme <= server_vars and server_vars <= readme,
                    "README's configuration table matches the server's variables",
                    "README only: %s; server only: %s" % (sorted(readme - server_vars),
                                                          sorted(server_vars - readme)))
    else:
        r.fail(".env.example: complete", "Sources/FindashApp/Configuration.swift not found or names no variable")

    print("compose check: %s" % ("FAILED (%d)" % r.failures if r.failures else "passed"))
    return 1 if r.failures else 0


if __name__ == "__main__":
    sys.exit(main())
