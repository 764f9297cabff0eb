#!/usr/bin/env bash
# Quality gate: every linter and configuration check, each run even when an earlier one
# failed; the exit status is 1 when any failed.
#
#   ci/lint.sh
#
# 1. swift-format lint (non-strict: style findings are reported, parse errors fail);
#    the findings go to .local/lint/swift-format.log, a count and the first few are printed
# 2. shellcheck -x on scripts/*.sh, ci/*.sh and .ci/run
# 3. python3 -m py_compile on ci/*.py and Tests/live/*.py
# 4. ci/check-compose.sh      Compose files, nginx configurations, .env.example
# 5. ci/check-dockerfile.sh   Dockerfile stages, runtime image, shared libraries
# 6. ci/check-prometheus.sh   promtool check config / check rules / test rules
set -uo pipefail
CI_NAME=lint
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT" || exit 2

started=$SECONDS
failed=()
step() { printf '\n==> %s\n' "$*"; }

step "dependencies (scripts/deps.sh)"
scripts/deps.sh || exit 2

step "swift-format lint (non-strict)"
mkdir -p .local/lint
log=.local/lint/swift-format.log
if swift-format lint --recursive --parallel Sources Tests >"$log" 2>&1; then
    printf 'ok    swift-format: no parse errors; %d style findings (%s)\n' "$(grep -c ': warning:' "$log")" "$log"
    grep ': warning:' "$log" | head -n 5 | sed 's/^/      /'
else
    printf 'FAIL  swift-format lint\n'
    grep -v ': warning:' "$log" | head -n 40
    failed+=(swift-format)
fi

step "shellcheck"
shopt -s nullglob
shell_scripts=(scripts/*.sh ci/*.sh .ci/run)
shopt -u nullglob
if shellcheck -x "${shell_scripts[@]}"; then
    printf 'ok    shellcheck: %d scripts\n' "${#shell_scripts[@]}"
else
    failed+=(shellcheck)
fi

step "python syntax"
shopt -s nullglob
py_files=(ci/*.py Tests/live/*.py)
shopt -u nullglob
if python3 - "${py_files[@]}" <<'PY'
import sys
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        compile(f.read(), path, "exec")
PY
then
    printf 'ok    python: %d files compile\n' "${#py_files[@]}"
else
    failed+=(python)
fi

step "compose, nginx, .env.example (ci/check-compose.sh)"
ci/check-compose.sh || failed+=(check-compose)

step "Dockerfile (ci/check-dockerfile.sh)"
ci/check-dockerfile.sh || failed+=(check-dockerfile)

step "Prometheus (ci/check-prometheus.sh)"
ci/check-prometheus.sh || failed+=(check-prometheus)

step "lint summary ($((SECONDS - started)) s)"
if ((${#failed[@]} > 0)); then
    printf 'FAILED: %s\n' "${failed[*]}"
    exit 1
fi
printf 'lint: every check passed\n'
