#!/usr/bin/env bash
# `make fuzz` / `make fuzz-smoke`: build the libFuzzer targets in Fuzz/ with
# `swiftc -sanitize=fuzzer,address`, replay every regression input, then fuzz each
# target for a bounded time.
#
#   scripts/fuzz.sh [run] [TARGET…]   build, replay, fuzz FUZZ_SECONDS (default 300) each
#   scripts/fuzz.sh smoke [TARGET…]   the same with FUZZ_SECONDS=60 unless set (CI)
#   scripts/fuzz.sh build [TARGET…]   build only
#   scripts/fuzz.sh replay [TARGET…]  build, then run the seed corpus and regressions once
#   scripts/fuzz.sh repro TARGET FILE build, then run one input (prints the stack)
#
# Targets: http (HTTPRequestParser, whole and split input), jwt (JWTVerifier, Base64URL,
# JSONValue), query (QueryParameters, DashboardParameters) — the default set — and
# llhttp, only when named: a differential check of the HTTP parser against SwiftNIO's
# vendored llhttp (from the local swift-nio mirror, LLHTTP_MIRROR / LLHTTP_TAG), e.g.
# `FUZZ_SECONDS=600 scripts/fuzz.sh run llhttp`. SwiftPM cannot build fuzzer
# executables, so each target is one `swiftc` call over the module's sources and its
# Fuzz/*Fuzz.swift file, compiled as that module (internals are visible).
#
# Files:
#   Fuzz/corpus/TARGET/       committed seeds (Fuzz/seeds.py writes them); read-only here
#   Fuzz/regressions/TARGET/  inputs that once crashed; replayed first, every run
#   Fuzz/TARGET.dict          libFuzzer dictionary
#   .local/fuzz/bin/TARGET    the fuzzer binaries
#   .local/fuzz/corpus/TARGET the growing working corpus (kept between runs, not committed)
#   .local/fuzz/logs/TARGET.log
#   .local/test-results/fuzz.xml  JUnit XML, one test case per target (security report)
#
# A crash (trap, sanitizer report, timeout, out-of-memory) is copied to
# Fuzz/regressions/TARGET/ (commit it once fixed), its stack is printed demangled, and
# the exit status is 1. The other targets still run.
#
# Environment: FUZZ_SECONDS (per target), FUZZ_MAX_LEN (default: per target),
# FUZZ_ARGS (extra libFuzzer flags, e.g. '-jobs=2 -workers=2').
set -uo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT" || exit 2

ALL_TARGETS=(http jwt query)
EXTRA_TARGETS=(llhttp)
LLHTTP_MIRROR=${LLHTTP_MIRROR:-/opt/swift-packages/apple/swift-nio.git}
LLHTTP_TAG=${LLHTTP_TAG:-2.101.3}
OUT=$ROOT/.local/fuzz
BIN=$OUT/bin

mode=run
case ${1:-} in
    run | smoke | build | replay | repro) mode=$1; shift ;;
esac
if [[ $mode == smoke ]]; then
    FUZZ_SECONDS=${FUZZ_SECONDS:-60}
fi
FUZZ_SECONDS=${FUZZ_SECONDS:-300}

