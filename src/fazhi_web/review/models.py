"""What reviewers decide about a report: dismissed findings, corrected and confirmed values,
comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi_web.reports.models import Obligation, ReportingYear, ReportVersion


class FindingDecision(models.Model):
    """A finding of one version judged a false positive (or, for private-info, overridden)."""

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="decisions")
    # Index into version.analysis["findings"], with rule and span kept to show it later.
    finding_index = models.PositiveIntegerField()
    rule = models.CharField(max_length=40)
    reason = models.CharField("理由", max_length=300)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "finding_index"], name="one_decision_per_finding"
            )
        ]


class IndicatorCorrection(models.Model):
    """A reviewer's correction of an indicator value; the latest one counts."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="corrections")
    indicator = models.CharField(max_length=40)
    value = models.FloatField("更正值")
    unit = models.CharField(max_length=16, blank=True)
    reason = models.CharField("理由", max_length=300)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-corrected_at", "-id"]


class IndicatorConfirmation(models.Model):
    """A reviewer checked the engine's value of an indicator against the report: it is right.

    It confirms that one value: it applies only while the obligation's current value
    of the indicator (reports.services.rebuild_indicators) is the engine's and equals
    `value` and `unit`. A new version stating another value, or a correction, ends it;
    the latest confirmation of an indicator counts.
    """

    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="confirmations"
    )
    indicator = models.CharField(max_length=40)
    value = models.FloatField("核对值")
    unit = models.CharField(max_length=16, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-confirmed_at", "-id"]


class Comment(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", "意见"
        RETURN = "return", "退回"
        APPROVE = "approve", "备案"
        PUBLISH = "publish", "公开"
        REPLY = "reply", "答复"

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="comments")
    version = models.ForeignKey(ReportVersion, null=True, on_delete=models.PROTECT)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField("内容")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    # A margin comment on one finding of `version`; the rule and the quoted text are kept
    # so that the comment still reads right if a new analysis renumbers the findings.
    finding_index = models.PositiveIntegerField(null=True, blank=True)
    finding_rule = models.CharField(max_length=40, blank=True)
    quote = models.CharField("所指原文", max_length=120, blank=True)
    # Comments are hidden, never deleted.
    hidden_reason = models.CharField(max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]


class NoticeHeading(models.Model):
    """The 发文机关 and 文号 the office last put on a year's 通报, proposed again next time."""

    reporting_year = models.OneToOneField(
        ReportingYear, on_delete=models.PROTECT, related_name="notice_heading"
    )
    issuer = models.CharField("发文机关", max_length=100)
    number = models.CharField("文号", max_length=60)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    updated_at = models.DateTimeField(auto_now=True)
