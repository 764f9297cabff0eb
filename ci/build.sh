#!/usr/bin/env bash
# The build stage: the release binary with its version, and images where Docker runs.
#
#   ci/build.sh
#
# - `make release`, then dist/findash (the binary), dist/VERSION (one line, e.g.
#   0.1.0+6ce9f1f, or 0.1.0+6ce9f1f.dirty for uncommitted changes; `git describe` of a
#   v* tag when HEAD has one), dist/build-info.json and dist/SHA256SUMS. The version's base
#   is the one the binary reports (Version.current in Sources/FindashApp/ServeCommand.swift).
#   Deployments export FINDASH_VERSION="$(cat dist/VERSION)".
# - Where `docker info` answers: `docker build --target production` tagged
#   findash:<version> and findash:latest, with FINDASH_VERSION as a build argument.
#   BUILD_TARGETS="development testing production" builds those targets too;
#   PLATFORMS=linux/amd64,linux/arm64 builds them with buildx for both (PUSH=1 pushes;
#   IMAGE=registry/findash names them).
set -euo pipefail
CI_NAME=build
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

DIST=${DIST_DIR:-$ROOT/dist}
IMAGE=${IMAGE:-findash}

# The first x.y.z literal inside `enum Version` (Version.current's default).
base=$(awk '/enum Version/ { inside = 1 } inside && match($0, /"[0-9]+\.[0-9]+\.[0-9]+[^"]*"/) {
    print substr($0, RSTART + 1, RLENGTH - 2); exit }' Sources/FindashApp/ServeCommand.swift)
[[ -n $base ]] || base=0.0.0
commit=unknown
version=$base
if git rev-parse --git-dir >/dev/null 2>&1; then
    commit=$(git rev-parse HEAD)
    if tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
        version=${tag#v}
    else
        version=$base+$(git rev-parse --short=7 HEAD)
    fi
    if [[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]]; then
        version=$version.dirty
    fi
fi
ci_log "version $version (commit $commit)"

make release
bin=$(cd "$ROOT" && swift build -c release --show-bin-path)/findash
[[ -x $bin ]] || ci_die "no release binary at $bin"

mkdir -p "$DIST"
install -m 0755 "$bin" "$DIST/findash"
printf '%s\n' "$version" >"$DIST/VERSION"
python3 - "$DIST/build-info.json" "$version" "$commit" "$(swift --version 2>&1 | head -n1)" <<'PY'
import datetime, json, sys
path, version, commit, swift = sys.argv[1:5]
with open(path, "w", encoding="utf-8") as f:
    json.dump({"version": version, "commit": commit, "swift": swift,
               "built_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")},
              f, indent=2)
    f.write("\n")
PY
(cd "$DIST" && sha256sum findash VERSION build-info.json >SHA256SUMS)
"$DIST/findash" help >/dev/null || ci_die "dist/findash does not run"
ci_log "dist: $DIST/{findash,VERSION,build-info.json,SHA256SUMS}"

if ! docker info >/dev/null 2>&1; then
    ci_log "no Docker engine here: images not built (ci/check-dockerfile.sh checked the Dockerfile)"
    exit 0
fi
tag=${version//+/-}
targets=${BUILD_TARGETS:-production}
for target in $targets; do
    suffix=""
    [[ $target == production ]] || suffix=-$target
    tags=(-t "$IMAGE:$tag$suffix")
    if [[ $target == production ]]; then
        tags+=(-t "$IMAGE:latest")
    else
        tags+=(-t "$IMAGE:$target")
    fi
    if [[ -n ${PLATFORMS:-} ]]; then
        out=(--load)
        if [[ ${PUSH:-0} == 1 ]]; then out=(--push); fi
        docker buildx build --platform "$PLATFORMS" --target "$target" \
            --build-arg FINDASH_VERSION="$version" "${tags[@]}" "${out[@]}" .
    else
        docker build --target "$target" --build-arg FINDASH_VERSION="$version" "${tags[@]}" .
    fi
    ci_log "image ${tags[1]} ($target)"
done
