"""The unit tree: list, detail, create, edit, hide."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports.services import ActionRefused, open_year
from fazhi_web.units import services
from fazhi_web.units.models import Level, Unit


def test_list_is_the_admins_tree(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("units:list"))
    assert response.status_code == 200
    body = response.content.decode()
    for unit in (world.city, world.district, world.town, world.bureau, world.district_bureau):
        assert reverse("units:detail", args=[unit.pk]) in body
    assert "西山市" not in body
    # Depth-first: the city, its department, then the district with its own units.
    order = [
        body.index(f'href="{reverse("units:detail", args=[u.pk])}"')
        for u in (world.city, world.bureau, world.district, world.district_bureau, world.town)
    ]
    assert order == sorted(order)
    assert "calc(2 * 1.6rem" in body  # the town sits two levels down


def test_tree_order_does_not_trust_path_collation(world):
    # Ids 2 and 10 sort "wrongly" as strings; the tree must still keep each subtree together.
    units = list(Unit.objects.filter(path__startswith=world.city.path))
    rows = services.tree_order(units)
    names = [u.name for u, _ in rows]
    assert names.index("东江市南湖区") < names.index("南湖区清河镇")
    depth = {u.name: d for u, d in rows}
    assert depth == {
        "东江市": 0,
        "东江市司法局": 1,
        "东江市南湖区": 1,
        "南湖区市场监督管理局": 2,
        "南湖区清河镇": 2,
    }


def test_list_marks_hidden_units_and_escapes_names(client, world):
    evil = Unit.objects.create(
        name="<script>alert(1)</script>局", level=Level.DEPARTMENT, parent=world.city
    )
    services.hide_unit(world.admin, evil, "机构改革撤并")
    client.force_login(world.admin)
    body = client.get(reverse("units:list")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in body
    assert "已隐藏" in body


def test_detail_shows_members_and_obligations(client, world):
    cycle = open_year(world.admin, world.city, 2023)
    client.force_login(world.admin)
    response = client.get(reverse("units:detail", args=[world.town.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "王填报" in body and "填报员" in body
    assert "2023年度" in body and "未报送" in body
    obligation = cycle.obligations.get(unit=world.town)
    assert reverse("review:report", args=[obligation.pk]) in body
    # The office's own page has no obligation of its own in this cycle.
    body = client.get(reverse("units:detail", args=[world.city.pk])).content.decode()
    assert "赵管理" in body and "管理员" in body and "李审查" in body


def test_create_under_own_unit(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("units:create"),
        {
            "name": "南湖区财政局",
            "level": Level.DEPARTMENT,
            "region": "东江市南湖区",
            "parent": world.district.pk,
        },
    )
    unit = Unit.objects.get(name="南湖区财政局")
    assert response.status_code == 302 and response["Location"] == reverse(
        "units:detail", args=[unit.pk]
    )
    assert unit.parent == world.district and unit.path == f"{world.district.path}{unit.pk}/"
    entry = AuditEntry.objects.get(action="unit.create")
    assert entry.unit == unit and entry.actor == world.admin
    assert entry.after["name"] == "南湖区财政局" and entry.after["parent"] == "东江市南湖区"


def test_create_prefills_parent_from_query(client, world):
    client.force_login(world.admin)
    body = client.get(reverse("units:create") + f"?parent={world.district.pk}").content.decode()
    assert f'value="{world.district.pk}" selected' in body
    assert "西山市" not in body


def test_cannot_create_under_another_city(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("units:create"),
        {"name": "渗透局", "level": Level.DEPARTMENT, "parent": world.other_city.pk},
    )
    assert response.status_code == 400
    assert not Unit.objects.filter(name="渗透局").exists()
    with pytest.raises(ActionRefused, match="管理范围"):
        services.create_unit(
            world.admin, name="渗透局", level=Level.DEPARTMENT, region="", parent=world.other_city
        )
    # The login itself is logged; nothing else is.
    assert not AuditEntry.objects.exclude(action="login").exists()


def test_parent_is_required_except_for_superusers(client, world, superuser):
    client.force_login(world.admin)
    response = client.post(reverse("units:create"), {"name": "南山市", "level": Level.CITY})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()
    with pytest.raises(ActionRefused, match="上级单位"):
        services.create_unit(world.admin, name="南山市", level=Level.CITY, region="", parent=None)
    client.force_login(superuser)
    response = client.post(reverse("units:create"), {"name": "南山市", "level": Level.CITY})
    assert response.status_code == 302
    assert Unit.objects.get(name="南山市").parent is None


def test_duplicate_name_under_same_parent_is_refused(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("units:create"),
        {"name": "南湖区清河镇", "level": Level.TOWN, "parent": world.district.pk},
    )
    assert response.status_code == 400
    assert "已有名为“南湖区清河镇”的单位" in response.content.decode()
    assert Unit.objects.filter(name="南湖区清河镇").count() == 1


def test_cannot_create_under_hidden_unit(world):
    services.hide_unit(world.admin, world.district_bureau, "撤并")
    with pytest.raises(ActionRefused, match="已隐藏"):
        services.create_unit(
            world.admin,
            name="科室",
            level=Level.DEPARTMENT,
            region="",
            parent=world.district_bureau,
        )


def test_edit_changes_and_logs_before_after(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("units:edit", args=[world.town.pk]),
        {
            "name": "南湖区清河街道",
            "level": Level.TOWN,
            "region": "东江市南湖区清河街道",
            "parent": world.district.pk,
        },
    )
    assert response.status_code == 302
    world.town.refresh_from_db()
    assert world.town.name == "南湖区清河街道"
    entry = AuditEntry.objects.get(action="unit.update")
    assert entry.before["name"] == "南湖区清河镇" and entry.after["name"] == "南湖区清河街道"
    # Saving again without changes writes nothing more.
    client.post(
        reverse("units:edit", args=[world.town.pk]),
        {
            "name": "南湖区清河街道",
            "level": Level.TOWN,
            "region": "东江市南湖区清河街道",
            "parent": world.district.pk,
        },
    )
    assert AuditEntry.objects.filter(action="unit.update").count() == 1


def test_move_takes_the_subtree_along(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("units:edit", args=[world.district.pk]),
        {
            "name": world.district.name,
            "level": Level.COUNTY,
            "region": "",
            "parent": world.bureau.pk,
        },
    )
    assert response.status_code == 302
    world.town.refresh_from_db()
    assert world.town.path.startswith(world.bureau.path)


def test_cannot_move_into_own_subtree_or_another_city(client, world):
    client.force_login(world.admin)
    for target in (world.town, world.district, world.other_city):
        response = client.post(
            reverse("units:edit", args=[world.district.pk]),
            {"name": world.district.name, "level": Level.COUNTY, "region": "", "parent": target.pk},
        )
        assert response.status_code == 400
    with pytest.raises(ActionRefused, match="下级单位"):
        services.update_unit(
            world.admin, world.district, name="x", level=Level.COUNTY, region="", parent=world.town
        )
    with pytest.raises(ActionRefused, match="管理范围"):
        services.update_unit(
            world.admin,
            world.district,
            name="x",
            level=Level.COUNTY,
            region="",
            parent=world.other_city,
        )
    world.district.refresh_from_db()
    assert world.district.parent == world.city and world.district.name == "东江市南湖区"


def test_admins_own_unit_can_be_edited_but_not_moved(client, world, district_admin):
    client.force_login(district_admin)
    body = client.get(reverse("units:edit", args=[world.district.pk])).content.decode()
    assert 'name="parent"' not in body and "不能在此更改" in body
    response = client.post(
        reverse("units:edit", args=[world.district.pk]),
        {
            "name": "东江市南湖区",
            "level": Level.COUNTY,
            "region": "南湖",
            "parent": world.other_city.pk,
        },
    )
    assert response.status_code == 302
    world.district.refresh_from_db()
    assert world.district.region == "南湖" and world.district.parent == world.city


def test_hide_needs_a_reason_and_is_logged(client, world):
    client.force_login(world.admin)
    url = reverse("units:hide", args=[world.district_bureau.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"reason": "  "})
    world.district_bureau.refresh_from_db()
    assert not world.district_bureau.is_hidden
    response = client.post(url, {"reason": "机构改革，职能并入区政府办"})
    assert response.status_code == 302
    world.district_bureau.refresh_from_db()
    assert world.district_bureau.hidden_reason == "机构改革，职能并入区政府办"
    entry = AuditEntry.objects.get(action="unit.hide")
    assert (
        entry.before["hidden_reason"] == ""
        and entry.after["hidden_reason"] == "机构改革，职能并入区政府办"
    )
    body = client.get(reverse("units:detail", args=[world.district_bureau.pk])).content.decode()
    assert "机构改革，职能并入区政府办" in body and "赵管理" in body
    # Still there: nothing is deleted.
    assert Unit.objects.filter(pk=world.district_bureau.pk).exists()


def test_hide_refusals(client, world):
    with pytest.raises(ActionRefused, match="下级单位"):
        services.hide_unit(world.admin, world.district, "撤并")
    with pytest.raises(ActionRefused, match="管理单位"):
        services.hide_unit(world.admin, world.city, "撤并")
    services.hide_unit(world.admin, world.town, "撤并")
    with pytest.raises(ActionRefused, match="已经隐藏"):
        services.hide_unit(world.admin, world.town, "再次")
    client.force_login(world.admin)
    response = client.post(
        reverse("units:hide", args=[world.city.pk]), {"reason": "撤并"}, follow=True
    )
    assert "不能隐藏您本人所在的管理单位" in response.content.decode()
    world.city.refresh_from_db()
    assert not world.city.is_hidden


def test_hidden_unit_gets_no_obligation_in_a_new_year(world):
    services.hide_unit(world.admin, world.town, "撤并")
    cycle = open_year(world.admin, world.city, dt.date.today().year - 1)
    assert not cycle.obligations.filter(unit=world.town).exists()
    assert cycle.obligations.filter(unit=world.district).exists()
