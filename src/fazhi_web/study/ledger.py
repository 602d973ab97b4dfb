"""The 学法 and 述法 ledgers: one record per session or report, no clocks."""

from __future__ import annotations

import datetime as dt

from fazhi_web.ledgers import casebook, services, sheets
from fazhi_web.ledgers.casebook import CaseLedger, not_in_future
from fazhi_web.ledgers.services import Event
from fazhi_web.study.models import LawReport, StudySession


def session_problems(obj: StudySession, today: dt.date | None = None) -> list[str]:
    out = not_in_future(obj, today or services.today())
    if obj.attendance is not None and obj.attendance < 1:
        out.append("参加人数应当大于0。")
    return out


def report_problems(obj: LawReport, today: dt.date | None = None) -> list[str]:
    return not_in_future(obj, today or services.today())


SESSION_FIELDS = ("kind", "held_on", "topic", "speaker", "audience", "attendance")
REPORT_FIELDS = ("reporter", "reporter_title", "reported_to", "reported_on", "note")
ALIASES = {
    "kind": ("学法形式", "类型"),
    "held_on": ("学习日期", "时间"),
    "topic": ("学习内容", "主题", "内容"),
    "audience": ("参加人员",),
    "attendance": ("人数", "参学人数"),
    "reporter": ("述法人员", "姓名"),
    "reported_to": ("述法会议", "向谁述法"),
    "reported_on": ("日期", "时间"),
}

SESSIONS = CaseLedger(
    sheet=sheets.Ledger(
        "sessions", "学法", StudySession, sheets.columns_of(StudySession, SESSION_FIELDS, ALIASES),
        ("held_on", "topic"), audit_prefix="study_session", problems=session_problems,
        list_url="study:sessions", year_filter=casebook.year_filter("held_on"),
    ),
    namespace="study",
    create_fields=SESSION_FIELDS,
    events={"edit": Event("修改", SESSION_FIELDS, ("kind", "held_on", "topic", "audience", "attendance"))},
    list_fields=("kind", "held_on", "topic", "audience", "attendance"),
)  # fmt: skip

REPORTS = CaseLedger(
    sheet=sheets.Ledger(
        "law_reports", "述法", LawReport, sheets.columns_of(LawReport, REPORT_FIELDS, ALIASES),
        ("reporter", "reported_on"), audit_prefix="law_report", problems=report_problems,
        list_url="study:law_reports", year_filter=casebook.year_filter("reported_on"),
    ),
    namespace="study",
    create_fields=REPORT_FIELDS,
    events={"edit": Event("修改", REPORT_FIELDS, ("reporter", "reporter_title", "reported_to", "reported_on"))},
    list_fields=("reporter", "reporter_title", "reported_to", "reported_on"),
)  # fmt: skip
