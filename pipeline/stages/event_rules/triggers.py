"""Declarative trigger and argument tables of the policy-event stage.

A predicate is a Kiwi verb: a trigger noun with a verb suffix (지정/NNG + 되/XSV) or a verb
(맺/VV). A rule names the event type of a lemma and what else the clause must hold: a light
noun right before the verb (협약을 맺다, 문을 열다), a MONEY mention (FUNDING), a statute
(LAW), a keyword (투자 유치, 계획 발표).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.reference import word_lists

EVENT_TYPES = ("DESIGNATION", "SELECTION", "FUNDING", "AGREEMENT", "LAUNCH", "CALL", "INVESTMENT",
               "LAW", "PLAN")


@dataclass(frozen=True)
class TriggerRule:
    """One trigger: lemmas of the predicate and what the clause must contain."""

    type: str
    lemmas: frozenset[str]
    light: tuple[str, ...] = ()  # the word before the verb must end with one (협약을 맺다)
    needs: str | None = None  # "money" | "statute" | a regex the clause must match
    receiver_subject: bool = False  # active form whose subject receives (확보하다, 유치하다)


def _rule(type_: str, lemmas: str, light: str = "", needs: str | None = None,
          receiver: bool = False) -> TriggerRule:
    """A TriggerRule from space-separated words."""
    return TriggerRule(type_, frozenset(lemmas.split()), tuple(light.split()), needs, receiver)


LAUNCH_CEREMONY = r"(?:출범|발족|개소|현판|개교|개관|개원|준공|착공|기공|입학)(?:\([^()]{1,6}\))?식"
# First matching rule wins; rules with a light noun come before bare lemmas.
TRIGGER_RULES: tuple[TriggerRule, ...] = (
    _rule("AGREEMENT", "맺 체결 교환 잡 맞잡 손잡", "협약 업무협약 MOU 양해각서 협정 협약서 손"),
    # '… 투자협약식을 가졌다', '금융지원 협약식을 개최하고': a signing ceremony held.
    _rule("AGREEMENT", "개최 갖 가지 열", needs=r"협약식|체결식|MOU\s?체결식"),
    _rule("LAUNCH", "열 갖 가지", "문 착공식 개소식 출범식 준공식 개관식 개원식 기공식"),
    # '출범식을 개최했다', '발족식을 개최', '현판식을 개최', '개교(입학)식을 열고'.
    _rule("LAUNCH", "개최 열 갖 가지", needs=LAUNCH_CEREMONY),
    _rule("CALL", "내 진행 실시 시작 착수", "공고 공모 모집"),
    _rule("INVESTMENT", "유치", needs=r"투자", receiver=True),
    _rule("DESIGNATION", "지정"),
    _rule("SELECTION", "선정 선발 뽑 뽑히 낙점"),
    _rule("AGREEMENT", "협약 체결", needs=r"협약|MOU|양해각서|협정"),
    _rule("LAUNCH", "출범 개소 착공 준공 개관 개원 착수 가동 개통 발족 신설"),
    _rule("CALL", "공모 모집 공고"),
    _rule("FUNDING", "확보", needs="money", receiver=True),
    _rule("FUNDING", "지원 투입 출연 배정 지급 투자 들이 들어가 보태 편성 공급", needs="money"),
    _rule("LAW", "시행 개정 제정 공포 발효 고치", needs="statute"),
    _rule("PLAN", "발표 수립 내놓 공개 확정 마련", needs=r"계획|전략|방안|로드맵|대책|청사진"),
)
TRIGGER_LEMMAS = frozenset(lemma for rule in TRIGGER_RULES for lemma in rule.lemmas)

# Voice: a trigger noun followed by these verbs is passive (지정되다, 선정받다, 지원받다).
PASSIVE_VERBS = frozenset({"되", "받", "뽑히"})
LIGHT_SUFFIXES = frozenset({"하", "되", "받"})
# Argument roles from the particle glued to a mention (or a coordinated group of mentions).
PARTICLE_ROLES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), role) for pattern, role in (
        (r"^(?:으로부터|로부터)", "source"),
        (r"^에\s?따르면", "report"),
        (r"^(?:이|가|께서)(?![가-힣])", "subj"),
        (r"^(?:은|는|도)(?![가-힣])", "topic"),
        (r"^(?:을|를)(?![가-힣])", "obj"),
        (r"^(?:으로|로)(?:서|는)?(?![가-힣])", "as"),
        (r"^(?:와|과|하고|이랑|랑)(?:\s?함께|의|도|는)?(?![가-힣])", "with"),
        (r"^의(?![가-힣])", "gen"),
        (r"^(?:에서|에서는|에서도)(?![가-힣])", "at"),
        (r"^(?:에게|에|한테)(?:는|도)?(?![가-힣])", "dat"),
    )
)
# Between two mentions of one coordinated group: 와/과, commas, 및, middle dots (and an apposition).
COORD_GAP = re.compile(
    r"^(?:\s?\([^()]{1,60}\))?\s?(?:와|과|,|및|·|、|/)\s?(?:(?:[가-힣]+\s){0,3}[가-힣]+인\s)?(?:\(주\)|㈜)?\s?$"
)
# A named group coordinated with an unnamed plural ('수원시와 경기TP, 지역 대학들이'): its particle.
PLURAL_TAIL = re.compile(r"^,\s?(?:[가-힣A-Za-z]+\s){0,2}[가-힣]+들(이|가|은|는)\s")
# Anaphors of the last coordinated pair of parties.
PAIR_ANAPHOR = re.compile(r"^(?:두|양|세|네)\s?(?:기관|대학|회사|기업|측)(?:은|는|이|가)\s")
# Nouns after a modifier that make it a time/adverbial clause, not a relative one ('지정된 뒤').
ADVERBIAL_HEADS = frozenset(word_lists("event_words")["adverbial_head"])
# After the last member: a parenthesis, '등 5곳', '등 6개 기관' before the particle.
GROUP_TAIL = re.compile(
    r"^[’'”\"」』)]?(?:社|㈜)?(?:\s?\([^()]{1,60}\))?(?:\s?등)?(?:\s?[\d,]+\s?(?:곳|개\s?(?:기관|사|시도|시·도|지역|기업|대학|시군)?|개사|명))?"
)
# A subject that organizes what another party is selected for: 과기부가 주관하는 ‘…’ 공모.
ORGANISER_AFTER = re.compile(r"^\S{0,3}\s(?:\S+\s){0,3}?(?:주관|주최|공모|시행|추진|실시|발주)(?:하는|한|해 온)\s")
# Reported speech that makes the source the dropped subject: '…했다고 밝혔다'.
QUOTATIVE_AFTER = re.compile(r"^\S*?(?:다고|라고|다며|다는)\s(?:\S+\s){0,2}?(?:밝혔|전했|말했|설명했|발표했|알렸)")
QUOTES = re.compile(r"[‘'“\"「『《〈]([^’'”\"」』》〉\n]{2,60})[’'”\"」』》〉]")
STATUTE = re.compile(r"(?:법|법률|시행령|시행규칙|령|조례|규칙|기본법)$")
BASIS_CUE = re.compile(r"^\S{0,3}\s?(?:에\s?)?(?:근거|따른|따라|의거|상)")
FUTURE_CUE = re.compile(r"(?:ㄹ|을|를|할|될|될|받을)\s?(?:계획|예정|방침|전망|목표)|기로\s?했|겠")
ARGUMENT_LABELS = frozenset({"ORG", "LOCATION"})  # people speak in these articles; bodies act
