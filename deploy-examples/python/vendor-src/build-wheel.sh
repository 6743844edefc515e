#!/usr/bin/env bash
# Rebuilds vendor/slipway_greeting-*.whl from vendor-src/slipway-greeting, offline: needs a
# python3 with pip, setuptools and wheel (the build stack has them), and no package index.
#   docker run --rm -v "$PWD:/src" -w /src slipway/stack-build:dev vendor-src/build-wheel.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../vendor
rm -f "$out"/slipway_greeting-*.whl
python3 -m pip wheel --no-deps --no-build-isolation --no-index -w "$out" "$here/slipway-greeting"
rm -rf "$here/slipway-greeting/build" "$here/slipway-greeting"/*.egg-info
