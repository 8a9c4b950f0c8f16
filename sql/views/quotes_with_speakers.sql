-- Direct quotes with who said them: name, role and organization, and the article they are in.
create or replace view quotes_with_speakers as
select timezone('Asia/Seoul', a.published_at) as published_kst,
       q.speaker, coalesce(q.speaker_role, e.latest_role) as role,
       e.latest_affiliation as organization, q.quote,
       s.outlet, a.title as article_title, a.url, q.article_id, q.quote_index,
       q.speaker_entity_id
from quotes as q
join articles as a using (article_id)
left join sources as s on s.name = a.source
left join entities as e on e.entity_id = q.speaker_entity_id;

comment on view quotes_with_speakers is 'Quotes with speaker, role, organization, outlet and article URL; times in KST.';
comment on column quotes_with_speakers.published_kst is 'publication time of the article (Korean time)';
comment on column quotes_with_speakers.speaker is 'who said it';
comment on column quotes_with_speakers.role is 'the speaker''s title';
comment on column quotes_with_speakers.organization is 'the speaker''s organization';
comment on column quotes_with_speakers.quote is 'the quoted words';
comment on column quotes_with_speakers.outlet is 'the outlet''s name';
comment on column quotes_with_speakers.article_title is 'headline of the article';
comment on column quotes_with_speakers.url is 'the article''s URL';
comment on column quotes_with_speakers.article_id is 'articles.article_id';
comment on column quotes_with_speakers.quote_index is 'order of the quote in the article';
comment on column quotes_with_speakers.speaker_entity_id is 'entities.entity_id of the speaker';
