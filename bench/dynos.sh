#!/usr/bin/env bash
# Prints the dyno figures of issue 5, all measured through the router on 127.0.0.1:
#   - `ps:scale web=10` from 1 until all ten answer            (goal < 5 s)
#   - a killed web dyno until its replacement answers           (goal < 3 s)
#   - failed requests during 10 deploys in a row at 100 req/s   (goal 0)
# Runs its own platform (`./slipway up --detach`) on a temporary SLIPWAY_HOME and free ports,
# deploys deploy-examples/procfile (its web dyno answers with its DYNO name), and removes
# everything it made when it exits. Bounded: every wait has a deadline.
set -euo pipefail

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readonly TOP SLIPWAY=$TOP/slipway APP=dynobench

seconds() { printf '%d.%02d s' $(($1 / 1000)) $(($1 % 1000 / 10)); }
verdict() { (($1 < $2)) && echo "(goal < $(seconds "$2"): met)" || echo "(goal < $(seconds "$2"): NOT met)"; }

HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-dynos.XXXXXX")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-dynos-app.XXXXXX")
api_port=$(free_port)
export SLIPWAY_HOME=$HOME_DIR SLIPWAY_BIND=127.0.0.1 SLIPWAY_API_PORT=$api_port
SLIPWAY_ROUTER_PORT=$(free_port "$api_port")
export SLIPWAY_ROUTER_PORT
unset DATABASE_URL SLIPWAY_API_URL SLIPWAY_API_TOKEN
readonly ROUTER=http://127.0.0.1:$SLIPWAY_ROUTER_PORT/ HOST=$APP.localhost

cleanup() {
    touch "$WORK/stop" 2>/dev/null || true
    "$SLIPWAY" apps:destroy "$APP" --confirm "$APP" >/dev/null 2>&1 || true
    "$SLIPWAY" down >/dev/null 2>&1 || true
    forget_platform
    rm -rf "$HOME_DIR" "$WORK"
}
trap cleanup EXIT

"$SLIPWAY" up --detach >/dev/null
"$SLIPWAY" apps:create "$APP" >/dev/null
cp -a "$TOP/deploy-examples/procfile/." "$WORK/"
git -C "$WORK" init -q -b main
git -C "$WORK" add -A
git -C "$WORK" -c user.email=bench@example.com -c user.name=bench commit -q -m "procfile example"
remote="http://slipway:$(cat "$HOME_DIR/admin-token")@127.0.0.1:$api_port/git/$APP.git"
git -C "$WORK" push -q "$remote" main >/dev/null 2>&1

# Distinct dynos seen answering through the router, within a deadline.
dynos_answering() { # want deadline_ms
    local want=$1 deadline=$(($(now_ms) + $2)) seen=''
    declare -A names=()
    while (($(now_ms) < deadline)); do
        seen=$(curl -s --max-time 2 -H "Host: $HOST" "$ROUTER" | grep -o 'web\.[0-9]*' || true)
        [[ -n $seen ]] && names[$seen]=1
        ((${#names[@]} >= want)) && return 0
    done
    return 1
}

dynos_answering 1 30000 || { echo "the app never answered through the router"; exit 1; }

start=$(now_ms)
"$SLIPWAY" ps:scale -a "$APP" web=10 >/dev/null
dynos_answering 10 60000 || { echo "ten dynos never answered"; exit 1; }
scale=$(($(now_ms) - start))
"$SLIPWAY" ps:scale -a "$APP" web=1 >/dev/null
sleep 5

container=$(docker ps -q --filter "label=io.slipway.app=$APP" --filter "label=io.slipway.type=web" | head -n 1)
start=$(now_ms)
docker kill "$container" >/dev/null
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -H "Host: $HOST" "$ROUTER") == 200 ]]; do
    (($(now_ms) - start < 30000)) || { echo "no replacement within 30 s"; exit 1; }
    sleep 0.05
done
replaced=$(($(now_ms) - start))

"$SLIPWAY" ps:scale -a "$APP" web=2 >/dev/null
dynos_answering 2 30000
python3 "$TOP/bench/load.py" "$ROUTER" "$HOST" 100 600 "$WORK/stop" >"$WORK/load.json" &
load=$!
sleep 2
for i in $(seq 1 10); do
    echo "# deploy $i" >>"$WORK/Procfile"
    git -C "$WORK" -c user.email=bench@example.com -c user.name=bench commit -q -am "deploy $i"
    git -C "$WORK" push -q "$remote" main >/dev/null 2>&1 || echo "deploy $i failed"
done
sleep 3
touch "$WORK/stop"
wait "$load"

echo "dynos through the router (127.0.0.1, $(nproc) cores):"
printf '  %-44s %-9s %s\n' "ps:scale web=10 from 1 until all ten answer" "$(seconds "$scale")" "$(verdict "$scale" 5000)" \
    "killed web dyno until its replacement answers" "$(seconds "$replaced")" "$(verdict "$replaced" 3000)"
python3 - "$WORK/load.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
goal = "goal 0: met" if s["failed"] == 0 else "goal 0: NOT met"
print("  %-44s %-9s (%s)" % ("failed requests, 10 deploys at 100 req/s", s["failed"], goal))
print("  %-44s %s sent, p99 %s ms%s" % ("", s["sent"], s["p99_ms"], (", errors: %s" % s["errors"]) if s["errors"] else ""))
PY
