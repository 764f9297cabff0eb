#!/usr/bin/env bash
# The test stages of the pipeline:
#
#   ci/test.sh unit          swift test (unit and handler tests; no services)
#   ci/test.sh integration   the live tests (pytest over real sockets against the release
#                            binary, private PostgreSQL + memcached): scripts/test.sh with
#                            SWIFT_TEST=0; PYTEST_ARGS='-k ops' picks some
#   ci/test.sh all           make test (both, as CI runs it)   [default]
set -euo pipefail
CI_NAME="test"
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

case ${1:-all} in
unit)
    scripts/deps.sh
    exec timeout --foreground --kill-after=30 1500 swift test
    ;;
integration)
    SWIFT_TEST=0 exec scripts/test.sh
    ;;
all)
    exec make test
    ;;
*)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
