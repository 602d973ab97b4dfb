"""Every change to the enforcement ledger goes through these functions; each checks who
may make it, checks the record against the rules (fazhi_web.enforcement.rules) and
writes the audit log.

Who may do what, through units.access:
- the unit's own staff (填报员 / 法制员) keep its staff, cases, 名录 and draws;
- a reviewer of an office above the unit approves the masked public copy of a decision;
- an office's reviewers read the ledgers of the units below it.
Records are never deleted, only hidden with a reason; events and attachments, once
recorded, are never changed (the hash chain shows it if they were).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone

from fazhi.clocks import ClockState
from fazhi_web import uploads
from fazhi_web.audit.log import record as audit
from fazhi_web.enforcement import rules
from fazhi_web.enforcement.models import (
    RULES,
    AnnualReview,
    Attachment,
    AttachmentKind,
    Case,
    CaseEvent,
    CaseKind,
    Certificate,
    DrawnEntity,
    Entity,
    LegalReview,
    MajorItem,
    Officer,
    Publication,
    RandomInspection,
)
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.access import access_for
from fazhi_web.units.models import Unit

REASON_MAX = 200
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def today() -> dt.date:
    return timezone.localdate()


def _clean(text: Any, limit: int, label: str, *, required: bool = True) -> str:
    text = " ".join(str(text or "").split())
    if required and not text:
        raise ActionRefused(f"请填写{label}。")
    if len(text) > limit:
        raise ActionRefused(f"{label}不能超过{limit}个字。")
    return text


def _not_future(day: dt.date | None, label: str) -> dt.date:
    if day is None:
        raise ActionRefused(f"请填写{label}。")
    if day > today():
        raise ActionRefused(f"{label}（{day}）晚于今天。")
    return day


# -- who sees and edits what ----------------------------------------------------------

UNIT_PATH = {
    Officer: "unit__",
    Certificate: "officer__unit__",
    Case: "unit__",
    CaseEvent: "case__unit__",
    Attachment: "event__case__unit__",
    Entity: "unit__",
    RandomInspection: "unit__",
}


def readable(user: Any, model: type[models.Model]) -> QuerySet[Any]:
    """The records of `model` the user may read, hidden ones included (callers filter)."""
    prefix = UNIT_PATH[model]
    return model._default_manager.filter(access_for(user).unit_filter(prefix)).select_related(
        prefix.rstrip("_")
    )


def get_record(user: Any, model: type[models.Model], pk: Any) -> Any:
    try:
        return readable(user, model).get(pk=int(pk))
    except (model.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404("记录不存在或无权访问。") from None


def download_attachment(user: Any, pk: Any) -> FileResponse:
    """A 全过程记录 file for a user who may read its case; records of a case hold
    personal data, so the read is audited."""
    item = get_record(user, Attachment, pk)
    response = uploads.download(item.stored_name, item.original_name, "application/octet-stream")
    case = item.event.case
    audit(
        user,
        "read.attachment",
        f"下载{case.unit.name}执法案件{case.number}记录文件“{item.original_name}”",
        unit=case.unit,
        obj=item,
        after={"case": case.pk, "sha256": item.sha256},
    )
    return response


def units_of(user: Any) -> QuerySet[Unit]:
    return access_for(user).units().filter(hidden_reason="")


def editable_units(user: Any) -> list[Unit]:
    access = access_for(user)
    return list(Unit.objects.filter(pk__in=access.reporter_unit_ids, hidden_reason=""))


def can_edit(user: Any, unit: Unit) -> bool:
    return access_for(user).can_report(unit)


def can_approve(user: Any, unit: Unit) -> bool:
    return access_for(user).can_review(unit)


def _require_editor(actor: Any, unit: Unit) -> None:
    if not can_edit(actor, unit):
        raise ActionRefused(f"只有{unit.name}的填报人员可以修改本单位执法台账。")


def _lock(obj: models.Model) -> None:
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    obj.refresh_from_db()


def _not_hidden(obj: Any) -> None:
    if obj.is_hidden:
        raise ActionRefused("该记录已隐藏，不能修改。")


@transaction.atomic
def hide(actor: Any, obj: Any, reason: str) -> Any:
    reason = _clean(reason, REASON_MAX, "隐藏原因")
    _lock(obj)
    _require_editor(actor, obj.unit)
    if obj.is_hidden:
        raise ActionRefused("该记录已经隐藏。")
    obj.hidden_reason = reason
    obj.hidden_at = timezone.now()
    obj.hidden_by = actor
    obj.save(update_fields=["hidden_reason", "hidden_at", "hidden_by"])
    audit(
        actor, f"enforcement.{obj._meta.model_name}.hide", f"隐藏：{str(obj)[:60]}（{reason}）",
        unit=obj.unit, obj=obj, before={"hidden": False}, after={"hidden": True, "reason": reason},
    )  # fmt: skip
    return obj


# -- staff and certificates -------------------------------------------------------------


@transaction.atomic
def create_officer(actor: Any, unit: Unit, *, name: str, post: str = "") -> Officer:
    _require_editor(actor, unit)
    officer = Officer.objects.create(
        unit=unit, name=_clean(name, 40, "姓名"), post=_clean(post, 60, "执法岗位", required=False)
    )
    audit(actor, "enforcement.officer.create", f"登记执法人员：{officer}", unit=unit, obj=officer)
    return officer


def certificate_problems(values: Mapping[str, Any]) -> list[str]:
    problems = []
    number = " ".join(str(values.get("number") or "").split())
    if not number:
        problems.append("请填写执法证号。")
    elif Certificate.objects.filter(number=number).exists():
        problems.append(f"执法证号“{number}”已经登记。")
    issued, expires = values.get("issued_on"), values.get("expires_on")
    if issued is None or expires is None:
        problems.append("请填写发证日期和有效期。")
    elif expires <= issued:
        problems.append(f"有效期至 {expires} 不晚于发证日期 {issued}。")
    elif issued > today():
        problems.append(f"发证日期 {issued} 晚于今天。")
    return problems


@transaction.atomic
def add_certificate(actor: Any, officer: Officer, values: Mapping[str, Any]) -> Certificate:
    _lock(officer)
    _require_editor(actor, officer.unit)
    _not_hidden(officer)
    problems = certificate_problems(values)
    if problems:
        raise ActionRefused("；".join(p.rstrip("。") for p in problems) + "。")
    cert = Certificate.objects.create(
        officer=officer,
        number=" ".join(str(values["number"]).split()),
        issued_on=values["issued_on"],
        expires_on=values["expires_on"],
    )
    audit(
        actor, "enforcement.certificate.add", f"登记执法证：{officer} {cert.number}",
        unit=officer.unit, obj=cert,
        after={"number": cert.number, "issued_on": cert.issued_on.isoformat(),
               "expires_on": cert.expires_on.isoformat()},
    )  # fmt: skip
    return cert


def _open_certificate(actor: Any, cert: Certificate) -> None:
    _lock(cert)
    _require_editor(actor, cert.officer.unit)
    if cert.revoked_on is not None:
        raise ActionRefused("该执法证已经注销或吊销。")


@transaction.atomic
def annual_review(
    actor: Any, cert: Certificate, *, reviewed_on: dt.date, passed: bool, note: str = ""
) -> AnnualReview:
    _open_certificate(actor, cert)
    _not_future(reviewed_on, "年审日期")
    if not cert.issued_on <= reviewed_on <= cert.expires_on:
        raise ActionRefused(
            f"年审日期应在发证日期 {cert.issued_on} 至有效期 {cert.expires_on} 之间。"
        )
    note = _clean(note, 200, "说明", required=not passed)
    review = AnnualReview.objects.create(
        certificate=cert, reviewed_on=reviewed_on, passed=passed, note=note
    )
    audit(
        actor, "enforcement.certificate.review",
        f"执法证年审：{cert.officer} {cert.number} {'合格' if passed else '不合格'}",
        unit=cert.officer.unit, obj=cert,
        after={"reviewed_on": reviewed_on.isoformat(), "passed": passed, "note": note},
    )  # fmt: skip
    return review


@transaction.atomic
def revoke_certificate(actor: Any, cert: Certificate, *, on: dt.date, reason: str) -> Certificate:
    _open_certificate(actor, cert)
    _not_future(on, "注销或吊销日期")
    if on < cert.issued_on:
        raise ActionRefused(f"注销或吊销日期早于发证日期 {cert.issued_on}。")
    cert.revoked_on = on
    cert.revoked_reason = _clean(reason, 200, "注销或吊销原因")
    cert.save(update_fields=["revoked_on", "revoked_reason"])
    audit(
        actor, "enforcement.certificate.revoke", f"注销执法证：{cert.officer} {cert.number}",
        unit=cert.officer.unit, obj=cert,
        before={"revoked_on": None}, after={"revoked_on": on.isoformat(), "reason": cert.revoked_reason},
    )  # fmt: skip
    return cert


def valid_certificate(officer: Officer, day: dt.date) -> Certificate | None:
    return next((c for c in officer.certificates.all() if rules.valid_on(c, day)), None)


# -- cases --------------------------------------------------------------------------------

CASE_FIELDS = ("number", "kind", "title", "party", "party_is_person", "major", "decision_text")


def case_problems(case: Case, officers: Iterable[Officer]) -> list[str]:
    problems = []
    for name, label, limit in (
        ("number", "案号", 60),
        ("title", "案由", 200),
        ("party", "当事人", 100),
    ):
        value = " ".join(str(getattr(case, name) or "").split())
        setattr(case, name, value)
        if not value:
            problems.append(f"请填写{label}。")
        elif len(value) > limit:
            problems.append(f"{label}不能超过{limit}个字。")
    if case.kind not in CaseKind.values:
        problems.append("请选择案件类别（检查、处罚、强制、许可）。")
    if case.major and case.major not in MajorItem.values:
        problems.append("重大执法决定情形不在目录中。")
    if not case.number:
        return problems
    duplicate = Case.objects.filter(unit=case.unit, number=case.number, hidden_reason="")
    if case.pk:
        duplicate = duplicate.exclude(pk=case.pk)
    if duplicate.exists():
        problems.append(f"案号“{case.number}”已经登记。")
    foreign = [o.name for o in officers if o.unit_id != case.unit_id or o.is_hidden]
    if foreign:
        problems.append(f"“{'”“'.join(foreign)}”不是本单位在册的执法人员。")
    return problems


def _refuse_if(problems: list[str]) -> None:
    if problems:
        raise ActionRefused("；".join(p.rstrip("。") for p in problems) + "。")


def _case_json(case: Case) -> dict[str, Any]:
    values = {name: getattr(case, name) for name in CASE_FIELDS if name != "decision_text"}
    values["officers"] = sorted(case.officers.values_list("pk", flat=True)) if case.pk else []
    return values


@transaction.atomic
def create_case(
    actor: Any, unit: Unit, values: Mapping[str, Any], officers: Iterable[Officer]
) -> Case:
    _require_editor(actor, unit)
    officers = list(officers)
    case = Case(unit=unit, **{k: v for k, v in values.items() if k in CASE_FIELDS})
    case.decision_text = str(case.decision_text or "").strip()
    _refuse_if(case_problems(case, officers))
    case.save()
    case.officers.set(officers)
    audit(actor, "enforcement.case.create", f"登记执法案件：{case}", unit=unit, obj=case,
          after=_case_json(case))  # fmt: skip
    return case


@transaction.atomic
def edit_case(
    actor: Any, case: Case, values: Mapping[str, Any], officers: Iterable[Officer]
) -> Case:
    """Change a case's particulars while it is undecided: afterwards they are the record."""
    _lock(case)
    _require_editor(actor, case.unit)
    _not_hidden(case)
    if rules.decided_on(case) is not None:
        raise ActionRefused("已作出决定的案件，基本信息不能再修改。")
    officers = list(officers)
    before = _case_json(case)
    for name in CASE_FIELDS:
        if name in values:
            setattr(case, name, values[name])
    case.decision_text = str(case.decision_text or "").strip()
    _refuse_if(case_problems(case, officers))
    if case.events.exists() and set(before["officers"]) != {o.pk for o in officers}:
        _refuse_if(_officer_problems(case, officers, max(e.on for e in case.events.all())))
    case.save()
    case.officers.set(officers)
    audit(actor, "enforcement.case.edit", f"修改执法案件：{case}", unit=case.unit, obj=case,
          before=before, after=_case_json(case))  # fmt: skip
    return case


