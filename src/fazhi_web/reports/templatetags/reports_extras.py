"""Small display helpers for the reports pages."""

from __future__ import annotations

from django import template

register = template.Library()

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


@register.filter
def human_size(n: int | None) -> str:
    """Bytes as a government clerk reads them: 字节 / KB / MB."""
    if n is None:
        return ""
    if n < 1024:
        return f"{n} 字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


@register.filter
def severity_zh(severity: str) -> str:
    return SEVERITY_ZH.get(severity, severity)


@register.filter
def signed(value: float | None) -> str:
    """A change with its sign, so that +3.5 and -2 read as movements."""
    if value is None:
        return ""
    return f"{value:+g}"
