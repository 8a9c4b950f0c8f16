-- Texts of up to $n articles: the benchmark's input for the entity extractor's throughput.
select text from articles limit $n;
