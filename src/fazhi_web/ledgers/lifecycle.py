"""Where a record stands and what happened to it, derived from its dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi_web.ledgers import checks, deadlines
from fazhi_web.ledgers.models import (
    DocumentEnd,
    FilingResult,
    MajorDecision,
    NormativeDocument,
    Procedure,
)

# 规范性文件库 statuses, as the public sees them.
IN_FORCE, NOT_YET, AMENDED, REPEALED, EXPIRED = "现行有效", "尚未施行", "已修改", "已废止", "已失效"
PUBLIC_STATUSES = (IN_FORCE, NOT_YET, AMENDED, REPEALED, EXPIRED)


def document_status(doc: NormativeDocument, today: dt.date) -> str:
    """The status of a published document on a day (empty before publication)."""
    if not doc.published_on:
        return ""
    if doc.ended == DocumentEnd.REVISED:
        return AMENDED
    if doc.ended == DocumentEnd.REPEALED or doc.filing_result == FilingResult.REVOKED:
        return REPEALED
    if doc.ended == DocumentEnd.DECLARED_INVALID:
        return EXPIRED
    expiry = deadlines.expires_on(doc)
    if expiry is not None and today > expiry:
        return EXPIRED
    if doc.effective_on and doc.effective_on > today:
        return NOT_YET
    return IN_FORCE


def document_stage(doc: NormativeDocument) -> str:
    if doc.ended:
        return doc.get_ended_display()
    if doc.filing_result:
        return doc.get_filing_result_display()
    for field, label in (
        ("filed_on", "已报送备案"),
        ("published_on", "已公布"),
        ("deliberated_on", "已集体审议"),
        ("reviewed_on", "已合法性审核"),
        ("review_submitted_on", "合法性审核中"),
    ):
        if getattr(doc, field):
            return label
    return "起草中"


@dataclass(frozen=True)
class Step:
    on: dt.date
    label: str
    detail: str = ""


def document_history(doc: NormativeDocument) -> list[Step]:
    steps = [
        Step(doc.drafted_on, "起草"),
        Step(
            doc.review_submitted_on,
            "送交合法性审核",
            doc.review_unit.name if doc.review_unit else "",
        ),
        Step(doc.reviewed_on, "完成合法性审核", doc.reviewer),
        Step(doc.deliberated_on, "集体审议", doc.deliberation),
        Step(doc.published_on, "公布", doc.doc_number),
        Step(doc.effective_on, "施行", doc.early_effect_reason),
        Step(doc.filed_on, "报送备案", doc.filing_unit.name if doc.filing_unit else ""),
        Step(doc.filing_result_on, "备案审查", doc.get_filing_result_display()),
        Step(doc.evaluated_on, "有效期评估", doc.evaluation_note[:80]),
        Step(doc.ended_on, doc.get_ended_display(), doc.end_note),
    ]
    return sorted((s for s in steps if s.on), key=lambda s: s.on)


def decision_stage(decision: MajorDecision, procedures: list[Procedure]) -> str:
    if decision.evaluated_on:
        return "已后评估"
    if decision.archived_on:
        return "已归档"
    if decision.decided_on:
        return "已决定"
    missing = checks.missing_procedures(procedures)
    if not missing:
        return "待决定"
    return f"履行程序中（尚缺{len(missing)}项）"
