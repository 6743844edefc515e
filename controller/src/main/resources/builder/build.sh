#!/usr/bin/env bash
# Runs inside a build container: Heroku's classic buildpack API over the buildpacks copied to
# /buildpacks/NN-name, with BUILD_DIR=/app, CACHE_DIR=/cache (a per-app volume), ENV_DIR=/env.
# In "detect" mode the first buildpack whose bin/detect succeeds runs; in "explicit" mode every
# buildpack runs in order. Results go to /slipway/out for the controller to read.
set -uo pipefail

BUILD_DIR=/app
CACHE_DIR=/cache
ENV_DIR=/env
OUT=/slipway/out
mkdir -p "$OUT" "$CACHE_DIR" "$ENV_DIR"

fail() {
  printf '%s\n' "$1" > "$OUT/failure"
  printf ' !     %s\n' "$1"
  exit 1
}

shopt -s nullglob
packs=(/buildpacks/*/)
[ ${#packs[@]} -gt 0 ] || fail "no buildpacks were given to the build"
for bp in "${packs[@]}"; do chmod -R a+rX "$bp"; chmod a+x "$bp"bin/* 2>/dev/null; done

selected=()
if [ "${SLIPWAY_BUILDPACK_MODE:-detect}" = detect ]; then
  for bp in "${packs[@]}"; do
    if "${bp}bin/detect" "$BUILD_DIR" > /dev/null 2>&1; then
      selected=("$bp")
      break
    fi
  done
  [ ${#selected[@]} -gt 0 ] || fail "no buildpack supports this app. Supported: ${SLIPWAY_SUPPORTED:-none}. Set BUILDPACK_URL to choose one."
else
  selected=("${packs[@]}")
fi

for bp in "${selected[@]}"; do
  id=$(basename "$bp")
  if ! name=$("${bp}bin/detect" "$BUILD_DIR" 2>/dev/null | head -n 1); then
    [ ${#selected[@]} -eq 1 ] && fail "buildpack ${id#*-} does not support this app (its bin/detect declined)"
  fi
  name=${name:-${id#*-}}
  echo "-----> ${name} app detected"
  "${bp}bin/compile" "$BUILD_DIR" "$CACHE_DIR" "$ENV_DIR" 2>&1
  status=$?
  [ $status -eq 0 ] || fail "the ${name} buildpack's compile step failed (exit code ${status})"
  if [ -x "${bp}bin/release" ]; then
    "${bp}bin/release" "$BUILD_DIR" > "$OUT/release-${id}.yml" || fail "the ${name} buildpack's release step failed"
  fi
  printf '%s\n' "$name" >> "$OUT/buildpacks"
done

# The app runs as an unprivileged user that owns its directory, as on Heroku.
chown -R 10001:10001 "$BUILD_DIR"
