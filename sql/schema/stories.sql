-- Near-duplicate groups: syndicated or lightly edited copies of one story.
create table if not exists stories (
    story_id varchar not null,
    article_id varchar not null,
    is_representative boolean not null,
    similarity double
);

comment on table stories is 'Near-duplicate groups: syndicated or lightly edited copies of one story.';
comment on column stories.story_id is 'id of the group';
comment on column stories.article_id is 'articles.article_id of a member';
comment on column stories.is_representative is 'true for the copy chosen to stand for the story';
comment on column stories.similarity is 'estimated Jaccard similarity to the representative';
