#!/usr/bin/env bash
# Returns an environment to the release that served before the current one (blue-green, the
# same way ci/deploy.sh switches; docs/runbooks/rollback.md):
#
#   ci/rollback.sh ENV               to the previous release
#   ci/rollback.sh ENV RELEASE       to a recorded release (an id from --list)
#   ci/rollback.sh ENV --list        the recorded releases, current and previous marked
#
# Local deployments (no Docker engine): the previous release's binary, kept under the state
# directory, starts on the idle colour, passes the health check and smoke test, nginx is
# switched back with a reload and the current colour drains and stops. The release rolled
# back from becomes the previous one, so a second rollback returns to it. With docker compose:
# the previous FINDASH_TAG is brought up again. Exit status: 0 rolled back, 1 failed (the
# current release still serves), 2 usage or nothing to roll back to.
set -euo pipefail
CI_NAME=rollback
# shellcheck source=ci/lib-deploy.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-deploy.sh"

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
(($# >= 1 && $# <= 2)) || usage
case $1 in -h | --help) usage ;; esac
ENV_NAME=$1
deploy_env_valid "$ENV_NAME" || { ci_log "unknown environment '$ENV_NAME'"; usage; }
TARGET=${2:-}

if [[ $(deploy_mode) == compose ]]; then
    state=$(deploy_state_dir "$ENV_NAME")
    if [[ $TARGET == --list ]]; then
        cat "$state/compose-tags" 2>/dev/null || ci_die "no deployment of $ENV_NAME recorded"
        exit 0
    fi
    if [[ -z $TARGET ]]; then
        TARGET=$(sed -n 's/^previous=//p' "$state/compose-tags" 2>/dev/null || true)
    fi
    [[ -n $TARGET ]] || ci_die "no previous FINDASH_TAG recorded for $ENV_NAME: nothing to roll back to"
    exec "$CI_DIR/deploy.sh" "$ENV_NAME" --rollback-to "$TARGET"
fi

deploy_load "$ENV_NAME"
if [[ $TARGET == --list ]]; then
    [[ -d $STATE/releases ]] || ci_die "no releases of $ENV_NAME in $STATE"
    list_releases
    exit 0
fi
if [[ -z $TARGET ]]; then
    TARGET=$(previous_release)
    [[ -n $TARGET ]] || ci_die "no previous release of $ENV_NAME recorded in $STATE: nothing to roll back to"
fi
[[ -x $STATE/releases/$TARGET/findash ]] || ci_die "no release '$TARGET' in $STATE/releases (ci/rollback.sh $ENV_NAME --list)"
if [[ $TARGET == "$(current_release)" && -n $(live_colour) ]]; then
    ci_die "release $TARGET ($(release_version "$TARGET")) already serves $ENV_NAME"
fi
ci_log "rolling $ENV_NAME back from $(current_release) ($(release_version "$(current_release)")) to $TARGET ($(release_version "$TARGET"))"
exec "$CI_DIR/deploy.sh" "$ENV_NAME" --rollback-to "$TARGET"
