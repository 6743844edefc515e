-- Automatic certificates by ACME (issue 15, phase 2): which apps want them, where each custom
-- domain of theirs stands (ok, pending, failing with the last error and the next try), the HTTP-01
-- answers the routers serve at /.well-known/acme-challenge/<token>, and the platform's ACME
-- account key per directory, sealed with the cert-key like the certificates' keys.
-- The certificates themselves go into 'certificates' with source 'auto', one per domain.

create table acme_apps (
    app_id      uuid primary key references apps (id) on delete cascade,
    enabled_by  text not null,
    enabled_at  timestamptz not null default now()
);

create table acme_domains (
    domain_id   uuid primary key references domains (id) on delete cascade,
    app_id      uuid not null references apps (id) on delete cascade,
    status      text not null check (status in ('pending', 'ok', 'failing')),
    last_error  text,
    failures    int not null default 0,
    next_try    timestamptz not null,    -- due for an order then (a renewal, a retry, or a lease's end)
    updated_at  timestamptz not null default now()
);
create index acme_domains_due on acme_domains (next_try);

create table acme_challenges (
    token              text primary key,
    key_authorization  text not null,
    created_at         timestamptz not null default now()
);

create table acme_accounts (
    directory   text primary key,
    key_sealed  bytea not null,          -- 12-byte nonce || AES-GCM(PKCS#8 DER of the account's private key)
    public_key  bytea not null,          -- X.509 DER of its public key
    created_at  timestamptz not null default now()
);

-- Routers hear new and finished challenges as they hear routes and certificates.
create or replace function notify_acme_challenges() returns trigger language plpgsql as $$
begin
    perform pg_notify('slipway_acme', '');
    return null;
end $$;

create trigger acme_challenges_notify after insert or update or delete on acme_challenges
    for each statement execute function notify_acme_challenges();
