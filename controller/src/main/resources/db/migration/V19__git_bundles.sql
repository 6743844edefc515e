-- Each app's git repository, stored where every controller finds it (issue 16): an ordered log of
-- git bundles, one per accepted push, each holding the objects new since the previous entry's refs
-- and the refs after it. A controller's $SLIPWAY_HOME/git holds only a cache, caught up from here.
-- Keyed by the app's id, so a rename moves nothing and a destroy removes it with the app's row.
create table git_bundles (
    app_id      uuid not null references apps (id) on delete cascade,
    seq         bigint not null,
    refs        text not null,   -- "<sha> <ref>" lines: the repository's refs once this bundle is applied
    bundle      bytea not null,  -- a v2 git bundle (what 'git bundle create' writes)
    created_at  timestamptz not null default now(),
    primary key (app_id, seq)
);
