"""The name lists pipeline.stages.clean reads; the Korean rules live in people, organizations,
companies, places, laws and titles (see entities/registry.py)."""

from .names import DOUBLE_SURNAMES, NAME_STOPWORDS, SURNAMES

__all__ = ["DOUBLE_SURNAMES", "NAME_STOPWORDS", "SURNAMES"]
