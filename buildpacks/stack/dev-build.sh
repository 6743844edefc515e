#!/usr/bin/env bash
# Builds the stack images for development with plain `docker build`:
#   slipway/stack-base:dev (bootstrapped when missing), slipway/stack-build:dev, slipway/stack-run:dev.
# The platform builds the same Dockerfiles itself, tagged by a hash of each directory.
# usage: dev-build.sh [--no-cache]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
base=${SLIPWAY_STACK_BASE:-slipway/stack-base:dev}
args=(--build-arg "BASE=$base")
[ "${1:-}" = "--no-cache" ] && args+=(--no-cache)

start=$SECONDS
"$here/base/bootstrap.sh" "$base"
# Proxy variables reach apt inside the build as Docker's predefined build args.
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [ -n "${!v:-}" ] && args+=(--build-arg "$v=${!v}")
done
for stack in build run; do
    t=$SECONDS
    echo "dev-build: building slipway/stack-$stack:dev"
    log=$(mktemp)
    if ! DOCKER_BUILDKIT=0 docker build "${args[@]}" -t "slipway/stack-$stack:dev" "$here/$stack" >"$log" 2>&1; then
        tail -n 30 "$log" >&2; rm -f "$log"
        echo "dev-build: error: docker build of slipway/stack-$stack:dev failed (output above)" >&2
        exit 1
    fi
    rm -f "$log"
    echo "dev-build: slipway/stack-$stack:dev built in $((SECONDS - t)) s"
done
echo "dev-build: stack images ready in $((SECONDS - start)) s"
