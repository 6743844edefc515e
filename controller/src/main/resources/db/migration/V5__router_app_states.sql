-- For the router's error answers: an app with web dynos that are all down is "crashed" (H10),
-- an app with none is "no web dynos" (H14).
create view router_app_states as
    select a.name as app,
           count(d.id) filter (where d.type = 'web') as web_dynos,
           count(d.id) filter (where d.type = 'web' and d.state in ('crashed', 'restarting')) as crashed_web_dynos
    from apps a left join dynos d on d.app_id = a.id
    group by a.name;
