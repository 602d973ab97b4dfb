"""整改 (rectification): a problem an office wants put right, the unit's answer, and 销号.

An item comes from a review finding, a 督察 (`Inspection`) or a 通报. Its state moves
待整改 → 已提交（待核验）→ 已销号, or back to 待整改 with the office's reason; every move
goes through `services`. Whether an item is overdue is derived from its 时限 on the
working-day calendar (`services.due_date`), never stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from fazhi_web.reports.models import Obligation, ReportingYear
from fazhi_web.units.models import Unit


class Source(models.TextChoices):
    FINDING = "finding", "审查发现"
    INSPECTION = "inspection", "督察"
    NOTICE = "notice", "通报"


class ItemState(models.TextChoices):
    OPEN = "open", "待整改"
    SUBMITTED = "submitted", "已提交（待核验）"
    CLOSED = "closed", "已销号"


class Inspection(models.Model):
    """A 督察 the office carried out: when, by which team, of which units."""

    office = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspections")
    held_on = models.DateField("督察日期")
    team = models.CharField("督察组", max_length=200)
    units = models.ManyToManyField(Unit, related_name="inspected_in", verbose_name="被督察单位")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on.year}年{self.held_on.month}月{self.held_on.day}日{self.team}督察"


class Item(models.Model):
    """One problem to put right, owed by `unit` to the office that raised it."""

    office = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="raised_items")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rectification_items")
    # The year whose annual report must account for the rectification.
    year = models.PositiveIntegerField("整改年度", db_index=True)
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    obligation = models.ForeignKey(
        Obligation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finding_index = models.PositiveIntegerField(null=True, blank=True)
    finding_rule = models.CharField(max_length=40, blank=True)
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    notice_cycle = models.ForeignKey(
        ReportingYear, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    problem = models.TextField("问题")
    person = models.CharField("责任人", max_length=50, blank=True)
    measures = models.TextField("整改措施", blank=True)
    raised_on = models.DateField("提出日期")
    # 时限: a date, or a number of working days from `raised_on` on the unit's calendar.
    due_on = models.DateField("时限", null=True, blank=True)
    limit_working_days = models.PositiveSmallIntegerField("时限（工作日）", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=ItemState.choices, default=ItemState.OPEN, db_index=True
    )
    return_reason = models.CharField("退回理由", max_length=300, blank=True)
    escalated = models.BooleanField("挂牌督办", default=False)
    escalation_reason = models.CharField("督办理由", max_length=300, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit_id", "id"]
        indexes = [models.Index(fields=["unit", "year", "state"], name="rect_unit_year_state")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__isnull=False) | models.Q(limit_working_days__gt=0),
                name="rect_item_has_time_limit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.problem[:30]}"


class Evidence(models.Model):
    """A 佐证材料 file, kept as it came (named by sha256 under UPLOAD_ROOT), never replaced."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="evidence")
    original_name = models.CharField("文件名", max_length=255)
    stored_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("佐证材料一经保存不可修改。")
        super().save(*args, **kwargs)
