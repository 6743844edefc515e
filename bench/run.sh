#!/usr/bin/env bash
# Prints the `slipway run -- true` round trip: from typing the command to the shell prompt again,
# through the real ./slipway CLI (JVM start included), the attach WebSocket, a one-off dyno
# created, started, waited for and removed in Docker. The median of 10 (goal < 1.5 s), after one
# run that is not counted (it may build the CLI's class-data archive).
#
# Runs its own platform (`./slipway up --detach`) on a temporary SLIPWAY_HOME and free loopback
# ports, deploys deploy-examples/procfile with the real git client, and removes everything it made
# when it exits.
# Usage: bench/run.sh [RUNS]
set -euo pipefail

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readonly TOP SLIPWAY=$TOP/slipway
readonly GOAL_MS=1500 RUNS=${1:-10}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/run.sh [RUNS]" >&2; exit 2; }

seconds() { printf '%d.%02d s' $(($1 / 1000)) $(($1 % 1000 / 10)); }
verdict() { (($1 < $2)) && echo "(goal < $(seconds "$2"): met)" || echo "(goal < $(seconds "$2"): NOT met)"; }

HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-run.XXXXXX")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-app.XXXXXX")
api_port=$(free_port)
export SLIPWAY_HOME=$HOME_DIR SLIPWAY_BIND=127.0.0.1 SLIPWAY_API_PORT=$api_port
SLIPWAY_ROUTER_PORT=$(free_port "$api_port")
export SLIPWAY_ROUTER_PORT
unset DATABASE_URL SLIPWAY_API_URL SLIPWAY_API_TOKEN SLIPWAY_APP

cleanup() {
    "$SLIPWAY" apps:destroy bench --confirm bench >/dev/null 2>&1 || true
    "$SLIPWAY" down >/dev/null 2>&1 || true
    forget_platform
    rm -rf "$HOME_DIR" "$WORK"
}
trap cleanup EXIT

"$SLIPWAY" up --detach >/dev/null
"$SLIPWAY" apps:create bench >/dev/null

cp -a "$TOP/deploy-examples/procfile/." "$WORK/"
git -C "$WORK" init -q -b main
git -C "$WORK" add -A
git -C "$WORK" -c user.email=bench@example.com -c user.name=bench commit -q -m "procfile example"
token=$(cat "$HOME_DIR/admin-token")
out=$(git -C "$WORK" push -q "http://slipway:$token@127.0.0.1:$api_port/git/bench.git" main 2>&1) \
    || { echo "push failed:"; echo "$out"; exit 1; }
grep -q 'Released v' <<<"$out" || { echo "no release in the push output:"; echo "$out"; exit 1; }

round_trip() {
    local start err
    start=$(now_ms)
    err=$("$SLIPWAY" run -a bench -- true </dev/null 2>&1 >/dev/null) || { echo "slipway run failed:"; echo "$err"; exit 1; }
    echo $(($(now_ms) - start))
}

round_trip >/dev/null # not counted: the first run may write the CLI's class-data archive
times=()
for ((i = 0; i < RUNS; i++)); do
    times+=("$(round_trip)")
done
mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
if ((RUNS % 2)); then
    median=${sorted[RUNS / 2]}
else
    median=$(((sorted[RUNS / 2 - 1] + sorted[RUNS / 2]) / 2))
fi

echo "slipway run -a bench -- true, through ./slipway (procfile example, $(nproc) cores, $RUNS runs):"
printf '  %-10s %-8s %s\n' "median" "$(seconds "$median")" "$(verdict "$median" $GOAL_MS)"
printf '  %-10s %s\n' "fastest" "$(seconds "${sorted[0]}")" "slowest" "$(seconds "${sorted[RUNS - 1]}")"
