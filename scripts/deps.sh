#!/usr/bin/env bash
# Install what findash needs to build, run and test, if it is missing.
#
# Debian 12 packages through apt-get (one `apt-get update` first, only when
# something is missing), pytest through pip when `python3 -m pytest` is absent.
# Idempotent, and quick when everything is present (one dpkg-query call).
# Swift itself is expected at /opt/swift; it cannot be installed from here.
set -euo pipefail

# Package → why it is needed.
PACKAGES=(
    postgresql          # the test/dev database server and psql (Debian 12: PostgreSQL 15)
    libpq-dev           # CLibPQ
    libssl-dev          # COpenSSL (libcrypto)
    memcached           # the cache server
    libmemcached-dev    # CLibMemcached
    libmemcached-tools  # memcstat & co., handy for checks
    pkg-config          # SwiftPM finds the system libraries through it
    curl                # README examples and live tests
    openssl             # live tests mint RS256 / ES256 tokens with the openssl CLI
    wrk                 # live load test and benchmarks
    nginx-light         # benchmark baseline
    shellcheck          # make lint
    iproute2            # ss, to find free ports
    procps              # ps/pgrep
    util-linux          # runuser, flock, setsid
    prometheus          # promtool: ci/check-prometheus.sh, Tests/live/test_ops_*
    gettext-base        # envsubst: deploy/nginx template (ci/check-compose.sh)
)

log() { printf '[deps] %s\n' "$*"; }

need_root() {
    if [[ $(id -u) -ne 0 ]]; then
        log "missing packages and not root: run 'sudo $0' (or install: $*)" >&2
        exit 1
    fi
}

missing=()
while IFS= read -r pkg; do
    missing+=("$pkg")
done < <(
    for pkg in "${PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
        [[ $status == installed ]] || printf '%s\n' "$pkg"
    done
)

if ((${#missing[@]} > 0)); then
    need_root "${missing[*]}"
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Keep package scripts from starting system-wide daemons (nginx on :80,
    # memcached on :11211, a PostgreSQL cluster on :5432): findash starts its own.
    policy=/usr/sbin/policy-rc.d
    created_policy=false
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        created_policy=true
    fi
    cleanup() { if $created_policy; then rm -f "$policy"; fi; }
    trap cleanup EXIT
    # Two `make` runs may get here at once: serialise them.
    exec 9>/var/lock/findash-deps.lock
    flock 9
    apt_opts=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    apt-get "${apt_opts[@]}" update
    apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}"
    flock -u 9
else
    log "system packages: all present"
fi

# pytest for the live tests (stdlib-only otherwise).
if ! command -v python3 >/dev/null 2>&1; then
    need_root python3
    export DEBIAN_FRONTEND=noninteractive
    apt-get -y -q update && apt-get -y -q install --no-install-recommends python3 python3-pytest
fi
if ! python3 -m pytest --version >/dev/null 2>&1; then
    log "installing pytest"
    if ! python3 -m pip install --quiet --disable-pip-version-check pytest; then
        need_root python3-pytest
        DEBIAN_FRONTEND=noninteractive apt-get -y -q install --no-install-recommends python3-pytest
    fi
fi

# Python modules for the compose and OpenAPI checks.
for spec in yaml:PyYAML jsonschema:jsonschema yamllint:yamllint openapi_spec_validator:openapi-spec-validator; do
    python3 -c "import ${spec%%:*}" >/dev/null 2>&1 \
        || python3 -m pip install --quiet --disable-pip-version-check "${spec#*:}"
done

# Swift: installed with the machine image at /opt/swift.
if ! command -v swift >/dev/null 2>&1 && [[ ! -x /opt/swift/usr/bin/swift ]]; then
    log "Swift toolchain not found (expected on PATH or at /opt/swift/usr/bin)" >&2
    exit 1
fi

log "ok"
