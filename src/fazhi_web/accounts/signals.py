"""Login and logout: the session list and the audit log; lockouts: the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from fazhi_web.accounts import services
from fazhi_web.accounts.lockout import client_ip
from fazhi_web.accounts.models import AccountState, UserSession
from fazhi_web.audit.log import record


def _method(user: Any) -> str:
    return "oidc" if getattr(user, "backend", "").endswith("OidcBackend") else "local"


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if request.session.session_key is None:
        request.session.save()
    method = _method(user)
    UserSession.objects.update_or_create(
        session_id=request.session.session_key,
        defaults={
            "user": user,
            "ip_address": client_ip(request) or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255],
            "method": method,
        },
    )
    if AccountState.objects.filter(user=user, must_change_password=True).exists():
        request.session[services.MUST_CHANGE_KEY] = True
    how = "通过统一身份认证" if method == "oidc" else ""
    record(
        user,
        "login",
        f"{how}登录（{client_ip(request) or '未知地址'}）",
        unit=services.home_unit(user),
        obj=user,
        after={"ip": client_ip(request), "method": method},
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None or request is None:
        return
    record(
        user,
        "logout",
        f"退出登录（{client_ip(request) or '未知地址'}）",
        unit=services.home_unit(user),
        obj=user,
    )


@receiver(user_locked_out)
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    services.record_lockout(request, username, ip_address)
