"""Building reports through the real service functions, for the stats and portal tests."""

from __future__ import annotations

from typing import Any

from fazhi_web.reports.models import Obligation
from fazhi_web.reports.services import open_year, submit, upload_version
from fazhi_web.review.services import approve, publish
from fazhi_web.units.models import Unit


def open_years(world: Any, *years: int) -> None:
    """Open the years for both offices, so that every unit owes a report."""
    for year in years:
        open_year(world.admin, world.city, year)
        open_year(world.other_reviewer, world.other_city, year)


def obligation(unit: Unit, year: int) -> Obligation:
    return Obligation.objects.get(unit=unit, reporting_year__year=year)


def submitted(world: Any, unit: Unit, year: int, content: bytes) -> Obligation:
    ob = obligation(unit, year)
    version = upload_version(world.reporter, ob, "x.txt", content)
    submit(world.reporter, ob, version)
    ob.refresh_from_db()
    return ob


def published(world: Any, unit: Unit, year: int, content: bytes) -> Obligation:
    ob = submitted(world, unit, year, content)
    reviewer = (
        world.other_reviewer if unit.path.startswith(world.other_city.path) else world.reviewer
    )
    approve(reviewer, ob)
    publish(reviewer, ob)
    ob.refresh_from_db()
    return ob
