"""The 行政复议 and 行政应诉 ledgers: their steps, checks, clocks and sheet columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse

from fazhi_web.disputes.models import Litigation, Reconsideration
from fazhi_web.ledgers import casebook, deadlines, services, sheets
from fazhi_web.ledgers.casebook import CaseLedger, in_order, not_in_future, statutory
from fazhi_web.ledgers.services import Event


def reconsideration_problems(obj: Reconsideration, today: dt.date | None = None) -> list[str]:
    out = not_in_future(obj, today or services.today())
    out += in_order(obj, "received_on", "accepted_on", "decided_on")
    out += in_order(obj, "received_on", "refused_on")
    if obj.accepted_on and obj.refused_on:
        out.append("同一申请不能既受理又不予受理。")
    if obj.refused_on and not obj.refusal_reason:
        out.append("不予受理的，请填写理由。")
    if obj.decided_on and not obj.accepted_on:
        out.append("尚未受理的申请不能作出复议决定。")
    if bool(obj.decided_on) != bool(obj.outcome):
        out.append("决定日期和决定结果应当同时填写。")
    if obj.extension_approved_on and not (obj.accepted_on and obj.extension_approver):
        out.append("延长审理期限须在受理后，并填写批准人。")
    return out


def reconsideration_clocks(obj: Reconsideration, calendars: deadlines.Calendars) -> list[Any]:
    out = [
        statutory("受理审查", obj, "reconsideration_acceptance", obj.received_on, calendars,
                  obj.accepted_on or obj.refused_on)
    ]  # fmt: skip
    if obj.accepted_on:
        out.append(
            statutory("作出复议决定", obj, "reconsideration_decision", obj.accepted_on, calendars,
                      obj.decided_on, extended=obj.extension_approved_on is not None)
        )  # fmt: skip
    return out


def litigation_problems(obj: Litigation, today: dt.date | None = None) -> list[str]:
    out = not_in_future(obj, today or services.today())
    out += in_order(obj, "filed_on", "concluded_on")
    if bool(obj.concluded_on) != bool(obj.outcome):
        out.append("结案日期和裁判结果应当同时填写。")
    return out


RECONSIDERATION_FIELDS = (
    "number", "applicant", "respondent", "matter", "received_on", "accepted_on", "refused_on",
    "refusal_reason", "extension_approved_on", "extension_approver", "decided_on", "outcome",
    "outcome_note",
)  # fmt: skip
LITIGATION_FIELDS = (
    "number", "court", "stage", "plaintiff", "matter", "filed_on", "concluded_on", "outcome",
    "outcome_note",
)  # fmt: skip
ALIASES = {
    "number": ("编号", "案件编号"),
    "received_on": ("申请日期", "收案日期"),
    "decided_on": ("结案日期", "审结日期"),
    "outcome": ("结案方式", "处理结果"),
    "court": ("法院",),
    "filed_on": ("立案日期", "收到起诉状副本日期"),
}

RECONSIDERATIONS = CaseLedger(
    sheet=sheets.Ledger(
        "reconsiderations", "行政复议", Reconsideration,
        sheets.columns_of(Reconsideration, RECONSIDERATION_FIELDS, ALIASES), ("number",),
        audit_prefix="reconsideration", problems=reconsideration_problems,
        list_url="disputes:reconsiderations", year_filter=casebook.year_filter("received_on"),
    ),
    namespace="disputes",
    create_fields=("number", "applicant", "respondent", "matter", "received_on"),
    events={
        "edit": Event("修改基本信息", ("number", "applicant", "respondent", "matter", "received_on")),
        "accept": Event("受理", ("accepted_on",), ("accepted_on",)),
        "refuse": Event("不予受理", ("refused_on", "refusal_reason"), ("refused_on", "refusal_reason")),
        "extend": Event("延长审理期限", ("extension_approved_on", "extension_approver"),
                        ("extension_approved_on", "extension_approver")),
        "decide": Event("作出复议决定", ("decided_on", "outcome", "outcome_note"),
                        ("decided_on", "outcome")),
    },
    list_fields=("applicant", "respondent", "received_on", "accepted_on", "decided_on", "outcome"),
    clocks=reconsideration_clocks,
    open_q=Q(decided_on__isnull=True, refused_on__isnull=True),
)  # fmt: skip

LITIGATIONS = CaseLedger(
    sheet=sheets.Ledger(
        "litigations", "行政应诉", Litigation,
        sheets.columns_of(Litigation, LITIGATION_FIELDS, ALIASES), ("number",),
        audit_prefix="litigation", problems=litigation_problems,
        list_url="disputes:litigations", year_filter=casebook.year_filter("filed_on"),
    ),
    namespace="disputes",
    create_fields=("number", "court", "stage", "plaintiff", "matter", "filed_on"),
    events={
        "edit": Event("修改基本信息", ("number", "court", "stage", "plaintiff", "matter", "filed_on")),
        "conclude": Event("记录裁判结果", ("concluded_on", "outcome", "outcome_note"),
                          ("concluded_on", "outcome")),
    },
    list_fields=("court", "stage", "plaintiff", "filed_on", "outcome"),
    extra_actions=lambda obj: [("记录开庭", reverse("disputes:hearing_new", args=[obj.pk]))],
    children=(("开庭与负责人出庭", "hearings", ("held_on", "head_appeared", "head_name", "head_title")),),
)  # fmt: skip
