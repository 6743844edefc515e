#!/usr/bin/env bash
# Builds one app with the classic buildpacks exactly as the platform does, then runs it:
#   build container (stack-build image, as user app): source at /app, a cache volume at /cache,
#   config vars in /env, the host CA bundle at /etc/ssl/certs/ca-certificates.crt and the CA env
#   vars; bin/detect over buildpacks/order (or the one named), bin/compile, bin/release.
#   run container (stack-run image, as user app, no capabilities): the slug at /app, PORT set,
#   .profile.d sourced, the web process published on 127.0.0.1 only; curl it and print the answer.
#   Every other process type (worker...) is started for a few seconds and its first lines shown.
#
# usage: try.sh [-c KEY=VALUE]... [--keep-cache] EXAMPLE [BUILDPACK]
#   EXAMPLE    a directory under deploy-examples/, or a path to an app
#   BUILDPACK  a built-in's name (python, nodejs...) or a path to a buildpack directory
#   -c         a config var: in ENV_DIR for the build and in the environment of the dynos
#   --keep-cache  keep the cache volume (slipway-try-NAME-cache) for the next run
# env: SLIPWAY_BUILD_IMAGE, SLIPWAY_RUN_IMAGE (default slipway/stack-{build,run}:dev),
#      SLIPWAY_BUILD_CA_BUNDLE (default /etc/ssl/certs/ca-certificates.crt)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build_image=${SLIPWAY_BUILD_IMAGE:-slipway/stack-build:dev}
run_image=${SLIPWAY_RUN_IMAGE:-slipway/stack-run:dev}
ca_bundle=${SLIPWAY_BUILD_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}

