"""Issuing and revoking API tokens; both write the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi_web.api.models import ApiToken
from fazhi_web.audit.log import record
from fazhi_web.reports.services import ActionRefused


@transaction.atomic
def issue_token(actor: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the key is returned once and only its hash is kept."""
    name = name.strip()
    if not name:
        raise ActionRefused("请填写令牌用途。")
    if not user.is_active:
        raise ActionRefused(f"用户“{user.get_username()}”已停用，不能签发令牌。")
    token, key = ApiToken.issue(user, name[:100])
    record(
        actor,
        "api_token.issue",
        f"为用户{user.get_username()}签发接口令牌“{token.name}”",
        obj=token,
        after={"user": user.get_username(), "name": token.name},
    )
    return token, key


@transaction.atomic
def revoke_token(actor: Any, token: ApiToken, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ActionRefused("请填写吊销原因。")
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        raise ActionRefused("该令牌已经吊销。")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        actor,
        "api_token.revoke",
        f"吊销用户{token.user.get_username()}的接口令牌“{token.name}”：{reason}"[:300],
        obj=token,
        before={"revoked": False},
        after={"revoked": True, "reason": reason},
    )
