#!/usr/bin/env bash
# Validates a deployment at the seven levels of the deployment design (docs/deployment.md):
#
#   ci/validate-deployment.sh ENV      an environment deployed by ci/deploy.sh (through its
#                                      load balancer, and each replica directly)
#   ci/validate-deployment.sh URL      any running findash, e.g. http://127.0.0.1:8000
#
#   L1 configuration  compose files (ci/check-compose.sh), Dockerfile (ci/check-dockerfile.sh),
#                     the deployment's environment (`findash check-config`), nginx -t
#   L2 startup        processes run, ports listen, /health answers, libraries resolve
#   L3 connectivity   /health/dashboard: database and cache up; one dashboard read works
#   L4 functionality  scripts/smoke-test.sh; every endpoint of /openapi.json answers with a
#                     body matching its schema; 401 without a token, 403 for a wrong scope;
#                     /openapi.json passes openapi-spec-validator
#   L5 integration    tenant isolation (user/X and organization/X see only their own rows) and
#                     cache freshness (a new row shows within 1 s, on every replica)
#   L6 performance    wrk against the cached dashboard: error rate and p99 within thresholds;
#                     memory of each replica within the environment's limit
#   L7 regression     the test suite: VALIDATE_L7=full (make test), quick (swift test and a
#                     live subset), live (the live subset only) or skip
#
# Prints one line per level, `L1 configuration: PASS (...)`, then a verdict; exit status 0
# only when every level that ran passed (SKIP does not fail), 1 otherwise, 2 on usage.
# Environment: VALIDATE_LEVELS="L1 L2 ..." (default all), VALIDATE_L7 (ENV: full, URL: skip),
# VALIDATE_L6_DURATION=5 (s), VALIDATE_L6_CONNECTIONS=32, VALIDATE_L6_P99_MS=500,
# VALIDATE_L6_MAX_ERROR_PCT=1, VALIDATE_FRESHNESS_S=1, VALIDATE_VERBOSE=1 (print every
# check, not only the failed ones' details), VALIDATE_LOG_DIR (keep the logs there).
# For a URL: TOKEN (a dashboard:read token) or JWT_SECRET (+ FINDASH_BIN to mint tokens),
# DATABASE_URL (L5 inserts rows with psql; without it the seeded demo tenants are compared),
# VALIDATE_ENV_FILE (NAME=value lines describing the deployment, for `findash check-config`).
# shellcheck disable=SC2015  # `test && check_ok ... || check_fail ...`: check_ok never fails
set -uo pipefail
CI_NAME=validate
# shellcheck source=ci/lib-deploy.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-deploy.sh"

