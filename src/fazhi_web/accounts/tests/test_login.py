"""Login throttling per account and per address, the Chinese lockout page, unlocking,
and the audit entries of it all."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.conftest import PASSWORD


def _login(client, username, password, ip="203.0.113.7"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_right_password_logs_in_and_is_logged(client, world):
    response = _login(client, "reviewer", PASSWORD)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="login")
    assert entry.actor == world.reviewer and entry.unit == world.city
    assert entry.after["ip"] == "203.0.113.7"


def test_account_is_locked_after_five_failures_and_says_until_when(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "reviewer", "wrong-guess")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    response = _login(client, "reviewer", "wrong-guess")
    assert response.status_code == 429
    body = response.content.decode()
    assert "该账号连续登录失败5次，已被暂时锁定" in body and "约15分钟后" in body
    assert int(response["Retry-After"]) == 15 * 60
    # The right password no longer helps, from any address.
    response = _login(client, "reviewer", PASSWORD, ip="198.51.100.9")
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    # Other accounts are not affected.
    assert _login(client, "reporter", PASSWORD).status_code == 302
    lockouts = AuditEntry.objects.filter(action="login.lockout")
    assert lockouts.count() == 1
    assert lockouts[0].unit == world.city and "reviewer" in lockouts[0].summary


def test_an_address_is_locked_after_its_own_higher_limit(client, world, settings):
    settings.FAZHI_LOGIN_ADDRESS_FAILURES = 8
    for i in range(8):
        _login(client, f"nobody{i}", "wrong-guess")
    response = _login(client, "reviewer", PASSWORD)
    assert response.status_code == 429
    assert "网络地址的登录失败次数过多" in response.content.decode()
    # The same account from another address still logs in.
    assert _login(client, "reviewer", PASSWORD, ip="198.51.100.9").status_code == 302
    entry = AuditEntry.objects.get(action="login.lockout", after__kind="address")
    assert "203.0.113.7" in entry.summary


def test_forwarded_for_is_believed_only_from_the_proxy(client, world, settings):
    settings.FAZHI_LOGIN_ADDRESS_FAILURES = 3
    # From nginx (127.0.0.1): the browser's address is the forwarded one.
    for _ in range(3):
        client.post(
            reverse("login"),
            {"username": "x", "password": "y"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.50",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.50"}
    # From anywhere else the header is ignored: no dodging the limit by naming an address.
    for i in range(3):
        client.post(
            reverse("login"),
            {"username": "x", "password": "y"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        )
    assert _login(client, "reviewer", PASSWORD).status_code == 429


@pytest.fixture
def locked(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "reporter", "wrong-guess")
    assert _login(client, "reporter", PASSWORD).status_code == 429


def test_admin_sees_and_lifts_a_lockout_in_scope(client, world, locked):
    client.force_login(world.admin)
    body = client.get(reverse("accounts:lockouts")).content.decode()
    assert "reporter" in body and "王填报" in body
    assert "登录已锁定" in client.get(reverse("units:users")).content.decode()
    response = client.post(reverse("accounts:unlock"), {"kind": "account", "value": "reporter"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="login.unlock")
    assert entry.actor == world.admin and entry.unit == world.town
    client.logout()
    assert _login(client, "reporter", PASSWORD).status_code == 302


def test_admin_of_another_city_cannot_see_or_lift_it(client, world, locked):
    from fazhi_web.units.models import Membership, Role

    Membership.objects.create(user=world.other_reviewer, unit=world.other_city, role=Role.ADMIN)
    client.force_login(world.other_reviewer)
    assert "reporter" not in client.get(reverse("accounts:lockouts")).content.decode()
    client.post(reverse("accounts:unlock"), {"kind": "account", "value": "reporter"})
    assert not AuditEntry.objects.filter(action="login.unlock").exists()
    assert AccessAttempt.objects.filter(username="reporter").exists()


def test_non_admins_cannot_reach_the_lockout_pages(client, world, locked):
    client.force_login(world.reviewer)
    assert client.get(reverse("accounts:lockouts")).status_code == 403
    assert (
        client.post(
            reverse("accounts:unlock"), {"kind": "account", "value": "reporter"}
        ).status_code
        == 403
    )
    assert AccessAttempt.objects.filter(username="reporter").exists()


def test_guessing_the_current_password_on_the_change_form_counts_too(client, world, settings):
    client.force_login(world.reporter)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("accounts:password"),
            {"old_password": "guess", "new_password1": "x", "new_password2": "x"},
        )
    assert response.status_code == 429
    world.reporter.refresh_from_db()
    assert world.reporter.check_password(PASSWORD)


def test_stored_failed_attempts_hold_no_password(client, world):
    _login(client, "reviewer", "Secret-Guess-1")
    client.force_login(world.reporter)
    client.post(
        reverse("accounts:password"),
        {
            "old_password": "Secret-Guess-2",
            "new_password1": "New-Secret-3",
            "new_password2": "New-Secret-3",
        },
    )
    stored = " ".join(a.post_data for a in AccessAttempt.objects.all())
    assert stored and "Secret-Guess" not in stored and "New-Secret" not in stored
    assert AccessFailureLog.objects.count() == 2
