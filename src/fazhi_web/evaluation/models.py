"""考评: an office's framework for a year, its criteria, and each unit's score on each.

An office copies a framework file (frameworks/*.toml) for a year and edits its own copy;
the file itself never changes. A score keeps what the automatic source measured beside
the value that counts, so that a reviewer's adjustment (with its reason) never hides
what the evidence said.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from fazhi_web.units.models import Unit

POINTS = {"max_digits": 6, "decimal_places": 2}


def points_text(value: Decimal) -> str:
    """Points as a reader writes them: 3, 1.5, never 3.00."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Framework(models.Model):
    office = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="frameworks")
    year = models.PositiveIntegerField("考评年度")
    name = models.CharField("指标体系", max_length=200)
    issuer = models.CharField("制定机关", max_length=100, blank=True)
    source = models.URLField("出处", max_length=500, blank=True)
    copied_from = models.CharField("复制自", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField("自动评分时间", null=True, blank=True)
    # Units see their own results once the office publishes them, and not before.
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    class Meta:
        ordering = ["-year", "office__path"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="one_framework_per_office_year")
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.year}年度考评"

    @property
    def total(self) -> Decimal:
        return sum((c.points for c in self.criteria.all()), Decimal(0))


class Criterion(models.Model):
    """A third-level criterion, with the first- and second-level titles it sits under."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    number = models.CharField("编号", max_length=16)
    area_number = models.PositiveSmallIntegerField()
    area_title = models.CharField("一级指标", max_length=200)
    item_number = models.PositiveSmallIntegerField()
    item_title = models.CharField("二级指标", max_length=200)
    text = models.TextField("三级指标")
    points = models.DecimalField("分值", **POINTS)
    evidence_kind = models.CharField("评分依据", max_length=32)
    evidence_params = models.JSONField(default=dict)
    # The text as checked against the published framework (see the framework file).
    official = models.BooleanField(default=False)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="criterion_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:30]}"


class Score(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="evaluation_scores")
    # What the automatic source measured; null for a criterion a reviewer scores.
    measured = models.DecimalField("自动得分", null=True, blank=True, **POINTS)
    value = models.DecimalField("得分", **POINTS)
    # The source's sentence for an automatic score, the reviewer's note otherwise.
    note = models.TextField("评分说明")
    evidence = models.JSONField("评分依据", default=list)
    # Set when a reviewer overrides the measured score; the reason is required.
    adjusted_reason = models.TextField("调整理由", blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "unit"], name="one_score_per_unit")
        ]

    @property
    def adjusted(self) -> bool:
        return bool(self.adjusted_reason)
