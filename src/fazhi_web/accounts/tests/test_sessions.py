"""The idle timeout, the user's session list, and ending sessions from it."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi_web.accounts.middleware import SEEN_KEY
from fazhi_web.accounts.models import UserSession
from fazhi_web.audit.models import AuditEntry
from fazhi_web.conftest import PASSWORD


def test_idle_timeout_is_thirty_minutes_by_default(settings):
    assert settings.FAZHI_SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_an_idle_session_ends(client, world):
    client.force_login(world.reporter)
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("reports:mine"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_activity_slides_the_expiry(client, world):
    client.force_login(world.reporter)
    session = client.session
    session[SEEN_KEY] = 0  # as if the last request was long ago
    session.save()
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    client.get(reverse("reports:mine"))
    expires = Session.objects.get().expire_date
    assert expires > timezone.now() + dt.timedelta(minutes=29)


def test_the_list_shows_own_sessions_and_ends_one(client, world):
    phone = Client(HTTP_USER_AGENT="PhoneBrowser/1.0")
    phone.post(
        reverse("login"), {"username": "reporter", "password": PASSWORD}, REMOTE_ADDR="198.51.100.4"
    )
    client.post(reverse("login"), {"username": "reporter", "password": PASSWORD})
    Client().force_login(world.reviewer)  # someone else's session: never listed
    body = client.get(reverse("accounts:security")).content.decode()
    assert "PhoneBrowser/1.0" in body and "198.51.100.4" in body and "当前会话" in body
    assert body.count("<tr>") == 3  # header and two sessions
    mine = UserSession.objects.get(user=world.reporter, ip_address="198.51.100.4")
    response = client.post(reverse("accounts:end_session", args=[mine.pk]))
    assert response.status_code == 302
    assert phone.get(reverse("reports:mine")).status_code == 302
    assert client.get(reverse("reports:mine")).status_code == 200
    assert AuditEntry.objects.get(action="session.end").actor == world.reporter


def test_ending_others_sessions_is_404(client, world):
    other = Client()
    other.force_login(world.reviewer)
    theirs = UserSession.objects.get(user=world.reviewer)
    client.force_login(world.reporter)
    assert client.post(reverse("accounts:end_session", args=[theirs.pk])).status_code == 404
    assert other.get(reverse("review:board")).status_code == 200


def test_end_all_other_sessions(client, world):
    others = [Client() for _ in range(2)]
    for c in others:
        c.force_login(world.reporter)
    client.force_login(world.reporter)
    client.post(reverse("accounts:end_other_sessions"))
    assert all(c.get(reverse("reports:mine")).status_code == 302 for c in others)
    assert client.get(reverse("reports:mine")).status_code == 200


def test_logout_ends_the_session_and_is_logged(client, world):
    client.force_login(world.reporter)
    client.post(reverse("logout"))
    assert not UserSession.objects.exists() and not Session.objects.exists()
    assert AuditEntry.objects.filter(action="logout", actor=world.reporter).exists()


def test_signed_in_pages_are_not_cached(client, world):
    assert "no-store" not in client.get(reverse("portal:index")).get("Cache-Control", "")
    client.force_login(world.reporter)
    assert client.get(reverse("reports:mine"))["Cache-Control"] == "private, no-store"
