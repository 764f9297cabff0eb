#!/usr/bin/env bash
# Private PostgreSQL + memcached instances for `make run` and `make test`.
#
#   scripts/services.sh start DIR     create (first time) and start both, write DIR/env
#   scripts/services.sh stop DIR      stop both (data is kept)
#   scripts/services.sh status DIR    print what runs; exit 0 only when both run
#   scripts/services.sh destroy DIR   stop both and delete DIR (and its cluster)
#   scripts/services.sh stop-db DIR   / start-db DIR     (fault tests: same port again)
#   scripts/services.sh crash-db DIR  stop PostgreSQL with `-m immediate`
#   scripts/services.sh stop-cache DIR / start-cache DIR (fault tests: same port again)
#   scripts/services.sh admin-psql DIR [psql args…]   psql as the superuser, over the socket
#
# DIR/env holds `export` lines for DATABASE_URL, MEMCACHED_SERVERS and
# FINDASH_SERVICES_DIR. Each DIR is an independent instance on its own free
# ports, so a `make run` and any number of `make test` runs never clash.
#
# PostgreSQL refuses to run as root, so the cluster belongs to the `postgres`
# user (runuser). Its data lives in DIR/postgres; when the postgres user cannot
# reach DIR (a checkout under /root, say) or DIR's path is too long for a unix
# socket, it lives in a directory under /tmp that DIR/postgres links to.
# The application role `findash` can log in, create roles and owns database
# `findash`; it is not a superuser (CONTRACT.md §1).
set -euo pipefail

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

