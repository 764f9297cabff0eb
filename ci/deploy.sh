#!/usr/bin/env bash
# Deploys findash to an environment, blue-green (docs/deployment.md):
#
#   ci/deploy.sh ENV [--binary PATH] [--version V]   deploy a new release
#   ci/deploy.sh ENV --release ID                    deploy a recorded release again
#   ci/deploy.sh ENV --status                        what serves; exit 0 serving, 1 broken, 3 none
#   ci/deploy.sh ENV --env                           the deployment's export lines (eval them)
#   ci/deploy.sh ENV --logs [N]                      last N lines of each log (both colours, nginx, history)
#   ci/deploy.sh ENV --stop                          stop everything (releases and data are kept)
#   ci/deploy.sh ENV --destroy                       stop, then delete the state directory
#
# ENV: development (1 replica, port 8000), testing (1, 8001), staging (2, 8002) or
# production (3, 8080 locally). With a Docker engine: docker compose (base + ENV override).
# Without: the release binary (DEPLOY_BINARY, FINDASH_BIN, dist/findash or the release build)
# is copied into the state directory as a new release, `findash migrate` runs, the release
# starts on the idle colour (its own loopback ports), each new replica must pass
# scripts/health-check.sh and scripts/smoke-test.sh, then nginx is switched to it with a
# reload and the old colour drains (SIGTERM) and stops. A failed check stops the new colour:
# the old one never stopped serving (exit status 1). ci/rollback.sh ENV goes back.
# Settings: see ci/lib-deploy.sh and docs/deployment.md (DEPLOY_PORT, DEPLOY_STATE_DIR, ...).
# Exit status: 0 deployed, 1 failed (old release still serving), 2 usage or setup error.
set -euo pipefail
CI_NAME=deploy
# shellcheck source=ci/lib-deploy.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-deploy.sh"

usage() {
    sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

(($# >= 1)) || usage
case $1 in -h | --help) usage ;; esac
ENV_NAME=$1
shift
deploy_env_valid "$ENV_NAME" || { ci_log "unknown environment '$ENV_NAME'"; usage; }

ACTION=deploy
ACTION_ARG=""
BINARY_ARG=""
VERSION_ARG=""
while (($# > 0)); do
    case $1 in
    --binary) BINARY_ARG=${2:?--binary needs a path}; shift 2 ;;
    --version) VERSION_ARG=${2:?--version needs a value}; shift 2 ;;
    --release) ACTION=redeploy; ACTION_ARG=${2:?--release needs a release id}; shift 2 ;;
    --rollback-to) ACTION=rollback; ACTION_ARG=${2:?}; shift 2 ;;
    --status | --env | --stop | --destroy) ACTION=${1#--}; shift ;;
    --logs)
        ACTION=logs
        shift
        if [[ ${1:-} =~ ^[0-9]+$ ]]; then ACTION_ARG=$1; shift; fi
        ;;
    -h | --help) usage ;;
    *) ci_log "unknown option '$1'"; usage ;;
    esac
done
[[ -n $BINARY_ARG ]] && DEPLOY_BINARY=$BINARY_ARG
[[ -n $VERSION_ARG ]] && FINDASH_VERSION=$VERSION_ARG

MODE=$(deploy_mode)

# ============================================================================ compose

compose_main() {
    local env=$1 base tag prev_tag token state
    compose_cmd "$env"
    state=$(deploy_state_dir "$env")
    mkdir -p "$state"
    base=$(compose_base_url "$env")
    case $ACTION in
    status) "${COMPOSE[@]}" ps; return ;;
    stop | destroy)
        "${COMPOSE[@]}" down --remove-orphans
        deploy_history_c "$state" "$ACTION" ok ""
        return
        ;;
    env)
        printf 'export DEPLOY_ENV=%q\nexport LB_URL=%q\nexport BASE_URL=%q\n' "$env" "$base" "$base"
        return
        ;;
    logs) "${COMPOSE[@]}" logs --tail "${ACTION_ARG:-50}" app; return ;;
    esac
    prev_tag=$(sed -n 's/^current=//p' "$state/compose-tags" 2>/dev/null || true)
    case $ACTION in
    deploy)
        tag=${FINDASH_TAG:-}
        if [[ -z $tag && -s $ROOT/dist/VERSION ]]; then tag=$(head -n 1 "$ROOT/dist/VERSION"); tag=${tag//+/-}; fi
        tag=${tag:-latest}
        ;;
    redeploy | rollback) tag=$ACTION_ARG ;;
    esac
    export FINDASH_TAG=$tag
    local up=(up -d --wait --wait-timeout 600 --remove-orphans)
    [[ $env == development || $env == testing ]] && up+=(--build)
    ci_log "docker compose ($env): FINDASH_TAG=$tag (previous: ${prev_tag:-none})"
    if "${COMPOSE[@]}" "${up[@]}" && compose_validate "$base"; then
        printf 'current=%s\nprevious=%s\n' "$tag" "$prev_tag" >"$state/compose-tags"
        deploy_history_c "$state" "$ACTION" ok "tag=$tag"
        printf '%s: %s %s on %s (docker compose)\n' "$ACTION" "$env" "$tag" "$base"
        return 0
    fi
    deploy_history_c "$state" "$ACTION" failed "tag=$tag"
    if [[ -n $prev_tag && $prev_tag != "$tag" ]]; then
        ci_log "validation failed: back to FINDASH_TAG=$prev_tag"
        FINDASH_TAG=$prev_tag "${COMPOSE[@]}" "${up[@]}" || ci_log "could not bring $prev_tag back: see docs/runbooks/failed-deployment.md"
    fi
    return 1
}

