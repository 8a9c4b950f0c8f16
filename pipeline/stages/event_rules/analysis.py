"""How the event rules read a sentence: sentences, argument groups (coordinated mentions and
the role their particle gives them), trigger predicates with voice and tense, clause breaks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.models import Mention

from ..entities.text import Tok, chunk_spans, kiwi_safe, sentence_starts
from .triggers import (
    ADVERBIAL_HEADS,
    ARGUMENT_LABELS,
    COORD_GAP,
    FUTURE_CUE,
    GROUP_TAIL,
    LIGHT_SUFFIXES,
    ORGANISER_AFTER,
    PARTICLE_ROLES,
    PASSIVE_VERBS,
    PLURAL_TAIL,
    QUOTATIVE_AFTER,
    TRIGGER_LEMMAS,
)

TAIL_TAGS = frozenset({"EP", "ETM", "EF", "EC", "ETN", "VX", "XSV"})
DOTTED_DATE_BEFORE = re.compile(r"\d{1,2}\.\s*$")
QUOTE_MARKS = re.compile(r"[‘’'“”\"「」『』]")
PAST_EP = frozenset({"었", "았", "였", "ㅆ"})


@dataclass(frozen=True)
class Group:
    """Coordinated argument mentions and the role their particle gives them."""

    mentions: tuple[Mention, ...]
    role: str | None
    start: int
    end: int  # after the particle
    organiser: bool = False


@dataclass(frozen=True)
class Predicate:
    """A trigger predicate: lemma, voice, tense and where it sits."""

    lemma: str
    start: int  # the trigger noun or verb
    end: int  # end of the verb tail (endings included)
    passive: bool
    relative: bool  # a modifier form (지정된, 공모한) whose head follows
    past: bool
    quotative: bool  # '…됐다고 밝혔다'


@dataclass(frozen=True)
class Sentence:
    """A sentence with its tokens, mentions and argument groups."""

    start: int
    end: int
    tokens: tuple[Tok, ...]
    mentions: tuple[Mention, ...]
    groups: tuple[Group, ...]


def base_tag(tok: Tok) -> str:
    """Kiwi tag without its irregular-conjugation suffix (VV-R -> VV)."""
    return tok.tag.split("-")[0]


def tokenize(text: str) -> list[Tok]:
    """Kiwi tokens of text with absolute offsets (chunked like the enrich stage)."""
    from pipeline.stages.enrich import get_kiwi

    kiwi = get_kiwi()
    out: list[Tok] = []
    for start, end in chunk_spans(text):
        try:
            toks = kiwi.tokenize(kiwi_safe(text[start:end]))
        except Exception:  # noqa: BLE001 - a chunk Kiwi rejects yields no events
            toks = []
        out.extend(Tok(t.form, t.tag, start + t.start, start + t.start + t.len) for t in toks)
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty sentence, whitespace trimmed.

    A break after a number and a dot followed by a digit is a date written with dots
    ('12. 8.(목)', '’20.5.11.'), not the end of a sentence."""
    starts = [s for s in sentence_starts(text)
              if not (DOTTED_DATE_BEFORE.search(text, max(0, s - 6), s) and text[s:s + 3].strip()[:1].isdigit())]
    spans = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunk = text[s:e]
        lead = len(chunk) - len(chunk.lstrip())
        s2, e2 = s + lead, s + len(chunk.rstrip())
        if e2 > s2:
            spans.append((s2, e2))
    return spans


def particle_role(text: str, pos: int) -> tuple[str | None, int]:
    """Role and end offset of the particle glued at pos (after an optional '등 5곳' tail)."""
    tail = GROUP_TAIL.match(text[pos:pos + 80])
    at = pos + tail.end() if tail else pos
    rest = text[at:at + 12]
    for pattern, role in PARTICLE_ROLES:
        m = pattern.match(rest)
        if m:
            return role, at + m.end()
    plural = PLURAL_TAIL.match(text[pos:pos + 30])
    if plural:
        return ("subj" if plural.group(1) in ("이", "가") else "topic"), pos + plural.end()
    return None, pos


def argument_groups(text: str, mentions: Sequence[Mention], limit: int) -> list[Group]:
    """Coordinated runs of ORG/LOCATION mentions with the role of their final particle."""
    args = [m for m in mentions if m.label in ARGUMENT_LABELS]
    args = [m for i, m in enumerate(args) if not (i and _paren_alias(text, args[i - 1], m))]
    args = _outside_head_parens(text, args)
    groups: list[Group] = []
    run: list[Mention] = []
    for i, m in enumerate(args):
        run.append(m)
        nxt = args[i + 1] if i + 1 < len(args) else None
        if nxt is not None and COORD_GAP.match(QUOTE_MARKS.sub("", text[m.end:nxt.start])) \
                and not _ends_with_role(text, m, nxt):
            continue
        role, end = particle_role(text, m.end)
        organiser = role == "subj" and bool(ORGANISER_AFTER.match(text[end:min(limit, end + 40)]))
        groups.append(Group(tuple(run), role, run[0].start, end, organiser))
        run = []
    return groups


def _outside_head_parens(text: str, args: list[Mention]) -> list[Mention]:
    """Arguments without those inside the parenthesis that follows a party.

    ``중소벤처기업부(장관 박영선, 이하 중기부)는``: the parenthesis gives the party's head and short
    name; the short name is the same party, not a second one that would break the coordination.
    """
    out: list[Mention] = []
    close = -1
    for m in args:
        if m.start < close:
            continue
        out.append(m)
        if text[m.end:m.end + 1] == "(":
            end = text.find(")", m.end, m.end + 80)
            close = end if end > 0 else close
    return out


