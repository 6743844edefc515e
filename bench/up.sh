#!/usr/bin/env bash
# Prints how fast `./slipway up --detach` gets a built checkout to healthy (first start on an empty
# SLIPWAY_HOME, which includes unpacking PostgreSQL and initdb, then warm starts) and how much
# memory the platform holds when idle. Goals: up < 10 s, idle memory < 400 MB.
#
# Uses a fresh temporary SLIPWAY_HOME and free ports on 127.0.0.1, the embedded PostgreSQL, and no
# Docker engine (SLIPWAY_NO_DOCKER=1 unless set: the engine is the host's, not the platform's start).
# Usage: bench/up.sh [RUNS]   (RUNS >= 2, default 3)
set -euo pipefail

readonly RUNS=${1:-3}
readonly IDLE_SECONDS=10
readonly UP_GOAL_MS=10000 MEMORY_GOAL_MB=400
if ! [[ $RUNS =~ ^[0-9]+$ ]] || ((RUNS < 2 || RUNS > 10)); then
    echo "usage: bench/up.sh [RUNS: 2-10]" >&2
    exit 2
fi

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readonly SLIPWAY=$TOP/slipway

# A port on 127.0.0.1 that nothing listens on, from a range the kernel does not hand out itself.

seconds() { printf '%d.%d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }
kb() { # pid field (VmRSS) → kB, 0 when gone
    local key value _
    while read -r key value _; do
        [[ $key == "$2:" ]] && { echo "$value"; return; }
    done <"/proc/$1/status" 2>/dev/null
    echo 0
}
pss_kb() { # pid → proportional set size in kB (shared pages split between their users)
    local key value _
    while read -r key value _; do
        [[ $key == Pss: ]] && { echo "$value"; return; }
    done <"/proc/$1/smaps_rollup" 2>/dev/null
    echo 0
}
mb() { printf '%d.%d MB' $(($1 / 1024)) $(($1 % 1024 * 10 / 1024)); }

# Build now if needed, so that no start below includes a build.
"$SLIPWAY" --help >/dev/null 2>&1 || true

HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench.XXXXXX")
api_port=$(free_port)
export SLIPWAY_HOME=$HOME_DIR SLIPWAY_BIND=127.0.0.1 SLIPWAY_API_PORT=$api_port
SLIPWAY_ROUTER_PORT=$(free_port "$api_port")
export SLIPWAY_ROUTER_PORT SLIPWAY_SKIP_BUILD=1 SLIPWAY_NO_DOCKER=${SLIPWAY_NO_DOCKER:-1}
unset DATABASE_URL

cleanup() {
    "$SLIPWAY" down >/dev/null 2>&1 || true
    forget_platform
    rm -rf "$HOME_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "slipway bench: SLIPWAY_HOME=$HOME_DIR, API 127.0.0.1:$SLIPWAY_API_PORT, router 127.0.0.1:$SLIPWAY_ROUTER_PORT, $(nproc) CPUs"
times=()
for ((run = 1; run <= RUNS; run++)); do
    t0=$(now_ms)
    if ! "$SLIPWAY" up --detach >"$HOME_DIR/up-$run.out" 2>&1; then
        cat "$HOME_DIR/up-$run.out" >&2
        echo "slipway bench: run $run of 'up --detach' failed" >&2
        exit 1
    fi
    times+=($(($(now_ms) - t0)))
    label=$([[ $run == 1 ]] && echo "first start (empty home: unpack + initdb)" || echo "warm start $((run - 1))")
    printf '  up --detach to healthy, %-42s %s\n' "$label:" "$(seconds "${times[-1]}")"
    ((run == RUNS)) || "$SLIPWAY" down >/dev/null
done

echo "  idle for ${IDLE_SECONDS} s..."
sleep "$IDLE_SECONDS"
controller=$(<"$HOME_DIR/run/controller.pid")
router=$(<"$HOME_DIR/run/router.pid")
read -r postmaster <"$HOME_DIR/postgres/data/postmaster.pid"
mapfile -t pg_pids < <(echo "$postmaster"; pgrep -P "$postmaster")
pg_rss=0 pg_pss=0
for pid in "${pg_pids[@]}"; do
    pg_rss=$((pg_rss + $(kb "$pid" VmRSS)))
    pg_pss=$((pg_pss + $(pss_kb "$pid")))
done
c_rss=$(kb "$controller" VmRSS) r_rss=$(kb "$router" VmRSS)
total=$((c_rss + r_rss + pg_rss))
total_pss=$(($(pss_kb "$controller") + $(pss_kb "$router") + pg_pss))
echo "  idle resident memory (RSS):"
printf '    %-44s %s\n' "controller JVM (pid $controller)" "$(mb "$c_rss")" \
    "router JVM (pid $router)" "$(mb "$r_rss")" \
    "embedded PostgreSQL (${#pg_pids[@]} processes)" "$(mb "$pg_rss")" \
    "total" "$(mb "$total")"
printf '    %-44s %s\n' "(total PSS, PostgreSQL's shared memory once)" "$(mb "$total_pss")"

warm=0
for t in "${times[@]:1}"; do ((t > warm)) && warm=$t; done
verdict() { (($1 < $2)) && echo met || echo MISSED; }
echo "goals: up < 10 s: $(verdict "${times[0]}" "$UP_GOAL_MS") on first start, $(verdict "$warm" "$UP_GOAL_MS") warm;" \
    "idle memory < ${MEMORY_GOAL_MB} MB: $(verdict $((total / 1024)) "$MEMORY_GOAL_MB")"