def _officer_problems(case: Case, officers: list[Officer], on: dt.date) -> list[str]:
    kind = rules.KINDS[case.kind]
    if not kind["certificate"]:
        return []
    without = [o.name for o in officers if valid_certificate(o, on) is None]
    problems = []
    if without:
        problems.append(
            f"执法人员“{'”“'.join(without)}”在 {on} 没有有效的执法证，不能实施{kind['label']}"
            f"（{RULES['certificate']['basis']}）。"
        )
    valid = len(officers) - len(without)
    if valid < int(kind["min_officers"]):
        basis = f"（{kind['officers_basis']}）" if kind["officers_basis"] else ""
        problems.append(
            f"{kind['label']}须由至少{kind['min_officers']}名持有效执法证的执法人员实施，"
            f"目前{valid}名{basis}。"
        )
    return problems


def event_problems(case: Case, kind: str, on: dt.date) -> list[str]:
    """Why the event cannot be recorded on the case (empty when it can)."""
    existing = list(case.events.all())
    order = rules.order_problem(case, existing, kind, on)
    if order:
        return [order]
    problems = _officer_problems(case, list(case.officers.all()), on)
    if kind == "decided" and case.major:
        review = LegalReview.objects.filter(case=case).first()
        if review is None:
            problems.append(
                f"该案件属于重大执法决定（{case.get_major_display()}），作出决定前须经法制审核，"
                f"请先登记法制审核的审核人、意见和日期（{RULES['major']['basis']}）。"
            )
        elif review.reviewed_on > on:
            problems.append(f"法制审核日期 {review.reviewed_on} 晚于决定日期 {on}。")
    if kind == "decided" and not case.decision_text:
        problems.append("请先填写决定书内容，再登记“决定”。")
    return problems


