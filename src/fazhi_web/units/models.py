"""Units (governments, departments, zones) in their hierarchy, and who works where."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr


class Level(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级（县、县级市、区）"
    TOWN = "town", "乡镇（街道）"
    DEPARTMENT = "department", "政府部门"
    ZONE = "zone", "开发区（园区）"


class Unit(models.Model):
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    region = models.CharField("地区", max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of ids ("/1/7/42/"): descendants are one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # Units are never deleted, only hidden with a reason.
    hidden_reason = models.CharField("隐藏原因", max_length=200, blank=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_name_unique_in_parent")
        ]
        indexes = [
            # Filtering a national year's obligations by level reads unit ids from this alone.
            models.Index(fields=["level", "id"], name="unit_level"),
            # Sorting a year's reports by unit name joins them to this alone.
            models.Index(fields=["id", "name"], name="unit_name"),
            # The portal leaves out the few hidden units.
            models.Index(fields=["id"], condition=~models.Q(hidden_reason=""), name="unit_hidden"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden_reason)

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        path = self.compute_path()
        if path != self.path:
            old = self.path
            self.path = path
            Unit.objects.filter(pk=self.pk).update(path=path)
            if old:
                # Moved under another parent: the whole subtree moves with it,
                # and so do the copies of its paths on the obligations.
                from fazhi_web.reports.models import Obligation

                moved = Concat(Value(path), Substr("path", len(old) + 1))
                Unit.objects.filter(path__startswith=old).exclude(pk=self.pk).update(path=moved)
                Obligation.objects.filter(unit_path__startswith=old).update(
                    unit_path=Concat(Value(path), Substr("unit_path", len(old) + 1))
                )

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent else "/"
        return f"{prefix}{self.pk}/"

    def descendants(self) -> models.QuerySet[Unit]:
        """Every unit below this one, not this one."""
        return Unit.objects.filter(path__startswith=self.path).exclude(pk=self.pk)


class Role(models.TextChoices):
    REPORTER = "reporter", "填报员"
    REVIEWER = "reviewer", "审查员"
    ADMIN = "admin", "管理员"


class Membership(models.Model):
    """A user's role at a unit. A reviewer or admin acts on the units below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("角色", max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit} ({self.get_role_display()})"
