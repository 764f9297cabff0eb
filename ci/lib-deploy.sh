# shellcheck shell=bash
# Sourced by ci/deploy.sh, ci/rollback.sh and ci/validate-deployment.sh: the environments and
# the two ways to deploy them (docs/deployment.md):
#
# - compose (a Docker engine answers `docker info`): docker compose with docker-compose.yml
#   and compose/docker-compose.ENV.yml, project findash-ENV;
# - local (no engine, or DEPLOY_MODE=local): the release binary as the environment's replicas
#   on loopback ports behind a private nginx (Debian's), blue-green.
#
# A local deployment keeps everything under its state directory (DEPLOY_STATE_DIR, default
# .local/deploy/ENV in the checkout):
#
#   .findash-deploy          marker: this directory belongs to ci/deploy.sh
#   .lock                    held by deploy / rollback / stop (one at a time per environment)
#   settings                 PORT, LISTEN_HOST and REPLICAS of the last deployment
#   connection.env           DATABASE_URL / MEMCACHED_SERVERS / FINDASH_SERVICES_DIR in use
#   jwt_secret               the JWT secret in use (the caller's JWT_SECRET, or generated once)
#   services/                scripts/services.sh instance, when the caller gives no DATABASE_URL
#   releases/NNNN/           one per deployed build: findash (a copy), VERSION, info
#   current, previous        release ids: serving now, and serving before it
#   colour                   the live colour (blue or green); absent when stopped
#   blue/, green/            replicas ("index port pid" lines), release, env, replica-N.log
#   nginx/                   nginx.conf (deploy/nginx/findash-local.conf.template rendered),
#                            nginx.pid, error.log, access.log, tmp/
#   prometheus/findash-ENV.json   file_sd targets: the live replicas (deploy/prometheus.yml)
#   env                      export lines for people and runbooks (`ci/deploy.sh ENV --env`)
#   history                  one line per deploy, rollback, failure and stop
#
# Knobs (environment): DEPLOY_MODE=auto|local|compose, DEPLOY_STATE_DIR, DEPLOY_PORT,
# DEPLOY_LISTEN_HOST (127.0.0.1), DEPLOY_REPLICAS, DEPLOY_BINARY, FINDASH_VERSION,
# DEPLOY_ENV_FILE (NAME=value lines for the replicas), DEPLOY_START_TIMEOUT (30 s),
# DEPLOY_NGINX_DRAIN_TIMEOUT (60 s), DEPLOY_KEEP_RELEASES (5), DEPLOY_SEED (0),
# DEPLOY_PROMETHEUS_TARGETS_DIR (also write the targets file there, e.g. deploy/targets).

# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEPLOY_ENVIRONMENTS="development testing staging production"

# The server variables a deployment passes on from the caller's environment when set
# (ENVIRONMENT, HOST, PORT, DATABASE_URL, MEMCACHED_SERVERS and JWT_SECRET are set by the
# deployment itself). METRICS_PORT is refused: the replicas of a colour would all want it;
# each replica serves /metrics on its own port instead (loopback, METRICS_ALLOW).
DEPLOY_PASSTHROUGH_VARS=(
    DASHBOARD_CACHE_TTL DASHBOARD_ENABLED JWT_PUBLIC_KEY_FILE JWT_ISSUER JWT_AUDIENCE
    CORS_ALLOWED_ORIGINS LOG_LEVEL WORKERS BLOCKING_THREADS DB_POOL_SIZE DB_STATEMENT_TIMEOUT
    DB_READER_ROLE HTTP_HEAD_TIMEOUT HTTP_IDLE_TIMEOUT HTTP_WRITE_TIMEOUT MAX_CONNECTIONS
    DRAIN_TIMEOUT METRICS_ALLOW RATE_LIMIT_RPS RATE_LIMIT_BURST MEMCACHED_TIMEOUT_MS
)

deploy_env_valid() {
    case ${1:-} in
    development | testing | staging | production) return 0 ;;
    *) return 1 ;;
    esac
}

# Port clients use: development 8000, testing 8001, staging 8002, production 8080 locally
# (80/443 belong to production's compose nginx).
deploy_default_port() {
    case $1 in
    development) echo 8000 ;;
    testing) echo 8001 ;;
    staging) echo 8002 ;;
    production) echo 8080 ;;
    esac
}

