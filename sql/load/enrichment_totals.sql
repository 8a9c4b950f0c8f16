-- Rows of the enrichment tables after a load.
select (select count(*) from mentions) as mentions, (select count(*) from entities) as entities,
       (select count(*) from quotes) as quotes, (select count(*) from events) as events,
       (select count(*) from event_roles) as event_roles;
