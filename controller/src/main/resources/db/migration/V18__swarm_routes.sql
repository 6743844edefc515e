-- Routers reach Swarm dynos (issue 16): a web task publishes its port on its node in host mode, and a
-- dyno row's host is that node's address. Single-engine dynos keep host null and stay 127.0.0.1:port.
-- Every router reads every row: a router on any node of the Swarm reaches any node's address.
create or replace view router_backends as
    select a.name as app, d.container_name as dyno, d.type, d.index, d.port, coalesce(d.host, '127.0.0.1') as host
    from dynos d join apps a on a.id = d.app_id
    where d.routable and d.type = 'web' and d.port is not null;
