"""Stage: map facts to canonical indicators through the synonym table.

The table (`data/indicators.toml`) is data so that an office can teach the
engine its own wording. A fact's own clause is tried first, with 《》 titles
masked; when the clause names nothing ("已办结3019单"), the sentence and then
its section titles say what is counted. In a combined count the head decides
("对重大决策、合同的合法性审查287件" is a legality review); a list of mixed
activities ("学习培训、宣传宣讲、政治轮训100余场次") maps to nothing.

An indicator is the unit's own figure for the report year, so a fact maps to
nothing when it is a lower level's (各镇街), the unit answers the case
(被申请人), it covers another period (2019—2021年), it is a sub-scope (涉企,
专场) or a requirement (不少于1次). Per indicator the report-wide value is
kept: the first rate stated; for counts the one value all candidates agree on,
else the total stated as such (全年/共/累计); when they disagree and no total is
stated, the indicator is left out: a blank is better than a wrong number.
The party committee's count beside the government's is another body's: with
no stated total the indicator is left out.
Never a cell of a comparison table's column for another year.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property

from fazhi import data
from fazhi.document import RATE_UNITS, Document, Fact, Section


def _any_of(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One search for "any of these words"; far cheaper than a loop of `in` tests."""
    return re.compile("|".join(map(re.escape, words))) if words else None


@dataclass(frozen=True)
class Indicator:
    id: str
    kind: str
    all: tuple[re.Pattern[str], ...]  # one pattern per group: each must match
    none: re.Pattern[str] | None
    measure: tuple[re.Pattern[str], ...]
    not_in_clause: re.Pattern[str] | None
    units: frozenset[str]
    sentence_all: tuple[re.Pattern[str], ...]
    paragraph_all: tuple[re.Pattern[str], ...]
    clause_none: re.Pattern[str] | None
    sentence_none: re.Pattern[str] | None
    # A noun whose modifier, unless an open one, narrows the count: 冬奥赛事合同.
    scoped_noun: re.Pattern[str] | None
    open_modifiers: frozenset[str]
    # What the count counts, as its noun ends: a closed list, so that a count of
    # anything else (抽查计划4个, 重大决策管理权限10项) is not this indicator.
    counted_nouns: tuple[str, ...]
    sibling_forms: re.Pattern[str] | None
    sibling_topic: re.Pattern[str] | None

    def accepts(self, unit: str, count_units: frozenset[str]) -> bool:
        """Whether a fact with this measure word may be this indicator."""
        if (self.kind == "rate") != (unit in RATE_UNITS):
            return False
        if self.kind == "count":
            return unit in (self.units or count_units)
        return True

    def matches(self, context: str, own_clause: str) -> bool:
        """What the clause counts is this indicator's, for any audience."""
        return (
            all(group.search(context) for group in self.all)
            and not (self.none and (self.none.search(context) or self.none.search(own_clause)))
            and all(group.search(own_clause) for group in self.measure)
            and not (self.not_in_clause and self.not_in_clause.search(own_clause))
        )

    def narrowed(self, clause: str) -> bool:
        """The counted noun carries a modifier that makes it a sub-scope."""
        if self.scoped_noun is None:
            return False
        for m in self.scoped_noun.finditer(clause):
            modifier = clause[max(0, m.start() - 2) : m.start()]
            if _CJK_FOLLOWS.fullmatch(modifier) and modifier not in self.open_modifiers:
                return True
        return False

    def counts(self, f: _Fact) -> bool:
        """What the fact counts is this indicator's noun, when it names its nouns."""
        return not self.counted_nouns or any(
            n.endswith(self.counted_nouns) for n in f.counted_nouns
        )

    def other_audience(self, context: str) -> bool:
        return bool(self.clause_none and self.clause_none.search(context))

    def fits(self, sentence: str, paragraph: str) -> bool:
        """The conditions on the sentence and the paragraph around the fact."""
        return (
            all(group.search(sentence) for group in self.sentence_all)
            and all(group.search(paragraph) for group in self.paragraph_all)
            and not (self.sentence_none and self.sentence_none.search(sentence))
        )


@dataclass(frozen=True)
class Table:
    indicators: tuple[Indicator, ...]
    delta_words: re.Pattern[str] | None
    award_words: re.Pattern[str] | None
    list_delta_words: re.Pattern[str] | None
    list_indicators: frozenset[str]
    generic_subjects: frozenset[str]
    generic_modifiers: tuple[str, ...]
    count_units: frozenset[str]
    total_markers: re.Pattern[str] | None
    not_total: re.Pattern[str] | None
    period_total_markers: re.Pattern[str] | None
    lower_levels: re.Pattern[str] | None
    own_unit: re.Pattern[str] | None
    respondent_words: re.Pattern[str] | None
    respondent_indicators: frozenset[str]
    respondent_levels: frozenset[str]
    per_body_indicators: frozenset[str]
    combined_heads: re.Pattern[str] | None
    activity_verb_groups: tuple[frozenset[str], ...]
    joined_verbs: re.Pattern[str] | None
    litigation_words: re.Pattern[str] | None
    handling_verbs: re.Pattern[str] | None
    period_words: re.Pattern[str] | None
    as_of_words: re.Pattern[str] | None
    this_year_words: tuple[str, ...]
    requirement_words: re.Pattern[str] | None
    body_subject: re.Pattern[str] | None
    pending: re.Pattern[str] | None
    scope_words: re.Pattern[str] | None
    activity_words: re.Pattern[str] | None
    territory_words: tuple[str, ...]
    level_bodies: tuple[str, ...]
    verb_object_indicators: frozenset[str]
    abstract_nouns: re.Pattern[str] | None
    light_verbs: frozenset[str]
    coverage_verbs: re.Pattern[str] | None
    frequency_prepositions: re.Pattern[str] | None
    reviewed_objects: re.Pattern[str] | None
    party_bodies: re.Pattern[str] | None
    party_body_levels: frozenset[str]
    not_connectors: re.Pattern[str] | None
    # Any word or pattern the lower-level, period and requirement tests look for.
    figure_markers: re.Pattern[str] | None


def _joined(groups: list[list[str]]) -> re.Pattern[str] | None:
    verbs = "|".join(sorted((re.escape(v) for g in groups for v in g), key=len, reverse=True))
    return re.compile(f"(?P<first>{verbs})(?:和|及|、|与|并)(?P<second>{verbs})") if verbs else None