if [[ $mode == repro ]]; then
    [[ $# -eq 2 ]] || { echo "usage: scripts/fuzz.sh repro TARGET FILE" >&2; exit 2; }
    repro_file=$2
    set -- "$1"
fi
targets=("$@")
((${#targets[@]})) || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
    [[ " ${ALL_TARGETS[*]} ${EXTRA_TARGETS[*]} " == *" $t "* ]] ||
        { echo "unknown fuzz target '$t' (known: ${ALL_TARGETS[*]} ${EXTRA_TARGETS[*]})" >&2; exit 2; }
done

# Sanitizer reports with file:line and Swift names.
if [[ -x /opt/swift/usr/bin/llvm-symbolizer ]]; then
    export ASAN_SYMBOLIZER_PATH=/opt/swift/usr/bin/llvm-symbolizer
fi
# The Swift runtime's own crash handler (backtracer) would take the signal first and trip
# AddressSanitizer while reading memory; let libFuzzer and ASan report instead.
export SWIFT_BACKTRACE=enable=no
# Leak checking stays on: the targets must not leak per input either.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}

# The source files and flags of each target.
sources() {
    case $1 in
        http) printf '%s\n' Sources/HTTP1/*.swift Fuzz/HTTPParserFuzz.swift ;;
        jwt) printf '%s\n' Sources/JWT/*.swift Fuzz/JWTFuzz.swift ;;
        query) printf '%s\n' Sources/HTTP1/*.swift Sources/Dashboard/CivilDate.swift \
            Sources/Dashboard/DashboardParameters.swift Fuzz/QueryFuzz.swift ;;
        llhttp) printf '%s\n' Sources/HTTP1/*.swift Fuzz/HTTPDifferentialFuzz.swift "$OUT/llhttp"/*.o ;;
    esac
}
flags() {
    case $1 in
        http) printf '%s\n' -module-name HTTP1 ;;
        jwt) printf '%s\n' -module-name JWT -I Sources/COpenSSL ;;
        # DashboardParameters' `import HTTP1` names the module being compiled: a warning only.
        query) printf '%s\n' -module-name HTTP1 -suppress-warnings ;;
        llhttp) printf '%s\n' -module-name HTTP1 -I "$OUT/llhttp/include" ;;
    esac
}

# llhttp's C sources, as SwiftNIO vendors them, compiled for the differential target.
prepare_llhttp() {
    local dir=$OUT/llhttp f
    [[ -f $dir/.tag && $(<"$dir/.tag") == "$LLHTTP_TAG" ]] && return 0
    [[ -d $LLHTTP_MIRROR ]] || { echo "no swift-nio mirror at $LLHTTP_MIRROR (LLHTTP_MIRROR)" >&2; return 1; }
    rm -rf "$dir"
    mkdir -p "$dir/include"
    for f in c_nio_api.c c_nio_http.c c_nio_llhttp.c include/c_nio_llhttp.h include/CNIOLLHTTP.h; do
        git -C "$LLHTTP_MIRROR" show "$LLHTTP_TAG:Sources/CNIOLLHTTP/$f" >"$dir/$f" || return 1
    done
    printf 'module CNIOLLHTTP {\n    header "CNIOLLHTTP.h"\n    export *\n}\n' >"$dir/include/module.modulemap"
    for f in c_nio_api c_nio_http c_nio_llhttp; do
        clang -O2 -g -fsanitize=fuzzer-no-link,address -I "$dir/include" -c "$dir/$f.c" -o "$dir/$f.o" || return 1
    done
    echo "$LLHTTP_TAG" >"$dir/.tag"
}
# The committed seeds and dictionary a target uses (the differential one shares http's).
seeds() { if [[ $1 == llhttp ]]; then echo http; else echo "$1"; fi; }

max_len() {
    if [[ -n ${FUZZ_MAX_LEN:-} ]]; then echo "$FUZZ_MAX_LEN"; return; fi
    case $1 in
        http | llhttp) echo 8192 ;;   # past the small limits, and long enough for pipelining
        jwt) echo 4096 ;;    # past the verifier's 4096-byte option
        query) echo 2048 ;;
    esac
}

build() {
    local t=$1 started=$SECONDS
    local -a src fl
    if [[ $t == llhttp ]]; then prepare_llhttp || return 1; fi
    mapfile -t src < <(sources "$t")
    mapfile -t fl < <(flags "$t")
    mkdir -p "$BIN"
    # Rebuild only when a source is newer than the binary.
    if [[ -x $BIN/$t ]]; then
        local newer=0 f
        for f in "${src[@]}" scripts/fuzz.sh; do [[ $f -nt $BIN/$t ]] && newer=1; done
        ((newer)) || { note "$t: up to date ($BIN/$t)"; return 0; }
    fi
    if ! swiftc -sanitize=fuzzer,address -parse-as-library -O -g -use-ld=lld \
        "${fl[@]}" "${src[@]}" -o "$BIN/$t.tmp"; then
        echo "fuzz target $t failed to build" >&2
        return 1
    fi
    mv "$BIN/$t.tmp" "$BIN/$t"
    note "$t: built in $((SECONDS - started)) s ($BIN/$t)"
}

# Prints the interesting part of a libFuzzer log, Swift names demangled.
show_crash() {
    local log=$1
    grep -E '(^==[0-9]+==|Fatal error|property violated|^SUMMARY|^ +#[0-9]+ |^input \(|^query: |^MS: |Test unit written|ALARM|out-of-memory|Running: )' "$log" \
        | head -n 80 | swift demangle --simplified | sed 's/^/      /'
}

failures=()
# Per target: "ok" or what failed, and seconds; written as JUnit XML for
# scripts/security-report.py (.local/test-results/fuzz.xml).
declare -A result seconds
record() { # TARGET STATUS SECONDS
    if [[ $2 != ok || -z ${result[$1]:-} ]]; then result[$1]=$2; fi
    seconds[$1]=$((${seconds[$1]:-0} + $3))
}
write_junit() {
    local t file=.local/test-results/fuzz.xml n=0 nfail=0
    mkdir -p .local/test-results
    for t in "${targets[@]}"; do
        n=$((n + 1))
        [[ ${result[$t]:-ok} == ok ]] || nfail=$((nfail + 1))
    done
    {
        printf '<?xml version="1.0" encoding="utf-8"?>\n'
        printf '<testsuites><testsuite name="fuzz" tests="%d" failures="%d" errors="0" skipped="0" timestamp="%s">\n' \
            "$n" "$nfail" "$(date -u +%Y-%m-%dT%H:%M:%S)"
        for t in "${targets[@]}"; do
            printf '<testcase classname="fuzz" name="%s" time="%d">' "$t" "${seconds[$t]:-0}"
            if [[ ${result[$t]:-ok} != ok ]]; then
                printf '<failure message="%s">see .local/fuzz/logs/%s.log</failure>' "${result[$t]}" "$t"
            fi
            printf '</testcase>\n'
        done
        printf '</testsuite></testsuites>\n'
    } >"$file"
}
save_crashes() {
    local t=$1 f name
    mkdir -p "Fuzz/regressions/$t"
    shopt -s nullglob
    for f in "$OUT/artifacts/$t"/*; do
        name=$(basename "$f")
        name=${name%%-*}-$(sha1sum "$f" | cut -c1-16)
        cp "$f" "Fuzz/regressions/$t/$name"
        note "$t: saved $f as Fuzz/regressions/$t/$name"
        rm -f "$f"
    done
    shopt -u nullglob
}

replay() {
    local t=$1
    local log=$OUT/logs/$t-replay.log
    local -a inputs=()
    shopt -s nullglob
    inputs=(Fuzz/regressions/"$t"/* Fuzz/corpus/"$(seeds "$t")"/*)
    shopt -u nullglob
    ((${#inputs[@]})) || return 0
    local t0=$SECONDS
    # One run over each file; the first crash stops the binary with a non-zero status.
    if "$BIN/$t" -rss_limit_mb=2048 -timeout=25 -runs=1 "${inputs[@]}" >"$log" 2>&1; then
        note "$t: ${#inputs[@]} seed and regression inputs replayed, no crash"
        record "$t" ok $((SECONDS - t0))
    else
        note "$t: FAILED replaying the seeds and regressions ($log):"
        show_crash "$log"
        failures+=("$t replay")
        record "$t" "crash replaying a seed or regression" $((SECONDS - t0))
    fi
}

fuzz() {
    local t=$1
    local log=$OUT/logs/$t.log
    mkdir -p "$OUT/corpus/$t" "$OUT/artifacts/$t"
    local t0=$SECONDS
    # shellcheck disable=SC2086  # FUZZ_ARGS is split on purpose
    "$BIN/$t" -max_total_time="$FUZZ_SECONDS" -max_len="$(max_len "$t")" -timeout=25 \
        -rss_limit_mb=2048 -dict="Fuzz/$(seeds "$t").dict" -print_final_stats=1 \
        -artifact_prefix="$OUT/artifacts/$t/" ${FUZZ_ARGS:-} \
        "$OUT/corpus/$t" "Fuzz/corpus/$(seeds "$t")" >"$log" 2>&1
    local rc=$?
    local stats
    stats=$(grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | tr -s ' \t\n' ' ')
    if ((rc == 0)); then
        note "$t: no crash in ${FUZZ_SECONDS} s — $stats"
        record "$t" ok $((SECONDS - t0))
    else
        note "$t: CRASH (exit $rc, $log):"
        show_crash "$log"
        failures+=("$t")
        record "$t" "crash while fuzzing (exit $rc)" $((SECONDS - t0))
    fi
    save_crashes "$t"
}

started=$SECONDS
mkdir -p "$OUT/logs"
heading "fuzz: build (${targets[*]})"
for t in "${targets[@]}"; do
    build "$t" || { failures+=("$t build"); record "$t" "build failed" 0; }
done
if ((${#failures[@]})); then
    [[ $mode == build || $mode == repro ]] || write_junit
    note "FAILED: ${failures[*]}"
    exit 1
fi
[[ $mode == build ]] && exit 0

if [[ $mode == repro ]]; then
    "$BIN/${targets[0]}" -runs=1 "$repro_file" 2>&1 | swift demangle --simplified
    exit "${PIPESTATUS[0]}"
fi

heading "fuzz: replay seeds and Fuzz/regressions"
for t in "${targets[@]}"; do replay "$t"; done

if [[ $mode != replay ]]; then
    heading "fuzz: ${FUZZ_SECONDS} s per target"
    for t in "${targets[@]}"; do fuzz "$t"; done
fi

write_junit
heading "fuzz: summary ($((SECONDS - started)) s)"
if ((${#failures[@]})); then
    note "FAILED: ${failures[*]}"
    note "reproduce: scripts/fuzz.sh repro TARGET Fuzz/regressions/TARGET/FILE"
    exit 1
fi
note "fuzz: no crash"
