"""What a drafted report says: its title, the five parts and the ledger figures in sentences.

`compose` is pure: it takes what the platform knows (the ledger figures, last year's plan
items, the open rectification items) and returns the draft as blocks, each one paragraph
of a kind that `gongwen.write` knows how to lay out. The words are in data/wording.toml;
the part headings are the engine's own names of the parts (src/fazhi/data/parts.toml),
so that the engine finds every part of a draft handed back unedited.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fazhi import data as engine_data

DATA = Path(__file__).parent / "data"
CHINESE_NUMERALS = "一二三四五六七八九十"


@cache
def load(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA / f"{name}.toml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Block:
    # title, heading1 (一、), heading2 (（一）), body, blank, signature, date
    kind: str
    text: str = ""


def part_heading(part: str, year: int) -> str:
    """The engine's name of a part, for the report on `year`: 上一年度 is `year` itself."""
    name: str = engine_data.load("parts")["names"][part]
    return name.replace("上一年度", f"{year}年").replace("下一年度", f"{year + 1}年")


def format_value(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def figure_sentences(figures: dict[str, float | None]) -> list[tuple[str, list[str]]]:
    """The ledger figures in sentences, grouped as data/wording.toml groups them.

    A figure without a value (a filing rate when nothing was issued) is left out:
    there is nothing to state.
    """
    groups: dict[str, list[str]] = {}
    for sentence in load("wording")["sentence"]:
        value = figures.get(sentence["indicator"])
        if value is None:
            continue
        if value == 0 and "zero" in sentence:
            text = sentence["zero"]
        else:
            text = sentence["text"].format(value=format_value(value))
        groups.setdefault(sentence["group"], []).append(text)
    return list(groups.items())


def cn_date(day: dt.date) -> str:
    # GB/T 9704-2012 7.3.5.4: 用阿拉伯数字将年、月、日标全，月、日不编虚位.
    return f"{day.year}年{day.month}月{day.day}日"


def _numbered(items: list[str]) -> list[Block]:
    """Items as 三级 paragraphs "1.…" (GB/T 9704-2012 7.3.3), each closed by a 句号."""
    out = []
    for number, item in enumerate(items, start=1):
        text = item.strip().rstrip("，,；;：:、")
        if not text.endswith(("。", "！", "？")):
            text += "。"
        out.append(Block("body", f"{number}.{text}"))
    return out


def compose(
    unit: str,
    year: int,
    figures: dict[str, float | None],
    plan_items: list[str],
    open_items: list[str],
    signed_on: dt.date,
) -> list[Block]:
    wording = load("wording")
    prompts, groups = wording["prompts"], wording["groups"]
    blocks = [
        Block("title", f"{unit}{year}年法治政府建设年度报告"),
        Block("blank"),
        Block("body", wording["opening"].format(year=year, unit=unit)),
    ]
    parts = ["measures", "shortcomings", "first_responsible", "next_year", "other"]
    for number, part in zip(CHINESE_NUMERALS, parts, strict=False):
        blocks.append(Block("heading1", f"{number}、{part_heading(part, year)}"))
        if part == "measures":
            blocks += _measures(figures, plan_items, year, groups, prompts)
        elif part == "shortcomings":
            if open_items:
                blocks.append(Block("body", prompts["open_items_lead"]))
                blocks += _numbered(open_items)
            blocks.append(Block("body", prompts["shortcomings"]))
        else:
            blocks.append(Block("body", prompts[part]))
    blocks += [Block("blank"), Block("signature", unit), Block("date", cn_date(signed_on))]
    return blocks


def _measures(
    figures: dict[str, float | None],
    plan_items: list[str],
    year: int,
    groups: dict[str, str],
    prompts: dict[str, str],
) -> list[Block]:
    out: list[Block] = []
    numbered = 0
    for group, sentences in figure_sentences(figures):
        out.append(Block("heading2", f"（{CHINESE_NUMERALS[numbered]}）{groups[group]}"))
        out.append(Block("body", "".join(sentences)))
        numbered += 1
    if plan_items:
        title = groups["plan"].format(last_year=year - 1)
        out.append(Block("heading2", f"（{CHINESE_NUMERALS[numbered]}）{title}"))
        out += _numbered(plan_items)
        out.append(Block("body", prompts["plan_follow_up"]))
    out.append(Block("body", prompts["measures"]))
    return out
