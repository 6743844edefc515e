-- addons:destroy of a PostgreSQL add-on runs in the background (issue 14): the add-on is
-- 'destroying' while its last backup is taken and verified, and only then removed. A controller
-- that stops meanwhile finds it so at start: destroyed if that backup is done, else ready again.
alter table addons drop constraint addons_state_check;
alter table addons add constraint addons_state_check check (state in ('creating', 'ready', 'failed', 'destroying'));
