"""ORG rules for companies the reference data does not list, named by their context or shape."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.reference import word_lists

from .gazetteer import Gazetteer
from .names import NAME_STOPWORDS, korean_name_shape
from .organizations import GENERIC_ORGS, INSTITUTION_SUFFIXES
from .places import AREA_WORDS
from .text import HANGUL, Candidate
from .words import Word

if TYPE_CHECKING:
    from .context import RuleContext

_WORDS = word_lists("organization_words")

# Words that introduce a company name: '스타트업 딥로직스가', '금형업체 대성몰드텍은'.
COMPANY_CUES = _WORDS["company_cue"]
# Morphemes that company names end in (리브테크, 가온소프트, 해담로보틱스): a shape, not a list of
# names. A word ending in one is a company only when the rest is not a plain dictionary word.
COMPANY_TAILS = _WORDS["company_tail"]
# Tails that also end everyday compounds (공공데이터, 신재생에너지, 통합시스템): after a plain
# dictionary word they do not make a company name.
WEAK_COMPANY_TAILS = frozenset(_WORDS["weak_company_tail"])
# Common modifiers that form everyday compounds with a weak tail (공공데이터, 신재생에너지,
# 통합시스템): such a word is not a company name even when Kiwi reads it as one proper noun.
COMMON_HEADS = frozenset(_WORDS["common_head"])
# Person words after a company name: 'X 관계자는', 'X 측은' name X as an organization.
STAFF_AFTER = _WORDS["staff_after"]
# '… 등 (입주) 기업 12곳': the words between 등 and the company word (at most this many).
LIST_GAP_WORDS = 3
# Predicates whose sentence-initial subject may be an unknown company: report and action verbs.
ACTION_LEMMAS = frozenset(_WORDS["action_lemma"])
NAME_RUN = re.compile(r"[가-힣A-Za-z0-9&]+")
NAME_SHAPE = re.compile(r"[가-힣A-Za-z][가-힣A-Za-z0-9&]*")
SENTENCE_MARKS = frozenset(".!?")
SENTENCE_CLOSERS = frozenset("”’\"')")


def company_cue_candidates(words: list[Word], gazetteer: Gazetteer) -> list[Candidate]:
    """Unknown companies named by their context.

    - after a company word, carried along a list: '기업 바로에너지, 소담솔루션과';
    - before '등 … 기업': '가온소프트, 미르센서 등 입주 기업 12곳';
    - before '관계자' or '측': '청운정밀 관계자는';
    - a company-shaped subject of a report or action verb: '리브테크는 … 밝혔다', also when
      coordinated ('청운정밀과 리브테크는') or after a place or a modifier ('유성구의 퀀텀웨이브는');
    - company-shaped objects named as companies: 'A와 B를 … 협력 기업으로 선정했다'.
    """
    found: dict[int, int] = {}  # word index -> end of the name
    for i in range(len(words) - 1):
        cue, word = words[i], words[i + 1]
        if cue.has_tail or not cue.core.endswith(COMPANY_CUES) or word.start != cue.end + 1:
            continue
        listed = _list_after(words, i + 1, gazetteer)
        if _looks_like_company(word, gazetteer, listed=bool(listed)):
            found[i + 1] = word.core_end
            for j in listed:
                found[j] = words[j].core_end
    for i in _listed_before_cue(words, gazetteer):
        found[i] = words[i].core_end
    for i in _staff_named(words, gazetteer):
        found[i] = words[i].core_end
    sentences = _sentences(words)
    for i, end in _company_arguments(words, sentences, gazetteer):
        found.setdefault(i, end)
    out = []
    for i, end in found.items():
        w = words[i]
        out.append(Candidate(w.start, end, "ORG", w.text[: end - w.start], priority=1))
    return out


def _list_tail(word: Word) -> str | None:
    """The list connector after a word's noun part: ',', '와'/'과' (None otherwise)."""
    tail = word.text[word.core_end - word.start :]
    return tail if tail in (",", "와", "과", "와,", "과,") else None


