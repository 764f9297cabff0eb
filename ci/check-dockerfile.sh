#!/usr/bin/env bash
# Checks the Dockerfile without Docker (hadolint is not packaged for Debian 12):
#
#   ci/check-dockerfile.sh [DIR]    DIR: a checkout or a copy of Dockerfile, .dockerignore,
#                                   Makefile and what the Dockerfile COPYs; default: this one
#
# ci/dockerfile_check.py: stages development / testing / production, Makefile targets the
# build calls, production on debian:bookworm-slim with only runtime libraries, non-root
# USER, HEALTHCHECK on /health, STOPSIGNAL SIGTERM, EXPOSE 8000, exec-form CMD, the build
# context; and, when a release binary exists (FINDASH_BIN, or `swift build -c release`
# output), that every shared library it needs is in the production image.
# Then, where a Docker engine answers, `docker build --check` (BuildKit's own lint).
# Exit status: 0 passed, 1 a check failed.
set -euo pipefail
CI_NAME=check-dockerfile
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR=$(cd "${1:-$ROOT}" && pwd -P)
args=(--root "$DIR")
bin=$(release_binary)
if [[ -n $bin ]]; then
    args+=(--binary "$bin")
else
    ci_log "no release binary (make release): skipping the shared-library check"
fi
rc=0
python3 "$CI_DIR/dockerfile_check.py" "${args[@]}" || rc=1

if docker info >/dev/null 2>&1; then
    if docker build --check "$DIR" >/dev/null; then
        printf 'ok    docker build --check\n'
    else
        printf 'FAIL  docker build --check\n'
        rc=1
    fi
fi
exit "$rc"
