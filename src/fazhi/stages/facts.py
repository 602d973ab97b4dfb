"""Stage: every cardinal quantity and percentage the report states.

A fact is a number with its measure word ("3134单", "百余次", "32.3万条",
"98.1%", "118 项", "25微克/立方米"), its qualifier (余/多/近/超/约/以上/以内) and
the subject it counts. "数十次" is 10 and more, "三成" is 30 %, and 一 with a
measure word is a count ("召开一次会议") when the two stand as words of their own
("一次性", "统一部署" are not counts: the segmenter tells). Years, dates,
document numbers, ordinals, enumerators and numbers inside names or quotations
("三项制度", "“1+2+N”", 《行政执法100问》) are not facts. A distributive
statement ("按时办复率和代表满意率均达100%", "A、B和C各1名") gives one fact per
subject; a stated zero ("无行政复议案件", "行政诉讼案件为零") is a fact with value
0, one per kind of case it names ("未发生行政复议和行政诉讼案件").
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from decimal import Decimal
from functools import cache

from fazhi import data, numbers
from fazhi.document import Document, Fact

_CLAUSE_END = ",;。:!?\n"
_SPACE = "[ \u3000\u00a0]"
_SPACES = " \u3000\u00a0"
_DIGITS = "一二两三四五六七八九"
# The groups a match can end with when nothing follows the number.
_BARE = frozenset({"pre", "arabic", "chinese", "mid"})
# A number right after these is part of a code, a date or a product (7×24小时).
_OPERATORS = ".-/×*"
_CJK = re.compile(r"[\u4e00-\u9fa5]")


@cache
def _config() -> dict:
    return data.load("facts")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _measures() -> list[str]:
    cfg = _config()
    return [*cfg["units"], *cfg["tenths"], *cfg["durations"]]


@cache
def _pattern() -> re.Pattern[str]:
    cfg = _config()
    q = cfg["qualifiers"]
    arabic = r"\d+(?:,\d{3})+(?![\d.])|\d+(?:\.\d+)?"
    chinese = f"[{numbers.CN_CHARS}]+"
    return re.compile(
        rf"(?P<pre>{_alternation(list(q['before']))}"
        rf"|(?:{_alternation(list(q['before_round']))})(?=[百千万])"
        rf"|(?:{_alternation(list(q['before_several']))})(?=[十百千万亿]))?"
        r"(?:"
        rf"百分之(?P<pct_num>{arabic}|{chinese})"
        rf"|(?P<arabic>(?:{arabic})[十百千万亿]*)"
        rf"|(?P<chinese>{chinese})"
        r")"
        # Typed or converted text may put a space before what follows the
        # digits: "118 项", "280 余场次", "2.8 万人次".
        rf"(?:{_SPACE}?(?P<mid>{_alternation(list(q['middle']))}))?"
        rf"(?:{_SPACE}?(?P<mult>[万亿](?:余|多)?))?"
        # One alternation for every measure (counts, tenths 成, years 年) is the
        # cheapest for the many bare numbers it fails on.
        rf"(?:{_SPACE}?(?:(?P<pct>[%‰])|(?P<unit>{_alternation(_measures())})))?"
        rf"(?P<post>{_alternation(list(q['after']))})?"
    )


@cache
def _zero_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A stated absence: 无行政复议案件, 未发生行政复议和行政诉讼案件, 行政诉讼案件为零,
    未制定规范性文件.

    A rate stated as zero without % ("差评率为0") is 0 %. The forms after the
    noun are found by their words (为零, 为0) and the noun read back from there:
    a pattern that began with the noun would be tried at every offset.
    """
    cfg = _config()["zeros"]
    # 诉讼案 is a head only where 案件 is not: "无行政诉讼案件" ends at 件.
    heads = rf"(?:{_alternation(cfg['heads'])})(?!件)"
    noun = rf"[^,;。、的\n“”《》]{{2,14}}?(?:{heads})"
    listed = rf"[^,;。的\n“”《》]{{2,30}}?(?:{heads})"
    joins = _alternation(cfg["joins"])
    acted = cfg["not_done"]
    # "未制定规范性文件": the verb of the work not done is part of what is counted.
    absence = re.compile(
        rf"(?:{_alternation(cfg['before'])})(?P<subject>{listed}(?:(?:{joins}){noun})*)"
        rf"|(?:{_alternation(acted['negations'])})(?P<acted>(?:{_alternation(acted['verbs'])})"
        rf"[^,;。的\n“”《》]{{0,8}}?(?:{_alternation(acted['objects'])}))"
    )
    after = re.compile(
        rf"(?:{_alternation(cfg['after'])})(?![\d.%])(?!{_alternation(_config()['units'])})"
    )
    before_after = re.compile(rf"(?:(?P<stated>{noun})|(?P<rate>[^,;。、的\n“”《》]{{1,12}}?率))$")
    return absence, after, before_after


