"""信访事项 the unit handles, and the 12345 hotline work orders dispatched to it.

The hotline's time limit depends on the order's category: those limits are a table
(`HotlineCategory`, like an Open311 service definition) an administrator keeps, each
with its source; the rates are computed from the orders, never typed.
"""

from __future__ import annotations

from django.db import models

from fazhi_web.ledgers.models import Hideable
from fazhi_web.units.models import Unit


class PetitionChannel(models.TextChoices):
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    ONLINE = "online", "网上信访"
    PHONE = "phone", "电话"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


SATISFIED = (Satisfaction.SATISFIED, Satisfaction.FAIRLY)


class Petition(Hideable):
    """受理 decided within 15 days, concluded within 60 (+30); then perhaps 复查 and 复核."""

    unit = models.ForeignKey(
        Unit, verbose_name="办理机关", on_delete=models.PROTECT, related_name="petitions"
    )
    number = models.CharField("信访件编号", max_length=60)
    petitioner = models.CharField("信访人", max_length=100, blank=True)
    channel = models.CharField("信访形式", max_length=12, choices=PetitionChannel.choices)
    content = models.TextField("信访事项", blank=True)
    received_on = models.DateField("收到日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    not_accepted_on = models.DateField("不予受理告知日期", null=True, blank=True)
    extension_approved_on = models.DateField("延长办理批准日期", null=True, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    result = models.CharField("处理意见", max_length=200, blank=True)
    satisfaction = models.CharField(
        "信访人评价", max_length=12, choices=Satisfaction.choices, blank=True
    )
    review_requested_on = models.DateField("收到复查请求日期", null=True, blank=True)
    reviewed_on = models.DateField("复查意见日期", null=True, blank=True)
    recheck_requested_on = models.DateField("收到复核请求日期", null=True, blank=True)
    rechecked_on = models.DateField("复核意见日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["unit", "received_on"])]

    def __str__(self) -> str:
        return self.number


class LimitUnit(models.TextChoices):
    WORKING = "working", "工作日"
    CALENDAR = "calendar", "自然日"


class HotlineCategory(Hideable):
    """A category of work order and its time limit, as the hotline's rules set it."""

    name = models.CharField("工单类别", max_length=60)
    region = models.CharField("适用地区", max_length=100, blank=True)
    limit_length = models.PositiveSmallIntegerField("办理时限")
    limit_unit = models.CharField("时限单位", max_length=8, choices=LimitUnit.choices)
    source = models.CharField("时限依据", max_length=200)

    class Meta:
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "region"],
                condition=models.Q(hidden_reason=""),
                name="one_visible_hotline_category_per_region",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.limit_length}{self.get_limit_unit_display()}）"


class HotlineOrder(Hideable):
    unit = models.ForeignKey(
        Unit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="hotline_orders"
    )
    number = models.CharField("工单编号", max_length=60)
    category = models.CharField("工单类别", max_length=60)
    content = models.TextField("诉求内容", blank=True)
    dispatched_on = models.DateField("派单日期")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    satisfaction = models.CharField(
        "回访评价", max_length=12, choices=Satisfaction.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dispatched_on", "-pk"]
        indexes = [models.Index(fields=["unit", "dispatched_on"])]

    def __str__(self) -> str:
        return self.number
