"""Rendering highlighted report text. Every piece of report text goes through escaping."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from fazhi.render.common import format_number

register = template.Library()


@register.filter
def paragraph(segments: list[Any]) -> SafeString:
    """One line of segments as inline HTML; no whitespace may creep in between pieces."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<mark class="{}" data-f="{}" title="{}">{}</mark>',
                    s.classes,
                    " ".join(str(r) for r in s.refs),
                    s.title,
                    s.text,
                )
                if s.classes
                else format_html("{}", s.text),
            )
            for s in segments
        ),
    )


@register.filter
@functools.lru_cache(maxsize=4096)
def clip(text: str, limit: int) -> str:
    """`text` whole if it fits in `limit` characters, else cut after a word, with "…".

    A heading is never cut inside a word: "(一)深入学习习近平…", not "(一)深入学习习近".
    """
    if len(text) <= limit:
        return text
    import rjieba  # the segmenter, only for headings too long to show whole

    kept = ""
    for word in rjieba.cut(text):
        if len(kept) + len(word) > limit - 1:
            break
        kept += word
    # A single word longer than the room is shown whole rather than cut.
    return (kept or next(iter(rjieba.cut(text)), text)).rstrip("，,、；;：: ") + "…"


@register.filter
def cn_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def num(value: Any) -> str:
    if value is None or value == "":
        return "—"
    try:
        return format_number(float(value))
    except (TypeError, ValueError):
        return str(value)
