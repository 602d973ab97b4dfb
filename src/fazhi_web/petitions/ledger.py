"""The 信访 and 12345 ledgers: their steps, checks, clocks and sheet columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from fazhi import clocks as engine_clocks
from fazhi_web.ledgers import casebook, deadlines, services, sheets
from fazhi_web.ledgers.casebook import CaseLedger, in_order, not_in_future, statutory
from fazhi_web.ledgers.services import Event
from fazhi_web.petitions.models import HotlineCategory, HotlineOrder, Petition


def petition_problems(obj: Petition, today: dt.date | None = None) -> list[str]:
    out = not_in_future(obj, today or services.today())
    out += in_order(obj, "received_on", "accepted_on", "concluded_on", "review_requested_on",
                    "reviewed_on", "recheck_requested_on", "rechecked_on")  # fmt: skip
    out += in_order(obj, "received_on", "not_accepted_on")
    if obj.accepted_on and obj.not_accepted_on:
        out.append("同一信访事项不能既受理又不予受理。")
    if obj.concluded_on and not obj.accepted_on:
        out.append("尚未受理的信访事项不能办结。")
    if obj.extension_approved_on and not obj.accepted_on:
        out.append("延长办理期限须在受理后。")
    if obj.review_requested_on and not obj.concluded_on:
        out.append("办结后才有复查。")
    if obj.recheck_requested_on and not obj.reviewed_on:
        out.append("复查意见作出后才有复核。")
    return out


def petition_clocks(obj: Petition, calendars: deadlines.Calendars) -> list[Any]:
    out = [
        statutory("决定是否受理", obj, "petition_acceptance", obj.received_on, calendars,
                  obj.accepted_on or obj.not_accepted_on)
    ]  # fmt: skip
    if obj.accepted_on:
        out.append(
            statutory("办结", obj, "petition_conclusion", obj.accepted_on, calendars,
                      obj.concluded_on, extended=obj.extension_approved_on is not None)
        )  # fmt: skip
    if obj.review_requested_on:
        out.append(statutory("复查", obj, "petition_review", obj.review_requested_on, calendars,
                             obj.reviewed_on))  # fmt: skip
    if obj.recheck_requested_on:
        out.append(statutory("复核", obj, "petition_recheck", obj.recheck_requested_on, calendars,
                             obj.rechecked_on))  # fmt: skip
    return out


def category_of(order: HotlineOrder) -> HotlineCategory | None:
    """The order's category as it applies in the unit's region: the most local row wins."""
    region = order.unit.region
    rows = HotlineCategory.objects.filter(name=order.category, hidden_reason="")
    found = [c for c in rows if not c.region or region.startswith(c.region)]
    return max(found, key=lambda c: len(c.region)) if found else None


def hotline_problems(obj: HotlineOrder, today: dt.date | None = None) -> list[str]:
    out = not_in_future(obj, today or services.today())
    out += in_order(obj, "dispatched_on", "closed_on")
    if obj.category and category_of(obj) is None:
        known = "、".join(
            sorted({c.name for c in HotlineCategory.objects.filter(hidden_reason="")})
        )
        out.append(f"工单类别“{obj.category}”不在工单类别时限表中（现有：{known or '无'}）。")
    if obj.satisfaction and not obj.closed_on:
        out.append("办结后才有回访评价。")
    return out


def hotline_clocks(obj: HotlineOrder, calendars: deadlines.Calendars) -> list[Any]:
    category = category_of(obj)
    if category is None:
        return []
    rule = engine_clocks.ClockRule(
        slug="hotline", name=f"{category.name}工单办理时限", start="派单之日",
        unit=category.limit_unit, length=category.limit_length, basis=category.source,
    )  # fmt: skip
    region = obj.unit.region
    deadline = engine_clocks.compute(rule, obj.dispatched_on, calendars.for_region(region))
    return [
        deadlines.Clock("办结", obj, deadline.due, obj.closed_on, tuple(deadline.explain()),
                        deadline, unannounced=deadline.unannounced)
    ]  # fmt: skip


PETITION_FIELDS = (
    "number", "petitioner", "channel", "content", "received_on", "accepted_on", "not_accepted_on",
    "extension_approved_on", "concluded_on", "result", "satisfaction", "review_requested_on",
    "reviewed_on", "recheck_requested_on", "rechecked_on",
)  # fmt: skip
# The columns of the hotline system's work-order export, with the names it gives them.
HOTLINE_FIELDS = ("number", "category", "content", "dispatched_on", "closed_on", "satisfaction")
ALIASES = {
    "number": ("编号", "工单号", "信访编号"),
    "received_on": ("登记日期", "来信来访日期"),
    "concluded_on": ("办结时间",),
    "category": ("诉求类别", "工单类型", "类别"),
    "content": ("诉求描述", "内容"),
    "dispatched_on": ("派单时间", "交办日期", "受理时间"),
    "closed_on": ("办结时间", "结案日期"),
    "satisfaction": ("满意度", "回访结果"),
}

PETITIONS = CaseLedger(
    sheet=sheets.Ledger(
        "petitions", "信访", Petition, sheets.columns_of(Petition, PETITION_FIELDS, ALIASES),
        ("number",), audit_prefix="petition", problems=petition_problems,
        list_url="petitions:petitions", year_filter=casebook.year_filter("received_on"),
    ),
    namespace="petitions",
    create_fields=("number", "petitioner", "channel", "content", "received_on"),
    events={
        "edit": Event("修改基本信息", ("number", "petitioner", "channel", "content", "received_on")),
        "accept": Event("受理", ("accepted_on",), ("accepted_on",)),
        "not_accept": Event("不予受理并告知", ("not_accepted_on",), ("not_accepted_on",)),
        "extend": Event("延长办理期限", ("extension_approved_on",), ("extension_approved_on",)),
        "conclude": Event("办结", ("concluded_on", "result", "satisfaction"),
                          ("concluded_on", "result")),
        "review": Event("复查", ("review_requested_on", "reviewed_on"), ("review_requested_on",)),
        "recheck": Event("复核", ("recheck_requested_on", "rechecked_on"),
                         ("recheck_requested_on",)),
    },
    list_fields=("channel", "received_on", "accepted_on", "concluded_on", "satisfaction"),
    clocks=petition_clocks,
    open_q=Q(rechecked_on__isnull=True),
)  # fmt: skip

HOTLINE = CaseLedger(
    sheet=sheets.Ledger(
        "hotline", "12345热线工单", HotlineOrder,
        sheets.columns_of(HotlineOrder, HOTLINE_FIELDS, ALIASES), ("number",),
        audit_prefix="hotline_order", problems=hotline_problems, list_url="petitions:hotline",
        year_filter=casebook.year_filter("dispatched_on"),
    ),
    namespace="petitions",
    create_fields=("number", "category", "content", "dispatched_on"),
    events={
        "edit": Event("修改工单信息", ("number", "category", "content", "dispatched_on")),
        "close": Event("办结", ("closed_on",), ("closed_on",)),
        "evaluate": Event("记录回访评价", ("satisfaction",), ("satisfaction",)),
    },
    list_fields=("category", "dispatched_on", "closed_on", "satisfaction"),
    clocks=hotline_clocks,
    open_q=Q(closed_on__isnull=True),
)  # fmt: skip
