#!/usr/bin/env bash
# `make run`: dependencies, release build, private PostgreSQL + memcached in
# .local/run, migrations, a small demo data set, a token and one curl line per
# endpoint, then `findash serve` on port 8000 in the foreground. Ctrl-C stops
# the server (it drains) and then the services.
#
# Environment knobs:
#   PORT=8000                     where findash listens (another free port if taken)
#   SEED_TENANTS=20 SEED_TRANSACTIONS=20000 SEED=42   demo data (seeded once per cluster)
#   RESEED=1                      seed again even if .local/run was seeded before
#   DEMO_TENANT_TYPE=user DEMO_TENANT_ID=user_0001    whose token is printed
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

heading "dependencies (scripts/deps.sh)"
scripts/deps.sh

heading "build: swift build -c release"
swift build -c release
BIN=$(release_bin)
note "binary: $BIN"

heading "services: PostgreSQL + memcached"
mkdir -p .local
# One persistent instance in .local/run; a second `make run` meanwhile gets a
# throw-away one of its own, so the two never clash.
exec 9>.local/run.lock
if flock -n 9; then
    SVC=$ROOT/.local/run
    persistent=true
else
    SVC=$ROOT/.local/run-$$
    persistent=false
    note "another 'make run' holds .local/run: using $SVC for this one"
fi
cleanup() {
    trap - EXIT INT TERM
    heading "services: stop"
    if $persistent; then
        scripts/services.sh stop "$SVC" || true
    else
        scripts/services.sh destroy "$SVC" || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
scripts/services.sh start "$SVC"
# shellcheck source=/dev/null
source "$SVC/env"

# A development JWT secret, generated once and kept with the instance.
if [[ ! -s $SVC/jwt_secret ]]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$SVC/jwt_secret")
fi
JWT_SECRET=$(cat "$SVC/jwt_secret")
export JWT_SECRET
export ENVIRONMENT=${ENVIRONMENT:-development}

heading "migrate: findash migrate"
"$BIN" migrate

seed_args=(--tenants "${SEED_TENANTS:-20}" --transactions "${SEED_TRANSACTIONS:-20000}" --seed "${SEED:-42}")
if [[ ! -f $SVC/seeded || ${RESEED:-0} == 1 ]]; then
    heading "seed: findash seed ${seed_args[*]}"
    "$BIN" seed "${seed_args[@]}"
    printf '%s\n' "${seed_args[*]}" >"$SVC/seeded"
else
    heading "seed: already seeded ($(cat "$SVC/seeded")); RESEED=1 to seed again"
fi

PORT=${PORT:-8000}
if port_in_use "$PORT"; then
    taken=$PORT
    PORT=$(random_free_port)
    note "port $taken is in use: serving on $PORT instead"
fi
export PORT
export HOST=${HOST:-0.0.0.0}

tenant_type=${DEMO_TENANT_TYPE:-user}
tenant_id=${DEMO_TENANT_ID:-user_0001}
TOKEN=$("$BIN" token --tenant-type "$tenant_type" --tenant-id "$tenant_id" --ttl 86400)

base=http://localhost:$PORT
heading "try it (token for $tenant_type/$tenant_id, valid 24 h)"
cat <<INFO
export TOKEN='$TOKEN'

curl -s $base/health
curl -s $base/health/dashboard
curl -s $base/metrics
curl -s -H "Authorization: Bearer \$TOKEN" '$base/financial/dashboard/summary'
curl -s -H "Authorization: Bearer \$TOKEN" '$base/financial/dashboard/accounts?include_inactive=true'
curl -s -H "Authorization: Bearer \$TOKEN" '$base/financial/dashboard/transactions?granularity=week&top=5'
curl -s -H "Authorization: Bearer \$TOKEN" '$base/financial/dashboard/budgets'
curl -s -H "Authorization: Bearer \$TOKEN" '$base/financial/dashboard'

INFO

heading "serve: findash serve on $HOST:$PORT (Ctrl-C to stop)"
# Not exec: the EXIT trap must stop the services after the server has drained.
"$BIN" serve
