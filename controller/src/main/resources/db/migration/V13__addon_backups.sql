-- Backups of PostgreSQL add-ons (issue 14, phase 2): pg_dump -Fc files in the platform's backup
-- store, each verified (pg_restore read it whole, its size and SHA-256 recorded) before it is done.
--
-- addon_id has no foreign key on purpose: an add-on's name can be reused after it is destroyed,
-- and the backups of a destroyed add-on (its last one, taken by addons:destroy) stay listed and
-- downloadable until deleted or until their app is destroyed (the rows go with the app).
create table addon_backups (
    id           uuid primary key,
    app_id       uuid not null references apps (id) on delete cascade,
    -- b001, b002 … per app, as people name them
    number       integer not null,
    addon_id     uuid not null,
    addon_name   text not null,
    -- what asked for it: a person (manual), the schedule, or addons:destroy (its last backup)
    trigger      text not null check (trigger in ('manual', 'schedule', 'destroy')),
    -- running until it is whole and verified (done) or it is not (failed, with the reason)
    state        text not null check (state in ('running', 'done', 'failed')),
    failure      text,
    size_bytes   bigint,
    sha256       text,
    created_by   text not null,
    started_at   timestamptz not null default now(),
    finished_at  timestamptz,
    unique (app_id, number)
);
create index addon_backups_addon on addon_backups (addon_id);

-- Restores of a backup into its add-on, with what happened.
create table addon_backup_restores (
    id           uuid primary key,
    backup_id    uuid not null references addon_backups (id) on delete cascade,
    state        text not null check (state in ('running', 'done', 'failed')),
    message      text,
    created_by   text not null,
    started_at   timestamptz not null default now(),
    finished_at  timestamptz
);

-- One daily backup per add-on at a local time, keeping the newest `keep` scheduled backups.
create table addon_backup_schedules (
    addon_id     uuid primary key,
    app_id       uuid not null references apps (id) on delete cascade,
    at           text not null,
    -- the Quartz cron it fires on (from `at`; tests store seconds-level ones)
    cron         text not null,
    timezone     text not null,
    keep         integer not null check (keep between 1 and 365),
    created_by   text not null,
    created_at   timestamptz not null default now()
);