@cache
def _starts() -> re.Pattern[str]:
    """Characters a number can start with: a digit, a numeral (百分之 too), a qualifier.

    Trying the fact pattern only there gives the same matches as finditer,
    which would try it at every offset of the text.
    """
    q = _config()["qualifiers"]
    first = {word[0] for word in [*q["before"], *q["before_round"], *q["before_several"]]} | set(
        numbers.CN_CHARS
    )
    return re.compile(rf"[\d{re.escape(''.join(sorted(first | {'百'})))}]")


_QUOTED = re.compile(r"“[^”\n]{0,40}”|《[^》\n]{0,80}》|\"[^\"\n]{0,40}\"")


class _Quoted:
    """Spans inside “…” and 《…》 on one line: names, not statements (sorted, disjoint)."""

    def __init__(self, text: str) -> None:
        spans = [m.span() for m in _QUOTED.finditer(text)]
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.starts[i] < pos < self.ends[i]


@cache
def _subject_rules() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    cfg = _config()["subject"]
    leading = "|".join(
        [
            *cfg["leading_patterns"],
            *(f"^{re.escape(w)}" for w in sorted(cfg["leading"], key=len, reverse=True)),
        ]
    )
    trailing = f"(?:{_alternation(cfg['trailing'])})$"
    stops = _alternation(cfg["suffix_stops"])
    return re.compile(leading), re.compile(trailing), re.compile(stops)


def clean_subject(text: str) -> str:
    leading, trailing, _ = _subject_rules()
    text = text.strip(" 、,")
    while True:
        shorter = trailing.sub("", leading.sub("", text, count=1), count=1).strip(" 、,")
        # "参与率" is a subject; "率" alone is not.
        if shorter == text or (len(shorter) == 1 and len(text) > 1):
            return text
        text = shorter


def _suffix_noun(text: str, pos: int, limit: int) -> str:
    """The noun a classifier counts: "16个部门" -> "部门"."""
    _, _, stops = _subject_rules()
    end = pos
    while end < limit and end - pos < 15:
        ch = text[end]
        if ch in _CLAUSE_END or ch in "、()“”《》" or ch.isdigit():
            break
        end += 1
    noun = text[pos:end]
    m = stops.search(noun)
    if m:
        noun = noun[: m.start()]
    return noun if _CJK.match(noun) else ""


@cache
def _fixed_expressions() -> tuple[str, ...]:
    return tuple(_config()["not_facts"]["fixed_expressions"])


def _is_name(text: str, start: int, end: int) -> bool:
    return text.startswith(_fixed_expressions(), start)


def _is_place_name(text: str, m: re.Match[str]) -> bool:
    """三张镇, 九台区: the numeral and measure word begin a place's name."""
    names = _config()["not_facts"]
    return m["unit"] not in names["place_counters"] and text.startswith(
        tuple(names["place_suffixes"]), m.end("unit")
    )


def _is_one_count(text: str, m: re.Match[str], lo: int, hi: int) -> bool:
    """Whether 一 and its measure word state a count: 召开一次会议, not 一次性/统一部署.

    A count is a numeral and a measure word standing as words of their own. The
    segmenter joins 一 into the longer words it is part of (一次性, 统一, 一方面,
    进一步), so 一 must start a token and the measure word must end one. Phrases
    where 一 means "a" or "together" (一批, 一起, 一个时期) or a reform's name
    (一件事, 跑一次) are listed in the data.

    >>> 召开一次会议 -> 一次 (1 次); 实行一次性告知 -> no fact; 统一部署 -> no fact
    """
    start, unit_end = m.start(), m.end("unit")
    # "一户一档", "一人一岗": one X to each Y, a rule of correspondence, not a count.
    if "一" in text[unit_end : unit_end + 2]:
        return False
    cfg = _config()["not_facts"]
    if text[max(lo, start - 2) : start].endswith(tuple(cfg["one_not_after"])):
        return False
    for phrase in cfg["one_not_counts"]:
        if text.startswith(phrase, start - phrase.index("一")):
            return False
    return _stands_alone(text, start, unit_end, lo, hi)


