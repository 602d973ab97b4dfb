"""The landing page after login (each role starts where its work is), the 400/403 (CSRF)/500
pages and the favicon."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.csrf import requires_csrf_token

from fazhi_web.middleware import api_error_detail, json_error, request_id
from fazhi_web.units.access import access_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if access.is_reviewer:
        return redirect("review:board")
    if access.is_reporter:
        return redirect("reports:mine")
    return render(request, "no_role.html", status=403)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico before reading the page's own icon link."""
    return redirect(static("fazhi/favicon.svg"))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the Chinese page with the request id the log line carries.

    No request context: the database or a context processor may be what failed.
    """
    if request.path.startswith("/api/"):
        return json_error(api_error_detail(500), 500)
    page = loader.render_to_string("500.html", {"request_id": request_id(request)})
    return HttpResponse(page, status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400 (a disallowed Host, a malformed request): rendered without a request
    context, since it may come before the middleware that sets the user."""
    if request.path.startswith("/api/"):
        return json_error(api_error_detail(400), 400)
    return HttpResponse(loader.render_to_string("400.html"), status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A POST without a valid CSRF token (a forged cross-site form, or a page left open
    past its session): refused in Chinese, nothing done."""
    detail = "请求来源校验失败，操作未执行。请刷新页面后重试；如果问题反复出现，请重新登录。"
    if request.path.startswith("/api/"):
        return json_error(detail, 403)
    return HttpResponse(
        loader.render_to_string("403_csrf.html", {"detail": detail}, request), status=403
    )
