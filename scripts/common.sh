# shellcheck shell=bash
# Sourced by scripts/run.sh and scripts/test.sh: paths, toolchain, headings.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
export ROOT

# Swift lives at /opt/swift on these machines; it may not be on PATH (CI, sudo).
if [[ -d /opt/swift/usr/bin && :$PATH: != *:/opt/swift/usr/bin:* ]]; then
    export PATH=/opt/swift/usr/bin:$PATH
fi

heading() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }

# The release binary that `swift build -c release` produced.
release_bin() {
    local dir
    dir=$(cd "$ROOT" && swift build -c release --show-bin-path) || return 1
    printf '%s/findash\n' "$dir"
}

# A TCP port on 127.0.0.1 that nothing listens on.
port_in_use() { [[ -n $(ss -Htln "sport = :$1" 2>/dev/null) ]]; }

random_free_port() {
    local p i
    for ((i = 0; i < 200; i++)); do
        p=$((20000 + RANDOM % 12768))
        port_in_use "$p" || { printf '%s\n' "$p"; return 0; }
    done
    return 1
}
