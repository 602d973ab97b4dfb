"""Changes to accounts: passwords, the forced change, sessions, lockouts. Each writes
the audit log; passwords never reach it.

An administrator acts on the users who have a role at a unit they administer (a
superuser on everyone); lockouts of addresses and of unknown usernames concern no
unit and are the superuser's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from fazhi_web.accounts import passwords
from fazhi_web.accounts.lockout import LockoutHandler
from fazhi_web.accounts.models import AccountState, UserSession
from fazhi_web.audit.log import record
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.access import Access, access_for
from fazhi_web.units.models import Membership

MUST_CHANGE_KEY = "_fazhi_must_change_password"


def home_unit(user: Any) -> Any:
    """The unit an account's log entries belong to: where its first role is."""
    membership = Membership.objects.filter(user=user).select_related("unit").order_by("pk").first()
    return membership.unit if membership else None


def state_of(user: Any) -> AccountState:
    state, _ = AccountState.objects.get_or_create(user=user)
    return state


def users_in_scope(access: Access) -> QuerySet[Any]:
    users = get_user_model().objects.all()
    if access.is_superuser:
        return users
    return users.filter(memberships__unit__in=access.administrable_units()).distinct()


def must_change_ids(user_ids: Any) -> set[int]:
    return set(
        AccountState.objects.filter(user_id__in=user_ids, must_change_password=True).values_list(
            "user_id", flat=True
        )
    )


def sso_users_without_role() -> QuerySet[Any]:
    """Accounts made at a first 统一身份认证 login that still wait for a unit and role:
    any administrator may see them (they hold no unit's data yet) and assign one."""
    return (
        get_user_model()
        .objects.filter(external_identities__isnull=False, memberships__isnull=True)
        .distinct()
        .order_by("date_joined")
    )


def _check_scope(actor: Any, user: Any) -> None:
    access = access_for(actor)
    if not access.is_admin or not users_in_scope(access).filter(pk=user.pk).exists():
        raise ActionRefused("该用户不在您的管理范围内。")


def check_new_password(user: Any, password: str) -> None:
    try:
        validate_password(password or "", user=user)
    except ValidationError as exc:
        raise ActionRefused("密码不符合要求：" + "".join(passwords.problems(exc))) from None


# -- sessions ------------------------------------------------------------------------


def live_sessions(user: Any) -> QuerySet[UserSession]:
    return UserSession.objects.filter(user=user, session__expire_date__gt=timezone.now())


def _end_sessions(user: Any, keep: str | None = None) -> int:
    sessions = Session.objects.filter(
        pk__in=UserSession.objects.filter(user=user).values("session")
    )
    if keep:
        sessions = sessions.exclude(pk=keep)
    _, deleted = sessions.delete()
    return deleted.get(Session._meta.label, 0)


@transaction.atomic
def end_session(actor: Any, session: UserSession) -> None:
    if session.user_id != actor.pk:
        raise ActionRefused("会话不存在或已结束。")
    where = session.ip_address or "未知地址"
    Session.objects.filter(pk=session.session_id).delete()
    record(
        actor,
        "session.end",
        f"结束了自己在{where}的登录会话",
        unit=home_unit(actor),
        obj=actor,
        after={"ip": session.ip_address, "since": session.created_at.isoformat()},
    )


@transaction.atomic
def end_other_sessions(request: HttpRequest) -> int:
    count = _end_sessions(request.user, keep=request.session.session_key)
    record(
        request.user,
        "session.end",
        f"结束了自己的其他{count}个登录会话",
        unit=home_unit(request.user),
        obj=request.user,
        after={"ended": count},
    )
    return count


# -- passwords -----------------------------------------------------------------------


def change_password(request: HttpRequest, old: str, new: str) -> int:
    """The user's own change: checked through authenticate() so that guesses of the old
    password count towards the lockout like a login's (and so outside the transaction,
    which a refusal rolls back). Every other session ends."""
    user = request.user
    if not user.has_usable_password():
        raise ActionRefused("您通过统一身份认证登录，密码由统一身份认证平台管理。")
    checked = authenticate(request, username=user.get_username(), password=old)
    if checked is None or checked.pk != user.pk:
        raise ActionRefused("当前密码不正确。")
    if old == new:
        raise ActionRefused("新密码不能与当前密码相同。")
    check_new_password(user, new)
    with transaction.atomic():
        user.set_password(new)
        user.save(update_fields=["password"])
        state = state_of(user)
        state.must_change_password = False
        state.password_changed_at = timezone.now()
        state.save()
        listed = UserSession.objects.filter(session_id=request.session.session_key).first()
        # Keeps this browser signed in under a new session key.
        update_session_auth_hash(request, user)
        if listed is not None:
            listed.pk = None
            listed.session_id = request.session.session_key
            listed.save()
        request.session.pop(MUST_CHANGE_KEY, None)
        ended = _end_sessions(user, keep=request.session.session_key)
        record(
            user,
            "password.change",
            f"修改了密码，并结束其他{ended}个登录会话",
            unit=home_unit(user),
            obj=user,
            after={"sessions_ended": ended},
        )
    return ended


