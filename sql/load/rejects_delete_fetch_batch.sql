-- Before a batch of pages is written: the fetch rejects it replaces. A page's own fetch reject
-- goes with its page id ($ids); a duplicate_url reject with its "page_id url" pair ($pairs).
delete from rejects
where stage = 'fetch'
  and (reason is distinct from 'duplicate_url' and page_id in (select unnest($ids::varchar[]))
       or reason = 'duplicate_url' and page_id || ' ' || url in (select unnest($pairs::varchar[])));
