-- The naive one-process script's only table (`make bench` compares our pipeline with it).
create table naive (path varchar, text varchar, nouns varchar);