@cache
def table() -> Table:
    spec = data.load("indicators")
    return Table(
        indicators=tuple(
            Indicator(
                id=entry["id"],
                kind=entry["kind"],
                all=tuple(p for g in entry["all"] if (p := _any_of(tuple(g)))),
                none=_any_of(tuple(entry.get("none", ()))),
                measure=tuple(p for g in entry.get("measure", ()) if (p := _any_of(tuple(g)))),
                not_in_clause=_any_of(tuple(entry.get("not_in_clause", ()))),
                units=frozenset(entry.get("units", ())),
                sentence_all=tuple(
                    p for g in entry.get("sentence_all", ()) if (p := _any_of(tuple(g)))
                ),
                paragraph_all=tuple(
                    p for g in entry.get("paragraph_all", ()) if (p := _any_of(tuple(g)))
                ),
                clause_none=_any_of(tuple(entry.get("clause_none", ()))),
                sentence_none=_any_of(tuple(entry.get("sentence_none", ()))),
                scoped_noun=_any_of(tuple(entry.get("scoped_nouns", ()))),
                open_modifiers=frozenset(entry.get("open_modifiers", ())),
                counted_nouns=tuple(entry.get("counted_nouns", ())),
                sibling_forms=_any_of(tuple(entry.get("sibling_forms", ()))),
                sibling_topic=_any_of(tuple(entry.get("sibling_topic", ()))),
            )
            for entry in spec["indicator"]
        ),
        delta_words=_any_of(tuple(spec["delta_words"])),
        award_words=_any_of(tuple(spec["award_words"])),
        list_delta_words=_any_of(tuple(spec["list_delta_words"])),
        list_indicators=frozenset(spec["list_indicators"]),
        generic_subjects=frozenset(spec["generic_subjects"]),
        generic_modifiers=tuple(spec["generic_modifiers"]),
        count_units=frozenset(spec["count_units"]),
        total_markers=_any_of(tuple(spec["total_markers"])),
        not_total=_any_of(tuple(spec["not_total"])),
        period_total_markers=_any_of(tuple(spec["period_total_markers"])),
        lower_levels=_any_of(tuple(spec["lower_levels"])),
        own_unit=_any_of(tuple(spec["own_unit"])),
        respondent_words=_any_of(tuple(spec["respondent_words"])),
        respondent_indicators=frozenset(spec["respondent_indicators"]),
        respondent_levels=frozenset(spec["respondent_levels"]),
        per_body_indicators=frozenset(spec["per_body_indicators"]),
        combined_heads=_any_of(tuple(spec["combined_heads"])),
        activity_verb_groups=tuple(frozenset(g) for g in spec["activity_verbs"]),
        joined_verbs=_joined(spec["activity_verbs"]),
        litigation_words=_any_of(tuple(spec["litigation_words"])),
        handling_verbs=_any_of(tuple(spec["handling_verbs"])),
        period_words=_any_of(tuple(spec["period_words"])),
        as_of_words=_any_of(tuple(spec["as_of_words"])),
        this_year_words=tuple(spec["this_year_words"]),
        requirement_words=_any_of(tuple(spec["requirement_words"])),
        body_subject=re.compile(
            r"\s*(?:全[省市州县区镇乡]|共有?|累计|已)?\s*\d+\s*[个家]"
            f"(?:{'|'.join(map(re.escape, spec['counted_bodies']))})"
        ),
        pending=re.compile(
            f"(?:{'|'.join(map(re.escape, spec['pending_modals']))})"
            f"(?:{'|'.join(map(re.escape, spec['pending_verbs']))})"
        ),
        scope_words=_any_of(tuple(spec["scope_words"])),
        activity_words=_any_of(tuple(spec["activity_words"])),
        territory_words=tuple(spec["territory_words"]),
        level_bodies=tuple(spec["level_bodies"]),
        verb_object_indicators=frozenset(spec["verb_object_indicators"]),
        light_verbs=frozenset(spec["light_verbs"]),
        coverage_verbs=_any_of(tuple(spec["coverage_verbs"])),
        frequency_prepositions=_any_of(tuple(spec["frequency_prepositions"])),
        reviewed_objects=_any_of(tuple(spec["reviewed_objects"])),
        party_bodies=_any_of(tuple(spec["party_bodies"])),
        party_body_levels=frozenset(spec["party_body_levels"]),
        abstract_nouns=_any_of(tuple(spec["abstract_nouns"])),
        not_connectors=_any_of(tuple(spec["not_connectors"])),
        figure_markers=re.compile(
            "|".join(
                [
                    *(
                        re.escape(w)
                        for key in ("lower_levels", "period_words", "requirement_words")
                        for w in spec[key]
                    ),
                    "以来",
                    _YEAR_RANGE.pattern,
                ]
            )
        ),
    )


@cache
def _by_id() -> dict[str, Indicator]:
    """The first entry of each indicator: the one that says how it is scoped."""
    found: dict[str, Indicator] = {}
    for indicator in table().indicators:
        found.setdefault(indicator.id, indicator)
    return found


def _is_generic(subject: str, t: Table) -> bool:
    # "按时办结" and "已受理" name no more than "办结" and "受理".
    for modifier in t.generic_modifiers:
        if subject.startswith(modifier) and len(subject) > len(modifier):
            subject = subject[len(modifier) :]
            break
    return (
        not subject
        or subject in t.generic_subjects
        or (subject.endswith("率") and len(subject) <= 5)
    )


def _titles(doc: Document, section: Section | None) -> str:
    by_id = {s.id: s for s in doc.sections}
    titles = []
    while section is not None:
        titles.append(section.title)
        section = by_id.get(section.parent) if section.parent else None
    return " ".join(titles)


_TITLE = re.compile(r"《[^《》\n]*(?:》|$)")
_CLAUSE_END = ",;。:!?\n"
_CLAUSE_END_AT = re.compile(f"[{_CLAUSE_END}]")
_LONGEST_CLAUSE = 300
# A stretch of years: "2019—2021年", "2019年-2021年", "2019至2021年".
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*年?\s*[-—–~～至到]\s*(?:(?:19|20)?\d{2})\s*年")
_SINCE = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?以来|以来")
_LEAD_YEAR = re.compile(r"\s*((?:19|20)\d{2})\s*年(?:度)?(?:全年)?[,，]")


def _unless_a_list(title: re.Match[str]) -> str:
    # "更新《某市权力清单》,梳理事项6392项": a list's title names what its items are.
    return title[0] if title[0].rstrip("》").endswith(("清单", "目录")) else "《》"


