#!/usr/bin/env bash
# HTTPS: the Slipway router's TLS listener against nginx's, on the same certificate, proxying to the
# same dyno, side by side in one run (issue 15): bench/router.sh with TLS in front, both built on
# bench/proxy-lib.sh. Keep-alive HTTPS requests/s and p99 (wrk), new TLS handshakes per second (wrk
# with Connection: close), and HTTP/2 requests/s (h2load, Debian's nghttp2-client), each router/nginx
# ratio printed with the CPU model.
# Both use their TLS library's defaults for ciphers and session caching (JDK JSSE vs OpenSSL); the
# certificate is one ECDSA P-256 certificate made with openssl for *.localhost.
#
# Everything listens on 127.0.0.1 only, every load is bounded (wrk -t2 -c64 for 15 s after a 20 s
# warm-up of each, all fixed), and everything this script starts is stopped again when it exits.
#
# Environment: BENCH_DURATION (15), BENCH_WARMUP (40: the router keeps gaining for about a minute under load as C2
# compiles and inlines its request path, and the figures are for a router that has been up a while), BENCH_CONNECTIONS (64), BENCH_THREADS (2),
# BENCH_ROUNDS (3: the targets are measured in turn this many times; each target's best requests/s
# and best p99 count, so a neighbour's burst of CPU in one round does not decide the comparison),
# JAVA_OPTS (extra flags for the platform's JVMs, passed through to ./slipway, e.g. to try router flags).
set -euo pipefail

readonly DURATION=${BENCH_DURATION:-15} WARMUP=${BENCH_WARMUP:-40}
readonly CONNECTIONS=${BENCH_CONNECTIONS:-64} THREADS=${BENCH_THREADS:-2} ROUNDS=${BENCH_ROUNDS:-3}
readonly APP=benchapp

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly TOP NAME=tls
# shellcheck source=bench/proxy-lib.sh
source "$TOP/bench/proxy-lib.sh"
need wrk wrk
need nginx nginx-light
need psql postgresql-client
need curl curl
need openssl openssl
need h2load nghttp2-client

DYNO_PORT=$(bench_port) NGINX_PORT=$(bench_port)
SLIPWAY_API_PORT=$(bench_port)
SLIPWAY_ROUTER_PORT=$(bench_port)
SLIPWAY_ROUTER_TLS_PORT=$(bench_port) NGINX_TLS_PORT=$(bench_port)
export SLIPWAY_API_PORT SLIPWAY_ROUTER_PORT SLIPWAY_ROUTER_TLS_PORT
# One certificate for both proxies.
mkdir -p "$WORK/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj '/CN=*.localhost' \
    -addext 'subjectAltName=DNS:*.localhost,DNS:localhost' -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null \
    || die "openssl could not make the bench certificate"
export SLIPWAY_TLS_CERT=$WORK/tls/cert.pem SLIPWAY_TLS_KEY=$WORK/tls/key.pem
platform_env
start_dyno "$DYNO_PORT"
start_proxy "$DYNO_PORT" "listen 127.0.0.1:$NGINX_PORT backlog=4096;
        listen 127.0.0.1:$NGINX_TLS_PORT ssl http2 backlog=4096;
        ssl_certificate $WORK/tls/cert.pem;
        ssl_certificate_key $WORK/tls/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;"
start_platform "$DYNO_PORT"
for url in "http://127.0.0.1:$DYNO_PORT/" "http://127.0.0.1:$NGINX_PORT/" "https://127.0.0.1:$SLIPWAY_ROUTER_TLS_PORT/" "https://127.0.0.1:$NGINX_TLS_PORT/"; do
    [[ $(status_of "$url") == 200 ]] || die "$url does not answer 200"
done

# ---- measuring ----------------------------------------------------------------------------------------
# h2load: HTTP/2 requests/s over $CONNECTIONS connections, 10 streams each, for DURATION seconds.
h2() { # name, port
    local rps
    h2load -D "$DURATION" -c "$CONNECTIONS" -m 10 -t "$THREADS" -H ":authority: $HOST" "https://127.0.0.1:$2/" >"$WORK/h2.out" 2>&1 \
        || { cat "$WORK/h2.out" >&2; die "h2load failed against 127.0.0.1:$2"; }
    grep -q 'h2' "$WORK/h2.out" || { cat "$WORK/h2.out" >&2; die "h2load did not negotiate HTTP/2 with 127.0.0.1:$2"; }
    rps=$(awk '/^finished in/ { gsub(/,/, ""); for (i = 1; i <= NF; i++) if ($i ~ /req\/s/) { print int($(i - 1)); exit } }' "$WORK/h2.out")
    say "  $1: $rps req/s"
    keep_best "$1" "$rps"
}

say "warming up each TLS target for ${WARMUP} s (JIT, session caches, connection pools)"
for port in "$NGINX_TLS_PORT" "$SLIPWAY_ROUTER_TLS_PORT"; do run_wrk "$port" "$WARMUP" https >/dev/null; done

say "measuring: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on 127.0.0.1, $ROUNDS rounds, $(nproc) cores"
for round in $(seq "$ROUNDS"); do
    say "round $round"
    measure nginx-https "$NGINX_TLS_PORT" https
    measure router-https "$SLIPWAY_ROUTER_TLS_PORT" https
    measure nginx-handshakes "$NGINX_TLS_PORT" https "Connection: close"
    measure router-handshakes "$SLIPWAY_ROUTER_TLS_PORT" https "Connection: close"
    h2 nginx-h2 "$NGINX_TLS_PORT"
    h2 router-h2 "$SLIPWAY_ROUTER_TLS_PORT"
done

printf '\nCPU: %s (%s cores)\n' "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(nproc)"
printf '%-36s %12s %10s\n' "target" "requests/s" "p99 ms"
for t in nginx-https router-https nginx-handshakes router-handshakes nginx-h2 router-h2; do
    printf '%-36s %12s %10s\n' "$t" "${best_rps[$t]}" "${best_p99[$t]:--}"
done
awk -v r="${best_rps[router-https]}" -v n="${best_rps[nginx-https]}" -v rp="${best_p99[router-https]}" -v np="${best_p99[nginx-https]}" \
    -v rh="${best_rps[router-handshakes]}" -v nh="${best_rps[nginx-handshakes]}" -v r2="${best_rps[router-h2]}" -v n2="${best_rps[nginx-h2]}" 'BEGIN {
    printf "\nrouter/nginx HTTPS keep-alive: requests/s %.2f (goal >= 1.0: %s), p99 %.2f (goal <= 1.2: %s)\n",
        r / n, (r / n >= 1.0 ? "met" : "NOT met"), rp / np, (rp / np <= 1.2 ? "met" : "NOT met")
    printf "router/nginx new TLS handshakes/s: %.2f (goal >= 0.8: %s)\n", rh / nh, (rh / nh >= 0.8 ? "met" : "NOT met")
    printf "router/nginx HTTP/2 requests/s (h2load): %.2f\n", r2 / n2
}'
printf '(best of %s rounds each; both proxies write one access log line per request)\n' "$ROUNDS"
