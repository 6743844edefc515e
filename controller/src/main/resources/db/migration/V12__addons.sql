-- Add-ons (backing services, factor IV): a PostgreSQL or Redis server in a container of its own,
-- with its data in a named volume, attached to apps as config vars (DATABASE_URL).
--
-- app_id has no foreign key on purpose: destroying an app deletes its row first, and the add-ons
-- it owned must still be found afterwards, to detach them from other apps and remove their
-- containers and volumes (the controller also does that at start for any whose app is gone).
-- Backups (issue 14, phase 2) hang off addons.id.
create table addons (
    id          uuid primary key default gen_random_uuid(),
    name        text not null unique,
    app_id      uuid not null,
    service     text not null,
    version     text not null,
    number      integer not null,
    -- creating: the container is on its way; ready: it accepted connections once; failed: never did (failure says why)
    state       text not null check (state in ('creating', 'ready', 'failed')),
    failure     text,
    progress    text,
    -- The attachment name it takes on its own app once it is ready (DATABASE, POSTGRES_2, or the --as given).
    attach_as   text not null,
    -- The generated credentials (128 bits of randomness in the password): the URL is built from them.
    username    text not null,
    password    text not null,
    database    text not null,
    created_by  text not null,
    created_at  timestamptz not null default now(),
    unique (app_id, service, number)
);
create index addons_app on addons (app_id);

-- Where an add-on is attached: as NAME on an app, which sets NAME_URL in that app's config.
create table addon_attachments (
    addon_id    uuid not null references addons (id) on delete cascade,
    app_id      uuid not null references apps (id) on delete cascade,
    name        text not null,
    release     text,
    created_at  timestamptz not null default now(),
    primary key (app_id, name)
);
create index addon_attachments_addon on addon_attachments (addon_id);