@transaction.atomic
def record_event(actor: Any, case: Case, kind: str, *, on: dt.date, note: str = "") -> CaseEvent:
    _lock(case)
    _require_editor(actor, case.unit)
    _not_hidden(case)
    _not_future(on, "环节日期")
    note = _clean(note, 500, "情况", required=False)
    _refuse_if(event_problems(case, kind, on))
    event = CaseEvent.objects.create(case=case, kind=kind, on=on, note=note, recorded_by=actor)
    audit(
        actor, f"enforcement.event.{kind}", f"{rules.EVENT_LABELS[kind]}：{case}", unit=case.unit,
        obj=case, after={"event": event.pk, "kind": kind, "on": on.isoformat(), "note": note},
    )  # fmt: skip
    return event


# -- 全过程记录 ----------------------------------------------------------------------------


@transaction.atomic
def add_attachment(
    actor: Any, event: CaseEvent, *, kind: str, name: str, content: bytes
) -> Attachment:
    """Keep a record at an event as the next link of its case's chain."""
    case = event.case
    _lock(case)
    _require_editor(actor, case.unit)
    _not_hidden(case)
    if kind not in AttachmentKind.values:
        raise ActionRefused("请选择记录类型。")
    if not content:
        raise ActionRefused("文件是空的。")
    if len(content) > ATTACHMENT_MAX_BYTES:
        raise ActionRefused(f"文件超过 {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB 的大小限制。")
    name = _clean(Path(name or "").name, 255, "文件名")
    sha256 = hashlib.sha256(content).hexdigest()
    last = Attachment.objects.filter(event__case=case).order_by("-pk").first()
    attachment = Attachment(
        event=event, kind=kind, original_name=name, size=len(content), sha256=sha256,
        previous=last.link if last else rules.GENESIS, uploaded_by=actor,
        uploaded_at=timezone.now().replace(microsecond=0),
        stored_name=uploads.store(content, sha256, Path(name).suffix.lower()),
    )  # fmt: skip
    attachment.link = rules.link_of(attachment.previous, sha256, event, attachment)
    attachment.save()
    audit(
        actor, "enforcement.attachment.add",
        f"全过程记录：{case}（{rules.EVENT_LABELS[event.kind]}）{name}", unit=case.unit, obj=case,
        after={"file": name, "sha256": sha256, "size": len(content), "link": attachment.link},
    )  # fmt: skip
    return attachment


