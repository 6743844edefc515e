-- The router learns of an app the moment it is created or destroyed: a new app answers
-- "no web dynos" (H14) at once instead of "no such app" until the next full reload, and a
-- destroyed one stops being routed even when it had no dynos or domains to trigger a notice.
create or replace function notify_routes_app() returns trigger language plpgsql as $$
begin
    perform pg_notify('slipway_routes', coalesce(new.name, old.name));
    return null;
end $$;

create trigger apps_notify after insert or delete on apps
    for each row execute function notify_routes_app();
