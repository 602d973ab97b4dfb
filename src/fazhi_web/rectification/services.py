"""Every change to a rectification item goes through these functions; each checks who
may make it and writes the audit log. Reads for other apps are here too.

Who does what (units.access):
- the office (a reviewer above the unit) raises items, marks them 挂牌督办, and verifies
  the unit's answer: 销号 (needs at least one 佐证材料) or 退回 with a reason;
- the unit's own 填报员 answers: 整改措施 and 佐证材料, then submits for verification.
Neither can do the other's part: a unit never closes its own item, an office never
answers for the unit.

The API other apps use:
- `open_items(unit, year)`: the unit's items of that 整改年度 not yet 销号;
- `closure_rate(unit, year)`: the share of the unit's items of that year that are 销号,
  None when the year has none (考评 scores "rectification closed" from it);
- `open_counts(unit_ids, today)`: open and overdue items per unit (board, 通报);
- `followup(obligation)`: the items the unit's report of that year must account for,
  each matched against the report's text (finding `rectification-not-reported`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone

from fazhi import clocks
from fazhi.rules import rectification_not_reported
from fazhi_web import uploads
from fazhi_web.audit.log import record as audit
from fazhi_web.ledgers.deadlines import Calendars
from fazhi_web.rectification import matching
from fazhi_web.rectification.models import Evidence, Inspection, Item, ItemState, Source
from fazhi_web.reports.models import Obligation, ReportingYear, ReportVersion
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.access import access_for
from fazhi_web.units.models import Unit

RULE = rectification_not_reported.SLUG
PROBLEM_MAX = 1000
MEASURES_MAX = 4000
REASON_MAX = 300
PERSON_MAX = 50
TEAM_MAX = 200
LIMIT_DAYS_MAX = 365
# 佐证材料 kinds, each recognised by how its content starts, not by its name alone.
EVIDENCE_KINDS: dict[str, tuple[tuple[bytes, ...], str]] = {
    ".pdf": ((b"%PDF-",), "application/pdf"),
    ".jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    ".jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
    ".png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
    ".docx": (
        (b"PK\x03\x04",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".xlsx": (
        (b"PK\x03\x04",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ".doc": ((b"\xd0\xcf\x11\xe0",), "application/msword"),
    ".xls": ((b"\xd0\xcf\x11\xe0",), "application/vnd.ms-excel"),
    ".ofd": ((b"PK\x03\x04",), "application/ofd"),
    ".zip": ((b"PK\x03\x04",), "application/zip"),
}


def today() -> dt.date:
    return timezone.localdate()


def _text(value: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ActionRefused(f"{label}含有不可见的控制字符，请重新输入。")
    if required and not value:
        raise ActionRefused(f"请填写{label}。")
    if len(value) > limit:
        raise ActionRefused(f"{label}不能超过{limit}个字。")
    return value


# -- reading -------------------------------------------------------------------------


def readable(user: Any) -> QuerySet[Item]:
    """The items `user` may read: their own unit's, or those of the units they review."""
    return Item.objects.filter(access_for(user).unit_filter("unit__")).select_related(
        "unit", "office", "inspection"
    )


def get_item(user: Any, pk: Any) -> Item:
    try:
        return readable(user).get(pk=int(pk))
    except (Item.DoesNotExist, TypeError, ValueError):
        raise Http404("整改事项不存在或无权访问。") from None


def get_evidence(user: Any, pk: Any) -> Evidence:
    try:
        evidence = Evidence.objects.select_related("item").get(pk=int(pk))
    except (Evidence.DoesNotExist, TypeError, ValueError):
        raise Http404("文件不存在或无权访问。") from None
    get_item(user, evidence.item_id)
    return evidence


def download_evidence(user: Any, pk: Any) -> FileResponse:
    """An evidence file for a user who may see its item; 佐证材料 are not public, so the
    read is audited."""
    evidence = get_evidence(user, pk)
    response = uploads.download(evidence.stored_name, evidence.original_name, evidence.content_type)
    item = evidence.item
    audit(
        user,
        "read.evidence",
        f"下载{item.unit.name}整改佐证材料“{evidence.original_name}”",
        unit=item.unit,
        obj=evidence,
        after={"item": item.pk, "sha256": evidence.sha256},
    )
    return response


