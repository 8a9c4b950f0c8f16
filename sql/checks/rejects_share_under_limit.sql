-- Share of pages rejected or duplicate above getvariable('max_reject_share'): must return no rows.
-- A duplicate_url reject is a second file or URL of a kept page, not a page refused.
with shares as (
    select (select count(*) from pages) as pages,
           (select count(distinct page_id) from rejects where reason <> 'duplicate_url') as rejected
)
select pages, rejected, rejected / pages as share
from shares
where pages > 0 and rejected / pages > getvariable('max_reject_share');
