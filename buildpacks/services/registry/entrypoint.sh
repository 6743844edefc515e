#!/usr/bin/env bash
# Starts the registry with basic authentication: the password comes from the environment (set by
# the controller), goes into a bcrypt htpasswd file through stdin (never on a command line), and is
# removed from the environment before the registry runs.
# env: REGISTRY_PASSWORD; the user is "slipway".
set -euo pipefail
: "${REGISTRY_PASSWORD:?}"
printf '%s\n' "$REGISTRY_PASSWORD" | htpasswd -iBc /etc/slipway-registry/htpasswd slipway 2>/dev/null
unset REGISTRY_PASSWORD
cat > /etc/slipway-registry/config.yml <<CONF
version: 0.1
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
  delete:
    enabled: true
http:
  addr: :5000
auth:
  htpasswd:
    realm: slipway
    path: /etc/slipway-registry/htpasswd
CONF
exec docker-registry serve /etc/slipway-registry/config.yml