deploy_history_c() { # STATE ACTION RESULT DETAILS
    printf '%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$2" "$3" "$4" >>"$1/history"
}

compose_validate() {
    local base=$1 token insecure=()
    [[ $base == https://* ]] && insecure=(env SMOKE_INSECURE=1 HEALTH_INSECURE=1)
    token=$("${COMPOSE[@]}" exec -T app findash token --tenant-type user --tenant-id user_0001 --ttl 600) || token=""
    "${insecure[@]}" "$ROOT/scripts/health-check.sh" "$base" >&2 || [[ $? == 1 ]] || return 1
    "${insecure[@]}" "$ROOT/scripts/smoke-test.sh" "$base" "$token" >&2
}

if [[ $MODE == compose ]]; then
    compose_main "$ENV_NAME"
    exit $?
fi

# ============================================================================ local

deploy_load "$ENV_NAME"

status() {
    local colour release rc=0 index port pid start master state
    colour=$(live_colour)
    release=$(current_release)
    printf 'environment   %s (local blue-green; state %s)\n' "$DEPLOY_ENV" "$STATE"
    if [[ -z $colour ]]; then
        printf 'serving       nothing (not deployed, or stopped)\n'
        [[ -n $release ]] && printf 'last release  %s (%s)\n' "$release" "$(release_version "$release")"
        tail -n 5 "$STATE/history" 2>/dev/null | sed 's/^/  /'
        return 3
    fi
    printf 'url           %s\n' "$(deploy_base_url)"
    printf 'release       %s  version %s  colour %s\n' "$release" "$(release_version "$release")" "$colour"
    local prev
    prev=$(previous_release)
    [[ -n $prev ]] && printf 'previous      %s  version %s  (ci/rollback.sh %s)\n' "$prev" "$(release_version "$prev")" "$DEPLOY_ENV"
    if master=$(nginx_master); then
        printf 'nginx         pid %s, listening on %s:%s, error log %s\n' "$master" "$LISTEN_HOST" "$PORT" "$STATE/nginx/error.log"
    else
        printf 'nginx         NOT RUNNING\n'
        rc=1
    fi
    while read -r index port pid start; do
        if replica_alive "$pid" "$start"; then
            state="running, /health $(HTTP_TIMEOUT=2 http_status "http://127.0.0.1:$port/health")"
        else
            state="NOT RUNNING"
            rc=1
        fi
        printf 'replica %-5s port %s, pid %s: %s, log %s\n' "$index" "$port" "$pid" "$state" "$STATE/$colour/replica-$index.log"
    done < <(colour_replicas "$colour")
    printf 'database      %s\n' "$(sed -n 's/^DATABASE_URL=//p' "$STATE/connection.env" | sed -E 's#(://[^:/@]*):[^@]*@#\1:****@#')"
    printf 'history       %s (last 5 below)\n' "$STATE/history"
    tail -n 5 "$STATE/history" 2>/dev/null | sed 's/^/  /'
    return "$rc"
}

show_logs() {
    local n=${ACTION_ARG:-50} live colour index port _ f label
    live=$(live_colour)
    for colour in blue green; do
        [[ -d $STATE/$colour ]] || continue
        if [[ $colour == "$live" ]]; then label="live colour $colour"; else label="idle colour $colour (its last attempt)"; fi
        printf '######## %s, release %s\n' "$label" "$(cat "$STATE/$colour/release" 2>/dev/null || echo -)"
        for f in "$STATE/$colour"/migrate.log "$STATE/$colour"/health-*.json "$STATE/$colour"/smoke-*.log "$STATE/$colour"/replica-*.log; do
            [[ -f $f ]] || continue
            printf '==> %s <==\n' "$f"
            tail -n "$n" "$f"
        done
    done
    printf '######## nginx\n==> %s <==\n' "$STATE/nginx/error.log"
    tail -n "$n" "$STATE/nginx/error.log" 2>/dev/null || true
    printf '######## history\n'
    tail -n "$n" "$STATE/history" 2>/dev/null || true
}

stop_all() {
    local colour
    for colour in blue green; do stop_colour "$colour"; done
    nginx_stop
    rm -f "$STATE/colour"
    if [[ -f $STATE/services/env ]]; then
        (close_fds && exec "$ROOT/scripts/services.sh" stop "$STATE/services") >&2 || true
    fi
    deploy_history stop ok ""
    ci_log "$DEPLOY_ENV stopped (releases kept in $STATE/releases)"
}

# The checks a new colour passes before it gets traffic: each replica, directly.
validate_colour() {
    local colour=$1 release=$2 bin token index port rc url
    bin=$STATE/releases/$release/findash
    token=""
    if grep -q '^export JWT_SECRET=' "$STATE/$colour/env"; then
        token=$(run_with_env "$STATE/$colour/env" "$bin" token --tenant-type user --tenant-id user_0001 --ttl 600) \
            || { ci_log "findash token failed"; return 1; }
    elif [[ -n ${DEPLOY_TOKEN:-} ]]; then
        token=$DEPLOY_TOKEN
    else
        ci_log "no JWT_SECRET (public-key tokens) and no DEPLOY_TOKEN: the smoke test checks only the refusals"
    fi
    while read -r index port _; do
        url=http://127.0.0.1:$port
        rc=0
        "$ROOT/scripts/health-check.sh" "$url" >"$STATE/$colour/health-$index.json" 2>&1 || rc=$?
        case $rc in
        0) ci_log "$colour replica $index: healthy" ;;
        1) ci_log "$colour replica $index: degraded (cache down; still serving): $(json_field "$STATE/$colour/health-$index.json" 'd["checks"]')" ;;
        *)
            ci_log "$colour replica $index: health check FAILED:"
            sed 's/^/      /' "$STATE/$colour/health-$index.json" >&2
            return 1
            ;;
        esac
        if grep -qE "^export DASHBOARD_ENABLED=(false|'false'|0|no|off)\$" "$STATE/$colour/env"; then
            # The feature flag (docs/runbooks/rollback.md): the dashboard must be off, the rest up.
            local code
            code=$(http_status "$url/financial/dashboard/summary" -H "Authorization: Bearer $token")
            if [[ $code != 404 ]]; then
                ci_log "$colour replica $index: DASHBOARD_ENABLED=false but the dashboard answers $code, not 404"
                return 1
            fi
            ci_log "$colour replica $index: dashboard off (DASHBOARD_ENABLED=false): 404 as intended; smoke test skipped"
            continue
        fi
        if ! "$ROOT/scripts/smoke-test.sh" "$url" "$token" >"$STATE/$colour/smoke-$index.log" 2>&1; then
            ci_log "$colour replica $index: smoke test FAILED:"
            grep -E '^(FAIL|smoke test)' "$STATE/$colour/smoke-$index.log" | sed 's/^/      /' >&2
            return 1
        fi
        ci_log "$colour replica $index: $(tail -n 1 "$STATE/$colour/smoke-$index.log")"
    done < <(colour_replicas "$colour")
}

