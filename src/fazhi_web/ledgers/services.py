"""Every change to a ledger goes through these functions; each checks who may make it,
checks the record (fazhi_web.ledgers.checks) and writes the audit log.

Who may do what, through units.access:
- the unit's own staff (填报员 / 法制员) keep its ledgers;
- the 合法性审核 / 合法性审查 body records its review on the documents and decisions it reviews;
- the 备案机关 (its staff, or a reviewer of an office above the unit) records the 备案审查 result;
- an office's reviewers read the ledgers of the units below it.
Records are never deleted, only hidden with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils import timezone

from fazhi_web.audit.log import record as audit
from fazhi_web.ledgers import checks, deadlines
from fazhi_web.ledgers.models import (
    CalendarDay,
    CalendarYear,
    Cleanup,
    CleanupDecision,
    CleanupItem,
    Consultation,
    DayKind,
    DecisionCatalogue,
    DisclosureRequest,
    DocumentEnd,
    MajorDecision,
    NormativeDocument,
    Procedure,
    PublicComment,
)
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.access import Access, access_for
from fazhi_web.units.models import Unit

REASON_MAX = 200
COMMENT_MAX = 2000
# The same text on the same draft again within this time is a duplicate, hidden or not.
DUPLICATE_COMMENT_WITHIN = dt.timedelta(days=1)


def today() -> dt.date:
    return timezone.localdate()


def _json(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    values = model_to_dict(obj, fields=list(fields))
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}


def _refuse_if(problems: list[str]) -> None:
    if problems:
        raise ActionRefused("；".join(p.rstrip("。") for p in problems) + "。")


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ActionRefused("请填写隐藏原因。")
    if len(reason) > REASON_MAX:
        raise ActionRefused(f"原因不能超过{REASON_MAX}个字。")
    return reason


# -- who sees and edits what ----------------------------------------------------------


def _readable_filter(access: Access, model: type[models.Model]) -> Q:
    q = access.unit_filter("unit__")
    own = access.reporter_unit_ids
    if model is NormativeDocument:
        q |= Q(filing_unit_id__in=own) | Q(review_unit_id__in=own)
    elif model is MajorDecision:
        q |= Q(review_unit_id__in=own)
    return q


def readable(user: Any, model: type[models.Model]) -> QuerySet[Any]:
    """The records of `model` the user may read, hidden ones included (callers filter)."""
    return model._default_manager.filter(_readable_filter(access_for(user), model)).select_related(
        "unit"
    )


def get_record(user: Any, model: type[models.Model], pk: Any) -> Any:
    try:
        return readable(user, model).get(pk=int(pk))
    except (model.DoesNotExist, TypeError, ValueError):
        raise Http404("记录不存在或无权访问。") from None


def can_edit(user: Any, unit: Unit) -> bool:
    return access_for(user).can_report(unit)


def ledger_units(user: Any) -> QuerySet[Unit]:
    """Units whose ledgers the user may read."""
    return access_for(user).units().filter(hidden_reason="")


def editable_units(user: Any) -> list[Unit]:
    access = access_for(user)
    return list(Unit.objects.filter(pk__in=access.reporter_unit_ids, hidden_reason=""))


def _require_editor(actor: Any, unit: Unit) -> None:
    if not can_edit(actor, unit):
        raise ActionRefused(f"只有{unit.name}的填报人员可以修改本单位台账。")


# -- events: a named step that sets some fields of a record ----------------------------


@dataclass(frozen=True)
class Event:
    label: str
    fields: tuple[str, ...]
    # The fields the step cannot be recorded without.
    required: tuple[str, ...] = ()
    # "unit": the unit's own staff; "review": also the reviewing body; "filing": the 备案机关
    who: str = "unit"
    # Offered on the record's page once this field is set (the step before it).
    after: str = ""


DOCUMENT_EVENTS: dict[str, Event] = {
    "edit": Event("修改基本信息", ("title", "doc_number", "drafted_on")),
    "submit_review": Event(
        "送交合法性审核",
        ("review_unit", "review_submitted_on"),
        ("review_unit", "review_submitted_on"),
    ),
    "review": Event(
        "记录合法性审核意见",
        ("reviewer", "review_opinion", "reviewed_on"),
        ("review_opinion", "reviewed_on"),
        who="review",
        after="review_submitted_on",
    ),
    "deliberate": Event(
        "记录集体审议",
        ("deliberation", "deliberated_on"),
        ("deliberation", "deliberated_on"),
        after="reviewed_on",
    ),
    "publish": Event(
        "公布",
        ("doc_number", "published_on", "effective_on", "early_effect_reason", "validity_years"),
        ("doc_number", "published_on", "effective_on"),
        after="deliberated_on",
    ),
    "file": Event(
        "报送备案", ("filing_unit", "filed_on"), ("filing_unit", "filed_on"), after="published_on"
    ),
    "filing_result": Event(
        "记录备案审查结果",
        ("filing_result", "filing_result_on", "filing_note", "correction_due"),
        ("filing_result", "filing_result_on"),
        who="filing",
        after="filed_on",
    ),
    "evaluate": Event(
        "记录有效期评估",
        ("evaluated_on", "evaluation_note"),
        ("evaluated_on", "evaluation_note"),
        after="effective_on",
    ),
    "end": Event(
        "修订、废止或宣布失效",
        ("ended", "ended_on", "end_note", "replaced_by"),
        ("ended", "ended_on"),
        after="published_on",
    ),
}

DECISION_EVENTS: dict[str, Event] = {
    "edit": Event("修改基本信息", ("title", "year", "sponsor", "description", "review_unit")),
    "decide": Event(
        "记录决定",
        ("decided_on", "decision_meeting", "decision_result"),
        ("decided_on", "decision_meeting"),
    ),
    "archive": Event("归档", ("archived_on",), ("archived_on",), after="decided_on"),
    "evaluate": Event(
        "记录后评估",
        ("evaluated_on", "evaluation_note"),
        ("evaluated_on", "evaluation_note"),
        after="decided_on",
    ),
}

REQUEST_EVENTS: dict[str, Event] = {
    "edit": Event(
        "修改申请信息",
        (
            "number",
            "applicant_type",
            "applicant",
            "channel",
            "submitted_on",
            "confirmed_on",
            "content",
        ),
    ),
    "correction": Event(
        "补正", ("correction_requested_on", "correction_received_on"), ("correction_requested_on",)
    ),
    "third_party": Event(
        "征求第三方意见",
        ("third_party_sent_on", "third_party_replied_on"),
        ("third_party_sent_on",),
    ),
    "extend": Event(
        "延长答复期限",
        ("extension_approved_on", "extension_approver"),
        ("extension_approved_on", "extension_approver"),
    ),
    "reply": Event("答复", ("replied_on", "outcome", "outcome_note"), ("replied_on", "outcome")),
}

EVENTS = {
    NormativeDocument: ("document", DOCUMENT_EVENTS),
    MajorDecision: ("decision", DECISION_EVENTS),
    DisclosureRequest: ("request", REQUEST_EVENTS),
}


def may_apply(user: Any, obj: Any, event: Event) -> bool:
    access = access_for(user)
    if event.who == "filing":
        # The 备案机关's staff, or a reviewer of an office above the unit; never the unit itself.
        filing_unit = getattr(obj, "filing_unit", None)
        return filing_unit is not None and (
            access.can_report(filing_unit) or access.can_review(obj.unit)
        )
    if access.can_report(obj.unit):
        return True
    review_unit = getattr(obj, "review_unit", None)
    return event.who == "review" and review_unit is not None and access.can_report(review_unit)


def problems_of(
    obj: Any,
    calendars: deadlines.Calendars | None = None,
    procedures: list[Procedure] | None = None,
) -> list[str]:
    """What is wrong with a record (empty when nothing is); `procedures` of a decision not
    yet saved (an imported row), else those stored."""
    day = today()
    if isinstance(obj, NormativeDocument):
        return checks.document_problems(obj, day)
    if isinstance(obj, MajorDecision):
        if procedures is None:
            procedures = list(obj.procedures.all()) if obj.pk else []
        return checks.decision_problems(obj, procedures, day)
    return checks.request_problems(obj, day, calendars)


@transaction.atomic
def apply_event(actor: Any, obj: Any, event_name: str, values: Mapping[str, Any]) -> Any:
    """Record `event_name` on `obj` with `values` (only the event's fields are taken)."""
    prefix, events = EVENTS[type(obj)]
    event = events.get(event_name)
    if event is None:
        raise ActionRefused("没有这项操作。")
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    obj.refresh_from_db()
    if not may_apply(actor, obj, event):
        raise ActionRefused(f"您不能对“{obj}”执行“{event.label}”。")
    if obj.is_hidden:
        raise ActionRefused("该记录已隐藏，不能修改。")
    missing = [
        str(obj._meta.get_field(name).verbose_name)
        for name in event.required
        if values.get(name) in (None, "")
    ]
    if missing:
        raise ActionRefused("请填写“" + "”“".join(missing) + "”。")
    before = _json(obj, event.fields)
    for name in event.fields:
        if name in values:
            setattr(obj, name, values[name])
    _refuse_if(problems_of(obj))
    obj.save()
    after = _json(obj, event.fields)
    audit(
        actor, f"{prefix}.{event_name}", f"{event.label}：{obj}", unit=obj.unit, obj=obj,
        before=before, after=after,
    )  # fmt: skip
    return obj


CREATE_FIELDS = {
    NormativeDocument: ("title", "doc_number", "drafted_on", "review_unit", "filing_unit"),
    MajorDecision: ("title", "year", "sponsor", "description", "review_unit"),
    DisclosureRequest: REQUEST_EVENTS["edit"].fields,
}


@transaction.atomic
def create(actor: Any, model: type[models.Model], unit: Unit, values: Mapping[str, Any]) -> Any:
    _require_editor(actor, unit)
    fields = CREATE_FIELDS[model]
    obj = model(unit=unit, **{k: v for k, v in values.items() if k in fields})
    if isinstance(obj, NormativeDocument):
        default_bodies(obj)
    _refuse_if(problems_of(obj))
    obj.save()
    prefix, _ = EVENTS[model]
    audit(actor, f"{prefix}.create", f"登记：{obj}", unit=unit, obj=obj, after=_json(obj, fields))
    return obj


def default_bodies(doc: NormativeDocument) -> None:
    """By default a unit's own legal office reviews, and the level above receives the filing."""
    if doc.review_unit_id is None:
        doc.review_unit = doc.unit
    if doc.filing_unit_id is None and doc.unit.parent_id is not None:
        doc.filing_unit = doc.unit.parent


@transaction.atomic
def hide(actor: Any, obj: Any, reason: str) -> Any:
    reason = _reason(reason)
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    obj.refresh_from_db()
    unit = obj.consultation.decision.unit if isinstance(obj, PublicComment) else obj.unit
    access = access_for(actor)
    if not (
        access.can_report(unit) or (isinstance(obj, PublicComment) and access.can_review(unit))
    ):
        raise ActionRefused("您不能隐藏这条记录。")
    if obj.is_hidden:
        raise ActionRefused("该记录已经隐藏。")
    obj.hidden_reason = reason
    obj.hidden_at = timezone.now()
    obj.hidden_by = actor
    obj.save(update_fields=["hidden_reason", "hidden_at", "hidden_by"])
    audit(
        actor, f"{obj._meta.model_name}.hide", f"隐藏：{str(obj)[:60]}（{reason}）", unit=unit,
        obj=obj, before={"hidden": False}, after={"hidden": True, "reason": reason},
    )  # fmt: skip
    return obj


# -- decisions: procedures, catalogue, consultation -------------------------------------


@transaction.atomic
def record_procedure(
    actor: Any,
    decision: MajorDecision,
    kind: str,
    *,
    done_on: dt.date | None,
    summary: str = "",
    not_applicable_reason: str = "",
) -> Procedure:
    MajorDecision.objects.select_for_update().filter(pk=decision.pk).first()
    decision.refresh_from_db()
    event = Event("记录程序", (), who="review" if kind == "legality_review" else "unit")
    if not may_apply(actor, decision, event):
        raise ActionRefused("您不能记录该决策事项的程序。")
    if decision.decided_on:
        raise ActionRefused("该事项已经决定，程序记录不能再修改。")
    if kind not in checks.PROCEDURE_LABELS:
        raise ActionRefused("没有这项程序。")
    procedure = decision.procedures.filter(kind=kind).first() or Procedure(
        decision=decision, kind=kind
    )
    before = (
        _json(procedure, ("done_on", "summary", "not_applicable_reason")) if procedure.pk else None
    )
    procedure.done_on = done_on
    procedure.summary = summary.strip()
    procedure.not_applicable_reason = " ".join(not_applicable_reason.split())
    problems = checks.procedure_problems(procedure, today())
    if not procedure.done_on and not procedure.not_applicable_reason:
        problems.append("请填写完成日期，或注明不适用的理由。")
    _refuse_if(problems)
    procedure.save()
    label = checks.PROCEDURE_LABELS[kind]
    audit(
        actor, "decision.procedure", f"{label}：{decision}", unit=decision.unit, obj=decision,
        before=before, after={"kind": kind, **_json(procedure, ("done_on", "summary", "not_applicable_reason"))},
    )  # fmt: skip
    return procedure


@transaction.atomic
def publish_catalogue(actor: Any, unit: Unit, year: int, on: dt.date) -> DecisionCatalogue:
    _require_editor(actor, unit)
    if on > today():
        raise ActionRefused("公布日期晚于今天。")
    if not MajorDecision.objects.filter(unit=unit, year=year, hidden_reason="").exists():
        raise ActionRefused(f"{year}年度目录中还没有决策事项。")
    catalogue, _ = DecisionCatalogue.objects.get_or_create(unit=unit, year=year)
    before = {
        "published_on": catalogue.published_on.isoformat() if catalogue.published_on else None
    }
    catalogue.published_on = on
    catalogue.save()
    audit(
        actor, "decision.catalogue_publish", f"公布{year}年度重大行政决策事项目录", unit=unit,
        obj=catalogue, before=before, after={"published_on": on.isoformat()},
    )  # fmt: skip
    return catalogue


CONSULTATION_FIELDS = ("draft", "opens_on", "closes_on", "short_reason")


@transaction.atomic
def save_consultation(
    actor: Any, decision: MajorDecision, values: Mapping[str, Any]
) -> Consultation:
    _require_editor(actor, decision.unit)
    if decision.decided_on:
        raise ActionRefused("该事项已经决定，不能再征求意见。")
    consultation = Consultation.objects.filter(decision=decision).first()
    before = _json(consultation, CONSULTATION_FIELDS) if consultation else None
    if consultation is None:
        consultation = Consultation(decision=decision)
    elif consultation.comments.exists() and values.get("opens_on") != consultation.opens_on:
        raise ActionRefused("已经收到公众意见，不能修改开始日期。")
    for name in CONSULTATION_FIELDS:
        if name in values:
            setattr(consultation, name, values[name])
    _refuse_if(checks.consultation_problems(consultation, decision.unit.region))
    consultation.save()
    audit(
        actor, "decision.consultation", f"公开征求意见：{decision}", unit=decision.unit, obj=decision,
        before=before, after=_json(consultation, CONSULTATION_FIELDS),
    )  # fmt: skip
    return consultation


def consultation_open(consultation: Consultation, day: dt.date | None = None) -> bool:
    day = day or today()
    return (
        consultation.opens_on <= day <= consultation.closes_on
        and not consultation.decision.is_hidden
    )


@transaction.atomic
def add_comment(consultation: Consultation, *, author: str, text: str) -> PublicComment:
    """A comment from the public (no account): only while the consultation is open."""
    if not consultation_open(consultation):
        raise ActionRefused("征求意见期间已结束或尚未开始，不能提交意见。")
    text = text.strip()
    author = " ".join(author.split())
    if not text:
        raise ActionRefused("请填写意见内容。")
    if len(text) > COMMENT_MAX:
        raise ActionRefused(f"意见不能超过{COMMENT_MAX}字。")
    if len(author) > 40:
        raise ActionRefused("署名不能超过40个字。")
    since = timezone.now() - DUPLICATE_COMMENT_WITHIN
    if PublicComment.objects.filter(
        consultation=consultation, text=text, submitted_at__gte=since
    ).exists():
        raise ActionRefused("相同内容的意见在24小时内已经提交过，不必重复提交。")
    comment = PublicComment.objects.create(consultation=consultation, author=author, text=text)
    audit(
        None, "decision.comment", f"公众意见：{consultation.decision}",
        unit=consultation.decision.unit, obj=comment, after={"length": len(text)},
    )  # fmt: skip
    return comment


@transaction.atomic
def answer_comment(
    actor: Any, comment: PublicComment, *, adoption: str, response: str
) -> PublicComment:
    decision = comment.consultation.decision
    _require_editor(actor, decision.unit)
    if comment.consultation.summary_published_on:
        raise ActionRefused("意见采纳情况说明已经公布，不能再修改答复。")
    before = _json(comment, ("adoption", "response"))
    comment.adoption = adoption
    comment.response = response.strip()
    if not comment.adoption:
        raise ActionRefused("请选择采纳情况。")
    if comment.adoption != "adopted" and not comment.response:
        raise ActionRefused("未采纳或部分采纳的意见须说明理由。")
    comment.save(update_fields=["adoption", "response"])
    audit(
        actor, "decision.comment_answer", f"答复公众意见：{decision}", unit=decision.unit,
        obj=comment, before=before, after=_json(comment, ("adoption", "response")),
    )  # fmt: skip
    return comment


@transaction.atomic
def publish_summary(
    actor: Any, consultation: Consultation, *, summary: str, on: dt.date
) -> Consultation:
    decision = consultation.decision
    _require_editor(actor, decision.unit)
    if on > today():
        raise ActionRefused("公布日期晚于今天。")
    unanswered = consultation.comments.filter(hidden_reason="", adoption="").count()
    if unanswered:
        raise ActionRefused(f"还有{unanswered}条公众意见未答复，请逐条答复后再公布采纳情况。")
    consultation.summary = summary.strip()
    consultation.summary_published_on = on
    _refuse_if(checks.consultation_problems(consultation, decision.unit.region))
    consultation.save(update_fields=["summary", "summary_published_on"])
    audit(
        actor, "decision.summary_publish", f"公布意见采纳情况：{decision}", unit=decision.unit,
        obj=decision, after={"summary_published_on": on.isoformat()},
    )  # fmt: skip
    # Publishing how the opinions were taken completes 公众参与, unless recorded otherwise.
    procedure = decision.procedures.filter(kind="public_participation").first()
    if procedure is None or not (procedure.done_on or procedure.not_applicable_reason):
        record_procedure(
            actor, decision, "public_participation", done_on=on,
            summary=f"公开征求意见{consultation.opens_on}至{consultation.closes_on}，"
            f"收到意见{consultation.comments.filter(hidden_reason='').count()}条，已公布采纳情况。",
        )  # fmt: skip
    return consultation


# -- 清理 ---------------------------------------------------------------------------------


@transaction.atomic
def create_cleanup(actor: Any, unit: Unit, *, title: str, started_on: dt.date) -> Cleanup:
    _require_editor(actor, unit)
    title = " ".join(title.split())
    if not title:
        raise ActionRefused("请填写清理名称。")
    if started_on > today():
        raise ActionRefused("开始日期晚于今天。")
    cleanup = Cleanup.objects.create(unit=unit, title=title, started_on=started_on)
    audit(actor, "cleanup.create", f"开展清理：{title}", unit=unit, obj=cleanup)
    return cleanup


@transaction.atomic
def decide_cleanup_item(
    actor: Any, cleanup: Cleanup, document: NormativeDocument, decision: str, note: str = ""
) -> CleanupItem:
    _require_editor(actor, cleanup.unit)
    if cleanup.published_on:
        raise ActionRefused("清理结果已经公布，不能再修改。")
    if document.unit_id != cleanup.unit_id or document.is_hidden or not document.published_on:
        raise ActionRefused("只能清理本单位已公布的文件。")
    if decision not in CleanupDecision.values:
        raise ActionRefused("请选择清理结论。")
    if decision != CleanupDecision.KEEP and not note.strip():
        raise ActionRefused("修改、废止或宣布失效须写明理由。")
    item, _ = CleanupItem.objects.update_or_create(
        cleanup=cleanup, document=document, defaults={"decision": decision, "note": note.strip()}
    )
    audit(
        actor, "cleanup.decide", f"清理“{document}”：{item.get_decision_display()}",
        unit=cleanup.unit, obj=cleanup, after={"document": document.pk, "decision": decision},
    )  # fmt: skip
    return item


_CLEANUP_ENDS = {
    CleanupDecision.REPEAL: DocumentEnd.REPEALED,
    CleanupDecision.INVALIDATE: DocumentEnd.DECLARED_INVALID,
}


@transaction.atomic
def publish_cleanup(actor: Any, cleanup: Cleanup, *, on: dt.date, note: str) -> Cleanup:
    """Publish the result: documents decided 废止 or 宣布失效 end on that day."""
    _require_editor(actor, cleanup.unit)
    if cleanup.published_on:
        raise ActionRefused("清理结果已经公布。")
    if on > today() or on < cleanup.started_on:
        raise ActionRefused("公布日期应在开始日期之后、今天之前。")
    items = list(cleanup.items.select_related("document", "document__unit"))
    if not items:
        raise ActionRefused("清理清单是空的。")
    cleanup.published_on = on
    cleanup.result_note = note.strip()
    cleanup.save(update_fields=["published_on", "result_note"])
    for item in items:
        end = _CLEANUP_ENDS.get(item.decision)
        if end and not item.document.ended:
            apply_event(
                actor, item.document, "end",
                {"ended": end, "ended_on": on, "end_note": f"{cleanup.title}：{item.note}"[:200]},
            )  # fmt: skip
    audit(
        actor, "cleanup.publish", f"公布清理结果：{cleanup.title}（{len(items)}件）",
        unit=cleanup.unit, obj=cleanup, after={"published_on": on.isoformat(), "items": len(items)},
    )  # fmt: skip
    return cleanup


# -- the calendar -------------------------------------------------------------------------


def _calendar_editor(actor: Any, region: str) -> None:
    access = access_for(actor)
    if not region:
        if not access.is_superuser:
            raise ActionRefused("全国节假日只能由系统管理员修改；本地节假日请填写适用地区。")
        return
    if not access.administrable_units().filter(region__startswith=region).exists():
        raise ActionRefused(f"“{region}”不在您管理的地区范围内。")


def _running_dues(region: str) -> dict[tuple[str, int], dt.date | None]:
    """Due dates of the clocks still running in `region`, to report what an edit moves."""
    calendars = deadlines.Calendars()
    dues: dict[tuple[str, int], dt.date | None] = {}
    requests = DisclosureRequest.objects.filter(
        replied_on__isnull=True, hidden_reason="", unit__region__startswith=region
    ).select_related("unit")
    for req in requests:
        for clock in deadlines.request_clocks(req, calendars):
            if clock.done_on is None:
                dues[("request", req.pk)] = clock.due
    documents = NormativeDocument.objects.filter(
        Q(reviewed_on__isnull=True, review_submitted_on__isnull=False)
        | Q(filed_on__isnull=True, published_on__isnull=False),
        hidden_reason="",
        unit__region__startswith=region,
    ).select_related("unit")
    for doc in documents:
        for clock in deadlines.document_clocks(doc, calendars, open_only=True):
            if clock.done_on is None and clock.deadline is not None:
                dues[(f"document:{clock.label}", doc.pk)] = clock.due
    return dues


def _moved(before: dict[Any, Any], region: str) -> int:
    after = _running_dues(region)
    return sum(1 for key, due in before.items() if after.get(key) != due)


@transaction.atomic
def add_calendar_day(
    actor: Any, *, date: dt.date, kind: str, name: str, region: str = "", source: str = ""
) -> tuple[CalendarDay, int]:
    """Add a holiday or a shifted working day; returns it and how many running deadlines moved."""
    region = " ".join(region.split())
    _calendar_editor(actor, region)
    name = " ".join(name.split())
    if not name:
        raise ActionRefused("请填写节日名称。")
    if kind not in DayKind.values:
        raise ActionRefused("请选择类型。")
    if kind == DayKind.WORKDAY and date.weekday() < 5:
        raise ActionRefused(f"{date}本来就是工作日，调休上班日应是周末。")
    if CalendarDay.objects.filter(date=date, region=region, hidden_reason="").exists():
        raise ActionRefused(f"{date}已有记录，请先隐藏原记录再修改。")
    before = _running_dues(region)
    day = CalendarDay.objects.create(
        date=date, kind=kind, name=name, region=region, source=source or "管理员录入"
    )
    moved = _moved(before, region)
    where = region or "全国"
    audit(
        actor, "calendar.add", f"新增{day.get_kind_display()} {date} {name}（{where}），{moved}项计时中的期限随之变化",
        obj=day, after={"date": date.isoformat(), "kind": kind, "name": name, "region": region, "moved": moved},
    )  # fmt: skip
    return day, moved


@transaction.atomic
def hide_calendar_day(actor: Any, day: CalendarDay, reason: str) -> tuple[CalendarDay, int]:
    reason = _reason(reason)
    _calendar_editor(actor, day.region)
    CalendarDay.objects.select_for_update().filter(pk=day.pk).first()
    day.refresh_from_db()
    if day.is_hidden:
        raise ActionRefused("该记录已经隐藏。")
    before = _running_dues(day.region)
    day.hidden_reason = reason
    day.hidden_at = timezone.now()
    day.hidden_by = actor
    day.save(update_fields=["hidden_reason", "hidden_at", "hidden_by"])
    moved = _moved(before, day.region)
    audit(
        actor, "calendar.hide", f"撤销{day.get_kind_display()} {day.date} {day.name}：{reason}，"
        f"{moved}项计时中的期限随之变化",
        obj=day, before={"hidden": False}, after={"hidden": True, "reason": reason, "moved": moved},
    )  # fmt: skip
    return day, moved


@transaction.atomic
def announce_year(actor: Any, year: int, source: str) -> CalendarYear:
    _calendar_editor(actor, "")
    source = " ".join(source.split())
    if not source:
        raise ActionRefused("请填写依据（如国务院办公厅关于该年部分节假日安排的通知）。")
    if CalendarYear.objects.filter(year=year).exists():
        raise ActionRefused(f"{year}年已标记为已公布。")
    if not CalendarDay.objects.filter(date__year=year, region="", hidden_reason="").exists():
        raise ActionRefused(f"请先录入{year}年的全国节假日，再标记为已公布。")
    marked = CalendarYear.objects.create(year=year, source=source)
    audit(actor, "calendar.announce", f"{year}年节假日安排已公布：{source}", obj=marked)
    return marked


def seed_calendar(source_label: str = "") -> int:
    """Copy the engine's national calendar into the table for years not there yet.

    Used by the migration and `manage.py seed_calendar`; never touches a year that is
    already in the table, so administrators' edits stay.
    """
    from fazhi import calendar

    national = calendar.national()
    known = set(CalendarYear.objects.values_list("year", flat=True))
    source = source_label or calendar.NATIONAL_SOURCE
    years = sorted(national.announced - known)
    days = [
        CalendarDay(date=d, kind=DayKind.HOLIDAY, name=n, source=source)
        for d, n in national.holidays.items()
        if d.year in years
    ] + [
        CalendarDay(date=d, kind=DayKind.WORKDAY, name=n, source=source)
        for d, n in national.workdays.items()
        if d.year in years
    ]
    CalendarDay.objects.bulk_create(days)
    CalendarYear.objects.bulk_create([CalendarYear(year=y, source=source) for y in years])
    return len(years)
