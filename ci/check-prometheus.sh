#!/usr/bin/env bash
# Checks the Prometheus files with promtool (installed from Debian's `prometheus` package
# when missing, ~10 s):
#
#   ci/check-prometheus.sh [DIR]              promtool check config DIR/deploy/prometheus.yml
#                                             promtool check rules  DIR/deploy/alerts.yml
#                                             promtool test rules   DIR/deploy/alerts_test.yml
#   ci/check-prometheus.sh --metrics URL      promtool check metrics on a scrape of URL
#                                             (e.g. http://127.0.0.1:8000/metrics)
#
# Exit status: 0 passed, 1 a check failed, 2 promtool missing and not installable.
set -euo pipefail
CI_NAME=check-prometheus
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_promtool

if [[ ${1:-} == --metrics ]]; then
    url=${2:?usage: ci/check-prometheus.sh --metrics URL}
    body=$(curl -fsS --max-time 10 "$url") || { printf 'FAIL  GET %s\n' "$url"; exit 1; }
    [[ -n $body ]] || { printf 'FAIL  GET %s: empty body\n' "$url"; exit 1; }
    # promtool prints lint findings and exits 1 on any (and 3 on a parse error).
    if out=$(printf '%s\n' "$body" | promtool check metrics 2>&1); then
        printf 'ok    promtool check metrics: %s (%d series)\n' "$url" "$(grep -vc '^#' <<<"$body")"
        exit 0
    fi
    printf 'FAIL  promtool check metrics: %s\n%s\n' "$url" "$out"
    exit 1
fi

DIR=$(cd "${1:-$ROOT}" && pwd -P)
rc=0
run() { # LABEL CMD...
    local label=$1 out
    shift
    if out=$("$@" 2>&1); then
        printf 'ok    %s\n' "$label"
        if grep -q WARNING <<<"$out"; then printf '%s\n' "$out" | grep WARNING; fi
    else
        printf 'FAIL  %s\n%s\n' "$label" "$out"
        rc=1
    fi
}
cd "$DIR/deploy"
run "promtool check config deploy/prometheus.yml" promtool check config prometheus.yml
run "promtool check rules deploy/alerts.yml" promtool check rules alerts.yml
run "promtool test rules deploy/alerts_test.yml" promtool test rules alerts_test.yml
exit "$rc"
