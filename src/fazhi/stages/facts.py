"""Stage: every cardinal quantity and percentage the report states.

A fact is a number with its measure word ("3134单", "百余次", "32.3万条",
"98.1%"), its qualifier (余/多/近/超/约/以上/以内) and the subject it counts.
Years, dates, document numbers, ordinals, enumerators and numbers inside names
or quotations ("三项制度", "“1+2+N”", 《行政执法100问》) are not facts. A
distributive statement ("按时办复率和代表满意率均达100%") gives one fact per
subject; a stated zero ("无行政复议案件") is a fact with value 0.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from decimal import Decimal
from functools import cache

from fazhi import data, numbers
from fazhi.document import Document, Fact

_CLAUSE_END = ",;。:!?\n"
_CJK = re.compile(r"[\u4e00-\u9fa5]")


@cache
def _config() -> dict:
    return data.load("facts")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _pattern() -> re.Pattern[str]:
    cfg = _config()
    q = cfg["qualifiers"]
    arabic = r"\d+(?:,\d{3})+(?![\d.])|\d+(?:\.\d+)?"
    chinese = f"[{numbers.CN_CHARS}]+"
    return re.compile(
        rf"(?P<pre>{_alternation(list(q['before']))}"
        rf"|(?:{_alternation(list(q['before_round']))})(?=[百千万]))?"
        r"(?:"
        rf"百分之(?P<pct_num>{arabic}|{chinese})"
        rf"|(?P<arabic>(?:{arabic})[十百千万亿]*)"
        rf"|(?P<chinese>{chinese})"
        r")"
        rf"(?P<mid>{_alternation(list(q['middle']))})?"
        r"(?P<mult>[万亿](?:余|多)?)?"
        rf"(?:(?P<pct>[%‰])|(?P<unit>{_alternation(cfg['units'])}))?"
        rf"(?P<post>{_alternation(list(q['after']))})?"
    )


_ZERO = re.compile(
    r"(?:无|没有|未发生|未出现|未收到|零)(?P<subject>[^,;。、的\n“”《》]{2,14}?(?:案件|事项|申请))"
)


@cache
def _starts() -> re.Pattern[str]:
    """Characters a number can start with: a digit, a numeral (百分之 too), a qualifier.

    Trying the fact pattern only there gives the same matches as finditer,
    which would try it at every offset of the text.
    """
    q = _config()["qualifiers"]
    first = {word[0] for word in [*q["before"], *q["before_round"]]} | set(numbers.CN_CHARS)
    return re.compile(rf"[\d{re.escape(''.join(sorted(first | {'百'})))}]")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside “…” and 《…》 on one line: names, not statements (sorted, disjoint)."""
    pattern = r"“[^”\n]{0,40}”|《[^》\n]{0,80}》|\"[^\"\n]{0,40}\""
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, pos, key=lambda span: span[0]) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


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


def _is_name(text: str, start: int, end: int) -> bool:
    cfg = _config()["not_facts"]
    window = text[start : end + 6]
    return any(window.startswith(expr) for expr in cfg["fixed_expressions"])