# -- 法制审核 ------------------------------------------------------------------------------


@transaction.atomic
def record_legal_review(
    actor: Any, case: Case, *, reviewer: str, opinion: str, reviewed_on: dt.date
) -> LegalReview:
    _lock(case)
    _require_editor(actor, case.unit)
    _not_hidden(case)
    if not case.major:
        raise ActionRefused("该案件未标为重大执法决定，无须法制审核。")
    if rules.decided_on(case) is not None:
        raise ActionRefused("该案件已经作出决定，法制审核应在决定之前。")
    if LegalReview.objects.filter(case=case).exists():
        raise ActionRefused("该案件已有法制审核记录。")
    _not_future(reviewed_on, "审核日期")
    review = LegalReview.objects.create(
        case=case,
        reviewer=_clean(reviewer, 60, "审核人"),
        opinion=_clean(opinion, 5000, "审核意见"),
        reviewed_on=reviewed_on,
        recorded_by=actor,
    )
    audit(
        actor, "enforcement.legal_review", f"法制审核：{case}", unit=case.unit, obj=case,
        after={"reviewer": review.reviewer, "reviewed_on": reviewed_on.isoformat()},
    )  # fmt: skip
    return review


# -- 公示 ------------------------------------------------------------------------------------


def masked_copy(case: Case) -> str:
    names = [case.party] if case.party_is_person else []
    return rules.mask(case.decision_text, names)