def _stands_alone(text: str, start: int, end: int, lo: int, hi: int) -> bool:
    """Whether text[start:end] begins and ends on word boundaries (一次 yes, 一次性 no)."""
    import rjieba  # the segmenter, needed only for numerals written in characters

    window_start = max(lo, start - 6)
    window = text[window_start : min(hi, end + 4)]
    tokens = rjieba.tokenize(window, "default", False)
    return any(s == start - window_start for _, s, _ in tokens) and any(
        e == end - window_start for _, _, e in tokens
    )


def _is_span_of_years(text: str, m: re.Match[str], lo: int, hi: int) -> bool:
    """ "连续三年", "十余年", "近5年" count years; "2022年" and "二〇二二年" name one.

    A span that modifies a noun names a period, not a count ("五年规划",
    "三年行动计划", "谋划五年工作"); the segmenter tags the word after it. Time
    nouns ("用10年时间") and a marked span ("连续4年网格化考评第一") still count.
    """
    if m["arabic"]:
        if len(m["arabic"].split(".")[0]) > 2:
            return False
    else:
        chinese = m["chinese"] or ""
        # 二〇二二 / 二零二二 / 二二 spell a year digit by digit; a count has 十 between digits.
        if any(c in "〇零" for c in chinese) or any(
            a in _DIGITS and b in _DIGITS for a, b in itertools.pairwise(chinese)
        ):
            return False
        # "数十年如一日", "十年磨一剑" are idioms, one word to the segmenter.
        if not _stands_alone(text, m.start(), m.end("unit"), lo, hi):
            return False
    start, end = m.start(), m.end("unit")
    # "连续4年获评", "近3年来": a marked span counts whatever follows it.
    if m["pre"] or text[max(lo, start - 2) : start].endswith(_span_markers()):
        return True
    import rjieba  # the segmenter's tagger, needed only for a span of years

    pos = start
    for word, tag in rjieba.tag(text[start : min(hi, end + 6)]):
        if pos == end:
            return not (tag.startswith("n") or tag == "vn") or word in _time_nouns()
        pos += len(word)
        if pos > end:
            break
    return True


@cache
def _time_nouns() -> frozenset[str]:
    return frozenset(_config()["duration_nouns"])


@cache
def _span_markers() -> tuple[str, ...]:
    return tuple(_config()["duration_markers"])


