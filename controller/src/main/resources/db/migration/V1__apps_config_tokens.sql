-- Apps, their config vars, the history of config changes, and API tokens.

create table apps (
    id          uuid primary key default gen_random_uuid(),
    name        text not null unique,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

create table config_vars (
    app_id  uuid not null references apps (id) on delete cascade,
    key     text not null,
    value   text not null,
    primary key (app_id, key)
);

-- Every config change, with the full set of vars after it: once releases exist, each row is
-- what a new release is cut from ("Set GREETING config vars").
create table config_changes (
    id           bigserial primary key,
    app_id       uuid not null references apps (id) on delete cascade,
    description  text not null,
    vars         jsonb not null,
    created_by   text not null,
    created_at   timestamptz not null default now()
);
create index config_changes_app on config_changes (app_id, id);

-- Only a SHA-256 of each token is stored: a leaked database does not leak credentials.
create table api_tokens (
    id            uuid primary key default gen_random_uuid(),
    owner         text not null,
    description   text not null,
    token_sha256  bytea not null unique,
    created_at    timestamptz not null default now()
);
