-- What `axnews run` prints when it is done: pages, rejects and the main tables' rows.
select (select count(*) from pages where ok) as fetched,
       (select count(*) from pages where not ok) as failed,
       (select count(*) from rejects where stage <> 'fetch') as rejected,
       (select count(*) from articles) as articles,
       (select count(*) from entities) as entities,
       (select count(*) from events) as events;
