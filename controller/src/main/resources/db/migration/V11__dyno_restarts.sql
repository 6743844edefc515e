-- Restarts asked for (ps:restart, ps:stop), by selector: '' for every dyno of the app, a process
-- type ('web') or one dyno ('web.2'). The dyno manager replaces, one web dyno at a time, each dyno
-- whose container started before requested_at; a row is never "done", it only stops matching.
create table dyno_restarts (
    app_id       uuid not null references apps (id) on delete cascade,
    selector     text not null,
    requested_at timestamptz not null,
    primary key (app_id, selector)
);
