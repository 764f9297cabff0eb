#!/usr/bin/env bash
# Checks the Compose files, the nginx configurations and .env.example without Docker:
#
#   ci/check-compose.sh [DIR]    DIR: a checkout, or a copy of its deployment files
#                                (docker-compose.yml, compose/, deploy/, Dockerfile,
#                                .env.example, README.md, Sources/FindashApp); default: this one
#
# 1. yamllint (ci/yamllint.yml) on docker-compose.yml, compose/*.yml and deploy/*.yml;
# 2. ci/compose_check.py: every file and every merged base+override against the Compose
#    specification's JSON schema, the merged models' consistency, each environment's shape,
#    secrets required in staging/production, .env.example complete;
# 3. `nginx -t` on compose/nginx/*.conf and on deploy/nginx/findash-local.conf.template
#    rendered, each with deploy/nginx/findash-proxy.conf and a throw-away certificate.
# Installs PyYAML, jsonschema and yamllint (pip) and nginx (apt) when missing.
# Exit status: 0 when everything passed, 1 when a check failed, 2 when a tool is missing.
set -euo pipefail
CI_NAME=check-compose
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR=$(cd "${1:-$ROOT}" && pwd -P)
ensure_python_modules yaml=PyYAML jsonschema=jsonschema yamllint=yamllint
command -v nginx >/dev/null 2>&1 || ensure_debian_packages nginx-light
command -v openssl >/dev/null 2>&1 || ensure_debian_packages openssl
command -v envsubst >/dev/null 2>&1 || ensure_debian_packages gettext-base

failed=()
work=$(mktemp -d /tmp/findash-check-compose.XXXXXX)
trap 'rm -rf "$work"' EXIT

printf '==> yamllint\n'
shopt -s nullglob
yaml_files=("$DIR"/docker-compose.yml "$DIR"/compose/*.yml "$DIR"/deploy/*.yml)
shopt -u nullglob
if python3 -m yamllint -f parsable -c "$CI_DIR/yamllint.yml" "${yaml_files[@]}"; then
    printf 'ok    yamllint: %d files\n' "${#yaml_files[@]}"
else
    printf 'FAIL  yamllint\n'
    failed+=(yamllint)
fi

printf '==> Compose schema and semantics (schema: %s)\n' "$(compose_schema)"
if ! python3 "$CI_DIR/compose_check.py" --root "$DIR" --schema "$(compose_schema)"; then
    failed+=(compose)
fi

printf '==> nginx -t\n'
# A throw-away self-signed certificate for the TLS server blocks.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=findash.test \
    -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1 || ci_die "openssl could not make a certificate"
# `server ... resolve` needs nginx 1.27.3+ (the compose files use nginx:1.28); an older
# local nginx checks the rest.
nginx_version=$(nginx -v 2>&1 | sed -n 's|.*nginx/\([0-9.]*\).*|\1|p')
strip_resolve=false
if [[ $(printf '%s\n1.27.3\n' "$nginx_version" | sort -V | head -n1) != 1.27.3 ]]; then
    strip_resolve=true
fi

nginx_test() { # LABEL PREFIX CONF
    local out
    mkdir -p "$2/logs" "$2/tmp"
    if out=$(nginx -t -q -p "$2" -c "$3" -e stderr 2>&1); then
        printf 'ok    nginx -t: %s\n' "$1"
    else
        printf 'FAIL  nginx -t: %s\n%s\n' "$1" "$out"
        failed+=("nginx $1")
    fi
}

shopt -s nullglob
for conf in "$DIR"/compose/nginx/*.conf; do
    name=$(basename "$conf" .conf)
    prefix=$work/$name
    mkdir -p "$prefix"
    sed -e "s|/etc/nginx/snippets/findash-proxy.conf|$DIR/deploy/nginx/findash-proxy.conf|" \
        -e "s|/run/secrets/tls_certificate|$work/cert.pem|" \
        -e "s|/run/secrets/tls_private_key|$work/key.pem|" \
        -e "s|server app:8000|server 127.0.0.1:8000|" \
        "$conf" >"$prefix/site.conf"
    if $strip_resolve; then sed -i 's/ resolve / /' "$prefix/site.conf"; fi
    cat >"$prefix/nginx.conf" <<NGINX
pid $prefix/nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    client_body_temp_path $prefix/tmp/body;
    proxy_temp_path $prefix/tmp/proxy;
    fastcgi_temp_path $prefix/tmp/fastcgi;
    uwsgi_temp_path $prefix/tmp/uwsgi;
    scgi_temp_path $prefix/tmp/scgi;
    include $prefix/site.conf;
}
NGINX
    nginx_test "compose/nginx/$name.conf" "$prefix" "$prefix/nginx.conf"
done
shopt -u nullglob

template=$DIR/deploy/nginx/findash-local.conf.template
if [[ -f $template ]]; then
    prefix=$work/local
    mkdir -p "$prefix/tmp"
    # shellcheck disable=SC2016  # envsubst's list of names, not an expansion
    (
        export FINDASH_NGINX_PREFIX=$prefix FINDASH_LISTEN=127.0.0.1:18002
        export FINDASH_UPSTREAM_SERVERS='server 127.0.0.1:18101; server 127.0.0.1:18102;'
        export FINDASH_PROXY_SNIPPET=$DIR/deploy/nginx/findash-proxy.conf
        envsubst '${FINDASH_NGINX_PREFIX} ${FINDASH_LISTEN} ${FINDASH_UPSTREAM_SERVERS} ${FINDASH_PROXY_SNIPPET}' \
            <"$template" >"$prefix/nginx.conf"
    )
    # shellcheck disable=SC2016  # a literal ${
    if grep -qF '${FINDASH_' "$prefix/nginx.conf"; then
        printf 'FAIL  deploy/nginx/findash-local.conf.template: variables left after rendering\n'
        failed+=("nginx template")
    else
        nginx_test "deploy/nginx/findash-local.conf.template (rendered)" "$prefix" "$prefix/nginx.conf"
    fi
else
    printf 'FAIL  deploy/nginx/findash-local.conf.template: missing\n'
    failed+=("nginx template")
fi

if ((${#failed[@]} > 0)); then
    printf 'check-compose: FAILED: %s\n' "${failed[*]}"
    exit 1
fi
printf 'check-compose: all checks passed\n'
