from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from fazhi_web.rectification import services
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation

D = dt.date.fromisoformat
# The smallest files each kind of 佐证材料 is recognised by.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def handed_in(world, seed_bytes):
    """The town's 2023 report, submitted to 东江市."""
    report_services.open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    version = report_services.upload_version(
        world.reporter, obligation, "清河镇报告.txt", seed_bytes["002"]
    )
    report_services.submit(world.reporter, obligation, version)
    version.refresh_from_db()
    return obligation, version


@pytest.fixture
def item(world, handed_in):
    """The first finding of the town's report, 列入整改 by the city with 20 working days."""
    _, version = handed_in
    return services.raise_from_finding(world.reviewer, version, 0, person="张镇长", limit_days=20)