def _numbers(doc: Document, lo: int, hi: int, quoted: _Quoted) -> list[Fact]:
    text = doc.text
    cfg = _config()
    q = cfg["qualifiers"]
    qualifier_of = {**q["before_round"], **q["before_several"]}
    before_ordinal = tuple(cfg["not_facts"]["before_ordinal"])
    not_measures = tuple(cfg["not_measures"])
    tenths_words = frozenset(cfg["tenths"])
    duration_words = frozenset(cfg["durations"])
    pattern = _pattern()
    facts: list[Fact] = []
    matched_end = lo
    # End of the last ordinal: "第51次、53次常务会议" and "六届二次、三次全会" list
    # ordinals, and the items after the first do not repeat 第 or 届.
    ordinal_end = -1
    for candidate in _starts().finditer(text, lo, hi):
        start = candidate.start()
        if start < matched_end:
            continue
        m = pattern.match(text, start, hi)
        if m is None:
            continue
        matched_end = m.end()
        # Most matches are bare numbers (no unit, multiplier or qualifier after
        # them) or years, dropped here by the cheapest tests.
        last = m.lastgroup
        if last in _BARE:
            if start and text[start - 1] == "第":  # 第一、二轮
                ordinal_end = matched_end
            continue
        word = m["unit"]
        if word in duration_words:
            # A year (2022年), the commonest number in a report, is dropped first.
            arabic = m["arabic"]
            if arabic and len(arabic) > 2 and arabic.isdigit():
                continue
            if not _is_span_of_years(text, m, lo, hi):
                continue
        tenths = word in tenths_words
        unit = "%" if m["pct_num"] or tenths else (m["pct"] or word or "")
        if not unit and not m["mult"]:
            continue
        # "第 3 次" is still an ordinal: look past a space.
        prev = text[max(lo, start - 3) : start].rstrip(_SPACES)
        if prev.endswith(before_ordinal) or (
            ordinal_end == start - 1 and text[ordinal_end] == "、"
        ):
            ordinal_end = matched_end
            continue
        if prev and (prev[-1].isdigit() or prev[-1] in _OPERATORS):
            continue
        if word and text.startswith(not_measures, m.start("unit")):
            continue
        chinese = m["chinese"]
        raw = m["pct_num"] or m["arabic"] or chinese
        # 三成 is 30 %; 一成不变 is an idiom, one word to the segmenter.
        if tenths and not (
            chinese
            and len(chinese) == 1
            and chinese in _DIGITS
            and _stands_alone(text, m.start("chinese"), m.end("unit"), lo, hi)
        ):
            continue
        if chinese:
            # A bare 十/百/千/万 with a measure is often a name or an idiom (新十条,
            # 百家, 千家万户) unless a qualifier makes it a count (百余次, 上千人).
            has_digit = any(c in _DIGITS for c in chinese)
            if not unit or not (has_digit or m["mid"] or m["pre"]):
                continue
            if _is_name(text, m.start(), m.end()) or (
                unit == m["unit"] and _is_place_name(text, m)
            ):
                continue
            if (
                chinese == "一"
                and not (m["mid"] or m["pre"])
                and not (m["unit"] and _is_one_count(text, m, lo, hi))
            ):
                continue
        if not unit and text[m.end() : m.end() + 1] == "年":
            continue
        if m.start() in quoted:
            continue
        try:
            value = numbers.parse(raw)
        except numbers.NumberError:
            continue
        mult = m["mult"] or ""
        for ch in mult:
            if ch in "万亿":
                value *= 10_000 if ch == "万" else 100_000_000
        if tenths:
            value *= 10
        qualifier = None
        for group, table in (("pre", "before"), ("mid", "middle"), ("post", "after")):
            if m[group]:
                qualifier = q[table].get(m[group]) or qualifier_of[m[group]]
        if "余" in mult or "多" in mult:
            qualifier = "余" if "余" in mult else "多"
        # A trailing 以上/以内 belongs to the fact: "100场以上".
        fact = Fact(
            start=m.start(),
            end=m.end(),
            text=m[0],
            value=numbers.normalize(value),
            unit=unit,
            qualifier=qualifier,
        )
        facts.append(fact)
    return facts


def _zeros(doc: Document, lo: int, hi: int, taken: list[Fact], quoted: _Quoted) -> list[Fact]:
    text = doc.text
    absence, after, before_after = _zero_patterns()
    found: list[Fact] = []

    def add(start: int, end: int, subject: str, unit: str) -> None:
        if start in quoted or any(f.start < end and start < f.end for f in [*taken, *found]):
            return
        found.append(
            Fact(
                start=start,
                end=end,
                text=text[start:end],
                value=Decimal(0),
                unit=unit,
                subject=subject,
                kind="zero",
            )
        )

    for m in absence.finditer(text, lo, hi):
        add(m.start(), m.end(), m["subject"] or m["acted"], "件")
    for m in after.finditer(text, lo, hi):
        window_start = max(lo, m.start() - 16)
        n = before_after.search(text[window_start : m.start()])
        if n is None:
            continue
        stated = n["stated"] or n["rate"]
        # "全年行政诉讼案件为零": the fact starts at what it counts.
        subject = clean_subject(stated)
        start = window_start + n.start() + max(0, stated.find(subject))
        add(start, m.end(), subject, "%" if n["rate"] else "件")
    found.sort(key=lambda f: f.start)
    return found


