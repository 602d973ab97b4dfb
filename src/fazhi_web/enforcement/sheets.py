"""The enforcement ledger as .xlsx sheets, through the ledgers' shared path
(`ledgers.sheets` for columns, reading and writing; `ledgers.models.ImportBatch` for the
upload between preview and import).

Staff: one row per certificate (an officer with two certificates has two rows).
Cases: one row per case, its officers by certificate number, and one date column per
event, recorded in order through the same service checks as on the case page.
A sheet is imported whole or not at all: every row is checked first, each bad row gets
its Chinese error, and the import runs in one transaction.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi_web.audit.log import record as audit
from fazhi_web.enforcement import rules, services
from fazhi_web.enforcement.models import Case, CaseKind, Certificate, MajorItem, Officer
from fazhi_web.ledgers.models import ImportBatch
from fazhi_web.ledgers.sheets import (
    CHOICE,
    DATE,
    TEXT,
    Column,
    Ledger,
    Sheet,
    auto_mapping,
    parse_rows,
    read_sheet,
    write_sheet,
)
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.models import Unit


def _choices(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, label in pairs:
        out[str(label)] = code
        out[code] = code
    return out


YES_NO = {"是": "yes", "否": "", "yes": "yes", "": ""}

STAFF = Ledger(
    "enf_staff", "执法人员", Certificate,
    (
        Column("name", "姓名", TEXT, True),
        Column("post", "执法岗位", TEXT),
        Column("number", "执法证号", TEXT, True, aliases=("证件号", "执法证编号")),
        Column("issued_on", "发证日期", DATE, True, aliases=("发证时间",)),
        Column("expires_on", "有效期至", DATE, True, aliases=("有效期", "到期日期")),
    ),
    ("number",),
)  # fmt: skip
EVENT_COLUMNS = tuple(
    Column(f"event:{code}", f"{label}日期", DATE) for code, label in rules.EVENT_LABELS.items()
)
CASES = Ledger(
    "enf_cases", "行政执法案件", Case,
    (
        Column("number", "案号", TEXT, True, aliases=("案件编号", "文书号")),
        Column("kind", "类别", CHOICE, True, _choices(CaseKind.choices), ("案件类别", "执法类别")),
        Column("title", "案由", TEXT, True, aliases=("案件名称",)),
        Column("party", "当事人", TEXT, True, aliases=("行政相对人",)),
        Column("party_is_person", "当事人是自然人", CHOICE, False, YES_NO),
        Column("major", "重大执法决定情形", CHOICE, False, _choices(MajorItem.choices)),
        Column("officers", "承办人员执法证号", TEXT, True, aliases=("执法证号",)),
        Column("decision_text", "决定书内容", TEXT),
        *EVENT_COLUMNS,
        Column("review:reviewer", "法制审核人", TEXT),
        Column("review:opinion", "法制审核意见", TEXT),
        Column("review:reviewed_on", "法制审核日期", DATE),
    ),
    ("number",),
)  # fmt: skip
SHEETS = {ledger.slug: ledger for ledger in (STAFF, CASES)}


class ImportRefused(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors))
        self.errors = errors


# -- writing ---------------------------------------------------------------------------


class _Row:
    """A record as the sheet's columns read it."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        return None  # a column the record has no value for (an event not recorded)


def _staff_rows(officers: Iterable[Officer]) -> list[_Row]:
    return [
        _Row({"name": o.name, "post": o.post, "number": c.number, "issued_on": c.issued_on,
              "expires_on": c.expires_on})
        for o in officers for c in o.certificates.all()
    ]  # fmt: skip


def _case_rows(cases: Iterable[Case]) -> list[_Row]:
    out = []
    for case in cases:
        values: dict[str, Any] = {
            name: getattr(case, name)
            for name in ("number", "kind", "title", "party", "major", "decision_text")
        }
        values["party_is_person"] = "yes" if case.party_is_person else ""
        numbers = []
        for officer in case.officers.all():
            cert = max(officer.certificates.all(), key=lambda c: c.issued_on, default=None)
            numbers.append(cert.number if cert else officer.name)
        values["officers"] = "、".join(numbers)
        for event in case.events.all():
            values[f"event:{event.kind}"] = event.on
        review = getattr(case, "legal_review", None)
        for name in ("reviewer", "opinion", "reviewed_on"):
            values[f"review:{name}"] = getattr(review, name) if review else None
        out.append(_Row(values))
    return out


def export(slug: str, records: Iterable[Any]) -> bytes:
    rows = _staff_rows(records) if slug == STAFF.slug else _case_rows(records)
    return write_sheet(SHEETS[slug], rows)


# -- reading -----------------------------------------------------------------------------


def upload(actor: Any, slug: str, unit: Unit, filename: str, content: bytes) -> ImportBatch:
    if slug not in SHEETS:
        raise ActionRefused("没有这种台账。")
    if not services.can_edit(actor, unit):
        raise ActionRefused(f"只有{unit.name}的填报人员可以导入本单位执法台账。")
    sheet = read_sheet(content)
    # The columns matched by their headers, as the mapping page shows them first.
    return ImportBatch.objects.create(
        ledger=slug, unit=unit, uploaded_by=actor, filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(), content=content,
        mapping=auto_mapping(SHEETS[slug], sheet.headers),
    )  # fmt: skip