usage() {
    sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
[[ $# -eq 1 && $1 != -h && $1 != --help ]] || usage
TARGET=$1

# ============================================================================ context

KIND=""          # env-local | env-compose | url
BASE=""          # what clients use (load balancer or the URL)
REPLICA_URLS=()  # each replica directly (local deployments)
REPLICA_PIDS=()
REPLICA_STARTS=()
BIN=""           # a findash binary to mint tokens / check-config with
CONFIG_ENV=""    # an env file describing the deployment (check-config)
SECRET=""        # JWT_SECRET of the deployment
PSQL_JSON=""     # the psql command as a JSON list (L5), empty: none
NOTES_URL=""

if deploy_env_valid "$TARGET"; then
    if [[ $(deploy_mode) == compose ]]; then
        KIND=env-compose
        compose_cmd "$TARGET"
        BASE=$(compose_base_url "$TARGET")
        PSQL_JSON=$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "${COMPOSE[@]}" exec -T postgres psql -U findash -d findash)
    else
        KIND=env-local
        deploy_load "$TARGET"
        colour=$(live_colour)
        [[ -n $colour && -s $STATE/env ]] || ci_die "$TARGET is not deployed (no live colour in $STATE): ci/deploy.sh $TARGET"
        BASE=$(deploy_base_url)
        release=$(current_release)
        BIN=$STATE/releases/$release/findash
        CONFIG_ENV=$STATE/$colour/env
        SECRET=$(sed -n 's/^export JWT_SECRET=//p' "$CONFIG_ENV")
        SECRET=$(eval "printf '%s' $SECRET")
        db=$(sed -n 's/^export DATABASE_URL=//p' "$CONFIG_ENV")
        db=$(eval "printf '%s' $db")
        PSQL_JSON=$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' psql "$db")
        while read -r _ port pid start; do
            REPLICA_URLS+=("http://127.0.0.1:$port")
            REPLICA_PIDS+=("$pid")
            REPLICA_STARTS+=("$start")
        done < <(colour_replicas "$colour")
    fi
    VALIDATE_L7=${VALIDATE_L7:-full}
elif [[ $TARGET == http://* || $TARGET == https://* ]]; then
    KIND=url
    BASE=${TARGET%/}
    SECRET=${JWT_SECRET:-}
    BIN=$(release_binary)
    [[ -z $BIN && -x $ROOT/dist/findash ]] && BIN=$ROOT/dist/findash
    CONFIG_ENV=${VALIDATE_ENV_FILE:-}
    if [[ -n ${DATABASE_URL:-} ]]; then
        PSQL_JSON=$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' psql "$DATABASE_URL")
    fi
    VALIDATE_L7=${VALIDATE_L7:-skip}
    NOTES_URL="a URL: no process, port or replica checks"
else
    ci_log "not an environment ($DEPLOY_ENVIRONMENTS) nor an http(s):// URL: $TARGET"
    usage
fi
export SMOKE_INSECURE=1 HEALTH_INSECURE=1 # self-signed certificates of a local TLS terminator

LEVELS=${VALIDATE_LEVELS:-L1 L2 L3 L4 L5 L6 L7}
LEVELS=$(tr ',a-z' ' A-Z' <<<"$LEVELS")

if [[ -n ${VALIDATE_LOG_DIR:-} ]]; then
    WORK=$VALIDATE_LOG_DIR
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/findash-validate.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
fi

# mint TYPE ID [SCOPE]: a token signed with the deployment's secret (`findash token`).
mint() {
    local scope=()
    [[ -n ${3:-} ]] && scope=(--scope "$3")
    [[ -n $SECRET && -n $BIN ]] || return 1
    if [[ $KIND == env-compose ]]; then
        "${COMPOSE[@]}" exec -T app findash token --tenant-type "$1" --tenant-id "$2" --ttl 900 "${scope[@]}"
    else
        env JWT_SECRET="$SECRET" "$BIN" token --tenant-type "$1" --tenant-id "$2" --ttl 900 "${scope[@]}"
    fi
}
if [[ $KIND == env-compose ]]; then SECRET=compose BIN=compose; fi

TOKEN_MAIN=${TOKEN:-}
if [[ $KIND != url || -z $TOKEN_MAIN ]]; then
    TOKEN_MAIN=$(mint user user_0001 2>/dev/null) || TOKEN_MAIN=${TOKEN:-}
fi
CAN_MINT=false
mint user user_0001 >/dev/null 2>&1 && CAN_MINT=true

# ============================================================================ reporting

declare -A RESULT
ORDER=()
LOG=""

check_ok() { printf 'ok    %s\n' "$*" >>"$LOG"; }
check_fail() {
    printf 'FAIL  %s\n' "$*" >>"$LOG"
    FAILS+=("$*")
}
check_note() {
    printf 'note  %s\n' "$*" >>"$LOG"
    NOTES+=("$*")
}

# run_level ID NAME FUNCTION
run_level() {
    local id=$1 name=$2 fn=$3 summary
    [[ " $LEVELS " == *" $id "* ]] || return 0
    LOG=$WORK/$id.log
    : >"$LOG"
    FAILS=()
    NOTES=()
    SKIP_REASON=""
    SUMMARY=""
    # A level fails through check_fail only (its functions' exit status is not a verdict).
    "$fn" || true
    if [[ -n $SKIP_REASON ]]; then
        RESULT[$id]=SKIP
        summary=$SKIP_REASON
    elif ((${#FAILS[@]} > 0)); then
        RESULT[$id]=FAIL
        summary=$(printf '%s; ' "${FAILS[@]}")
        summary=${summary%; }
    else
        RESULT[$id]=PASS
        summary=$SUMMARY
        ((${#NOTES[@]} > 0)) && summary+="${summary:+; }$(printf '%s; ' "${NOTES[@]}")" && summary=${summary%; }
    fi
    ORDER+=("$id")
    printf '%s %s: %s%s\n' "$id" "$name" "${RESULT[$id]}" "${summary:+ ($summary)}"
    if [[ ${RESULT[$id]} == FAIL || ${VALIDATE_VERBOSE:-0} == 1 ]]; then
        sed 's/^/      /' "$LOG" | tail -n 60 >&2
    fi
}

# ============================================================================ the checks in Python

# python3 - MODE: L3 / L4 / L5 checks over HTTP. Inputs in the environment (V_*); prints
# "ok|FAIL|note|summary TEXT" lines; exit 3 means "cannot run here" (the last note says why).
read -r -d '' PY_CHECKS <<'PY'
import http.client, json, os, subprocess, sys, time, uuid
from urllib.parse import urlsplit

mode = sys.argv[1]
BASE = os.environ["V_BASE"]
REPLICAS = [u for u in os.environ.get("V_REPLICAS", "").split() if u]
TOKEN = os.environ.get("V_TOKEN", "")
BIN = os.environ.get("V_BIN", "")
SECRET = os.environ.get("V_SECRET", "")
PSQL = json.loads(os.environ.get("V_PSQL") or "null")
FRESH_S = float(os.environ.get("V_FRESHNESS_S", "1"))
failed = False


def out(kind, text):
    global failed
    if kind == "FAIL":
        failed = True
    print("%-5s %s" % (kind, text), flush=True)


def req(base, path, token=None, method="GET", headers=None, timeout=15):
    u = urlsplit(base)
    cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    kw = {}
    if u.scheme == "https":
        import ssl
        kw["context"] = ssl._create_unverified_context()
    conn = cls(u.hostname, u.port, timeout=timeout, **kw)
    try:
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        conn.request(method, path, headers=h)
        r = conn.getresponse()
        body = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        try:
            doc = json.loads(body) if body else None
        except ValueError:
            doc = None
        return r.status, hdrs, doc, body
    finally:
        conn.close()


def mint(ttype, tid, scope=None):
    if os.environ.get("V_MINT") == "compose":
        cmd = json.loads(os.environ["V_COMPOSE"]) + ["exec", "-T", "app", "findash", "token"]
    elif BIN and SECRET:
        cmd = [BIN, "token"]
    else:
        return None
    cmd += ["--tenant-type", ttype, "--tenant-id", tid, "--ttl", "900"]
    if scope:
        cmd += ["--scope", scope]
    env = dict(os.environ, JWT_SECRET=SECRET)
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    return p.stdout.strip() if p.returncode == 0 else None


def psql(sql):
    p = subprocess.run(PSQL + ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        raise RuntimeError("psql: " + p.stderr.strip())
    return p.stdout.strip()


# ---------------------------------------------------------------------------- L3
def level3():
    for url in [BASE] + REPLICAS:
        try:
            s, _, d, body = req(url, "/health/dashboard")
        except OSError as e:
            out("FAIL", "%s/health/dashboard: %r" % (url, e))
            continue
        svc = (d or {}).get("services", {}) if isinstance(d, dict) else {}
        db = svc.get("database", {}).get("status")
        cache = svc.get("cache", {})
        if s == 200 and d.get("status") == "healthy" and db == "up" and cache.get("status") == "up":
            out("ok", "%s/health/dashboard: healthy, database up (%s ms), cache up (%s, %s ms)" % (
                url, svc["database"].get("latency_ms"), cache.get("kind"), cache.get("latency_ms")))
        else:
            out("FAIL", "%s/health/dashboard: %s %s" % (url, s, body[:300].decode("utf-8", "replace")))
    if not TOKEN:
        out("note", "no token (set TOKEN or JWT_SECRET): the dashboard read was not tried")
        return
    for url in [BASE] + REPLICAS:
        s, h, d, body = req(url, "/financial/dashboard/summary", TOKEN)
        if s == 200 and isinstance(d, dict) and "tenant" in d:
            out("ok", "%s/financial/dashboard/summary: 200 for %s/%s (X-Cache %s)" % (
                url, d["tenant"]["type"], d["tenant"]["id"], h.get("x-cache")))
        else:
            out("FAIL", "%s/financial/dashboard/summary: %s %s" % (url, s, body[:200]))
    out("summary", "database and cache up%s, dashboard read ok" % (
        " on %d replica(s) and the balancer" % len(REPLICAS) if REPLICAS else ""))


# ---------------------------------------------------------------------------- L4
def resolve(spec, obj):
    while isinstance(obj, dict) and "$ref" in obj:
        node = spec
        for part in obj["$ref"].lstrip("#/").split("/"):
            node = node[part]
        obj = node
    return obj


def level4():
    try:
        from openapi_spec_validator import validate
        import jsonschema
    except ImportError as e:
        out("FAIL", "python module missing: %s" % e)
        return
    s, _, spec, body = req(BASE, "/openapi.json")
    if s != 200 or not isinstance(spec, dict):
        out("FAIL", "GET /openapi.json: %s %s" % (s, body[:200]))
        return
    try:
        validate(spec)
        out("ok", "/openapi.json: valid OpenAPI %s (openapi-spec-validator)" % spec.get("openapi"))
    except Exception as e:  # noqa: BLE001 — any validation error is the finding
        out("FAIL", "/openapi.json does not validate: %s" % str(e).splitlines()[0])
    bad_scope = mint("user", "user_0001", scope="profile:read")
    checked = 0
    for path, item in sorted(spec.get("paths", {}).items()):
        op = item.get("get")
        if op is None:
            continue
        secured = bool(op.get("security", spec.get("security")))
        if "{" in path:
            out("note", "%s has path parameters: not called" % path)
            continue
        checked += 1
        if secured and not TOKEN:
            s, _, _, _ = req(BASE, path)
            (out("ok", "GET %s without a token: 401" % path) if s == 401
             else out("FAIL", "GET %s without a token: %s, want 401" % (path, s)))
            continue
        s, h, d, raw = req(BASE, path, TOKEN if secured else None)
        responses = {k: resolve(spec, v) for k, v in op.get("responses", {}).items()}
        if str(s) not in responses:
            out("FAIL", "GET %s: %s, not a documented status (%s)" % (path, s, ", ".join(responses)))
            continue
        if path == "/metrics" and s == 404:
            out("ok", "GET /metrics: 404 (not in METRICS_ALLOW or behind the balancer), documented")
            continue
        if s != 200:
            out("FAIL", "GET %s: %s, want 200: %s" % (path, s, raw[:200]))
            continue
        content = responses["200"].get("content", {})
        ctype = h.get("content-type", "").split(";")[0].strip()
        media = content.get(ctype)
        if content and media is None:
            out("FAIL", "GET %s: Content-Type %s not documented (%s)" % (path, ctype, ", ".join(content)))
            continue
        schema = (media or {}).get("schema")
        if schema and ctype.endswith("json"):
            root = dict(schema)
            root["components"] = spec.get("components", {})
            errors = sorted(jsonschema.Draft202012Validator(root).iter_errors(d), key=lambda e: list(e.path))
            if errors:
                out("FAIL", "GET %s: body does not match its schema: %s at %s" % (
                    path, errors[0].message[:200], "/".join(map(str, errors[0].path))))
                continue
        out("ok", "GET %s: 200 %s%s" % (path, ctype, ", body matches its schema" if schema else ""))
        if secured:
            s2, h2, _, _ = req(BASE, path)
            if s2 == 401 and h2.get("www-authenticate", "").startswith("Bearer"):
                out("ok", "GET %s without a token: 401 with WWW-Authenticate: Bearer" % path)
            else:
                out("FAIL", "GET %s without a token: %s, want 401 with WWW-Authenticate" % (path, s2))
            if bad_scope:
                s3, _, d3, _ = req(BASE, path, bad_scope)
                (out("ok", "GET %s with scope profile:read: 403" % path) if s3 == 403
                 else out("FAIL", "GET %s with scope profile:read: %s, want 403" % (path, s3)))
    if not bad_scope:
        out("note", "no JWT secret: the 403 (wrong scope) checks were not run")
    if not TOKEN:
        out("note", "no token: the dashboard answers were not checked")
    out("summary", "%d documented endpoints answered as documented" % checked)


# ---------------------------------------------------------------------------- L5
def summary_of(url, token, period):
    s, h, d, raw = req(url, "/financial/dashboard/summary?" + period, token)
    if s != 200:
        raise AssertionError("%s summary: %s %s" % (url, s, raw[:200]))
    return d, h


def level5():
    targets = [BASE] + REPLICAS
    if PSQL is None:
        return level5_seeded()
    if not SECRET:
        out("note", "no JWT secret: cannot mint the test tenants' tokens")
        sys.exit(3)
    tid = "validate_%s" % uuid.uuid4().hex[:12]
    day = time.strftime("%Y-%m-%d", time.gmtime())
    period = "from=%s&to=%s" % (day, day)
    tu, to = mint("user", tid), mint("organization", tid)
    if not tu or not to:
        out("FAIL", "findash token failed")
        return
    lit = "'%s'" % tid
    try:
        psql("""
            WITH ua AS (INSERT INTO accounts (tenant_type, tenant_id, name, type, currency, balance)
                        VALUES ('user', %(t)s, 'L5 user account', 'checking', 'USD', 100.00) RETURNING id),
                 oa AS (INSERT INTO accounts (tenant_type, tenant_id, name, type, currency, balance)
                        VALUES ('organization', %(t)s, 'L5 organization account', 'checking', 'EUR', 5000.00) RETURNING id)
            INSERT INTO transactions (tenant_type, tenant_id, account_id, amount, currency, kind, category, booked_on)
            SELECT 'user', %(t)s, ua.id, 10.00, 'USD', 'income', 'salary', '%(d)s'::date FROM ua
            UNION ALL
            SELECT 'organization', %(t)s, oa.id, 700.00, 'EUR', 'income', 'sales', '%(d)s'::date FROM oa
        """ % {"t": lit, "d": day})
        out("ok", "inserted user/%s (USD 100.00, income 10.00) and organization/%s (EUR 5000.00, income 700.00)" % (tid, tid))
        # Tenant isolation, everywhere.
        for url in targets:
            du, _ = summary_of(url, tu, period)
            do, _ = summary_of(url, to, period)
            cu = [(c["currency"], c["total_assets"], c["income"]) for c in du["currencies"]]
            co = [(c["currency"], c["total_assets"], c["income"]) for c in do["currencies"]]
            ok_u = du["tenant"] == {"type": "user", "id": tid} and cu == [("USD", "100.00", "10.00")]
            ok_o = do["tenant"] == {"type": "organization", "id": tid} and co == [("EUR", "5000.00", "700.00")]
            if ok_u and ok_o:
                out("ok", "%s: user/%s sees only USD 100.00, organization/%s only EUR 5000.00" % (url, tid, tid))
            else:
                out("FAIL", "%s: tenant isolation: user sees %s, organization sees %s" % (url, cu, co))
            s, _, da, _ = req(url, "/financial/dashboard/accounts?" + period, tu)
            names = [a["name"] for a in (da or {}).get("accounts", [])]
            (out("ok", "%s: user's accounts: %s" % (url, names)) if names == ["L5 user account"]
             else out("FAIL", "%s: user's accounts are %s" % (url, names)))
        # Cache freshness: every target has the answer cached, a new row shows within FRESH_S.
        for url in targets:
            summary_of(url, tu, period)
            _, h = summary_of(url, tu, period)
            if h.get("x-cache") != "HIT":
                out("note", "%s: second read was X-Cache %s" % (url, h.get("x-cache")))
        psql("""INSERT INTO transactions (tenant_type, tenant_id, account_id, amount, currency, kind, category, booked_on)
                SELECT 'user', %(t)s, id, -3.00, 'USD', 'expense', 'food', '%(d)s'::date FROM accounts
                WHERE tenant_type = 'user' AND tenant_id = %(t)s""" % {"t": lit, "d": day})
        inserted = time.monotonic()
        for url in targets:
            while True:
                d, h = summary_of(url, tu, period)
                c = d["currencies"][0] if d["currencies"] else {}
                if c.get("expenses") == "3.00" and d.get("transactions_count") == 2:
                    out("ok", "%s: the new expense shows after %.0f ms (X-Cache %s)" % (
                        url, (time.monotonic() - inserted) * 1000, h.get("x-cache")))
                    break
                if time.monotonic() - inserted > FRESH_S:
                    out("FAIL", "%s: the new expense did not show within %.1f s (expenses %s, X-Cache %s)" % (
                        url, FRESH_S, c.get("expenses"), h.get("x-cache")))
                    break
                time.sleep(0.02)
        do, _ = summary_of(BASE, to, period)
        if do["currencies"][0]["expenses"] != "0.00":
            out("FAIL", "the user's new expense changed the organization's answer")
        out("summary", "tenant isolation and freshness (< %.1f s) on %d target(s)" % (FRESH_S, len(targets)))
    except (AssertionError, RuntimeError, OSError, KeyError, IndexError, TypeError) as e:
        out("FAIL", "%s: %s" % (type(e).__name__, e))
    finally:
        try:
            psql("DELETE FROM transactions WHERE tenant_id = %s; DELETE FROM accounts WHERE tenant_id = %s" % (lit, lit))
        except RuntimeError as e:
            out("FAIL", "cleanup: %s" % e)


def level5_seeded():
    tu, to = mint("user", "user_0001"), mint("organization", "user_0001")
    if not (tu and to):
        out("note", "no database access and no JWT secret: nothing to compare")
        sys.exit(3)
    out("note", "no database access: compared the seeded tenants user/user_0001 and organization/user_0001, no freshness check")
    du, _ = summary_of(BASE, tu, "")
    do, _ = summary_of(BASE, to, "")
    if du["tenant"] == {"type": "user", "id": "user_0001"} and do["tenant"] == {"type": "organization", "id": "user_0001"}:
        out("ok", "each token sees its own tenant")
    else:
        out("FAIL", "tenants: %s / %s" % (du["tenant"], do["tenant"]))
    if du["currencies"] and du["currencies"] == do["currencies"]:
        out("FAIL", "user/user_0001 and organization/user_0001 have identical figures: %s" % du["currencies"])
    elif not du["currencies"] and not do["currencies"]:
        out("note", "both seeded tenants are empty (not seeded?): isolation not shown")
    else:
        out("ok", "user/user_0001 and organization/user_0001 differ")
    out("summary", "tenant isolation on the seeded tenants")


{"L3": level3, "L4": level4, "L5": level5}[mode]()
sys.exit(1 if failed else 0)
PY

# py_level MODE: runs PY_CHECKS, turning its lines into check_* calls.
py_level() {
    local mode=$1 rc=0 kind text out
    out=$(V_BASE=$BASE V_REPLICAS="${REPLICA_URLS[*]}" V_TOKEN=$TOKEN_MAIN V_BIN=$BIN V_SECRET=$SECRET \
        V_PSQL=$PSQL_JSON V_FRESHNESS_S=${VALIDATE_FRESHNESS_S:-1} \
        V_MINT=$([[ $KIND == env-compose ]] && echo compose) \
        V_COMPOSE=$([[ $KIND == env-compose ]] && python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "${COMPOSE[@]}") \
        python3 -c "$PY_CHECKS" "$mode" 2>&1) || rc=$?
    while IFS= read -r line; do
        kind=${line%% *}
        text=${line#* }
        text=${text#"${text%%[! ]*}"}
        case $kind in
        ok) check_ok "$text" ;;
        FAIL) check_fail "$text" ;;
        note) check_note "$text" ;;
        summary) SUMMARY=$text ;;
        *) printf '      %s\n' "$line" >>"$LOG" ;;
        esac
    done <<<"$out"
    if ((rc == 3)); then
        SKIP_REASON=${NOTES[-1]:-cannot run here}
        return 0
    fi
    if ((rc != 0 && ${#FAILS[@]} == 0)); then check_fail "python checks exited $rc: $(tail -n 3 <<<"$out" | tr '\n' ' ')"; fi
    return 0
}

# ============================================================================ L1 configuration

level1() {
    local out rc
    if out=$("$CI_DIR/check-compose.sh" 2>&1); then
        check_ok "ci/check-compose.sh: $(tail -n 1 <<<"$out")"
    else
        check_fail "ci/check-compose.sh: $(grep -E '^FAIL' <<<"$out" | head -n 3 | tr '\n' ' ')"
        printf '%s\n' "$out" >>"$LOG"
    fi
    if out=$("$CI_DIR/check-dockerfile.sh" 2>&1); then
        check_ok "ci/check-dockerfile.sh: $(tail -n 1 <<<"$out")"
    else
        check_fail "ci/check-dockerfile.sh: $(grep -E '^FAIL' <<<"$out" | head -n 3 | tr '\n' ' ')"
        printf '%s\n' "$out" >>"$LOG"
    fi
    if [[ -n $CONFIG_ENV && -n $BIN && $BIN != compose ]]; then
        rc=0
        out=$(run_with_env "$CONFIG_ENV" "$BIN" check-config 2>&1) || rc=$?
        if ((rc == 0)); then
            check_ok "findash check-config: $(tail -n 1 <<<"$out")"
            printf '%s\n' "$out" | sed 's/^/      /' >>"$LOG"
        elif grep -q "unknown command 'check-config'" <<<"$out"; then
            check_note "findash check-config not in this release: environment check skipped"
        else
            check_fail "findash check-config: $(grep -m1 'findash' <<<"$out")"
        fi
    else
        check_note "no deployment environment to check (VALIDATE_ENV_FILE): check-config skipped"
    fi
    if [[ $KIND == env-local ]]; then
        nginx_args
        if out=$(nginx -t -q "${NGINX_ARGS[@]}" 2>&1); then
            check_ok "nginx -t: $STATE/nginx/nginx.conf"
        else
            check_fail "nginx -t: $out"
        fi
    fi
    SUMMARY="compose files, Dockerfile"
    if [[ $KIND == env-local ]]; then SUMMARY+=", nginx configuration"; fi
    if grep -q '^ok    findash check-config' "$LOG"; then SUMMARY+=", environment (findash check-config)"; fi
}

# ============================================================================ L2 startup

level2() {
    local i url pid master status body missing
    case $KIND in
    env-local)
        if master=$(nginx_master); then
            check_ok "nginx master $master runs"
        else
            check_fail "nginx is not running"
        fi
        if port_listening "$PORT"; then check_ok "port $PORT listens"; else check_fail "nothing listens on port $PORT"; fi
        status=$(http_status "$BASE/nginx-health")
        [[ $status == 200 ]] && check_ok "GET /nginx-health: 200" || check_fail "GET $BASE/nginx-health: $status"
        for i in "${!REPLICA_URLS[@]}"; do
            url=${REPLICA_URLS[$i]}
            pid=${REPLICA_PIDS[$i]}
            if replica_alive "$pid" "${REPLICA_STARTS[$i]}"; then check_ok "replica $((i + 1)) (pid $pid) runs"; else check_fail "replica $((i + 1)) (pid $pid) is not running"; fi
            if port_listening "${url##*:}"; then check_ok "port ${url##*:} listens"; else check_fail "nothing listens on port ${url##*:}"; fi
            status=$(http_status "$url/health")
            [[ $status == 200 ]] && check_ok "$url/health: 200" || check_fail "$url/health: $status"
        done
        ((${#REPLICA_URLS[@]} == REPLICAS)) || check_fail "${#REPLICA_URLS[@]} replicas run, $DEPLOY_ENV wants $REPLICAS"
        missing=$(ldd "$BIN" 2>&1 | grep 'not found' || true)
        [[ -z $missing ]] && check_ok "ldd: every shared library resolves" || check_fail "ldd: $missing"
        SUMMARY="nginx and ${#REPLICA_URLS[@]} replica(s) run and answer /health"
        ;;
    env-compose)
        local services
        services=$("${COMPOSE[@]}" ps --status running --services 2>&1) || check_fail "docker compose ps: $services"
        for s in postgres memcached app; do
            grep -qx "$s" <<<"$services" && check_ok "service $s running" || check_fail "service $s is not running"
        done
        SUMMARY="compose services run"
        ;;
    url) check_note "$NOTES_URL" ;;
    esac
    body=$(curl -sk --max-time 5 "$BASE/health" || true)
    if [[ $body == '{"status":"ok"}' ]]; then
        check_ok "GET $BASE/health: {\"status\":\"ok\"}"
    else
        check_fail "GET $BASE/health: ${body:-no answer}"
    fi
    [[ -n $SUMMARY ]] || SUMMARY="/health answers"
}

level3() { py_level L3; }

level4() {
    local out
    ensure_python_modules openapi_spec_validator=openapi-spec-validator jsonschema=jsonschema >>"$LOG" 2>&1
    if out=$("$ROOT/scripts/smoke-test.sh" "$BASE" "$TOKEN_MAIN" 2>&1); then
        check_ok "scripts/smoke-test.sh: $(tail -n 1 <<<"$out")"
    else
        check_fail "scripts/smoke-test.sh: $(grep -E '^FAIL' <<<"$out" | head -n 3 | tr '\n' ' ')"
    fi
    printf '%s\n' "$out" | sed 's/^/      /' >>"$LOG"
    local summary_smoke
    summary_smoke=$(tail -n 1 <<<"$out")
    py_level L4
    SUMMARY="${SUMMARY:-endpoints}; ${summary_smoke#smoke test: }"
}

level5() { py_level L5; }

# ============================================================================ L6 performance

# ms VALUE: wrk's "1.23ms" / "456.00us" / "1.02s" / "2.00m" in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; else if (u == "h") n *= 3600000
        printf "%.2f", n }'
}

level6() {
    local duration=${VALIDATE_L6_DURATION:-5} conns=${VALIDATE_L6_CONNECTIONS:-32}
    local p99_max=${VALIDATE_L6_P99_MS:-500} err_max=${VALIDATE_L6_MAX_ERROR_PCT:-1}
    local out requests non2xx sockerr p99 rps errpct url=$BASE/financial/dashboard
    if [[ -z $TOKEN_MAIN ]]; then
        SKIP_REASON="no token (TOKEN or JWT_SECRET): no load on the dashboard"
        return 0
    fi
    command -v wrk >/dev/null 2>&1 || ensure_debian_packages wrk >>"$LOG" 2>&1
    # Warm the cache, then a bounded load with keep-alive connections.
    curl -sk -o /dev/null --max-time 10 -H "Authorization: Bearer $TOKEN_MAIN" "$url" || true
    out=$(timeout $((duration + 30)) wrk -t2 -c"$conns" -d"${duration}s" --timeout 5s --latency \
        -H "Authorization: Bearer $TOKEN_MAIN" "$url" 2>&1) || { check_fail "wrk: $(tail -n 2 <<<"$out")"; return 0; }
    printf '%s\n' "$out" | sed 's/^/      /' >>"$LOG"
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' <<<"$out")
    sockerr=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' <<<"$out")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
    rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
    requests=${requests:-0}
    if ((requests == 0)); then
        check_fail "wrk made no request: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
        return 0
    fi
    errpct=$(awk -v e="$((${non2xx:-0} + ${sockerr:-0}))" -v n="$requests" 'BEGIN { printf "%.3f", 100 * e / n }')
    p99=$(to_ms "${p99:-0ms}")
    if awk -v a="$errpct" -v b="$err_max" 'BEGIN { exit !(a < b) }'; then
        check_ok "error rate $errpct % (< $err_max %): ${non2xx:-0} non-2xx, ${sockerr:-0} socket errors of $requests"
    else
        check_fail "error rate $errpct % (limit $err_max %): ${non2xx:-0} non-2xx, ${sockerr:-0} socket errors of $requests"
    fi
    if awk -v a="$p99" -v b="$p99_max" 'BEGIN { exit !(a < b) }'; then
        check_ok "p99 $p99 ms (< $p99_max ms), $rps requests/s"
    else
        check_fail "p99 $p99 ms (limit $p99_max ms)"
    fi
    SUMMARY="${duration} s x $conns connections: $rps req/s, p99 $p99 ms, errors $errpct %"
    if [[ $KIND == env-local ]]; then
        local limit pid rss i
        limit=$(deploy_memory_limit_mb "$DEPLOY_ENV")
        for i in "${!REPLICA_PIDS[@]}"; do
            pid=${REPLICA_PIDS[$i]}
            rss=$(awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo 0)
            if ((limit > 0 && rss >= limit * 80 / 100)); then
                check_fail "replica $((i + 1)): $rss MB resident, over 80 % of $DEPLOY_ENV's $limit MB limit"
            else
                check_ok "replica $((i + 1)): $rss MB resident${limit:+ (limit $limit MB)}"
            fi
        done
        SUMMARY+="; memory within limits"
    fi
    local status
    status=$(http_status "$BASE/health")
    [[ $status == 200 ]] && check_ok "/health after the load: 200" || check_fail "/health after the load: $status"
}

# ============================================================================ L7 regression

L7_LIVE_TESTS=${VALIDATE_L7_TESTS:-Tests/live/test_http_basics.py Tests/live/test_dashboard_auth.py Tests/live/test_dashboard_summary.py}

level7() {
    local mode=$VALIDATE_L7 rc
    if [[ ! -f $ROOT/Package.swift || ! -d $ROOT/Tests ]]; then
        SKIP_REASON="no checkout with tests at $ROOT"
        return 0
    fi
    case $mode in
    skip)
        SKIP_REASON="VALIDATE_L7=skip$([[ $KIND == url ]] && echo ' (default for a URL)'); make test runs the suite"
        return 0
        ;;
    full)
        if [[ -n ${FINDASH_VALIDATING:-} ]]; then
            SKIP_REASON="already inside a validation's test suite: not running make test again"
            return 0
        fi
        rc=0
        (cd "$ROOT" && FINDASH_VALIDATING=1 make test) >>"$LOG" 2>&1 || rc=$?
        ((rc == 0)) && check_ok "make test" || check_fail "make test: exit status $rc (log: VALIDATE_LOG_DIR)"
        SUMMARY="make test passed"
        ;;
    quick | live)
        if [[ $mode == quick ]]; then
            rc=0
            (cd "$ROOT" && timeout --kill-after=30 1500 swift test) >>"$LOG" 2>&1 || rc=$?
            ((rc == 0)) && check_ok "swift test" || check_fail "swift test: exit status $rc"
        fi
        local db mc bin=$BIN
        if [[ $KIND == env-local ]]; then
            db=$(eval "printf '%s' $(sed -n 's/^export DATABASE_URL=//p' "$CONFIG_ENV")")
            mc=$(eval "printf '%s' $(sed -n 's/^export MEMCACHED_SERVERS=//p' "$CONFIG_ENV")")
        else
            db=${DATABASE_URL:-}
            mc=${MEMCACHED_SERVERS:-}
        fi
        if [[ -z $db || -z $mc || -z $bin || $bin == compose ]]; then
            check_fail "the live tests need a binary, DATABASE_URL and MEMCACHED_SERVERS"
            return 0
        fi
        rc=0
        # shellcheck disable=SC2086  # the list of test files is split on purpose
        (cd "$ROOT" && FINDASH_VALIDATING=1 FINDASH_BIN=$bin DATABASE_URL=$db MEMCACHED_SERVERS=$mc \
            timeout --kill-after=30 900 python3 -m pytest -q -p no:cacheprovider -x $L7_LIVE_TESTS) >>"$LOG" 2>&1 || rc=$?
        local tally
        tally=$(grep -E '[0-9]+ (passed|failed|error)' "$LOG" | tail -n 1 | tr -d '=' | sed 's/^ *//; s/ *$//')
        if ((rc == 0)); then
            check_ok "live tests ($L7_LIVE_TESTS): $tally"
        else
            check_fail "live tests ($L7_LIVE_TESTS): ${tally:-exit status $rc}"
        fi
        SUMMARY="$([[ $mode == quick ]] && echo 'swift test, ')live subset ($(wc -w <<<"$L7_LIVE_TESTS") files) against this deployment's binary: $tally"
        ;;
    *)
        check_fail "VALIDATE_L7 must be full, quick, live or skip (not '$mode')"
        ;;
    esac
}

# ============================================================================ run

printf 'validating %s (%s) at %s\n' "$TARGET" "$BASE" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
$CAN_MINT || [[ -n $TOKEN_MAIN ]] || printf '      note: no TOKEN and no JWT_SECRET: the authenticated checks are skipped\n'
started=$SECONDS
run_level L1 configuration level1
run_level L2 startup level2
run_level L3 connectivity level3
run_level L4 functionality level4
run_level L5 integration level5
run_level L6 performance level6
run_level L7 regression level7

passed=0
failed=()
skipped=0
for id in "${ORDER[@]}"; do
    case ${RESULT[$id]} in
    PASS) passed=$((passed + 1)) ;;
    SKIP) skipped=$((skipped + 1)) ;;
    *) failed+=("$id") ;;
    esac
done
if ((${#ORDER[@]} == 0)); then
    printf 'verdict: FAIL (no level selected: VALIDATE_LEVELS=%s)\n' "$LEVELS"
    exit 1
fi
if ((${#failed[@]} > 0)); then
    printf 'verdict: FAIL (%s failed; %d passed, %d skipped; %d s)\n' "${failed[*]}" "$passed" "$skipped" "$((SECONDS - started))"
    exit 1
fi
printf 'verdict: PASS (%d passed, %d skipped; %d s)\n' "$passed" "$skipped" "$((SECONDS - started))"
