"""Rendering highlighted report text. Every piece of report text goes through escaping."""

from __future__ import annotations

import datetime as dt
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
                format_html('<mark class="{}" title="{}">{}</mark>', s.classes, s.title, s.text)
                if s.classes
                else format_html("{}", s.text),
            )
            for s in segments
        ),
    )


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
