"""The 建议提案 ledger: 交办 → 办复 within the local limit (clock `proposal_reply`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from fazhi_web.ledgers import casebook, deadlines, services, sheets
from fazhi_web.ledgers.casebook import CaseLedger, in_order, not_in_future, statutory
from fazhi_web.ledgers.services import Event
from fazhi_web.proposals.models import Proposal


def proposal_problems(obj: Proposal, today: dt.date | None = None) -> list[str]:
    out = not_in_future(obj, today or services.today())
    out += in_order(obj, "assigned_on", "replied_on")
    if obj.satisfaction and not obj.replied_on:
        out.append("办复后才有代表委员的评价。")
    return out


def proposal_clocks(obj: Proposal, calendars: deadlines.Calendars) -> list[Any]:
    return [statutory("办复", obj, "proposal_reply", obj.assigned_on, calendars, obj.replied_on)]


def on_time(obj: Proposal, calendars: deadlines.Calendars) -> bool:
    clock = proposal_clocks(obj, calendars)[0]
    return obj.replied_on is not None and clock.due is not None and obj.replied_on <= clock.due


FIELDS = ("kind", "number", "title", "proposer", "assigned_on", "replied_on", "satisfaction")
ALIASES = {
    "kind": ("建议提案类别",),
    "number": ("建议号", "提案号"),
    "title": ("建议标题", "提案标题", "案由"),
    "proposer": ("领衔代表", "提案人"),
    "assigned_on": ("交办时间",),
    "replied_on": ("答复日期", "办结日期"),
    "satisfaction": ("满意度", "反馈意见"),
}

PROPOSALS = CaseLedger(
    sheet=sheets.Ledger(
        "proposals", "建议提案", Proposal, sheets.columns_of(Proposal, FIELDS, ALIASES),
        ("kind", "number"), audit_prefix="proposal", problems=proposal_problems,
        list_url="proposals:proposals", year_filter=casebook.year_filter("assigned_on"),
    ),
    namespace="proposals",
    create_fields=("kind", "number", "title", "proposer", "assigned_on"),
    events={
        "edit": Event("修改基本信息", ("kind", "number", "title", "proposer", "assigned_on")),
        "reply": Event("办复", ("replied_on",), ("replied_on",)),
        "evaluate": Event("记录代表委员评价", ("satisfaction",), ("satisfaction",)),
    },
    list_fields=("kind", "title", "assigned_on", "replied_on", "satisfaction"),
    clocks=proposal_clocks,
    open_q=Q(replied_on__isnull=True),
)  # fmt: skip