@transaction.atomic
def prepare_publication(actor: Any, case: Case, text: str | None = None) -> Publication:
    """The public copy: the decision masked by rule, or the unit's edit of it, which must
    still pass the rules. Any change needs a reviewer's approval again."""
    _lock(case)
    _require_editor(actor, case.unit)
    _not_hidden(case)
    if rules.publicity_rule(case) is None:
        raise ActionRefused(f"{case.get_kind_display()}案件的决定无须在门户公示。")
    if rules.decided_on(case) is None:
        raise ActionRefused("尚未作出决定，不能准备公示文本。")
    publication = Publication.objects.filter(case=case).first()
    if publication is not None and publication.published_on:
        raise ActionRefused("决定已经公示，公示文本不能再修改。")
    masked = masked_copy(case) if text is None else text.strip()
    if not masked:
        raise ActionRefused("公示文本是空的。")
    left = rules.unmasked(masked)
    if case.party_is_person and case.party in masked:
        left.insert(0, "自然人当事人姓名")
    if left:
        raise ActionRefused(f"公示文本中仍有未遮蔽的个人信息：{'、'.join(left)}。")
    if publication is None:
        publication = Publication(case=case)
    publication.masked_text = masked
    publication.prepared_by = actor
    publication.approved_by = None
    publication.approved_on = None
    publication.save()
    audit(
        actor, "enforcement.publication.prepare", f"准备公示文本：{case}", unit=case.unit,
        obj=case, after={"length": len(masked)},
    )  # fmt: skip
    return publication


@transaction.atomic
def approve_publication(actor: Any, case: Case, *, on: dt.date | None = None) -> Publication:
    """Approve the masked copy, today or on the day recorded (a register kept on paper)."""
    publication = Publication.objects.select_for_update().filter(case=case).first()
    if not can_approve(actor, case.unit):
        raise ActionRefused("只有上级审查人员可以审核公示文本。")
    if publication is None:
        raise ActionRefused("尚未准备公示文本。")
    if publication.approved_on:
        raise ActionRefused("公示文本已经审核通过。")
    left = rules.unmasked(publication.masked_text)
    if left:
        raise ActionRefused(f"公示文本中仍有未遮蔽的个人信息：{'、'.join(left)}。")
    on = _not_future(on or today(), "审核通过日期")
    decided = rules.decided_on(case)
    if decided is not None and on < decided:
        raise ActionRefused(f"审核通过日期早于决定日期 {decided}。")
    publication.approved_by = actor
    publication.approved_on = on
    publication.save(update_fields=["approved_by", "approved_on"])
    audit(actor, "enforcement.publication.approve", f"审核通过公示文本：{case}", unit=case.unit,
          obj=case)  # fmt: skip
    return publication


