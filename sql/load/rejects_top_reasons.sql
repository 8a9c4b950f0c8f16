-- The six most frequent reject reasons, with their counts.
select reason, count(*) as n
from rejects
group by reason
order by n desc, reason
limit 6;
