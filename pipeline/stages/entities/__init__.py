"""Helpers of the enrich stage: text chunks, reference matching, rules for names, numbers, quotes.

registry.py lists the entity rules in the order they run; each rule module reads its words from
a pipeline/reference/*.tsv file.
"""
