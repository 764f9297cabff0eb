# shellcheck shell=bash
# Sourced by ci/*.sh: paths, logging, and installing the checkers' tools when missing
# (promtool from Debian's `prometheus`, PyYAML / jsonschema / yamllint from PyPI).

CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$CI_DIR/.." && pwd -P)
export ROOT

# Swift lives at /opt/swift on these machines; it may not be on PATH (CI, sudo).
if [[ -d /opt/swift/usr/bin && :$PATH: != *:/opt/swift/usr/bin:* ]]; then
    export PATH=/opt/swift/usr/bin:$PATH
fi

ci_log() { printf '[%s] %s\n' "${CI_NAME:-ci}" "$*" >&2; }
ci_die() {
    ci_log "error: $*"
    exit 2
}

# ensure_debian_packages PKG...: apt-get install the ones that are not installed, the way
# scripts/deps.sh does (root only; no daemon started; serialised with deps.sh).
ensure_debian_packages() {
    local pkg missing=()
    for pkg in "$@"; do
        [[ $(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null) == installed ]] || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    [[ $(id -u) -eq 0 ]] || ci_die "missing Debian packages and not root: run 'sudo apt-get install ${missing[*]}'"
    ci_log "installing Debian packages: ${missing[*]}"
    (
        export DEBIAN_FRONTEND=noninteractive
        # Keep package scripts from starting system-wide daemons (prometheus on :9090).
        policy=/usr/sbin/policy-rc.d
        created_policy=false
        if [[ ! -e $policy ]]; then
            printf '#!/bin/sh\nexit 101\n' >"$policy"
            chmod 755 "$policy"
            created_policy=true
        fi
        trap 'if $created_policy; then rm -f "$policy"; fi' EXIT
        exec 9>/var/lock/findash-deps.lock
        flock 9
        apt_opts=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
        apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
            || { apt-get "${apt_opts[@]}" update >/dev/null && apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}"; }
    ) || ci_die "could not install ${missing[*]}"
}

# promtool comes with Debian's `prometheus` package (about 20 MB, ~10 s to install).
ensure_promtool() {
    command -v promtool >/dev/null 2>&1 && return 0
    ensure_debian_packages prometheus
    command -v promtool >/dev/null 2>&1 || ci_die "promtool not found after installing prometheus"
}

# ensure_python_modules MODULE=PIP_NAME...: pip install what python3 cannot import.
ensure_python_modules() {
    local spec module pip_name missing=()
    for spec in "$@"; do
        module=${spec%%=*}
        pip_name=${spec#*=}
        python3 -c "import $module" >/dev/null 2>&1 || missing+=("$pip_name")
    done
    ((${#missing[@]} == 0)) && return 0
    ci_log "installing Python packages: ${missing[*]}"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${missing[@]}" \
        || ci_die "pip install ${missing[*]} failed"
}

# The Compose specification's JSON schema: the shared copy beside the checkout, else the
# one committed under ci/schemas/ (a clone without ../shared).
compose_schema() {
    local shared
    shared=$(cd "$ROOT/.." && pwd -P)/shared/schemas/compose-spec.json
    if [[ -f $shared ]]; then
        printf '%s\n' "$shared"
    else
        printf '%s\n' "$CI_DIR/schemas/compose-spec.json"
    fi
}

# The release binary if one was built (FINDASH_BIN wins), else nothing.
release_binary() {
    local dir
    if [[ -n ${FINDASH_BIN:-} && -x $FINDASH_BIN ]]; then
        printf '%s\n' "$FINDASH_BIN"
        return 0
    fi
    dir=$(cd "$ROOT" && swift build -c release --show-bin-path 2>/dev/null) || return 0
    if [[ -x $dir/findash ]]; then printf '%s\n' "$dir/findash"; fi
}