@transaction.atomic
def publish(actor: Any, case: Case, *, on: dt.date) -> Publication:
    _lock(case)
    _require_editor(actor, case.unit)
    _not_hidden(case)
    publication = Publication.objects.filter(case=case).first()
    if publication is None or not publication.approved_on:
        raise ActionRefused("公示文本尚未经审核通过，不能公示。")
    if publication.published_on:
        raise ActionRefused("决定已经公示。")
    _not_future(on, "公示日期")
    if on < publication.approved_on:
        raise ActionRefused(f"公示日期早于审核通过日期 {publication.approved_on}。")
    publication.published_on = on
    publication.save(update_fields=["published_on"])
    audit(
        actor, "enforcement.publication.publish", f"公示执法决定：{case}", unit=case.unit,
        obj=case, after={"published_on": on.isoformat()},
    )  # fmt: skip
    return publication


# -- 双随机 ------------------------------------------------------------------------------------


@transaction.atomic
def create_entity(
    actor: Any, unit: Unit, *, name: str, credit_code: str = "", category: str = ""
) -> Entity:
    _require_editor(actor, unit)
    entity = Entity.objects.create(
        unit=unit,
        name=_clean(name, 200, "名称"),
        credit_code=_clean(credit_code, 18, "统一社会信用代码", required=False),
        category=_clean(category, 60, "类别", required=False),
    )
    audit(actor, "enforcement.entity.create", f"检查对象名录新增：{entity}", unit=unit, obj=entity)
    return entity


@transaction.atomic
def create_inspection(
    actor: Any, unit: Unit, *, title: str, entity_count: int, officer_count: int = 2
) -> RandomInspection:
    _require_editor(actor, unit)
    if not 1 <= entity_count <= 1000:
        raise ActionRefused("抽取检查对象数应在 1 到 1000 之间。")
    if not 1 <= officer_count <= 10:
        raise ActionRefused("每户选派执法人员数应在 1 到 10 之间。")
    inspection = RandomInspection.objects.create(
        unit=unit, title=_clean(title, 200, "抽查事项"), entity_count=entity_count,
        officer_count=officer_count,
    )  # fmt: skip
    audit(
        actor, "enforcement.random.create", f"双随机抽查：{inspection}", unit=unit, obj=inspection
    )
    return inspection


@transaction.atomic
def draw_inspection(actor: Any, inspection: RandomInspection) -> RandomInspection:
    """Draw the entities and officers from the unit's 名录 and its certified staff; the
    seed and the pool are kept, so anyone can replay the draw (`draw_replays`)."""
    _lock(inspection)
    _require_editor(actor, inspection.unit)
    _not_hidden(inspection)
    if inspection.drawn_at is not None:
        raise ActionRefused("已经抽取，不能重新抽取。")
    day = today()
    entities = list(
        Entity.objects.filter(unit=inspection.unit, hidden_reason="").values_list("pk", flat=True)
    )
    officers = [
        o.pk
        for o in Officer.objects.filter(unit=inspection.unit, hidden_reason="").prefetch_related(
            "certificates__reviews"
        )
        if valid_certificate(o, day) is not None
    ]
    if len(entities) < inspection.entity_count:
        raise ActionRefused(
            f"检查对象名录只有{len(entities)}个对象，少于要抽取的{inspection.entity_count}个。"
        )
    if len(officers) < inspection.officer_count:
        raise ActionRefused(
            f"持有效执法证的执法人员只有{len(officers)}名，少于每户要选派的{inspection.officer_count}名。"
        )
    inspection.seed = secrets.token_hex(16)
    inspection.pool = {"entities": sorted(entities), "officers": sorted(officers)}
    inspection.drawn_at = timezone.now()
    inspection.drawn_by = actor
    inspection.save(update_fields=["seed", "pool", "drawn_at", "drawn_by"])
    for entity_id, officer_ids in rules.draw(
        inspection.seed, entities, officers, inspection.entity_count, inspection.officer_count
    ):
        drawn = DrawnEntity.objects.create(inspection=inspection, entity_id=entity_id)
        drawn.officers.set(officer_ids)
    audit(
        actor, "enforcement.random.draw", f"随机抽取：{inspection}（{inspection.entity_count}个对象）",
        unit=inspection.unit, obj=inspection, after={"seed": inspection.seed, **inspection.pool},
    )  # fmt: skip
    return inspection


