-- Releases get their typed states (io.slipway.controller.release.ReleaseState), named for what a
-- release is doing rather than Heroku's coarse pending/succeeded (the API still answers those):
--   release_phase  its Procfile release: command has yet to succeed
--   booting        its dynos are starting; the live release keeps serving
--   live           routes switched to it (once live, always live: the current one is the newest)
--   failed         never went live; 'failure' says why (the dyno, its exit code, its last lines)
--   superseded     a newer release came before it went live
alter table releases drop constraint releases_status_check;
update releases set status = case status
    when 'releasing' then 'release_phase'
    when 'pending' then 'booting'
    when 'succeeded' then 'live'
    else status end;
alter table releases add constraint releases_status_check
    check (status in ('release_phase', 'booting', 'live', 'failed', 'superseded'));
alter table releases add column failure text;
alter table releases add column status_changed_at timestamptz not null default now();
-- Finding each app's releases in flight is the reconcile loop's first query, every second.
create index releases_in_flight on releases (app_id, version desc) where status in ('release_phase', 'booting');
