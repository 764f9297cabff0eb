#!/usr/bin/env bash
# `make test-sanitize`: the test suite under ThreadSanitizer and AddressSanitizer.
#
#   1. swift test --sanitize=thread   (scratch path .build-tsan)
#   2. swift test --sanitize=address  (scratch path .build-asan)
#   3. the live tests (Tests/live, pytest) against a debug binary built with
#      `swift build -c debug --sanitize=address`, then one built with --sanitize=thread,
#      on private PostgreSQL + memcached
#
# Every step runs even when an earlier one failed; each prints its time, and the
# summary lists them. Sanitizer reports of the servers that the live tests start go
# to .local/sanitize/<kind>/report.* (ASAN_OPTIONS / TSAN_OPTIONS log_path) and fail
# the step even when every test passed, so a report can never hide in a log (shared state
# sits behind Basics.Locked, a pthread mutex that TSan sees). JUnit/xUnit results go to
# .local/test-results/{swift,live}-{thread,address}*.xml for scripts/security-report.py.
#
# Measured on the 2-core machine: about 14 min in all (unit steps 40 s each with a
# cold build on a quiet machine, 2.5 min under load; live TSan 7.5 min, live ASan 5 min).
#
# Environment knobs:
#   SANITIZERS='thread address'  which sanitizers (default both)
#   SANITIZE_STEPS='unit live'   which steps (default both)
#   PYTEST_ARGS='-k http'        extra pytest arguments for the live steps
#   SANITIZE_LIVE_TIMEOUT=2400   bound of one live step, in seconds
#   KEEP_SERVICES=1              leave the services running afterwards
set -uo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT" || exit 2

SANITIZERS=${SANITIZERS:-thread address}
SANITIZE_STEPS=${SANITIZE_STEPS:-unit live}
started=$SECONDS
failed=()
timings=()

scratch() { [[ $1 == thread ]] && echo .build-tsan || echo .build-asan; }

# The Swift runtime's crash handler would take a sanitizer's signal first (and trip
# ASan while it reads memory); the sanitizers report instead.
export SWIFT_BACKTRACE=enable=no
if [[ -x /opt/swift/usr/bin/llvm-symbolizer ]]; then
    export ASAN_SYMBOLIZER_PATH=/opt/swift/usr/bin/llvm-symbolizer
    export TSAN_SYMBOLIZER_PATH=/opt/swift/usr/bin/llvm-symbolizer
fi

# Runs "$@" as a named, timed step.
step() {
    local name=$1 t0=$SECONDS
    shift
    heading "$name"
    if "$@"; then
        timings+=("$(printf '%-44s %5d s  ok' "$name" $((SECONDS - t0)))")
    else
        timings+=("$(printf '%-44s %5d s  FAILED' "$name" $((SECONDS - t0)))")
        failed+=("$name")
    fi
}

# Prints the sanitizer reports in DIR (demangled, first lines of each); fails if there is any.
check_reports() {
    local dir=$1 f n=0
    shopt -s nullglob
    for f in "$dir"/report.*; do
        [[ -s $f ]] || continue
        n=$((n + 1))
        note "sanitizer report $f:"
        head -n 60 "$f" | swift demangle --simplified | sed 's/^/      /'
    done
    shopt -u nullglob
    ((n == 0)) || { note "$n sanitizer report(s) in $dir"; return 1; }
    note "no sanitizer report in $dir"
}

# LeakSanitizer suppressions: XCTest's own runner leaks a few objects when it finds no XCTest
# cases (the suites here use Swift Testing), which would fail `swift test` for nothing.
lsan_suppressions() {
    mkdir -p .local/sanitize
    printf '%s\n' 'leak:libXCTest.so' 'leak:XCTMainMisc' >.local/sanitize/lsan.supp
    echo "$ROOT/.local/sanitize/lsan.supp"
}

unit() {
    local kind=$1 supp
    supp=$(lsan_suppressions)
    local -x LSAN_OPTIONS="suppressions=$supp:print_suppressions=0"
    mkdir -p .local/test-results
    # Bounded so that a hung test cannot eat the whole budget. The xUnit files feed
    # scripts/security-report.py (Swift Testing writes …-swift-testing.xml beside it).
    timeout --foreground --kill-after=30 2400 \
        swift test --sanitize="$kind" --scratch-path "$(scratch "$kind")" \
        --xunit-output ".local/test-results/swift-$kind.xml"
}

