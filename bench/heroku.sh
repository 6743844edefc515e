#!/usr/bin/env bash
# The unmodified Heroku CLI against Slipway, side by side with Slipway's own CLI on the same
# platform in one run (issue 17): `heroku ps` / `slipway ps` and `heroku config` / `slipway config`,
# each from typing the command to the prompt again (both CLIs' start included), the median of RUNS
# (7) after one run of each that is not counted. The Heroku CLI is the one the tests install
# (`heroku` 11.10.0 from the npm registry into ~/.cache/slipway/heroku-11.10.0, or
# SLIPWAY_HEROKU_CLI_DIR), set up by `slipway heroku:env` as a user would.
#
# Runs its own platform (`./slipway up --detach`, no Docker needed) on a temporary SLIPWAY_HOME and
# free loopback ports, with one app and 20 config vars, and removes everything it made when it exits.
# Usage: bench/heroku.sh [RUNS]
set -euo pipefail

TOP=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
readonly TOP SLIPWAY=$TOP/slipway APP=herokubench RUNS=${1:-7}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/heroku.sh [RUNS]" >&2; exit 2; }
readonly HEROKU_VERSION=11.10.0
CLI_DIR=${SLIPWAY_HEROKU_CLI_DIR:-$HOME/.cache/slipway/heroku-$HEROKU_VERSION}
HEROKU=$CLI_DIR/node_modules/.bin/heroku
if [[ ! -x $HEROKU ]]; then
    command -v npm >/dev/null || { echo "bench/heroku: npm is needed to install heroku@$HEROKU_VERSION ('apt-get install npm')" >&2; exit 1; }
    echo "bench/heroku: installing heroku@$HEROKU_VERSION into $CLI_DIR (npm)" >&2
    mkdir -p "$CLI_DIR"
    npm install --prefix "$CLI_DIR" --no-audit --no-fund "heroku@$HEROKU_VERSION" >/dev/null
fi

HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-heroku.XXXXXX")
api_port=$(free_port)
export SLIPWAY_HOME=$HOME_DIR SLIPWAY_BIND=127.0.0.1 SLIPWAY_API_PORT=$api_port SLIPWAY_NO_DOCKER=1
SLIPWAY_ROUTER_PORT=$(free_port "$api_port")
export SLIPWAY_ROUTER_PORT
unset DATABASE_URL SLIPWAY_API_URL SLIPWAY_API_TOKEN SLIPWAY_APP
cleanup() {
    "$SLIPWAY" down >/dev/null 2>&1 || true
    forget_platform
    rm -rf "$HOME_DIR"
}
trap cleanup EXIT

"$SLIPWAY" up --detach >/dev/null
"$SLIPWAY" apps:create "$APP" >/dev/null
vars=()
for i in $(seq 20); do vars+=("VAR_$i=value-$i"); done
"$SLIPWAY" config:set -a "$APP" "${vars[@]}" >/dev/null
# As a user would: the exports `slipway heroku:env` prints (HOME too, so the CLI's own state stays here).
eval "$("$SLIPWAY" heroku:env)"
export HOME=$HOME_DIR

seconds() { printf '%d.%02d s' $(($1 / 1000)) $(($1 % 1000 / 10)); }
elapsed() { # command... → ms, the command's output dropped; a failure stops the bench
    local start out
    start=$(now_ms)
    out=$("$@" </dev/null 2>&1) || { echo "bench/heroku: '$*' failed:" >&2; echo "$out" >&2; exit 1; }
    echo $(($(now_ms) - start))
}
median() { # command... → the median ms of RUNS, after one run not counted
    local times=() sorted i
    elapsed "$@" >/dev/null
    for ((i = 0; i < RUNS; i++)); do times+=("$(elapsed "$@")"); done
    mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
    echo "${sorted[RUNS / 2]}"
}

heroku_ps=$(median "$HEROKU" ps -a "$APP")
slipway_ps=$(median "$SLIPWAY" ps -a "$APP")
heroku_config=$(median "$HEROKU" config -a "$APP")
slipway_config=$(median "$SLIPWAY" config -a "$APP")

echo "heroku $HEROKU_VERSION (unmodified) and slipway against one platform, median of $RUNS, $(nproc) cores:"
printf '  %-10s heroku %-8s slipway %-8s (%s)\n' \
    ps "$(seconds "$heroku_ps")" "$(seconds "$slipway_ps")" "$(awk -v h="$heroku_ps" -v s="$slipway_ps" 'BEGIN { printf "%.1fx", h / s }')" \
    config "$(seconds "$heroku_config")" "$(seconds "$slipway_config")" "$(awk -v h="$heroku_config" -v s="$slipway_config" 'BEGIN { printf "%.1fx", h / s }')"
