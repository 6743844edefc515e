#!/usr/bin/env bash
# Builds and runs every deploy example with try.sh and checks what each answers, plus one app
# that no buildpack detects. Needs the dev stack images (buildpacks/stack/dev-build.sh).
# Prints one line per case and closes with "N passed, N failed"; exits non-zero on a failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
examples=$(cd "$here/../../deploy-examples" && pwd)
passed=0 failed=0
out=$(mktemp); nothing=$(mktemp -d)
trap 'rm -rf "$out" "$nothing"' EXIT

check() { # NAME EXPECTED_IN_OUTPUT TRY_ARGS...
    local name=$1 expected=$2; shift 2
    local start=$SECONDS
    if "$here/try.sh" "$@" >"$out" 2>&1 && grep -qF -- "$expected" "$out"; then
        passed=$((passed + 1)); echo "ok   $name ($((SECONDS - start)) s)"
    else
        failed=$((failed + 1)); echo "FAIL $name: expected \"$expected\"; try.sh said:"; tail -n 25 "$out" | sed 's/^/     /'
    fi
}

refused() { # NAME EXPECTED_IN_OUTPUT TRY_ARGS...
    local name=$1 expected=$2; shift 2
    if ! "$here/try.sh" "$@" >"$out" 2>&1 && grep -qF -- "$expected" "$out"; then
        passed=$((passed + 1)); echo "ok   $name is refused"
    else
        failed=$((failed + 1)); echo "FAIL $name: expected a failure saying \"$expected\"; try.sh said:"
        tail -n 10 "$out" | sed 's/^/     /'
    fi
}

check python   "Ahoy from python (python example, web.1)"     -c GREETING=Ahoy "$examples/python"
check nodejs   "Ahoy from nodejs (nodejs example, web.1)"     -c GREETING=Ahoy "$examples/nodejs"
check java     "Ahoy from java (java example, web.1)"         -c GREETING=Ahoy "$examples/java"
check static   "Hello from static-example (static example)"   "$examples/static"
check procfile "Ahoy from procfile (procfile example, web.1)" -c GREETING=Ahoy "$examples/procfile"
check python-worker "worker tick 1: Ahoy from python"         -c GREETING=Ahoy "$examples/python"

# A named buildpack that does not detect the app, and an app that none detects, fail clearly.
echo "just a readme" >"$nothing/README.md"
refused procfile-forced-static "App not compatible with buildpack: static" "$examples/procfile" static
refused undetectable "Supported: python, nodejs, java, static, procfile" "$nothing"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