def _mask(text: str) -> str:
    """Titles in 《》 name a law or a plan, not what a number counts, unless the
    title is a list's. Quotation marks around a name are dropped: "“一网通办”率"
    is the 一网通办率."""
    text = text.translate(_QUOTES)
    return _TITLE.sub(_unless_a_list, text) if "《" in text else text


_QUOTES = str.maketrans("", "", "“”‘’")


def _sentence_so_far(doc: Document, fact: Fact) -> str:
    """The sentence up to the fact: what follows it describes other numbers."""
    span = doc.sentence_at(fact.start)
    return doc.text[span[0] : fact.end] if span else fact.context


def _clause_start(text: str, pos: int) -> int:
    # A clause is short: looking back a bounded stretch keeps this linear.
    lo = max(0, pos - _LONGEST_CLAUSE)
    return max(text.rfind(c, lo, pos) for c in _CLAUSE_END) + 1 or lo


def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_END_AT.search(text, pos)
    return m.start() if m else len(text)


@dataclass(frozen=True)
class _Candidates:
    """Indicators, in table order, that a fact with one measure word may map to."""

    indicators: tuple[Indicator, ...]
    # Any word of any of their first groups: a context without one maps to
    # none of them, found by one search instead of a test per indicator.
    keyword: re.Pattern[str]


@cache
def _candidates(unit: str) -> _Candidates:
    t = table()
    found = tuple(i for i in t.indicators if i.accepts(unit, t.count_units))
    keyword = re.compile("|".join(f"(?:{i.all[0].pattern})" for i in found) or "(?!)")
    return _Candidates(found, keyword)


class _Fact:
    """One fact with the text around it, each piece computed once."""

    def __init__(self, doc: Document, fact: Fact, counted: str | None = None) -> None:
        self.doc = doc
        self.fact = fact
        self._counted = counted
        self._sentence: str | None = None
        self._around: tuple[str, str] | None = None

    @property
    def sentence(self) -> str:
        if self._sentence is None:
            self._sentence = _mask(_sentence_so_far(self.doc, self.fact))
        return self._sentence

    def around(self) -> tuple[str, str]:
        """The sentence to the end of the fact's clause, and the paragraph up to the fact."""
        if self._around is None:
            text, fact = self.doc.text, self.fact
            end = _clause_end(text, fact.end)
            span = self.doc.sentence_at(fact.start)
            sentence = text[span[0] : end] if span else fact.context
            paragraph = text[text.rfind("\n", 0, fact.start) + 1 : end]
            self._around = (_mask(sentence), _mask(paragraph))
        return self._around

    def paragraph_so_far(self) -> str:
        """Its paragraph up to the number."""
        text, start = self.doc.text, self.fact.start
        return text[text.rfind("\n", 0, start) + 1 : start]

    @cached_property
    def counted_nouns(self) -> tuple[str, ...]:
        """What the number may count: the words before it, and for a number
        written before its noun ("审查5件涉及…的重大行政决策事项", "、1期读书班")
        the words after it; without the words that only qualify the number
        (共, 累计, 数量, 达)."""
        text, fact = self.doc.text, self.fact
        if self._counted is not None:
            nouns = [self._counted]
        else:
            # The subject as the facts stage read it, and the clause's words before
            # the number as written ("违法行为42起" keeps its 为).
            nouns = [fact.subject, self.before()]
            if fact.kind == "number":
                nouns.append(text[fact.end : _clause_end(text, fact.end)].split("、")[0])
        return tuple(_NUMBER_QUALIFIERS.sub("", _mask(n).strip()) for n in nouns)

    @cached_property
    def coverage(self) -> str:
        """The clause after the fact when it says whom the activity reached
        ("组织专题学习4次,覆盖干部职工30余人"): its audience is the count's."""
        text, end = self.doc.text, self.fact.end
        stop = _clause_end(text, end)
        if stop >= len(text) or text[stop] not in ",;":
            return ""
        following = text[stop + 1 : _clause_end(text, stop + 1)]
        verbs = table().coverage_verbs
        return following if verbs and verbs.match(following) else ""

    @cached_property
    def noun_after(self) -> bool:
        """What the number counts is written after it: "调整了8家单位900余项职权事项"."""
        fact = self.fact
        return bool(fact.subject) and self.doc.text.startswith(fact.subject, fact.end)

    def before(self) -> str:
        """Its own clause up to the number."""
        text, start = self.doc.text, self.fact.start
        return _mask(text[_clause_start(text, start) : start])


def _first_match(f: _Fact, candidates: _Candidates, context: str, own: str) -> str | None:
    if not candidates.keyword.search(context):
        return None
    for indicator in candidates.indicators:
        if (
            indicator.matches(context, own)
            # A noun after its number ("调整了8家单位900余项职权事项") leaves the
            # verb before it out of the context; the bodies it belongs to are not a verb.
            and not (
                indicator.none
                and f.noun_after
                and indicator.none.search(_BODIES_AT_END.sub("", f.before()))
            )
            and indicator.counts(f)
            and not indicator.other_audience(context + f.coverage)
            and (
                not (indicator.sentence_all or indicator.paragraph_all)
                or indicator.fits(*f.around())
            )
        ):
            return indicator.id
    return None


def _two_activities(clause: str, t: Table) -> bool:
    """Two verbs of different activities joined before one count."""
    for m in t.joined_verbs.finditer(clause) if t.joined_verbs else ():
        groups = [g for g in t.activity_verb_groups if m["first"] in g or m["second"] in g]
        if len(groups) == 2:
            return True
    return False


def _combined_head(doc: Document, fact: Fact) -> str | None:
    """The head of a count over a list of objects: "A、B和C的合法性审查".

    The count is of what the head names, whatever the listed objects are; a
    keyword among the objects does not decide it.
    """
    before = fact.subject
    de = before.rfind("的")
    # A list after 的 means the 的 sits inside one listed item, not after the list;
    # so does 等 after it, which closes the list ("…全会关于依法治国的重要部署等专题学习").
    if (
        de > 0
        and ("、" in before[:de] or "和" in before[:de])
        and not any(c in before[de:] for c in "、等")
    ):
        return _mask(before[de + 1 :])
    # Without 的, a head that names an activity: "规范性文件、重大协议和其他各类文件合法性审核".
    heads = table().combined_heads
    if heads and "、" in before and (head := heads.search(before)) and head.end() == len(before):
        return head[0]
    text = doc.text
    # Most numbers have no list and no 的 after them: a short look decides.
    near = text[fact.end : fact.end + 60]
    if "的" not in near or "、" not in near:
        return None
    after = text[fact.end : _clause_end(text, fact.end)]
    de = after.find("的")
    if de > 0 and "、" in after[:de] and "、" not in after[de:]:
        return _mask(after[de + 1 :])
    return None


