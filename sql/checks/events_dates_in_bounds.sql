-- Event dates before 2000, after the article's publication + 1 year, or ranges ending before
-- they start: must return no rows.
select e.article_id, e.event_index, e.date, e.date_end, a.published_at
from events as e
left join articles as a using (article_id)
where e.date < date '2000-01-01'
   or e.date_end < e.date
   or (a.published_at is not null
       and (e.date > cast(a.published_at + interval 1 year as date)
            or e.date_end > cast(a.published_at + interval 1 year as date)));