def _list_after(words: list[Word], i: int, gazetteer: Gazetteer) -> list[int]:
    """Indexes of the company-like words coordinated after words[i] ('A, B와', 'A 및 B')."""
    out: list[int] = []
    while i + 1 < len(words):
        nxt = i + 1
        if _list_tail(words[i]) is None:
            if words[i].has_tail or words[nxt].text != "및" or nxt + 1 >= len(words):
                break
            nxt += 1
        if not _looks_like_company(words[nxt], gazetteer, listed=True):
            break
        out.append(nxt)
        i = nxt
    return out


def _listed_before_cue(words: list[Word], gazetteer: Gazetteer) -> list[int]:
    """Indexes of the names listed before '등 (…) 기업/업체/스타트업' ('A, B, C 등 입주 기업')."""
    out: list[int] = []
    for k, word in enumerate(words):
        if word.text != "등" or k == 0:
            continue
        cue_at = next(
            (j for j in range(k + 1, min(k + 2 + LIST_GAP_WORDS, len(words)))
             if words[j].core.removesuffix("들").endswith(COMPANY_CUES)),
            None,
        )
        if cue_at is None or any(w.has_tail for w in words[k + 1 : cue_at]):
            continue
        after = words[cue_at + 1].text if cue_at + 1 < len(words) else ""
        if not (words[cue_at].has_tail or re.match(r"^(?:[\d,]+|[한두세네다섯여러]+)\s?(?:곳|개|개사|社)?", after)):
            continue  # '등 기업 대표들': the listed names are people, not companies
        i = k - 1
        if words[i].has_tail or not _looks_like_company(words[i], gazetteer, listed=True):
            continue
        out.append(i)
        while i > 0 and _list_tail(words[i - 1]) is not None and _looks_like_company(
            words[i - 1], gazetteer, listed=True
        ):
            i -= 1
            out.append(i)
    return out


def _staff_named(words: list[Word], gazetteer: Gazetteer) -> list[int]:
    """Indexes of company names right before '관계자' or '측' ('청운정밀 관계자는')."""
    out: list[int] = []
    for i in range(len(words) - 1):
        word, nxt = words[i], words[i + 1]
        if word.has_tail or nxt.core not in STAFF_AFTER or nxt.start != word.end + 1:
            continue
        if company_shaped(word, gazetteer):
            out.append(i)
    return out


def _company_arguments(
    words: list[Word], sentences: list[tuple[int, int]], gazetteer: Gazetteer
) -> list[tuple[int, int]]:
    """(index, name end) of company-shaped subjects and objects, sentence by sentence."""
    out: list[tuple[int, int]] = []
    for first, last in sentences:
        out += _company_subjects(words, first, last, gazetteer)
        out += _company_objects(words, first, last, gazetteer)
    return out


def _company_subjects(
    words: list[Word], first: int, last: int, gazetteer: Gazetteer
) -> list[tuple[int, int]]:
    """Company-shaped subjects (은/는/이/가) of a report or action verb in words[first:last]."""
    if not any(_action_word(w) for w in words[first:last]):
        return []
    i = first
    # '대전 유성구의 X는', '충북 오송에 자리한 X는': a place phrase or a modifier before X.
    while i < min(last - 1, first + 4) and _lead_in(words[i], gazetteer):
        i += 1
    group = [i]
    while group[-1] + 1 < last and _list_tail(words[group[-1]]) is not None:
        group.append(group[-1] + 1)
    end = _name_end(words[group[-1]], ("은", "는", "이", "가"))
    return [] if end is None else _shaped_members(words, group, group[-1], end, gazetteer)


def _company_objects(
    words: list[Word], first: int, last: int, gazetteer: Gazetteer
) -> list[tuple[int, int]]:
    """Company-shaped objects in words[first:last] named as companies a few words later."""
    out: list[tuple[int, int]] = []
    for k in range(first, last):
        if not words[k].text.endswith(("을", "를")):
            continue  # _name_end needs the word to end in the particle
        end = _name_end(words[k], ("을", "를"))
        if end is None:
            continue
        ahead = words[k + 1 : min(last, k + 6)]
        if not any(w.core.endswith(COMPANY_CUES) and w.text[len(w.core) :] in ("으로", "로")
                   for w in ahead):
            continue
        group = [k]
        while group[0] > first and _list_tail(words[group[0] - 1]) is not None:
            group.insert(0, group[0] - 1)
        out += _shaped_members(words, group, k, end, gazetteer)
    return out


