-- Top people: the 15 most mentioned people with their latest role and affiliation.
select canonical as person, latest_role as role, latest_affiliation as affiliation,
       n_mentions, n_articles
from entities
where label = 'PERSON'
order by n_mentions desc, n_articles desc, canonical
limit 15;
