"""The audit log as CSV or JSON Lines, for an outside log system (SIEM, 日志审计平台).

One row per entry, oldest first, with stable keys; `after_id` lets a collector fetch
only what is new since its last run.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from fazhi_web.audit.models import AuditEntry

FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
FIELDS = [
    "id",
    "at",
    "actor_id",
    "actor",
    "action",
    "summary",
    "unit_id",
    "unit",
    "object_type",
    "object_id",
    "before",
    "after",
]


def entries(
    queryset: QuerySet[AuditEntry], after_id: int | None = None, since: Any = None
) -> QuerySet[AuditEntry]:
    if after_id is not None:
        queryset = queryset.filter(pk__gt=after_id)
    if since is not None:
        queryset = queryset.filter(at__gte=since)
    return queryset.select_related("unit").order_by("id")


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "at": timezone.localtime(entry.at).isoformat(),
        "actor_id": entry.actor_id,
        "actor": entry.actor_name,
        "action": entry.action,
        "summary": entry.summary,
        "unit_id": entry.unit_id,
        "unit": entry.unit.name if entry.unit_id else "",
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": entry.before,
        "after": entry.after,
    }


def lines(rows: Iterable[AuditEntry], fmt: str) -> Iterator[str]:
    """The export piece by piece, so that a large log streams instead of filling memory."""
    if fmt == "jsonl":
        for entry in rows:
            yield json.dumps(as_dict(entry), ensure_ascii=False, sort_keys=True) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, FIELDS)
    # A BOM so that Excel opens the Chinese text as UTF-8.
    yield "\ufeff"
    writer.writeheader()
    for entry in rows:
        row = as_dict(entry)
        for key in ("before", "after"):
            row[key] = "" if row[key] is None else json.dumps(row[key], ensure_ascii=False)
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
