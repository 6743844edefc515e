-- Builds (a pushed commit turned into an image) and releases (an image + config + process types).

create table builds (
    id             uuid primary key default gen_random_uuid(),
    app_id         uuid not null references apps (id) on delete cascade,
    number         integer not null,
    status         text not null check (status in ('building', 'succeeded', 'failed')),
    commit_sha     text not null,
    buildpack      text,
    image          text,
    process_types  jsonb,
    failure        text,
    output         text not null default '',
    created_by     text not null,
    created_at     timestamptz not null default now(),
    finished_at    timestamptz,
    unique (app_id, number)
);

create table releases (
    id             uuid primary key default gen_random_uuid(),
    app_id         uuid not null references apps (id) on delete cascade,
    version        integer not null,
    build_id       uuid references builds (id),
    config         jsonb not null,
    process_types  jsonb not null,
    description    text not null,
    status         text not null check (status in ('pending', 'succeeded', 'failed')),
    created_by     text not null,
    created_at     timestamptz not null default now(),
    unique (app_id, version)
);
create index releases_app_version on releases (app_id, version desc);
