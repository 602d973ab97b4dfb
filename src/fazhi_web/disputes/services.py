"""Writes of the disputes app beyond the shared case steps: a lawsuit's hearings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from fazhi_web.audit.log import record as audit
from fazhi_web.disputes.models import Hearing, Litigation
from fazhi_web.ledgers import services
from fazhi_web.reports.services import ActionRefused


@transaction.atomic
def record_hearing(
    actor: Any,
    litigation: Litigation,
    *,
    held_on: dt.date,
    head_appeared: bool,
    head_name: str = "",
    head_title: str = "",
    note: str = "",
) -> Hearing:
    Litigation.objects.select_for_update().filter(pk=litigation.pk).first()
    litigation.refresh_from_db()
    if not services.can_edit(actor, litigation.unit):
        raise ActionRefused(f"只有{litigation.unit.name}的填报人员可以记录开庭情况。")
    if litigation.is_hidden:
        raise ActionRefused("该记录已隐藏，不能修改。")
    problems = []
    if held_on > services.today():
        problems.append(f"开庭日期{held_on}晚于今天")
    if held_on < litigation.filed_on:
        problems.append("开庭日期早于收到应诉通知日期")
    if head_appeared and not (head_name.strip() and head_title.strip()):
        problems.append("负责人出庭的，请填写出庭负责人的姓名和职务")
    if problems:
        raise ActionRefused("；".join(problems) + "。")
    hearing = Hearing.objects.create(
        litigation=litigation, held_on=held_on, head_appeared=head_appeared,
        head_name=head_name.strip(), head_title=head_title.strip(), note=note.strip(),
    )  # fmt: skip
    who = f"{hearing.head_title}{hearing.head_name}出庭" if head_appeared else "负责人未出庭"
    audit(
        actor, "litigation.hearing", f"记录开庭：{litigation}，{held_on}，{who}",
        unit=litigation.unit, obj=litigation,
        after={"held_on": held_on.isoformat(), "head_appeared": head_appeared,
               "head_name": hearing.head_name, "head_title": hearing.head_title},
    )  # fmt: skip
    return hearing
