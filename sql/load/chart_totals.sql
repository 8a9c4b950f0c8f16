-- The chart report's totals: events with a date, articles.
select (select count(*) from events where date is not null) as dated_events,
       (select count(*) from articles) as articles;
