"""Helpers of the enrich stage: text chunks, reference matching, rules for names, numbers, quotes."""
