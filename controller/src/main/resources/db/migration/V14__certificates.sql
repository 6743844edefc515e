-- HTTPS at the router (issue 15): certificates per app, their private keys sealed with the
-- platform's cert key ($SLIPWAY_HOME/cert-key, AES-256-GCM), and whether an app sends plain HTTP
-- to HTTPS. Routers read these and hear changes on 'slipway_certs' (payload: the app's name), as
-- they hear routes on 'slipway_routes'.

create table certificates (
    id          uuid primary key default gen_random_uuid(),
    app_id      uuid not null references apps (id) on delete cascade,
    source      text not null check (source in ('uploaded', 'auto')),
    domains     text[] not null,          -- the names the certificate covers (its SANs), for listing
    subject     text not null,
    issuer      text not null,
    not_before  timestamptz not null,
    not_after   timestamptz not null,
    chain_pem   text not null,            -- leaf first, then intermediates
    key_sealed  bytea not null,           -- 12-byte nonce || AES-GCM(PKCS#8 DER of the private key)
    created_at  timestamptz not null default now()
);
-- One uploaded certificate per app (certs:add replaces it); ACME rows come per domain later.
create unique index certificates_uploaded on certificates (app_id) where source = 'uploaded';

create table app_https (
    app_id      uuid primary key references apps (id) on delete cascade,
    force_https boolean not null default false   -- plain HTTP answers 308 to https://, HTTPS answers carry HSTS
);

create or replace function notify_certs() returns trigger language plpgsql as $$
declare
    changed uuid := coalesce(new.app_id, old.app_id);
begin
    perform pg_notify('slipway_certs', coalesce((select name from apps where id = changed), ''));
    return null;
end $$;

create trigger certificates_notify after insert or update or delete on certificates
    for each row execute function notify_certs();
create trigger app_https_notify after insert or update or delete on app_https
    for each row execute function notify_certs();
-- A certificate is served only for names of its own app: a domain added or moved changes that.
create trigger domains_notify_certs after insert or update or delete on domains
    for each row execute function notify_certs();
