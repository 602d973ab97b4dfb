"""Importing a ledger sheet: upload, map the columns, preview, then import all or nothing.

The preview runs every row through the same checks as a record entered on a form, so
what the preview accepts is what the import writes. The import runs them again inside
its transaction (the ledger may have changed since) and writes nothing when any row fails.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from fazhi_web.audit.log import record as audit
from fazhi_web.ledgers import deadlines, services
from fazhi_web.ledgers.models import (
    ImportBatch,
    NormativeDocument,
    Procedure,
)
from fazhi_web.ledgers.sheets import (
    LEDGERS,
    Ledger,
    Sheet,
    parse_rows,
    read_sheet,
    split_procedures,
)
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.models import Unit


class ImportRefused(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors))
        self.errors = errors


@dataclass
class Planned:
    number: int
    record: models.Model
    procedures: list[Procedure] = field(default_factory=list)


@dataclass
class Preview:
    planned: list[Planned]
    errors: list[str]


def upload(actor: Any, ledger_slug: str, unit: Unit, filename: str, content: bytes) -> ImportBatch:
    """Keep the uploaded sheet for the mapping and preview steps (nothing is imported yet)."""
    if ledger_slug not in LEDGERS:
        raise ActionRefused("没有这种台账。")
    if not services.can_edit(actor, unit):
        raise ActionRefused(f"只有{unit.name}的填报人员可以导入本单位台账。")
    read_sheet(content)  # refuse an unreadable file at once, with its message
    return ImportBatch.objects.create(
        ledger=ledger_slug,
        unit=unit,
        uploaded_by=actor,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )


def _identity(ledger: Ledger, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
    key = tuple(values.get(name) for name in ledger.identity)
    return key if all(v not in (None, "") for v in key) else None


def _existing(ledger: Ledger, unit: Unit) -> set[tuple[Any, ...]]:
    rows = ledger.model._default_manager.filter(unit=unit, hidden_reason="").values_list(
        *ledger.identity
    )
    return {tuple(r) for r in rows}


def plan(ledger: Ledger, unit: Unit, sheet: Sheet, mapping: Mapping[str, int]) -> Preview:
    rows, errors = parse_rows(ledger, sheet, mapping)
    if not rows and errors:
        return Preview([], errors)
    calendars = deadlines.Calendars()
    existing = _existing(ledger, unit)
    seen = Counter(k for r in rows if (k := _identity(ledger, r.values)) is not None)
    labels = "、".join(c.label for c in ledger.columns if c.key in ledger.identity)
    planned: list[Planned] = []
    for row in rows:
        key = _identity(ledger, row.values)
        if key is not None and key in existing:
            errors.append(f"第{row.number}行：与已登记的记录重复（{labels}相同）。")
        elif key is not None and seen[key] > 1:
            errors.append(f"第{row.number}行：表中有多行{labels}相同。")
        if row.errors:
            errors += row.errors
            continue
        plain, procedure_values = split_procedures(row.values)
        record = ledger.model(unit=unit, **plain)
        procedures = [
            Procedure(
                kind=kind,
                done_on=v.get("done_on"),
                not_applicable_reason=v.get("not_applicable_reason") or "",
            )
            for kind, v in procedure_values.items()
            if v.get("done_on") or v.get("not_applicable_reason")
        ]
        if isinstance(record, NormativeDocument):
            services.default_bodies(record)
        if ledger.problems is not None:
            problems = ledger.problems(record)
        else:
            problems = services.problems_of(record, calendars, procedures)
        errors += [f"第{row.number}行：{p}" for p in problems]
        planned.append(Planned(row.number, record, procedures))
    return Preview(planned, errors)


def preview(batch: ImportBatch, mapping: Mapping[str, int]) -> Preview:
    return plan(LEDGERS[batch.ledger], batch.unit, read_sheet(bytes(batch.content)), mapping)


@transaction.atomic
def run(actor: Any, batch: ImportBatch) -> int:
    """Import the batch with its saved mapping: every row, or none (ImportRefused)."""
    batch = ImportBatch.objects.select_for_update().select_related("unit").get(pk=batch.pk)
    if batch.uploaded_by_id != getattr(actor, "pk", None):
        raise ActionRefused("只能导入自己上传的表格。")
    if batch.imported_at is not None:
        raise ActionRefused("该表格已经导入，请勿重复导入。")
    if not services.can_edit(actor, batch.unit):
        raise ActionRefused(f"只有{batch.unit.name}的填报人员可以导入本单位台账。")
    ledger = LEDGERS[batch.ledger]
    result = preview(batch, {k: int(v) for k, v in batch.mapping.items()})
    if result.errors:
        raise ImportRefused(result.errors)
    if not result.planned:
        raise ActionRefused("表格中没有数据行。")
    prefix = ledger.audit_prefix or services.EVENTS[ledger.model][0]
    for item in result.planned:
        item.record.save()
        for procedure in item.procedures:
            procedure.decision = item.record
            procedure.save()
        audit(
            actor, f"{prefix}.import", f"从“{batch.filename}”第{item.number}行导入：{item.record}",
            unit=batch.unit, obj=item.record, after={"batch": batch.pk, "row": item.number},
        )  # fmt: skip
    batch.imported_at = timezone.now()
    batch.imported_count = len(result.planned)
    batch.save(update_fields=["imported_at", "imported_count"])
    audit(
        actor, "ledger.import", f"导入{ledger.label}台账“{batch.filename}”，共{len(result.planned)}条",
        unit=batch.unit, obj=batch, after={"rows": len(result.planned), "sha256": batch.sha256},
    )  # fmt: skip
    return len(result.planned)
