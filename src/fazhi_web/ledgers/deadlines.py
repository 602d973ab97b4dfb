"""The clocks of each record, derived from its dates and the platform's calendar.

Nothing here is stored: a deadline, and whether it is met, overdue or due soon, is
computed from the record and the calendar table each time, so an edit to the
calendar moves every running deadline at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fazhi import clocks
from fazhi.calendar import WorkCalendar
from fazhi.clocks import ClockState, Deadline, Pause
from fazhi_web.ledgers.models import (
    DISCLOSURE,
    CalendarDay,
    CalendarYear,
    DayKind,
    DisclosureRequest,
    FilingResult,
    NormativeDocument,
)


def ensure_seeded() -> None:
    """Copy the engine's national calendar into an empty table (a fresh database, or one
    a test has flushed); a table with any year in it is left as its administrators keep it."""
    if not CalendarYear.objects.exists():
        from fazhi_web.ledgers.services import seed_calendar

        seed_calendar()


class Calendars:
    """The working-day calendar of each region, read from the table once per instance."""

    def __init__(self) -> None:
        ensure_seeded()
        self._rows = list(
            CalendarDay.objects.filter(hidden_reason="")
            .order_by("date")
            .values_list("date", "kind", "name", "region")
        )
        self._years = frozenset(CalendarYear.objects.values_list("year", flat=True))
        self._built: dict[str, WorkCalendar] = {}

    def for_region(self, region: str) -> WorkCalendar:
        if region not in self._built:
            holidays: dict[dt.date, str] = {}
            workdays: dict[dt.date, str] = {}
            # National days first, then local ones by longer prefix: the most local wins.
            rows = [r for r in self._rows if not r[3] or region.startswith(r[3])]
            for day, kind, name, _ in sorted(rows, key=lambda r: len(r[3])):
                target, other = (
                    (holidays, workdays) if kind == DayKind.HOLIDAY else (workdays, holidays)
                )
                target[day] = name
                other.pop(day, None)
            self._built[region] = WorkCalendar(holidays, workdays, self._years)
        return self._built[region]


@dataclass(frozen=True)
class Clock:
    """One running or finished time limit of a record, as the screens show it."""

    label: str
    record: Any
    due: dt.date | None
    done_on: dt.date | None
    lines: tuple[str, ...]
    deadline: Deadline | None = None
    # A reminder rather than a statutory limit: it is "due soon" from this day on.
    soon_from: dt.date | None = None
    unannounced: tuple[int, ...] = field(default=())

    def state(self, today: dt.date) -> ClockState:
        if self.deadline is not None:
            return self.deadline.state(today, self.done_on)
        if self.done_on is not None:
            late = self.due is not None and self.done_on > self.due
            return ClockState.LATE if late else ClockState.MET
        if self.due is None:
            return ClockState.PAUSED
        if today > self.due:
            return ClockState.OVERDUE
        if self.soon_from is not None:
            return ClockState.DUE_SOON if today >= self.soon_from else ClockState.RUNNING
        return ClockState.RUNNING


def _clock(label: str, record: Any, deadline: Deadline, done_on: dt.date | None) -> Clock:
    return Clock(
        label, record, deadline.due, done_on, tuple(deadline.explain()), deadline,
        unannounced=deadline.unannounced,
    )  # fmt: skip


# -- 规范性文件 ---------------------------------------------------------------------------


def expires_on(doc: NormativeDocument) -> dt.date | None:
    if doc.effective_on is None:
        return None
    rule = clocks.validity(doc.unit.region)
    return rule.expires_on(doc.effective_on, doc.validity_years or rule.default_years(doc.title))


def document_clocks(
    doc: NormativeDocument, calendars: Calendars, *, open_only: bool = False
) -> list[Clock]:
    """The document's clocks; with `open_only`, only those not yet done (the dashboards)."""
    region = doc.unit.region
    calendar = calendars.for_region(region)
    out: list[Clock] = []
    if doc.review_submitted_on and not (open_only and doc.reviewed_on):
        deadline = clocks.compute(
            clocks.rule("normative_review", region), doc.review_submitted_on, calendar
        )
        out.append(_clock("合法性审核", doc, deadline, doc.reviewed_on))
    if doc.published_on:
        deadline = clocks.compute(
            clocks.rule("normative_filing", region), doc.published_on, calendar
        )
        out.append(_clock("报送备案", doc, deadline, doc.filed_on))
    if doc.filed_on and not (open_only and doc.filing_result_on):
        deadline = clocks.compute(
            clocks.rule("normative_filing_review", region), doc.filed_on, calendar
        )
        out.append(_clock("备案审查", doc, deadline, doc.filing_result_on))
    if doc.filing_result == FilingResult.DEFERRED and doc.correction_due:
        out.append(
            Clock(
                "备案补正",
                doc,
                doc.correction_due,
                None,
                (f"备案机关要求在{doc.correction_due}前补正。",),
            )
        )
    expiry = expires_on(doc)
    if expiry is not None and not doc.ended:
        rule = clocks.validity(region)
        reminder = rule.reminder_on(expiry)
        evaluated = doc.evaluated_on if doc.evaluated_on and doc.evaluated_on >= reminder else None
        lines = (
            f"自{doc.effective_on}施行，有效期{doc.validity_years or rule.default_years(doc.title)}年，"
            f"至{expiry}届满（{rule.basis}{clocks.unverified_note(rule.verified)}）。",
            f"届满前{rule.reminder_months}个月（{reminder}起）应当评估是否继续施行、修订或废止。",
        )
        out.append(Clock("有效期届满评估", doc, expiry, evaluated, lines, soon_from=reminder))
    return out


