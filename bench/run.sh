#!/usr/bin/env bash
# `make bench`: findash against its ceiling (nginx serving a static file of the same size) and
# its floor (the server's own SQL run directly by pgbench), all measured in this one run, on
# seeded data; writes the table to docs/performance.md and prints it. See docs/performance.md
# ("Method") for what each scenario does and why.
#
# Phases: release build · services (.local/bench) · migrate, seed once per parameter set,
# VACUUM ANALYZE · server, tokens, SQL check · ceiling · floor of four endpoints · S1–S3, S5,
# S6 · S4 each next to its full-dashboard floor · report.
# Everything it starts (findash, nginx, the idle-connection holder, PostgreSQL, memcached) is
# stopped on exit or Ctrl-C; the seeded cluster stays in .local/bench for the next run.
#
# Knobs (environment):
#   BENCH_TENANTS=2000 BENCH_TRANSACTIONS=5000000 BENCH_SEED=42   data (reseeded when changed)
#   BENCH_RESEED=1            seed again even if .local/bench holds these parameters
#   BENCH_DURATION=5          seconds measured per scenario (integer)
#   BENCH_WARMUP=2            seconds of warm-up before each (S3: BENCH_S3_WARMUP, default
#                             max(3 × BENCH_WARMUP, 20): the cache fills over many tenants)
#   BENCH_FLOOR_DURATION=3    seconds per floor query other than the full dashboard's
#   BENCH_S4_DURATION=2×BENCH_DURATION   S4 and the full dashboard's floor (few slow requests)
#   BENCH_THREADS=2 BENCH_CONNECTIONS=64    wrk threads and connections (S1, S2, S3, S6)
#   BENCH_S4_CONNECTIONS=1    concurrency of S4 and of the floor (pgbench -c)
#   BENCH_MANY_CONNECTIONS=1000   S5     BENCH_IDLE_CONNECTIONS=10000   S6
#   BENCH_ZIPF_S=1.0          S3 popularity exponent
#   BENCH_FLOOR_PGOPTIONS     extra settings for the floor's sessions ("-c plan_cache_mode=…")
#   BENCH_SKIP_BUILD=1        use the release binary as it is (no swift build)
#   BENCH_OUT=docs/performance.md   where the results section is written
#   BENCH_KEEP_SERVICES=1     leave PostgreSQL and memcached running afterwards
#   BENCH_SERVICES_DIR=.local/bench   their directory: give quick runs on other data sizes
#                             their own (.local/bench-small) to keep the full data seeded
# Server settings (WORKERS, BLOCKING_THREADS, DB_POOL_SIZE, …) pass through from the
# environment; the bench sets ENVIRONMENT=production, LOG_LEVEL=warning,
# DASHBOARD_CACHE_TTL=600 and MAX_CONNECTIONS=BENCH_IDLE_CONNECTIONS+2000 (S6 holds 10,000
# idle connections while S2's 64 work) unless BENCH_LOG_LEVEL / BENCH_CACHE_TTL say otherwise.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
cd "$ROOT"

TENANTS=${BENCH_TENANTS:-2000}
TRANSACTIONS=${BENCH_TRANSACTIONS:-5000000}
SEED=${BENCH_SEED:-42}
DURATION=${BENCH_DURATION:-5}
WARMUP=${BENCH_WARMUP:-2}
S3_WARMUP=${BENCH_S3_WARMUP:-$((3 * WARMUP > 20 ? 3 * WARMUP : 20))}
FLOOR_DURATION=${BENCH_FLOOR_DURATION:-3}
S4_DURATION=${BENCH_S4_DURATION:-$((2 * DURATION))}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
S4_CONNECTIONS=${BENCH_S4_CONNECTIONS:-1}
MANY=${BENCH_MANY_CONNECTIONS:-1000}
IDLE=${BENCH_IDLE_CONNECTIONS:-10000}
ZIPF_S=${BENCH_ZIPF_S:-1.0}
OUT=${BENCH_OUT:-docs/performance.md}
CACHE_TTL=${BENCH_CACHE_TTL:-600}
SPAN=30         # S4 and floor: days per window
WRK_TIMEOUT=10  # seconds before wrk counts a request as timed out

for knob in TENANTS TRANSACTIONS SEED DURATION WARMUP S3_WARMUP FLOOR_DURATION S4_DURATION THREADS CONNECTIONS \
    S4_CONNECTIONS MANY IDLE CACHE_TTL; do
    [[ ${!knob} =~ ^[0-9]+$ ]] || { echo "bench: $knob (a BENCH_… setting) must be a whole number, not '${!knob}'" >&2; exit 2; }