def _zero_items(subject: str) -> list[str]:
    """The kinds of case a stated absence names: one zero fact each.

    "行政复议案件和行政诉讼案件" names two; so does "行政复议和行政诉讼案件", whose
    items share the head noun. Items that modify the head ("变更、撤销…案件": two
    characters, an outcome, not a kind of case) leave the phrase whole; an
    outcome before the shared head is shared too ("复议、应诉败诉案件").
    """
    heads = tuple(_config()["zeros"]["heads"])
    outcomes = _config()["zeros"]["outcomes"]
    items: list[str] = []
    pending: list[str] = []
    for item in _split_list(subject):
        pending.append(item)
        if item.endswith(heads):
            head = next(h for h in heads if item.endswith(h))
            # "行政复议、行政应诉败诉案件": the outcome is shared with the head.
            outcome = next((o for o in outcomes if item.endswith(o + head)), "")
            head = outcome + head
            bare = [p.removesuffix(head) for p in pending]
            if len(pending) > 1 and all(len(b) >= 4 for b in bare):
                items.extend(p if p.endswith(heads) else p + head for p in pending)
            else:
                items.append("、".join(pending))
            pending = []
    if pending:
        items.append("、".join(pending))
    return [item for item in items if item]


def _clause_start(text: str, pos: int, lo: int) -> int:
    i = pos - 1
    while i >= lo and text[i] not in _CLAUSE_END:
        i -= 1
    return i + 1


def _clause_end(text: str, pos: int, hi: int) -> int:
    i = pos
    while i < hi and text[i] not in _CLAUSE_END:
        i += 1
    return i


def _sentence_start(doc: Document, pos: int) -> int:
    sentence = doc.sentence_at(pos)
    return sentence[0] if sentence else pos


def _part_of_previous(
    text: str, facts: list[Fact], i: int, clause_start: int, sentence_start: int
) -> bool:
    """A count that opens the clause after "N项X中,": a part of the N ("2418项政务服务
    事项中,2331项纳入…")."""
    if i == 0 or text[clause_start : facts[i].start].strip() or clause_start < 2:
        return False
    previous = facts[i - 1]
    return (
        text[clause_start - 2] == "中"
        and sentence_start <= previous.start
        and previous.end <= clause_start - 2
        and not any(c in _CLAUSE_END for c in text[previous.end : clause_start - 2])
    )


def _attach_subjects(doc: Document, facts: list[Fact], hi: int) -> None:
    """Give each fact its subject, its clause and its 其中 status."""
    text = doc.text
    classifiers = set(_config()["noun_classifiers"])
    claimed = 0  # end of the text the previous fact spoke for
    # Facts come in text order, so each clause boundary search starts where the
    # previous one stopped: the text between two facts is read once.
    scanned = scanned_start = 0  # the clause of position `scanned` starts at scanned_start
    clause_end = -1  # the end of the clause the previous fact ended in
    for i, fact in enumerate(facts):
        clause_start = _clause_start(text, fact.start, scanned)
        if clause_start == scanned:
            clause_start = scanned_start
        scanned, scanned_start = fact.start, clause_start
        if fact.end > clause_end:
            clause_end = _clause_end(text, fact.end, hi)
        prev_end = max(clause_start, claimed)
        nxt = facts[i + 1].start if i + 1 < len(facts) else hi
        # A list item ends at "、": the next item's name is not this fact's.
        tail_end = min(clause_end, nxt)
        enum = text.find("、", fact.end, tail_end)
        tail_end = enum if enum >= 0 else tail_end
        prefix = text[prev_end : fact.start]
        sentence_start = _sentence_start(doc, fact.start)
        fact.subordinate = (
            "其中" in text[sentence_start : fact.start]
            or "包括" in prefix
            or _part_of_previous(text, facts, i, clause_start, sentence_start)
        )
        fact.context = text[prev_end:tail_end]
        claimed = fact.end
        if fact.kind == "zero":
            continue
        subject = clean_subject(prefix)
        noun = _suffix_noun(text, fact.end, tail_end) if fact.unit in classifiers else ""
        if noun:
            subject = noun
            claimed = fact.end + len(noun)
        elif fact.is_rate and text.startswith("的", fact.end):
            # "96.02%的事项实现…" is a share of what follows.
            subject = text[fact.end + 1 : tail_end][:20]
        if not subject and fact.unit not in classifiers:
            # "共召开6次常务会议": the noun after the measure is the subject.
            subject = _suffix_noun(text, fact.end, tail_end)
        if not subject:
            # "已办结3019单" counts what the sentence already named.
            earlier = [f for f in facts[:i] if f.start >= sentence_start and f.subject]
            if earlier:
                subject = earlier[-1].subject
        fact.subject = subject


