"""Direct quotes and their speakers: “…”라고 밝혔다, “…”며 “…”고 말했다, “…,” said Kim."""

from __future__ import annotations

import re

from pipeline.models import Mention, Quote
from pipeline.reference import alternation, word_lists

from .text import sentence_index_of

PAIRS = {"“": "”", '"': '"', "「": "」", "『": "』", "″": "″"}
OPENING = re.compile("[" + re.escape("".join(PAIRS)) + "]")
MAX_QUOTE_CHARS = 1500
KO_TAIL = re.compile(r"^\s?(?:(?:이)?라|)?(?P<link>고|며|면서|라며|라면서|라고)")
KO_CHAIN = re.compile(r"^\s?(?:(?:이)?라)?(?:며|면서|라며|라면서|고)\s?,?\s?[“\"「『]")
SPEECH_VERB = re.compile(alternation(word_lists("quote_words")["speech_verb"]))
EN_SAID = r"(?:said|says|added|noted|explained|stressed|told|asked|wrote|according to)"
EN_AFTER = re.compile(
    rf"^[,.!?]?\s*{EN_SAID}\b|^[,.!?]?\s*(?:[A-Z][\w-]*\s){{1,3}}{EN_SAID}\b|^[,.!?]?\s*(?:he|she|they)\s{EN_SAID}\b",
    re.IGNORECASE,
)
EN_BEFORE = re.compile(rf"{EN_SAID}[,:]?\s*$", re.IGNORECASE)
PRONOUN_START = re.compile(
    r"^\s*(?:그는|그녀는|그러면서|이어|이어서|또|또한|아울러|그는 또|He|She)\b|^\s*(?:그는|그녀는|이어|또한|아울러)"
)


def find_quote_spans(text: str) -> list[tuple[int, int, int]]:
    """(open, inner start, inner end) of each quotation; the close mark sits at inner end."""
    spans: list[tuple[int, int, int]] = []
    i = 0
    n = len(text)
    # Jump from opening mark to opening mark rather than looking at every character.
    while (m := OPENING.search(text, i)) is not None:
        i = m.start()
        close = PAIRS[text[i]]
        j = text.find(close, i + 1, min(n, i + 1 + MAX_QUOTE_CHARS))
        newline = text.find("\n", i + 1, j if j >= 0 else i + 1)
        if j < 0 or newline >= 0:
            i += 1
            continue
        if j > i + 1:
            spans.append((i, i + 1, j))
        i = j + 1
    return spans


def extract_quotes(text: str, mentions: list[Mention], starts: list[int]) -> list[Quote]:
    """Quotes attributed to the PERSON (or ORG) that the sentence or its neighbours name."""
    people = [m for m in mentions if m.label == "PERSON"]
    speakers = [m for m in mentions if m.label in ("PERSON", "ORG")]
    spans = find_quote_spans(text)
    quotes: list[Quote] = []
    group: list[tuple[int, int, int]] = []
    for span in spans:
        group.append(span)
        tail = text[span[2] + 1 : span[2] + 200]
        if KO_CHAIN.match(tail):
            continue  # “…”며 “…”: the next quote shares the speaker
        speaker = _attribute(text, group, tail, people, speakers, starts)
        if speaker is not False:
            for _, s, e in group:
                quotes.append(_quote(text, s, e, speaker, starts))
        group = []
    return quotes


def _attribute(
    text: str,
    group: list[tuple[int, int, int]],
    tail: str,
    people: list[Mention],
    speakers: list[Mention],
    starts: list[int],
) -> Mention | None | bool:
    """The speaker of a group of quotes, None when unknown, False when not a reported quote."""
    first_open = group[0][0]
    last_close = group[-1][2] + 1
    sent = sentence_index_of(starts, first_open)
    sent_start = starts[sent]
    sent_end = starts[sent + 1] if sent + 1 < len(starts) else len(text)
    line_end = text.find("\n", last_close)
    sent_end = max(sent_end, last_close)
    ko = KO_TAIL.match(tail)
    en_after = EN_AFTER.match(tail)
    en_before = EN_BEFORE.search(text[max(0, first_open - 60) : first_open])
    if ko:
        rest = text[last_close : (line_end if line_end >= 0 else len(text))][:160]
        if not SPEECH_VERB.search(rest):
            return False
    elif not (en_after or en_before):
        return False
    inside = [(q[0], q[2]) for q in group]

    def outside(m: Mention) -> bool:
        return not any(a <= m.start < b for a, b in inside)

    before = [m for m in people if sent_start <= m.start < first_open and outside(m)]
    if before and not (en_after and not en_before):
        return before[-1]
    after_end = min(last_close + 120, line_end if line_end >= 0 else len(text))
    after = [m for m in people if last_close <= m.start < after_end]
    if after:
        return after[0]
    prefix = text[sent_start:first_open]
    earlier = [m for m in people if m.start < sent_start]
    if earlier and (
        PRONOUN_START.search(prefix)
        or not prefix.strip()
        or re.search(r"\b(?:he|she)\s" + EN_SAID, tail, re.IGNORECASE)
    ):
        return earlier[-1]
    orgs = [m for m in speakers if sent_start <= m.start < first_open and m.label == "ORG"]
    if orgs:
        return orgs[0]
    return (
        earlier[-1]
        if earlier and sent - sentence_index_of(starts, earlier[-1].start) <= 2
        else None
    )


def _quote(text: str, start: int, end: int, speaker: Mention | None, starts: list[int]) -> Quote:
    """A Quote record for text[start:end]."""
    return Quote(
        start=start,
        end=end,
        text=text[start:end],
        speaker=speaker.canonical if speaker else None,
        speaker_entity_id=speaker.entity_id if speaker else None,
        speaker_role=speaker.role if speaker else None,
        sentence_index=sentence_index_of(starts, start),
    )
