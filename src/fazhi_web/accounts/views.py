"""Login, the user's own security page (password, sessions), and the administrators'
pages for lockouts and forced password changes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi_web.accounts import services
from fazhi_web.accounts.forms import PasswordChangeForm, UnlockForm
from fazhi_web.accounts.passwords import RULE_TEXT
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.access import access_for


class LoginView(auth_views.LoginView):
    template_name = "login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.FAZHI_OIDC_ENABLED
        context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context


def _first_error(form: Any) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return "请检查填写的内容。"


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            form.add_error(None, _first_error(form))
            status = 400
        else:
            data = form.cleaned_data
            try:
                ended = services.change_password(
                    request, data["old_password"], data["new_password1"]
                )
            except ActionRefused as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                note = f"其他{ended}个登录会话已结束。" if ended else ""
                messages.success(request, "密码已修改。" + note)
                return redirect("accounts:security")
    return render(
        request,
        "accounts/password.html",
        {
            "form": form,
            "rule": RULE_TEXT,
            "has_password": request.user.has_usable_password(),
        },
        status=status,
    )


@login_required
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    sessions = list(services.live_sessions(request.user))
    return render(
        request,
        "accounts/security.html",
        {
            "sessions": sessions,
            "current": request.session.session_key,
            "has_password": request.user.has_usable_password(),
            "idle_minutes": settings.FAZHI_SESSION_IDLE_MINUTES,
        },
    )


@login_required
@require_POST
def end_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = services.live_sessions(request.user).filter(pk=pk).first()
    if session is None:
        raise Http404("会话不存在或已结束。")
    if session.session_id == request.session.session_key:
        messages.error(request, "不能在这里结束当前会话，请使用“退出”。")
        return redirect("accounts:security")
    services.end_session(request.user, session)
    messages.success(request, "已结束该会话，该浏览器需要重新登录。")
    return redirect("accounts:security")


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    count = services.end_other_sessions(request)
    messages.success(request, f"已结束其他{count}个登录会话。")
    return redirect("accounts:security")


# -- administrators -----------------------------------------------------------------


def _admin(request: HttpRequest) -> None:
    if not access_for(request.user).is_admin:
        raise PermissionDenied


@login_required
@require_GET
def lockouts(request: HttpRequest) -> HttpResponse:
    _admin(request)
    return render(
        request,
        "accounts/lockouts.html",
        {
            "lockouts": services.current_lockouts(request.user),
            "account_limit": settings.AXES_FAILURE_LIMIT,
            "address_limit": settings.FAZHI_LOGIN_ADDRESS_FAILURES,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


@login_required
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    _admin(request)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要解除的锁定。")
        return redirect("accounts:lockouts")
    kind, value = form.cleaned_data["kind"], form.cleaned_data["value"]
    try:
        services.unlock(request.user, kind, value)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已解除“{value}”的登录锁定。")
    return redirect("accounts:lockouts")


@login_required
@require_POST
def require_password_change(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    user = services.users_in_scope(access_for(request.user)).filter(pk=pk).first()
    if user is None:
        raise Http404("用户不存在或无权访问。")
    try:
        services.require_password_change(request.user, user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"已要求用户“{user.get_username()}”下次登录时修改密码，其登录会话已结束。"
        )
    return redirect("units:users")
