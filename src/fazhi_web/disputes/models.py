"""行政复议 cases the unit decides as 复议机关, and 行政诉讼 cases it answers as 被告.

Each record keeps the dates of what happened; the time limits and their states are
derived (`disputes.deadlines`), never stored. Outcomes and which of them count as
纠错 or 败诉 are data (`fazhi/data/ledgers.toml`).
"""

from __future__ import annotations

from django.db import models

from fazhi import data as engine_data
from fazhi_web.ledgers.models import Hideable
from fazhi_web.units.models import Unit

RECONSIDERATION = engine_data.load("ledgers")["reconsideration"]
LITIGATION = engine_data.load("ledgers")["litigation"]
ReconsiderationOutcome = models.TextChoices(
    "ReconsiderationOutcome",
    [(c.upper(), (c, label)) for c, label, _ in RECONSIDERATION["outcomes"]],
)
CORRECTING = tuple(c for c, _, corrects in RECONSIDERATION["outcomes"] if corrects)
Stage = models.TextChoices("Stage", [(c.upper(), (c, label)) for c, label in LITIGATION["stages"]])
LitigationOutcome = models.TextChoices(
    "LitigationOutcome", [(c.upper(), (c, label)) for c, label, _ in LITIGATION["outcomes"]]
)
LOSING = tuple(c for c, _, lost in LITIGATION["outcomes"] if lost)


class Reconsideration(Hideable):
    """收案 → 受理 (or 不予受理) → 审理 → 决定."""

    unit = models.ForeignKey(
        Unit, verbose_name="复议机关", on_delete=models.PROTECT, related_name="reconsiderations"
    )
    number = models.CharField("案号", max_length=60)
    applicant = models.CharField("申请人", max_length=100)
    respondent = models.CharField("被申请人", max_length=100)
    matter = models.CharField("复议事项", max_length=200, blank=True)
    received_on = models.DateField("收到申请日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    refused_on = models.DateField("不予受理决定日期", null=True, blank=True)
    refusal_reason = models.CharField("不予受理理由", max_length=200, blank=True)
    extension_approved_on = models.DateField("延长审理批准日期", null=True, blank=True)
    extension_approver = models.CharField("延长审理批准人", max_length=60, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    outcome = models.CharField(
        "决定结果", max_length=24, choices=ReconsiderationOutcome.choices, blank=True
    )
    outcome_note = models.CharField("决定说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["unit", "received_on"])]

    def __str__(self) -> str:
        return self.number


class Litigation(Hideable):
    """A lawsuit against the unit at one court and stage (an appeal is its own record)."""

    unit = models.ForeignKey(
        Unit, verbose_name="被告单位", on_delete=models.PROTECT, related_name="litigations"
    )
    number = models.CharField("案号", max_length=60)
    court = models.CharField("审理法院", max_length=100)
    stage = models.CharField("审级", max_length=12, choices=Stage.choices)
    plaintiff = models.CharField("原告（上诉人）", max_length=100)
    matter = models.CharField("案由", max_length=200, blank=True)
    filed_on = models.DateField("收到应诉通知日期")
    concluded_on = models.DateField("结案日期", null=True, blank=True)
    outcome = models.CharField(
        "裁判结果", max_length=24, choices=LitigationOutcome.choices, blank=True
    )
    outcome_note = models.CharField("结果说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-filed_on", "-pk"]
        indexes = [models.Index(fields=["unit", "filed_on"])]

    def __str__(self) -> str:
        return self.number


class Hearing(models.Model):
    """One court hearing of a lawsuit, and whether the unit's head (负责人) appeared."""

    litigation = models.ForeignKey(Litigation, on_delete=models.PROTECT, related_name="hearings")
    held_on = models.DateField("开庭日期")
    head_appeared = models.BooleanField("负责人出庭", default=False)
    head_name = models.CharField("出庭负责人", max_length=60, blank=True)
    head_title = models.CharField("职务", max_length=60, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.litigation} {self.held_on}开庭"