# deploy_release RELEASE ACTION: the blue-green switch to RELEASE.
deploy_release() {
    local release=$1 action=$2 old new version bin started=$SECONDS served
    old=$(live_colour)
    if [[ -n $old ]] && ! colour_alive "$old"; then
        ci_log "the live colour $old is not (fully) running: it will be replaced"
    fi
    new=blue
    [[ $old == blue ]] && new=green
    version=$(release_version "$release")
    bin=$STATE/releases/$release/findash
    ci_log "$action $DEPLOY_ENV: release $release ($version) on $new; ${old:+$old ($(current_release), $(release_version "$(current_release)")) keeps serving until the switch}"

    # Leftovers of an interrupted deployment on the idle colour.
    stop_colour "$new"
    if ! write_colour_env "$new" "$version"; then
        deploy_history "$action" failed "release=$release version=$version step=settings"
        return 1
    fi

    ci_log "migrate: findash migrate"
    if ! run_with_env "$STATE/$new/env" timeout 300 "$bin" migrate >"$STATE/$new/migrate.log" 2>&1; then
        ci_log "findash migrate FAILED (nothing switched):"
        tail -n 10 "$STATE/$new/migrate.log" | sed 's/^/      /' >&2
        deploy_history "$action" failed "release=$release version=$version step=migrate"
        return 1
    fi
    if [[ ${DEPLOY_SEED:-0} == 1 && ! -f $STATE/seeded ]]; then
        ci_log "seed: findash seed (DEPLOY_SEED=1)"
        run_with_env "$STATE/$new/env" "$bin" seed >&2 && date -u +%FT%TZ >"$STATE/seeded"
    fi

    ci_log "start: $REPLICAS replica(s) of $version on $new"
    if ! start_colour "$new" "$release"; then
        deploy_history "$action" failed "release=$release version=$version step=start"
        ci_log "FAILED: the new release did not start; ${old:-nothing} still serves"
        return 1
    fi
    ci_log "validate: health check and smoke test of each $new replica"
    if ! validate_colour "$new" "$release"; then
        stop_colour "$new"
        deploy_history "$action" failed "release=$release version=$version step=validate"
        ci_log "FAILED: the new release did not pass its checks and was stopped; ${old:-nothing} still serves"
        return 1
    fi

    ci_log "switch: nginx to $new"
    if ! nginx_switch "$new"; then
        stop_colour "$new"
        deploy_history "$action" failed "release=$release version=$version step=switch"
        ci_log "FAILED: nginx was not switched; ${old:-nothing} still serves"
        return 1
    fi
    printf 'PORT=%s\nLISTEN_HOST=%s\nREPLICAS=%s\n' "$PORT" "$LISTEN_HOST" "$REPLICAS" >"$STATE/settings"
    local cur
    cur=$(current_release)
    if [[ -n $cur && $cur != "$release" ]]; then printf '%s\n' "$cur" >"$STATE/previous"; fi
    printf '%s\n' "$release" >"$STATE/current"
    printf '%s\n' "$new" >"$STATE/colour"
    write_deploy_env

    served=$(curl -s --max-time 5 "$(deploy_base_url)/health/dashboard" | json_field - 'd.get("version")' || true)
    ci_log "through nginx: /health/dashboard reports version ${served:-?}"

    if [[ -n $old && $old != "$new" ]]; then
        ci_log "drain: the old colour $old"
        stop_colour "$old"
    fi
    prune_releases
    deploy_history "$action" ok "release=$release version=$version colour=$new seconds=$((SECONDS - started))"
    printf '%s: %s %s (release %s) on %s, %s replica(s): %s  [%d s]\n' "$action" "$DEPLOY_ENV" "$version" \
        "$release" "$new" "$REPLICAS" "$(deploy_base_url)" "$((SECONDS - started))"
}

