"""What a ledger record must satisfy, whether it is entered on a form, through the API
or from an imported sheet: one list of Chinese problems per record, empty when it is
consistent. The gates (no publication without 合法性审核 and 集体审议, no decision
before every procedure is recorded) are among these checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from fazhi import clocks
from fazhi_web.ledgers import deadlines
from fazhi_web.ledgers.models import (
    PROCEDURES,
    Consultation,
    DisclosureRequest,
    FilingResult,
    MajorDecision,
    NormativeDocument,
    Procedure,
)

MAY_SKIP = {p["code"]: p["may_skip"] for p in PROCEDURES}
PROCEDURE_LABELS = {p["code"]: p["label"] for p in PROCEDURES}


def _label(obj: object, field: str) -> str:
    return str(obj._meta.get_field(field).verbose_name)


def _not_in_future(obj: object, fields: Iterable[str], today: dt.date) -> list[str]:
    return [
        f"“{_label(obj, f)}”（{getattr(obj, f)}）晚于今天，已发生的事项请填写实际日期。"
        for f in fields
        if getattr(obj, f) is not None and getattr(obj, f) > today
    ]


def _order(obj: object, earlier: str, later: str) -> list[str]:
    a, b = getattr(obj, earlier), getattr(obj, later)
    if a is not None and b is not None and b < a:
        return [f"“{_label(obj, later)}”（{b}）早于“{_label(obj, earlier)}”（{a}）。"]
    return []


def _needs(obj: object, field: str, before: str, what: str = "") -> list[str]:
    if getattr(obj, field) is not None and not getattr(obj, before):
        return [
            f"填写“{_label(obj, field)}”之前须先{what or '填写“' + _label(obj, before) + '”'}。"
        ]
    return []


# -- 规范性文件 --------------------------------------------------------------------------


def document_problems(doc: NormativeDocument, today: dt.date) -> list[str]:
    problems: list[str] = []
    if not doc.title.strip():
        problems.append("请填写文件名称。")
    problems += _not_in_future(
        doc,
        ("drafted_on", "review_submitted_on", "reviewed_on", "deliberated_on", "published_on",
         "filed_on", "filing_result_on", "evaluated_on", "ended_on"),
        today,
    )  # fmt: skip
    problems += _needs(doc, "reviewed_on", "review_submitted_on")
    problems += _needs(
        doc, "deliberated_on", "reviewed_on", "完成合法性审核（未经合法性审核不得提交集体审议）"
    )
    if doc.published_on is not None:
        if not doc.reviewed_on:
            problems.append("未经合法性审核的规范性文件不得公布：请先记录合法性审核。")
        if not doc.deliberated_on:
            problems.append("未经集体审议的规范性文件不得公布：请先记录集体审议。")
        if not doc.doc_number.strip():
            problems.append("公布时请填写文号。")
    problems += _needs(doc, "effective_on", "published_on")
    problems += _needs(doc, "filed_on", "published_on", "公布文件")
    problems += _needs(doc, "filing_result_on", "filed_on", "报送备案")
    problems += _needs(doc, "evaluated_on", "published_on", "公布文件")
    problems += _needs(doc, "ended_on", "published_on", "公布文件")
    for earlier, later in (
        ("drafted_on", "review_submitted_on"),
        ("review_submitted_on", "reviewed_on"),
        ("reviewed_on", "deliberated_on"),
        ("deliberated_on", "published_on"),
        ("published_on", "effective_on"),
        ("published_on", "filed_on"),
        ("filed_on", "filing_result_on"),
        ("published_on", "ended_on"),
    ):
        problems += _order(doc, earlier, later)
    if doc.review_submitted_on and doc.review_unit_id is None:
        problems.append("请选择合法性审核机构。")
    if doc.filed_on and doc.filing_unit_id is None:
        problems.append("请选择备案机关。")
    if doc.filing_result and not doc.filing_result_on:
        problems.append("请填写备案审查日期。")
    if doc.filing_result_on and not doc.filing_result:
        problems.append("请选择备案审查结果。")
    if doc.filing_result == FilingResult.DEFERRED and not doc.correction_due:
        problems.append("暂缓备案须写明补正期限。")
    if doc.correction_due and doc.filing_result_on and doc.correction_due < doc.filing_result_on:
        problems.append("补正期限早于备案审查日期。")
    if doc.published_on and doc.effective_on:
        minimum = clocks.rule("normative_effect", doc.unit.region).length
        if (
            doc.effective_on - doc.published_on
        ).days < minimum and not doc.early_effect_reason.strip():
            problems.append(
                f"施行日期距公布不足{minimum}日（{doc.published_on}公布，{doc.effective_on}施行），"
                "须说明理由。"
            )
    problems += validity_problems(doc)
    if bool(doc.ended) != bool(doc.ended_on):
        problems.append("修订、废止或失效须同时填写类型和日期。")
    if doc.replaced_by_id is not None:
        if doc.replaced_by_id == doc.pk:
            problems.append("修订后的文件不能是它自己。")
        elif doc.ended != "revised":
            problems.append("只有修订的文件才填写修订后的文件。")
        elif doc.replaced_by.unit_id != doc.unit_id:
            problems.append("修订后的文件须是同一制定机关的文件。")
    return problems


def validity_problems(doc: NormativeDocument) -> list[str]:
    if doc.validity_years is None:
        return []
    rule = clocks.validity(doc.unit.region)
    limit = rule.default_years(doc.title)
    if doc.validity_years < 1:
        return ["有效期至少1年。"]
    if doc.validity_years > limit:
        what = "名称冠以“暂行”“试行”的文件" if rule.is_provisional(doc.title) else "规范性文件"
        note = clocks.unverified_note(rule.verified)
        return [f"{what}有效期一般不超过{limit}年（{rule.basis}{note}）。"]
    return []


# -- 重大行政决策 -------------------------------------------------------------------------


def procedure_problems(procedure: Procedure, today: dt.date) -> list[str]:
    label = PROCEDURE_LABELS[procedure.kind]
    reason = procedure.not_applicable_reason.strip()
    problems: list[str] = []
    if procedure.done_on and reason:
        problems.append(f"“{label}”不能既已完成又不适用。")
    if reason and not MAY_SKIP[procedure.kind]:
        problems.append(f"“{label}”是法定必经程序，不能标记为不适用。")
    if procedure.done_on and procedure.done_on > today:
        problems.append(f"“{label}”完成日期晚于今天。")
    return problems


def missing_procedures(procedures: Iterable[Procedure]) -> list[str]:
    """The procedures not yet recorded as done or not applicable, in statutory order."""
    settled = {p.kind for p in procedures if p.done_on or p.not_applicable_reason.strip()}
    return [p["label"] for p in PROCEDURES if p["code"] not in settled]


def decision_problems(
    decision: MajorDecision, procedures: Iterable[Procedure], today: dt.date
) -> list[str]:
    procedures = list(procedures)
    problems: list[str] = []
    if not decision.title.strip():
        problems.append("请填写决策事项名称。")
    if not 2000 <= decision.year <= today.year + 1:
        problems.append("目录年度无效。")
    problems += _not_in_future(decision, ("decided_on", "archived_on", "evaluated_on"), today)
    for procedure in procedures:
        problems += procedure_problems(procedure, today)
    if decision.decided_on:
        missing = missing_procedures(procedures)
        if missing:
            problems.append(
                "不能标记为已决定：尚未记录“"
                + "”“".join(missing)
                + "”（已完成，或注明不适用及理由）。"
            )
        later = [p for p in procedures if p.done_on and p.done_on > decision.decided_on]
        for p in later:
            problems.append(
                f"“{PROCEDURE_LABELS[p.kind]}”完成于{p.done_on}，晚于决定日期{decision.decided_on}。"
            )
    problems += _needs(decision, "archived_on", "decided_on", "作出决定")
    problems += _needs(decision, "evaluated_on", "decided_on", "作出决定")
    problems += _order(decision, "decided_on", "archived_on")
    problems += _order(decision, "decided_on", "evaluated_on")
    return problems


def consultation_problems(consultation: Consultation, region: str) -> list[str]:
    problems: list[str] = []
    if not consultation.draft.strip():
        problems.append("请填写决策草案。")
    if consultation.closes_on < consultation.opens_on:
        return [*problems, "征求意见截止日期早于开始日期。"]
    rule = clocks.rule("consultation_period", region)
    days = (consultation.closes_on - consultation.opens_on).days
    if days < rule.length and not consultation.short_reason.strip():
        note = clocks.unverified_note(rule.verified)
        problems.append(
            f"征求意见期限{days}日，少于{rule.length}日，须说明理由（{rule.basis}{note}）。"
        )
    if (
        consultation.summary_published_on
        and consultation.summary_published_on < consultation.closes_on
    ):
        problems.append("意见采纳情况说明须在征求意见结束后公布。")
    if consultation.summary_published_on and not consultation.summary.strip():
        problems.append("请填写意见采纳情况说明。")
    return problems


# -- 依申请公开 --------------------------------------------------------------------------


def request_problems(
    req: DisclosureRequest, today: dt.date, calendars: deadlines.Calendars | None = None
) -> list[str]:
    problems: list[str] = []
    problems += _not_in_future(
        req,
        ("submitted_on", "confirmed_on", "correction_requested_on", "correction_received_on",
         "third_party_sent_on", "third_party_replied_on", "extension_approved_on", "replied_on"),
        today,
    )  # fmt: skip
    received = deadlines.received_on(req)
    if received is None and any(
        getattr(req, f)
        for f in (
            "correction_requested_on",
            "third_party_sent_on",
            "extension_approved_on",
            "replied_on",
        )
    ):
        problems.append("请先填写签收或确认日期（该渠道以签收或双方确认之日为收到申请之日）。")
    problems += _order(req, "submitted_on", "confirmed_on")
    if received is not None:
        for field in ("correction_requested_on", "third_party_sent_on", "replied_on"):
            value = getattr(req, field)
            if value is not None and value < received:
                problems.append(
                    f"“{_label(req, field)}”（{value}）早于收到申请之日（{received}）。"
                )
    problems += _needs(req, "correction_received_on", "correction_requested_on")
    problems += _order(req, "correction_requested_on", "correction_received_on")
    problems += _needs(req, "third_party_replied_on", "third_party_sent_on")
    problems += _order(req, "third_party_sent_on", "third_party_replied_on")
    if req.extension_approved_on and not req.extension_approver.strip():
        problems.append("延长答复期限须经政府信息公开工作机构负责人同意，请填写批准人。")
    if req.replied_on and not req.outcome:
        problems.append("请选择办理结果。")
    if req.outcome and not req.replied_on:
        problems.append("请填写答复日期。")
    if req.outcome == "other_no_correction" and not req.correction_requested_on:
        problems.append("“逾期不补正”须先记录告知补正日期。")
    if req.extension_approved_on and received is not None and not problems:
        original = deadlines.reply_deadline(req, calendars or deadlines.Calendars(), extended=False)
        if original.due and req.extension_approved_on > original.due:
            problems.append(
                f"延期须在原答复期限届满（{original.due}）前批准，批准日期为{req.extension_approved_on}。"
            )
    return problems
