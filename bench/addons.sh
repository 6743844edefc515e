#!/usr/bin/env bash
# Prints issue 14's add-on figures (phase 1): `addons:create postgres` until the server accepts
# connections and DATABASE_URL is set (goal < 5 s with the image built), and the idle memory of one
# PostgreSQL add-on after it settled (`docker stats`, goal < 40 MB); and (phase 2) pg:backups:capture
# and pg:backups:restore of a BACKUP_MB database (default 1024: 1 GB) timed side by side with bare
# `pg_dump -Fc` / `pg_restore` (the same binaries, same flags, run directly with `docker exec` and a
# file on the host, without Slipway) on the same data in the same run (goal: within 1.3x).
#
# Runs its own platform (`./slipway up --detach`) on a temporary SLIPWAY_HOME and free loopback
# ports, and removes everything it made when it exits.
# Usage: [BACKUP_MB=1024] [ROUNDS=3] bench/addons.sh   (BACKUP_MB=0 skips the backup figures)
set -euo pipefail

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readonly TOP SLIPWAY=$TOP/slipway
readonly CREATE_GOAL_MS=5000 MEMORY_GOAL_MB=40 BACKUP_GOAL_RATIO=1.3 BACKUP_MB=${BACKUP_MB:-1024} ROUNDS=${ROUNDS:-3}

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
    forget_platform
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

((BACKUP_MB > 0)) || exit 0

# Rows of hex text (about 140 bytes on disk each, compressing about 2.5:1, as real text does).
rows=$((BACKUP_MB * 1024 * 1024 / 140))
"$SLIPWAY" pg:psql -a bench -c "create table items as select i, md5(i::text) || md5((i * 7)::text) || md5((i * 13)::text) as v from generate_series(1, $rows) i" >/dev/null
size=$("$SLIPWAY" pg:psql -a bench -c "copy (select pg_database_size(current_database())) to stdout")
dump=$HOME_DIR/bare.dump
restore_flags=(--clean --if-exists --no-owner --no-acl --single-transaction -d bench)

# On a shared host one run of each says little: ROUNDS captures, each right after a bare pg_dump,
# and the medians of each are compared.
bare_dumps=() slipway_dumps=() server_dumps=()
for ((round = 1; round <= ROUNDS; round++)); do
    start=$(now_ms)
    docker exec "$container" pg_dump -Fc -d bench >"$dump"
    bare_dumps+=($(($(now_ms) - start)))
    start=$(now_ms)
    "$SLIPWAY" pg:backups:capture -a bench >/dev/null
    slipway_dumps+=($(($(now_ms) - start)))
    label=$(printf 'b%03d' "$round")
    # The platform's own timing of the same capture, without the CLI's JVM start and polling.
    server_dumps+=("$("$SLIPWAY" logs -a bench -n 1500 | sed -n "s/.*Backup $label of .* done: .* (\([0-9]*\) ms)\$/\1/p" | tail -n 1)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
bare_dump=$(median "${bare_dumps[@]}") slipway_dump=$(median "${slipway_dumps[@]}") server_dump=$(median "${server_dumps[@]}")
start=$(now_ms)
docker exec -i "$container" pg_restore "${restore_flags[@]}" <"$dump"
bare_restore=$(($(now_ms) - start))
start=$(now_ms)
"$SLIPWAY" pg:backups:restore b001 -a bench --confirm bench >/dev/null
slipway_restore=$(($(now_ms) - start))
server_restore=$("$SLIPWAY" logs -a bench -n 1500 | sed -n 's/.*Restore of b001 done: .* in \([0-9]*\) ms$/\1/p' | tail -n 1)

ratio() { awk -v s="$1" -v b="$2" -v g=$BACKUP_GOAL_RATIO 'BEGIN { r = s / b; printf "%.2fx (goal within %sx: %s)", r, g, (r <= g) ? "met" : "NOT met" }'; }
echo "Backups of a $((size / 1024 / 1024)) MB database (BACKUP_MB=$BACKUP_MB; dump $(($(stat -c %s "$dump") / 1024 / 1024)) MB; captures: medians of $ROUNDS, bare ${bare_dumps[*]} ms, platform ${server_dumps[*]} ms):"
printf '  %-44s %-8s bare pg_dump -Fc %-8s %s\n' "pg:backups:capture (dump + verify + sha256)" "$(seconds "$slipway_dump")" \
    "$(seconds "$bare_dump")" "$(ratio "$slipway_dump" "$bare_dump")"
printf '  %-44s %-8s bare pg_restore %-8s  %s\n' "pg:backups:restore (sha256 + pg_restore)" "$(seconds "$slipway_restore")" \
    "$(seconds "$bare_restore")" "$(ratio "$slipway_restore" "$bare_restore")"
printf '  %-44s %-8s bare pg_dump -Fc %-8s %s\n' "  of which the platform's capture" "$(seconds "$server_dump")" \
    "$(seconds "$bare_dump")" "$(ratio "$server_dump" "$bare_dump")"
printf '  %-44s %-8s bare pg_restore %-8s  %s\n' "  of which the platform's restore" "$(seconds "$server_restore")" \
    "$(seconds "$bare_restore")" "$(ratio "$server_restore" "$bare_restore")"