done
((TENANTS >= 1 && TRANSACTIONS >= 1 && DURATION >= 1 && FLOOR_DURATION >= 1 && S4_DURATION >= 1 && THREADS >= 1 && CONNECTIONS >= 1 && S4_CONNECTIONS >= 1)) \
    || { echo "bench: tenants, transactions, durations, threads and connections must be at least 1" >&2; exit 2; }

# services.sh's directory (only what services.sh allows in it): PostgreSQL, memcached, the
# seed marker and the JWT secret.
SVC=${BENCH_SERVICES_DIR:-$ROOT/.local/bench}
[[ $SVC == /* ]] || SVC=$ROOT/$SVC
W=$ROOT/.local/bench-work     # everything else this script makes
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RES=$W/results/$STAMP
LUA=$ROOT/bench/lua
mkdir -p "$W" "$RES"
# Raw results of the last 20 runs are kept.
find "$W/results" -mindepth 1 -maxdepth 1 -type d | sort | head -n -20 | xargs -r rm -rf --

log() { printf '[bench] %s\n' "$*"; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# One bench per checkout at a time: they would share .local/bench.
exec 9>"$W/lock"
flock -n 9 || die "another bench is running in this checkout ($W/lock)"

# --- phases and timing ----------------------------------------------------------------------

PHASE=""
PHASE_START=0
phase_end() {
    [[ -n $PHASE ]] || return 0
    local seconds
    seconds=$(awk -v a="$PHASE_START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    printf '%s\t%s\n' "$PHASE" "$seconds" >>"$RES/phases.tsv"
    log "$PHASE: ${seconds} s"
    PHASE=""
}
phase() {
    phase_end
    PHASE=$1
    PHASE_START=$EPOCHREALTIME
    heading "bench: $PHASE"
}
context() { printf '%s\t%s\n' "$1" "$2" >>"$RES/context.tsv"; }

# --- processes ------------------------------------------------------------------------------

FINDASH_PID=""
NGINX_PID=""
IDLE_PID=""
SAMPLER_PID=""
LOGGING_ON=0
SERVICES_STARTED=0

alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

stop_pid() {  # pid signal seconds: signal, wait, then SIGKILL
    local pid=$1 sig=$2 seconds=$3 i
    alive "$pid" || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < seconds * 10; i++)); do
        alive "$pid" || break
        sleep 0.1
    done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
}

admin_sql() { scripts/services.sh admin-psql "$SVC" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_pid "$SAMPLER_PID" TERM 1
    stop_pid "$IDLE_PID" TERM 3
    stop_pid "$NGINX_PID" QUIT 5
    stop_pid "$FINDASH_PID" TERM 10
    if ((LOGGING_ON)); then
        admin_sql -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null 2>&1 || true
    fi
    if ((SERVICES_STARTED)); then
        if [[ ${BENCH_KEEP_SERVICES:-0} == 1 ]]; then
            log "BENCH_KEEP_SERVICES=1: services left running (scripts/services.sh stop $SVC)"
        else
            scripts/services.sh stop "$SVC" || true
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- measuring a process: CPU ticks and resident memory from /proc ---------------------------

CLK_TCK=$(getconf CLK_TCK)
PGDATA=""
PG_PID=""

# Own CPU plus that of reaped children (nginx workers, PostgreSQL backends that exited).
cpu_ticks() {
    local total=0 pid stat
    local -a f
    for pid in "$@"; do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        read -r -a f <<<"$stat"
        total=$((total + f[11] + f[12] + f[13] + f[14]))
    done
    printf '%s\n' "$total"
}

rss_kb() {
    local total=0 pid kb
    for pid in "$@"; do
        kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || continue
        total=$((total + ${kb:-0}))
    done
    printf '%s\n' "$total"
}

with_children() {
    [[ -n ${1:-} ]] || return 0
    printf '%s\n' "$1"
    ps --ppid "$1" -o pid= 2>/dev/null | tr -d ' ' || true
}

target_pids() {  # findash | nginx | postgres
    case $1 in
    findash) printf '%s\n' "$FINDASH_PID" ;;
    nginx) with_children "$NGINX_PID" ;;
    postgres) with_children "$PG_PID" ;;
    esac
}

# Writes FILE: "key value" lines (server CPU ticks, PostgreSQL CPU ticks, time, RSS) and,
# for findash, FILE.metrics (a /metrics scrape).
snapshot() {
    local file=$1 target=$2
    local -a pids
    mapfile -t pids < <(target_pids "$target")
    {
        printf 'time %s\n' "$EPOCHREALTIME"
        printf 'cpu_ticks %s\n' "$(cpu_ticks "${pids[@]}")"
        mapfile -t pids < <(target_pids postgres)
        printf 'db_ticks %s\n' "$(cpu_ticks "${pids[@]}")"
        mapfile -t pids < <(target_pids "$target")
        printf 'rss_kb %s\n' "$(rss_kb "${pids[@]}")"
    } >"$file"
    if [[ $target == findash ]]; then
        curl -s --max-time 5 "http://127.0.0.1:$PORT/metrics" >"$file.metrics" || true
    fi
}

# Largest resident memory of TARGET seen while the measured run lasts, into FILE.
start_sampler() {
    local file=$1 target=$2
    (
        max=0
        while :; do
            mapfile -t pids < <(target_pids "$target")
            r=$(rss_kb "${pids[@]}")
            ((r > max)) && max=$r
            printf '%s\n' "$max" >"$file.tmp" && mv "$file.tmp" "$file"
            sleep 0.25
        done
    ) &
    SAMPLER_PID=$!
}

stop_sampler() {
    stop_pid "$SAMPLER_PID" TERM 1
    SAMPLER_PID=""
}

# --- wrk ------------------------------------------------------------------------------------

# wrk_run OUT_JSON SECONDS CONNECTIONS SCRIPT [wrk args…] URL
wrk_run() {
    local out=$1 seconds=$2 conns=$3 script=$4
    shift 4
    local threads=$((conns < THREADS ? conns : THREADS))
    BENCH_WRK_OUT=$out BENCH_THREADS=$threads BENCH_LUA_DIR=$LUA \
        wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout "${WRK_TIMEOUT}s" -s "$LUA/$script" "$@"
}

# Until the warm-up's last requests (still running in the server when wrk stops) are done,
# so that the measured run counts only its own: no pooled connection in use, no queued job.
settle() {
    local i text
    for ((i = 0; i < 100; i++)); do
        text=$(curl -s --max-time 2 "http://127.0.0.1:$PORT/metrics") || return 0
        grep -qE '^dashboard_db_pool_in_use 0$' <<<"$text" && grep -qE '^dashboard_worker_queue 0$' <<<"$text" && return 0
        sleep 0.1
    done
}

# findash serve on PORT (the same one again after a restart), its output into findash.log.
start_server() {
    local i
    (
        unset RATE_LIMIT_RPS RATE_LIMIT_BURST
        export HOST=127.0.0.1 PORT ENVIRONMENT=production LOG_LEVEL=${BENCH_LOG_LEVEL:-warning} \
            DASHBOARD_CACHE_TTL=$CACHE_TTL MAX_CONNECTIONS=$((IDLE + 2000)) DRAIN_TIMEOUT=5
        exec "$BIN" serve
    ) >>"$RES/findash.log" 2>&1 &
    FINDASH_PID=$!
    for ((i = 0; i < 100; i++)); do
        curl -sf -o /dev/null --max-time 1 "$BASE/health" && break
        alive "$FINDASH_PID" || { tail -n 20 "$RES/findash.log" >&2; die "findash serve exited at start"; }
        sleep 0.1
    done
    curl -sf -o /dev/null "$BASE/health" || die "findash did not answer /health on $BASE"
    log "findash serve on $BASE (pid $FINDASH_PID)"
}

# Whether findash still runs (during WHAT). When it has ended cleanly — exit status 0 after
# draining, or SIGTERM/SIGINT before it could: stopped from outside, which happens on a shared
# machine — it is noted and started again, and the caller repeats its run (status 1). A crash
# ends the bench.
server_running() {
    alive "$FINDASH_PID" && return 0
    local status=0
    wait "$FINDASH_PID" || status=$?
    FINDASH_PID=""
    case $status in
    0 | 130 | 143)
        log "WARNING: findash serve ended during $1 (exit status $status): stopped from outside? Starting it again."
        printf '%s (exit status %s)\n' "$1" "$status" >>"$RES/restarts.txt"
        start_server
        return 1
        ;;
    esac
    tail -n 20 "$RES/findash.log" >&2
    if ((status > 128)); then
        die "findash serve died during $1: signal $((status - 128)) ($(kill -l $((status - 128)) 2>/dev/null || echo '?'))"
    fi
    die "findash serve exited during $1 with status $status"
}

# measure NAME TARGET WARMUP_SECONDS CONNECTIONS SCRIPT [wrk args…] URL
# A warm-up run, then the measured one (MEASURE_SECONDS, default BENCH_DURATION) between two
# snapshots, with the memory sampler on; repeated once if findash had to be started again.
# Results: RES/NAME.json (wrk), NAME.txt, NAME.before/.after (+ .metrics), NAME.rss.
measure() {
    measure_once "$@" && return 0
    measure_once "$@" || die "$1: findash serve was stopped twice"
}

measure_once() {
    local name=$1 target=$2 warm=$3 seconds=${MEASURE_SECONDS:-$DURATION}
    shift 3
    log "$name: ${warm} s warm-up + ${seconds} s, $1 connections, $2, ${*: -1}"
    if [[ $target == findash ]]; then server_running "the time before $name" || true; fi
    if ((warm > 0)); then
        if ! BENCH_RUN=warmup wrk_run "" "$warm" "$@" >"$RES/$name.warmup.txt" 2>&1; then
            [[ $target == findash ]] && ! server_running "the warm-up of $name" && return 1
            die "$name: wrk failed in warm-up (see $RES/$name.warmup.txt)"
        fi
    fi
    if [[ $target == findash ]]; then settle; fi
    snapshot "$RES/$name.before" "$target"
    start_sampler "$RES/$name.rss" "$target"
    if ! BENCH_RUN=measure wrk_run "$RES/$name.json" "$seconds" "$@" >"$RES/$name.txt" 2>&1; then
        stop_sampler
        [[ $target == findash ]] && ! server_running "$name" && return 1
        die "$name: wrk failed (see $RES/$name.txt)"
    fi
    stop_sampler
    snapshot "$RES/$name.after" "$target"
    if [[ $target == findash ]] && ! server_running "$name"; then return 1; fi
    python3 bench/report.py line "$RES" "$name" || true
}

# --- phase: build -----------------------------------------------------------------------------

phase "build"
context started "$(date -u '+%Y-%m-%d %H:%M UTC')"
context loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
scripts/deps.sh
for tool in wrk nginx pgbench psql python3 curl; do
    command -v "$tool" >/dev/null || die "$tool not found (scripts/deps.sh installs it)"
done
if [[ ${BENCH_SKIP_BUILD:-0} == 1 ]]; then
    log "BENCH_SKIP_BUILD=1: using the existing release binary"
else
    swift build -c release
fi
BIN=$(release_bin)
[[ -x $BIN ]] || die "no release binary at $BIN"
context binary_built "$(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC')"

# The floor's SQL generator, compiled against the server's own SQL source (cached by content).
sqlgen_sources=(Sources/Dashboard/DashboardSQL.swift bench/sqlgen/main.swift)
sqlgen_hash=$(cat "${sqlgen_sources[@]}" | sha256sum | cut -c1-16)
if [[ ! -x $W/sqlgen-$sqlgen_hash ]]; then
    log "compiling bench/sqlgen against Sources/Dashboard/DashboardSQL.swift"
    rm -f "$W"/sqlgen-*
    swiftc -O "${sqlgen_sources[@]}" -o "$W/sqlgen-$sqlgen_hash"
fi
mkdir -p "$RES/sql"
"$W/sqlgen-$sqlgen_hash" "$RES/sql"

# --- phase: services --------------------------------------------------------------------------

phase "services"
# wrk -c1000, nginx, findash and the idle holder need many descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(($(ulimit -n) >= IDLE + 2200)) || log "warning: ulimit -n is $(ulimit -n): S5/S6 may run out of descriptors"
SERVICES_STARTED=1
scripts/services.sh start "$SVC"
# shellcheck source=/dev/null
source "$SVC/env"
PGDATA=$(readlink -f "$SVC/postgres")/data
PGLOG=$(readlink -f "$SVC/postgres")/server.log
PG_PID=$(head -n 1 "$PGDATA/postmaster.pid")
MC_PORT=${MEMCACHED_SERVERS##*:}
# Nothing cached from an earlier run may answer this one.
{ exec 7<>"/dev/tcp/127.0.0.1/$MC_PORT" && printf 'flush_all\r\n' >&7 && IFS= read -r -t 2 _ <&7; exec 7>&-; } \
    || log "warning: could not flush memcached"
if [[ ! -s $SVC/jwt_secret ]]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$SVC/jwt_secret")
fi
JWT_SECRET=$(cat "$SVC/jwt_secret")
export JWT_SECRET

# --- phase: data ------------------------------------------------------------------------------

phase "migrate + seed + vacuum"
"$BIN" migrate
wanted="tenants=$TENANTS transactions=$TRANSACTIONS seed=$SEED"
if [[ -f $SVC/seeded && $(head -n 1 "$SVC/seeded") == "$wanted" && ${BENCH_RESEED:-0} != 1 ]]; then
    log "already seeded: $(tr '\n' ' ' <"$SVC/seeded")"
else
    rm -f "$SVC/seeded"
    # Another parameter set's tenants would stay behind a re-seed: start from empty tables.
    psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -c "TRUNCATE transactions, budgets, accounts"
    log "findash seed --tenants $TENANTS --transactions $TRANSACTIONS --seed $SEED"
    seed_day=$(date -u +%F)  # the seeder's "today": its history ends on this day
    "$BIN" seed --tenants "$TENANTS" --transactions "$TRANSACTIONS" --seed "$SEED"
    printf '%s\nday=%s\n' "$wanted" "$seed_day" >"$SVC/seeded"
fi
SEED_DAY=$(sed -n 's/^day=//p' "$SVC/seeded")
[[ $SEED_DAY =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || die "bad marker $SVC/seeded: BENCH_RESEED=1 to seed again"
[[ $SEED_DAY == "$(date -u +%F)" ]] \
    || log "note: data was seeded on $SEED_DAY (BENCH_RESEED=1 to seed it up to today)"
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -c "VACUUM (ANALYZE) accounts, transactions, budgets"
# Every tenant (accounts), largest first, with its transaction count.
psql "$DATABASE_URL" -X -At -F $'\t' -v ON_ERROR_STOP=1 >"$RES/tenants.tsv" <<'SQL'
SELECT a.tenant_type, a.tenant_id, COALESCE(t.n, 0)
FROM (SELECT DISTINCT tenant_type, tenant_id FROM accounts) a
LEFT JOIN (SELECT tenant_type, tenant_id, count(*) AS n FROM transactions GROUP BY 1, 2) t USING (tenant_type, tenant_id)
ORDER BY 3 DESC, 1, 2
SQL
tenant_count=$(wc -l <"$RES/tenants.tsv")
((tenant_count > 0)) || die "no tenants in the database"
total=$(awk -F'\t' '{ s += $3 } END { print s + 0 }' "$RES/tenants.tsv")
((total == TRANSACTIONS)) || die "the database holds $total transactions, not $TRANSACTIONS: BENCH_RESEED=1"
IFS=$'\t' read -r HEAVY_TYPE HEAVY_ID HEAVY_N <"$RES/tenants.tsv"
IFS=$'\t' read -r MEDIAN_TYPE MEDIAN_ID MEDIAN_N < <(sed -n "$(((tenant_count + 1) / 2))p" "$RES/tenants.tsv")
log "heavy tenant $HEAVY_TYPE/$HEAVY_ID: $HEAVY_N transactions ($((100 * HEAVY_N / TRANSACTIONS)) %); median $MEDIAN_TYPE/$MEDIAN_ID: $MEDIAN_N"
if ((TRANSACTIONS >= 5000000 && HEAVY_N < 200000)); then
    log "WARNING: the largest tenant holds $HEAVY_N < 200,000 transactions (issue 7 asks for ≥ 200,000)"
fi
# S2, S3, S5, S6: "this month so far" as of the last seeded day (the default parameters on that
# day, and still the same data when the bench runs weeks later).
PERIOD="?from=${SEED_DAY%-*}-01&to=$SEED_DAY"
context period "${SEED_DAY%-*}-01 … $SEED_DAY"
context tenants "$TENANTS"
context transactions "$TRANSACTIONS"
context seed "$SEED"
context seed_day "$SEED_DAY"
context heavy "$HEAVY_TYPE/$HEAVY_ID"
context heavy_n "$HEAVY_N"
context median "$MEDIAN_TYPE/$MEDIAN_ID"
context median_n "$MEDIAN_N"
context db_size "$(psql "$DATABASE_URL" -X -At -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"

# --- phase: server, tokens, SQL check --------------------------------------------------------

phase "server + tokens + SQL check"
PORT=$(random_free_port) || die "no free port"
BASE=http://127.0.0.1:$PORT
start_server
SERVER_WORKERS=${WORKERS:-$(nproc)}
context server_env "ENVIRONMENT=production WORKERS=$SERVER_WORKERS BLOCKING_THREADS=${BLOCKING_THREADS:-16} DB_POOL_SIZE=${DB_POOL_SIZE:-10} DASHBOARD_CACHE_TTL=$CACHE_TTL MAX_CONNECTIONS=$((IDLE + 2000)) LOG_LEVEL=${BENCH_LOG_LEVEL:-warning}"

HEAVY_TOKEN=$("$BIN" token --tenant-type "$HEAVY_TYPE" --tenant-id "$HEAVY_ID" --ttl 7200)
MEDIAN_TOKEN=$("$BIN" token --tenant-type "$MEDIAN_TYPE" --tenant-id "$MEDIAN_ID" --ttl 7200)
# S3's tokens, most popular (largest) tenant first, minted like `findash token` does.
cut -f1,2 "$RES/tenants.tsv" | tr '\t' ' ' | python3 bench/tokens.py 7200 >"$W/tokens.txt"
last_token=$(tail -n 1 "$W/tokens.txt")
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $last_token" "$BASE/financial/dashboard/budgets")
[[ $status == 200 ]] || die "the server answers $status to a bench/tokens.py token"

# The statements the server runs, from the PostgreSQL log of one request per endpoint (dates
# that no scenario uses, so each one is computed), checked against bench/sqlgen's.
admin_sql -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" >/dev/null
LOGGING_ON=1
sleep 0.3
log_offset=$(stat -c %s "$PGLOG")
check_to=$(date -u -d "$SEED_DAY - 725 days" +%F)
check_from=$(date -u -d "$SEED_DAY - 729 days" +%F)
for endpoint in dashboard summary accounts transactions budgets; do
    path=/financial/dashboard
    [[ $endpoint == dashboard ]] || path=$path/$endpoint
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $HEAVY_TOKEN" \
        "$BASE$path?from=$check_from&to=$check_to")
    [[ $status == 200 ]] || die "$path answered $status"
done
sleep 0.3
admin_sql -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null
LOGGING_ON=0
tail -c "+$((log_offset + 1))" "$PGLOG" >"$RES/sqlcheck.log"
mkdir -p "$RES/floor"
python3 bench/floor.py "$RES/sql" "$RES/sqlcheck.log" "$RES/floor"

# --- phase: ceiling ---------------------------------------------------------------------------

phase "ceiling (nginx)"
NGINX_PORT=$(random_free_port) || die "no free port"
NG=$W/nginx
rm -rf "$NG"
mkdir -p "$NG/www" "$NG/tmp"
curl -s -o "$RES/health.body" "$BASE/health"
curl -s -o "$RES/dashboard.body" -H "Authorization: Bearer $HEAVY_TOKEN" "$BASE/financial/dashboard$PERIOD"
cp "$RES/health.body" "$NG/www/health.json"
cp "$RES/dashboard.body" "$NG/www/dashboard.json"
chmod -R a+rX "$NG"
context body_bytes "$(stat -c %s "$NG/www/dashboard.json")"
# As close to findash's answer as a static file gets: same body bytes, the same extra headers,
# no access log, keep-alive without a request limit, as many workers as findash's loops.
cat >"$NG/nginx.conf" <<EOF
worker_processes $SERVER_WORKERS;
daemon off;
master_process on;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
worker_rlimit_nofile $((IDLE + 4000));
events { worker_connections $((IDLE + 2000)); }
http {
    access_log off;
    client_body_temp_path $NG/tmp;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 60s;
    keepalive_requests 100000000;
    open_file_cache max=16 inactive=600s;
    types { application/json json; }
    default_type application/json;
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=4096;
        root $NG/www;
        location / {
            add_header X-Request-ID \$request_id;
            add_header X-Content-Type-Options nosniff;
            add_header Cache-Control "private, no-cache";
            add_header Vary Authorization;
            add_header X-Cache HIT;
        }
    }
}
EOF
nginx -t -q -p "$NG/" -e "$NG/error.log" -c "$NG/nginx.conf" || die "nginx -t failed"
nginx -p "$NG/" -e "$NG/error.log" -c "$NG/nginx.conf" >"$RES/nginx.log" 2>&1 &
NGINX_PID=$!
for ((i = 0; i < 50; i++)); do
    curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$NGINX_PORT/health.json" && break
    sleep 0.1
done
[[ $(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$NGINX_PORT/dashboard.json") == "$(stat -c %s "$NG/www/dashboard.json")" ]] \
    || die "nginx does not serve the reference file (see $NG/error.log)"
context nginx "$(nginx -v 2>&1 | sed 's/^nginx version: //')"
AUTH=(-H "Authorization: Bearer $HEAVY_TOKEN")
measure C1 nginx "$WARMUP" "$CONNECTIONS" static.lua "http://127.0.0.1:$NGINX_PORT/health.json"
measure C2 nginx "$WARMUP" "$CONNECTIONS" static.lua "${AUTH[@]}" "http://127.0.0.1:$NGINX_PORT/dashboard.json"
measure C5 nginx "$WARMUP" "$MANY" static.lua "${AUTH[@]}" "http://127.0.0.1:$NGINX_PORT/dashboard.json"
stop_pid "$NGINX_PID" QUIT 5
NGINX_PID=""

# --- phase: floor -----------------------------------------------------------------------------

phase "floor (pgbench)"
# As the server's sessions: work_mem 32MB and plan_cache_mode=force_custom_plan
# (ServeCommand's session settings), each statement prepared once per connection (bench/floor.py). The floor runs as the tables' owner (no row-level security):
# the SQL alone; the .rls variant runs as findash_reader after the tenant-context statement,
# as the server does. BENCH_FLOOR_PGOPTIONS adds settings to both (plan_cache_mode, say).
FLOOR_SESSION="-c work_mem=32MB -c plan_cache_mode=force_custom_plan"
reader_role=$(psql "$DATABASE_URL" -X -At -c "SELECT rolname FROM pg_roles WHERE rolname = 'findash_reader'")
SEED_EPOCH_DAY=$(($(date -u -d "$SEED_DAY" +%s) / 86400))
WINDOWS=$((730 - SPAN))
gcd() { local a=$1 b=$2 t; while ((b)); do t=$((a % b)) a=$b b=$t; done; printf '%s\n' "$a"; }
# S4's and the floor's window order: k·STRIDE mod WINDOWS, a permutation that spreads.
STRIDE=$((WINDOWS * 3 / 8))
while (($(gcd "$STRIDE" "$WINDOWS") != 1)); do STRIDE=$((STRIDE + 1)); done
MEASURED_BASE=$((50 * WINDOWS))  # bench/lua/uncached.lua's measured run starts here
floor_run() {  # name script tenant_type tenant_id seconds pgoptions
    local name=$1 script=$2 ttype=$3 tid=$4 seconds=$5 options=$6
    local -a args=(-n -M simple -r -f "$script" -c "$S4_CONNECTIONS" -j "$S4_CONNECTIONS" -D prepared=0 -D n=0
        -D "clients=$S4_CONNECTIONS" -D "stride=$STRIDE" -D "windows=$WINDOWS" -D "span=$SPAN" -D "today=$SEED_DAY"
        -D "p1=$ttype" -D "p2=$tid" -D p7=day -D p9=false)
    PGOPTIONS=$options pgbench "${args[@]}" -D base=0 -T 1 "$DATABASE_URL" >"$RES/$name.warmup.txt" 2>&1 \
        || die "$name: pgbench failed (see $RES/$name.warmup.txt)"
    snapshot "$RES/$name.before" postgres
    (cd "$RES" && PGOPTIONS=$options pgbench "${args[@]}" -D "base=$MEASURED_BASE" -T "$seconds" \
        -l --log-prefix="$name.pgbench_log" "$DATABASE_URL") >"$RES/$name.txt" 2>&1 \
        || die "$name: pgbench failed (see $RES/$name.txt)"
    snapshot "$RES/$name.after" postgres
    python3 bench/report.py line "$RES" "$name" || true
}
floor_full() {  # who: the full dashboard's floor, alone and as the server runs it
    local who=$1 ttype tid
    if [[ $who == heavy ]]; then ttype=$HEAVY_TYPE tid=$HEAVY_ID; else ttype=$MEDIAN_TYPE tid=$MEDIAN_ID; fi
    floor_run "F-dashboard-$who" "$RES/floor/dashboard.pgbench" "$ttype" "$tid" "$S4_DURATION" \
        "$FLOOR_SESSION ${BENCH_FLOOR_PGOPTIONS:-}"
    if [[ -n $reader_role ]]; then
        floor_run "F-dashboard-$who-rls" "$RES/floor/dashboard.rls.pgbench" "$ttype" "$tid" "$S4_DURATION" \
            "$FLOOR_SESSION -c role=$reader_role ${BENCH_FLOOR_PGOPTIONS:-}"
    fi
}
# The other endpoints' floors here; the full dashboard's right after S4, next to it in time.
for who in heavy median; do
    if [[ $who == heavy ]]; then ttype=$HEAVY_TYPE tid=$HEAVY_ID; else ttype=$MEDIAN_TYPE tid=$MEDIAN_ID; fi
    for endpoint in summary accounts transactions budgets; do
        floor_run "F-$endpoint-$who" "$RES/floor/$endpoint.pgbench" "$ttype" "$tid" "$FLOOR_DURATION" \
            "$FLOOR_SESSION ${BENCH_FLOOR_PGOPTIONS:-}"
    done
done

# --- phase: scenarios -------------------------------------------------------------------------

phase "scenarios S1-S3, S5, S6"
AUTH=(-H "Authorization: Bearer $HEAVY_TOKEN")
measure S1 findash "$WARMUP" "$CONNECTIONS" static.lua "$BASE/health"
measure S2 findash "$WARMUP" "$CONNECTIONS" static.lua "${AUTH[@]}" "$BASE/financial/dashboard$PERIOD"
measure S5 findash "$WARMUP" "$MANY" static.lua "${AUTH[@]}" "$BASE/financial/dashboard$PERIOD"

# S6: IDLE connections, each after one /health, held open while S2 runs again.
s6() {
    local i
    rm -f "$RES/idle.ready"
    context s6_rss_before_kb "$(rss_kb "$FINDASH_PID")"
    python3 bench/idle.py 127.0.0.1 "$PORT" "$IDLE" "$RES/idle.ready" >"$RES/idle.out" 2>"$RES/idle.err" &
    IDLE_PID=$!
    for ((i = 0; i < 1500; i++)); do
        [[ -s $RES/idle.ready ]] && break
        alive "$IDLE_PID" || die "bench/idle.py exited (see $RES/idle.err)"
        sleep 0.1
    done
    [[ -s $RES/idle.ready ]] || die "bench/idle.py did not get its connections open in 150 s"
    log "idle connections: $(cat "$RES/idle.ready")"
    context s6_rss_idle_kb "$(rss_kb "$FINDASH_PID")"
    local ok=0
    measure_once S6 findash "$WARMUP" "$CONNECTIONS" static.lua "${AUTH[@]}" "$BASE/financial/dashboard$PERIOD" || ok=$?
    stop_pid "$IDLE_PID" TERM 10
    IDLE_PID=""
    return "$ok"
}
s6 || s6 || die "S6: findash serve was stopped twice"

export BENCH_TOKENS=$W/tokens.txt BENCH_ZIPF_S=$ZIPF_S BENCH_QUERY=$PERIOD
# The cache is cold for most tenants here: the warm-up's own hit ratio is reported too.
curl -s --max-time 5 "$BASE/metrics" >"$RES/S3.start.metrics" || true
measure S3 findash "$S3_WARMUP" "$CONNECTIONS" zipf.lua "$BASE/"

phase "S4 + full-dashboard floor"
# Each S4 run and its floor back to back: on a shared machine the load drifts in a minute.
export BENCH_TODAY=$SEED_EPOCH_DAY BENCH_WINDOWS=$WINDOWS BENCH_STRIDE=$STRIDE BENCH_SPAN=$SPAN
export BENCH_TOKEN=$HEAVY_TOKEN
MEASURE_SECONDS=$S4_DURATION measure S4-heavy findash "$WARMUP" "$S4_CONNECTIONS" uncached.lua "$BASE/"
floor_full heavy
export BENCH_TOKEN=$MEDIAN_TOKEN
MEASURE_SECONDS=$S4_DURATION measure S4-median findash "$WARMUP" "$S4_CONNECTIONS" uncached.lua "$BASE/"
floor_full median

# --- phase: report ----------------------------------------------------------------------------

phase_end
context rss_end_kb "$(rss_kb "$FINDASH_PID")"
stop_pid "$FINDASH_PID" TERM 10
FINDASH_PID=""
context loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
context nproc "$(nproc)"
context cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
context memory "$(awk '/^MemTotal:/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)"
context commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
context dirty "$(git status --porcelain -- Sources Package.swift 2>/dev/null | wc -l)"
context wrk "$(wrk -v 2>&1 | head -n 1 | awk '{ print $2 }')"
context postgres "$(psql "$DATABASE_URL" -X -At -c 'SHOW server_version' | awk '{ print $1 }')"
context duration "$DURATION"
context warmup "$WARMUP"
context s3_warmup "$S3_WARMUP"
context floor_duration "$FLOOR_DURATION"
context s4_duration "$S4_DURATION"
context floor_pgoptions "${BENCH_FLOOR_PGOPTIONS:-}"
context threads "$THREADS"
context connections "$CONNECTIONS"
context s4_connections "$S4_CONNECTIONS"
context many "$MANY"
context idle "$IDLE"
context zipf_s "$ZIPF_S"
context span "$SPAN"
context clk_tck "$CLK_TCK"
context results "${RES#"$ROOT"/}"
python3 bench/report.py write "$RES" "$OUT"
log "results: $OUT (raw: ${RES#"$ROOT"/})"
