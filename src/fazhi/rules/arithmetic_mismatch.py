"""Flags stated totals, parts and rates that do not agree.

## What it finds
Within one sentence:
- a total and its 其中 parts, when the parts add up to more than the total,
  or when the parts end with a residual category (其他, 其余) and do not add
  up to the total;
- received = handled + pending ("接收30953宗, 已处理30827宗, 待处理124宗");
- a rate and the two counts it is computed from ("受理118宗, 已办结118宗,
  办结率100%"), allowing for the rate's rounding or truncation;
- a rate (…率) above 100%;
- the number of decided cases (审结120件) and its outcomes (维持、撤销、确认违法、
  驳回、终止…, at least three of them), which classify every decided case
  and so must add up to it.

## Why it matters
Numbers that contradict each other are the first thing an inspection picks
on, and usually a typo in one of them. Checking them by hand is slow.

## Example
    共接收信访投诉案件30953宗,已处理案件30827宗,待处理案件124宗
flags: 30827 + 124 = 30951, not 30953.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from fazhi.document import Document, Fact, Finding
from fazhi.numbers import normalize
from fazhi.rules.base import rule_text
from fazhi.words import any_of

SLUG = "arithmetic-mismatch"
TEXT = rule_text(SLUG)

TOTAL_WORDS = ("接收", "受理", "收到", "共", "累计", "登记", "排查", "收案", "接到", "总数")
DONE_WORDS = (
    "办结",
    "已处理",
    "处理",
    "化解",
    "完成",
    "结案",
    "审结",
    "解决",
    "答复",
    "成功",
    "办复",
    "处置",
)
PENDING_WORDS = ("待处理", "未办结", "正在办理", "在办", "办理中", "剩余", "未结")
RESIDUAL_WORDS = ("其他", "其余", "剩余", "其它")
# How a decided reconsideration or court case ends: together they classify
# every decided case, so their sum is the number decided.
DECIDED_WORDS = ("审结", "办结", "结案", "作出复议决定", "作出决定")
OUTCOME_WORDS = (
    "维持",
    "撤销",
    "变更",
    "确认违法",
    "责令履行",
    "驳回",
    "终止",
    "调解",
    "和解",
    "败诉",
    "胜诉",
)
# A rate above 100% that states a growth is not a share.
GROWTH_WORDS = ("增长", "增幅", "提高", "上升", "同比")
# A change on last year is neither a part nor a total.
DELTA_WORDS = ("增长", "增加", "减少", "下降", "同比", "较去年", "较上年", "比去年", "提高")


def _same_unit(a: Fact, b: Fact) -> bool:
    # "4141个事项, 其中行政许可395项": 个 counts anything.
    return a.unit == b.unit or "个" in (a.unit, b.unit)


def _has(fact: Fact, words: tuple[str, ...]) -> bool:
    return any_of(words).search(fact.context) is not None


def _fmt(value: Decimal) -> str:
    return str(normalize(value))


def _by_sentence(doc: Document) -> list[tuple[int, int, list[Fact]]]:
    groups: dict[tuple[int, int], list[Fact]] = {}
    for fact in doc.facts:
        span = doc.sentence_at(fact.start) if fact.kind == "number" else None
        if span is not None:
            groups.setdefault(span, []).append(fact)
    return [(start, end, facts) for (start, end), facts in groups.items()]


def _parts_and_total(doc: Document, start: int, facts: list[Fact]) -> Iterator[Finding]:
    at = doc.text.find("其中", start, facts[-1].start)
    if at < 0:
        return
    totals = [f for f in facts if f.end <= at and not f.is_rate]
    if not totals:
        return
    total = totals[-1]
    parts = [f for f in facts if f.start > at and _same_unit(f, total) and not f.is_rate]
    parts = [p for p in parts if p.kind != "distributed" and not _has(p, DELTA_WORDS)]
    if len(parts) < 2:
        return
    stated = sum((p.value for p in parts), Decimal(0))
    residual = any(w in parts[-1].subject for w in RESIDUAL_WORDS)
    if stated > total.value or (residual and stated != total.value):
        relation = "大于" if stated > total.value else "不等于"
        yield TEXT.finding(
            total.start,
            parts[-1].end,
            detail=f"其中各项之和为{_fmt(stated)}{total.unit}，{relation}总数“{total.text}”。",
        )


def _received_handled_pending(facts: list[Fact]) -> Iterator[Finding]:
    counts = [f for f in facts if not f.is_rate]
    for i, total in enumerate(counts):
        if not _has(total, TOTAL_WORDS):
            continue
        rest = [f for f in counts[i + 1 :] if f.unit == total.unit]
        done = next((f for f in rest if _has(f, DONE_WORDS) and not _has(f, PENDING_WORDS)), None)
        pending = next((f for f in rest if _has(f, PENDING_WORDS)), None)
        if done and pending and done.value + pending.value != total.value:
            yield TEXT.finding(
                total.start,
                max(done.end, pending.end),
                detail=f"“{total.text}”应等于“{done.text}”与“{pending.text}”之和，"
                f"但{_fmt(done.value)}+{_fmt(pending.value)}="
                f"{_fmt(done.value + pending.value)}。",
            )
            return


def _rate_against_counts(facts: list[Fact]) -> Iterator[Finding]:
    for i, rate in enumerate(facts):
        if not rate.is_rate or rate.kind == "distributed" or "率" not in rate.subject:
            continue
        # The rate names what it counts: 办结率 is 办结 over received, but
        # 纠错率 is not 审结 over received, so a rate is only checked against
        # a count that shares its verb.
        stem = rate.subject[: rate.subject.rindex("率")]
        verbs = [w for w in DONE_WORDS if w in stem]
        if not verbs:
            continue
        before = [f for f in facts[:i] if not f.is_rate]
        done = next(
            (f for f in reversed(before) if _has(f, tuple(verbs)) and not _has(f, PENDING_WORDS)),
            None,
        )
        if done is None:
            continue
        # The base is a total (受理, 共…), or a count of the same activity
        # stated before its successful share (调解纠纷1200件, 调解成功1180件).
        activity = stem[:2]
        totals = [
            f
            for f in before
            if f.end <= done.start
            and f.unit == done.unit
            and (_has(f, TOTAL_WORDS) or (activity in f.context and not _has(f, tuple(verbs))))
        ]
        if not totals or totals[-1].value == 0:
            continue
        total = totals[-1]
        computed = done.value / total.value * 100
        exponent = rate.value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        step = Decimal(1).scaleb(-decimals)
        # Reports round or truncate: either reading of the stated digits is fine.
        if rate.value - step / 2 <= computed < rate.value + step:
            continue
        yield TEXT.finding(
            total.start,
            rate.end,
            detail=f"“{rate.text}”与“{done.text}”÷“{total.text}”的计算结果"
            f"{computed.quantize(Decimal('0.01'))}%不一致。",
        )


def _outcomes_against_decided(facts: list[Fact]) -> Iterator[Finding]:
    counts = [f for f in facts if not f.is_rate and f.kind == "number"]
    for i, total in enumerate(counts):
        if not _has(total, DECIDED_WORDS) or _has(total, OUTCOME_WORDS):
            continue
        outcomes = []
        for f in counts[i + 1 :]:
            if f.unit != total.unit or not f.subject.startswith(OUTCOME_WORDS):
                break
            outcomes.append(f)
        if len(outcomes) < 3:
            continue
        stated = sum((f.value for f in outcomes), Decimal(0))
        if stated != total.value:
            yield TEXT.finding(
                total.start,
                outcomes[-1].end,
                detail=f"各类结案方式之和为{_fmt(stated)}{total.unit}，"
                f"不等于审结总数“{total.text}”。",
            )
        return


def _rates_over_100(facts: list[Fact]) -> Iterator[Finding]:
    for f in facts:
        if (
            f.unit == "%"
            and f.value > 100
            and f.subject.endswith("率")
            and not _has(f, GROWTH_WORDS)
        ):
            yield TEXT.finding(f.start, f.end, detail=f"比率“{f.text}”超过100%。")


def check(doc: Document) -> Iterator[Finding]:
    for start, _, facts in _by_sentence(doc):
        spans: set[tuple[int | None, int | None]] = set()
        for finding in (
            *_parts_and_total(doc, start, facts),
            *_outcomes_against_decided(facts),
            *_received_handled_pending(facts),
            *_rate_against_counts(facts),
            *_rates_over_100(facts),
        ):
            # The same numbers found wrong twice are one finding.
            if (finding.start, finding.end) not in spans:
                spans.add((finding.start, finding.end))
                yield finding
