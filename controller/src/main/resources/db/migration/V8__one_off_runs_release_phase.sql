-- One-off dynos are numbered per app (run.1, run.2, …); a release whose release phase is still
-- running is 'releasing' (the dyno manager rolls out only 'pending' ones).
alter table apps add column run_counter integer not null default 0;

alter table releases drop constraint releases_status_check;
alter table releases add constraint releases_status_check
    check (status in ('releasing', 'pending', 'succeeded', 'failed'));