def get_inspection(user: Any, pk: Any) -> Inspection:
    try:
        return access_inspections(user).get(pk=int(pk))
    except (Inspection.DoesNotExist, TypeError, ValueError):
        raise Http404("督察记录不存在或无权访问。") from None


def access_inspections(user: Any) -> QuerySet[Inspection]:
    """The 督察 recorded by an office the user reviews from."""
    return Inspection.objects.filter(office__in=access_for(user).offices()).select_related("office")


def due_date(item: Item, calendars: Calendars | None = None) -> dt.date:
    """The item's 时限 as a date: given, or N working days from the day it was raised."""
    if item.due_on is not None:
        return item.due_on
    calendar = (calendars or Calendars()).for_region(item.unit.region)
    deadline = clocks.compute(clocks.plain(item.limit_working_days or 0), item.raised_on, calendar)
    assert deadline.due is not None  # a plain clock has no pauses
    return deadline.due


def is_overdue(item: Item, day: dt.date, calendars: Calendars | None = None) -> bool:
    """Still 待整改 after its 时限: the unit has not answered in time. An answered item
    waits on the office, and is not the unit's overdue."""
    return item.state == ItemState.OPEN and day > due_date(item, calendars)


def with_due(items: Iterable[Item], day: dt.date) -> list[Item]:
    """Items with `due` and `overdue` set, on one read of the calendar."""
    out = list(items)
    # The calendar costs three queries: read only when a 时限 is in working days.
    calendars = Calendars() if any(i.due_on is None for i in out) else None
    for item in out:
        item.due = due_date(item, calendars)
        item.overdue = is_overdue(item, day, calendars)
    return out


def open_items(unit: Unit, year: int) -> QuerySet[Item]:
    return Item.objects.filter(unit=unit, year=year).exclude(state=ItemState.CLOSED)


def closure_rate(unit: Unit, year: int) -> float | None:
    items = Item.objects.filter(unit=unit, year=year)
    total = items.count()
    if not total:
        return None
    return items.filter(state=ItemState.CLOSED).count() / total


@dataclass(frozen=True)
class OpenCount:
    open: int
    overdue: int


def open_counts(unit_ids: Iterable[int], day: dt.date) -> dict[int, OpenCount]:
    """Open and overdue items of each of `unit_ids` that has any open item."""
    items = with_due(
        Item.objects.filter(unit_id__in=list(unit_ids))
        .exclude(state=ItemState.CLOSED)
        .select_related("unit"),
        day,
    )
    counts: dict[int, list[int]] = {}
    for item in items:
        c = counts.setdefault(item.unit_id, [0, 0])
        c[0] += 1
        c[1] += item.overdue
    return {pk: OpenCount(*c) for pk, c in counts.items()}


def notice_rows(user: Any, office: Unit, day: dt.date) -> list[tuple[str, OpenCount]]:
    """The 通报's section: every unit below `office` the user reviews with open items."""
    below = access_for(user).reviewable_units().filter(path__startswith=office.path)
    ids = Item.objects.filter(unit__in=below).exclude(state=ItemState.CLOSED).values("unit_id")
    units = Unit.objects.filter(pk__in=ids).order_by("path")
    counts = open_counts([u.pk for u in units], day)
    return [(u.name, counts[u.pk]) for u in units if u.pk in counts]


# -- raising ---------------------------------------------------------------------------


def _office_of(user: Any, unit: Unit) -> Unit:
    """The office the user raises items for `unit` from: the nearest one above it."""
    access = access_for(user)
    if not access.can_review(unit):
        raise Http404("单位不存在或无权访问。")
    offices = [o for o in access.offices() if unit.path.startswith(o.path) and o.pk != unit.pk]
    # A superuser's offices are the roots; a root unit itself has none above it.
    return max(offices, key=lambda o: len(o.path)) if offices else unit


