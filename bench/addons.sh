#!/usr/bin/env bash
# Prints issue 14's add-on figures (phase 1): `addons:create postgres` until the server accepts
# connections and DATABASE_URL is set (goal < 5 s with the image built), and the idle memory of one
# PostgreSQL add-on after it settled (`docker stats`, goal < 40 MB). Backup figures come with backups.
#
# Runs its own platform (`./slipway up --detach`) on a temporary SLIPWAY_HOME and free loopback
# ports, and removes everything it made when it exits.
# Usage: bench/addons.sh
set -euo pipefail

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readonly TOP SLIPWAY=$TOP/slipway
readonly CREATE_GOAL_MS=5000 MEMORY_GOAL_MB=40

seconds() { printf '%d.%d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }

HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-addons.XXXXXX")
api_port=$(free_port)
export SLIPWAY_HOME=$HOME_DIR SLIPWAY_BIND=127.0.0.1 SLIPWAY_API_PORT=$api_port
SLIPWAY_ROUTER_PORT=$(free_port "$api_port")
export SLIPWAY_ROUTER_PORT
unset DATABASE_URL SLIPWAY_API_URL SLIPWAY_API_TOKEN

cleanup() {
    "$SLIPWAY" apps:destroy bench --confirm bench >/dev/null 2>&1 || true
    "$SLIPWAY" apps:destroy bench-warmup --confirm bench-warmup >/dev/null 2>&1 || true
    "$SLIPWAY" down >/dev/null 2>&1 || true
    rm -rf "$HOME_DIR"
}
trap cleanup EXIT

"$SLIPWAY" up --detach >/dev/null
# The first add-on of a host builds the service image: do that with a throwaway app first.
"$SLIPWAY" apps:create bench-warmup >/dev/null
"$SLIPWAY" addons:create postgres -a bench-warmup >/dev/null
"$SLIPWAY" apps:destroy bench-warmup --confirm bench-warmup >/dev/null

"$SLIPWAY" apps:create bench >/dev/null
start=$(now_ms)
"$SLIPWAY" addons:create postgres -a bench >/dev/null
create=$(($(now_ms) - start))
"$SLIPWAY" pg:psql -a bench -c 'select 1' >/dev/null

sleep 10
container=$(docker ps --filter label=io.slipway.addon=postgres-bench-1 --format '{{.Names}}' | head -n 1)
usage=$(docker stats --no-stream --format '{{.MemUsage}}' "$container" | cut -d/ -f1 | tr -d ' ')
mb=$(awk -v u="$usage" 'BEGIN { n = u + 0; if (u ~ /GiB/) n *= 1024; else if (u ~ /KiB/) n /= 1024; printf "%.1f", n * 1.048576 }')

echo "PostgreSQL add-on ($(nproc) cores):"
printf '  %-44s %-8s (goal < %s: %s)\n' "addons:create postgres until it accepts" "$(seconds "$create")" \
    "$(seconds $CREATE_GOAL_MS)" "$( ((create < CREATE_GOAL_MS)) && echo met || echo NOT met)"
printf '  %-44s %-8s (goal < %s MB: %s)\n' "idle memory (docker stats, after 10 s)" "$mb MB" "$MEMORY_GOAL_MB" \
    "$(awk -v m="$mb" -v g=$MEMORY_GOAL_MB 'BEGIN { print (m < g) ? "met" : "NOT met" }')"
