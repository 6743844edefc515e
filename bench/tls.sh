#!/usr/bin/env bash
# HTTPS: the Slipway router's TLS listener against nginx's, on the same certificate, proxying to the
# same dyno, side by side in one run (issue 15). A copy of bench/router.sh with TLS in front: keep-alive
# HTTPS requests/s and p99 (wrk), new TLS handshakes per second (wrk with Connection: close), and
# HTTP/2 requests/s (h2load, Debian's nghttp2-client), each router/nginx ratio printed with the CPU model.
# Both use their TLS library's defaults for ciphers and session caching (JDK JSSE vs OpenSSL); the
# certificate is one ECDSA P-256 certificate made with openssl for *.localhost.
#
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
readonly TOP
say() { printf 'bench/tls: %s\n' "$*" >&2; }
die() {
    printf 'bench/tls: %s\n' "$*" >&2
    local log
    for log in "${SLIPWAY_HOME:-/nonexistent}"/logs/{router,controller}.log; do
        [[ -f $log ]] && { printf -- '--- last lines of %s\n' "$log" >&2; tail -n 15 "$log" >&2; }
    done
    exit 1
}

# ---- tools --------------------------------------------------------------------------------------
need() { # command, Debian package
    command -v "$1" >/dev/null && return 0
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        say "$1 is missing: installing the Debian package $2 (apt-get install -y $2)"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"; } >/dev/null 2>&1 \
            || die "could not install $2; install it ('apt-get install $2') and run again"
        command -v "$1" >/dev/null || die "$2 installed but $1 is still not on PATH"
    else
        die "$1 is needed: install it ('sudo apt-get install $2') and run again"
    fi
}
need wrk wrk
need nginx nginx-light
need psql postgresql-client
need curl curl
need openssl openssl
need h2load nghttp2-client

# ---- scratch space and cleanup --------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-tls.XXXXXX")
readonly WORK
export SLIPWAY_HOME=$WORK/home
platform_started=0
cleanup() {
    local pidfile
    for pidfile in "$WORK"/nginx-*/nginx.pid; do
        [[ -f $pidfile ]] || continue
        kill -QUIT "$(cat "$pidfile")" 2>/dev/null || true
    done
    if ((platform_started)); then
        "$TOP/slipway" down >/dev/null 2>&1 || say "'slipway down' failed; see $SLIPWAY_HOME/logs"
    fi
    sleep 0.5
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local p
    for _ in $(seq 200); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! grep -qx "$p" "$WORK/ports" 2>/dev/null; then
            echo "$p" >>"$WORK/ports"
            echo "$p"
            return 0
        fi
    done
    die "no free port found on 127.0.0.1"
}

DYNO_PORT=$(free_port) NGINX_PORT=$(free_port)
SLIPWAY_API_PORT=$(free_port)
SLIPWAY_ROUTER_PORT=$(free_port)
SLIPWAY_ROUTER_TLS_PORT=$(free_port) NGINX_TLS_PORT=$(free_port)
export SLIPWAY_API_PORT SLIPWAY_ROUTER_PORT SLIPWAY_ROUTER_TLS_PORT
# One certificate for both proxies.
mkdir -p "$WORK/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj '/CN=*.localhost' \
    -addext 'subjectAltName=DNS:*.localhost,DNS:localhost' -keyout "$WORK/tls/key.pem" -out "$WORK/tls/cert.pem" 2>/dev/null \
    || die "openssl could not make the bench certificate"
export SLIPWAY_TLS_CERT=$WORK/tls/cert.pem SLIPWAY_TLS_KEY=$WORK/tls/key.pem
export SLIPWAY_BIND=127.0.0.1 SLIPWAY_DOMAIN=localhost SLIPWAY_NO_DOCKER=1
# Each proxy writes its own log file: the router's lines go to its stdout (router.log) as nginx's go to
# access.log, so the figures compare proxies. BENCH_ROUTER_LOG=stream sends them into the app's log
# stream instead (UDP to the controller, as on a running platform), which adds the controller's work.
if [[ ${BENCH_ROUTER_LOG:-stdout} == stdout ]]; then export SLIPWAY_ROUTER_LOG=stdout; else unset SLIPWAY_ROUTER_LOG; fi
unset DATABASE_URL

