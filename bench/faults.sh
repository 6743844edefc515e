#!/usr/bin/env bash
# Prints the fault figures of issue 13, each measured on a real platform under bounded load sent
# through the router on 127.0.0.1 (bench/load.py):
#   - kill -9 of a web dyno of two, 200 req/s                 (goal: 0 failed requests)
#   - ps:restart of two web dynos, 200 req/s                  (goal: 0 failed requests)
#   - kill -9 of the router, polled every 5 ms                 (goal: routing again < 2 s, no 503)
#   - kill -9 of the embedded postmaster, writes going on      (goal: API 200 again < 10 s, no acknowledged write lost)
#   - kill -9 of the controller, 200 req/s                     (goal: 0 failed requests, no dyno restarted)
#   - 10 deploys in a row, 100 req/s                           (goal: 0 failed requests)
# Runs its own platform (`./slipway up --detach`) on a temporary SLIPWAY_HOME and free ports,
# deploys deploy-examples/procfile, and removes everything it made when it exits. Every wait has
# a deadline and every load a time limit.
set -euo pipefail

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readonly TOP SLIPWAY=$TOP/slipway APP=faultbench

seconds() { printf '%d.%02d s' $(($1 / 1000)) $(($1 % 1000 / 10)); }

HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-faults.XXXXXX")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-faults-app.XXXXXX")
api_port=$(free_port)
export SLIPWAY_HOME=$HOME_DIR SLIPWAY_BIND=127.0.0.1 SLIPWAY_API_PORT=$api_port
SLIPWAY_ROUTER_PORT=$(free_port "$api_port")
export SLIPWAY_ROUTER_PORT
unset DATABASE_URL SLIPWAY_API_URL SLIPWAY_API_TOKEN
readonly ROUTER=http://127.0.0.1:$SLIPWAY_ROUTER_PORT/ HOST=$APP.localhost API=http://127.0.0.1:$api_port
RESULTS=()

cleanup() {
    touch "$WORK/stop" 2>/dev/null || true
    "$SLIPWAY" apps:destroy "$APP" --confirm "$APP" >/dev/null 2>&1 || true
    "$SLIPWAY" down >/dev/null 2>&1 || true
    forget_platform
    rm -rf "$HOME_DIR" "$WORK"
}
trap cleanup EXIT

echo "faults: starting a platform in $HOME_DIR and deploying deploy-examples/procfile"
"$SLIPWAY" up --detach >/dev/null
TOKEN=$(cat "$HOME_DIR/admin-token")
"$SLIPWAY" apps:create "$APP" >/dev/null
cp -a "$TOP/deploy-examples/procfile/." "$WORK/"
git -C "$WORK" init -q -b main
git -C "$WORK" add -A
git -C "$WORK" -c user.email=bench@example.com -c user.name=bench commit -q -m "procfile example"
remote="http://slipway:$TOKEN@127.0.0.1:$api_port/git/$APP.git"
git -C "$WORK" push -q "$remote" main >/dev/null 2>&1
"$SLIPWAY" ps:scale -a "$APP" web=2 >/dev/null

status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H "Host: $HOST" "$ROUTER" || true; }
web_containers() {
    docker ps -q --no-trunc --filter "label=io.slipway.app=$APP" --filter "label=io.slipway.type=web" | sort | tr '\n' ' '
}
up_web() { "$SLIPWAY" ps -a "$APP" --json | python3 -c 'import json,sys; print(sum(1 for d in json.load(sys.stdin) if d["type"] == "web" and d["state"] == "up"))'; }
await() { # what deadline_s command...
    local what=$1 deadline=$(($(now_ms) + $2 * 1000))
    shift 2
    until "$@"; do
        (($(now_ms) < deadline)) || { echo "faults: gave up waiting for $what"; exit 1; }
        sleep 0.2
    done
}
two_web_up() { [[ $(up_web) == 2 ]] && [[ $(status) == 200 ]]; }
await "two web dynos answering" 60 two_web_up

# Load at RATE req/s in the background until "$WORK/stop" appears (or LIMIT s pass).
load_start() { # rate limit_s
    rm -f "$WORK/stop"
    python3 "$TOP/bench/load.py" "$ROUTER" "$HOST" "$1" "$2" "$WORK/stop" >"$WORK/load.json" &
    LOAD_PID=$!
    sleep 2
}
load_stop() { # label
    sleep 2
    touch "$WORK/stop"
    wait "$LOAD_PID"
    RESULTS+=("$(python3 - "$1" "$WORK/load.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[2]))
goal = "goal 0: met" if s["failed"] == 0 else "goal 0: NOT met"
errors = (", errors: %s" % s["errors"]) if s["errors"] else ""
print("  %-46s %-7s (%s) %s sent, p99 %s ms%s" % (sys.argv[1], s["failed"], goal, s["sent"], s["p99_ms"], errors))
PY
)")
}