deploy_default_replicas() {
    case $1 in
    development | testing) echo 1 ;;
    staging) echo 2 ;;
    production) echo 3 ;;
    esac
}

deploy_default_ttl() {
    case $1 in
    development) echo 60 ;;
    testing) echo 300 ;;
    staging) echo 600 ;;
    production) echo 1800 ;;
    esac
}

# Memory limit per replica in MB (the compose files' limits; 0: none).
deploy_memory_limit_mb() {
    case $1 in
    staging) echo 512 ;;
    production) echo 1024 ;;
    *) echo 0 ;;
    esac
}

# compose when a Docker engine answers (or DEPLOY_MODE says so), else local.
deploy_mode() {
    case ${DEPLOY_MODE:-auto} in
    local | compose) echo "$DEPLOY_MODE" ;;
    auto)
        if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
            echo compose
        else
            echo local
        fi
        ;;
    *) ci_die "DEPLOY_MODE must be auto, local or compose (not '$DEPLOY_MODE')" ;;
    esac
}

deploy_state_dir() {
    printf '%s\n' "${DEPLOY_STATE_DIR:-$ROOT/.local/deploy/$1}"
}

# --- small process helpers ------------------------------------------------------------------

# Close every descriptor above stderr (in a subshell about to exec a daemon): a daemon must
# hold neither the deployment's lock nor a caller's pipe (`ci/deploy.sh | tee` would hang).
close_fds() {
    local f n
    for f in /proc/"$BASHPID"/fd/*; do
        n=${f##*/}
        if ((n > 2)); then eval "exec $n>&-" 2>/dev/null || true; fi
    done
}

