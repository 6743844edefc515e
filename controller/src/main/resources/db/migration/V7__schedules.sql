-- Scheduled jobs: what each app runs when, and the history of its firings. Quartz keeps its own
-- triggers in the QRTZ_* tables (V6); a schedule's Quartz job is named by the schedule's id, in a
-- group named by its app's id, so removing an app removes its jobs by group.

create table schedules (
    id           uuid primary key default gen_random_uuid(),
    app_id       uuid not null references apps (id) on delete cascade,
    cron         text not null,   -- as the user wrote it: five Unix fields
    quartz_cron  text not null,   -- what Quartz runs: seconds first, '?' in one day field
    command      text not null,
    timezone     text not null default 'UTC',
    overlap      text not null default 'skip' check (overlap in ('skip', 'allow')),
    created_by   text not null,
    created_at   timestamptz not null default now()
);
create index schedules_app on schedules (app_id, created_at);

create table schedule_runs (
    id             bigserial primary key,
    schedule_id    uuid not null references schedules (id) on delete cascade,
    scheduled_for  timestamptz not null,   -- the slot Quartz fired for (a missed one fires late, once)
    started_at     timestamptz not null,
    ended_at       timestamptz,
    dyno           text,
    exit_code      integer,
    status         text not null check (status in ('running', 'succeeded', 'failed', 'timed_out', 'skipped')),
    output         text not null default '',  -- the first lines
    instance_id    text not null              -- the Quartz instance (controller) that fired it
);
create index schedule_runs_schedule on schedule_runs (schedule_id, started_at desc, id desc);
create index schedule_runs_running on schedule_runs (schedule_id) where status = 'running';