echo "faults: kill -9 of a web dyno of two"
load_start 200 60
docker kill --signal KILL "$(web_containers | cut -d' ' -f1)" >/dev/null
await "the killed dyno's replacement" 30 two_web_up
load_stop "kill -9 of a web dyno of two, 200 req/s"

echo "faults: ps:restart of two web dynos"
before=$(web_containers)
load_start 200 90
"$SLIPWAY" ps:restart -a "$APP" >/dev/null
replaced() {
    local now
    now=$(web_containers)
    [[ $(wc -w <<<"$now") == 2 ]] || return 1
    for c in $before; do [[ $now != *"$c"* ]] || return 1; done
    [[ $(up_web) == 2 ]]
}
await "both web dynos replaced" 60 replaced
load_stop "ps:restart of two web dynos, 200 req/s"

echo "faults: kill -9 of the router"
codes=$WORK/router-codes
: >"$codes"
kill -9 "$(cat "$HOME_DIR/run/router.pid")"
killed=$(now_ms)
back=''
while (($(now_ms) - killed < 10000)); do
    code=$(status)
    echo "$code" >>"$codes"
    if [[ $code == 200 ]]; then back=$(($(now_ms) - killed)); break; fi
    sleep 0.005
done
n503=$(grep -c '^503$' "$codes" || true)
if [[ -z $back ]]; then
    RESULTS+=("$(printf '  %-46s %-7s (goal < 2 s, no 503: NOT met)' "kill -9 of the router: routing again after" "> 10 s")")
else
    verdict=$( ((back < 2000 && n503 == 0)) && echo met || echo "NOT met")
    RESULTS+=("$(printf '  %-46s %-7s (goal < 2 s, no 503: %s) %s answers 503 before' \
        "kill -9 of the router: routing again after" "$(seconds "$back")" "$verdict" "$n503")")
fi

echo "faults: kill -9 of the embedded postmaster"
acked=$WORK/acked
: >"$acked"
write_domains() {
    local i=0 end=$(($(now_ms) + 15000))
    while (($(now_ms) < end)); do
        i=$((i + 1))
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X POST -H "Authorization: Bearer $TOKEN" \
            -H 'Content-Type: application/json' -d "{\"hostname\":\"w$i.faults.test\"}" "$API/apps/$APP/domains" || true)
        [[ $code != 201 ]] || echo "w$i.faults.test" >>"$acked"
        sleep 0.02
    done
}
write_domains &
writer=$!
sleep 3
postmaster=$(head -n 1 "$HOME_DIR/postgres/data/postmaster.pid")
kill -9 "$postmaster"
killed=$(now_ms)
back=''
while (($(now_ms) - killed < 60000)); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H "Authorization: Bearer $TOKEN" "$API/apps/$APP") == 200 ]]; then
        back=$(($(now_ms) - killed))
        break
    fi
    sleep 0.05
done
wait "$writer"
stored=$(curl -s -H "Authorization: Bearer $TOKEN" "$API/apps/$APP/domains")
lost=0
while read -r host; do
    [[ $stored == *"\"$host\""* ]] || lost=$((lost + 1))
done <"$acked"
if [[ -z $back ]]; then
    RESULTS+=("$(printf '  %-46s %-7s (goal < 10 s: NOT met)' "kill -9 of the postmaster: API 200 again after" "> 60 s")")
else
    verdict=$( ((back < 10000 && lost == 0)) && echo met || echo "NOT met")
    RESULTS+=("$(printf '  %-46s %-7s (goal < 10 s, none lost: %s) %s acknowledged writes, %s lost' \
        "kill -9 of the postmaster: API 200 again after" "$(seconds "$back")" "$verdict" "$(wc -l <"$acked")" "$lost")")
fi
await "two web dynos answering" 60 two_web_up

echo "faults: kill -9 of the controller"
before=$(web_containers)
load_start 200 60
kill -9 "$(cat "$HOME_DIR/run/controller.pid")"
api_back() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$API/healthz") == 200 ]]; }
await "the controller back" 60 api_back
sleep 3 # a few reconcile ticks of the new controller
load_stop "kill -9 of the controller, 200 req/s"
[[ $(web_containers) == "$before" ]] && same="no dyno restarted" || same="DYNOS RESTARTED"
RESULTS[-1]="${RESULTS[-1]}; $same"

echo "faults: 10 deploys in a row"
load_start 100 600
for i in $(seq 1 10); do
    echo "# deploy $i" >>"$WORK/Procfile"
    git -C "$WORK" -c user.email=bench@example.com -c user.name=bench commit -q -am "deploy $i"
    git -C "$WORK" push -q "$remote" main >/dev/null 2>&1 || echo "deploy $i failed"
done
load_stop "10 deploys in a row, 100 req/s"

echo
echo "faults under load through the router (127.0.0.1, $(nproc) cores, $(date -u +%F)):"
printf '%s\n' "${RESULTS[@]}"
