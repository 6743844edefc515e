-- Dynos on Docker Swarm (issue 16): a dyno runs on one of several nodes, and a router reaches it at
-- the task's own address on the app's overlay network rather than at a port published on 127.0.0.1.
-- Both are null for dynos of the single-engine scheduler, whose routes stay 127.0.0.1:port.
alter table dynos add column node text;
alter table dynos add column host text;

-- Routers reach 127.0.0.1:port only. A Swarm task's address is on an overlay network that a router
-- reaches only from a node of the Swarm, so those rows stay out of this view until routers run there.
create or replace view router_backends as
    select a.name as app, d.container_name as dyno, d.type, d.index, d.port
    from dynos d join apps a on a.id = d.app_id
    where d.routable and d.type = 'web' and d.port is not null and d.host is null;