def _review_named_before(f: _Fact, t: Table) -> str | None:
    """A combined head (合法性审查) in the paragraph before the fact or its section
    titles, when the fact's own verb is that review's (审查, 审核) and its objects
    are more than documents (合同, 协议, 决策)."""
    if not (t.combined_heads and _REVIEW_VERB.search(f.before())):
        return None
    if not (t.reviewed_objects and t.reviewed_objects.search(f.fact.subject + f.fact.context)):
        return None
    before = _mask(_titles(f.doc, f.doc.section_at(f.fact.start)) + f.paragraph_so_far())
    heads = t.combined_heads.findall(before)
    return heads[-1] if heads else None


def _respectively(doc: Document, fact: Fact) -> bool:
    """One count after 分别 with a list of names before it: each item's count
    ("于7月、10月和12月分别…开展3期" lists the times of the three)."""
    before = doc.text[_clause_start(doc.text, fact.start) : fact.start]
    at = before.find("分别")
    return at > 0 and "、" in before[:at] and not _DIGIT.search(before)


_BARE_GONG = re.compile("(?<![一总])共(?!计)")
_NUMBER_QUALIFIERS = re.compile(
    "(?:等|共|共计|累计|合计|总计|总数|数量|数|量|达到|达|已|约|近|超过|超|逾|分别|均|全部|总共|中)+$"
)
_REVIEW_VERB = re.compile("审查|审核")
_CONNECTOR = re.compile("、|以及|和|及")


def _connectors(text: str, t: Table) -> list[re.Match[str]]:
    """Where listed items meet: 、, 和, 及, 以及; not inside 涉及, 及时, 和解."""
    taken = (
        [(m.start(), m.end()) for m in t.not_connectors.finditer(text)] if t.not_connectors else []
    )
    return [
        m
        for m in _CONNECTOR.finditer(text)
        if m[0] == "、" or not any(a <= m.start() < b for a, b in taken)
    ]


def _items(text: str, t: Table) -> list[str]:
    """The listed items of a subject."""
    items, last = [], 0
    for m in _connectors(text, t):
        items.append(text[last : m.start()])
        last = m.end()
    items.append(text[last:])
    return [_mask(i.removesuffix("等")) for i in items if len(i) >= 2]


def _is_mixed(f: _Fact, candidates: _Candidates, mapped: str, t: Table) -> bool:
    """A count over a list of items of different kinds counts none of them.

    Activities listed with 、: "学习培训、宣传宣讲、政治轮训100余场次" (one joined
    with 和 may be one event: "演练和培训95场"), also after a count of persons:
    "5900余人参加在线法治考试、旁听". Objects of one verb: "审查规范性文件和各类
    合同共715份" is not a count of 规范性文件 reviews, since the last object, which
    the number follows, is not what that indicator counts.
    """
    if f.fact.kind == "distributed":
        return False
    subject = f.fact.subject
    items = _listed_items(subject)
    if f.fact.kind == "number" and len(items) < 2:
        text = f.doc.text
        rest = text[f.fact.end : _clause_end(text, f.fact.end)]
        if "、" in rest and not _DIGIT.search(rest):
            items = [_mask(i.removesuffix("等")) for i in rest.split("、") if len(i) >= 2]
    kinds = set()
    for item in items if len(items) > 1 else ():
        kind = _first_match(f, candidates, item, item)
        if kind is not None or (t.activity_words and t.activity_words.search(item)):
            kinds.add(kind)
    if len(kinds | {mapped}) > 1:
        return True
    # "公开行政处罚、行政许可等各类执法信息": examples of one kind of object.
    if _ETC.search(subject) or mapped not in t.verb_object_indicators:
        return False
    # "修订和废止": verbs joined after the object, not a second object.
    objects = [o for o in _items(subject, t) if not any(o in g for g in t.activity_verb_groups)]
    return len(objects) > 1 and _first_match(f, candidates, objects[-1], objects[-1]) != mapped


# A noun after the list that all its items share: "民法典宣传月、宪法周等活动",
# "法治宣传进机关、进农村、进家庭活动".
# 等 closing a list, not inside a word (平等, 同等, 对等, 均等, 等级).
_ETC_PATTERN = r"(?<![平同高对均])等(?!级)"
_ETC = re.compile(_ETC_PATTERN)
_SHARED_HEAD = re.compile(rf"(?:{_ETC_PATTERN}[\u4e00-\u9fa5]{{0,4}}|活动)$")


def _listed_items(subject: str) -> list[str]:
    """The items of a 、 list in the subject, without the head they share."""
    parts = subject.split("、")
    if len(parts) > 1:
        parts[-1] = _SHARED_HEAD.sub("", parts[-1])
    return [_mask(i.removesuffix("等")) for i in parts if len(i) >= 2]


def _listed_under_excluded_verb(f: _Fact, indicator: Indicator) -> bool:
    """A list item opened by its number whose clause, before the list, has an excluded word.

    Only the words before the list's first number count: the other items' nouns
    say nothing of this one.
    """
    text, start = f.doc.text, f.fact.start
    if not (start and text[start - 1] == "、" and indicator.none):
        return False
    before = f.before()
    first_number = _DIGIT.search(before)
    return bool(indicator.none.search(before[: first_number.start() if first_number else None]))


def _other_period(sentence: str, year: int | None, t: Table, after_the_year: bool) -> bool:
    """Another period than the report year. "今年以来" is the whole year only in a
    report dated after it (`after_the_year`); dated within the year, or undated,
    it may be the months before the report was written."""
    if _YEAR_RANGE.search(sentence) or (t.period_words and t.period_words.search(sentence)):
        return True
    for m in _SINCE.finditer(sentence):
        if m[1]:
            if year is not None and (int(m[1]) != year or not after_the_year):
                return True
        elif sentence[: m.start()].endswith(t.this_year_words):
            if not after_the_year:
                return True
        else:
            # "以来" after an event (十八大以来, 实施以来) spans more than the year.
            return True
    return False