def _shaped_members(
    words: list[Word], group: list[int], named: int, end: int, gazetteer: Gazetteer
) -> list[tuple[int, int]]:
    """(index, name end) of the company-shaped words of a coordinated group; the name of
    words[named] ends at end (before its particle), the others' at their noun part's end."""
    out: list[tuple[int, int]] = []
    for j in group:
        e = end if j == named else words[j].core_end
        if company_shaped(words[j], gazetteer, e):
            out.append((j, e))
    return out


def _sentences(words: list[Word]) -> list[tuple[int, int]]:
    """(first, last) word index ranges of the sentences (a word ending in . ! ? closes one)."""
    out: list[tuple[int, int]] = []
    first = 0
    for i, word in enumerate(words):
        if _closes_sentence(word.text) or i == len(words) - 1:
            out.append((first, i + 1))
            first = i + 1
    return out


def _closes_sentence(text: str) -> bool:
    """True for a word ending in . ! or ?, maybe then a closing quote or bracket."""
    last = text[-1:]
    if last in SENTENCE_CLOSERS:
        last = text[-2:-1]
    return last != "" and last in SENTENCE_MARKS


def _name_end(word: Word, particles: tuple[str, ...]) -> int | None:
    """End of the name in a word that ends in one of particles (Kiwi may split the name oddly)."""
    if not word.text.endswith(particles):
        return None  # the name run must reach the word's end, so the word ends in the particle
    m = NAME_RUN.match(word.text)
    if m is None:
        return None
    run = m.group(0)
    if m.end() != len(word.text):
        return None
    for particle in particles:
        if run.endswith(particle) and len(run) > len(particle) + 1:
            last = next((t for t in word.tokens if t.end == word.end), None)
            if last is not None and last.form == particle and last.tag.startswith("J"):
                return word.start + len(run) - len(particle)
    return None


def _lead_in(word: Word, gazetteer: Gazetteer) -> bool:
    """A word before a subject: a known place ('대전'), a place with 의/에, a modifier ('자리한')."""
    tail = word.text[word.core_end - word.start :]
    entry = gazetteer.lookup(word.core)
    if not word.has_tail:
        return entry is not None and entry.label == "LOCATION"
    if tail in ("의", "에"):
        return entry is not None and entry.label == "LOCATION"
    return bool(word.tokens) and word.tokens[-1].tag == "ETM" and len(word.text) <= 4


def _action_word(word: Word) -> bool:
    """True when the word holds a report or action verb (밝혔다, 유치했다, 선정됐다)."""
    toks = word.tokens
    for k, tok in enumerate(toks):
        if tok.form not in ACTION_LEMMAS:
            continue  # both tests below need the lemma
        tag = tok.tag.split("-")[0]
        if tag == "VV" and tok.form in ACTION_LEMMAS:
            return True
        if (tag in ("NNG", "NNP") and tok.form in ACTION_LEMMAS and k + 1 < len(toks)
                and (toks[k + 1].tag.startswith("XSV") or toks[k + 1].form in ("하", "되"))):
            return True
    return False


def company_tail(core: str) -> str | None:
    """The company-name morpheme core ends in, when a name part precedes it."""
    return next((t for t in COMPANY_TAILS if core.endswith(t) and len(core) >= len(t) + 1
                 and (len(core) >= len(t) + 2 or t not in WEAK_COMPANY_TAILS)), None)