# ---- the dyno and the nginx proxy -------------------------------------------------------------------
# Both are nginx, each its own instance (own prefix, pid file and config) so neither borrows the
# other's workers. The dyno: one worker, a static 1 KiB body.
start_nginx() { # name, http block
    local dir=$WORK/nginx-$1
    mkdir -p "$dir/logs" "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
worker_processes ${3:-1};
events { worker_connections 4096; }
http {
    client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
    $2
}
EOF
    nginx -p "$dir" -c "$dir/nginx.conf" || die "nginx ($1) did not start; see $dir/logs/error.log"
}

BODY=$(head -c 1024 /dev/zero | tr '\0' 'x')
start_nginx dyno "
    access_log off;
    keepalive_requests 1000000;
    default_type text/plain;
    server {
        listen 127.0.0.1:$DYNO_PORT backlog=4096;
        location / { return 200 '$BODY'; }
    }" 1

# The reverse proxy does what the router does per request: keep-alive to the dyno, the same forwarding
# headers, a request id both ways, and one (buffered) access log line with the fields of the router's
# line (time, app, request, client, dyno, connect and service times, status, bytes, protocol), so that
# both proxies write about as many bytes per request: at about 75,000 requests/s the log alone is
# some 18 MB/s, which on 2 shared cores is worth several per cent of either proxy's throughput.
start_nginx proxy "
    log_format router '\$time_iso8601 router app=$APP at=info method=\$request_method path=\"\$request_uri\" host=\$host '
                      'request_id=\$request_id fwd=\"\$remote_addr\" dyno=\$upstream_addr connect=\$upstream_connect_time '
                      'service=\$upstream_response_time status=\$status bytes=\$body_bytes_sent protocol=\$scheme';
    access_log $WORK/nginx-proxy/logs/access.log router buffer=64k flush=1s;
    keepalive_requests 1000000;
    upstream dyno { server 127.0.0.1:$DYNO_PORT; keepalive 128; }
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=4096;
        listen 127.0.0.1:$NGINX_TLS_PORT ssl http2 backlog=4096;
        ssl_certificate $WORK/tls/cert.pem;
        ssl_certificate_key $WORK/tls/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / {
            proxy_pass http://dyno;
            proxy_http_version 1.1;
            proxy_set_header Connection '';
            proxy_set_header Host \$host;
            proxy_set_header X-Request-Id \$request_id;
            proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-Port \$server_port;
            proxy_set_header X-Forwarded-Host \$host;
            proxy_set_header X-Forwarded-Server \$host;
            proxy_set_header Via '1.1 nginx';
            add_header X-Request-Id \$request_id always;
        }
    }" auto

# ---- the platform, one app, one routable dyno row -----------------------------------------------------
say "starting the platform (./slipway up --detach, SLIPWAY_HOME=$SLIPWAY_HOME, no Docker)"
platform_started=1
"$TOP/slipway" up --detach >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; die "the platform did not start"; }
"$TOP/slipway" apps:create "$APP" >/dev/null || die "could not create the app $APP"
# The dyno manager leaves an app without a release alone, so this row stands for a running web dyno;
# its insert NOTIFYs the router, as the dyno manager's own writes do.
PGPASSWORD=$(cat "$SLIPWAY_HOME/postgres/password") psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 \
    -p "$(cat "$SLIPWAY_HOME/postgres/port")" -U slipway -d slipway -c "
    insert into dynos (app_id, type, index, release_version, container_name, port, state, routable)
    select id, 'web', 1, 1, 'bench-$APP-web-1', $DYNO_PORT, 'up', true from apps where name = '$APP'" \
    || die "could not insert the dyno row"

