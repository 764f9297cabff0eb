#!/usr/bin/env bash
# Smoke test of a running findash after a deployment: every endpoint answers as expected.
#
#   scripts/smoke-test.sh BASE_URL [TOKEN]
#   scripts/smoke-test.sh http://127.0.0.1:8002 "$(findash token --tenant-type user --tenant-id user_0001)"
#
# TOKEN (or $TOKEN): a bearer token whose scope holds dashboard:read. With it, each
# /financial/dashboard* route must answer 200 with its JSON shape and caching headers, an
# If-None-Match revalidation 304, a bad parameter 400. Without it, those routes are only
# checked to refuse anonymous requests (401).
# Always: /health, /health/dashboard (healthy or degraded), 401 for a missing and a forged
# token, 404 problem+json for an unknown route, 405 with Allow for POST, and /metrics
# (Prometheus text, or 404 when this address is not in METRICS_ALLOW).
#
# Environment: SMOKE_TIMEOUT=10 (seconds per request), SMOKE_INSECURE=1 (accept a
# self-signed TLS certificate). Needs curl and python3.
# Prints one line per check; exit status 0 when all passed, 1 when any failed, 2 on usage.
set -uo pipefail

usage() {
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
[[ $# -ge 1 && $# -le 2 && $1 != -h && $1 != --help ]] || usage
BASE=${1%/}
TOKEN=${2:-${TOKEN:-}}
TIMEOUT=${SMOKE_TIMEOUT:-10}
[[ $BASE == http://* || $BASE == https://* ]] || { echo "BASE_URL must start with http:// or https://" >&2; exit 2; }
command -v curl >/dev/null 2>&1 || { echo "curl is required" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is required" >&2; exit 2; }

CURL=(curl -sS --max-time "$TIMEOUT" -H 'User-Agent: findash-smoke-test')
if [[ ${SMOKE_INSECURE:-0} == 1 ]]; then CURL+=(-k); fi

work=$(mktemp -d "${TMPDIR:-/tmp}/findash-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
STATUS=""
MS=""

ok() {
    passed=$((passed + 1))
    printf 'ok    %s\n' "$*"
}
fail() {
    failed=$((failed + 1))
    printf 'FAIL  %s\n' "$*"
}

# req METHOD PATH [curl args...]: sets STATUS and MS; body in $work/body, head in $work/head.
req() {
    local method=$1 path=$2 out
    shift 2
    : >"$work/body"
    : >"$work/head"
    if out=$("${CURL[@]}" -X "$method" -o "$work/body" -D "$work/head" \
        -w '%{http_code} %{time_total}' "$@" "$BASE$path" 2>"$work/err"); then
        STATUS=${out%% *}
        MS=$(awk -v t="${out##* }" 'BEGIN { printf "%.1f", t * 1000 }')
    else
        STATUS=000
        MS=-
        printf '      curl: %s\n' "$(head -c 300 "$work/err")"
    fi
}

# header NAME: the value of NAME in the last response head ("" when absent).
header() {
    tr -d '\r' <"$work/head" | awk -v n="$(tr '[:upper:]' '[:lower:]' <<<"$1")" '
        /^HTTP\// { v = "" }
        { i = index($0, ":"); if (i && tolower(substr($0, 1, i - 1)) == n) { v = substr($0, i + 1); sub(/^[ \t]+/, "", v) } }
        END { print v }'
}

# json EXPR: true when the body is JSON and the Python expression over it (d) holds.
json() {
    python3 -c '
import json, sys
try:
    d = json.load(open(sys.argv[1], encoding="utf-8"))
except ValueError:
    sys.exit(1)
sys.exit(0 if eval(sys.argv[2], {"d": d}) else 1)
' "$work/body" "$1" 2>/dev/null
}

common_headers() { # what every response carries (CONTRACT §5)
    [[ -n $(header X-Request-ID) && $(header X-Content-Type-Options) == nosniff ]]
}

# expect LABEL WANT_STATUS [JSON_EXPR]: checks the last response.
expect() {
    local label=$1 want=$2 expr=${3:-}
    if [[ $STATUS != "$want" ]]; then
        fail "$label: status $STATUS, want $want $(head -c 200 "$work/body" | tr '\n' ' ')"
    elif ! common_headers; then
        fail "$label: X-Request-ID or X-Content-Type-Options: nosniff missing"
    elif [[ -n $expr ]] && ! json "$expr"; then
        fail "$label: body does not match ($expr): $(head -c 200 "$work/body" | tr '\n' ' ')"
    else
        ok "$label: $STATUS (${MS} ms)"
        return 0
    fi
    return 1
}

echo "smoke test of $BASE"

req GET /health
expect "GET /health" 200 'd == {"status": "ok"}'

req GET /health/dashboard
expect "GET /health/dashboard" 200 \
    'd["status"] in ("healthy", "degraded") and d["services"]["database"]["status"] == "up" and "timestamp" in d'

problem='d["status"] == STATUS and isinstance(d.get("title"), str) and "type" in d'
req GET /financial/dashboard/summary
if expect "GET /financial/dashboard/summary without a token" 401 "${problem/STATUS/401}"; then
    [[ $(header WWW-Authenticate) == Bearer* ]] || fail "401 without WWW-Authenticate: Bearer"
fi
req GET /financial/dashboard -H 'Authorization: Bearer not.a.token'
expect "GET /financial/dashboard with a forged token" 401 "${problem/STATUS/401}"

req GET /no-such-route
if expect "GET /no-such-route" 404 "${problem/STATUS/404}"; then
    [[ $(header Content-Type) == application/problem+json* ]] || fail "404 is not application/problem+json"
fi

req POST /health
if expect "POST /health" 405; then
    [[ $(header Allow) == *GET* ]] || fail "405 without Allow: GET"
fi

req GET /metrics
case $STATUS in
200)
    if grep -q '^dashboard_requests_total{' "$work/body" && grep -q '^# TYPE dashboard_request_duration_seconds histogram' "$work/body"; then
        ok "GET /metrics: 200, Prometheus text (${MS} ms)"
    else
        fail "GET /metrics: 200 without dashboard_requests_total / the duration histogram"
    fi
    ;;
404) ok "GET /metrics: 404 (this address is not in METRICS_ALLOW, or behind the balancer)" ;;
*) fail "GET /metrics: status $STATUS, want 200 or 404" ;;
esac

if [[ -n $TOKEN ]]; then
    auth=(-H "Authorization: Bearer $TOKEN")
    declare -A shape=(
        [/financial/dashboard/summary]='isinstance(d["currencies"], list) and "accounts_count" in d and "budgets" in d and d["tenant"]["id"]'
        [/financial/dashboard/accounts]='isinstance(d["accounts"], list) and "period" in d'
        [/financial/dashboard/transactions]='isinstance(d["currencies"], list) and d["granularity"] in ("day", "week", "month")'
        [/financial/dashboard/budgets]='isinstance(d["budgets"], list) and "as_of" in d'
        [/financial/dashboard]='all(k in d for k in ("tenant", "period", "summary", "accounts", "transactions", "budgets", "generated_at"))'
    )
    for path in /financial/dashboard/summary /financial/dashboard/accounts \
        /financial/dashboard/transactions /financial/dashboard/budgets /financial/dashboard; do
        req GET "$path" "${auth[@]}"
        if expect "GET $path" 200 "${shape[$path]}"; then
            etag=$(header ETag)
            cache=$(header X-Cache)
            if [[ $(header Content-Type) != application/json* || $etag != \"* \
                || $(header Cache-Control) != *no-cache* || ! $cache =~ ^(HIT|MISS)$ ]]; then
                fail "GET $path: headers (Content-Type, strong ETag, Cache-Control no-cache, X-Cache) wrong"
            fi
        fi
    done

    req GET /financial/dashboard/summary "${auth[@]}"
    etag=$(header ETag)
    req GET /financial/dashboard/summary "${auth[@]}" -H "If-None-Match: $etag"
    if [[ $STATUS == 304 && ! -s $work/body ]]; then
        ok "GET /financial/dashboard/summary If-None-Match: 304 (${MS} ms)"
    else
        fail "GET /financial/dashboard/summary If-None-Match $etag: status $STATUS, want 304 with no body"
    fi

    req GET '/financial/dashboard/transactions?granularity=fortnight' "${auth[@]}"
    expect "GET /financial/dashboard/transactions?granularity=fortnight" 400 "${problem/STATUS/400}"
else
    echo "      (no TOKEN: the dashboard routes were checked only to refuse anonymous requests)"
fi

total=$((passed + failed))
if ((failed > 0)); then
    echo "smoke test: $failed of $total checks FAILED"
    exit 1
fi
echo "smoke test: all $total checks passed"
