"""Single sign-on through the province's 统一身份认证 (OpenID Connect, mozilla-django-oidc).

A provider account is matched by (issuer, subject) only, never by username or e-mail,
so it can never take over a local account. On first login a user is created with no
local password. The unit and role come from the claims settings.FAZHI_OIDC_UNIT_CLAIM
and FAZHI_OIDC_ROLE_CLAIM when the provider sends them (checked at every login, roles
are only ever added); otherwise an administrator assigns them (units:users lists such
accounts) and until then the user sees the "no role yet" page.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from fazhi_web.accounts.models import ExternalIdentity
from fazhi_web.audit.log import record
from fazhi_web.units.models import Membership, Role, Unit

logger = logging.getLogger(__name__)

ROLE_NAMES = {**{r.value: r.value for r in Role}, **{r.label: r.value for r in Role}}


def _audiences(payload: dict[str, Any]) -> list[str]:
    aud = payload.get("aud")
    return [aud] if isinstance(aud, str) else list(aud or [])


def resolve_unit(name: str) -> Unit | None:
    """A unit by its name, or by "上级单位/名称" (as deep as needed) when names repeat."""
    segments = [s.strip() for s in str(name).split("/") if s.strip()]
    if not segments:
        return None
    found = []
    for unit in Unit.objects.filter(name=segments[-1], hidden_reason=""):
        chain = [unit.name]
        parent = unit.parent
        while parent is not None and len(chain) < len(segments):
            chain.append(parent.name)
            parent = parent.parent
        if chain[::-1] == segments:
            found.append(unit)
    return found[0] if len(found) == 1 else None


class OidcBackend(OIDCAuthenticationBackend):
    def authenticate(self, request: HttpRequest, **kwargs: Any) -> Any:
        """None (the user is sent back to the login page) for whatever the provider
        or a forger got wrong, instead of an error page."""
        try:
            return super().authenticate(request, **kwargs)
        except (
            SuspiciousOperation,
            requests.RequestException,
            jwt.InvalidTokenError,
            ValueError,
        ) as exc:
            logger.warning("统一身份认证登录被拒绝：%s", exc)
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        # mozilla-django-oidc checks the signature, expiry and nonce; the issuer and
        # the audience are checked here (OpenID Connect Core 3.1.3.7).
        payload = super().verify_token(token, **kwargs)
        if settings.FAZHI_OIDC_ISSUER and payload.get("iss") != settings.FAZHI_OIDC_ISSUER:
            raise SuspiciousOperation("id_token issued by another provider")
        if self.OIDC_RP_CLIENT_ID not in _audiences(payload):
            raise SuspiciousOperation("id_token issued for another client")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict[str, Any]:
        info = super().get_userinfo(access_token, id_token, payload)
        if info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject")
        return {**info, "iss": payload.get("iss", "")}

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub")) and bool(claims.get("iss"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return get_user_model().objects.filter(
            external_identities__issuer=claims["iss"],
            external_identities__subject=str(claims["sub"]),
        )

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> Any:
        user_model = get_user_model()
        username = _free_username(claims)
        name = str(claims.get("name") or "")[:150]
        user = user_model.objects.create_user(username, first_name=name)
        user.set_unusable_password()
        user.save()
        ExternalIdentity.objects.create(user=user, issuer=claims["iss"], subject=str(claims["sub"]))
        record(
            None,
            "user.create_sso",
            f"统一身份认证用户“{username}”（{name or '未提供姓名'}）首次登录，已建立账号",
            obj=user,
            after={"username": username, "name": name, "issuer": claims["iss"]},
        )
        _map_roles(user, claims)
        return user

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        name = str(claims.get("name") or "")[:150]
        if name and name != user.first_name:
            user.first_name = name
            user.save(update_fields=["first_name"])
        _map_roles(user, claims)
        return user


def _free_username(claims: dict[str, Any]) -> str:
    user_model = get_user_model()
    base = str(claims.get("preferred_username") or "")[:140]
    try:
        user_model.username_validator(base)
    except ValidationError:
        base = ""
    base = base or f"sso-{str(claims['sub'])[:40]}"
    username, n = base, 1
    while user_model.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _map_roles(user: Any, claims: dict[str, Any]) -> None:
    unit_name = claims.get(settings.FAZHI_OIDC_UNIT_CLAIM)
    role_name = claims.get(settings.FAZHI_OIDC_ROLE_CLAIM)
    if not unit_name or not role_name:
        return
    unit = resolve_unit(str(unit_name))
    role = ROLE_NAMES.get(str(role_name))
    if unit is None or role is None:
        logger.warning(
            "统一身份认证用户 %s 的单位或角色无法识别：%r %r", user, unit_name, role_name
        )
        return
    _, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        record(
            None,
            "membership.add",
            f"按统一身份认证的声明为用户“{user.get_username()}”添加{unit.name}{Role(role).label}角色",
            unit=unit,
            obj=user,
            after={"username": user.get_username(), "unit": unit.name, "role": role},
        )


def _enabled() -> None:
    # The views read the provider's settings when built: only then.
    if not settings.FAZHI_OIDC_ENABLED:
        raise Http404("未启用统一身份认证登录。")


def authenticate(request: HttpRequest) -> HttpResponse:
    """To the provider's login page."""
    _enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


def callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider with a code: exchanged, checked, signed in."""
    _enabled()
    return OIDCAuthenticationCallbackView.as_view()(request)
