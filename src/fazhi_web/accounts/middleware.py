"""The idle timeout, the session list's "last seen", pages kept out of shared caches,
and the forced password change."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from fazhi_web.accounts.models import UserSession
from fazhi_web.accounts.services import MUST_CHANGE_KEY

SEEN_KEY = "_fazhi_seen"
# Slide the session's expiry (settings.SESSION_COOKIE_AGE) at most once a minute, so
# that a page polling every second does not write its session every second.
TOUCH_SECONDS = 60


class SessionActivityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SEEN_KEY, 0) >= TOUCH_SECONDS:
                # Marks the session modified: it is saved with a fresh expiry.
                request.session[SEEN_KEY] = now
                UserSession.objects.filter(session_id=request.session.session_key).update(
                    last_seen_at=timezone.now()
                )
            response = self.get_response(request)
            # What a signed-in user saw stays out of the browser's cache on a shared computer.
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_store=True)
            return response
        return self.get_response(request)


# Where a user who must change their password may still go.
ALLOWED_PREFIXES = ("/static/", "/api/")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.get(MUST_CHANGE_KEY):
            allowed = {reverse("accounts:password"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith(ALLOWED_PREFIXES):
                messages.warning(request, "管理员要求您修改密码，修改后才能继续使用平台。")
                return redirect("accounts:password")
        return self.get_response(request)
