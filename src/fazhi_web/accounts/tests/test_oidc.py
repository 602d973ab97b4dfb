"""Single sign-on end to end against a real OpenID Connect provider on 127.0.0.1
(oidc_provider.py): the code flow with PKCE and nonce, the signed id_token checked
against the provider's keys, users mapped to units and roles by claims or by an
administrator, and forged or misdirected tokens refused."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth.models import User
from django.urls import reverse

from fazhi_web.accounts.models import ExternalIdentity, UserSession
from fazhi_web.accounts.tests.oidc_provider import RunningProvider
from fazhi_web.audit.models import AuditEntry
from fazhi_web.units.models import Membership, Role

CALLBACK = "http://testserver/oidc/callback/"


@pytest.fixture(scope="module")
def provider():
    running = RunningProvider("fazhi-platform", "s3cret-of-the-client", CALLBACK)
    yield running
    running.stop()


@pytest.fixture
def sso(provider, settings):
    issuer = provider.issuer
    settings.FAZHI_OIDC_ENABLED = True
    settings.FAZHI_OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = "fazhi-platform"
    settings.OIDC_RP_CLIENT_SECRET = "s3cret-of-the-client"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid profile"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
    settings.OIDC_USE_PKCE = True
    settings.OIDC_TIMEOUT = 10
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "fazhi_web.accounts.oidc.OidcBackend",
    ]
    provider.provider.audience = None
    return provider


def sign_in(client, provider, claims):
    """The browser's round trip: to the provider, (the user logs in there), back."""
    provider.sign_in_as(claims)
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer)
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    return client.get(f"{back.path}?{back.query}")


CLAIMS = {
    "sub": "440300-0001",
    "preferred_username": "chen_tb",
    "name": "陈填报",
    "fazhi_unit": "东江市南湖区/南湖区清河镇",
    "fazhi_role": "填报员",
}


def test_login_page_offers_sso_only_when_configured(client, db, sso, settings):
    assert "统一身份认证登录" in client.get(reverse("login")).content.decode()
    settings.FAZHI_OIDC_ENABLED = False
    assert "统一身份认证登录" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404


def test_first_login_creates_the_user_with_the_unit_and_role_of_the_claims(client, world, sso):
    response = sign_in(client, sso, CLAIMS)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(username="chen_tb")
    assert user.first_name == "陈填报" and not user.has_usable_password()
    assert ExternalIdentity.objects.get(user=user).subject == "440300-0001"
    assert Membership.objects.filter(user=user, unit=world.town, role=Role.REPORTER).exists()
    assert client.get(reverse("reports:mine")).status_code == 200
    assert UserSession.objects.get(user=user).method == "oidc"
    actions = set(AuditEntry.objects.filter(obj_filter(user)).values_list("action", flat=True))
    assert {"user.create_sso", "membership.add", "login"} <= actions
    # The second login finds the same account by its subject.
    client.logout()
    sign_in(client, sso, {**CLAIMS, "name": "陈填报（改名）"})
    assert User.objects.filter(external_identities__subject="440300-0001").count() == 1
    assert User.objects.get(username="chen_tb").first_name == "陈填报（改名）"


def obj_filter(user):
    from django.db.models import Q

    return Q(object_type="auth.user", object_id=str(user.pk))


def test_without_claims_an_administrator_assigns_the_unit(client, world, sso):
    sign_in(client, sso, {"sub": "440300-0002", "preferred_username": "li_sc", "name": "李审查员"})
    user = User.objects.get(username="li_sc")
    assert not Membership.objects.filter(user=user).exists()
    assert client.get(reverse("home")).status_code == 403  # the "no role yet" page
    admin = type(client)()
    admin.force_login(world.admin)
    body = admin.get(reverse("units:users")).content.decode()
    assert "尚待分配单位和角色" in body and "li_sc" in body
    admin.post(
        reverse("units:membership_add"),
        {"username": "li_sc", "unit": world.district.pk, "role": Role.REVIEWER},
    )
    assert Membership.objects.filter(user=user, unit=world.district, role=Role.REVIEWER).exists()
    assert client.get(reverse("home"))["Location"] == reverse("review:board")


def test_a_provider_account_never_takes_over_a_local_one(client, world, sso):
    sign_in(client, sso, {"sub": "evil-1", "preferred_username": "admin", "name": "冒充"})
    created = User.objects.get(external_identities__subject="evil-1")
    assert created.username == "admin-2" and created.pk != world.admin.pk
    assert client.session["_auth_user_id"] == str(created.pk)
    assert not Membership.objects.filter(user=created).exists()


def test_unknown_unit_or_role_in_claims_gives_no_role(client, world, sso):
    sign_in(client, sso, {**CLAIMS, "sub": "x-3", "preferred_username": "x3", "fazhi_role": "局长"})
    assert not Membership.objects.filter(user__username="x3").exists()
    sign_in(
        client, sso, {**CLAIMS, "sub": "x-4", "preferred_username": "x4", "fazhi_unit": "不存在镇"}
    )
    assert not Membership.objects.filter(user__username="x4").exists()


def test_a_token_for_another_client_is_refused(client, world, sso):
    sso.provider.audience = "another-system"
    response = sign_in(client, sso, CLAIMS)
    assert response.status_code == 302 and "sso=failed" in response["Location"]
    assert not User.objects.filter(username="chen_tb").exists()
    assert "_auth_user_id" not in client.session
    assert "统一身份认证登录未成功" in client.get(response["Location"]).content.decode()


def test_a_refusal_at_the_provider_logs_nobody_in(client, world, sso):
    sso.sign_in_as(None)
    start = client.get(reverse("oidc_authentication_init"))
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(at_provider.headers["Location"])
    assert "error=access_denied" in back.query
    response = client.get(f"{back.path}?{back.query}")
    assert "sso=failed" in response["Location"] and "_auth_user_id" not in client.session


def test_a_replayed_or_forged_callback_is_refused(client, world, sso):
    sso.sign_in_as(CLAIMS)
    start = client.get(reverse("oidc_authentication_init"))
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(at_provider.headers["Location"])
    # Another browser (no state in its session) presenting the same code.
    other = type(client)()
    response = other.get(f"{back.path}?{back.query}")
    assert response.status_code in (302, 400) and "_auth_user_id" not in other.session
    # A made-up state in this browser.
    response = client.get(f"{back.path}?code=forged&state=forged")
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    assert not User.objects.filter(username="chen_tb").exists()
