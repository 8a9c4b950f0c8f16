-- Events without a known type or without any object party: must return no rows.
select e.article_id, e.event_index, e.type
from events as e
where e.type is null
   or e.type not in ('DESIGNATION', 'SELECTION', 'FUNDING', 'AGREEMENT', 'LAUNCH', 'CALL',
                     'INVESTMENT', 'LAW', 'PLAN')
   or not exists (
       select 1 from event_roles as r
       where r.article_id = e.article_id and r.event_index = e.event_index
         and r.role = 'object' and coalesce(trim(r.name), '') <> ''
   );