def _limit(
    due_on: dt.date | None, limit_days: int | None, raised_on: dt.date
) -> tuple[dt.date | None, int | None]:
    if (due_on is None) == (limit_days is None):
        raise ActionRefused("请填写整改时限：一个日期，或自提出之日起的工作日数，二者选一。")
    if limit_days is not None and not 0 < limit_days <= LIMIT_DAYS_MAX:
        raise ActionRefused(f"整改时限的工作日数应在1到{LIMIT_DAYS_MAX}之间。")
    if due_on is not None and due_on < raised_on:
        raise ActionRefused("整改时限不能早于提出问题之日。")
    return due_on, limit_days


def _audit_values(item: Item) -> dict[str, Any]:
    return {
        "problem": item.problem,
        "source": item.source,
        "person": item.person,
        "due_on": item.due_on.isoformat() if item.due_on else None,
        "limit_days": item.limit_working_days,
        "year": item.year,
    }


@transaction.atomic
def raise_item(
    actor: Any,
    unit: Unit,
    *,
    problem: str,
    year: int,
    source: str,
    person: str = "",
    due_on: dt.date | None = None,
    limit_days: int | None = None,
    obligation: Obligation | None = None,
    finding_index: int | None = None,
    finding_rule: str = "",
    inspection: Inspection | None = None,
    notice_cycle: ReportingYear | None = None,
    raised_on: dt.date | None = None,
) -> Item:
    """`raised_on` is today unless the problem was found earlier (a 督察's date)."""
    office = _office_of(actor, unit)
    raised_on = raised_on or today()
    if raised_on > today():
        raise ActionRefused("提出问题的日期不能晚于今天。")
    due_on, limit_days = _limit(due_on, limit_days, raised_on)
    item = Item.objects.create(
        office=office,
        unit=unit,
        year=year,
        source=source,
        obligation=obligation,
        finding_index=finding_index,
        finding_rule=finding_rule,
        inspection=inspection,
        notice_cycle=notice_cycle,
        problem=_text(problem, "问题", PROBLEM_MAX),
        person=_text(person, "责任人", PERSON_MAX, required=False),
        raised_on=raised_on,
        due_on=due_on,
        limit_working_days=limit_days,
        raised_by=actor,
    )
    audit(
        actor,
        "rectification.raise",
        f"列入整改：“{item.problem[:60]}”",
        unit=unit,
        obj=item,
        after=_audit_values(item),
    )
    return item


def raise_from_finding(actor: Any, version: ReportVersion, index: int, **fields: Any) -> Item:
    """A finding of a report the actor reviews, as an item of the year after the report's:
    the year in which the unit puts it right, and whose report must say so."""
    obligation = version.obligation
    if not access_for(actor).can_review(obligation.unit):
        raise Http404("报告不存在或无权访问。")
    findings = version.analysis.get("findings", [])
    if not 0 <= index < len(findings):
        raise Http404("该问题不存在。")
    rule = findings[index].get("rule", "")
    if Item.objects.filter(obligation=obligation, finding_index=index, finding_rule=rule).exists():
        raise ActionRefused("该问题已列入整改。")
    fields.setdefault("problem", findings[index].get("message", ""))
    return raise_item(
        actor,
        obligation.unit,
        year=obligation.year + 1,
        source=Source.FINDING,
        obligation=obligation,
        finding_index=index,
        finding_rule=rule,
        **fields,
    )


@transaction.atomic
def record_inspection(
    actor: Any, office: Unit, *, held_on: dt.date, team: str, units: list[Unit]
) -> Inspection:
    access = access_for(actor)
    if office not in access.offices():
        raise Http404("单位不存在或无权访问。")
    if not units:
        raise ActionRefused("请选择被督察的单位。")
    outside = [
        u.name for u in units if not (access.can_review(u) and u.path.startswith(office.path))
    ]
    if outside:
        raise Http404("单位不存在或无权访问。")
    if held_on > today():
        raise ActionRefused("督察日期不能晚于今天。")
    inspection = Inspection.objects.create(
        office=office, held_on=held_on, team=_text(team, "督察组", TEAM_MAX), recorded_by=actor
    )
    inspection.units.set(units)
    audit(
        actor,
        "inspection.record",
        f"记录督察：{inspection}",
        unit=office,
        obj=inspection,
        after={
            "held_on": held_on.isoformat(),
            "team": inspection.team,
            "inspected": "、".join(u.name for u in units),
        },
    )
    return inspection


