-- Near-duplicate groups: syndicated or lightly edited copies of one story.
create table if not exists stories (
    story_id varchar not null,
    article_id varchar not null,
    is_representative boolean not null,
    similarity double
);