def draw_replays(inspection: RandomInspection) -> bool:
    """Whether the recorded result is what the seed and pool draw."""
    if inspection.drawn_at is None:
        return False
    replay = rules.draw(
        inspection.seed, inspection.pool["entities"], inspection.pool["officers"],
        inspection.entity_count, inspection.officer_count,
    )  # fmt: skip
    recorded = [
        (d.entity_id, sorted(d.officers.values_list("pk", flat=True)))
        for d in inspection.drawn.order_by("pk")
    ]
    return [(e, sorted(o)) for e, o in replay] == recorded


@transaction.atomic
def record_result(
    actor: Any, drawn: DrawnEntity, *, inspected_on: dt.date, result: str
) -> DrawnEntity:
    inspection = drawn.inspection
    _lock(inspection)
    _require_editor(actor, inspection.unit)
    if inspection.published_on:
        raise ActionRefused("抽查结果已经公示，不能再修改。")
    _not_future(inspected_on, "检查日期")
    officers = list(drawn.officers.all())
    without = [o.name for o in officers if valid_certificate(o, inspected_on) is None]
    if without:
        raise ActionRefused(
            f"执法人员“{'”“'.join(without)}”在 {inspected_on} 没有有效的执法证，不能实施检查。"
        )
    drawn.inspected_on = inspected_on
    drawn.result = _clean(result, 200, "检查结果")
    drawn.save(update_fields=["inspected_on", "result"])
    audit(
        actor, "enforcement.random.result", f"抽查结果：{drawn.entity}（{inspection}）",
        unit=inspection.unit, obj=inspection,
        after={"entity": drawn.entity_id, "inspected_on": inspected_on.isoformat(), "result": drawn.result},
    )  # fmt: skip
    return drawn


@transaction.atomic
def publish_inspection(
    actor: Any, inspection: RandomInspection, *, on: dt.date
) -> RandomInspection:
    _lock(inspection)
    _require_editor(actor, inspection.unit)
    _not_hidden(inspection)
    if inspection.drawn_at is None:
        raise ActionRefused("尚未抽取，不能公示结果。")
    if inspection.published_on:
        raise ActionRefused("抽查结果已经公示。")
    pending = inspection.drawn.filter(inspected_on__isnull=True).count()
    if pending:
        raise ActionRefused(f"还有{pending}个抽中的对象未登记检查结果。")
    _not_future(on, "公示日期")
    inspection.published_on = on
    inspection.save(update_fields=["published_on"])
    audit(
        actor, "enforcement.random.publish", f"公示抽查结果：{inspection}", unit=inspection.unit,
        obj=inspection, after={"published_on": on.isoformat()},
    )  # fmt: skip
    return inspection


# -- the public side ---------------------------------------------------------------------------


def public_cases() -> QuerySet[Case]:
    return Case.objects.filter(
        publication__published_on__isnull=False, hidden_reason="", unit__hidden_reason=""
    ).select_related("unit", "publication")


def public_inspections() -> QuerySet[RandomInspection]:
    return RandomInspection.objects.filter(
        published_on__isnull=False, hidden_reason="", unit__hidden_reason=""
    ).select_related("unit")


def overdue_publications(cases: QuerySet[Case], calendars: Any, day: dt.date) -> list[Any]:
    """The publication clocks of decided cases not yet public whose limit has passed."""
    out = []
    # No publication, or one not yet published: the left join gives both as null.
    candidates = cases.filter(
        hidden_reason="", events__kind="decided", publication__published_on__isnull=True
    )
    for case in candidates.select_related("unit").prefetch_related("events"):
        clock = rules.publicity_clock(case, calendars)
        if clock is not None and clock.state(day) == ClockState.OVERDUE:
            out.append(clock)
    return out


def certificates_due(officers: QuerySet[Officer], day: dt.date) -> list[Any]:
    """Certificates still valid today whose expiry reminder has begun, or that just lapsed
    with no newer one."""
    out = []
    for officer in officers.filter(hidden_reason="").prefetch_related("certificates__reviews"):
        certs = list(officer.certificates.all())
        if any(rules.valid_on(c, day) and rules.certificate_state(c, day) == "有效" for c in certs):
            continue
        for cert in certs:
            state = rules.certificate_state(cert, day)
            if state in ("即将到期", "已过期") and not any(
                c.issued_on > cert.issued_on for c in certs
            ):
                out.append((cert, state, rules.certificate_clock(cert)))
    return out