def _numbers(doc: Document, lo: int, hi: int) -> list[Fact]:
    text = doc.text
    cfg = _config()
    q = cfg["qualifiers"]
    before_ordinal = tuple(cfg["not_facts"]["before_ordinal"])
    quoted = _quoted_spans(text)
    pattern = _pattern()
    facts: list[Fact] = []
    matched_end = lo
    for candidate in _starts().finditer(text, lo, hi):
        if candidate.start() < matched_end:
            continue
        m = pattern.match(text, candidate.start(), hi)
        if m is None:
            continue
        matched_end = m.end()
        unit = "%" if m["pct_num"] else (m["pct"] or m["unit"] or "")
        # Most matches are bare numbers, dropped here by the cheapest test.
        if not unit and not m["mult"]:
            continue
        prev = text[max(lo, m.start() - 2) : m.start()]
        if prev.endswith(before_ordinal) or (prev and (prev[-1].isdigit() or prev[-1] in ".-/")):
            continue
        chinese = m["chinese"]
        raw = m["pct_num"] or m["arabic"] or chinese
        if chinese:
            has_digit = any(c in "一二两三四五六七八九" for c in chinese)
            if not unit or not (has_digit or m["mid"] or m["pre"]):
                continue
            if _is_name(text, m.start(), m.end()):
                continue
            if chinese == "一" and not (m["mid"] or m["pre"]):
                continue
        if not unit and text[m.end() : m.end() + 1] == "年":
            continue
        if _inside(quoted, m.start()):
            continue
        try:
            value = numbers.parse(raw)
        except numbers.NumberError:
            continue
        mult = m["mult"] or ""
        for ch in mult:
            if ch in "万亿":
                value *= 10_000 if ch == "万" else 100_000_000
        qualifier = None
        for group, table in (("pre", "before"), ("mid", "middle"), ("post", "after")):
            if m[group]:
                qualifier = q[table].get(m[group]) or q["before_round"][m[group]]
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


def _zeros(doc: Document, lo: int, hi: int, taken: list[Fact]) -> list[Fact]:
    quoted = _quoted_spans(doc.text)
    found = []
    for m in _ZERO.finditer(doc.text, lo, hi):
        if _inside(quoted, m.start()) or any(
            f.start < m.end() and m.start() < f.end for f in taken
        ):
            continue
        found.append(
            Fact(
                start=m.start(),
                end=m.end(),
                text=m[0],
                value=Decimal(0),
                unit="件",
                subject=m["subject"],
                kind="zero",
            )
        )
    return found


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


def _attach_subjects(doc: Document, facts: list[Fact], hi: int) -> None:
    """Give each fact its subject, its clause and its 其中 status."""
    text = doc.text
    classifiers = set(_config()["noun_classifiers"])
    claimed = 0  # end of the text the previous fact spoke for
    for i, fact in enumerate(facts):
        clause_start = _clause_start(text, fact.start, 0)
        prev_end = max(clause_start, claimed)
        nxt = facts[i + 1].start if i + 1 < len(facts) else hi
        # A list item ends at "、": the next item's name is not this fact's.
        tail_end = min(_clause_end(text, fact.end, hi), nxt)
        enum = text.find("、", fact.end, tail_end)
        tail_end = enum if enum >= 0 else tail_end
        prefix = text[prev_end : fact.start]
        sentence_start = _sentence_start(doc, fact.start)
        fact.subordinate = "其中" in text[sentence_start : fact.start] or "包括" in prefix
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
    """ "A率和B率均达100%" states two facts."""
    out = []
    for fact in facts:
        parts = _list_items(fact.subject)
        before = text[max(0, fact.start - 4) : fact.start]
        if (
            fact.is_rate
            and len(parts) > 1
            and ("均" in before or all(p.endswith("率") for p in parts))
        ):
            for part in parts:
                out.append(
                    dataclasses.replace(fact, subject=part, context=part, kind="distributed")
                )
        else:
            out.append(fact)
    return out


def _list_items(subject: str) -> list[str]:
    """ "A率、B率和C率" -> [A率, B率, C率]; "及时率" stays whole."""
    items = []
    for piece in subject.split("、"):
        split = [p for p in re.split("[和与及]", piece)]
        if len(split) > 1 and all(len(p) >= 2 and p.endswith("率") for p in split):
            items.extend(split)
        elif piece:
            items.append(piece)
    return items


def run(doc: Document) -> None:
    lo = doc.meta.title_span[1] if doc.meta.title_span else 0
    hi = doc.body_end
    facts = _numbers(doc, lo, hi)
    facts += _zeros(doc, lo, hi, facts)
    facts.sort(key=lambda f: f.start)
    _attach_subjects(doc, facts, hi)
    doc.facts = _distribute(facts, doc.text)