def _lower_level(sentence: str, t: Table) -> bool:
    """A lower level named in the sentence, and the unit not named again after it."""
    if not t.lower_levels:
        return False
    last = None
    for m in t.lower_levels.finditer(sentence):
        # 全县各级干部: the unit's whole territory, not its lower levels; but
        # 全县各级党委 are the committees of every level.
        if (
            m[0] != "各级"
            or not sentence[: m.start()].endswith(t.territory_words)
            or sentence.startswith(t.level_bodies, m.end())
        ):
            last = m
    if last is None:
        return False
    return not (t.own_unit and t.own_unit.search(sentence, last.end()))


def _respondent(f: _Fact, indicator: str, t: Table) -> bool:
    """The unit answers the case another body handles (被申请人, 被告)."""
    if indicator not in t.respondent_indicators:
        return False
    if f.doc.meta.level in t.respondent_levels and f.fact.kind != "zero":
        # A stated absence (无行政复议案件) is none under either reading.
        return True
    sentence = f.sentence
    if t.respondent_words and t.respondent_words.search(sentence):
        return True
    if not t.litigation_words:
        return False
    # A stated absence (无行政复议案件) is none under either reading, unless its
    # noun holds lawsuits too: "没有发生行政复议诉讼案件" is of cases against the unit.
    if f.fact.kind == "zero":
        return bool(t.litigation_words.search(f.fact.subject))
    # "行政诉讼案件4宗、行政复议案件2宗": the unit's own cases as a party.
    span = f.doc.sentence_at(f.fact.start)
    whole = f.doc.text[span[0] : span[1]] if span else sentence
    own = f.fact.subject + f.fact.context
    return bool(t.litigation_words.search(whole)) and not (
        t.handling_verbs and t.handling_verbs.search(own)
    )


def _in_scope(f: _Fact, indicator: Indicator, t: Table) -> bool:
    """Not a sub-scope of the indicator (涉企, 专场, 高频事项, 镇村合同).

    A list's items named by a quoted kind ("推出21项“倒计时”审批事项") are that
    kind's, not the list's.
    """
    clause = _mask(f.fact.subject + f.fact.context)
    if indicator.id in t.list_indicators and _QUOTED_KIND.search(f.fact.context):
        return False
    return not (t.scope_words and t.scope_words.search(clause)) and not indicator.narrowed(clause)


_BODIES_AT_END = re.compile(r"\d+\s*[个家][\u4e00-\u9fa5]{0,8}、?$")
_QUOTED_KIND = re.compile(r"”[\u4e00-\u9fa5]{0,4}(?:事项|清单)")


# Part of a year: 1-10月, 1至11月, 前三季度, 上半年, 截至10月.
_PART_OF_YEAR = re.compile(
    r"(?<!\d)1\s*[-—–~至到]\s*(?:[1-9]|1[01])\s*月|前三季度|上半年|前[一二三]季度|"
    r"截[至止](?:\d{4}年)?(?:[1-9]|1[01]|[一二三四五六七八九十]|十一)月(?:底|末)?"
)


def _party_body(f: _Fact, indicator: str, t: Table) -> bool:
    """A per-body count of the party committee, not the government reporting
    ("县委理论学习中心组学法5次" in a county government's report)."""
    if indicator not in t.per_body_indicators or f.doc.meta.level not in t.party_body_levels:
        return False
    own = f.before()
    return bool(t.party_bodies and t.party_bodies.search(own)) and "政府" not in own


_ENUMERATOR = re.compile(
    r"\s*(?:[一二三四五六七八九十]+是|\d+[.、．]|[(（][一二三四五六七八九十\d]+[)）])?"
)


def _enumerator_end(sentence: str) -> int:
    """Where a sentence's words begin after its enumerator (一是, 1., (三))."""
    m = _ENUMERATOR.match(sentence)
    return m.end() if m else 0


def _not_own(f: _Fact, indicator: str, t: Table) -> str | None:
    """Why the mapped fact is not the unit's own figure for the report year, if so.

    "lower" for a lower level's count (another body's figure of the same kind),
    "other" for another period, a requirement or a case the unit answers.
    """
    sentence = f.sentence
    lead = _LEAD_YEAR.match(sentence)
    year = f.doc.meta.year
    if lead and year is not None and int(lead[1]) != year:
        return "other"
    if indicator in t.respondent_indicators and _respondent(f, indicator, t):
        return "other"
    text = f.doc.text
    if t.pending and t.pending.search(text, f.fact.end, _clause_end(text, f.fact.end)):
        return "other"
    if not f.fact.is_rate and t.as_of_words and t.as_of_words.search(sentence):
        return "other"
    if _PART_OF_YEAR.search(f.paragraph_so_far()):
        # "2025年1-10月,共监督检查2081户次": the months before the report was
        # written, not the report year; a paragraph that opens so is all of them.
        return "other"
    if t.body_subject and t.body_subject.match(f.before()):
        return "lower"
    # "1639个村(社区)的法律顾问共接待…,办理法律援助案件309件": bodies opening
    # the sentence are the subject of its every clause, unless it names the unit again.
    bodies = t.body_subject.match(sentence, _enumerator_end(sentence)) if t.body_subject else None
    if bodies and not (t.own_unit and t.own_unit.search(sentence, bodies.end())):
        return "lower"
    if _party_body(f, indicator, t):
        return "lower"
    # One search tells whether any other test can fail: most sentences name no
    # lower level, no other period and no requirement.
    if not (t.figure_markers and t.figure_markers.search(sentence)):
        return None
    requirement = t.requirement_words
    if f.fact.kind != "distributed" and requirement and requirement.search(f.before()):
        return "other"
    date = f.doc.meta.date
    if _other_period(sentence, year, t, bool(date and year and int(date[:4]) > year)):
        return "other"
    return "lower" if _lower_level(sentence, t) else None


def map_fact(doc: Document, fact: Fact) -> str | None:
    return _map(doc, fact)[0]


