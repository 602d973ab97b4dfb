"""The materialised paths: a move carries the subtree and its obligations along, in fixed queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi_web.reports.models import Obligation
from fazhi_web.reports.services import open_year
from fazhi_web.units.access import access_for
from fazhi_web.units.models import Level, Unit

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1


def towns(parent: Unit, n: int) -> list[Unit]:
    return [Unit.objects.create(name=f"镇{i}", level=Level.TOWN, parent=parent) for i in range(n)]


def test_obligations_copy_the_unit_path(world):
    cycle = open_year(world.admin, world.city, YEAR)
    for ob in Obligation.objects.filter(reporting_year=cycle).select_related("unit"):
        assert ob.unit_path == ob.unit.path
    ob = Obligation.objects.create(
        reporting_year=cycle, unit=world.city, deadline=timezone.localdate()
    )
    assert ob.unit_path == world.city.path


def test_a_move_carries_paths_and_reach_along(client, world):
    open_year(world.admin, world.city, YEAR)
    town_ob = Obligation.objects.get(unit=world.town)
    assert town_ob in access_for(world.reviewer).obligations()
    world.district.parent = world.other_city
    world.district.save()
    world.town.refresh_from_db()
    assert world.town.path == f"{world.other_city.path}{world.district.pk}/{world.town.pk}/"
    for ob in Obligation.objects.filter(unit__in=[world.district, world.town]).select_related(
        "unit"
    ):
        assert ob.unit_path == ob.unit.path
    assert Obligation.objects.get(unit=world.bureau).unit_path == world.bureau.path
    # The city's reviewer no longer reaches the moved units; the other city's does.
    assert town_ob not in access_for(world.reviewer).obligations()
    assert town_ob in access_for(world.other_reviewer).obligations()
    client.force_login(world.reviewer)
    assert client.get(reverse("review:report", args=[town_ob.pk])).status_code == 404
    client.force_login(world.other_reviewer)
    assert client.get(reverse("review:report", args=[town_ob.pk])).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_a_move_costs_the_same_queries_however_large_the_subtree(
    world, size, django_assert_max_num_queries
):
    towns(world.district, size)
    open_year(world.admin, world.city, YEAR)
    world.district.parent = world.other_city
    # Save the unit, its new path, its subtree's paths, their obligations' copies.
    with django_assert_max_num_queries(4):
        world.district.save()
    assert (
        not Unit.objects.filter(parent=world.district)
        .exclude(path__startswith=f"{world.other_city.path}{world.district.pk}/")
        .exists()
    )


@pytest.mark.parametrize("size", [3, 30])
def test_opening_a_year_costs_the_same_queries_however_many_units(
    world, size, django_assert_max_num_queries
):
    towns(world.district, size)
    # The checks, the cycle, the units, the deadline rules, the obligations, the audit entry.
    with django_assert_max_num_queries(8):
        cycle = open_year(world.admin, world.city, YEAR)
    assert cycle.obligations.count() == 4 + size
