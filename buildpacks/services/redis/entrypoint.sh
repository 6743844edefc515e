#!/usr/bin/env bash
# Starts the add-on's Redis with the generated password, read from the environment into its
# config on stdin (never on the command line, where `ps` would show it).
# env: REDIS_PASSWORD (set by the controller; redis-cli reads the same value as REDISCLI_AUTH).
set -euo pipefail
: "${REDIS_PASSWORD:?}"
exec redis-server - <<CONF
bind * -::*
port 6379
protected-mode no
requirepass $REDIS_PASSWORD
dir /data
appendonly yes
appendfsync everysec
# Below the container's 256 MB limit: a full Redis refuses writes (noeviction) instead of being killed.
maxmemory 200mb
maxmemory-policy noeviction
daemonize no
logfile ""
CONF
