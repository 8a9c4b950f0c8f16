-- Rejects by stage and reason: what the pipeline refused and why.
select stage, reason, count(*) as pages, min(url) as example_url
from rejects
group by stage, reason
order by pages desc, stage, reason;