case $ACTION in
status)
    rc=0
    status || rc=$?
    exit "$rc"
    ;;
env)
    [[ -s $STATE/env && -n $(live_colour) ]] || ci_die "$DEPLOY_ENV is not deployed (state $STATE)"
    cat "$STATE/env"
    exit 0
    ;;
logs)
    rc=0
    show_logs || rc=$?
    exit "$rc"
    ;;
esac

[[ -f $NGINX_TEMPLATE ]] || ci_die "missing $NGINX_TEMPLATE"
command -v nginx >/dev/null 2>&1 || ensure_debian_packages nginx-light
command -v envsubst >/dev/null 2>&1 || ensure_debian_packages gettext-base
deploy_lock

case $ACTION in
stop)
    stop_all
    ;;
destroy)
    stop_all
    if [[ -f $STATE/services/env ]]; then
        (close_fds && exec "$ROOT/scripts/services.sh" destroy "$STATE/services") >&2 || true
    fi
    [[ -f $STATE/.findash-deploy ]] || ci_die "$STATE is not a deployment's state directory: not deleting it"
    exec 9>&-
    rm -rf "$STATE"
    ci_log "removed $STATE"
    ;;
deploy)
    deploy_connection
    src=$(deploy_source_binary)
    version=$(deploy_source_version "$src")
    release=$(record_release "$src" "$version")
    ci_log "release $release: $src ($version)"
    deploy_release "$release" deploy || exit 1
    ;;
redeploy | rollback)
    [[ -x $STATE/releases/$ACTION_ARG/findash ]] || ci_die "no release '$ACTION_ARG' in $STATE/releases (ci/rollback.sh $DEPLOY_ENV --list)"
    deploy_connection
    deploy_release "$ACTION_ARG" "$ACTION" || exit 1
    ;;
esac
