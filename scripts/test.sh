#!/usr/bin/env bash
# `make test`: dependencies, release build, private PostgreSQL + memcached,
# migrations, the Swift unit tests, then the live tests (pytest over real
# sockets against the release binary). Every step runs even when an earlier
# test step failed, so one run shows everything; the exit status is non-zero
# when anything failed.
#
# Environment knobs:
#   SWIFT_TEST=0          skip `swift test` (make test-live)
#   EXTRA_TESTS=0         skip the fuzz smoke and the sanitizer runs (make test-live sets it)
#   PYTEST_ARGS='-k http' extra pytest arguments
#   KEEP_SERVICES=1       leave the services running afterwards (for debugging)
set -uo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT" || exit 1

started=$SECONDS
failed=()

heading "dependencies (scripts/deps.sh)"
scripts/deps.sh || exit 1

heading "build: swift build -c release"
swift build -c release || { echo "release build failed" >&2; exit 1; }
BIN=$(release_bin) || exit 1
note "binary: $BIN"

heading "services: PostgreSQL + memcached"
SVC=$ROOT/.local/test-$$
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    heading "services: stop"
    if [[ ${KEEP_SERVICES:-0} == 1 ]]; then
        note "KEEP_SERVICES=1: left running; stop with: scripts/services.sh destroy $SVC"
    else
        scripts/services.sh destroy "$SVC" || true
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
scripts/services.sh start "$SVC" || exit 1
# shellcheck source=/dev/null
source "$SVC/env"

# Results of this run only, for scripts/security-report.py.
rm -rf .local/test-results
mkdir -p .local/test-results

heading "migrate: findash migrate"
if ! "$BIN" migrate; then
    failed+=("findash migrate")
fi

if [[ ${SWIFT_TEST:-1} != 0 ]]; then
    heading "unit tests: swift test"
    # Bounded so that a hung test can never eat CI's whole budget.
    mkdir -p .local/test-results
    if ! timeout --foreground --kill-after=30 1500 swift test --xunit-output .local/test-results/swift.xml; then
        failed+=("swift test")
    fi
fi

heading "lint: ci/lint.sh"
if ! ci/lint.sh; then
    failed+=("lint")
fi

heading "live tests: python3 -m pytest Tests/live"
# shellcheck disable=SC2086  # PYTEST_ARGS is split on purpose
if ! FINDASH_BIN=$BIN timeout --foreground --kill-after=30 2400 \
    python3 -m pytest -q -rfE -p no:cacheprovider --tb=short --durations=10 \
        --junitxml=.local/test-results/live.xml ${PYTEST_ARGS:-} Tests/live; then
    failed+=("live tests")
fi

if [[ ${EXTRA_TESTS:-1} != 0 && ${SWIFT_TEST:-1} != 0 ]]; then
    heading "fuzz smoke: scripts/fuzz.sh smoke (60 s per target)"
    if ! timeout --foreground --kill-after=30 900 scripts/fuzz.sh smoke; then
        failed+=("fuzz smoke")
    fi

    heading "sanitizers: scripts/test-sanitize.sh (TSan and ASan, unit and live)"
    if ! timeout --foreground --kill-after=30 2700 scripts/test-sanitize.sh; then
        failed+=("sanitizers")
    fi

    heading "security report: docs/security.md from these runs"
    python3 scripts/security-report.py || failed+=("security report")
fi

heading "summary ($((SECONDS - started)) s)"
if ((${#failed[@]} > 0)); then
    note "FAILED: ${failed[*]}"
    exit 1
fi
note "make test: all steps passed"
