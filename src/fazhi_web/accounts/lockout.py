"""Login throttling on django-axes: per account and per address, a Chinese lockout
page that says when to try again, and the client address as nginx saw it.

Axes counts failures per username and per address (settings.AXES_LOCKOUT_PARAMETERS)
against one limit. An address is shared by a whole office behind NAT, so it gets a
limit of its own (FAZHI_LOGIN_ADDRESS_FAILURES), far above an account's: LockoutHandler
reports an address over its own limit as reaching the account limit.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


@dataclass
class Failures:
    account: int
    address: int
    last_account: dt.datetime | None
    last_address: dt.datetime | None

    @property
    def account_locked(self) -> bool:
        return self.account >= settings.AXES_FAILURE_LIMIT

    @property
    def address_locked(self) -> bool:
        return self.address >= settings.FAZHI_LOGIN_ADDRESS_FAILURES


class LockoutHandler(AxesDatabaseHandler):
    def failures(self, request: HttpRequest, credentials: dict | None = None) -> Failures:
        by_account, by_address = self.get_user_attempts(request, credentials)
        if get_client_username(request, credentials) is None:
            # A sign-in without a username (统一身份认证) counts against its address only.
            by_account = by_account.none()
        account = by_account.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        address = by_address.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        return Failures(account["n"] or 0, address["n"] or 0, account["last"], address["last"])

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        found = self.failures(request, credentials)
        if found.address_locked:
            return max(found.account, settings.AXES_FAILURE_LIMIT)
        return found.account


def client_ip(request: HttpRequest) -> str:
    """The browser's address: X-Forwarded-For is believed only when nginx (a trusted
    proxy) sent the request, so a client cannot pick an address to dodge the limit."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.FAZHI_TRUSTED_PROXIES
    if remote in trusted:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        for hop in reversed(hops):
            if hop and hop not in trusted:
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    break
    return remote


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"{local:%H:%M}"
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    """The page a locked-out login gets (HTTP 429), saying until when."""
    found = LockoutHandler().failures(request, credentials)
    cool_off = settings.AXES_COOLOFF_TIME
    now = timezone.now()
    ends = [
        last + cool_off
        for locked, last in (
            (found.account_locked, found.last_account),
            (found.address_locked, found.last_address),
        )
        if locked and last is not None
    ]
    until = max(ends) if ends else now + cool_off
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    if found.account_locked:
        reason = f"该账号连续登录失败{settings.AXES_FAILURE_LIMIT}次，已被暂时锁定。"
    else:
        reason = "您所在网络地址的登录失败次数过多，已被暂时禁止登录。"
    message = f"{reason}请于{_when(until)}（约{minutes}分钟后）再试，或联系本级管理员解锁。"
    response = render(request, "accounts/locked.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
