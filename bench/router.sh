#!/usr/bin/env bash
# The Slipway router against nginx, proxying to the same dyno, side by side in one run.
#
# One "dyno" (nginx serving a static 1 KiB response on 127.0.0.1) is measured with wrk three ways:
#   1. direct           wrk → dyno                          (the limit)
#   2. nginx            wrk → nginx reverse proxy → dyno     (keepalive upstream, one log line per request)
#   3. slipway router   wrk → router → dyno                  (a real platform: ./slipway up --detach on a
#                                                            temporary SLIPWAY_HOME, one app, one routable dyno row)
# and prints requests/s and p99 for each, then the router/nginx ratios (goal: rps >= 1.0, p99 <= 1.5).
#
# Everything listens on 127.0.0.1 only, every load is bounded (wrk -t2 -c64 for 15 s after a 20 s
# warm-up of each, all fixed), and everything this script starts is stopped again when it exits.
#
# Environment: BENCH_DURATION (15), BENCH_WARMUP (40: the router keeps gaining for about a minute under load as C2
# compiles and inlines its request path, and the figures are for a router that has been up a while), BENCH_CONNECTIONS (64), BENCH_THREADS (2),
# BENCH_ROUNDS (3: the three targets are measured in turn this many times; each target's best requests/s
# and best p99 count, so a neighbour's burst of CPU in one round does not decide the comparison),
# JAVA_OPTS (extra flags for the platform's JVMs, passed through to ./slipway, e.g. to try router flags).
set -euo pipefail

readonly DURATION=${BENCH_DURATION:-15} WARMUP=${BENCH_WARMUP:-40}
readonly CONNECTIONS=${BENCH_CONNECTIONS:-64} THREADS=${BENCH_THREADS:-2} ROUNDS=${BENCH_ROUNDS:-3}
readonly APP=benchapp

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly TOP NAME=router
# shellcheck source=bench/proxy-lib.sh
source "$TOP/bench/proxy-lib.sh"
need wrk wrk
need nginx nginx-light
need psql postgresql-client
need curl curl

DYNO_PORT=$(bench_port) NGINX_PORT=$(bench_port)
SLIPWAY_API_PORT=$(bench_port)
SLIPWAY_ROUTER_PORT=$(bench_port)
export SLIPWAY_API_PORT SLIPWAY_ROUTER_PORT
platform_env
start_dyno "$DYNO_PORT"
start_proxy "$DYNO_PORT" "listen 127.0.0.1:$NGINX_PORT backlog=4096;"
start_platform "$DYNO_PORT"
for port in "$DYNO_PORT" "$NGINX_PORT"; do
    [[ $(status_of "http://127.0.0.1:$port/") == 200 ]] || die "127.0.0.1:$port does not answer 200"
done

# ---- measuring ----------------------------------------------------------------------------------------
say "warming up each target for ${WARMUP} s (JIT, connection pools)"
for port in "$DYNO_PORT" "$NGINX_PORT" "$SLIPWAY_ROUTER_PORT"; do run_wrk "$port" "$WARMUP" >/dev/null; done

say "measuring: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on 127.0.0.1, $ROUNDS rounds, $(nproc) cores"
for round in $(seq "$ROUNDS"); do
    say "round $round"
    measure direct "$DYNO_PORT"
    measure nginx "$NGINX_PORT"
    measure router "$SLIPWAY_ROUTER_PORT"
done

# Lines and bytes per line each proxy logged: the two should be level for the figures to compare proxies.
log_figures() { # file, pattern → "lines bytes-per-line"
    awk -v p="$2" 'index($0, p) { n++; b += length($0) + 1 } END { printf "%d %.0f\n", n, n ? b / n : 0 }' "$1" 2>/dev/null || echo "0 0"
}
read -r lines line_bytes < <(log_figures "$SLIPWAY_HOME/logs/router.log" " router app=$APP ")
read -r nginx_lines nginx_line_bytes < <(log_figures "$WORK/nginx-proxy/logs/access.log" " router app=$APP ")
printf '\n%-32s %12s %10s\n' "target (1 KiB response)" "requests/s" "p99 ms"
printf '%-32s %12s %10s\n' "direct to the dyno (the limit)" "${best_rps[direct]}" "${best_p99[direct]}"
printf '%-32s %12s %10s\n' "nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') reverse proxy" "${best_rps[nginx]}" "${best_p99[nginx]}"
io_threads=$(grep -o '[0-9]* IO threads' "$SLIPWAY_HOME/logs/router.log" | tail -n 1 | cut -d' ' -f1) || true
printf '%-32s %12s %10s\n' "slipway router (IO threads: ${io_threads:-?})" "${best_rps[router]}" "${best_p99[router]}"
awk -v rr="${best_rps[router]}" -v nr="${best_rps[nginx]}" -v rp="${best_p99[router]}" -v np="${best_p99[nginx]}" 'BEGIN {
    rps = rr / nr; p99 = rp / np
    printf "\nrouter/nginx: requests/s ratio %.2f (goal >= 1.0: %s), p99 ratio %.2f (goal <= 1.5: %s)\n",
        rps, (rps >= 1.0 ? "met" : "NOT met"), p99, (p99 <= 1.5 ? "met" : "NOT met")
}'
printf '(best requests/s and best p99 of %s rounds each; request log lines written meanwhile: router %s of %s bytes, nginx %s of %s bytes)\n' \
    "$ROUNDS" "$lines" "$line_bytes" "$nginx_lines" "$nginx_line_bytes"
