"""Rules for Korean names that the reference data does not list: people, organizations, places."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gazetteer import Gazetteer
from .text import HANGUL, PARTICLES, Candidate, Tok, collapse, strip_particle

from pipeline.reference import word_lists

_WORDS_LAW_WORDS = word_lists("law_words")
_WORDS_ORGANIZATION_WORDS = word_lists("organization_words")
_WORDS_PERSON_NAMES = word_lists("person_names")
_WORDS_PLACE_WORDS = word_lists("place_words")
_WORDS_TITLE_WORDS = word_lists("title_words")

SURNAMES = frozenset(_WORDS_PERSON_NAMES["surname"])
DOUBLE_SURNAMES = frozenset(_WORDS_PERSON_NAMES["double_surname"])
# Four-syllable words that start like a double surname but name a place or a thing (서문시장).
DOUBLE_SURNAME_FALSE = _WORDS_PERSON_NAMES["double_surname_false"]
# Words that look like names (surname + 1–3 syllables) but are common words in news text.
NAME_STOPWORDS = frozenset(_WORDS_PERSON_NAMES["name_stopword"])
ORG_SUFFIXES = _WORDS_ORGANIZATION_WORDS["org_suffix"]
# Suffixes strong enough to make an ORG from common nouns alone (중소벤처기업부, 고용노동부).
STRONG_SUFFIXES = frozenset(_WORDS_ORGANIZATION_WORDS["strong_suffix"])
# Compounds that end like an organization but name a thing or a group of people.
GENERIC_ORGS = frozenset(_WORDS_ORGANIZATION_WORDS["generic_org"])
# A place glued to an office title (수원시장, 경기지사, 강남구청장) is a LOCATION plus a title.
PLACE_TITLES = _WORDS_PLACE_WORDS["place_title"]
ORG_NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "SN", "XSN"})
CORE_TAGS = ORG_NOUN_TAGS | {"XPN", "NR"}
# Kiwi misreads rare names as adverbs or determiners (임/NNP 채/MAG 원/NNG): then the word is
# cut at its particle by spelling instead.
MISREAD_TAGS = frozenset({"MAG", "MM", "MAJ", "IC", "VV", "VA", "XR"})
# Common words that end in a title (주차장 ends in 차장): never a title.
TITLE_FALSE = _WORDS_TITLE_WORDS["not_title"]
NAME_TAIL_STOP = frozenset(_WORDS_PERSON_NAMES["name_tail_stop"])
LEAD_PUNCT = "(“‘\"'[<「『·"
PLACE_SUFFIXES = _WORDS_PLACE_WORDS["place_suffix"]
FINE_PLACE_SUFFIXES = _WORDS_PLACE_WORDS["fine_place_suffix"]
COARSE_PLACE_SUFFIXES = PLACE_SUFFIXES[4:]  # what an unknown place name may end in
ROAD_NUMBER = re.compile(r"\d+(?:-\d+)?(?:번길)?")
ANON_SSI = re.compile(
    r"(?<![A-Za-z0-9])([A-Z])(?:\s?\(\d{1,3}\))?\s?씨(?![가-힣])|(?<![A-Za-z0-9])([A-Z])(?:\s?\(\d{1,3}\))?\s?씨(?=[는가의를와에도께])"
)
MO_SSI = re.compile(r"(?<![가-힣])([가-힣]모)(?:\s?\(\d{1,3}\))?\s?씨")
WORD = re.compile(r"\S+")
CORE_RUN = re.compile(r"[가-힣A-Za-z0-9·]+")  # a word's noun part when its tokens do not tell
NAME_RUN = re.compile(r"[가-힣A-Za-z0-9&]+")
SENTENCE_MARKS = frozenset(".!?")
SENTENCE_CLOSERS = frozenset("”’\"')")
NAME_SHAPE = re.compile(r"[가-힣A-Za-z][가-힣A-Za-z0-9&]*")
ZONE_CORE = re.compile(r"[가-힣0-9·]+")
# The company name next to (주) is the span; the legal-form mark stays outside it.
# Bounded and anchored at a word start: an unbounded run before "(주)" backtracks quadratically.
CORP_MARK = re.compile(
    r"(?:\(주\)|㈜)\s?([가-힣A-Za-z0-9&]{1,30})|(?<![가-힣A-Za-z0-9&])([가-힣A-Za-z0-9&]{2,30})\(주\)"
)
# Words that introduce a company name: '스타트업 딥로직스가', '금형업체 대성몰드텍은'.
COMPANY_CUES = _WORDS_ORGANIZATION_WORDS["company_cue"]
# Morphemes that company names end in (리브테크, 가온소프트, 해담로보틱스): a shape, not a list of
# names. A word ending in one is a company only when the rest is not a plain dictionary word.
COMPANY_TAILS = _WORDS_ORGANIZATION_WORDS["company_tail"]
# Tails that also end everyday compounds (공공데이터, 신재생에너지, 통합시스템): after a plain
# dictionary word they do not make a company name.
WEAK_COMPANY_TAILS = frozenset(_WORDS_ORGANIZATION_WORDS["weak_company_tail"])
# Common modifiers that form everyday compounds with a weak tail (공공데이터, 신재생에너지,
# 통합시스템): such a word is not a company name even when Kiwi reads it as one proper noun.
COMMON_HEADS = frozenset(_WORDS_ORGANIZATION_WORDS["common_head"])
# Person words after a company name: 'X 관계자는', 'X 측은' name X as an organization.
STAFF_AFTER = _WORDS_ORGANIZATION_WORDS["staff_after"]
# '… 등 (입주) 기업 12곳': the words between 등 and the company word (at most this many).
LIST_GAP_WORDS = 3
# Predicates whose sentence-initial subject may be an unknown company: report and action verbs.
ACTION_LEMMAS = frozenset(_WORDS_ORGANIZATION_WORDS["action_lemma"])
# C-level titles spelled out in Korean: 최고기술책임자, 최고재무책임자.
C_LEVEL_TITLE = re.compile(r"최고[가-힣]{1,6}책임자$")
SUBUNIT_SUFFIXES = _WORDS_ORGANIZATION_WORDS["subunit_suffix"]
ZONE_SUFFIXES = _WORDS_PLACE_WORDS["zone_suffix"]
# Regions named by a zone word (수도권 = the capital area); closed list, not a suffix rule.
AREA_WORDS = frozenset(_WORDS_PLACE_WORDS["area_word"])


@dataclass(slots=True, init=False)
class Word:
    """A whitespace-delimited word (eojeol) with its tokens and its noun part; read-only.

    Slotted and not frozen: the rules build ~600 words per article and read them thousands of
    times, and a frozen dataclass is twice as slow to build (object.__setattr__ per field).
    """

    start: int
    end: int
    text: str
    tokens: tuple[Tok, ...]
    core_end: int  # end of the leading noun part (particles and punctuation excluded)
    # Derived from the fields above once, not at every use.
    core: str = field(repr=False, compare=False)  # the noun part of the word
    has_tail: bool = field(repr=False, compare=False)  # a particle or punctuation follows it

    def __init__(self, start: int, end: int, text: str, tokens: tuple[Tok, ...], core_end: int):
        self.start = start
        self.end = end
        self.text = text
        self.tokens = tokens
        self.core_end = core_end
        self.core = text[: core_end - start]
        self.has_tail = core_end < end


def split_words(text: str, tokens: list[Tok]) -> list[Word]:
    """Words of text (leading brackets and quote marks cut off) with tokens and noun parts."""
    words: list[Word] = []
    # Plain int lists: the two scans below read every token's offsets.
    tok_starts = [t.start for t in tokens]
    tok_ends = [t.end for t in tokens]
    n = len(tokens)
    ti = 0
    for m in WORD.finditer(text):
        start, end = m.span()
        while start < end - 1 and text[start] in LEAD_PUNCT:
            start += 1
        while ti < n and tok_ends[ti] <= start:
            ti += 1
        tj = ti
        while tj < n and tok_starts[tj] < end:
            tj += 1
        toks = tuple(tokens[ti:tj])
        words.append(Word(start, end, text[start:end], toks, _core_end(start, end, text, toks)))
        ti = tj
    return words


def _core_end(start: int, end: int, text: str, toks: tuple[Tok, ...]) -> int:
    """End of the leading run of noun tokens of a word, or of its Hangul/Latin prefix."""
    if toks and toks[0].start <= start:
        for t in toks[1:]:
            if t.tag in MISREAD_TAGS:
                break
        else:
            core = start
            for t in toks:
                if t.tag in CORE_TAGS or t.tag == "NNB" and t.form in ("내", "외"):
                    if t.start > core + 1:
                        break
                    core = max(core, t.end)
                else:
                    break
            if core > start:
                return min(core, end)
    m = CORE_RUN.match(text, start, end)
    return start + (len(strip_particle(m.group(0))) if m else 0)


class TitleIndex:
    """Job titles (원장, 장관, 도지사) found as a word or at the end of a word."""

    def __init__(self, titles: set[str]):
        self.titles = sorted(titles, key=len, reverse=True)
        # The longest title that ends a word: one set lookup per title length, longest first.
        self._by_length = [
            (n, frozenset(t for t in self.titles if len(t) == n))
            for n in sorted({len(t) for t in self.titles}, reverse=True)
        ]
        self._seen: dict[str, str | None] = {}  # core -> suffix: the same words recur

    def suffix(self, core: str) -> str | None:
        """The longest title that ends core, if any."""
        if core in self._seen:
            return self._seen[core]
        found = self._suffix(core)
        if len(self._seen) < 100_000:  # bounded, in a long-lived worker
            self._seen[core] = found
        return found

    def _suffix(self, core: str) -> str | None:
        """suffix() without the memo."""
        if core.endswith(TITLE_FALSE):
            return None
        c_level = C_LEVEL_TITLE.search(core)
        if c_level is not None:
            return c_level.group(0)
        for n, titles in self._by_length:
            if len(core) >= n and core[-n:] in titles:
                return core[-n:]
        return None


def is_name_like(word: Word, gazetteer: Gazetteer, surname_only: bool = False) -> bool:
    """True when the noun part of word looks like a Korean personal name."""
    core = word.core
    core = core.removesuffix("씨")
    # Cheap tests first: the lengths and first syllables that the shape tests below accept.
    if not (len(core) == 1 if surname_only else 2 <= len(core) <= 4):
        return False
    if not surname_only and core[:1] not in SURNAMES and core[:2] not in DOUBLE_SURNAMES:
        return False
    if not HANGUL.match(core) or core in NAME_STOPWORDS or core in NAME_TAIL_STOP:
        return False
    if surname_only:
        return len(core) == 1 and core in SURNAMES
    if not korean_name_shape(core) or gazetteer.lookup(core) is not None:
        return False
    if core.endswith(ORG_SUFFIXES) and len(core) > 3:
        return False
    if len(core) >= 4 and _company_tail(core) is not None:
        return False  # 하람테크 starts with a surname but ends like a company
    if len(core) == 3:
        return True  # the usual shape; Kiwi's tags for rare names are unreliable (임/채/원)
    if len(core) == 4 and core[:2] in DOUBLE_SURNAMES and not core.endswith(DOUBLE_SURNAME_FALSE):
        return True  # 남궁하윤: Kiwi may read a rare four-syllable name as a common noun
    first = word.tokens[0] if word.tokens else None
    # Two-syllable names collide with common words: trust Kiwi's proper-noun tag only.
    return first is not None and first.tag == "NNP" and first.end >= word.core_end


def korean_name_shape(core: str) -> bool:
    """Surname first, 2–4 syllables (double surnames allowed)."""
    if core[:2] in DOUBLE_SURNAMES:
        return 3 <= len(core) <= 4
    return (
        core[:1] in SURNAMES
        and 2 <= len(core) <= 4
        and not (len(core) == 4 and core[1:] in NAME_STOPWORDS)
    )


def foreign_name_candidates(
    text: str,
    words: list[Word],
    titles: TitleIndex,
    gazetteer: Gazetteer,
    org_at: dict[int, Candidate],
) -> list[Candidate]:
    """Two-word transliterated names cued by a title: '마크 헨더슨 미국 국무장관은'."""
    out: list[Candidate] = []
    part: dict[int, bool] = {}  # word index -> _foreign_part (a word is w2, then w1)

    def foreign(k: int) -> bool:
        if k not in part:
            part[k] = _foreign_part(words[k], gazetteer)
        return part[k]

    for i in range(len(words) - 1):
        w1, w2 = words[i], words[i + 1]
        if w1.has_tail or w2.start != w1.end + 1:
            continue
        if not (foreign(i) and foreign(i + 1)):
            continue
        inner = [t for w in (w1, w2) for t in w.tokens if t.start < w.core_end]
        if not inner or any(t.tag != "NNP" for t in inner):
            continue  # Kiwi tags transliterated names NNP; common words are NNG
        cue = _title_after(text, words, i + 1, titles, org_at) or _title_before(
            words, i, titles, org_at
        )
        if cue is not None:
            end = w2.core_end
            out.append(
                Candidate(
                    w1.start,
                    end,
                    "PERSON",
                    text[w1.start : end],
                    priority=4,
                    role=cue[0],
                    affiliation=cue[1],
                )
            )
    return out


def _foreign_part(word: Word, gazetteer: Gazetteer) -> bool:
    """A Hangul word that could be one part of a transliterated foreign name."""
    core = word.core
    return (
        2 <= len(core) <= 5
        and HANGUL.match(core) is not None
        and core not in NAME_STOPWORDS
        and not (len(core) == 3 and korean_name_shape(core))
        and not (core[:2] in DOUBLE_SURNAMES and korean_name_shape(core))
        and gazetteer.lookup(core) is None
        and not core.endswith(ORG_SUFFIXES)
    )


def name_core(word: Word) -> tuple[int, int]:
    """Offsets of the name in a word, without 씨 or particles."""
    end = word.core_end
    if word.text[: end - word.start].endswith("씨") and end - word.start > 2:
        end -= 1
    return word.start, end


def person_candidates(
    text: str, words: list[Word], titles: TitleIndex, gazetteer: Gazetteer, orgs: list[Candidate]
) -> list[Candidate]:
    """PERSON mentions cued by a title, 씨 or 모 씨, plus anonymized A씨 forms."""
    out: list[Candidate] = []
    org_at = {c.start: c for c in orgs}
    for i, word in enumerate(words):
        if not is_name_like(word, gazetteer):
            continue
        start, end = name_core(word)
        cand = _title_after(text, words, i, titles, org_at) or _title_before(
            words, i, titles, org_at
        )
        if cand is None and _ssi_follows(text, word, words, i):
            cand = (None, None)
        if cand is not None:
            role, affiliation = cand
            out.append(
                Candidate(
                    start,
                    end,
                    "PERSON",
                    text[start:end],
                    priority=4,
                    role=role,
                    affiliation=affiliation,
                )
            )
    for m in MO_SSI.finditer(text):
        out.append(Candidate(m.start(1), m.end(1), "PERSON", m.group(1), priority=4))
    for m in ANON_SSI.finditer(text):
        g = 1 if m.group(1) else 2
        out.append(Candidate(m.start(g), m.end(g), "PERSON", m.group(g), priority=4))
    return out


def _ssi_follows(text: str, word: Word, words: list[Word], i: int) -> bool:
    """True for '김하늘 씨' or '김하늘씨는'."""
    if word.core.endswith("씨") and len(word.core) >= 3:
        return True
    if word.has_tail or i + 1 >= len(words):
        return False
    nxt = words[i + 1].text
    return nxt == "씨" or (nxt.startswith("씨") and nxt[1:] in PARTICLES) or nxt.startswith("씨,")


def _title_after(
    text: str, words: list[Word], i: int, titles: TitleIndex, org_at: dict[int, Candidate]
) -> tuple[str, str | None] | None:
    """(role, affiliation) when a title follows the name within a few particle-free words."""
    if words[i].has_tail:
        return None
    affiliation: str | None = None
    for j in range(i + 1, min(i + 5, len(words))):
        word = words[j]
        if word.start > words[j - 1].end + 1 and "\n" in text[words[j - 1].end : word.start]:
            return None
        org = org_at.get(word.start)
        if org is not None and org.label in ("ORG", "LOCATION") and affiliation is None:
            affiliation = org.canonical
        title = titles.suffix(word.core)
        if title is not None and (word.core == title or len(word.core) > len(title)):
            return title, affiliation
        if word.has_tail or word.core_end == word.start:
            return None
    return None


def _title_before(
    words: list[Word], i: int, titles: TitleIndex, org_at: dict[int, Candidate]
) -> tuple[str, str | None] | None:
    """(role, affiliation) for '원장 정진수' or '경기테크노파크 정진수 원장' orders."""
    if i == 0:
        return None
    prev = words[i - 1]
    if prev.has_tail or prev.end + 1 != words[i].start:
        return None
    title = titles.suffix(prev.core)
    if title is None:
        return None
    affiliation = None
    org = org_at.get(prev.start)
    if org is not None:
        affiliation = org.canonical
    elif i >= 2 and not words[i - 2].has_tail and words[i - 2].start in org_at:
        affiliation = org_at[words[i - 2].start].canonical
    return title, affiliation


def short_person_candidates(text: str, words: list[Word], titles: TitleIndex) -> list[Candidate]:
    """'김 장관은' / '정 원장은': a surname alone followed by a title (linked later)."""
    out: list[Candidate] = []
    for i, word in enumerate(words[:-1]):
        core = word.core
        if word.has_tail or len(core) != 1 or core not in SURNAMES or word.end - word.start != 1:
            continue
        nxt = words[i + 1]
        title = titles.suffix(nxt.core)
        # '홍재석 전 차관': 전 after a name means "former", not a surname.
        after_name = i > 0 and not words[i - 1].has_tail and korean_name_shape(words[i - 1].core)
        if title is not None and nxt.core == title and not after_name:
            out.append(
                Candidate(
                    word.start,
                    word.end,
                    "PERSON",
                    core,
                    priority=4,
                    role=title,
                    extra={"short": True},
                )
            )
    return out


def first_suffix(word: str, suffixes: tuple[str, ...]) -> str | None:
    """The first of suffixes that word ends with; one C-level test rejects most words."""
    if not word.endswith(suffixes):
        return None
    return next(s for s in suffixes if word.endswith(s))


def org_candidates(text: str, tokens: list[Tok], gazetteer: Gazetteer) -> list[Candidate]:
    """Unknown organizations: noun compounds ending in an organization suffix, (주) forms."""
    out: list[Candidate] = []
    for start, end, toks in noun_compounds(tokens):
        surface = text[start:end]
        suffix = first_suffix(surface, ORG_SUFFIXES)
        if suffix is None or surface in GENERIC_ORGS or len(surface) <= len(suffix):
            continue
        if surface.endswith(SUBUNIT_SUFFIXES) or surface.endswith(ZONE_SUFFIXES[:10]):
            continue
        # Strip a leading generic word glued to the name (e.g. 국내 삼성전자 is two words anyway).
        has_proper = any(t.tag in ("NNP", "SL", "SH") for t in toks)
        if not has_proper and not (suffix in STRONG_SUFFIXES and len(surface) >= 5):
            continue
        if has_proper and len(surface) < 3:
            continue
        if gazetteer.lookup(surface) is not None:
            continue  # the reference matcher already links it
        out.append(Candidate(start, end, "ORG", collapse(surface), priority=1))
    for m in CORP_MARK.finditer(text):
        g = 1 if m.group(1) else 2
        name = strip_particle(m.group(g)) if g == 1 else m.group(g)
        start = m.start(g)
        out.append(Candidate(start, start + len(name), "ORG", name, priority=3))
    return out


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
    for i, end in (_company_subjects(words, sentences, gazetteer)
                   + _company_objects(words, sentences, gazetteer)):
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


def _company_subjects(
    words: list[Word], sentences: list[tuple[int, int]], gazetteer: Gazetteer
) -> list[tuple[int, int]]:
    """(index, name end) of company-shaped subjects (은/는/이/가) of a report or action verb."""
    out: list[tuple[int, int]] = []
    for first, last in sentences:
        if not any(_action_word(w) for w in words[first:last]):
            continue
        i = first
        # '대전 유성구의 X는', '충북 오송에 자리한 X는': a place phrase or a modifier before X.
        while i < min(last - 1, first + 4) and _lead_in(words[i], gazetteer):
            i += 1
        group = [i]
        while group[-1] + 1 < last and _list_tail(words[group[-1]]) is not None:
            group.append(group[-1] + 1)
        end = _name_end(words[group[-1]], ("은", "는", "이", "가"))
        if end is None:
            continue
        for j in group:
            e = end if j == group[-1] else words[j].core_end
            if company_shaped(words[j], gazetteer, e):
                out.append((j, e))
    return out


def _company_objects(
    words: list[Word], sentences: list[tuple[int, int]], gazetteer: Gazetteer
) -> list[tuple[int, int]]:
    """(index, name end) of company-shaped objects named as companies a few words later."""
    out: list[tuple[int, int]] = []
    for first, last in sentences:
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
            for j in group:
                e = end if j == k else words[j].core_end
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


def _company_tail(core: str) -> str | None:
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
    if core.endswith((*ORG_SUFFIXES[:12], "곳", "개", "개사")):
        return False
    inner = [t for t in word.tokens if t.start < end]
    if not inner:
        return False
    tail = _company_tail(core)
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
    if listed or (_company_tail(core) is not None and _company_tail(core) not in WEAK_COMPANY_TAILS):
        return True
    return not (
        HANGUL.match(core)
        and len(core) == 3
        and korean_name_shape(core)
        and inner
        and inner[0].tag != "NNG"
    )


_LAST_COMPOUNDS: list = [None, None]  # tokens, runs: the law and org rules read the same runs


def noun_compounds(tokens: list[Tok]) -> list[tuple[int, int, list[Tok]]]:
    """Maximal runs of adjacent noun tokens (no space between them); callers only read them."""
    if _LAST_COMPOUNDS[0] is tokens:
        return _LAST_COMPOUNDS[1]
    runs: list[tuple[int, int, list[Tok]]] = []
    current: list[Tok] = []
    end = -1  # end of the run's last token
    for t in tokens:
        if t.tag in ORG_NOUN_TAGS:
            if current and end == t.start:
                current.append(t)
            else:
                if current:
                    runs.append((current[0].start, end, current))
                current = [t]
            end = t.end
        elif current:
            runs.append((current[0].start, end, current))
            current = []
    if current:
        runs.append((current[0].start, end, current))
    _LAST_COMPOUNDS[:] = [tokens, runs]
    return runs


def place_candidates(text: str, words: list[Word], gazetteer: Gazetteer) -> list[Candidate]:
    """Address chains (경기 성남시 분당구) as one LOCATION; unknown NNP places (판교동)."""
    out: list[Candidate] = []
    i = 0
    n = len(words)
    while i < n:
        part = _place_part(words[i], gazetteer)
        if part is None:
            i += 1  # most words: no chain starts here
            continue
        chain: list[tuple[Word, str, bool]] = [(words[i], *part)]
        after_known = part[1]  # a known place is in the chain
        j = i + 1
        # The chain goes on through adjacent words until one has a particle or punctuation.
        while j < n and not words[j - 1].has_tail and words[j].start == words[j - 1].end + 1:
            part = _place_part(words[j], gazetteer, after_known=after_known)
            if part is None:
                break
            chain.append((words[j], *part))
            after_known = after_known or part[1]
            j += 1
        if len(chain) >= 2 and any(known for _, _, known in chain):
            first, last = chain[0][0], chain[-1][0]
            canonical = text[first.start : last.core_end]
            out.append(
                Candidate(
                    first.start,
                    last.core_end,
                    "LOCATION",
                    canonical,
                    known=all(k for _, _, k in chain),
                    priority=2,
                )
            )
            i = j
            continue
        if len(chain) == 1 and not chain[0][2]:
            word = chain[0][0]
            toks = word.tokens
            if (
                len(toks) >= 1
                and toks[0].tag == "NNP"
                and toks[0].end == word.core_end
                and word.core.endswith(FINE_PLACE_SUFFIXES)
                and 3 <= len(word.core) <= 5
            ):
                out.append(Candidate(word.start, word.core_end, "LOCATION", word.core, priority=0))
        i = j
    return out


def zone_candidates(words: list[Word], gazetteer: Gazetteer) -> list[Candidate]:
    """Named zones and areas: 남동국가산업단지, 부산항, 판교역, 수도권."""
    out: list[Candidate] = []
    for word in words:
        core = word.core
        # _is_zone needs a zone suffix: test that here first (one C-level test per word).
        if core in AREA_WORDS or (core.endswith(ZONE_SUFFIXES) and _is_zone(word, gazetteer)):
            out.append(Candidate(word.start, word.core_end, "LOCATION", core, priority=1))
    return out


def _is_zone(word: Word, gazetteer: Gazetteer) -> bool:
    """A word naming an industrial zone, port, station or district by its suffix."""
    core = word.core
    suffix = first_suffix(core, ZONE_SUFFIXES)
    if suffix is None or len(core) <= len(suffix) or not ZONE_CORE.fullmatch(core):
        return False
    stem = core[: -len(suffix)]
    entry = gazetteer.lookup(stem)
    if entry is not None and entry.label == "LOCATION":
        return True
    if len(suffix) == 1:
        return False  # 항/역 only after a known place (부산항, 판교역): 사항, 역할 are words
    inner = [t for t in word.tokens if t.start < word.core_end]
    return len(stem) >= 2 and (
        any(t.tag == "NNP" for t in inner) or len(suffix) >= 3 or any(ch.isdigit() for ch in stem)
    )


def _place_part(
    word: Word, gazetteer: Gazetteer, after_known: bool = False
) -> tuple[str, bool] | None:
    """(canonical, known) when word's noun part is a known region or an NNP place name."""
    core = word.core
    if not core:
        return None
    entry = gazetteer.lookup(core)
    if entry is not None and entry.label == "LOCATION":
        return entry.canonical, True
    if entry is not None:
        return None
    if after_known and (core in AREA_WORDS or _is_zone(word, gazetteer)):
        return core, False
    hangul = HANGUL.match(core) is not None
    if after_known and hangul and 2 <= len(core) <= 3 and core not in NAME_STOPWORDS:
        inner = [t for t in word.tokens if t.start < word.core_end]
        if inner and all(t.tag == "NNP" for t in inner):
            return core, False  # 성남시 판교, 충북 오송, 캐나다 오타와
    if not hangul or len(core) < 2 or not core.endswith(COARSE_PLACE_SUFFIXES):
        return None
    inner = [t for t in word.tokens if t.start < word.core_end]
    if inner and inner[0].tag == "NNP" and inner[-1].end >= word.core_end:
        return core, False
    return None


