#!/usr/bin/env bash
# Runs inside a build container: Heroku's classic buildpack API over the buildpacks copied to
# /buildpacks/NN-name, with BUILD_DIR=/app, CACHE_DIR=/cache (a per-app volume), ENV_DIR=/env.
# In "detect" mode the first buildpack whose bin/detect succeeds runs; in "explicit" mode
# (BUILDPACK_URL or .buildpacks) every buildpack runs in order, each only if its bin/detect
# accepts the app, and each sees the `export` files of the ones before it, as on Heroku.
# Results go to /slipway/out for the controller to read.
#
# The container runs as the build user (uid 10001, HOME=/app), as documented in
# buildpacks/README.md: the controller copies /app, /env, /buildpacks and /slipway/out in as that
# user, and gives it a cache volume of its own, so nothing here needs root and a third-party
# buildpack cannot do more than an app could.
set -uo pipefail

BUILD_DIR=/app
CACHE_DIR=/cache
ENV_DIR=/env
OUT=/slipway/out
mkdir -p "$OUT"

# fail REASON [DETAIL...]: REASON is the one line the build is recorded as failing with; the
# details say what to do about it.
fail() {
  printf '%s\n' "$1" > "$OUT/failure"
  printf ' !     %s\n' "$@"
  exit 1
}

shopt -s nullglob
packs=(/buildpacks/*/)
[ ${#packs[@]} -gt 0 ] || fail "no buildpacks were given to the build"
for bp in "${packs[@]}"; do chmod a+x "$bp"bin/* 2>/dev/null; done

# as_app CMD...: CMD in a clean login-like environment of the build user's.
as_app() {
  env HOME=/app USER=app LOGNAME=app "$@"
}

# The `export` files left by the buildpacks that ran so far: Heroku's buildpack API sources them
# before each following buildpack, so a later one finds what an earlier one installed (PATH...).
exports=()
step() {
  as_app bash -c 'n=$1; shift
    while [ "$n" -gt 0 ]; do . "$1"; shift; n=$((n - 1)); done
    exec "$@"' step "${#exports[@]}" "${exports[@]}" "$@"
}

# detect BP: runs BP's bin/detect; prints the first line it printed, fails when it declined.
detect() {
  local said
  said=$(step "${1}bin/detect" "$BUILD_DIR" 2>/dev/null) || return 1
  printf '%s\n' "${said%%$'\n'*}"
}

# Files that mark an app in a language no built-in buildpack builds: "file|what it is|a buildpack for it".
markers=(
  "go.mod|a Go app|https://github.com/heroku/heroku-buildpack-go"
  "Gopkg.toml|a Go app (dep)|https://github.com/heroku/heroku-buildpack-go"
  "Godeps/Godeps.json|a Go app (godep)|https://github.com/heroku/heroku-buildpack-go"
  "Gemfile|a Ruby app|https://github.com/heroku/heroku-buildpack-ruby"
  "composer.json|a PHP app|https://github.com/heroku/heroku-buildpack-php"
  "index.php|a PHP app|https://github.com/heroku/heroku-buildpack-php"
  "build.gradle|a Gradle app (the java buildpack builds Maven's pom.xml only)|https://github.com/heroku/heroku-buildpack-gradle"
  "build.gradle.kts|a Gradle app (the java buildpack builds Maven's pom.xml only)|https://github.com/heroku/heroku-buildpack-gradle"
  "build.sbt|a Scala app (sbt)|https://github.com/heroku/heroku-buildpack-scala"
  "project.clj|a Clojure app (Leiningen)|https://github.com/heroku/heroku-buildpack-clojure"
  "Cargo.toml|a Rust app|https://github.com/emk/heroku-buildpack-rust"
  "mix.exs|an Elixir app|https://github.com/HashNuke/heroku-buildpack-elixir"
  "Package.swift|a Swift app|https://github.com/vapor-community/heroku-buildpack"
  "deno.json|a Deno app|https://github.com/chibat/heroku-buildpack-deno"
  "Pipfile|a Python app using Pipenv (the python buildpack reads requirements.txt: 'pipenv requirements > requirements.txt' makes one)|"
)
found=()
suggest=""
for m in "${markers[@]}"; do
  IFS='|' read -r file what url <<< "$m"
  if [ -e "$BUILD_DIR/$file" ]; then
    found+=("$file: $what")
    [ -z "$suggest" ] && suggest=$url
  fi
done
for f in "$BUILD_DIR"/*.csproj "$BUILD_DIR"/*.fsproj; do
  found+=("${f##*/}: a .NET app")
  [ -z "$suggest" ] && suggest=https://github.com/jincod/dotnetcore-buildpack