def _map(doc: Document, fact: Fact, counted: str | None = None) -> tuple[str | None, str | None]:
    """The fact's indicator, and else the indicator it is a narrower count of.

    The second is a sub-scope (涉企检查) or a lower level's count of the
    indicator: it is not the indicator, but beside another count it shows that
    the candidates differ in scope, so that only a stated total can be kept.
    """
    t = table()
    if t.delta_words and t.delta_words.search(fact.context):
        return None, None
    if t.award_words and t.award_words.search(fact.context):
        return None, None
    candidates = _candidates(fact.unit)
    if not candidates.indicators:
        return None, None
    if not fact.is_rate and fact.value != fact.value.to_integral_value():
        # "平均申请材料为1.96个": a count of things is a whole number.
        return None, None
    if (
        fact.unit == "次"
        and t.frequency_prepositions
        and t.frequency_prepositions.match(doc.text, fact.end)
    ):
        # "先后4次在全国会议上做经验交流", "20余次对…作出批示": how often the verb
        # after the phrase was done, which says nothing of the words before.
        return None, None
    if fact.unit == "个" and t.abstract_nouns and t.abstract_nouns.match(doc.text, fact.end):
        return None, None
    f = _Fact(doc, fact, counted)
    head = _combined_head(doc, fact) if fact.kind == "number" else None
    aside = None
    if head is not None:
        mapped = _first_match(f, candidates, head, head)
    else:
        subject, own = _own_clause(doc, fact)
        mapped = None
        for context in _contexts(doc, fact, subject + own, t):
            mapped = _first_match(f, candidates, context, own)
            if mapped:
                break
        if mapped is None and fact.kind == "number":
            # The counted noun may run past a list mark or a long modifier:
            # "审查5件涉及群众切身利益的重大行政决策事项".
            rest = doc.text[fact.end : _clause_end(doc.text, fact.end)]
            if not fact.context.endswith(rest):
                whole = own + _mask(rest)
                mapped = _first_match(f, candidates, subject + whole, whole)
        if mapped and not subject and _listed_under_excluded_verb(f, _by_id()[mapped]):
            # "进驻37个部门、1512项政务服务事项": the item counts its own noun, but
            # the verb before the list, which the indicator excludes, governs it.
            mapped, aside = None, mapped
        if mapped and _two_activities(own, t):
            # "审查和备案规范性文件54件": one count of two activities is neither's.
            mapped, aside = None, mapped
        if mapped and _is_mixed(f, candidates, mapped, t):
            # A mixed count holds the indicator's among others: not its value,
            # but another count beside it is then not clearly the total.
            mapped, aside = None, mapped
    if (
        mapped in t.list_indicators
        and t.list_delta_words
        and t.list_delta_words.search(fact.context)
    ):
        return None, None
    if mapped is not None and not _in_scope(f, _by_id()[mapped], t):
        mapped, aside = None, mapped
    if aside in t.verb_object_indicators and len(_items(fact.subject, t)) > 1:
        # "严把合法性审查关,审查规范性文件和各类合同共715份": the review named
        # before is what the verb over a mixed list of objects does, whatever
        # kinds of object the list holds.
        head = _review_named_before(f, t)
        if head is not None:
            mapped, aside = _first_match(f, candidates, head, head), None
    if mapped is not None:
        why = _not_own(f, mapped, t)
        if why == "other":
            return None, None
        if why == "lower":
            # Beside the unit's own count, a lower level's shows the counts are
            # for different bodies: only a stated total is kept.
            mapped, aside = None, mapped
    if aside is not None and _not_own(f, aside, t) == "other":
        aside = None
    return mapped, aside


def _own_clause(doc: Document, fact: Fact) -> tuple[str, str]:
    """The fact's subject and own clause, ending where the next listed item begins.

    A list item may also start with its number ("8次中心组专题学习、1期读书班"):
    then it counts the noun after the number, not the previous item's.
    """
    text, context = doc.text, fact.context
    at = context.rfind(fact.text) if fact.kind == "number" else -1
    if at < 0:
        return _mask(fact.subject), _mask(context)
    start = fact.start - at
    end = start + len(context)
    # Another number follows in the clause: the context ends at it.
    followed = end < len(text) and text[end] not in _CLAUSE_END and text[end] != "、"
    first = at > 0 and text[fact.start - 1] == "、"
    if not (followed or first):
        return _mask(fact.subject), _mask(context)
    tail = text[fact.end : end]
    if followed:
        # The next listed item begins after 和/及: "目录5项和听证事项目录2项".
        cut = next((m for m in _connectors(tail, table()) if m[0] != "、"), None)
        if cut and _CJK_FOLLOWS.match(tail, cut.end()):
            tail = tail[: cut.start()]
    if first and _CJK_FOLLOWS.match(tail):
        return "", _mask(fact.text + tail)
    return _mask(fact.subject), _mask(text[start : fact.end] + tail)


_CJK_FOLLOWS = re.compile(r"[\u4e00-\u9fa5]{2}")
_DIGIT = re.compile(r"\d")


def _contexts(doc: Document, fact: Fact, clause: str, t: Table) -> Iterator[str]:
    """The fact's clause, then for a generic subject its sentence, then with section titles."""
    yield clause
    if fact.kind != "distributed" and _is_generic(fact.subject, t):
        sentence = _mask(_sentence_so_far(doc, fact))
        yield sentence
        yield _mask(_titles(doc, doc.section_at(fact.start))) + sentence


def _is_total(
    doc: Document,
    fact: Fact,
    t: Table,
    of_every_form: bool = False,
    beside_other_forms: bool = False,
) -> bool:
    """Stated as the total: 全年/共/累计 in its own clause before the number.

    `of_every_form`: the total of every form of the activity (or of every body),
    which 全年 alone does not say; `beside_other_forms`: a count of another form
    stands beside it, so that a bare 共 does not say it either.
    """
    before = doc.text[_clause_start(doc.text, fact.start) : fact.start] + fact.subject
    if t.not_total:
        before = t.not_total.sub("", before)
    if of_every_form and t.period_total_markers:
        before = t.period_total_markers.sub("", before)
    if beside_other_forms:
        # "共开展会前学法15次,召开培训班3次": 共 totals the one form it stands
        # before; 共计, 合计 and 累计 sum.
        before = _BARE_GONG.sub("", before)
    return bool(t.total_markers and t.total_markers.search(before))


