"""学法: the leadership's study sessions; 述法: a head reporting on the rule of law."""

from __future__ import annotations

from django.db import models

from fazhi_web.ledgers.models import Hideable
from fazhi_web.units.models import Unit


class SessionKind(models.TextChoices):
    BEFORE_MEETING = "before_meeting", "会前学法"
    CENTRAL_GROUP = "central_group", "中心组学法"
    LECTURE = "lecture", "专题讲座"


class StudySession(Hideable):
    unit = models.ForeignKey(
        Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="study_sessions"
    )
    kind = models.CharField("形式", max_length=16, choices=SessionKind.choices)
    held_on = models.DateField("日期")
    topic = models.CharField("学习内容", max_length=200)
    speaker = models.CharField("主讲人", max_length=60, blank=True)
    audience = models.CharField("参加范围", max_length=200)
    attendance = models.PositiveIntegerField("参加人数")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["unit", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}：{self.topic}"


class LawReport(Hideable):
    """述法: who reported, to whom, when; `unit` is the unit whose head reported."""

    unit = models.ForeignKey(
        Unit, verbose_name="述法单位", on_delete=models.PROTECT, related_name="law_reports"
    )
    reporter = models.CharField("述法人", max_length=60)
    reporter_title = models.CharField("职务", max_length=60)
    reported_to = models.CharField("述法对象", max_length=120)
    reported_on = models.DateField("述法日期")
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["unit", "reported_on"])]

    def __str__(self) -> str:
        return f"{self.reporter}（{self.reporter_title}）{self.reported_on}述法"
