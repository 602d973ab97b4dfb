"""Writing the audit log. Every service function that changes data calls `record`."""

from __future__ import annotations

from typing import Any

from django.db import models

from fazhi_web.audit.models import AuditEntry


def record(
    actor: Any,
    action: str,
    summary: str,
    *,
    unit: Any = None,
    obj: models.Model | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    name = ""
    if user is not None:
        name = user.get_full_name() or user.get_username()
    elif actor is not None:
        name = "未登录用户"
    return AuditEntry.objects.create(
        actor=user,
        actor_name=name or "系统",
        action=action,
        summary=summary[:300],
        unit=unit,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=before,
        after=after,
    )
