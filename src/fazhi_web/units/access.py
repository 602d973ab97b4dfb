"""Who may see and do what. Every read of a unit's data goes through `access_for`.

- 填报员 (reporter): their own unit's reports only.
- 审查员 (reviewer): every unit below their office's unit, never the office's
  own report (that goes to the level above) and never another office's units.
- 管理员 (admin): manages units, users, years and deadlines at and below their unit.
- 公众 (anonymous): published reports only, through `published_obligations`.

Views ask for an object through `get_unit` / `get_obligation`, which answer 404
for anything out of reach, so that a unit's existence does not leak either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from fazhi_web.reports.models import Obligation, State
from fazhi_web.units.models import Membership, Role, Unit


@dataclass
class Access:
    user: Any
    reporter_unit_ids: set[int] = field(default_factory=set)
    reviewer_paths: list[str] = field(default_factory=list)
    admin_paths: list[str] = field(default_factory=list)

    @property
    def is_superuser(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False))

    @property
    def is_reviewer(self) -> bool:
        return self.is_superuser or bool(self.reviewer_paths)

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or bool(self.admin_paths)

    @property
    def is_reporter(self) -> bool:
        return bool(self.reporter_unit_ids)

    # -- scopes as queries -------------------------------------------------
    # A subtree is a prefix of the materialised path: one indexed range.
    def _below(self, paths: list[str], path_field: str = "path") -> Q:
        if not paths:
            return Q(pk__in=[])
        return reduce(
            or_, (Q(**{f"{path_field}__startswith": p}) & ~Q(**{path_field: p}) for p in paths)
        )

    def _at_or_below(self, paths: list[str]) -> Q:
        if not paths:
            return Q(pk__in=[])
        return reduce(or_, (Q(path__startswith=p) for p in paths))

    def unit_filter(self, prefix: str = "") -> Q:
        """Units whose reports this user may read."""
        if self.is_superuser:
            return Q()
        own = Q(**{f"{prefix}id__in": self.reporter_unit_ids})
        return own | self._below(self.reviewer_paths, f"{prefix}path")

    def obligation_filter(self) -> Q:
        """Obligations this user may read: `unit_filter` on the obligation's copy of the path.

        The same units, without joining them: a national year has 140,000.
        """
        if self.is_superuser:
            return Q()
        own = Q(unit_id__in=self.reporter_unit_ids)
        return own | self._below(self.reviewer_paths, "unit_path")

    def units(self) -> QuerySet[Unit]:
        return Unit.objects.filter(self.unit_filter())

    def reviewable_units(self) -> QuerySet[Unit]:
        if self.is_superuser:
            return Unit.objects.all()
        return Unit.objects.filter(self._below(self.reviewer_paths))

    def administrable_units(self) -> QuerySet[Unit]:
        if self.is_superuser:
            return Unit.objects.all()
        return Unit.objects.filter(self._at_or_below(self.admin_paths))

    def offices(self) -> QuerySet[Unit]:
        """The units this user reviews or administers from."""
        if self.is_superuser:
            return Unit.objects.filter(parent__isnull=True)
        paths = self.reviewer_paths + self.admin_paths
        return Unit.objects.filter(path__in=paths)

    def obligations(self) -> QuerySet[Obligation]:
        return Obligation.objects.filter(self.obligation_filter()).select_related(
            "unit", "reporting_year", "current_version"
        )

    # -- single checks -----------------------------------------------------
    def can_report(self, unit: Unit) -> bool:
        return unit.pk in self.reporter_unit_ids

    def can_review(self, unit: Unit) -> bool:
        return self.is_superuser or any(
            unit.path.startswith(p) and unit.path != p for p in self.reviewer_paths
        )

    def can_admin(self, unit: Unit) -> bool:
        return self.is_superuser or any(unit.path.startswith(p) for p in self.admin_paths)

    def can_view(self, unit: Unit) -> bool:
        return self.can_report(unit) or self.can_review(unit) or self.can_admin(unit)


def access_for(user: Any) -> Access:
    """The access of a user; cached on the user object for the request."""
    cached = getattr(user, "_fazhi_access", None)
    if cached is not None:
        return cached
    access = Access(user)
    if getattr(user, "is_authenticated", False):
        for m in Membership.objects.filter(user=user).select_related("unit"):
            if m.role == Role.REPORTER:
                access.reporter_unit_ids.add(m.unit_id)
            elif m.role == Role.REVIEWER:
                access.reviewer_paths.append(m.unit.path)
            elif m.role == Role.ADMIN:
                access.admin_paths.append(m.unit.path)
                # An administrator also reads the reports below the unit.
                access.reviewer_paths.append(m.unit.path)
        user._fazhi_access = access
    return access


def get_unit(user: Any, pk: Any, need: str = "view") -> Unit:
    """The unit if `user` may `need` ("view", "report", "review", "admin") it, else 404."""
    try:
        unit = Unit.objects.get(pk=int(pk))
    except (Unit.DoesNotExist, TypeError, ValueError):
        raise Http404("单位不存在或无权访问。") from None
    access = access_for(user)
    allowed = {
        "view": access.can_view,
        "report": access.can_report,
        "review": access.can_review,
        "admin": access.can_admin,
    }[need](unit)
    if not allowed:
        raise Http404("单位不存在或无权访问。")
    return unit


def get_obligation(user: Any, pk: Any, need: str = "view") -> Obligation:
    """The obligation if `user` may `need` ("view", "report", "review") it, else 404."""
    try:
        obligation = Obligation.objects.select_related(
            "unit", "reporting_year", "reporting_year__office", "current_version"
        ).get(pk=int(pk))
    except (Obligation.DoesNotExist, TypeError, ValueError):
        raise Http404("报告不存在或无权访问。") from None
    access = access_for(user)
    allowed = {
        "view": access.can_view,
        "report": access.can_report,
        "review": access.can_review,
    }[need](obligation.unit)
    if not allowed:
        raise Http404("报告不存在或无权访问。")
    return obligation


def published_obligations() -> QuerySet[Obligation]:
    """What the public may read: published reports of units not hidden.

    Hidden units are few: leaving them out is a probe into a small set, where
    asking every report's unit would join all units of a national year.
    """
    hidden = Unit.objects.exclude(hidden_reason="").values("pk")
    return (
        Obligation.objects.filter(state=State.PUBLISHED)
        .exclude(unit__in=hidden)
        .select_related("unit", "reporting_year", "current_version")
    )