def company_shaped(word: Word, gazetteer: Gazetteer, end: int | None = None) -> bool:
    """A word whose name part (up to end) looks like an unknown company (stricter than a cue).

    One proper-noun token (빛누리), or a company morpheme (리브테크, 청운정밀); a weak one
    (데이터, 시스템) only after something that is not a plain dictionary word (다솜 + 모빌리티, not
    공공 + 데이터).
    """
    end = word.core_end if end is None else end
    core = word.text[: end - word.start]
    if len(core) < 3 or core in NAME_STOPWORDS or core in GENERIC_ORGS or core in AREA_WORDS:
        return False
    if not NAME_SHAPE.fullmatch(core) or gazetteer.lookup(core):
        return False
    if core.endswith((*INSTITUTION_SUFFIXES, "곳", "개", "개사")):
        return False
    inner = [t for t in word.tokens if t.start < end]
    if not inner:
        return False
    tail = company_tail(core)
    if tail in WEAK_COMPANY_TAILS and (core[: -len(tail)] in COMMON_HEADS
                                       or core[1 : -len(tail)] in COMMON_HEADS):
        return False  # 공공데이터, 신재생에너지: an everyday compound, not a company
    if len(inner) == 1 and inner[0].end >= end:
        if inner[0].tag == "NNP":
            return tail is not None or not (len(core) == 3 and korean_name_shape(core))
        return tail is not None
    if tail is None:
        return all(t.tag in ("NNP", "SL") for t in inner)
    if tail not in WEAK_COMPANY_TAILS:
        return True
    cut = end - len(tail)
    head = [t for t in inner if t.end <= cut]
    plain = bool(head) and head[-1].end == cut and all(t.tag == "NNG" for t in head)
    return not plain


def affiliation_candidates(
    text: str, words: list[Word], people: list[Candidate], gazetteer: Gazetteer
) -> list[Candidate]:
    """Unknown organizations named beside a person: 'X의 최민호 대표', '정가람 X 대표'."""
    out: list[Candidate] = []
    index = {w.start: i for i, w in enumerate(words)}
    for person in people:
        i = index.get(person.start)
        if i is None or person.role is None:
            continue
        before = words[i - 1] if i > 0 else None
        if (
            before is not None
            and before.text[len(before.core) :].startswith("의")
            and _looks_like_company(before, gazetteer)
        ):
            out.append(Candidate(before.start, before.core_end, "ORG", before.core, priority=1))
        after = words[i + 1] if i + 1 < len(words) else None
        if (
            after is not None
            and not after.has_tail
            and not words[i].has_tail
            and _looks_like_company(after, gazetteer)
            and i + 2 < len(words)
            and words[i + 2].core.endswith(person.role)
        ):
            out.append(Candidate(after.start, after.core_end, "ORG", after.core, priority=1))
    return out


def _looks_like_company(word: Word, gazetteer: Gazetteer, listed: bool = False) -> bool:
    """An unknown proper-looking name (not a common word, not a known entity).

    listed: the word is one of a list of companies ('기업 인피온, 에이치투랩과'), where a name
    shaped like a person's (surname + two syllables) is still a company.
    """
    core = word.core
    if len(core) < 2 or core in NAME_STOPWORDS or gazetteer.lookup(core) is not None:
        return False
    if not NAME_SHAPE.fullmatch(core) or core.endswith(("곳", "개", "개사")):
        return False  # '기업 300곳' counts companies, it does not name one
    inner = [t for t in word.tokens if t.start < word.core_end]
    if inner and all(t.tag in ("NNG", "XSN") for t in inner) and len(core) <= 3:
        return False  # a plain dictionary word (기업 대부분, 업체 관계자)
    if listed or (company_tail(core) is not None and company_tail(core) not in WEAK_COMPANY_TAILS):
        return True
    return not (
        HANGUL.match(core)
        and len(core) == 3
        and korean_name_shape(core)
        and inner
        and inner[0].tag != "NNG"
    )


def find_companies(ctx: RuleContext) -> list[Candidate]:
    """Rule: unknown companies named by their context (기업 바로에너지, 청운정밀 관계자)."""
    return company_cue_candidates(ctx.words, ctx.gazetteer)


def find_affiliations(ctx: RuleContext) -> list[Candidate]:
    """Rule: unknown organizations beside the people found so far ('X의 최민호 대표')."""
    return affiliation_candidates(ctx.text, ctx.words, ctx.found_as("PERSON"), ctx.gazetteer)
