-- One row: this platform's identity. Containers, volumes and images carry it, so two platforms
-- (or a platform and the test suite) sharing one Docker engine never touch each other's.
create table platform (
    id          uuid primary key default gen_random_uuid(),
    singleton   boolean not null default true unique check (singleton),
    created_at  timestamptz not null default now()
);
insert into platform default values;
