-- The chunk's postings and lengths, after its df was moved.
insert into axnews_state.search_postings (term, article_id, tf)
select term, article_id, tf from search_chunk_postings;

insert into axnews_state.search_docs (article_id, text_hash, doc_len)
select article_id, text_hash, len(terms) from search_chunk;