def _duplicates(slug: str, unit: Unit, rows: list[Any]) -> list[str]:
    errors = []
    if slug == STAFF.slug:
        existing = set(Certificate.objects.values_list("number", flat=True))
    else:
        existing = set(
            Case.objects.filter(unit=unit, hidden_reason="").values_list("number", flat=True)
        )
    seen = Counter(r.values.get("number") for r in rows)
    label = "执法证号" if slug == STAFF.slug else "案号"
    for row in rows:
        number = row.values.get("number")
        if not number:
            continue
        if number in existing:
            errors.append(f"第{row.number}行：{label}“{number}”已经登记。")
        elif seen[number] > 1:
            errors.append(f"第{row.number}行：表中有多行{label}“{number}”。")
    return errors


def _write_staff(
    actor: Any, unit: Unit, values: Mapping[str, Any], made: dict[str, Officer]
) -> None:
    name = values["name"]
    officer = (
        made.get(name) or Officer.objects.filter(unit=unit, name=name, hidden_reason="").first()
    )
    if officer is None:
        officer = services.create_officer(actor, unit, name=name, post=values.get("post") or "")
    made[name] = officer
    services.add_certificate(actor, officer, values)


def _officers(unit: Unit, text: str) -> list[Officer]:
    officers = []
    for token in [t for t in re.split(r"[、,，;；\s]+", text) if t]:
        cert = (
            Certificate.objects.filter(number=token, officer__unit=unit)
            .select_related("officer")
            .first()
        )
        officer = (
            cert.officer
            if cert
            else Officer.objects.filter(unit=unit, name=token, hidden_reason="").first()
        )
        if officer is None:
            raise ActionRefused(f"找不到执法证号或姓名为“{token}”的本单位执法人员")
        officers.append(officer)
    return officers


def _write_case(actor: Any, unit: Unit, values: Mapping[str, Any]) -> None:
    plain = {k: v for k, v in values.items() if ":" not in k and k != "officers"}
    plain["party_is_person"] = plain.get("party_is_person") == "yes"
    case = services.create_case(actor, unit, plain, _officers(unit, values["officers"]))
    review_on = values.get("review:reviewed_on")
    for code in rules.EVENT_ORDER:
        on = values.get(f"event:{code}")
        if code == "decided" and review_on is not None:
            services.record_legal_review(
                actor, case, reviewer=values.get("review:reviewer") or "",
                opinion=values.get("review:opinion") or "", reviewed_on=review_on,
            )  # fmt: skip
        if on is not None:
            services.record_event(actor, case, code, on=on)


def _apply(actor: Any, slug: str, unit: Unit, rows: list[Any]) -> list[str]:
    """Write every row through the services; the errors of the rows that fail."""
    errors = []
    made: dict[str, Officer] = {}
    for row in rows:
        try:
            with transaction.atomic():
                if slug == STAFF.slug:
                    _write_staff(actor, unit, row.values, made)
                else:
                    _write_case(actor, unit, row.values)
        except ActionRefused as exc:
            errors.append(f"第{row.number}行：{str(exc).rstrip('。')}。")
    return errors


class _DryRun(Exception):
    pass


def check(
    actor: Any, slug: str, unit: Unit, sheet: Sheet, mapping: Mapping[str, int]
) -> tuple[int, list[str]]:
    """The rows and every error the import would meet, without keeping anything: the
    rows are written through the services in a transaction that is then rolled back."""
    rows, errors = parse_rows(SHEETS[slug], sheet, mapping)
    if not rows and errors:
        return 0, errors
    errors += [e for r in rows for e in r.errors] + _duplicates(slug, unit, rows)
    if errors:
        return len(rows), errors
    try:
        with transaction.atomic():
            errors = _apply(actor, slug, unit, rows)
            raise _DryRun
    except _DryRun:
        pass
    return len(rows), errors


def preview(actor: Any, batch: ImportBatch, mapping: Mapping[str, int]) -> tuple[int, list[str]]:
    return check(actor, batch.ledger, batch.unit, read_sheet(bytes(batch.content)), mapping)


@transaction.atomic
def run(actor: Any, batch: ImportBatch) -> int:
    """Import the batch with its saved mapping: every row, or none (ImportRefused)."""
    batch = ImportBatch.objects.select_for_update().select_related("unit").get(pk=batch.pk)
    if batch.uploaded_by_id != getattr(actor, "pk", None):
        raise ActionRefused("只能导入自己上传的表格。")
    if batch.imported_at is not None:
        raise ActionRefused("该表格已经导入，请勿重复导入。")
    if not services.can_edit(actor, batch.unit):
        raise ActionRefused(f"只有{batch.unit.name}的填报人员可以导入本单位执法台账。")
    slug = batch.ledger
    mapping = {k: int(v) for k, v in batch.mapping.items()}
    rows, errors = parse_rows(SHEETS[slug], read_sheet(bytes(batch.content)), mapping)
    errors += [e for r in rows for e in r.errors] + _duplicates(slug, batch.unit, rows)
    if not errors:
        errors = _apply(actor, slug, batch.unit, rows)
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ActionRefused("表格中没有数据行。")
    batch.imported_at = timezone.now()
    batch.imported_count = len(rows)
    batch.save(update_fields=["imported_at", "imported_count"])
    audit(
        actor, "enforcement.import", f"导入{SHEETS[slug].label}台账“{batch.filename}”，共{len(rows)}条",
        unit=batch.unit, obj=batch, after={"rows": len(rows), "sha256": batch.sha256},
    )  # fmt: skip
    return len(rows)