def _report_value(
    doc: Document, facts: list[tuple[int, Fact]], narrower: set[Decimal], siblings: set[Decimal]
) -> int | None:
    """Index of the fact that states the report-wide value, or None when unclear.

    `narrower` holds the values of sub-scope and lower-level counts of the
    indicator: when they differ from the candidates, the candidates differ in
    scope, and only a stated total is kept. Another audience's count (干部职工
    学法 beside the leadership's) is another indicator's matter, not a doubt. `siblings` holds counts of other
    forms of the activity: beside them, only a total of every form is kept.
    """
    t = table()
    main = [(i, f) for i, f in facts if not f.subordinate]
    if not main:
        # Only 其中 items: the breakdown of a total, which a broader count beside
        # them (the total itself) does not put in doubt.
        main, narrower = facts, set()
    if main[0][1].is_rate:
        # Rates are not totals of each other: two that differ are two bodies'
        # or two scopes' (区政府 100%, 区级部门和镇街 99.3%).
        return main[0][0] if len({f.value for _, f in main}) == 1 else None
    values = {f.value for _, f in main}
    # Counts kept per body compete as bodies' counts, equal or not ("市委中心组学法
    # 4次, 政府常务会议学法4次"), and 全年 says the period of each, not their sum.
    per_body = main[0][1].indicator in t.per_body_indicators
    rivals = (narrower if per_body else narrower - values) | (siblings - values)
    if len(values) == 1 and not rivals and not _apart(doc, main):
        return main[0][0]
    other_forms = bool(siblings - values)
    totals = [(i, f) for i, f in main if _is_total(doc, f, t, other_forms or per_body, other_forms)]
    if totals and len({f.value for _, f in totals}) == 1:
        return totals[0][0]
    return None


def _apart(doc: Document, facts: list[tuple[int, Fact]]) -> bool:
    """Two equal counts of a per-body indicator in one paragraph are two bodies'
    counts, not one restated."""
    if facts[0][1].indicator not in table().per_body_indicators:
        return False
    paragraphs = [doc.text.rfind("\n", 0, f.start) for _, f in facts]
    return len(set(paragraphs)) < len(paragraphs)


_YEAR_CELL = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?(?:全年|上半年|1-\d{1,2}月)?")


def other_year_cells(doc: Document) -> set[int]:
    """Facts in a table column headed by another year than the report's.

    Tables arrive as one line per row with cells split by spaces; a comparison
    table ("项目 2022年 2023年") states last year's values beside this year's.
    """
    if doc.meta.year is None:
        return set()
    column_years: list[int | None] = []
    line_start = 0
    by_line: dict[int, list[int]] | None = None  # facts by line start, once needed
    skipped: set[int] = set()
    for line in doc.text.split("\n"):
        if " " not in line:
            # One cell: no table row (the common case, decided without a split).
            column_years = []
            line_start += len(line) + 1
            continue
        cells = line.split(" ")
        years = [int(c[:4]) if _YEAR_CELL.fullmatch(c) else None for c in cells]
        if sum(y is not None for y in years) >= 2:
            column_years = years
        elif len(cells) < 2:
            column_years = []
        elif len(cells) == len(column_years):
            offsets = [line_start + sum(len(c) + 1 for c in cells[:k]) for k in range(len(cells))]
            if by_line is None:
                by_line = {}
                for index, fact in enumerate(doc.facts):
                    by_line.setdefault(doc.text.rfind("\n", 0, fact.start) + 1, []).append(index)
            for index in by_line.get(line_start, []):
                column = max(k for k, o in enumerate(offsets) if o <= doc.facts[index].start)
                year = column_years[column]
                if year is not None and year != doc.meta.year:
                    skipped.add(index)
        line_start += len(line) + 1
    return skipped


# What may stand before a clause's verb without being part of it: "2023年共检查".
_CLAUSE_LEAD = re.compile(r"(?:(?:19|20)\d{2}\s*年度?|全年|今年|本年|共计|共|累计|先后|已|还)*")


def _clause_head(text: str, fact: Fact) -> str:
    """The verb that opens the fact's clause, when the clause opens with words."""
    start = _clause_start(text, fact.start)
    start = _CLAUSE_LEAD.match(text, start).end()  # type: ignore[union-attr]
    head = text[start : start + 2]
    if start + 2 > fact.start or not _CJK_FOLLOWS.fullmatch(head):
        return ""
    if head in table().light_verbs:
        return ""
    import rjieba  # the tagger, needed only for a clause that opens with words

    # A clause that opens with its subject (党政领导班子开展…) repeats no verb.
    first = rjieba.tag(text[start : fact.start])[:1]
    return head if first and first[0][1].startswith("v") else ""


def breakdown_items(doc: Document) -> set[int]:
    """Facts that are one item of a breakdown by object, with no total stated.

    "检查车辆12800辆次,检查船舶484艘次,检查企业409家次": clauses that repeat one
    verb over different objects split a count none of them is the total of. A
    neighbour counted as another indicator is another count, not a breakdown
    ("受理复议案件12件,受理诉讼案件5件"), and a light verb (组织, 开展) opens
    unrelated activities ("组织干部旁听庭审,组织1478名干部参加考试").
    """
    text, facts = doc.text, doc.facts
    items: set[int] = set()
    for index, fact in enumerate(facts):
        if not fact.indicator or fact.is_rate:
            continue
        head = _clause_head(text, fact)
        if not head:
            continue
        for other in (index - 1, index + 1):
            if not 0 <= other < len(facts):
                continue
            near = facts[other]
            if near.indicator not in (None, fact.indicator) or near.is_rate:
                continue
            lo, hi = sorted((fact.start, near.start))
            between = text[lo:hi]
            # Neighbouring clauses of one sentence: one clause mark between them.
            if sum(between.count(c) for c in ",;") != 1 or any(c in between for c in "。\n"):
                continue
            if _clause_head(text, near) == head and near.subject != fact.subject:
                items.add(index)
    return items


def sibling_form_counts(
    doc: Document, indicator: Indicator, candidates: list[tuple[int, Fact]]
) -> set[Decimal]:
    """Values of counts of another form of the indicator's activity beside its candidates.

    "全年开展法治专题宣讲2场次,走进校园开展法治授课1场次": the 授课 is not taken
    as publicity, but it is publicity of another form in the same paragraph, so
    the 宣讲 count is one form among several, not the year's total.
    """
    forms, topic = indicator.sibling_forms, indicator.sibling_topic
    if forms is None or topic is None:
        return set()
    text, facts = doc.text, doc.facts
    taken = {i for i, _ in candidates}
    found: set[Decimal] = set()
    for _, fact in candidates:
        lo = text.rfind("\n", 0, fact.start) + 1
        hi = text.find("\n", fact.end) % (len(text) + 1)
        for other in (j for j in range(len(facts)) if j not in taken):
            near = facts[other]
            if not lo <= near.start < hi or near.indicator or near.unit not in indicator.units:
                continue
            # A list with an item of another activity is a mixed count (警示教育、
            # 法治培训等活动3场), not another form of this one; a 其中 item is a
            # part of a count, not another form beside it.
            # A list item that starts with its number ("8次中心组专题学习、1期读书班")
            # counts the noun after it.
            subject, own = _own_clause(doc, near)
            items = subject.removesuffix("等").split("、") if subject else [own]
            if near.subordinate or not all(forms.search(i) for i in items):
                continue
            if indicator.none and indicator.none.search(subject + own):
                # What the indicator excludes (宣传栏出刊56期 are posts) is no form of it.
                continue
            f = _Fact(doc, near)
            if (
                topic.search(f.around()[0])
                and not indicator.other_audience(subject + own)
                and not _not_own(f, indicator.id, table())
            ):
                found.add(near.value)
    return found


