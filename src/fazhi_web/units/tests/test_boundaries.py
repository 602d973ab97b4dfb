"""Every administration page refuses everyone who does not administer the units involved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.units.models import Membership, Unit

from .conftest import sheet

# Pages about no particular unit: a non-admin gets 403.
GENERAL = [
    "list",
    "create",
    "import",
    "export",
    "users",
    "user_create",
    "membership_add",
    "deadlines",
    "years",
]
# Pages about one unit: anyone without admin rights over it gets 404.
OBJECT = ["detail", "edit"]
NON_ADMINS = [
    "outsider",
    "other_reviewer",
    "reporter",
    "reviewer",
    "other_reporter",
    "district_reporter",
]


@pytest.mark.parametrize("name", [*GENERAL, *OBJECT, "hide"])
def test_anonymous_is_sent_to_login(client, world, name):
    args = [world.town.pk] if name in [*OBJECT, "hide"] else []
    response = client.get(reverse(f"units:{name}", args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", NON_ADMINS)
@pytest.mark.parametrize("name", GENERAL)
def test_non_admins_are_refused_general_pages(client, world, who, name):
    client.force_login(getattr(world, who))
    response = client.get(reverse(f"units:{name}"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "南湖区清河镇" not in body and "西山市白石镇" not in body


@pytest.mark.parametrize("who", NON_ADMINS)
@pytest.mark.parametrize("name", OBJECT)
def test_non_admins_get_404_on_units(client, world, who, name):
    client.force_login(getattr(world, who))
    for unit in (world.town, world.other_town, world.city):
        response = client.get(reverse(f"units:{name}", args=[unit.pk]))
        assert response.status_code == 404
        assert unit.name not in response.content.decode()


@pytest.mark.parametrize("who", NON_ADMINS)
def test_non_admins_cannot_post_anything(client, world, who):
    client.force_login(getattr(world, who))
    posts = [
        (reverse("units:hide", args=[world.bureau.pk]), {"reason": "撤销"}, 404),
        (
            reverse("units:edit", args=[world.bureau.pk]),
            {"name": "改名", "level": "department", "parent": world.city.pk},
            404,
        ),
        (
            reverse("units:create"),
            {"name": "新单位", "level": "department", "parent": world.city.pk},
            403,
        ),
        (
            reverse("units:user_create"),
            {
                "username": "x1",
                "full_name": "某",
                "password": "Zq8!vT3#pL",
                "password2": "Zq8!vT3#pL",
                "unit": world.town.pk,
                "role": "reporter",
            },
            403,
        ),
        (
            reverse("units:membership_add"),
            {"username": "outsider", "unit": world.town.pk, "role": "admin"},
            403,
        ),
        (
            reverse("units:deadlines"),
            {"office": world.city.pk, "level": "town", "month": 2, "day": 1},
            403,
        ),
        (reverse("units:years"), {"office": world.city.pk, "year": 2023}, 403),
    ]
    for url, data, status in posts:
        assert client.post(url, data).status_code == status, url
    upload = SimpleUploadedFile("u.xlsx", sheet([["新镇", "乡镇（街道）", "", "东江市南湖区"]]))
    assert client.post(reverse("units:import"), {"file": upload}).status_code == 403
    world.bureau.refresh_from_db()
    assert world.bureau.name == "东江市司法局" and not world.bureau.is_hidden
    assert not Unit.objects.filter(name__in=["新单位", "新镇"]).exists()
    assert not Membership.objects.filter(user=world.outsider).exists()
    # The login itself is logged; nothing else is.
    assert not AuditEntry.objects.exclude(action="login").exists()


def test_admin_cannot_reach_another_citys_units(client, world):
    client.force_login(world.admin)
    for unit in (world.other_city, world.other_town):
        assert client.get(reverse("units:detail", args=[unit.pk])).status_code == 404
        assert client.get(reverse("units:edit", args=[unit.pk])).status_code == 404
        assert (
            client.post(
                reverse("units:edit", args=[unit.pk]), {"name": "x", "level": "town"}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("units:hide", args=[unit.pk]), {"reason": "x"}).status_code == 404
        )
    world.other_town.refresh_from_db()
    assert world.other_town.name == "西山市白石镇" and not world.other_town.is_hidden


def test_district_admin_sees_only_the_district(client, world, district_admin):
    client.force_login(district_admin)
    body = client.get(reverse("units:list")).content.decode()
    assert "南湖区清河镇" in body and "南湖区市场监督管理局" in body
    assert "东江市司法局" not in body and "西山市" not in body
    # The city above the district is out of reach even though it is the district's parent.
    assert client.get(reverse("units:detail", args=[world.city.pk])).status_code == 404
    assert client.get(reverse("units:detail", args=[world.district.pk])).status_code == 200


def test_reviewer_who_is_also_admin_elsewhere_only_administers_there(client, world):
    Membership.objects.create(user=world.reviewer, unit=world.district, role="admin")
    client.force_login(world.reviewer)
    assert client.get(reverse("units:detail", args=[world.town.pk])).status_code == 200
    assert client.get(reverse("units:detail", args=[world.bureau.pk])).status_code == 404
    body = client.get(reverse("units:deadlines")).content.decode()
    assert "东江市南湖区" in body
    response = client.post(reverse("units:years"), {"office": world.city.pk, "year": 2023})
    assert response.status_code == 404
