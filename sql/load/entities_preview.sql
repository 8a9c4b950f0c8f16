-- The most mentioned entities, shown with a run.
select label, canonical, n_mentions, known
from entities
order by n_mentions desc
limit 10;