# Running and not a zombie.
pid_alive() {
    local stat
    [[ -n ${1:-} ]] || return 1
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# pid_runs PID TEXT: PID is alive and its command line contains TEXT (guards against a
# recycled pid before a signal is sent).
pid_runs() {
    pid_alive "$1" || return 1
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# proc_start PID: the process's start time (clock ticks since boot): with the pid, it names
# one process for good, whatever it exec'd since (a recycled pid has another start time).
proc_start() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    awk '{ print $20 }' <<<"$stat"
}

# replica_alive PID START: that very process still runs.
replica_alive() {
    pid_alive "$1" && [[ $(proc_start "$1") == "$2" ]]
}

port_listening() { [[ -n $(ss -Htln "sport = :$1" 2>/dev/null) ]]; }

# free_port [AVOID...]: a port in 20000–32767 that nothing listens on.
free_port() {
    local p i a taken
    for ((i = 0; i < 300; i++)); do
        p=$((20000 + RANDOM % 12768))
        taken=false
        for a in "$@"; do [[ $a == "$p" ]] && taken=true; done
        $taken && continue
        port_listening "$p" || { printf '%s\n' "$p"; return 0; }
    done
    return 1
}

# http_status URL [curl args...]: the status code, 000 when nothing answered.
http_status() {
    local url=$1
    shift
    curl -s -o /dev/null -w '%{http_code}' --max-time "${HTTP_TIMEOUT:-5}" "$@" "$url" 2>/dev/null || true
}

# json_field FILE|- EXPR: a value out of a JSON document (python expression over d).
json_field() {
    python3 -c '
import json, sys
src = sys.argv[1]
try:
    d = json.load(sys.stdin if src == "-" else open(src, encoding="utf-8"))
    v = eval(sys.argv[2], {"d": d})
except Exception:
    sys.exit(1)
print("" if v is None else v)
' "$1" "$2"
}

# --- environment of a local deployment -------------------------------------------------------

# deploy_load ENV: sets DEPLOY_ENV, STATE, PORT, LISTEN_HOST, REPLICAS (the caller's knobs,
# else the last deployment's settings, else the environment's defaults).
deploy_load() {
    DEPLOY_ENV=$1
    deploy_env_valid "$DEPLOY_ENV" || ci_die "unknown environment '$DEPLOY_ENV' (one of: $DEPLOY_ENVIRONMENTS)"
    STATE=$(deploy_state_dir "$DEPLOY_ENV")
    local s_port="" s_listen="" s_replicas=""
    if [[ -f $STATE/settings ]]; then
        s_port=$(sed -n 's/^PORT=//p' "$STATE/settings")
        s_listen=$(sed -n 's/^LISTEN_HOST=//p' "$STATE/settings")
        s_replicas=$(sed -n 's/^REPLICAS=//p' "$STATE/settings")
    fi
    PORT=${DEPLOY_PORT:-${s_port:-$(deploy_default_port "$DEPLOY_ENV")}}
    LISTEN_HOST=${DEPLOY_LISTEN_HOST:-${s_listen:-127.0.0.1}}
    REPLICAS=${DEPLOY_REPLICAS:-${s_replicas:-$(deploy_default_replicas "$DEPLOY_ENV")}}
    if ! [[ $PORT =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
        ci_die "DEPLOY_PORT must be a port number (not '$PORT')"
    fi
    if ! [[ $REPLICAS =~ ^[0-9]+$ ]] || ((REPLICAS < 1 || REPLICAS > 16)); then
        ci_die "DEPLOY_REPLICAS must be 1..16 (not '$REPLICAS')"
    fi
}

# The address clients (and the validation) use for the load balancer.
deploy_base_url() {
    local host=$LISTEN_HOST
    case $host in 0.0.0.0 | '' | '*') host=127.0.0.1 ;; '::' | '[::]') host='[::1]' ;; esac
    printf 'http://%s:%s\n' "$host" "$PORT"
}

deploy_lock() {
    mkdir -p "$STATE"
    : >"$STATE/.findash-deploy"
    exec 9>"$STATE/.lock"
    flock -w "${DEPLOY_LOCK_TIMEOUT:-600}" 9 || ci_die "another deploy / rollback of $DEPLOY_ENV holds $STATE/.lock"
}

deploy_history() { # ACTION RESULT DETAILS...
    local action=$1 result=$2
    shift 2
    printf '%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$action" "$result" "$*" >>"$STATE/history"
}

live_colour() { cat "$STATE/colour" 2>/dev/null || true; }
other_colour() { if [[ $1 == blue ]]; then echo green; else echo blue; fi; }
current_release() { cat "$STATE/current" 2>/dev/null || true; }
previous_release() { cat "$STATE/previous" 2>/dev/null || true; }
release_version() { cat "$STATE/releases/$1/VERSION" 2>/dev/null || echo unknown; }

# colour_replicas COLOUR: "index port pid start" lines of the colour's replicas.
colour_replicas() { cat "$STATE/$1/replicas" 2>/dev/null || true; }
colour_ports() { colour_replicas "$1" | awk '{ print $2 }'; }

# --- releases --------------------------------------------------------------------------------

# The binary to deploy: DEPLOY_BINARY, FINDASH_BIN, dist/findash (ci/build.sh), the release build.
deploy_source_binary() {
    local bin
    for bin in "${DEPLOY_BINARY:-}" "${FINDASH_BIN:-}" "$ROOT/dist/findash"; do
        if [[ -n $bin && -f $bin && -x $bin ]]; then
            printf '%s\n' "$bin"
            return 0
        fi
    done
    bin=$(cd "$ROOT" && swift build -c release --show-bin-path 2>/dev/null)/findash || true
    [[ -x $bin ]] || ci_die "no release binary: run ci/build.sh (dist/findash) or make release, or set DEPLOY_BINARY"
    printf '%s\n' "$bin"
}

# The version of BINARY: FINDASH_VERSION, the VERSION file beside it (dist/VERSION), else the
# source's base version and the binary's checksum.
deploy_source_version() {
    local bin=$1 base
    if [[ -n ${FINDASH_VERSION:-} ]]; then
        printf '%s\n' "$FINDASH_VERSION"
    elif [[ -s $(dirname "$bin")/VERSION ]]; then
        head -n 1 "$(dirname "$bin")/VERSION"
    else
        base=$(awk '/enum Version/ { inside = 1 } inside && match($0, /"[0-9]+\.[0-9]+\.[0-9]+[^"]*"/) {
            print substr($0, RSTART + 1, RLENGTH - 2); exit }' "$ROOT/Sources/FindashApp/ServeCommand.swift" 2>/dev/null)
        printf '%s+local.%s\n' "${base:-0.0.0}" "$(sha256sum "$bin" | cut -c1-8)"
    fi
}

# record_release BINARY VERSION: copies the binary into releases/NNNN; prints NNNN.
record_release() {
    local bin=$1 version=$2 last id dir
    mkdir -p "$STATE/releases"
    last=$(find "$STATE/releases" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -n | tail -n 1)
    id=$(printf '%04d' $((10#${last:-0} + 1)))
    dir=$STATE/releases/$id
    mkdir -p "$dir"
    install -m 0755 "$bin" "$dir/findash"
    printf '%s\n' "$version" >"$dir/VERSION"
    {
        printf 'id=%s\nversion=%s\nsource=%s\n' "$id" "$version" "$bin"
        printf 'sha256=%s\ncreated_at=%s\n' "$(sha256sum "$dir/findash" | cut -d' ' -f1)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    } >"$dir/info"
    printf '%s\n' "$id"
}

# Keep the newest DEPLOY_KEEP_RELEASES releases (never the current or previous one).
prune_releases() {
    local keep=${DEPLOY_KEEP_RELEASES:-5} cur prev id
    cur=$(current_release)
    prev=$(previous_release)
    find "$STATE/releases" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -n | head -n "-$keep" |
        while read -r id; do
            [[ $id == "$cur" || $id == "$prev" ]] && continue
            rm -rf "${STATE:?}/releases/$id"
        done
}

list_releases() {
    local cur prev id mark
    cur=$(current_release)
    prev=$(previous_release)
    find "$STATE/releases" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -n |
        while read -r id; do
            mark=""
            [[ $id == "$cur" ]] && mark=" (current)"
            [[ $id == "$prev" ]] && mark=" (previous)"
            printf '%s  %s  %s%s\n' "$id" "$(release_version "$id")" \
                "$(sed -n 's/^created_at=//p' "$STATE/releases/$id/info")" "$mark"
        done
}

# --- database, cache, secret -----------------------------------------------------------------

# deploy_connection: sets DATABASE_URL, MEMCACHED_SERVERS, FINDASH_SERVICES_DIR (maybe empty)
# and JWT_SECRET: the caller's, else the ones recorded by the last deployment, else private
# services started with scripts/services.sh in $STATE/services and a generated secret.
deploy_connection() {
    local rec_db="" rec_mc="" rec_svc=""
    if [[ -f $STATE/connection.env ]]; then
        rec_db=$(sed -n 's/^DATABASE_URL=//p' "$STATE/connection.env")
        rec_mc=$(sed -n 's/^MEMCACHED_SERVERS=//p' "$STATE/connection.env")
        rec_svc=$(sed -n 's/^FINDASH_SERVICES_DIR=//p' "$STATE/connection.env")
    fi
    if [[ -n ${DATABASE_URL:-} ]]; then
        MEMCACHED_SERVERS=${MEMCACHED_SERVERS:-}
        FINDASH_SERVICES_DIR=${FINDASH_SERVICES_DIR:-}
        ci_log "database and cache from the caller's environment"
    elif [[ -n $rec_db && $rec_svc != "$STATE/services" ]]; then
        DATABASE_URL=$rec_db
        MEMCACHED_SERVERS=$rec_mc
        FINDASH_SERVICES_DIR=$rec_svc
        ci_log "database and cache as recorded by the last deployment ($STATE/connection.env)"
    else
        ci_log "no DATABASE_URL given: private PostgreSQL + memcached in $STATE/services"
        (close_fds && exec "$ROOT/scripts/services.sh" start "$STATE/services") >&2 \
            || ci_die "scripts/services.sh start $STATE/services failed"
        # shellcheck source=/dev/null
        source "$STATE/services/env"
    fi
    export DATABASE_URL MEMCACHED_SERVERS FINDASH_SERVICES_DIR
    (
        umask 077
        printf 'DATABASE_URL=%s\nMEMCACHED_SERVERS=%s\nFINDASH_SERVICES_DIR=%s\n' \
            "$DATABASE_URL" "$MEMCACHED_SERVERS" "$FINDASH_SERVICES_DIR" >"$STATE/connection.env"
    )
    # The secret: the caller's (kept for the next deploy / rollback), else the kept one, else a
    # new one. With JWT_PUBLIC_KEY_FILE (RS256 / ES256) there is none.
    if [[ -n ${JWT_SECRET:-} ]]; then
        (umask 077 && printf '%s' "$JWT_SECRET" >"$STATE/jwt_secret")
    elif [[ -z ${JWT_PUBLIC_KEY_FILE:-} ]]; then
        if [[ ! -s $STATE/jwt_secret ]]; then
            (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$STATE/jwt_secret")
            ci_log "generated a JWT secret: $STATE/jwt_secret"
        fi
        JWT_SECRET=$(cat "$STATE/jwt_secret")
    fi
    export JWT_SECRET=${JWT_SECRET:-}
}

# write_colour_env COLOUR VERSION: $STATE/COLOUR/env, the replicas' environment (export lines).
write_colour_env() {
    local colour=$1 version=$2 file=$STATE/$1/env var line
    local ttl log_level workers
    ttl=${DASHBOARD_CACHE_TTL:-$(deploy_default_ttl "$DEPLOY_ENV")}
    log_level=${LOG_LEVEL:-info}
    [[ $DEPLOY_ENV == development && -z ${LOG_LEVEL:-} ]] && log_level=debug
    workers=${WORKERS:-}
    # staging and production replicas get one event loop each, as in their compose files.
    [[ -z $workers && ($DEPLOY_ENV == staging || $DEPLOY_ENV == production) ]] && workers=1
    mkdir -p "$STATE/$colour"
    (
        umask 077
        {
            printf 'export ENVIRONMENT=%q\n' "$DEPLOY_ENV"
            printf 'export HOST=127.0.0.1\n'
            printf 'export DATABASE_URL=%q\n' "$DATABASE_URL"
            printf 'export MEMCACHED_SERVERS=%q\n' "${MEMCACHED_SERVERS:-}"
            [[ -n ${JWT_SECRET:-} ]] && printf 'export JWT_SECRET=%q\n' "$JWT_SECRET"
            printf 'export DASHBOARD_CACHE_TTL=%q\n' "$ttl"
            printf 'export LOG_LEVEL=%q\n' "$log_level"
            [[ -n $workers ]] && printf 'export WORKERS=%q\n' "$workers"
            printf 'export FINDASH_VERSION=%q\n' "$version"
            for var in "${DEPLOY_PASSTHROUGH_VARS[@]}"; do
                case $var in DASHBOARD_CACHE_TTL | LOG_LEVEL | WORKERS) continue ;; esac
                [[ -n ${!var:-} ]] && printf 'export %s=%q\n' "$var" "${!var}"
            done
            if [[ -n ${DEPLOY_ENV_FILE:-} ]]; then
                [[ -r $DEPLOY_ENV_FILE ]] || ci_die "DEPLOY_ENV_FILE=$DEPLOY_ENV_FILE is not readable"
                while IFS= read -r line || [[ -n $line ]]; do
                    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
                    [[ $line =~ ^(export[[:space:]]+)?([A-Z_][A-Z0-9_]*)=(.*)$ ]] || ci_die "DEPLOY_ENV_FILE: bad line: $line"
                    case ${BASH_REMATCH[2]} in
                    METRICS_PORT | PORT | HOST) ci_die "DEPLOY_ENV_FILE: ${BASH_REMATCH[2]} is set per replica by the deployment" ;;
                    esac
                    printf 'export %s=%q\n' "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}"
                done <"$DEPLOY_ENV_FILE"
            fi
        } >"$file"
    )
}

# clean_env: one word per line of `env -i PATH=… LANG=C.UTF-8 [sanitizer settings]`, the prefix
# of a command run with a clean environment. A sanitized build (scripts/test-sanitize.sh deploys
# one) keeps its settings: where its reports go (log_path, checked by that script), leak
# checking and exit codes.
clean_env() {
    local name
    printf '%s\n' env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
    for name in ASAN_OPTIONS TSAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
        if [[ -n ${!name:-} ]]; then printf '%s=%s\n' "$name" "${!name}"; fi
    done
}

# run_with_env ENVFILE CMD...: CMD with a clean environment (clean_env) plus ENVFILE's exports.
run_with_env() {
    local envfile=$1 cleanenv
    shift
    mapfile -t cleanenv < <(clean_env)
    # shellcheck disable=SC2016  # expanded by the inner bash
    "${cleanenv[@]}" bash -c 'set -a; source "$1"; set +a; shift; exec "$@"' run_with_env "$envfile" "$@"
}

# --- replicas --------------------------------------------------------------------------------

# start_colour COLOUR RELEASE: starts REPLICAS replicas of RELEASE on free ports and waits for
# /health; writes $STATE/COLOUR/replicas. Returns 1 (after stopping what started) on failure.
start_colour() {
    local colour=$1 release=$2 dir=$STATE/$1 bin=$STATE/releases/$2/findash
    local i attempt port pid avoid=() deadline rc cleanenv
    mapfile -t avoid < <(colour_ports "$(other_colour "$colour")")
    mapfile -t cleanenv < <(clean_env)
    avoid+=("$PORT")
    : >"$dir/replicas"
    printf '%s\n' "$release" >"$dir/release"
    for ((i = 1; i <= REPLICAS; i++)); do
        for attempt in 1 2 3; do
            port=$(free_port "${avoid[@]}") || { ci_log "no free port"; return 1; }
            printf '\n== %s: release %s, port %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$release" "$port" >>"$dir/replica-$i.log"
            # setsid: its own session, so no Ctrl-C or hang-up of the caller reaches it; the
            # subshell is not a process group leader, so setsid execs in place and $! is findash.
            # shellcheck disable=SC2016  # expanded by the inner bash
            (close_fds && exec setsid "${cleanenv[@]}" \
                bash -c 'set -a; source "$1"; set +a; export PORT=$2; exec "$3" serve' replica "$dir/env" "$port" "$bin") \
                </dev/null >>"$dir/replica-$i.log" 2>&1 &
            pid=$!
            deadline=$((SECONDS + ${DEPLOY_START_TIMEOUT:-30}))
            while ((SECONDS < deadline)); do
                if ! pid_alive "$pid"; then break; fi
                [[ $(HTTP_TIMEOUT=1 http_status "http://127.0.0.1:$port/health") == 200 ]] && break
                sleep 0.1
            done
            if pid_alive "$pid" && [[ $(HTTP_TIMEOUT=2 http_status "http://127.0.0.1:$port/health") == 200 ]]; then
                printf '%s %s %s %s\n' "$i" "$port" "$pid" "$(proc_start "$pid")" >>"$dir/replicas"
                avoid+=("$port")
                ci_log "$colour replica $i: port $port, pid $pid"
                break
            fi
            if pid_alive "$pid"; then
                kill -KILL "$pid" 2>/dev/null || true
                rc=timeout
            else
                rc=0
                wait "$pid" 2>/dev/null || rc=$?
            fi
            ci_log "$colour replica $i did not answer /health on port $port (exit status $rc); last lines of $dir/replica-$i.log:"
            tail -n 5 "$dir/replica-$i.log" | sed 's/^/      /' >&2
            # Exit status 1 is "cannot listen": the port was taken meanwhile; try another.
            [[ $rc == 1 && $attempt -lt 3 ]] && continue
            stop_colour "$colour"
            return 1
        done
    done
}

# stop_colour COLOUR: SIGTERM to its replicas (they finish in-flight requests within
# DRAIN_TIMEOUT and exit 0), SIGKILL after DRAIN_TIMEOUT + 10 s.
stop_colour() {
    local colour=$1 dir=$STATE/$1 index port pid start pids=() drain deadline
    [[ -s $dir/replicas ]] || return 0
    drain=$(sed -n 's/^export DRAIN_TIMEOUT=//p' "$dir/env" 2>/dev/null)
    drain=${drain:-20}
    while read -r index port pid start; do
        if replica_alive "$pid" "$start"; then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
            ci_log "$colour replica $index (port $port, pid $pid): SIGTERM, draining"
        fi
    done <"$dir/replicas"
    deadline=$((SECONDS + ${drain%.*} + 10))
    for pid in "${pids[@]}"; do
        while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
        if pid_alive "$pid"; then
            ci_log "pid $pid still running after the drain: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    : >"$dir/replicas"
}

colour_alive() { # COLOUR: every recorded replica runs
    local index port pid start n=0
    while read -r index port pid start; do
        replica_alive "$pid" "$start" || return 1
        n=$((n + 1))
    done < <(colour_replicas "$1")
    ((n > 0))
}

# --- nginx -----------------------------------------------------------------------------------

NGINX_TEMPLATE=$ROOT/deploy/nginx/findash-local.conf.template

nginx_args() {
    local prefix=$STATE/nginx
    NGINX_ARGS=(-p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log")
    # As root, nginx's workers run as `nobody`; they need the temp directories under the state
    # directory, which nobody may not reach (a checkout under /root): then they run as root.
    if [[ $(id -u) -eq 0 ]] && ! runuser -u nobody -- test -x "$prefix" 2>/dev/null; then
        NGINX_ARGS+=(-g 'user root;')
    fi
}

nginx_master() {
    local pid
    pid=$(cat "$STATE/nginx/nginx.pid" 2>/dev/null) || return 1
    pid_runs "$pid" "nginx: master" || return 1
    printf '%s\n' "$pid"
}

nginx_workers() { pgrep -P "$1" 2>/dev/null | sort -n || true; }

# nginx_render COLOUR OUT: the template with COLOUR's replicas as the upstream.
nginx_render() {
    local colour=$1 out=$2 servers="" port
    for port in $(colour_ports "$colour"); do servers+="server 127.0.0.1:$port max_fails=0; "; done
    [[ -n $servers ]] || return 1
    mkdir -p "$STATE/nginx/tmp"
    # shellcheck disable=SC2016  # envsubst's list of names, not expansions
    FINDASH_NGINX_PREFIX=$STATE/nginx FINDASH_LISTEN=$LISTEN_HOST:$PORT \
        FINDASH_UPSTREAM_SERVERS=$servers FINDASH_PROXY_SNIPPET=$ROOT/deploy/nginx/findash-proxy.conf \
        envsubst '${FINDASH_NGINX_PREFIX} ${FINDASH_LISTEN} ${FINDASH_UPSTREAM_SERVERS} ${FINDASH_PROXY_SNIPPET}' \
        <"$NGINX_TEMPLATE" >"$out"
}

# nginx_switch COLOUR: points nginx at COLOUR. Running: render, `nginx -t`, `nginx -s reload`,
# wait for the new workers and for the old ones to finish their requests and exit. Not running:
# start it. Returns 1 when nginx refused the configuration (the old one stays in force).
nginx_switch() {
    local colour=$1 prefix=$STATE/nginx master old new w deadline out
    mkdir -p "$prefix/tmp"
    nginx_render "$colour" "$prefix/nginx.conf.new" || { ci_log "no replicas to route to"; return 1; }
    nginx_args
    NGINX_ARGS[3]=$prefix/nginx.conf.new
    if ! out=$(nginx -t -q "${NGINX_ARGS[@]}" 2>&1); then
        ci_log "nginx -t refused the new configuration: $out"
        return 1
    fi
    mv -f "$prefix/nginx.conf.new" "$prefix/nginx.conf"
    nginx_args
    if master=$(nginx_master); then
        old=$(nginx_workers "$master")
        nginx "${NGINX_ARGS[@]}" -s reload || { ci_log "nginx -s reload failed"; return 1; }
        # The reload is done when a worker that was not there before runs.
        deadline=$((SECONDS + 15))
        while ((SECONDS < deadline)); do
            new=$(comm -13 <(printf '%s\n' "$old") <(nginx_workers "$master"))
            [[ -n $new ]] && break
            sleep 0.05
        done
        [[ -n $new ]] || { ci_log "nginx started no new workers after the reload (see $prefix/error.log)"; return 1; }
        # Old workers finish the requests they hold, close their idle keep-alive connections
        # and exit; only then may the old colour stop.
        deadline=$((SECONDS + ${DEPLOY_NGINX_DRAIN_TIMEOUT:-60}))
        for w in $old; do
            while pid_alive "$w" && ((SECONDS < deadline)); do sleep 0.05; done
            pid_alive "$w" && ci_log "old nginx worker $w still busy after ${DEPLOY_NGINX_DRAIN_TIMEOUT:-60} s"
        done
        ci_log "nginx reloaded: $colour serves http://$LISTEN_HOST:$PORT"
    else
        if port_listening "$PORT"; then
            ci_log "port $PORT is taken by another process (ss -tlnp 'sport = :$PORT'): set DEPLOY_PORT"
            return 1
        fi
        (close_fds && exec nginx "${NGINX_ARGS[@]}") </dev/null >>"$prefix/error.log" 2>&1 \
            || { ci_log "nginx did not start:"; tail -n 5 "$prefix/error.log" >&2; return 1; }
        deadline=$((SECONDS + 10))
        while ((SECONDS < deadline)); do
            [[ $(HTTP_TIMEOUT=1 http_status "$(deploy_base_url)/nginx-health") == 200 ]] && break
            sleep 0.05
        done
        [[ $(HTTP_TIMEOUT=2 http_status "$(deploy_base_url)/nginx-health") == 200 ]] \
            || { ci_log "nginx does not answer on $(deploy_base_url)"; return 1; }
        ci_log "nginx started (pid $(nginx_master)): $colour serves http://$LISTEN_HOST:$PORT"
    fi
}

nginx_stop() {
    local master deadline
    master=$(nginx_master) || return 0
    nginx_args
    nginx "${NGINX_ARGS[@]}" -s quit 2>/dev/null || kill -QUIT "$master" 2>/dev/null || true
    deadline=$((SECONDS + ${DEPLOY_NGINX_DRAIN_TIMEOUT:-60}))
    while pid_alive "$master" && ((SECONDS < deadline)); do sleep 0.1; done
    if pid_alive "$master"; then
        kill -TERM "$master" 2>/dev/null || true
        sleep 1
    fi
    ci_log "nginx stopped"
}

# --- the deployment's descriptions -----------------------------------------------------------

# write_deploy_env: $STATE/env (export lines) and the Prometheus targets of the live colour.
write_deploy_env() {
    local colour release first_port targets="" port
    colour=$(live_colour)
    release=$(current_release)
    first_port=$(colour_ports "$colour" | head -n 1)
    (
        umask 077
        {
            printf '# %s deployment (ci/deploy.sh); written %s\n' "$DEPLOY_ENV" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
            printf 'export DEPLOY_ENV=%q\n' "$DEPLOY_ENV"
            printf 'export DEPLOY_STATE_DIR=%q\n' "$STATE"
            printf 'export LB_URL=%q\n' "$(deploy_base_url)"
            printf '# one replica, reached directly (its /metrics answers loopback)\n'
            printf 'export BASE_URL=%q\n' "http://127.0.0.1:$first_port"
            printf 'export ENVIRONMENT=%q\n' "$DEPLOY_ENV"
            printf 'export FINDASH_RELEASE=%q\n' "$release"
            printf 'export FINDASH_BIN=%q\n' "$STATE/releases/$release/findash"
            printf 'export FINDASH_VERSION=%q\n' "$(release_version "$release")"
            grep -E '^export (DATABASE_URL|MEMCACHED_SERVERS|JWT_SECRET)=' "$STATE/$colour/env"
            printf 'export FINDASH_SERVICES_DIR=%q\n' "$(sed -n 's/^FINDASH_SERVICES_DIR=//p' "$STATE/connection.env")"
        } >"$STATE/env"
    )
    for port in $(colour_ports "$colour"); do targets+="${targets:+, }\"127.0.0.1:$port\""; done
    mkdir -p "$STATE/prometheus"
    printf '[{"targets": [%s], "labels": {"env": "%s", "colour": "%s", "version": "%s"}}]\n' \
        "$targets" "$DEPLOY_ENV" "$colour" "$(release_version "$release")" >"$STATE/prometheus/findash-$DEPLOY_ENV.json"
    if [[ -n ${DEPLOY_PROMETHEUS_TARGETS_DIR:-} ]]; then
        mkdir -p "$DEPLOY_PROMETHEUS_TARGETS_DIR"
        cp "$STATE/prometheus/findash-$DEPLOY_ENV.json" "$DEPLOY_PROMETHEUS_TARGETS_DIR/findash-$DEPLOY_ENV.json.tmp"
        mv -f "$DEPLOY_PROMETHEUS_TARGETS_DIR/findash-$DEPLOY_ENV.json.tmp" "$DEPLOY_PROMETHEUS_TARGETS_DIR/findash-$DEPLOY_ENV.json"
    fi
}

# --- compose ---------------------------------------------------------------------------------

compose_cmd() {
    # shellcheck disable=SC2034  # used by the scripts that source this file
    COMPOSE=(docker compose -p "findash-$1" --project-directory "$ROOT"
        -f "$ROOT/docker-compose.yml" -f "$ROOT/compose/docker-compose.$1.yml")
}

# Where a compose environment answers (production: nginx with TLS on 443).
compose_base_url() {
    case $1 in
    production) echo "https://127.0.0.1" ;;
    *) echo "http://127.0.0.1:$(deploy_default_port "$1")" ;;
    esac
}
