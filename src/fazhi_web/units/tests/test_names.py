"""One wording for levels in the CLI and the platform; full-width brackets in unit names."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from fazhi.render.common import LEVEL_NAMES
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units import services
from fazhi_web.units.models import Level, Unit

pytestmark = pytest.mark.django_db


def test_cli_and_platform_name_levels_alike():
    for level in Level:
        cli = LEVEL_NAMES[level.value]
        assert level.label == cli or level.label.startswith(cli + "（"), level
        assert "(" not in cli and "(" not in level.label
    assert Level.DEPARTMENT.label == LEVEL_NAMES["department"] == "政府部门"


def test_created_and_renamed_units_get_full_width_brackets(world):
    unit = services.create_unit(
        world.admin, name="东江市(高新区)管委会", level=Level.ZONE, region="", parent=world.city
    )
    assert unit.name == "东江市（高新区）管委会"
    services.update_unit(
        world.admin,
        unit,
        name="东江市(高新)区 管委会",
        level=Level.ZONE,
        region="",
        parent=world.city,
    )
    unit.refresh_from_db()
    assert unit.name == "东江市（高新）区 管委会"


def test_half_width_twin_of_an_existing_name_is_refused(world):
    services.create_unit(
        world.admin, name="东江市（高新区）管委会", level=Level.ZONE, region="", parent=world.city
    )
    with pytest.raises(ActionRefused, match="已有名为“东江市（高新区）管委会”的单位"):
        services.create_unit(
            world.admin, name="东江市(高新区)管委会", level=Level.ZONE, region="", parent=world.city
        )


def test_migration_turns_stored_brackets_full_width(world):
    half = Unit.objects.create(name="东江市(高新区)管委会", level=Level.ZONE, parent=world.city)
    # A sibling already holds the full-width form of this one: it is left for an administrator.
    Unit.objects.create(name="西山市（园区）", level=Level.ZONE, parent=world.other_city)
    twin = Unit.objects.create(name="西山市(园区)", level=Level.ZONE, parent=world.other_city)
    migration = importlib.import_module("fazhi_web.units.migrations.0002_full_width_brackets")
    migration.to_full_width(django_apps, None)
    half.refresh_from_db()
    twin.refresh_from_db()
    assert half.name == "东江市（高新区）管委会"
    assert twin.name == "西山市(园区)"


def test_import_stores_full_width_brackets_and_finds_parents_either_way(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from .conftest import sheet

    content = sheet(
        [
            ["东江市(高新区)管委会", "开发区（园区）", "东江市", "东江市"],
            ["高新区综合执法局", "政府部门", "东江市", "东江市(高新区)管委会"],
        ]
    )
    client.force_login(world.admin)
    response = client.post(
        reverse("units:import"), {"file": SimpleUploadedFile("单位.xlsx", content)}
    )
    assert "新建 2 个" in response.content.decode()
    zone = Unit.objects.get(name="东江市（高新区）管委会")
    assert Unit.objects.get(name="高新区综合执法局").parent == zone