def _ends_with_role(text: str, m: Mention, nxt: Mention) -> bool:
    """True when the gap is '와/과' of a partner rather than coordination ('A와 함께')."""
    return bool(re.match(r"^(?:와|과)\s?함께", text[m.end:nxt.start + 2]))


def _paren_alias(text: str, prev: Mention, m: Mention) -> bool:
    """True for '(GIST)' right after 광주과학기술원: the same party again."""
    return text[prev.end:m.start].strip() == "(" and (m.canonical == prev.canonical or m.label == prev.label)


def predicates(text: str, tokens: Sequence[Tok]) -> list[Predicate]:
    """Trigger predicates among tokens: trigger noun + 하/되/받, or a trigger verb."""
    out: list[Predicate] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.form not in TRIGGER_LEMMAS:
            continue  # both kinds of trigger below need the lemma
        tag = base_tag(tok)
        verb_at = None
        passive = False
        if tag in ("NNG", "NNP", "XR") and tok.form in TRIGGER_LEMMAS and i + 1 < n:
            nxt = tokens[i + 1]
            if nxt.start <= tok.end + 1 and nxt.form in LIGHT_SUFFIXES and base_tag(nxt) in ("XSV", "VV"):
                verb_at, passive = i + 1, nxt.form in PASSIVE_VERBS
            elif (i + 2 < n and base_tag(nxt) == "JKO" and tokens[i + 2].form == "받"
                  and base_tag(tokens[i + 2]) == "VV"):
                verb_at, passive = i + 2, True
            elif text[tok.end:tok.end + 1] == "(":
                verb_at = _verb_after_paren(text, tokens, i)
                passive = verb_at is not None and tokens[verb_at].form in PASSIVE_VERBS
        elif tag == "VV" and tok.form in TRIGGER_LEMMAS:
            verb_at, passive = i, tok.form in PASSIVE_VERBS
        if verb_at is None or _in_speech(text, tok.start, tokens[0].start if tokens else 0):
            continue
        out.append(_predicate(text, tokens, i, verb_at, passive))
    return out


def _verb_after_paren(text: str, tokens: Sequence[Tok], i: int) -> int | None:
    """'지정(제4호, 제5호)한다', '선정(’22.3월)되었다': the light verb after a short parenthesis."""
    close = text.find(")", tokens[i].end, tokens[i].end + 20)
    if close < 0 or "(" in text[tokens[i].end + 1:close]:
        return None
    for j in range(i + 1, min(len(tokens), i + 12)):
        tok = tokens[j]
        if tok.start > close + 1:
            return None
        if tok.start == close + 1:
            return j if tok.form in LIGHT_SUFFIXES and base_tag(tok) in ("XSV", "VV") else None
    return None


def _in_speech(text: str, pos: int, floor: int) -> bool:
    """True inside a direct quotation “…” (what someone said is not a reported event)."""
    before = text[floor:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def clause_breaks(tokens: Sequence[Tok]) -> list[int]:
    """Offsets where a connective ending closes a clause ('포함해 ', '연계하고, ')."""
    out = []
    for i, tok in enumerate(tokens[:-1]):
        if not tok.tag.startswith("EC"):
            continue  # cheap test first: most tokens are not connective endings
        if base_tag(tok) == "EC" and i and base_tag(tokens[i - 1]) in ("VV", "XSV", "VA", "VX", "EP", "VCP") \
                and (tokens[i + 1].start > tok.end or base_tag(tokens[i + 1]) == "SP") and tok.form not in ("게", "지", "도록", "고자", "기"):
            out.append(tok.end)
    return out


def _predicate(text: str, tokens: Sequence[Tok], at: int, verb_at: int, passive: bool) -> Predicate:
    """The Predicate of a trigger at tokens[at] whose verb is tokens[verb_at]."""
    j = verb_at + 1
    tail: list[Tok] = []
    end = tokens[verb_at].end
    while j < len(tokens) and base_tag(tokens[j]) in TAIL_TAGS and tokens[j].start <= end:
        tail.append(tokens[j])
        end = max(end, tokens[j].end)
        j += 1
    forms = [(t.form, base_tag(t)) for t in tail]
    relative = any(tag == "ETM" for _, tag in forms) and not _adverbial_head(tokens, j)
    after = text[end:end + 16]
    future = (any(tag == "ETM" and form == "ᆯ" for form, tag in forms) or bool(FUTURE_CUE.match(after))
              or bool(re.match(r"\s?(?:계획|예정|방침)", after)))
    if any(tag == "EP" and form in PAST_EP for form, tag in forms):
        past = True
    elif relative:
        past = not future and any(form == "ᆫ" for form, tag in forms if tag == "ETM")
    elif any(tag == "EF" for _, tag in forms):
        past = False
    else:
        past = not future and _later_past(tokens, j)
    quotative = bool(QUOTATIVE_AFTER.match(text[tokens[verb_at].start:end + 40]))
    return Predicate(tokens[at].form, tokens[at].start, end, passive, relative, past, quotative)


def _adverbial_head(tokens: Sequence[Tok], j: int) -> bool:
    """True when the modifier's head is a time/adverbial noun ('지정된 뒤', '선정된 이후')."""
    return j < len(tokens) and tokens[j].form in ADVERBIAL_HEADS


def _later_past(tokens: Sequence[Tok], j: int) -> bool:
    """True when the next finite verb of the sentence is in the past tense."""
    for tok in tokens[j:j + 40]:
        tag = base_tag(tok)
        if tag == "EP" and tok.form in PAST_EP:
            return True
        if tag in ("EF", "ETM") and tok.form == "ᆯ":
            return False
        if tag == "EF":
            return False
    return False
