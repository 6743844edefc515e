-- The run side: how many dynos of each process type an app wants, the dynos that exist, and the
-- extra host names an app answers to. The router reads routes from here and hears changes on the
-- 'slipway_routes' channel (NOTIFY with the app's name as payload), so it keeps no state of its own.

create table formation (
    app_id    uuid not null references apps (id) on delete cascade,
    type      text not null,
    quantity  integer not null check (quantity >= 0),
    size      text not null default 'standard',
    primary key (app_id, type)
);

create table dynos (
    id              uuid primary key default gen_random_uuid(),
    app_id          uuid not null references apps (id) on delete cascade,
    type            text not null,
    index           integer not null,
    release_version integer not null,
    container_id    text,
    container_name  text not null unique,
    port            integer,               -- published on 127.0.0.1 for web dynos
    state           text not null check (state in ('starting', 'up', 'crashed', 'restarting', 'stopping', 'stopped')),
    routable        boolean not null default false,  -- the router sends traffic only to these
    restarts        integer not null default 0,
    restart_at      timestamptz,           -- when a crashed dyno is due to be restarted
    started_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index dynos_app on dynos (app_id, type, index);
create index dynos_routable on dynos (app_id) where routable;

create table domains (
    id          uuid primary key default gen_random_uuid(),
    app_id      uuid not null references apps (id) on delete cascade,
    hostname    text not null unique,
    created_at  timestamptz not null default now()
);

-- What the router needs, in one place: host name → app → routable web dyno ports.
create view router_backends as
    select a.name as app, d.container_name as dyno, d.type, d.index, d.port
    from dynos d join apps a on a.id = d.app_id
    where d.routable and d.type = 'web' and d.port is not null;

create view router_hosts as
    select d.hostname, a.name as app from domains d join apps a on a.id = d.app_id;

create or replace function notify_routes() returns trigger language plpgsql as $$
declare
    changed uuid := coalesce(new.app_id, old.app_id);
begin
    perform pg_notify('slipway_routes', (select name from apps where id = changed));
    return null;
end $$;

create trigger dynos_notify after insert or update or delete on dynos
    for each row execute function notify_routes();
create trigger domains_notify after insert or update or delete on domains
    for each row execute function notify_routes();