def glued_place_candidates(words: list[Word], gazetteer: Gazetteer) -> list[Candidate]:
    """The place part of '수원시장', '경기지사', '강남구청장'."""
    out: list[Candidate] = []
    for word in words:
        core = word.core
        if not core.endswith(PLACE_TITLES):
            continue  # one C-level test rejects most words
        for title in PLACE_TITLES:
            if core.endswith(title) and len(core) > len(title):
                entry = gazetteer.lookup(core[: -len(title)])
                if entry is not None and entry.label == "LOCATION":
                    end = word.start + len(core) - len(title)
                    out.append(
                        Candidate(word.start, end, "LOCATION", entry.canonical, True, priority=2)
                    )
                    break
    return out


# Named laws and programmes: '소프트웨어진흥법', ‘지역 AX 혁신거점 조성사업’.
LAW_WORD_SUFFIXES = _WORDS_LAW_WORDS["law_suffix"]
GENERIC_LAW_WORDS = frozenset(_WORDS_LAW_WORDS["generic_law_word"])
QUOTED_NAME = re.compile(r"[‘“'\"「『]([^‘’“”'\"「」『』\n]{3,40})[’”'\"」』]")
# Quoted names that are statutes (programmes, plans and strategies are not LAW).
STATUTE_NAME_SUFFIXES = _WORDS_LAW_WORDS["statute_name_suffix"]
# A decree or rule written after the statute's name: not part of the LAW span.
STATUTE_TAIL = re.compile(r"\s(?:시행령|시행규칙|개정안|일부개정법률안)$")
ORG_NAME_SUFFIXES = _WORDS_ORGANIZATION_WORDS["quoted_org_suffix"]