# -- 依申请公开 ---------------------------------------------------------------------------


def received_on(req: DisclosureRequest) -> dt.date | None:
    """收到申请之日, by the channel's rule (《政府信息公开条例》第三十一条)."""
    rule = DISCLOSURE["channel"].get(req.channel, {})
    return req.submitted_on if rule.get("receipt") == "submitted" else req.confirmed_on


def _third_party_end(req: DisclosureRequest, calendar: WorkCalendar, region: str) -> dt.date | None:
    """The pause for the third party ends with its reply, and at the latest when its 15
    working days run out: after that the agency decides alone (第三十二条)."""
    assert req.third_party_sent_on is not None
    limit = clocks.compute(
        clocks.rule("disclosure_third_party", region), req.third_party_sent_on, calendar
    ).due
    if req.third_party_replied_on and (limit is None or req.third_party_replied_on <= limit):
        return req.third_party_replied_on
    return limit


def reply_deadline(
    req: DisclosureRequest, calendars: Calendars, *, extended: bool | None = None
) -> Deadline:
    region = req.unit.region
    calendar = calendars.for_region(region)
    start = received_on(req)
    assert start is not None
    pauses = []
    if req.correction_requested_on:
        pauses.append(Pause("correction", req.correction_requested_on, req.correction_received_on))
    if req.third_party_sent_on:
        pauses.append(
            Pause("third_party", req.third_party_sent_on, _third_party_end(req, calendar, region))
        )
    if extended is None:
        extended = req.extension_approved_on is not None
    return clocks.compute(
        clocks.rule("disclosure_reply", region), start, calendar, pauses=pauses, extended=extended
    )


def request_clocks(req: DisclosureRequest, calendars: Calendars) -> list[Clock]:
    if received_on(req) is None:
        channel = DISCLOSURE["channel"][req.channel]
        return [
            Clock(
                "答复期限", req, None, req.replied_on,
                (f"尚未填写签收或确认日期：{channel['rule']}。答复期限自该日起算。",),
            )
        ]  # fmt: skip
    out = [_clock("答复期限", req, reply_deadline(req, calendars), req.replied_on)]
    if req.correction_requested_on is not None:
        region = req.unit.region
        notice = clocks.compute(
            clocks.rule("disclosure_correction_notice", region),
            received_on(req),
            calendars.for_region(region),
        )
        out.append(_clock("告知补正", req, notice, req.correction_requested_on))
    return out
