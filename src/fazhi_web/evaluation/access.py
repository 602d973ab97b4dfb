"""Who sees which 考评, decided by the platform's one access function (units/access.py).

- The office that owns a framework (its reviewers and administrators) edits it, scores
  the units below it and sees every result.
- A unit (its reporters) sees its own results, and only after the office publishes them;
  never the ranking, never another unit's scores.
- Anyone else gets 404, so that a framework's existence does not leak.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from fazhi_web.evaluation.models import Framework
from fazhi_web.units.access import access_for, get_unit
from fazhi_web.units.models import Unit

NOT_FOUND = "考评不存在或无权访问。"


def evaluates(user: Any, office: Unit) -> bool:
    """Whether `user` works for `office` as its reviewer or administrator."""
    access = access_for(user)
    return access.is_superuser or office.path in access.reviewer_paths


def scored_units(user: Any, fw: Framework) -> QuerySet[Unit]:
    """The units below the framework's office, as far as `user` may review them."""
    return (
        access_for(user)
        .reviewable_units()
        .filter(path__startswith=fw.office.path, hidden_reason="")
        .exclude(pk=fw.office_id)
    )


def _framework(pk: Any) -> Framework:
    try:
        return Framework.objects.select_related("office").get(pk=int(pk))
    except (Framework.DoesNotExist, TypeError, ValueError):
        raise Http404(NOT_FOUND) from None


def get_framework(user: Any, pk: Any) -> Framework:
    """The framework if `user` is of its office, else 404."""
    fw = _framework(pk)
    if not evaluates(user, fw.office):
        raise Http404(NOT_FOUND)
    return fw


def get_unit_results(user: Any, pk: Any, unit_pk: Any) -> tuple[Framework, Unit, bool]:
    """A unit's results in a framework: for its office, or for the unit once published.

    The third value says whether `user` reads as the office (and may score and adjust).
    """
    fw = _framework(pk)
    unit = get_unit(user, unit_pk, "view")
    if not unit.path.startswith(fw.office.path) or unit.pk == fw.office_id:
        raise Http404(NOT_FOUND)
    if evaluates(user, fw.office) and access_for(user).can_review(unit):
        return fw, unit, True
    if fw.published_at is not None and access_for(user).can_report(unit):
        return fw, unit, False
    raise Http404(NOT_FOUND)


def offices(user: Any) -> QuerySet[Unit]:
    """The offices whose frameworks `user` manages."""
    access = access_for(user)
    if access.is_superuser:
        return Unit.objects.filter(parent__isnull=True)
    return Unit.objects.filter(path__in=access.reviewer_paths)


def published_for_units(user: Any) -> list[tuple[Framework, Unit]]:
    """The published frameworks that score a unit `user` reports for, with that unit."""
    access = access_for(user)
    out = []
    for unit in Unit.objects.filter(pk__in=access.reporter_unit_ids):
        above = [p for p in unit.path.split("/") if p][:-1]
        paths = ["/" + "/".join(above[: i + 1]) + "/" for i in range(len(above))]
        for fw in Framework.objects.filter(
            office__path__in=paths, published_at__isnull=False
        ).select_related("office"):
            out.append((fw, unit))
    return out