def raise_from_inspection(actor: Any, inspection: Inspection, unit: Unit, **fields: Any) -> Item:
    """A problem the 督察 found, raised as of the 督察's date: its 时限 runs from then."""
    if not inspection.units.filter(pk=unit.pk).exists():
        raise ActionRefused(f"{unit.name}不在本次督察的单位之中。")
    return raise_item(
        actor,
        unit,
        year=inspection.held_on.year,
        source=Source.INSPECTION,
        inspection=inspection,
        raised_on=inspection.held_on,
        **fields,
    )


def raise_from_notice(actor: Any, cycle: ReportingYear, unit: Unit, **fields: Any) -> Item:
    """A problem the 通报 on `cycle` lists for `unit`, put right in the year after."""
    if not (access_for(actor).can_review(unit) and unit.path.startswith(cycle.office.path)):
        raise Http404("单位不存在或无权访问。")
    return raise_item(
        actor,
        unit,
        year=cycle.year + 1,
        source=Source.NOTICE,
        notice_cycle=cycle,
        **fields,
    )


# -- the unit's answer -------------------------------------------------------------------


def _as_unit(actor: Any, item: Item) -> None:
    if not access_for(actor).can_report(item.unit):
        raise ActionRefused("整改措施和佐证材料由责任单位填报，审查机关不能代为提交。")


def _as_office(actor: Any, item: Item) -> None:
    if not access_for(actor).can_review(item.unit):
        raise ActionRefused("只有审查机关才能核验、销号或挂牌督办，责任单位不能为本单位事项销号。")


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("unit").get(pk=item.pk)


@transaction.atomic
def add_evidence(actor: Any, item: Item, name: str, content: bytes) -> Evidence:
    _as_unit(actor, item)
    item = _locked(item)
    if item.state != ItemState.OPEN:
        raise ActionRefused("该事项已提交核验或已销号，不能再上传佐证材料。")
    name = Path(_text(name, "文件名", 255)).name
    suffix = Path(name).suffix.lower()
    kind = EVIDENCE_KINDS.get(suffix)
    if kind is None:
        raise ActionRefused(
            f"不支持“{name}”的文件类型，佐证材料请上传 PDF、图片（JPG、PNG）、Word、Excel、OFD 或 ZIP 文件。"
        )
    if not content:
        raise ActionRefused(f"文件“{name}”是空文件，请重新选择。")
    if len(content) > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ActionRefused(f"文件“{name}”超过 {limit} MB 的大小限制。")
    magics, content_type = kind
    if not content.startswith(magics):
        raise ActionRefused(f"文件“{name}”的内容与扩展名不符，请确认文件未损坏后重新上传。")
    sha256 = hashlib.sha256(content).hexdigest()
    evidence = Evidence.objects.create(
        item=item,
        original_name=name,
        stored_name=uploads.store(content, sha256, suffix),
        sha256=sha256,
        size=len(content),
        content_type=content_type,
        uploaded_by=actor,
    )
    audit(
        actor,
        "rectification.evidence",
        f"上传佐证材料“{name}”",
        unit=item.unit,
        obj=item,
        after={"file": name, "sha256": sha256, "size": len(content)},
    )
    return evidence


@transaction.atomic
def submit(actor: Any, item: Item, measures: str) -> Item:
    _as_unit(actor, item)
    item = _locked(item)
    if item.state != ItemState.OPEN:
        raise ActionRefused("该事项已提交核验或已销号，不能重复提交。")
    item.measures = _text(measures, "整改措施", MEASURES_MAX)
    item.state = ItemState.SUBMITTED
    item.submitted_at = timezone.now()
    item.save(update_fields=["measures", "state", "submitted_at"])
    audit(
        actor,
        "rectification.submit",
        f"提交整改情况：“{item.problem[:60]}”",
        unit=item.unit,
        obj=item,
        before={"rect_state": ItemState.OPEN},
        after={"rect_state": item.state, "measures": item.measures},
    )
    return item