services_started=0
SVC=$ROOT/.local/sanitize/services-$$
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if ((services_started)); then
        if [[ ${KEEP_SERVICES:-0} == 1 ]]; then
            note "KEEP_SERVICES=1: left running; stop with: scripts/services.sh destroy $SVC"
        else
            scripts/services.sh destroy "$SVC" >/dev/null || true
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_services() {
    ((services_started)) && return 0
    scripts/deps.sh || return 1
    scripts/services.sh start "$SVC" || return 1
    services_started=1
    # shellcheck source=/dev/null
    source "$SVC/env"
}

live() {
    local kind=$1 dir bin rc=0
    dir=$ROOT/.local/sanitize/$kind
    rm -rf "$dir"
    mkdir -p "$dir" .local/test-results
    swift build -c debug --sanitize="$kind" --scratch-path "$(scratch "$kind")" || return 1
    bin=$(swift build -c debug --sanitize="$kind" --scratch-path "$(scratch "$kind")" --show-bin-path)/findash
    start_services || return 1
    "$bin" migrate || return 1
    # Reports go to files (one per process), never into the server logs the tests read.
    # Leak checking is off for the servers: they exit through exit(3) with live caches
    # and pools, which LeakSanitizer would report as leaks; `swift test` keeps it on.
    local -x ASAN_OPTIONS="log_path=$dir/report:detect_leaks=0:halt_on_error=1:abort_on_error=1"
    # exitcode=0: a report must not change the server's exit status (the tests check it);
    # the reports are checked below instead.
    local -x TSAN_OPTIONS="log_path=$dir/report:halt_on_error=0:second_deadlock_stack=1:exitcode=0"
    # Sanitized builds are slower and bigger: the per-test watchdog gets more room, and the
    # live tests relax their latency, time and memory bounds (support.TIME_FACTOR and the
    # hostile-client limits; they look for memory errors and races here; `make test` holds
    # the real bounds).
    local -x FINDASH_HOSTILE_P99_LIMIT=${FINDASH_HOSTILE_P99_LIMIT:-1.0}
    local -x FINDASH_HOSTILE_MEMORY_FACTOR=${FINDASH_HOSTILE_MEMORY_FACTOR:-4}
    local -x FINDASH_FAULT_TIME_FACTOR=${FINDASH_FAULT_TIME_FACTOR:-3}
    # MEMCACHED_TIMEOUT_MS of the test servers: a 50 ms memcached step timing out once
    # under this load would turn an expected HIT into a MISS.
    local -x FINDASH_TEST_MEMCACHED_TIMEOUT_MS=${FINDASH_TEST_MEMCACHED_TIMEOUT_MS:-250}
    # shellcheck disable=SC2086  # PYTEST_ARGS is split on purpose
    FINDASH_BIN=$bin FINDASH_TEST_TIMEOUT=${FINDASH_TEST_TIMEOUT:-600} \
        timeout --foreground --kill-after=30 "${SANITIZE_LIVE_TIMEOUT:-2400}" \
        python3 -m pytest -q -rfE -p no:cacheprovider --tb=short --durations=10 \
        --junitxml=".local/test-results/live-$kind.xml" ${PYTEST_ARGS:-} Tests/live || rc=1
    check_reports "$dir" || rc=1
    return $rc
}

for kind in $SANITIZERS; do
    [[ " $SANITIZE_STEPS " == *" unit "* ]] && step "swift test --sanitize=$kind" unit "$kind"
done
for kind in $SANITIZERS; do
    [[ " $SANITIZE_STEPS " == *" live "* ]] && step "live tests, debug build --sanitize=$kind" live "$kind"
done

heading "summary ($((SECONDS - started)) s)"
printf '    %s\n' "${timings[@]}"
if ((${#failed[@]})); then
    note "FAILED: ${failed[*]}"
    exit 1
fi
note "make test-sanitize: all steps passed"
