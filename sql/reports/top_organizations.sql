-- Top organizations: the 15 most mentioned ORG entities, with how many articles name them.
select canonical as organization, n_mentions, n_articles, known
from entities
where label = 'ORG'
order by n_mentions desc, n_articles desc, canonical
limit 15;
