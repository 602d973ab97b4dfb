"""The 政务公开 metadata of a published report: 索引号, 发布机构, 主题分类, 成文日期.

Government portals number what they publish as 机构代码/年份-流水号: for
example 镇巴县人民政府's "6107280000/2024-001005"
(http://zb.gov.cn/zbxzf/xzfwj/202404/49ca3d0c669f4c2ebf6f7fabf563549c.shtml),
the county's division code padded to ten digits, the year of publication and a
six-digit running number. Units here carry no 机构代码, so the proposal stands
the unit's id in for it, padded the same way; the reviewer can type the real
code when publishing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from fazhi_web.portal.models import Publication
from fazhi_web.reports.models import Obligation
from fazhi_web.reports.services import ActionRefused

# The 主题分类 under which portals file these yearly reports; the reviewer may change it.
DEFAULT_TOPIC = "综合政务"
INDEX_NUMBER = re.compile(r"^(?P<code>[0-9A-Za-z]{1,30})/(?P<year>\d{4})-(?P<seq>\d{1,8})$")
_MAX = {f.name: f.max_length for f in Publication._meta.fields if getattr(f, "max_length", None)}


@dataclass
class Fields:
    index_number: str
    issuer: str
    topic: str
    written_on: dt.date | None


def unit_code(obligation: Obligation) -> str:
    return f"{obligation.unit_id:010d}"


def next_index_number(code: str, year: int) -> str:
    """The code's next running number in the year; numbers already given are never reused."""
    prefix = f"{code}/{year}-"
    taken = Publication.objects.filter(index_number__startswith=prefix).values_list(
        "index_number", flat=True
    )
    last = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:06d}"


def written_date(analysis: dict[str, Any]) -> dt.date | None:
    """The 成文日期 the engine read at the end of the report (meta.date, ISO), if any."""
    value = (analysis.get("meta") or {}).get("date")
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def propose(obligation: Obligation) -> Fields:
    """What the publish dialog offers; what is stored if the reviewer changes nothing."""
    existing = Publication.objects.filter(obligation=obligation).first()
    if existing is not None:
        return Fields(existing.index_number, existing.issuer, existing.topic, existing.written_on)
    version = obligation.current_version
    analysis = version.analysis if version is not None else {}
    year = timezone.localdate().year
    return Fields(
        index_number=next_index_number(unit_code(obligation), year),
        issuer=(analysis.get("meta") or {}).get("unit") or obligation.unit.name,
        topic=DEFAULT_TOPIC,
        written_on=written_date(analysis),
    )


def clean(fields: Fields) -> Fields:
    """The fields as typed, checked; refusals say what to fix."""
    index_number = fields.index_number.strip()
    issuer = " ".join(fields.issuer.split())
    topic = " ".join(fields.topic.split())
    if not INDEX_NUMBER.match(index_number):
        raise ActionRefused("索引号格式应为“机构代码/年份-流水号”，如 0000000042/2024-000001。")
    if not issuer:
        raise ActionRefused("请填写发布机构。")
    if not topic:
        raise ActionRefused("请填写主题分类。")
    if len(issuer) > _MAX["issuer"] or len(topic) > _MAX["topic"]:
        raise ActionRefused(
            f"发布机构不能超过{_MAX['issuer']}个字，主题分类不能超过{_MAX['topic']}个字。"
        )
    if fields.written_on is not None and fields.written_on > timezone.localdate():
        raise ActionRefused("成文日期不能晚于今天。")
    return Fields(index_number, issuer, topic, fields.written_on)


def recorded(fields: Fields) -> dict[str, Any]:
    """The fields as the audit log keeps them."""
    return {
        "index_number": fields.index_number,
        "issuer": fields.issuer,
        "topic": fields.topic,
        "written_on": fields.written_on.isoformat() if fields.written_on else None,
    }


def store(obligation: Obligation, fields: Fields) -> None:
    """Keep the checked (`clean`) metadata of a report being published, inside its publication."""
    taken = Publication.objects.filter(index_number=fields.index_number).exclude(
        obligation=obligation
    )
    if taken.exists():
        raise ActionRefused(f"索引号“{fields.index_number}”已被其他报告使用，请换一个。")
    Publication.objects.update_or_create(
        obligation=obligation,
        defaults={
            "index_number": fields.index_number,
            "issuer": fields.issuer,
            "topic": fields.topic,
            "written_on": fields.written_on,
        },
    )
