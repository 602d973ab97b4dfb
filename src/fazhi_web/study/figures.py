"""Indicators from the 学法 and 述法 ledgers (see ledgers.figures for the shape).

shufa_units counts units, not reports: an office's "组织18个部门述法" is the units under
it whose heads reported in the year, so the figure always reads the unit and those below.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fazhi_web.ledgers.figures import of_unit
from fazhi_web.study.models import LawReport, StudySession
from fazhi_web.units.models import Unit

INDICATORS = ("study_sessions", "shufa_units")
LISTS = {"study_sessions": "study:sessions", "shufa_units": "study:law_reports"}


def records(code: str, unit: Unit, year: int, *, below: bool = False) -> QuerySet[Any]:
    if code == "study_sessions":
        return StudySession.objects.filter(
            of_unit("unit", unit, below), hidden_reason="", held_on__year=year
        )
    if code == "shufa_units":
        return LawReport.objects.filter(
            of_unit("unit", unit, True), hidden_reason="", reported_on__year=year
        )
    raise KeyError(code)


def value(code: str, qs: QuerySet[Any], year: int) -> tuple[float | None, str]:
    if code == "shufa_units":
        units = qs.values("unit").distinct().count()
        return float(units), f"述法{qs.count()}人次，涉及{units}个单位"
    return float(qs.count()), ""


def keeps(unit: Unit) -> bool:
    return (
        StudySession.objects.filter(unit=unit).exists()
        or LawReport.objects.filter(of_unit("unit", unit, True)).exists()
    )
