-- Share of pages rejected or duplicate above getvariable('max_reject_share'): must return no rows.
with shares as (
    select (select count(*) from pages) as pages,
           (select count(distinct page_id) from rejects) as rejected
)
select pages, rejected, rejected / pages as share
from shares
where pages > 0 and rejected / pages > getvariable('max_reject_share');
