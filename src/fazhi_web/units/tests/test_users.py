"""Accounts and roles, created by an administrator within their scope."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units import services
from fazhi_web.units.models import Membership, Role

NEW_PASSWORD = "Qingshui-2024-river"


def form(**overrides):
    data = {
        "username": "zhang_tb",
        "full_name": "张填报",
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "role": Role.REPORTER,
    }
    data.update(overrides)
    return data


def test_user_list_shows_only_memberships_in_scope(client, world):
    Membership.objects.create(
        user=world.district_reporter, unit=world.other_town, role=Role.REPORTER
    )
    client.force_login(world.admin)
    body = client.get(reverse("units:users")).content.decode()
    for name in ("reviewer", "reporter", "district_reporter", "王填报", "李审查"):
        assert name in body
    assert "other_reviewer" not in body and "other_reporter" not in body and "outsider" not in body
    # A user's role elsewhere is not shown either.
    assert "西山市白石镇" not in body


def test_create_user_with_role(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("units:user_create"), form(unit=world.town.pk))
    assert response.status_code == 302
    user = User.objects.get(username="zhang_tb")
    assert user.first_name == "张填报" and user.check_password(NEW_PASSWORD)
    assert NEW_PASSWORD not in user.password
    assert Membership.objects.filter(user=user, unit=world.town, role=Role.REPORTER).exists()
    entry = AuditEntry.objects.get(action="user.create")
    assert entry.unit == world.town and entry.after["username"] == "zhang_tb"
    logged = json.dumps([e.after for e in AuditEntry.objects.all()], ensure_ascii=False)
    assert NEW_PASSWORD not in logged and NEW_PASSWORD not in entry.summary
    client.logout()
    response = client.post(reverse("login"), {"username": "zhang_tb", "password": NEW_PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"password2": "something-else-entirely"}, "两次输入的密码不一致"),
        ({"password": "Xy7!q", "password2": "Xy7!q"}, "密码至少需要12个字符"),
        ({"password": "password1234", "password2": "password1234"}, "至少3类"),
        ({"password": "Password1234", "password2": "Password1234"}, "密码过于常见"),
        ({"password": "Zhang_tb-2024", "password2": "Zhang_tb-2024"}, "与用户名或姓名过于相似"),
        (
            {"password": "南湖区清河镇Aa1-xyz", "password2": "南湖区清河镇Aa1-xyz"},
            "所在单位或地区的名称",
        ),
        ({"username": "REPORTER"}, "已被使用"),
        ({"username": "有 空格"}, "用户名只能包含"),
    ],
)
def test_create_user_refusals(client, world, overrides, message):
    client.force_login(world.admin)
    response = client.post(reverse("units:user_create"), form(unit=world.town.pk, **overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert overrides.get("password", NEW_PASSWORD) not in body
    assert not User.objects.filter(first_name="张填报").exists()
    # The login itself is logged; nothing else is.
    assert not AuditEntry.objects.exclude(action="login").exists()


def test_cannot_create_user_in_another_city(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("units:user_create"), form(unit=world.other_town.pk))
    assert response.status_code == 400
    assert not User.objects.filter(username="zhang_tb").exists()
    with pytest.raises(ActionRefused, match="管理范围"):
        services.create_user(
            world.admin,
            username="zhang_tb",
            full_name="张",
            password=NEW_PASSWORD,
            unit=world.other_town,
            role=Role.REPORTER,
        )
    assert not User.objects.filter(username="zhang_tb").exists()


def test_add_role_to_existing_user(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("units:membership_add"),
        {"username": "outsider", "unit": world.district.pk, "role": Role.REVIEWER},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=world.outsider, unit=world.district, role=Role.REVIEWER
    ).exists()
    entry = AuditEntry.objects.get(action="membership.add")
    assert entry.unit == world.district and entry.after == {
        "username": "outsider",
        "unit": "东江市南湖区",
        "role": "reviewer",
    }
    response = client.post(
        reverse("units:membership_add"),
        {"username": "outsider", "unit": world.district.pk, "role": Role.REVIEWER},
    )
    assert response.status_code == 400 and "已在东江市南湖区担任审查员" in response.content.decode()
    response = client.post(
        reverse("units:membership_add"),
        {"username": "nobody", "unit": world.district.pk, "role": Role.REVIEWER},
    )
    assert response.status_code == 400 and "用户“nobody”不存在" in response.content.decode()
    assert AuditEntry.objects.filter(action="membership.add").count() == 1


def test_cannot_add_role_in_another_city(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("units:membership_add"),
        {"username": "outsider", "unit": world.other_city.pk, "role": Role.ADMIN},
    )
    assert response.status_code == 400
    with pytest.raises(ActionRefused, match="管理范围"):
        services.add_membership(
            world.admin, user=world.outsider, unit=world.other_city, role=Role.ADMIN
        )
    assert not Membership.objects.filter(user=world.outsider).exists()


def test_user_forms_offer_only_units_in_scope(client, world):
    client.force_login(world.admin)
    for name in ("units:user_create", "units:membership_add"):
        body = client.get(reverse(name)).content.decode()
        assert "南湖区清河镇" in body and "西山市" not in body


def test_password_is_not_in_error_reports(rf, world):
    from django.views.debug import SafeExceptionReporterFilter

    from fazhi_web.units.views import user_create

    # A mismatch keeps the view on its form page, where the request is still inspectable.
    request = rf.post(reverse("units:user_create"), form(unit=world.town.pk, password2="x"))
    request.user = world.admin
    request._dont_enforce_csrf_checks = True
    user_create(request)
    params = SafeExceptionReporterFilter().get_post_parameters(request)
    assert params["password"] != NEW_PASSWORD and params["username"] == "zhang_tb"
    assert not User.objects.filter(username="zhang_tb").exists()
