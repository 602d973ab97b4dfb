"""The password rule, the forced change, and signing out everywhere on a change."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fazhi_web.accounts.models import AccountState
from fazhi_web.accounts.passwords import character_classes, generate
from fazhi_web.audit.models import AuditEntry
from fazhi_web.conftest import PASSWORD

NEW = "Ganjiang-river-73"


@pytest.mark.parametrize(
    "password, code",
    [
        ("Short-1a", "password_too_short"),
        ("alllowercaseletters", "password_too_few_classes"),
        ("lowercase-with-dash", "password_too_few_classes"),
        ("Password1234", "password_too_common"),
        ("Reporter-2024!", "password_too_similar"),
        ("QingheTown-南湖区清河镇", "password_unit_name"),
    ],
)
def test_rule_refuses(world, password, code):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user=world.reporter)
    assert code in {e.code for e in caught.value.error_list}


@pytest.mark.parametrize(
    "password", ["Ganjiang-river-73", "ganjiang river 73!", "GANJIANG73riverx"]
)
def test_rule_accepts(world, password):
    validate_password(password, user=world.reporter)


def test_a_chinese_character_counts_as_a_symbol():
    assert character_classes("法治abc123") == {"符号", "小写字母", "数字"}


def test_generated_passwords_pass_for_the_user(world):
    for _ in range(20):
        password = generate(world.reporter)
        validate_password(password, user=world.reporter)
        assert len(password) == 16


def test_demo_passwords_follow_the_rule(db, capsys, settings, tmp_path):
    call_command("load_demo")
    out = capsys.readouterr().out
    from django.contrib.auth.models import User

    lines = [line.split() for line in out.splitlines() if "密码" in line and "用户名" in line]
    assert len(lines) == 4
    for words in lines:
        username, password = words[words.index("用户名") + 1], words[words.index("密码") + 1]
        validate_password(password, user=User.objects.get(username=username))


def _change(client, old=PASSWORD, new=NEW, again=None):
    return client.post(
        reverse("accounts:password"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_change_ends_every_other_session(client, world):
    elsewhere = Client()
    elsewhere.force_login(world.reporter)
    client.force_login(world.reporter)
    response = _change(client)
    assert response.status_code == 302
    world.reporter.refresh_from_db()
    assert world.reporter.check_password(NEW)
    # This browser stays signed in; the other one is out.
    assert client.get(reverse("reports:mine")).status_code == 200
    assert elsewhere.get(reverse("reports:mine")).status_code == 302
    assert Session.objects.count() == 1
    entry = AuditEntry.objects.get(action="password.change")
    assert entry.after == {"sessions_ended": 1} and NEW not in entry.summary


@pytest.mark.parametrize(
    "old, new, again, message",
    [
        ("wrong-password", NEW, None, "当前密码不正确"),
        (PASSWORD, PASSWORD, None, "新密码不能与当前密码相同"),
        (PASSWORD, "short", None, "密码至少需要12个字符"),
        (PASSWORD, NEW, "Something-else-1", "两次输入的新密码不一致"),
    ],
)
def test_change_refusals_are_chinese_and_change_nothing(client, world, old, new, again, message):
    client.force_login(world.reporter)
    response = _change(client, old, new, again)
    assert response.status_code == 400 and message in response.content.decode()
    world.reporter.refresh_from_db()
    assert world.reporter.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="password.change").exists()


def test_admin_forces_a_change_at_next_login(client, world):
    victim = Client()
    victim.force_login(world.reporter)
    client.force_login(world.admin)
    response = client.post(reverse("accounts:require_password_change", args=[world.reporter.pk]))
    assert response.status_code == 302
    assert AccountState.objects.get(user=world.reporter).must_change_password
    assert AuditEntry.objects.get(action="password.require_change").unit == world.town
    # Signed out at once; at the next login every page leads to the password form.
    assert victim.get(reverse("reports:mine")).status_code == 302
    victim.post(reverse("login"), {"username": "reporter", "password": PASSWORD})
    response = victim.get(reverse("reports:mine"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password")
    assert "管理员要求您修改密码" in victim.get(reverse("accounts:password")).content.decode()
    assert _change(victim).status_code == 302
    assert victim.get(reverse("reports:mine")).status_code == 200
    assert not AccountState.objects.get(user=world.reporter).must_change_password


def test_new_users_change_the_initial_password_at_first_login(client, world):
    client.force_login(world.admin)
    client.post(
        reverse("units:user_create"),
        {
            "username": "zhang_tb",
            "full_name": "张填报",
            "password": "Qingshui-2024-river",
            "password2": "Qingshui-2024-river",
            "role": "reporter",
            "unit": world.town.pk,
            "must_change_password": "on",
        },
    )
    other = Client()
    other.post(reverse("login"), {"username": "zhang_tb", "password": "Qingshui-2024-river"})
    assert other.get(reverse("reports:mine"))["Location"] == reverse("accounts:password")


def test_forcing_is_refused_out_of_scope(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("accounts:require_password_change", args=[world.other_reporter.pk])
    )
    assert response.status_code == 404
    assert not AccountState.objects.filter(
        user=world.other_reporter, must_change_password=True
    ).exists()
    client.force_login(world.reviewer)
    response = client.post(reverse("accounts:require_password_change", args=[world.reporter.pk]))
    assert response.status_code == 403
    assert not AccountState.objects.filter(must_change_password=True).exists()
