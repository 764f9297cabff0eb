#!/usr/bin/env bash
# Health of a running findash as one JSON object, for scripts and people after a deployment.
#
#   scripts/health-check.sh BASE_URL            e.g. http://127.0.0.1:8002
#
# Asks /health (liveness) and /health/dashboard (database, cache, dashboard) and prints:
#   {"url": ..., "status": "healthy" | "degraded" | "unhealthy" | "unreachable",
#    "http_status": 200, "latency_ms": 2.4, "version": ..., "server_timestamp": ...,
#    "checked_at": ..., "liveness": {"status": "ok", "http_status": 200, "latency_ms": 0.6},
#    "checks": {"database": {"status": "up", "latency_ms": 1.2}, "cache": {...},
#               "dashboard": {...}}, "error": null}
# Exit status: 0 healthy, 1 degraded (cache down, still serving), 2 unhealthy or
# unreachable, 3 usage. Environment: HEALTH_TIMEOUT=5 (seconds per request),
# HEALTH_INSECURE=1 (accept a self-signed TLS certificate). Needs curl and python3.
set -uo pipefail

if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 3
fi
BASE=${1%/}
TIMEOUT=${HEALTH_TIMEOUT:-5}
command -v curl >/dev/null 2>&1 || { echo "curl is required" >&2; exit 3; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is required" >&2; exit 3; }

CURL=(curl -sS --max-time "$TIMEOUT" -H 'User-Agent: findash-health-check')
if [[ ${HEALTH_INSECURE:-0} == 1 ]]; then CURL+=(-k); fi

work=$(mktemp -d "${TMPDIR:-/tmp}/findash-health.XXXXXX")
trap 'rm -rf "$work"' EXIT

# probe NAME PATH: $work/NAME.body, $work/NAME.meta ("code seconds"), $work/NAME.err
probe() {
    "${CURL[@]}" -o "$work/$1.body" -w '%{http_code} %{time_total}' "$BASE$2" \
        >"$work/$1.meta" 2>"$work/$1.err" || true
}
probe live /health
probe ready /health/dashboard

python3 - "$BASE" "$work" <<'PY'
import datetime
import json
import os
import sys

base, work = sys.argv[1], sys.argv[2]


def read(name, suffix):
    try:
        with open(os.path.join(work, "%s.%s" % (name, suffix)), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def probe(name):
    meta = read(name, "meta").split()
    code = int(meta[0]) if meta and meta[0].isdigit() else 0
    latency = round(float(meta[1]) * 1000, 1) if len(meta) > 1 else None
    try:
        body = json.loads(read(name, "body"))
    except ValueError:
        body = None
    error = read(name, "err").strip() or None
    return code, latency, body, error


live_code, live_ms, live_body, live_err = probe("live")
code, ms, body, err = probe("ready")
result = {
    "url": base,
    "status": "unreachable",
    "http_status": code or None,
    "latency_ms": ms if code else None,
    "version": None,
    "server_timestamp": None,
    "checked_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "liveness": {
        "status": (live_body or {}).get("status") if isinstance(live_body, dict) else None,
        "http_status": live_code or None,
        "latency_ms": live_ms if live_code else None,
    },
    "checks": {},
    "error": None,
}
if isinstance(body, dict) and body.get("status") in ("healthy", "degraded", "unhealthy"):
    result["status"] = body["status"]
    result["version"] = body.get("version")
    result["server_timestamp"] = body.get("timestamp")
    result["checks"] = body.get("services") or {}
    if code not in (200, 503):
        result["error"] = "unexpected HTTP status %d" % code
elif code:
    result["status"] = "unhealthy"
    result["error"] = "GET /health/dashboard answered %d without a health document" % code
else:
    result["error"] = err or live_err or "no answer"
if result["status"] in ("healthy", "degraded") and live_code != 200:
    result["status"] = "unhealthy"
    result["error"] = "GET /health answered %s" % (live_code or live_err or "nothing")
print(json.dumps(result, indent=2))
sys.exit({"healthy": 0, "degraded": 1}.get(result["status"], 2))
PY