# "由2711项减至2656项", "从1545项减少至1453项": the figure before and after a change.
# "从2021版的10项扩充至31项": the earlier figure may carry its version or year.
_FROM = re.compile(r"[由从](?:[\d\u4e00-\u9fa5]{1,8}的)?\s*$")
_TO = re.compile(r"\s*[\u4e00-\u9fa5]{0,3}?[至到]\s*")


def changed_figures(doc: Document) -> dict[int, int]:
    """For each figure a change ends at, the figure it started from ("由A减至B": B -> A)."""
    text, facts = doc.text, doc.facts
    pairs = {}
    for i in range(1, len(facts)):
        before, after = facts[i - 1], facts[i]
        if (
            before.unit == after.unit
            and _TO.fullmatch(text, before.end, after.start)
            and _FROM.search(text, _clause_start(text, before.start), before.start)
        ):
            pairs[i] = i - 1
    return pairs


def _map_change(doc: Document, after: Fact, before: Fact) -> tuple[str | None, str | None]:
    """The figure a change ends at is the unit's figure now: mapped on what the clause
    counts before 由/从, as if it stood in the earlier figure's place."""
    # The earlier figure's clause up to its number: the verb of change after it
    # (增加到, 减至) says nothing of what is counted.
    clause = before.context
    cut = clause.find(before.text)
    counted = _FROM.sub("", clause[:cut]) if cut >= 0 else None
    stand_in = dataclasses.replace(
        after,
        subject=_FROM.sub("", before.subject),
        context=counted + after.text if counted is not None else after.context,
    )
    return _map(doc, stand_in, counted)


# "审核行政规范性文件27件、备案18件、清理22件": after the first item, each item is
# its verb and number; the object is the first item's.
_VERB_ITEM = re.compile(r"、\s*([\u4e00-\u9fa5]{2,3})\s*")


def _verb_item(doc: Document, index: int, objects: dict[int, str]) -> tuple[str | None, str | None]:
    """A list item of a verb and a number, mapped with the object of the item before it.

    `objects` holds the object of each item so read, for the item after it.
    """
    facts = doc.facts
    if index == 0:
        return None, None
    before, fact = facts[index - 1], facts[index]
    verb = _VERB_ITEM.fullmatch(doc.text, before.end, fact.start)
    if not verb or before.unit != fact.unit or not before.indicator or before.kind != "number":
        return None, None
    noun = objects.get(index - 1, before.subject)
    stand_in = dataclasses.replace(fact, subject=verb[1] + noun, context=verb[1] + noun + fact.text)
    mapped = _map(doc, stand_in)
    if mapped[0]:
        objects[index] = noun
    return mapped


_OBJECT_ITEM = re.compile(r"、\s*([\u4e00-\u9fa5]{2,12})\s*")


def _object_item(doc: Document, index: int) -> tuple[str | None, str | None]:
    """A list item of an object and a number, mapped with the verb of the first item:
    "审查行政机关合同178件、规范性文件12件" reviews the 12 documents."""
    if index == 0:
        return None, None
    before, fact = doc.facts[index - 1], doc.facts[index]
    item = _OBJECT_ITEM.fullmatch(doc.text, before.end, fact.start)
    if not item or before.unit != fact.unit or before.kind != "number":
        return None, None
    t = table()
    verbs = [v for group in t.activity_verb_groups for v in group]
    if any(v in item[1] for v in verbs):
        return None, None
    opening = doc.text[_clause_start(doc.text, before.start) : before.start]
    at = max((opening.rfind(v) + len(v) for v in verbs if v in opening), default=-1)
    if at < 0:
        return None, None
    object_ = item[1]
    stand_in = dataclasses.replace(
        fact, subject=opening[:at] + object_, context=opening[:at] + object_ + fact.text
    )
    return _map(doc, stand_in)


def run(doc: Document) -> None:
    by_indicator: dict[str, list[tuple[int, Fact]]] = {}
    narrower: dict[str, set[Decimal]] = {}
    earlier_years = other_year_cells(doc)
    changes = changed_figures(doc)
    earlier = set(changes.values())
    objects: dict[int, str] = {}
    asides = []
    for index, fact in enumerate(doc.facts):
        if index in earlier:
            # The figure a change started from is another period's.
            fact.indicator, aside = None, None
        elif index in changes:
            fact.indicator, aside = _map_change(doc, fact, doc.facts[changes[index]])
        else:
            fact.indicator, aside = _map(doc, fact)
            if fact.indicator is None and aside is None:
                fact.indicator, aside = _verb_item(doc, index, objects)
            if fact.indicator is None and aside is None:
                fact.indicator, aside = _object_item(doc, index)
        asides.append(aside)
    items = breakdown_items(doc)
    for index, (fact, aside) in enumerate(zip(doc.facts, asides, strict=True)):
        if index in items and not _is_total(doc, fact, table()):
            fact.indicator, aside = None, fact.indicator
        if not fact.is_rate and (fact.kind == "distributed" or _respectively(doc, fact)):
            # "宪法、民法典宣讲各1场次", "县委中心组、县政府党组中心组分别开展4次":
            # one item's count; the activity's count is their sum, which the
            # report does not state.
            fact.indicator = None
        if index in earlier_years:
            continue
        if fact.indicator:
            by_indicator.setdefault(fact.indicator, []).append((index, fact))
        elif aside and not fact.subordinate:
            # A 其中 item is a part of the count it follows, not a rival to it.
            narrower.setdefault(aside, set()).add(fact.value)
    order = list(dict.fromkeys(i.id for i in table().indicators))
    doc.indicators = {}
    for key in sorted(by_indicator, key=order.index):
        candidates = by_indicator[key]
        siblings = sibling_form_counts(doc, _by_id()[key], candidates)
        chosen = _report_value(doc, candidates, narrower.get(key, set()), siblings)
        if chosen is not None:
            doc.indicators[key] = chosen
