#!/usr/bin/env bash
# Starts the add-on's PostgreSQL. On the first start (an empty volume) it copies the image's
# template cluster into the volume and gives it the generated user (a superuser, with the
# generated password), renaming its database "app" to the add-on's; later starts reuse the volume's.
# env: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB (set by the controller), PGDATA (the image's).
set -euo pipefail

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_USER:?}" "${POSTGRES_PASSWORD:?}" "${POSTGRES_DB:?}"
    case "$POSTGRES_USER$POSTGRES_PASSWORD$POSTGRES_DB" in
        *[!A-Za-z0-9_]*) echo "slipway-postgres: user, password and database must be letters, digits and _" >&2; exit 2 ;;
    esac
    echo "slipway-postgres: creating the cluster in $PGDATA"
    # Made aside and renamed into place once whole: a start interrupted here begins again from nothing.
    new="$PGDATA.new"
    rm -rf "$new"
    cp -a /var/lib/postgresql/template "$new"
    # Local (socket) connections exist only for `docker exec` (pg:psql, pg:info): trusted. Every TCP
    # connection, from the app's dynos on its network, needs the generated password (the template's
    # own superuser, postgres, has none, so it cannot log in over TCP at all).
    # Single-user mode (-j) ends a statement at ";" and a blank line, and exits 0 even after an error.
    out=$(printf 'CREATE ROLE "%s" SUPERUSER LOGIN PASSWORD '"'"'%s'"'"';\n\nALTER DATABASE app RENAME TO "%s";\n\nALTER DATABASE "%s" OWNER TO "%s";\n\n' \
        "$POSTGRES_USER" "$POSTGRES_PASSWORD" "$POSTGRES_DB" "$POSTGRES_DB" "$POSTGRES_USER" \
        | postgres --single -D "$new" -j template1 2>&1 >/dev/null) || true
    if [ -n "$out" ] && grep -q 'ERROR:\|FATAL:' <<<"$out"; then
        echo "$out" >&2
        echo "slipway-postgres: could not create the user and database (above)" >&2
        exit 1
    fi
    # One syncfs instead of an fsync per file: as durable, much sooner.
    sync -f "$new"
    mv "$new" "$PGDATA"
    sync -f "$PGDATA"
    echo "slipway-postgres: database $POSTGRES_DB ready for user $POSTGRES_USER"
fi
exec postgres -D "$PGDATA"