# -- the office's verification ------------------------------------------------------------


@transaction.atomic
def close(actor: Any, item: Item) -> Item:
    _as_office(actor, item)
    item = _locked(item)
    if item.state != ItemState.SUBMITTED:
        raise ActionRefused("责任单位尚未提交整改情况，不能销号。")
    if not item.evidence.exists():
        raise ActionRefused("该事项没有佐证材料，不能销号；请退回责任单位补充。")
    item.state = ItemState.CLOSED
    item.closed_at = timezone.now()
    item.closed_by = actor
    item.escalated = False
    item.save(update_fields=["state", "closed_at", "closed_by", "escalated"])
    audit(
        actor,
        "rectification.close",
        f"销号：“{item.problem[:60]}”",
        unit=item.unit,
        obj=item,
        before={"rect_state": ItemState.SUBMITTED},
        after={"rect_state": item.state},
    )
    return item


@transaction.atomic
def send_back(actor: Any, item: Item, reason: str) -> Item:
    _as_office(actor, item)
    reason = _text(reason, "退回理由", REASON_MAX)
    item = _locked(item)
    if item.state != ItemState.SUBMITTED:
        raise ActionRefused("只有已提交待核验的事项才能退回。")
    item.state = ItemState.OPEN
    item.return_reason = reason
    item.save(update_fields=["state", "return_reason"])
    audit(
        actor,
        "rectification.return",
        f"退回整改：“{item.problem[:60]}”：{reason}",
        unit=item.unit,
        obj=item,
        before={"rect_state": ItemState.SUBMITTED},
        after={"rect_state": item.state, "reason": reason},
    )
    return item


@transaction.atomic
def escalate(actor: Any, item: Item, reason: str) -> Item:
    """挂牌督办: the office marks the item for escalation (or lifts the mark, reason empty)."""
    _as_office(actor, item)
    item = _locked(item)
    if item.state == ItemState.CLOSED:
        raise ActionRefused("已销号的事项不能挂牌督办。")
    lifting = item.escalated
    reason = "" if lifting else _text(reason, "督办理由", REASON_MAX)
    item.escalated = not lifting
    item.escalation_reason = reason
    item.save(update_fields=["escalated", "escalation_reason"])
    audit(
        actor,
        "rectification.unescalate" if lifting else "rectification.escalate",
        f"{'取消挂牌督办' if lifting else '挂牌督办'}：“{item.problem[:60]}”",
        unit=item.unit,
        obj=item,
        before={"escalated": lifting},
        after={"escalated": item.escalated, "reason": reason},
    )
    return item


# -- the next report -------------------------------------------------------------------


@dataclass
class Followup:
    item: Item
    match: matching.Match | None  # None: the report is not analysed yet
    finding: dict[str, Any] | None


def followup(obligation: Obligation, version: ReportVersion | None = None) -> list[Followup]:
    """The items the unit's report on `obligation.year` must account for: that year's, and
    earlier years' still open; each matched against `version` (the current one by default).

    An item the report does not mention gives a `rectification-not-reported` warning,
    shaped like the engine's findings. The check runs here, not in the engine: the
    items live on the platform.
    """
    version = version or obligation.current_version
    items = with_due(
        Item.objects.filter(unit=obligation.unit)
        .filter(Q(year=obligation.year) | Q(year__lt=obligation.year) & ~Q(state=ItemState.CLOSED))
        .select_related("unit")
        .order_by("year", "id"),
        today(),
    )
    analysed = version is not None and version.analysed
    part_text = matching.report_parts_text(version.text, version.analysis) if analysed else ""
    text = rectification_not_reported.TEXT
    out = []
    for item in items:
        if not analysed:
            out.append(Followup(item, None, None))
            continue
        match = matching.best(item.problem, item.measures, part_text)
        finding = None
        if not match.mentioned:
            finding = {
                "rule": RULE,
                "severity": text.severity,
                "message": text.message.format(
                    year=item.year, problem=item.problem[:60], source=item.get_source_display()
                ),
                "start": None,
                "end": None,
                "section": None,
            }
        out.append(Followup(item, match, finding))
    return out
