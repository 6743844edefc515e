#!/usr/bin/env bash
# Starts the add-on's PostgreSQL. On the first start (an empty volume) it makes the cluster with
# the generated user and password and the add-on's database; later starts reuse what the volume holds.
# env: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB (set by the controller), PGDATA (the image's).
set -euo pipefail

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_USER:?}" "${POSTGRES_PASSWORD:?}" "${POSTGRES_DB:?}"
    echo "slipway-postgres: initialising a new cluster in $PGDATA"
    # Made aside and renamed into place once whole: a start interrupted here begins again from nothing.
    new="$PGDATA.new"
    rm -rf "$new"
    # Local (socket) connections exist only for `docker exec` (pg:psql, pg:info): trusted. Every TCP
    # connection, from the app's dynos on its network, needs the generated password. --no-sync and
    # one syncfs at the end instead of an fsync per file: a second less to a first connection, as durable.
    initdb --pgdata="$new" --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
        --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 --no-sync >/dev/null 2>&1
    printf 'host all all all scram-sha-256\n' >>"$new/pg_hba.conf"
    # A small, idle-friendly server: an add-on per app shares the host with many others.
    cat >>"$new/postgresql.conf" <<CONF
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
        | postgres --single -D "$new" -j postgres >/dev/null
    sync -f "$new"
    mv "$new" "$PGDATA"
    sync -f "$PGDATA"
    echo "slipway-postgres: database $POSTGRES_DB ready for user $POSTGRES_USER"
fi
exec postgres -D "$PGDATA"
