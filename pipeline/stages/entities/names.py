"""Korean personal names: surnames, the shape of a name, and the words shaped like one that are not."""

from __future__ import annotations

from pipeline.reference import word_lists

_WORDS = word_lists("person_names")

SURNAMES = frozenset(_WORDS["surname"])
DOUBLE_SURNAMES = frozenset(_WORDS["double_surname"])
# Four-syllable words that start like a double surname but name a place or a thing (서문시장).
DOUBLE_SURNAME_FALSE = _WORDS["double_surname_false"]
# Words that look like names (surname + 1–3 syllables) but are common words in news text.
NAME_STOPWORDS = frozenset(_WORDS["name_stopword"])
NAME_TAIL_STOP = frozenset(_WORDS["name_tail_stop"])


def korean_name_shape(core: str) -> bool:
    """Surname first, 2–4 syllables (double surnames allowed)."""
    if core[:2] in DOUBLE_SURNAMES:
        return 3 <= len(core) <= 4
    return (
        core[:1] in SURNAMES
        and 2 <= len(core) <= 4
        and not (len(core) == 4 and core[1:] in NAME_STOPWORDS)
    )