@transaction.atomic
def require_password_change(actor: Any, user: Any) -> None:
    """From the next login on, the user must choose a new password; they are signed
    out everywhere now."""
    _check_scope(actor, user)
    if not user.has_usable_password():
        raise ActionRefused("该用户通过统一身份认证登录，没有本地密码。")
    state = state_of(user)
    if state.must_change_password:
        raise ActionRefused("已要求该用户下次登录时修改密码。")
    state.must_change_password = True
    state.save()
    ended = _end_sessions(user)
    record(
        actor,
        "password.require_change",
        f"要求用户“{user.get_username()}”下次登录时修改密码",
        unit=home_unit(user),
        obj=user,
        after={"username": user.get_username(), "sessions_ended": ended},
    )


# -- lockouts ------------------------------------------------------------------------


@dataclass
class Lockout:
    kind: str  # "account" or "address"
    value: str
    failures: int
    until: dt.datetime
    user: Any = None

    @property
    def label(self) -> str:
        return "账号" if self.kind == "account" else "网络地址"


def current_lockouts(actor: Any) -> list[Lockout]:
    access = access_for(actor)
    if not access.is_admin:
        return []
    recent = AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    found: list[Lockout] = []
    by_name = (
        recent.exclude(username=None)
        .values("username")
        .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(n__gte=settings.AXES_FAILURE_LIMIT)
    )
    users = {u.get_username(): u for u in users_in_scope(access)}
    for row in by_name:
        user = users.get(row["username"])
        if user is not None or access.is_superuser:
            until = row["last"] + settings.AXES_COOLOFF_TIME
            found.append(Lockout("account", row["username"], row["n"], until, user))
    if access.is_superuser:
        by_address = (
            recent.values("ip_address")
            .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(n__gte=settings.FAZHI_LOGIN_ADDRESS_FAILURES)
        )
        for row in by_address:
            until = row["last"] + settings.AXES_COOLOFF_TIME
            found.append(Lockout("address", row["ip_address"], row["n"], until))
    return sorted(found, key=lambda lock: lock.until, reverse=True)


@transaction.atomic
def unlock(actor: Any, kind: str, value: str) -> None:
    match = [lock for lock in current_lockouts(actor) if (lock.kind, lock.value) == (kind, value)]
    if not match:
        raise ActionRefused("该锁定不存在、已解除，或不在您的管理范围内。")
    lock = match[0]
    if kind == "account":
        axes_reset(username=value)
    else:
        axes_reset(ip=value)
    record(
        actor,
        "login.unlock",
        f"解除了{lock.label}“{value}”的登录锁定",
        unit=home_unit(lock.user) if lock.user else None,
        obj=lock.user,
        after={"kind": kind, "value": value, "failures": lock.failures},
    )


def record_lockout(request: HttpRequest, username: str | None, ip_address: str) -> None:
    """An audit entry when an account or an address becomes locked (not for each
    further try while it is: axes keeps those)."""
    credentials = {settings.AXES_USERNAME_FORM_FIELD: username} if username else None
    found = LockoutHandler().failures(request, credentials)
    user = None
    if username:
        user = get_user_model().objects.filter(username=username).first()
    if found.account == settings.AXES_FAILURE_LIMIT:
        record(
            None,
            "login.lockout",
            f"账号“{username}”连续登录失败{found.account}次，被锁定至"
            f"{timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME):%Y-%m-%d %H:%M}",
            unit=home_unit(user) if user else None,
            obj=user,
            after={"kind": "account", "username": username, "ip": ip_address},
        )
    if found.address == settings.FAZHI_LOGIN_ADDRESS_FAILURES:
        record(
            None,
            "login.lockout",
            f"网络地址{ip_address}登录失败{found.address}次，被禁止登录至"
            f"{timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME):%Y-%m-%d %H:%M}",
            after={"kind": "address", "username": username, "ip": ip_address},
        )
