"""人大代表建议 and 政协提案 assigned (交办) to the unit, and their replies (办复)."""

from __future__ import annotations

from django.db import models

from fazhi_web.ledgers.models import Hideable
from fazhi_web.petitions.models import Satisfaction
from fazhi_web.units.models import Unit


class ProposalKind(models.TextChoices):
    NPC = "npc", "人大代表建议"
    CPPCC = "cppcc", "政协提案"


class Proposal(Hideable):
    unit = models.ForeignKey(
        Unit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="proposals"
    )
    kind = models.CharField("类别", max_length=8, choices=ProposalKind.choices)
    number = models.CharField("编号", max_length=60)
    title = models.CharField("标题", max_length=200)
    proposer = models.CharField("代表或委员", max_length=100, blank=True)
    assigned_on = models.DateField("交办日期")
    replied_on = models.DateField("办复日期", null=True, blank=True)
    satisfaction = models.CharField(
        "代表委员评价", max_length=12, choices=Satisfaction.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assigned_on", "-pk"]
        indexes = [models.Index(fields=["unit", "assigned_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
