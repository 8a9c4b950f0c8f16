-- MinHash signatures of the involved articles (_involved).
select article_id, signature
from axnews_state.article_signatures
join _involved using (article_id);
