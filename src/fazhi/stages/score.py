"""Stage: a 0-100 score a reviewer can read and argue with.

Six named criteria, weights in `data/score.toml`: on time, the five contents,
how much is quantified, how deep the 不足 and 原因 go, how concrete next
year's plan is, and writing defects. Each carries a one-line reason in
Chinese that names what was counted.
"""

from __future__ import annotations

import re
from typing import Any

from fazhi import data
from fazhi.document import REQUIRED_PARTS, Criterion, Document
from fazhi.stages.parts import part_names
from fazhi.words import any_of

# Markers that open one item of a list: (一) 一是 1. (1) ① 一方面 首先, at the
# start of the text or after 。;: or a line break.
_ITEM_MARKER = (
    r"(?:\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}是"
    r"|\d{1,2}[.、](?!\d)|\(\d{1,2}\)|[①②③④⑤⑥⑦⑧⑨⑩]|一方面|另一方面|首先|其次|再次|最后)"
)
_ITEM_AT_START = re.compile(_ITEM_MARKER)
# The stop is matched rather than looked behind at, so that the search skips
# ahead to each stop; no marker holds a stop, so no item is missed.
_ITEM_AFTER_STOP = re.compile(rf"[。;:\n]{_ITEM_MARKER}")
_DIGIT = re.compile(r"\d")


def _share(value: float, full: float) -> float:
    return max(0.0, min(1.0, value / full)) if full else 1.0


def _round(value: float) -> float:
    return round(value, 1)


def _part_text(doc: Document, part: str) -> str:
    return "\n".join(doc.text[a:b] for a, b in doc.parts[part].spans)


def _on_time(doc: Document, cfg: dict[str, Any]) -> Criterion:
    # A date that cannot be right cannot show the report was on time.
    wrong = [f for f in doc.findings if f.rule in cfg["no_points_rules"]]
    if wrong:
        return Criterion(0.0, cfg["max"], wrong[0].message)
    if doc.meta.date is None:
        return Criterion(
            _round(cfg["max"] * cfg["unknown_share"]),
            cfg["max"],
            "报告未注明日期，无法判断是否按时。",
        )
    return Criterion(float(cfg["max"]), cfg["max"], f"报告日期{doc.meta.date}，在截止日期之前。")


def _parts(doc: Document, cfg: dict[str, Any]) -> Criterion:
    names = part_names()
    missing = [names[p] for p in REQUIRED_PARTS if not doc.parts[p].present]
    each = cfg["max"] / len(REQUIRED_PARTS)
    score = each * (len(REQUIRED_PARTS) - len(missing))
    why = "四项必备内容齐全。" if not missing else "缺少：" + "；".join(missing) + "。"
    return Criterion(_round(score), cfg["max"], why)


def _concreteness(doc: Document, cfg: dict[str, Any]) -> Criterion:
    body_chars = max(1, doc.body_end)
    per_1000 = len(doc.facts) / body_chars * 1000
    score = cfg["max"] / 2 * _share(per_1000, cfg["facts_per_1000"]) + cfg["max"] / 2 * _share(
        len(doc.indicators), cfg["indicators"]
    )
    why = (
        f"每千字{per_1000:.1f}个数据（满分需{cfg['facts_per_1000']}个）；"
        f"涉及{len(doc.indicators)}项核心指标（满分需{cfg['indicators']}项）。"
    )
    return Criterion(_round(score), cfg["max"], why)


def _items(text: str) -> int:
    """How many list items the text opens."""
    return bool(_ITEM_AT_START.match(text)) + len(_ITEM_AFTER_STOP.findall(text))


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。;!?\n]", text) if len(s.strip()) >= 6]


def _shortcomings(doc: Document, cfg: dict[str, Any]) -> Criterion:
    text = _part_text(doc, "shortcomings")
    if not text:
        return Criterion(0.0, cfg["max"], "未查摆存在的不足。")
    chars = len(text)
    items = _items(text)
    causes = any_of(tuple(cfg["cause_words"])).search(text) is not None
    sentences = _sentences(text)
    generic_phrase = any_of(tuple(cfg["generic_phrases"]))
    generic = sum(1 for s in sentences if generic_phrase.search(s))
    generic_share = generic / len(sentences) if sentences else 1.0
    third = cfg["max"] / 3
    score = (
        third * _share(chars, cfg["chars"])
        + third * _share(items, cfg["items"])
        + third * ((0.6 if causes else 0.0) + 0.4 * (1 - generic_share))
    )
    why = (
        f"约{chars}字，列出{items}条；{'分析了原因' if causes else '未分析原因'}；"
        f"{generic}/{len(sentences)}句为套话式表述。"
    )
    return Criterion(_round(score), cfg["max"], why)


def _plan(doc: Document, cfg: dict[str, Any]) -> Criterion:
    text = _part_text(doc, "next_year")
    if not text:
        return Criterion(0.0, cfg["max"], "未提出下一年度安排。")
    chars = len(text)
    items = _items(text)
    measurable_word = any_of(tuple(cfg["measurable_words"]))
    measurable = sum(1 for s in _sentences(text) if _DIGIT.search(s) or measurable_word.search(s))
    third = cfg["max"] / 3
    score = (
        third * _share(chars, cfg["chars"])
        + third * _share(items, cfg["items"])
        + third * _share(measurable, cfg["measurable"])
    )
    why = f"约{chars}字，列出{items}项安排，其中{measurable}句有具体任务、时限或数量。"
    return Criterion(_round(score), cfg["max"], why)


def _writing(doc: Document, cfg: dict[str, Any]) -> Criterion:
    counted = [f for f in doc.findings if f.rule in cfg["rules"]]
    penalty = sum(cfg["penalty"][f.severity] for f in counted)
    score = max(0.0, cfg["max"] - penalty)
    why = (
        "未发现文字问题。"
        if not counted
        else f"发现{len(counted)}处文字或数据问题，扣{penalty}分。"
    )
    return Criterion(float(score), cfg["max"], why)


CRITERIA = {
    "on_time": _on_time,
    "parts": _parts,
    "concreteness": _concreteness,
    "shortcomings_depth": _shortcomings,
    "next_year_plan": _plan,
    "writing": _writing,
}


def run(doc: Document) -> None:
    spec = data.load("score")
    doc.score = {}
    for name, criterion in CRITERIA.items():
        result = criterion(doc, spec[name])
        result.label = spec[name]["name"]
        doc.score[name] = result
