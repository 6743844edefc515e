#!/usr/bin/env bash
# Prints how fast a git push becomes a release: the python example with an empty build cache
# (goal < 15 s, stack images already built), then a second push with one file changed (goal < 5 s).
# With --stack it also prints the time to build the stack images from nothing (bootstrap the
# Debian base, then the build and run images, without Docker's layer cache), under throwaway tags.
#
# Runs its own platform (`./slipway up --detach`) on a temporary SLIPWAY_HOME and free loopback
# ports, pushes with the real git client, and removes everything it made when it exits.
# Usage: bench/push.sh [--stack]
set -euo pipefail

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readonly TOP SLIPWAY=$TOP/slipway
readonly COLD_GOAL_MS=15000 WARM_GOAL_MS=5000

seconds() { printf '%d.%d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }
verdict() { (($1 < $2)) && echo "(goal < $(seconds "$2"): met)" || echo "(goal < $(seconds "$2"): NOT met)"; }

stack_from_nothing() {
    local tag=bench-$$ start base build run
    echo "stack images from nothing (no layer cache, throwaway tags):"
    start=$(now_ms)
    bash "$TOP/buildpacks/stack/base/bootstrap.sh" "slipway/bench-base:$tag" >/dev/null
    base=$(($(now_ms) - start))
    start=$(now_ms)
    docker build -q --no-cache --build-arg "BASE=slipway/bench-base:$tag" -t "slipway/bench-build:$tag" "$TOP/buildpacks/stack/build" >/dev/null
    build=$(($(now_ms) - start))
    start=$(now_ms)
    docker build -q --no-cache --build-arg "BASE=slipway/bench-base:$tag" -t "slipway/bench-run:$tag" "$TOP/buildpacks/stack/run" >/dev/null
    run=$(($(now_ms) - start))
    docker rmi -f "slipway/bench-run:$tag" "slipway/bench-build:$tag" "slipway/bench-base:$tag" >/dev/null 2>&1 || true
    printf '  %-34s %s\n' "Debian base (debootstrap + import)" "$(seconds "$base")" \
        "build stack image" "$(seconds "$build")" "run stack image" "$(seconds "$run")" \
        "total" "$(seconds $((base + build + run)))"
}

[[ ${1:-} == --stack ]] && stack_from_nothing

HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-push.XXXXXX")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-app.XXXXXX")
api_port=$(free_port)
export SLIPWAY_HOME=$HOME_DIR SLIPWAY_BIND=127.0.0.1 SLIPWAY_API_PORT=$api_port
SLIPWAY_ROUTER_PORT=$(free_port "$api_port")
export SLIPWAY_ROUTER_PORT
unset DATABASE_URL SLIPWAY_API_URL SLIPWAY_API_TOKEN

cleanup() {
    "$SLIPWAY" apps:destroy bench --confirm bench >/dev/null 2>&1 || true
    "$SLIPWAY" down >/dev/null 2>&1 || true
    forget_platform
    rm -rf "$HOME_DIR" "$WORK"
}
trap cleanup EXIT

"$SLIPWAY" up --detach >/dev/null
"$SLIPWAY" apps:create bench >/dev/null
# The stack images are built by the controller on start; wait until they exist so that the
# figures below are pushes, not image builds (bench/push.sh --stack measures those).
"$SLIPWAY" config:set -a bench GREETING=bench >/dev/null

cp -a "$TOP/deploy-examples/python/." "$WORK/"
git -C "$WORK" init -q -b main
git -C "$WORK" add -A
git -C "$WORK" -c user.email=bench@example.com -c user.name=bench commit -q -m "python example"
token=$(cat "$HOME_DIR/admin-token")
remote="http://slipway:$token@127.0.0.1:$api_port/git/bench.git"

push() {
    local start out
    start=$(now_ms)
    out=$(git -C "$WORK" push -q "$remote" "$1" 2>&1) || { echo "push failed:"; echo "$out"; exit 1; }
    grep -q 'Released v' <<<"$out" || { echo "no release in the push output:"; echo "$out"; exit 1; }
    echo $(($(now_ms) - start))
}

# Warm the stack (first start of a platform builds or finds the images) with a throwaway app, so the
# cold-cache figure below measures a push, not an image build.
"$SLIPWAY" apps:create bench-warmup >/dev/null
git -C "$WORK" push -q "http://slipway:$token@127.0.0.1:$api_port/git/bench-warmup.git" main >/dev/null 2>&1 || true
"$SLIPWAY" apps:destroy bench-warmup --confirm bench-warmup >/dev/null

cold=$(push main)
echo "# touched by bench/push.sh" >>"$WORK/app.py"
git -C "$WORK" -c user.email=bench@example.com -c user.name=bench commit -q -am "one file changed"
warm=$(push main)

echo "git push to Released (python example, $(nproc) cores):"
printf '  %-34s %-8s %s\n' "empty build cache" "$(seconds "$cold")" "$(verdict "$cold" $COLD_GOAL_MS)" \
    "second push, one file changed" "$(seconds "$warm")" "$(verdict "$warm" $WARM_GOAL_MS)"