(($# >= 2)) || usage
ACTION=$1
DIR=$2
shift 2

log() { printf '[services] %s\n' "$*"; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

PG_USER=postgres
MC_USER=memcache
id "$MC_USER" >/dev/null 2>&1 || MC_USER=nobody
[[ $(id -u) -eq 0 ]] || die "must run as root (PostgreSQL is run as '$PG_USER' through runuser)"
id "$PG_USER" >/dev/null 2>&1 || die "no '$PG_USER' user: run scripts/deps.sh"

pg_bindir() {
    local d
    d=$(pg_config --bindir 2>/dev/null || true)
    if [[ -n $d && -x $d/initdb && -x $d/pg_ctl ]]; then
        printf '%s\n' "$d"
        return
    fi
    # Newest installed server version.
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
        if [[ -x $d/initdb && -x $d/pg_ctl ]]; then
            printf '%s\n' "$d"
            return
        fi
    done
    die "PostgreSQL server binaries not found: run scripts/deps.sh"
}

# A port in 20000–32767 (below Linux's ephemeral range) that nothing listens on
# and that this DIR does not already use for the other service.
free_port() {
    local avoid=${1:-} p i
    for ((i = 0; i < 200; i++)); do
        p=$((20000 + RANDOM % 12768))
        [[ $p == "$avoid" ]] && continue
        if [[ -z $(ss -Htln "sport = :$p" 2>/dev/null) ]]; then
            printf '%s\n' "$p"
            return
        fi
    done
    die "no free port found"
}

# Close every descriptor above stderr in a subshell about to exec a daemon (or a
# command that starts one): a daemon must hold neither the lock on DIR nor the
# write end of some caller's pipe (which would keep `make test | tee` waiting).
close_fds() {
    local f n
    for f in /proc/"$BASHPID"/fd/*; do
        n=${f##*/}
        if ((n > 2)); then eval "exec $n>&-" 2>/dev/null || true; fi
    done
}

as_pg() { (cd / && close_fds && exec runuser -u "$PG_USER" -- "$@"); }

# Running and not a zombie (an exited daemon may wait a while for PID 1 to reap it).
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

port_listening() { [[ -n $(ss -Htln "sport = :$1" 2>/dev/null) ]]; }

# --- layout -----------------------------------------------------------------

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd -P)
PGHOME=$DIR/postgres        # data/, sock/, server.log — owned by postgres
PGDATA=$PGHOME/data
# Work on the real path: the postgres user may not be able to follow DIR/postgres.
resolve_pghome() {
    if [[ -e $DIR/postgres ]]; then
        PGHOME=$(readlink -f "$DIR/postgres")
        PGDATA=$PGHOME/data
    fi
}
resolve_pghome
BIN=$(pg_bindir)

# Serialise actions on one DIR (a fault test and a teardown, say).
exec 8>"$DIR/.lock"
flock -w 120 8 || die "timed out waiting for the lock on $DIR"

setup_pghome() {
    [[ -e $DIR/postgres ]] && return
    # "/sock/.s.PGSQL.65535" adds 20 bytes; sun_path holds 107.
    local sockpath_len=$((${#PGHOME} + 20))
    mkdir -p "$PGHOME"
    chown "$PG_USER:" "$PGHOME"
    chmod 700 "$PGHOME"
    if ((sockpath_len > 100)) || ! as_pg test -w "$PGHOME"; then
        rmdir "$PGHOME"
        local ext
        ext=$(mktemp -d /tmp/findash-pg.XXXXXXXX)
        chown "$PG_USER:" "$ext"
        chmod 700 "$ext"
        ln -s "$ext" "$PGHOME"
        log "postgres cannot use $DIR directly; cluster lives in $ext"
    fi
    resolve_pghome
}

pg_port() { cat "$DIR/pg.port" 2>/dev/null || true; }
mc_port() { cat "$DIR/memcached.port" 2>/dev/null || true; }

pg_running() { [[ -d $PGDATA ]] && as_pg "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

write_pg_conf() {
    local port=$1
    as_pg tee "$PGDATA/findash.conf" >/dev/null <<EOF
# Written by scripts/services.sh: a throw-away instance for development and tests.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PGHOME/sock'
max_connections = 200
shared_buffers = 128MB
work_mem = 16MB
maintenance_work_mem = 128MB
# Durability is not needed for a test instance; speed is.
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 2GB
checkpoint_timeout = 30min
jit = off
timezone = 'UTC'
log_timezone = 'UTC'
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
log_min_messages = warning
log_min_error_statement = error
EOF
}

init_pg() {
    setup_pghome
    [[ -f $PGDATA/PG_VERSION ]] && return
    log "initdb $PGDATA"
    as_pg mkdir -p "$PGHOME/sock"
    as_pg "$BIN/initdb" -D "$PGDATA" -U "$PG_USER" -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    printf "\ninclude_if_exists = 'findash.conf'\n" | as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null
}

start_pg() {
    local port
    if pg_running; then
        log "postgres already running on 127.0.0.1:$(pg_port)"
        return
    fi
    as_pg mkdir -p "$PGHOME/sock"
    port=$(pg_port)
    local attempt
    for attempt in 1 2 3 4 5; do
        if [[ -z $port ]] || { [[ $ACTION != start-db ]] && port_listening "$port"; }; then
            port=$(free_port "$(mc_port)")
        fi
        write_pg_conf "$port"
        if as_pg "$BIN/pg_ctl" -D "$PGDATA" -l "$PGHOME/server.log" -w -t 60 start >/dev/null 2>&1; then
            printf '%s\n' "$port" >"$DIR/pg.port"
            log "postgres $(cat "$PGDATA/PG_VERSION") on 127.0.0.1:$port (data $PGDATA)"
            return
        fi
        log "postgres did not start on port $port (attempt $attempt)"
        tail -n 5 "$PGHOME/server.log" >&2 || true
        # start-db must come back on the same port: DATABASE_URL is already in use.
        [[ $ACTION == start-db ]] && break
        port=""
    done
    die "postgres failed to start (see $PGHOME/server.log)"
}

ensure_role() {
    local port pw
    port=$(pg_port)
    if [[ ! -s $DIR/pg.password ]]; then
        pw=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
        (umask 077 && printf '%s\n' "$pw" >"$DIR/pg.password")
    fi
    pw=$(cat "$DIR/pg.password")
    local sql
    sql="DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'findash') THEN
    CREATE ROLE findash LOGIN CREATEROLE NOSUPERUSER PASSWORD '$pw';
  ELSE
    ALTER ROLE findash LOGIN CREATEROLE NOSUPERUSER PASSWORD '$pw';
  END IF;
END \$\$;"
    as_pg "$BIN/psql" -X -q -h "$PGHOME/sock" -p "$port" -d postgres -v ON_ERROR_STOP=1 -c "$sql" >/dev/null
    if [[ -z $(as_pg "$BIN/psql" -X -At -h "$PGHOME/sock" -p "$port" -d postgres \
        -c "SELECT 1 FROM pg_database WHERE datname = 'findash'") ]]; then
        as_pg "$BIN/psql" -X -q -h "$PGHOME/sock" -p "$port" -d postgres -v ON_ERROR_STOP=1 \
            -c "CREATE DATABASE findash OWNER findash" >/dev/null
    fi
}

stop_pg() {
    local mode=${1:-fast}
    if pg_running; then
        if ! as_pg "$BIN/pg_ctl" -D "$PGDATA" -m "$mode" -w -t 30 stop >/dev/null 2>&1; then
            as_pg "$BIN/pg_ctl" -D "$PGDATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        fi
        log "postgres stopped ($mode)"
    fi
}

mc_pid() {
    local pid
    pid=$(cat "$DIR/memcached.pid" 2>/dev/null || true)
    [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
    # Only a memcached that this DIR started (the pid may have been reused).
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "memcached .*-p $(mc_port) " || return 1
    printf '%s\n' "$pid"
}

mc_ready() {
    local port=$1 fd line=""
    { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
    printf 'version\r\n' >&"$fd"
    IFS= read -r -t 2 line <&"$fd" || true
    exec {fd}>&-
    [[ $line == VERSION* ]]
}

start_mc() {
    local port pid
    if pid=$(mc_pid); then
        log "memcached already running on 127.0.0.1:$(mc_port) (pid $pid)"
        return
    fi
    port=$(mc_port)
    local attempt i
    for attempt in 1 2 3 4 5; do
        if [[ -z $port ]] || port_listening "$port"; then
            port=$(free_port "$(pg_port)")
        fi
        printf '%s\n' "$port" >"$DIR/memcached.port"
        # setsid: out of the caller's process group, so a Ctrl-C reaches only findash;
        # stdio to a file, so no caller's pipe is held open.
        (close_fds && exec setsid memcached -u "$MC_USER" -l 127.0.0.1 -p "$port" -U 0 -m 64 -c 4096 -t 2) \
            </dev/null >>"$DIR/memcached.log" 2>&1 &
        pid=$!
        printf '%s\n' "$pid" >"$DIR/memcached.pid"
        for ((i = 0; i < 50; i++)); do
            if mc_ready "$port"; then
                log "memcached on 127.0.0.1:$port (pid $pid, user $MC_USER)"
                return
            fi
            alive "$pid" || break
            sleep 0.1
        done
        kill "$pid" 2>/dev/null || true
        log "memcached did not start on port $port (attempt $attempt)"
        tail -n 5 "$DIR/memcached.log" >&2 || true
        port=""
    done
    die "memcached failed to start (see $DIR/memcached.log)"
}

stop_mc() {
    local pid i
    if pid=$(mc_pid); then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            alive "$pid" || break
            sleep 0.1
        done
        if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
        log "memcached stopped"
    fi
    rm -f "$DIR/memcached.pid"
}

write_env() {
    local pw
    pw=$(cat "$DIR/pg.password")
    cat >"$DIR/env.tmp" <<EOF
export DATABASE_URL=postgresql://findash:$pw@127.0.0.1:$(pg_port)/findash
export MEMCACHED_SERVERS=127.0.0.1:$(mc_port)
export FINDASH_SERVICES_DIR=$DIR
EOF
    chmod 600 "$DIR/env.tmp"
    mv "$DIR/env.tmp" "$DIR/env"
}

status() {
    local rc=0 pid
    if pg_running; then
        log "postgres: running on 127.0.0.1:$(pg_port)"
    else
        log "postgres: stopped"
        rc=3
    fi
    if pid=$(mc_pid); then
        log "memcached: running on 127.0.0.1:$(mc_port) (pid $pid)"
    else
        log "memcached: stopped"
        rc=3
    fi
    return $rc
}

case $ACTION in
start)
    init_pg
    start_pg
    ensure_role
    start_mc
    write_env
    log "env: $DIR/env"
    ;;
stop)
    stop_mc
    stop_pg fast
    ;;
status)
    status
    ;;
destroy)
    # Delete only a directory that holds nothing but what this script (and
    # scripts/run.sh) put there: never someone's checkout or home by mistake.
    shopt -s nullglob dotglob
    for entry in "$DIR"/*; do
        case ${entry##*/} in
        .lock | env | env.tmp | initdb.log | memcached.* | pg.* | postgres | jwt_secret | seeded) ;;
        *) die "$DIR holds ${entry##*/}, which this script did not create: not deleting it" ;;
        esac
    done
    shopt -u nullglob dotglob
    stop_mc
    stop_pg fast
    if [[ -L $DIR/postgres && $PGHOME == /tmp/findash-pg.* ]]; then
        rm -rf "$PGHOME"
    fi
    exec 8>&-
    rm -rf "$DIR"
    log "removed $DIR"
    ;;
start-db)
    [[ -f $PGDATA/PG_VERSION ]] || die "no cluster in $DIR: run start first"
    start_pg
    ;;
stop-db)
    stop_pg fast
    ;;
crash-db)
    stop_pg immediate
    ;;
start-cache)
    start_mc
    ;;
stop-cache)
    stop_mc
    ;;
admin-psql)
    pg_running || die "postgres is not running"
    as_pg "$BIN/psql" -X -h "$PGHOME/sock" -p "$(pg_port)" -d findash "$@"
    ;;
*)
    usage
    ;;
esac