def _distribute(facts: list[Fact], text: str) -> list[Fact]:
    """One fact per subject of a distributive statement.

    "A率、B率和C率均达100%" states three rates; "评选先进单位、先进个人和优秀案例各1名"
    states three counts (各 gives the number to each item of the list before it).
    """
    heads = tuple(_config()["subject"]["rate_heads"])
    out: list[Fact] = []
    for fact in facts:
        if fact.kind == "zero":
            items = _zero_items(fact.subject)
            if len(items) > 1:
                out.extend(dataclasses.replace(fact, subject=i, context=i) for i in items)
            else:
                out.append(fact)
            continue
        before = text[max(0, fact.start - 4) : fact.start]
        parts = _list_items(fact.subject) if fact.is_rate else []
        if len(parts) > 1 and ("均" in before or all(p.endswith(heads) for p in parts)):
            for part in parts:
                out.append(
                    dataclasses.replace(fact, subject=part, context=part, kind="distributed")
                )
            continue
        # 各 stands within a few characters before the number, or not at all.
        each = (
            _each_items(text, fact) if "各" in text[max(0, fact.start - 6) : fact.start] else None
        )
        if each:
            items, tail = each
            for item in items:
                out.append(
                    dataclasses.replace(fact, subject=item, context=item + tail, kind="distributed")
                )
            continue
        out.append(fact)
    return out


def _each_items(text: str, fact: Fact) -> tuple[list[str], str] | None:
    """The list a "各N" count gives its number to: "A、B和C各1名" -> [A, B, C].

    各 must follow the list within the clause, right before the number or a verb
    of giving (各配备1名); "各乡镇配备1名" has no list and "各类讲座12次" is no
    distribution: both are one fact.
    """
    clause_start = _clause_start(text, fact.start, 0)
    prefix = text[clause_start : fact.start]
    at = prefix.rfind("各")
    if at < 2 or prefix[at + 1 :].strip(_SPACES) not in _each_links():
        return None
    items = [clean_subject(item) for item in _split_list(prefix[:at])]
    items = [item for item in items if item]
    if len(items) < 2:
        return None
    return items, text[clause_start + at : fact.end] + fact.context[len(prefix) + len(fact.text) :]


@cache
def _each_links() -> frozenset[str]:
    return frozenset(["", *_config()["subject"]["each_verbs"]])


def _split_list(phrase: str) -> list[str]:
    """Items of an enumeration, split at 、 and at the conjunctions the segmenter finds.

    Splitting on tokens keeps words like 和解 or 及时 whole.
    """
    import rjieba

    conjunctions = set(_config()["subject"]["conjunctions"])
    items, current = [], ""
    for word in rjieba.cut(phrase, hmm=False):
        if word in conjunctions:
            items.append(current)
            current = ""
        else:
            current += word
    items.append(current)
    return [item.strip() for item in items]


def _list_items(subject: str) -> list[str]:
    """ "A率、B率和C率" -> [A率, B率, C率]; "及时率" stays whole."""
    heads = tuple(_config()["subject"]["rate_heads"])
    items = []
    for piece in subject.split("、"):
        split = _split_list(piece)
        if len(split) > 1 and all(len(p) >= 2 and p.endswith(heads) for p in split):
            items.extend(split)
        elif piece:
            items.append(piece)
    return items


def run(doc: Document) -> None:
    lo = doc.meta.title_span[1] if doc.meta.title_span else 0
    hi = doc.body_end
    quoted = _Quoted(doc.text)
    facts = _numbers(doc, lo, hi, quoted)
    facts += _zeros(doc, lo, hi, facts, quoted)
    facts.sort(key=lambda f: f.start)
    _attach_subjects(doc, facts, hi)
    doc.facts = _distribute(facts, doc.text)