HOST=$APP.$SLIPWAY_DOMAIN
for _ in $(seq 100); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Host: $HOST" "http://127.0.0.1:$SLIPWAY_ROUTER_PORT/") == 200 ]] && break
    sleep 0.1
done
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "Host: $HOST" "http://127.0.0.1:$SLIPWAY_ROUTER_PORT/") == 200 ]] \
    || die "the router does not route $HOST to the dyno; see $SLIPWAY_HOME/logs/router.log"
for port in "$DYNO_PORT" "$NGINX_PORT"; do
    [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Host: $HOST" "http://127.0.0.1:$port/") == 200 ]] \
        || die "127.0.0.1:$port does not answer 200"
done

# ---- measuring ----------------------------------------------------------------------------------------
# wrk's "Requests/sec" and the 99% line of --latency, p99 in milliseconds.
run_wrk() { # port, seconds[, scheme[, extra header]] → "rps p99ms"
    local extra=()
    [[ -z ${4:-} ]] || extra=(-H "$4")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" --latency -H "Host: $HOST" "${extra[@]}" "${3:-http}://127.0.0.1:$1/" >"$WORK/wrk.out" 2>&1 \
        || { cat "$WORK/wrk.out" >&2; die "wrk failed against 127.0.0.1:$1"; }
    if grep -q 'Non-2xx' "$WORK/wrk.out"; then
        cat "$WORK/wrk.out" >&2
        die "non-2xx answers from 127.0.0.1:$1"
    fi
    awk '
        /Requests\/sec:/ { rps = $2 }
        $1 == "99%" {
            v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v)
            p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : (unit == "m") ? v * 60000 : v
        }
        END { printf "%.0f %.3f\n", rps, p99 }' "$WORK/wrk.out"
}

for port in "$SLIPWAY_ROUTER_TLS_PORT" "$NGINX_TLS_PORT"; do
    [[ $(curl -sk -o /dev/null -w '%{http_code}' -H "Host: $HOST" "https://127.0.0.1:$port/") == 200 ]] \
        || die "https://127.0.0.1:$port does not answer 200"
done

declare -A best_rps=() best_p99=()
measure() { # name, port, scheme[, extra header]
    local r rps p99
    r=$(run_wrk "$2" "$DURATION" "$3" "${4:-}")
    read -r rps p99 <<<"$r"
    say "  $1: $rps req/s, p99 $p99 ms"
    if [[ -z ${best_rps[$1]:-} ]] || ((rps > best_rps[$1])); then best_rps[$1]=$rps; fi
    if [[ -z ${best_p99[$1]:-} ]] || awk -v a="$p99" -v b="${best_p99[$1]}" 'BEGIN { exit !(a < b) }'; then best_p99[$1]=$p99; fi
}

# h2load: HTTP/2 requests/s over $CONNECTIONS connections, 10 streams each, for DURATION seconds.
h2() { # name, port
    local rps
    h2load -D "$DURATION" -c "$CONNECTIONS" -m 10 -t "$THREADS" -H ":authority: $HOST" "https://127.0.0.1:$2/" >"$WORK/h2.out" 2>&1 \
        || { cat "$WORK/h2.out" >&2; die "h2load failed against 127.0.0.1:$2"; }
    grep -q 'h2' "$WORK/h2.out" || { cat "$WORK/h2.out" >&2; die "h2load did not negotiate HTTP/2 with 127.0.0.1:$2"; }
    rps=$(awk '/^finished in/ { gsub(/,/, ""); for (i = 1; i <= NF; i++) if ($i ~ /req\/s/) { print int($(i - 1)); exit } }' "$WORK/h2.out")
    say "  $1: $rps req/s"
    if [[ -z ${best_rps[$1]:-} ]] || ((rps > best_rps[$1])); then best_rps[$1]=$rps; fi
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
