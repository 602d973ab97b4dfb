"""Request ids, a busy database answered as 503, and JSON errors for the API.

- RequestIdMiddleware gives every request an id (nginx's X-Request-ID when it is a
  safe token, else a new one), puts it on every log line (RequestIdFilter), in the
  X-Request-ID response header and on the 500 page, so that an administrator finds
  the traceback of the error a user reports.
- BusyMiddleware: SQLite waits for its write lock (settings: timeout); when even that
  is not enough, the user is told to retry in a moment (503) instead of a server error.
  The transaction was rolled back, so nothing is half stored.
- ControlCharacterMiddleware: a query or form value with NUL or another control
  character (nothing a person types; PostgreSQL cannot even store NUL) is refused
  with a Chinese 400 before any view sees it.
- ApiErrorMiddleware: under /api/, any error page Django or django-ninja produced
  outside the API's own handlers (unknown URL, method not allowed, a crash) becomes
  {"detail": "中文说明"}; elsewhere Django's empty 405 (a GET to a form's POST
  address, say) gets a Chinese page.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable

from django.core.signals import request_finished
from django.db import OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger("fazhi_web")

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# nginx's $request_id is 32 hex digits; anything unlike a plain token is replaced,
# so that a client cannot write into the log through the header.
SAFE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
RETRY_AFTER_SECONDS = 5
BUSY_DETAIL = "系统繁忙，请稍后重试。"

API_PREFIX = "/api/"
API_DETAILS = {
    400: "请求有误，请检查请求内容。",
    401: "未登录或令牌无效。",
    403: "无权进行此操作。",
    404: "未找到：该接口或对象不存在，或无权访问。",
    405: "不支持该请求方法。",
    413: "请求体过大。",
    429: "请求过于频繁，请稍后重试。",
    500: "服务器出错，请稍后重试。",
    503: BUSY_DETAIL,
}
METHOD_NAMES = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


def request_id(request: HttpRequest | None = None) -> str:
    return getattr(request, "request_id", None) or REQUEST_ID.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex[:16]
        request.request_id = rid  # type: ignore[attr-defined]
        # Kept until the response is closed: Django logs 4xx/5xx responses after
        # the middleware has returned, and that line must carry the id too.
        REQUEST_ID.set(rid)
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs: object) -> None:
    REQUEST_ID.set("-")


def is_busy(exc: BaseException) -> bool:
    """SQLite's lock wait ran out ("database is locked" / "database table is locked")."""
    return isinstance(exc, OperationalError) and "is locked" in str(exc)


def busy_response(request: HttpRequest) -> HttpResponse:
    logger.warning("数据库繁忙（等待写锁超时）：%s %s", request.method, request.path)
    if request.path.startswith(API_PREFIX):
        response = json_error(BUSY_DETAIL, 503)
    else:
        response = HttpResponse(
            loader.render_to_string("503.html", {"request_id": request_id(request)}), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class BusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        return busy_response(request) if is_busy(exc) else None


def json_error(detail: str, status: int, **extra: object) -> HttpResponse:
    body = json.dumps({"detail": detail, **extra}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def api_error_detail(status: int, allow: str = "") -> str:
    detail = API_DETAILS.get(status, f"请求失败（HTTP {status}）。")
    if status == 405 and allow:
        methods = [m.strip() for m in allow.split(",") if m.strip() in METHOD_NAMES]
        if methods:
            detail = f"不支持该请求方法，该接口允许：{'、'.join(sorted(methods))}。"
    if status == 500:
        detail = f"服务器出错，请稍后重试。如果问题反复出现，请将错误编号 {request_id()} 告知系统管理员。"
    return detail


class ApiErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replaced = json_error(
                api_error_detail(response.status_code, response.get("Allow", "")),
                response.status_code,
            )
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        if response.status_code == 405 and not response.content:
            replaced = HttpResponse(
                loader.render_to_string("405.html", {"detail": api_error_detail(405)}, request),
                status=405,
            )
            replaced["Allow"] = response.get("Allow", "")
            return replaced
        return response


# C0 controls but tab and line breaks, DEL, and the C1 controls.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_DETAIL = "提交的内容含有不可见的控制字符（如 NUL），请删除后重试。"


class ControlCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        values = [*request.GET.lists()]
        if request.method == "POST" and not request.path.startswith(API_PREFIX):
            values += request.POST.lists()
        for key, items in values:
            if any(CONTROL_CHARACTERS.search(v) for v in [key, *items]):
                if request.path.startswith(API_PREFIX):
                    return json_error(CONTROL_DETAIL, 400)
                page = loader.render_to_string("400.html", {"detail": CONTROL_DETAIL})
                return HttpResponse(page, status=400)
        return self.get_response(request)
