#!/usr/bin/env bash
# Prints how many log lines per second reach a `logs --tail` client with nothing lost (goal ≥ 20,000):
# a dyno prints LINES numbered lines as fast as it can (`seq 1 LINES`), and a client tailing the
# app's stream (curl on GET /apps/bench/log-stream?tail=true) checks that every number arrives,
# once, in order. The rate is LINES over the time from the first line's arrival to the last's; the
# whole path is real: the dyno's stdout, Docker's log, the controller following it, the app's
# buffer, the HTTP stream.
#
# Runs its own platform (`./slipway up --detach`) on a temporary SLIPWAY_HOME and free loopback
# ports, deploys deploy-examples/procfile plus a `printer` process with the real git client, and
# removes everything it made when it exits.
# Usage: bench/logs.sh [LINES]   (default 300000)
set -euo pipefail

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readonly TOP SLIPWAY=$TOP/slipway
readonly GOAL=20000 LINES=${1:-300000} TIME_LIMIT=180
[[ $LINES =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/logs.sh [LINES]" >&2; exit 2; }


HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-logs.XXXXXX")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-app.XXXXXX")
api_port=$(free_port)
router_port=$(free_port "$api_port")
log_port=$(free_port "$api_port" "$router_port")
export SLIPWAY_HOME=$HOME_DIR SLIPWAY_BIND=127.0.0.1 SLIPWAY_API_PORT=$api_port
export SLIPWAY_ROUTER_PORT=$router_port SLIPWAY_LOG_PORT=$log_port
unset DATABASE_URL SLIPWAY_API_URL SLIPWAY_API_TOKEN SLIPWAY_APP

tail_pid=''
cleanup() {
    [[ -z $tail_pid ]] || kill "$tail_pid" 2>/dev/null || true
    "$SLIPWAY" apps:destroy bench --confirm bench >/dev/null 2>&1 || true
    "$SLIPWAY" down >/dev/null 2>&1 || true
    forget_platform
    rm -rf "$HOME_DIR" "$WORK"
}
trap cleanup EXIT

"$SLIPWAY" up --detach >/dev/null
"$SLIPWAY" apps:create bench >/dev/null

cp -a "$TOP/deploy-examples/procfile/." "$WORK/"
# Prints its lines once, then stays up: a dyno that exits would be restarted and print them again.
printf 'printer: seq 1 %d; exec sleep infinity\n' "$LINES" >>"$WORK/Procfile"
git -C "$WORK" init -q -b main
git -C "$WORK" add -A
git -C "$WORK" -c user.email=bench@example.com -c user.name=bench commit -q -m "procfile example and a printer"
token=$(cat "$HOME_DIR/admin-token")
out=$(git -C "$WORK" push -q "http://slipway:$token@127.0.0.1:$api_port/git/bench.git" main 2>&1) \
    || { echo "push failed:"; echo "$out"; exit 1; }
grep -q 'Released v' <<<"$out" || { echo "no release in the push output:"; echo "$out"; exit 1; }

# The client: every line must be "<time> app[printer.1]: N" with N = 1, 2, 3, … LINES; a skip
# marker or any other gap is a loss. It reports when the last number arrives or time runs out.
checker=$(cat <<'PY'
import re, sys, time
total, limit = int(sys.argv[1]), float(sys.argv[2])
expect, first, lost, skipped, odd = 1, None, 0, 0, 0
pattern = re.compile(rb" app\[printer\.1\]: (\d+)$")
deadline = time.monotonic() + limit
for line in sys.stdin.buffer:
    now = time.monotonic()
    m = pattern.search(line.rstrip(b"\n"))
    if m:
        n = int(m.group(1))
        if first is None:
            first = now
        if n != expect:
            lost += max(0, n - expect)
            odd += 1
        expect = n + 1
        if n >= total:
            break
    elif b"lines skipped" in line:
        skipped += int(re.search(rb": (\d+) lines skipped", line).group(1))
    if now > deadline:
        break
last = time.monotonic()
got = expect - 1
print(f"{got} {lost} {skipped} {odd} {(last - first) if first else 0:.6f}")
PY
)
result=$HOME_DIR/tail-result
{
    curl -sSN --max-time "$TIME_LIMIT" -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$api_port/apps/bench/log-stream?tail=true&lines=0&dyno=printer.1&source=app" \
        | python3 -c "$checker" "$LINES" "$TIME_LIMIT" >"$result"
} &
tail_pid=$!
sleep 1 # the tail is connected before the first line is printed

"$SLIPWAY" ps:scale printer=1 -a bench >/dev/null
for ((waited = 0; waited < TIME_LIMIT * 10; waited++)); do
    [[ -s $result ]] && break
    sleep 0.1
done
[[ -s $result ]] || { echo "the tail client reported nothing within ${TIME_LIMIT} s"; exit 1; }
read -r got lost skipped odd seconds <"$result"
kill "$tail_pid" 2>/dev/null || true
wait "$tail_pid" 2>/dev/null || true
tail_pid=''

rate=$(python3 -c "print(int($got / $seconds) if $seconds > 0 else 0)")
echo "log lines delivered to a --tail client (seq 1 $LINES in a dyno, $(nproc) cores):"
printf '  %-28s %s of %s\n' "lines received in order" "$got" "$LINES"
printf '  %-28s %s (skip markers: %s lines; out-of-order jumps: %s)\n' "lines lost" "$lost" "$skipped" "$odd"
printf '  %-28s %s s\n' "first to last line" "$seconds"
if ((got == LINES && lost == 0 && skipped == 0 && rate >= GOAL)); then
    printf '  %-28s %s lines/s (goal >= %s with nothing lost: met)\n' "rate" "$rate" "$GOAL"
else
    printf '  %-28s %s lines/s (goal >= %s with nothing lost: NOT met)\n' "rate" "$rate" "$GOAL"
fi
