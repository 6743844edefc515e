#!/usr/bin/env bash
# Starts the add-on's PostgreSQL. On the first start (an empty volume) it makes the cluster with
# the generated user and password and the add-on's database; later starts reuse what the volume holds.
# env: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB (set by the controller), PGDATA (the image's).
set -euo pipefail

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_USER:?}" "${POSTGRES_PASSWORD:?}" "${POSTGRES_DB:?}"
    echo "slipway-postgres: initialising a new cluster in $PGDATA"
    mkdir -p "$PGDATA"
    chmod 0700 "$PGDATA"
    # Local (socket) connections exist only for `docker exec` (pg:psql, pg:info): trusted. Every TCP
    # connection, from the app's dynos on its network, needs the generated password.
    initdb --pgdata="$PGDATA" --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
        --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
    # A small, idle-friendly server: an add-on per app shares the host with many others.
    cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '*'
unix_socket_directories = '/var/run/postgresql'
max_connections = 50
shared_buffers = 16MB
work_mem = 4MB
maintenance_work_mem = 32MB
wal_buffers = 1MB
max_wal_size = 256MB
min_wal_size = 32MB
dynamic_shared_memory_type = posix
huge_pages = off
log_destination = 'stderr'
logging_collector = off
log_timezone = 'UTC'
timezone = 'UTC'
CONF
    printf 'CREATE DATABASE "%s" OWNER "%s";\n' "$POSTGRES_DB" "$POSTGRES_USER" \
        | postgres --single -D "$PGDATA" -j postgres >/dev/null
    echo "slipway-postgres: database $POSTGRES_DB ready for user $POSTGRES_USER"
fi
exec postgres -D "$PGDATA"