done

selected=()
if [ "${SLIPWAY_BUILDPACK_MODE:-detect}" = detect ]; then
  for bp in "${packs[@]}"; do
    if detect "$bp" > /dev/null; then
      selected=("$bp")
      break
    fi
  done
  winner=""
  [ ${#selected[@]} -gt 0 ] && winner=$(basename "${selected[0]}") && winner=${winner#*-}
  # The procfile buildpack installs nothing: an app in a language no built-in builds would pass
  # the build with it and then fail at run time with 'command not found'. Say so now instead.
  if [ ${#found[@]} -gt 0 ] && { [ -z "$winner" ] || [ "$winner" = procfile ]; }; then
    what=$(printf '%s; ' "${found[@]}"); what=${what%; }
    fail "no built-in buildpack builds this app (${what}); the built-ins are ${SLIPWAY_SUPPORTED:-none}" \
      "Bring a buildpack for it: 'slipway config:set BUILDPACK_URL=${suggest:-<git URL of a buildpack>}'," \
      "or list buildpacks in a .buildpacks file, one per line: a git URL (#ref allowed) or a directory on the platform." \
      "If the Procfile's commands need nothing installed, 'slipway config:set BUILDPACK_URL=procfile' builds it as it is."
  fi
  if [ -z "$winner" ] && [ -f "$BUILD_DIR/Dockerfile" ]; then
    fail "Dockerfile deploys are not supported yet: this app has a Dockerfile and nothing a built-in buildpack builds (${SLIPWAY_SUPPORTED:-none})" \
      "Slipway builds apps with buildpacks only. Add what one detects (requirements.txt, package.json, pom.xml, index.html," \
      "or a Procfile whose commands the run stack has), or set BUILDPACK_URL or a .buildpacks file to a buildpack of your own."
  fi
  [ -n "$winner" ] || fail "no buildpack supports this app. Supported: ${SLIPWAY_SUPPORTED:-none}. Set BUILDPACK_URL to choose one."
else
  selected=("${packs[@]}")
fi

for bp in "${selected[@]}"; do
  id=$(basename "$bp")
  # Heroku runs a listed buildpack only if its bin/detect accepts the app, and fails the build
  # otherwise ("App not compatible with buildpack"): compiling an app it declined would fail
  # later and more obscurely. It runs after the buildpacks before it, which may have changed /app.
  if ! name=$(detect "$bp"); then
    fail "App not compatible with buildpack: ${id#*-} (its bin/detect declined this app)" \
      "Each buildpack named by BUILDPACK_URL or .buildpacks must detect the app, after the ones before it have run." \
      "Check what its bin/detect looks for, or remove it from the list."
  fi
  name=${name:-${id#*-}}
  echo "-----> ${name} app detected"
  if [ "${SLIPWAY_BUILDPACK_MODE:-detect}" = detect ] && [ -f "$BUILD_DIR/Dockerfile" ]; then
    echo " !     Warning: Dockerfile found: Slipway does not build Dockerfiles yet; building with the ${name} buildpack"
  fi
  step "${bp}bin/compile" "$BUILD_DIR" "$CACHE_DIR" "$ENV_DIR" 2>&1
  status=$?
  [ $status -eq 0 ] || fail "the ${name} buildpack's compile step failed (exit code ${status})"
  if [ -f "${bp}export" ]; then
    exports+=("${bp}export")
  fi
  if [ -x "${bp}bin/release" ]; then
    step "${bp}bin/release" "$BUILD_DIR" > "$OUT/release-${id}.yml" || fail "the ${name} buildpack's release step failed"
  fi
  printf '%s\n' "$name" >> "$OUT/buildpacks"
done

# The process types come from the Procfile as the buildpacks left it in the slug (a buildpack may
# have moved it, as subdirectory buildpacks for monorepos do). Read as the build user, so a
# Procfile that is a symlink reads what the app could read, no more.
if [ -e "$BUILD_DIR/Procfile" ]; then
  head -c 65536 "$BUILD_DIR/Procfile" > "$OUT/Procfile" || fail "the Procfile in the built app cannot be read"
fi
