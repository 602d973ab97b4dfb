"""Fixtures for the reviewer's views: a city cycle with the town's report handed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation, ReportingYear, ReportVersion

# A valid 18-digit ID number (the check digit is right), so private-info fires.
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def at(monkeypatch) -> Callable[[dt.date | dt.datetime], None]:
    """Set the clock. timezone.localdate() and auto_now fields read timezone.now()."""

    def set_clock(when: dt.date | dt.datetime) -> None:
        if not isinstance(when, dt.datetime):
            when = dt.datetime.combine(when, dt.time(10, 0))
        aware = timezone.make_aware(when) if timezone.is_naive(when) else when
        monkeypatch.setattr(timezone, "now", lambda: aware)

    return set_clock


@dataclass
class Scene:
    cycle: ReportingYear
    town: Obligation
    version: ReportVersion


def obligation_of(cycle: ReportingYear, unit) -> Obligation:
    return Obligation.objects.select_related("unit", "reporting_year").get(
        reporting_year=cycle, unit=unit
    )


def hand_in(reporter, obligation: Obligation, content: bytes, name: str = "x.txt") -> ReportVersion:
    version = report_services.upload_version(reporter, obligation, name, content)
    report_services.submit(reporter, obligation, version)
    obligation.refresh_from_db()
    return version


@pytest.fixture
def cycle(world) -> ReportingYear:
    return report_services.open_year(world.admin, world.city, 2023)


@pytest.fixture
def private_text(seed_bytes) -> bytes:
    text = seed_bytes["002"].decode("utf-8")
    return (text + f"\n联系人身份证号{ID_NUMBER}，请核实。\n").encode("utf-8")


@pytest.fixture
def scene(world, cycle, private_text) -> Scene:
    """The town has handed in a report that carries an ID number."""
    town = obligation_of(cycle, world.town)
    version = hand_in(world.reporter, town, private_text)
    return Scene(cycle=cycle, town=town, version=version)