die() { echo "try: error: $*" >&2; exit 1; }
config=()
keep_cache=""
while [ $# -gt 0 ]; do
    case "$1" in
        -c) [[ ${2:-} =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "-c wants KEY=VALUE"; config+=("$2"); shift 2 ;;
        --keep-cache) keep_cache=1; shift ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option $1" ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: try.sh [-c KEY=VALUE]... [--keep-cache] EXAMPLE [BUILDPACK]"

if [ -d "$repo/deploy-examples/$1" ]; then src=$repo/deploy-examples/$1; else src=$1; fi
[ -d "$src" ] || die "no such example or app directory: $1"
src=$(cd "$src" && pwd)
name=$(basename "$src" | tr -c 'a-z0-9-\n' '-')
buildpack=${2:-}
bp_mount=(-v "$repo/buildpacks:/buildpacks:ro")
if [ -n "$buildpack" ] && [ -d "$buildpack" ]; then
    bp_mount+=(-v "$(cd "$buildpack" && pwd):/buildpacks-custom/bp:ro")
    buildpack=/buildpacks-custom/bp
fi
[ -f "$ca_bundle" ] || die "CA bundle not found: $ca_bundle"
for image in "$build_image" "$run_image"; do
    docker image inspect "$image" >/dev/null 2>&1 || die "image $image is missing: run buildpacks/stack/dev-build.sh"
done

run_id=slipway-try-$name-$$
cache_volume=slipway-try-$name-cache
work=$(mktemp -d /tmp/slipway-try.XXXXXX)
containers=()
cleanup() {
    local c
    for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
    [ -n "$keep_cache" ] || docker volume rm -f "$cache_volume" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# ENV_DIR: one file per config var, readable by the build user.
mkdir -p "$work/env"
dyno_env=()
for kv in "${config[@]}"; do
    printf '%s' "${kv#*=}" >"$work/env/${kv%%=*}"
    dyno_env+=(-e "$kv")
done
chmod 755 "$work/env"; chmod 644 "$work/env"/* 2>/dev/null || true

# The CA bundle replaces the stack's, and every tool is pointed at it.
ca_path=/etc/ssl/certs/ca-certificates.crt
build_env=(-e "SSL_CERT_FILE=$ca_path" -e "NODE_EXTRA_CA_CERTS=$ca_path" -e "REQUESTS_CA_BUNDLE=$ca_path"
           -e "PIP_CERT=$ca_path" -e "CURL_CA_BUNDLE=$ca_path" -e "BUILDPACK=$buildpack")
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [ -n "${!v:-}" ] && build_env+=(-e "$v=${!v}")
done

# What the platform runs in the build container.
driver='set -eo pipefail
if [ -n "$BUILDPACK" ]; then
    case "$BUILDPACK" in /*) list=$BUILDPACK ;; *) list=/buildpacks/$BUILDPACK ;; esac
else
    list=$(sed -e "s/#.*//" /buildpacks/order | while read -r b; do [ -n "$b" ] && echo "/buildpacks/$b"; done)
fi
t0=$(date +%s%N)
chosen=""
for bp in $list; do
    if detected=$("$bp/bin/detect" /app); then chosen=$bp; break; fi
done
if [ -z "$chosen" ] && [ -n "$BUILDPACK" ]; then
    echo " !     App not compatible with buildpack: $BUILDPACK (its bin/detect did not match)" >&2
    exit 1
elif [ -z "$chosen" ]; then
    echo " !     No default language could be detected for this app." >&2
    echo "       Supported: $(sed -e "s/#.*//" /buildpacks/order | xargs | sed "s/ /, /g")" >&2
    exit 1
fi
echo "-----> ${detected:-$(basename "$chosen")} app detected"
"$chosen/bin/compile" /app /cache /env
t1=$(date +%s%N)
"$chosen/bin/release" /app >/tmp/release.yml
echo "-----> Discovering process types"
echo "       detect+compile took $(( (t1 - t0) / 1000000 )) ms"'

echo "try: building $name with $build_image"
containers+=("$run_id-build")
docker create --name "$run_id-build" --user 10001:10001 \
    -v "$cache_volume:/cache" -v "$work/env:/env:ro" "${bp_mount[@]}" \
    -v "$ca_bundle:$ca_path:ro" "${build_env[@]}" \
    "$build_image" bash -c "$driver" >/dev/null
# The source goes in owned by the build user; .slugignore matches are left out.
excludes=(--exclude=./.git)
if [ -f "$src/.slugignore" ]; then
    while read -r p; do
        p=${p%%#*}; p=$(echo "$p" | xargs); [ -n "$p" ] && excludes+=("--exclude=${p#/}")
    done <"$src/.slugignore"
fi
tar -C "$src" "${excludes[@]}" --owner=10001 --group=10001 --numeric-owner -c . \
    | docker cp - "$run_id-build:/app"
build_start=$(date +%s%N)
docker start -a "$run_id-build" || die "the build failed"
echo "try: build container finished in $(( ($(date +%s%N) - build_start) / 1000000 )) ms"

docker cp "$run_id-build:/tmp/release.yml" - | tar -xO >"$work/release.yml"
docker cp "$run_id-build:/app" - >"$work/slug.tar"
echo "try: bin/release printed:"; sed 's/^/  | /' "$work/release.yml"

# Process types: the Procfile first, then the buildpack's default_process_types.
declare -A types=()
while IFS= read -r line; do
    [[ $line =~ ^[[:space:]]{2}([A-Za-z0-9_-]+):[[:space:]]*(.+)$ ]] && types[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
done < <(sed -n '/^default_process_types:/,/^[^ ]/p' "$work/release.yml")
tar -xOf "$work/slug.tar" app/Procfile >"$work/Procfile" 2>/dev/null || true
while IFS= read -r line; do
    [[ $line =~ ^([A-Za-z0-9_-]+):[[:space:]]*(.+)$ ]] && types[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
done <"$work/Procfile"
[ -n "${types[web]:-}" ] || die "no web process type (no Procfile web: line and no default)"
for t in "${!types[@]}"; do echo "try: process type $t: ${types[$t]}"; done

# A dyno: profile.d sourced, then the command under bash -c, as user app with nothing extra;
# --init puts a real init at PID 1, so SIGTERM reaches commands that set no handler of their own.
start_dyno() { # TYPE PUBLISH...
    local type=$1; shift
    containers+=("$run_id-$type")
    docker create --name "$run_id-$type" --init --user app --cap-drop ALL --security-opt no-new-privileges \
        --memory 512m --pids-limit 256 "$@" \
        -e PORT=5000 -e "DYNO=$type.1" -e "SLIPWAY_APP=$name" -e HOME=/app "${dyno_env[@]}" \
        "$run_image" bash -c 'for f in /app/.profile.d/*.sh; do [ -r "$f" ] && . "$f"; done; cd /app; exec bash -c "$1"' \
        dyno "${types[$type]}" >/dev/null
    docker cp - "$run_id-$type:/" <"$work/slug.tar"
    docker start "$run_id-$type" >/dev/null
}

echo "try: starting web with $run_image"
start_dyno web -p 127.0.0.1::5000
port=$(docker port "$run_id-web" 5000/tcp 2>/dev/null | sed -n 's/^127\.0\.0\.1://p' | head -n1)
if [ -z "$port" ]; then
    docker logs "$run_id-web" 2>&1 | tail -n 20 >&2
    die "web is not running (or not published on 127.0.0.1)"
fi
answer=""
boot_start=$(date +%s%N)
for _ in $(seq 1 300); do
    if answer=$(curl -fsS --max-time 2 "http://127.0.0.1:$port/" 2>/dev/null); then break; fi
    if [ "$(docker inspect -f '{{.State.Running}}' "$run_id-web")" != true ]; then
        docker logs "$run_id-web" 2>&1 | tail -n 20 >&2
        die "web exited before answering"
    fi
    sleep 0.2
done
[ -n "$answer" ] || { docker logs "$run_id-web" 2>&1 | tail -n 20 >&2; die "web did not answer on 127.0.0.1:$port within 60 s"; }
echo "try: web answered on 127.0.0.1:$port after $(( ($(date +%s%N) - boot_start) / 1000000 )) ms:"
# An HTML page shows its heading; a text answer its first lines.
{ echo "$answer" | grep -m1 -o '<h1>.*</h1>' || echo "$answer" | head -n 5; } | sed 's/^/  > /'
echo "try: web logs:"; docker logs "$run_id-web" 2>&1 | head -n 5 | sed 's/^/  | /'

for t in "${!types[@]}"; do
    [ "$t" = web ] || [ "$t" = release ] && continue
    start_dyno "$t"
    sleep 3
    state=$(docker inspect -f '{{.State.Status}}' "$run_id-$t")
    echo "try: $t is $state after 3 s; its first lines:"
    docker logs "$run_id-$t" 2>&1 | head -n 3 | sed 's/^/  | /'
done
stop_start=$(date +%s%N)
docker stop -t 10 "$run_id-web" >/dev/null
echo "try: web stopped on SIGTERM in $(( ($(date +%s%N) - stop_start) / 1000000 )) ms (exit code $(docker inspect -f '{{.State.ExitCode}}' "$run_id-web"))"
echo "try: ok"