def law_candidates(text: str, tokens: list[Tok]) -> list[Candidate]:
    """Statute names: law words built on a noun compound, and quoted statute titles.

    Only the law's name is LAW: a decree or rule written after it (``특허법 시행령``) stays outside,
    and programmes, plans and bodies named in quotes (‘…지원사업’, 「…전략」) are not laws.
    """
    out: list[Candidate] = []
    for start, end, toks in noun_compounds(tokens):
        surface = text[start:end]
        tail = STATUTE_TAIL.search(surface)
        if tail and tail.start() >= 2:
            end = start + tail.start()
            surface = text[start:end]
        if (
            len(surface) >= 3
            and surface.endswith(LAW_WORD_SUFFIXES)
            and len(toks) >= 2
            and surface not in GENERIC_LAW_WORDS
        ):
            out.append(Candidate(start, end, "LAW", surface, priority=1))
    for m in QUOTED_NAME.finditer(text):
        name = m.group(1).strip()
        start = m.start(1) + m.group(1).index(name)
        if name.endswith(STATUTE_NAME_SUFFIXES) and name not in GENERIC_LAW_WORDS:
            out.append(Candidate(start, start + len(name), "LAW", collapse(name), priority=1))
        elif name.endswith(ORG_NAME_SUFFIXES) and " " in name:
            out.append(Candidate(start, start + len(name), "ORG", collapse(name), priority=1))
    return out
