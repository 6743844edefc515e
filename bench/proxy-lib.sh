# shellcheck shell=bash
# The scaffold that bench/router.sh (plain HTTP) and bench/tls.sh (HTTPS) share: the same dyno (nginx
# serving a static 1 KiB body), an nginx reverse proxy doing the router's per-request work, a real
# platform with one app whose one routable dyno row points at that dyno, and wrk measuring each in
# turn. The sourcing script sets NAME (for messages), APP, DURATION, CONNECTIONS and THREADS first.

# shellcheck source=bench/lib.sh
source "$TOP/bench/lib.sh"

say() { printf 'bench/%s: %s\n' "$NAME" "$*" >&2; }
die() {
    printf 'bench/%s: %s\n' "$NAME" "$*" >&2
    local log
    for log in "${SLIPWAY_HOME:-/nonexistent}"/logs/{router,controller}.log; do
        [[ -f $log ]] && { printf -- '--- last lines of %s\n' "$log" >&2; tail -n 15 "$log" >&2; }
    done
    exit 1
}

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

# ---- scratch space and cleanup: everything started is stopped when the script exits -------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-$NAME.XXXXXX")
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
        forget_platform
    fi
    sleep 0.5
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port on 127.0.0.1 that this run has not handed out yet.
bench_port() {
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

# The platform's settings for a run without Docker. Each proxy writes its own log file: the router's
# lines go to its stdout (router.log) as nginx's go to access.log, so the figures compare proxies.
# BENCH_ROUTER_LOG=stream sends them into the app's log stream instead (UDP to the controller, as on a
# running platform), which adds the controller's work.
platform_env() {
    export SLIPWAY_BIND=127.0.0.1 SLIPWAY_DOMAIN=localhost SLIPWAY_NO_DOCKER=1
    if [[ ${BENCH_ROUTER_LOG:-stdout} == stdout ]]; then export SLIPWAY_ROUTER_LOG=stdout; else unset SLIPWAY_ROUTER_LOG; fi
    unset DATABASE_URL
}

# ---- the dyno and the nginx proxy -------------------------------------------------------------------
# Both are nginx, each its own instance (own prefix, pid file and config) so neither borrows the
# other's workers.
start_nginx() { # name, http block, worker processes
    local dir=$WORK/nginx-$1
    mkdir -p "$dir/logs" "$dir/tmp"
    cat >"$dir/nginx.conf" <<CONF
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
worker_processes ${3:-1};
events { worker_connections 4096; }
http {
    client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
    $2
}
CONF
    nginx -p "$dir" -c "$dir/nginx.conf" || die "nginx ($1) did not start; see $dir/logs/error.log"
}

# The dyno: one worker, a static 1 KiB body.
start_dyno() { # port
    local body
    body=$(head -c 1024 /dev/zero | tr '\0' 'x')
    start_nginx dyno "
    access_log off;
    keepalive_requests 1000000;
    default_type text/plain;
    server {
        listen 127.0.0.1:$1 backlog=4096;
        location / { return 200 '$body'; }
    }" 1
}

# The reverse proxy does what the router does per request: keep-alive to the dyno, the same forwarding
# headers, a request id both ways, and one (buffered) access log line with the fields of the router's
# line (time, app, request, client, dyno, connect and service times, status, bytes, protocol), so that
# both proxies write about as many bytes per request: at about 75,000 requests/s the log alone is
# some 18 MB/s, which on 2 shared cores is worth several per cent of either proxy's throughput.
start_proxy() { # dyno port, the server block's listen (and TLS) lines
    start_nginx proxy "
    log_format router '\$time_iso8601 router app=$APP at=info method=\$request_method path=\"\$request_uri\" host=\$host '
                      'request_id=\$request_id fwd=\"\$remote_addr\" dyno=\$upstream_addr connect=\$upstream_connect_time '
                      'service=\$upstream_response_time status=\$status bytes=\$body_bytes_sent protocol=\$scheme';
    access_log $WORK/nginx-proxy/logs/access.log router buffer=64k flush=1s;
    keepalive_requests 1000000;
    upstream dyno { server 127.0.0.1:$1; keepalive 128; }
    server {
        $2
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
}

# ---- the platform, one app, one routable dyno row -----------------------------------------------------
start_platform() { # dyno port
    say "starting the platform (./slipway up --detach, SLIPWAY_HOME=$SLIPWAY_HOME, no Docker)"
    platform_started=1
    "$TOP/slipway" up --detach >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; die "the platform did not start"; }
    "$TOP/slipway" apps:create "$APP" >/dev/null || die "could not create the app $APP"
    # The dyno manager leaves an app without a release alone, so this row stands for a running web dyno;
    # its insert NOTIFYs the router, as the dyno manager's own writes do.
    PGPASSWORD=$(cat "$SLIPWAY_HOME/postgres/password") psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 \
        -p "$(cat "$SLIPWAY_HOME/postgres/port")" -U slipway -d slipway -c "
        insert into dynos (app_id, type, index, release_version, container_name, port, state, routable)
        select id, 'web', 1, 1, 'bench-$APP-web-1', $1, 'up', true from apps where name = '$APP'" \
        || die "could not insert the dyno row"
    HOST=$APP.$SLIPWAY_DOMAIN
    for _ in $(seq 100); do
        [[ $(status_of "http://127.0.0.1:$SLIPWAY_ROUTER_PORT/") == 200 ]] && return 0
        sleep 0.1
    done
    die "the router does not route $HOST to the dyno; see $SLIPWAY_HOME/logs/router.log"
}

status_of() { # URL → the status code of a GET with Host: $HOST
    curl -sk -o /dev/null -w '%{http_code}' -H "Host: $HOST" "$1"
}

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

# Each target's best requests/s and best p99 over the rounds, so that a neighbour's burst of CPU in one
# round does not decide the comparison.
declare -A best_rps=() best_p99=()
keep_best() { # name, rps[, p99]
    if [[ -z ${best_rps[$1]:-} ]] || (($2 > best_rps[$1])); then best_rps[$1]=$2; fi
    [[ -n ${3:-} ]] || return 0
    if [[ -z ${best_p99[$1]:-} ]] || awk -v a="$3" -v b="${best_p99[$1]}" 'BEGIN { exit !(a < b) }'; then best_p99[$1]=$3; fi
}
measure() { # name, port[, scheme[, extra header]]
    local rps p99
    read -r rps p99 <<<"$(run_wrk "$2" "$DURATION" "${3:-http}" "${4:-}")"
    say "  $1: $rps req/s, p99 $p99 ms"
    keep_best "$1" "$rps" "$p99"
}
