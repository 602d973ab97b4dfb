"""The yearly cycle: a reporting year, each unit's obligation, and its report versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi_web.units.models import Level, Unit


class ReportingYear(models.Model):
    """An office opens a year: every unit below it then owes a report on that year."""

    office = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reporting_years")
    year = models.PositiveIntegerField("报告年度")
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="one_cycle_per_office_year")
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.year}年度"


class DeadlineRule(models.Model):
    """The submission deadline an office sets per level (month and day of the next year)."""

    office = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="deadline_rules")
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    month = models.PositiveSmallIntegerField("月")
    day = models.PositiveSmallIntegerField("日")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "level"], name="one_deadline_per_level")
        ]

    def date_for(self, year: int) -> dt.date:
        return dt.date(year + 1, self.month, self.day)


class State(models.TextChoices):
    PENDING = "pending", "未报送"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "退回修改"
    FILED = "filed", "已备案"
    PUBLISHED = "published", "已公开"


class Obligation(models.Model):
    """One unit's duty to report on one year, and where it stands."""

    reporting_year = models.ForeignKey(
        ReportingYear, on_delete=models.PROTECT, related_name="obligations"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="obligations")
    deadline = models.DateField("截止日期")
    extended_to = models.DateField("延期至", null=True, blank=True)
    extension_reason = models.CharField("延期原因", max_length=200, blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    filed_at = models.DateTimeField("备案时间", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    current_version = models.ForeignKey(
        "ReportVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The unit's materialised path, copied here so that a national year's
    # 140,000 obligations are filtered by reach and ordered by hierarchy from
    # one index, without joining the units. Set on save() (bulk_create callers
    # set it themselves, as open_year does); Unit.save keeps it in step on a move.
    unit_path = models.CharField(max_length=255, editable=False, default="")

    class Meta:
        ordering = ["unit_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_year", "unit"], name="one_obligation_per_unit_year"
            )
        ]
        indexes = [
            models.Index(
                fields=["reporting_year", "unit_path", "id"], name="obligation_cycle_tree"
            ),
            # The portal lists published reports newest first.
            models.Index(
                fields=["-published_at", "id"],
                condition=models.Q(state="published"),
                name="obligation_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.reporting_year.year}年度"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and not self.unit_path:
            self.unit_path = Unit.objects.values_list("path", flat=True).get(pk=self.unit_id)
        super().save(*args, **kwargs)

    @property
    def year(self) -> int:
        return self.reporting_year.year

    @property
    def effective_deadline(self) -> dt.date:
        return self.extended_to or self.deadline

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Not yet handed in and past its (possibly extended) deadline: derived, never stored."""
        today = today or timezone.localdate()
        return self.state in (State.PENDING, State.RETURNED) and today > self.effective_deadline

    def was_late(self) -> bool:
        if self.submitted_at is None:
            return False
        return timezone.localdate(self.submitted_at) > self.effective_deadline


class AnalysisState(models.TextChoices):
    QUEUED = "queued", "排队等待分析"
    RUNNING = "running", "正在分析"
    DONE = "done", "分析完成"
    FAILED = "failed", "分析失败"


class ReportVersion(models.Model):
    """An uploaded or pasted report, kept as it came: versions are never overwritten.

    The version (file and extracted text) is stored first; its analysis follows,
    inside the request for a short report, else in the background
    (reports.tasks). Until then `analysis` is empty and `analysis_state` says
    where it stands; the page polls it. A failed analysis keeps the version and
    can be retried. The analysis is derived data: a re-analysis after a rule
    change replaces it (and the text it points into) in one update, so a
    submitted version always has a finished analysis.
    """

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    original_name = models.CharField("文件名", max_length=255)
    # Relative to settings.UPLOAD_ROOT, named by content hash.
    stored_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    format = models.CharField(max_length=8)
    score = models.FloatField(null=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    analysis_state = models.CharField(
        "分析状态", max_length=8, choices=AnalysisState.choices, default=AnalysisState.QUEUED
    )
    analysis_progress = models.PositiveSmallIntegerField("分析进度", default=0)
    # For the server log and administrators; users see a Chinese message.
    analysis_error = models.TextField(blank=True)
    analysis_attempts = models.PositiveSmallIntegerField(default=0)
    analysis_updated_at = models.DateTimeField(null=True, blank=True)
    # The large columns come last: SQLite stores a row's columns in order, and
    # every column after a report's text would cost a walk through its overflow pages.
    # Which of the five parts the analysis found ({part: bool}), kept beside it:
    # statistics over a national year would otherwise read every analysis whole.
    parts_present = models.JSONField(default=dict)
    text = models.TextField()
    analysis = models.JSONField(default=dict)

    class Meta:
        ordering = ["obligation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "number"], name="version_number_unique")
        ]
        # Sorting a year's reports by score joins them to this alone, not to the
        # rows' many columns.
        indexes = [models.Index(fields=["id", "score"], name="version_score")]

    def __str__(self) -> str:
        return f"{self.obligation} 第{self.number}版"

    @staticmethod
    def parts_found(analysis: dict[str, Any]) -> dict[str, bool]:
        """`parts_present` of an analysis."""
        return {p: bool(e.get("present")) for p, e in analysis.get("parts", {}).items()}

    @property
    def analysed(self) -> bool:
        return self.analysis_state == AnalysisState.DONE

    @property
    def analysis_stalled(self) -> bool:
        """Queued or running without a sign of life for too long: its worker is gone."""
        if self.analysis_state not in (AnalysisState.QUEUED, AnalysisState.RUNNING):
            return False
        since = self.analysis_updated_at or self.uploaded_at
        age = (timezone.now() - since).total_seconds()
        return age > settings.FAZHI_ANALYSIS_STALE_SECONDS

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            # Only the submission time may be set after the fact. The analysis
            # fields are written by reports.analysis with update(), which
            # passes by here: a stale copy saved whole cannot undo them.
            old = ReportVersion.objects.get(pk=self.pk)
            for field in ("obligation_id", "number", "sha256", "text", "analysis", "stored_name"):
                if getattr(old, field) != getattr(self, field):
                    raise ValueError("报告版本一经保存不可修改。")
        super().save(*args, **kwargs)


class IndicatorValue(models.Model):
    """An obligation's current value of one indicator, for statistics across units and years.

    Rebuilt from the current version's analysis plus the reviewer's corrections and
    confirmations. A value is in one of three states: the engine's alone (自动识别，待核对),
    the engine's checked by a reviewer against the report (`confirmed`, 已核对), or the
    reviewer's own (`corrected`, 已更正; never also `confirmed`).
    """

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="values")
    indicator = models.CharField(max_length=40)
    value = models.FloatField()
    unit = models.CharField(max_length=16, blank=True)
    corrected = models.BooleanField(default=False)
    confirmed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "indicator"], name="one_value_per_indicator"
            )
        ]
        indexes = [
            # Which indicators occur in a scope, and sorting by one indicator's value.
            models.Index(
                fields=["indicator", "obligation", "value"], name="indicatorvalue_by_indicator"
            ),
            # Whether any value in a scope was corrected: corrections are few.
            models.Index(
                fields=["obligation"],
                condition=models.Q(corrected=True),
                name="indicatorvalue_corrected",
            ),
            # Which values in a scope a reviewer checked (corrected or confirmed), so
            # that the statistics mark the others without reading a flag on every row.
            models.Index(
                fields=["obligation"],
                condition=models.Q(corrected=True) | models.Q(confirmed=True),
                name="indicatorvalue_checked",
            ),
        ]


class Reminder(models.Model):
    """A reviewer's 催报: the unit sees it on its page, and the board counts them."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="reminders")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]
