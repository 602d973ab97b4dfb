"""Statutory clocks as data (`data/clocks.toml`): when a time limit ends, and why.

A clock rule names its start event, its length in working or calendar days, what
pauses it (a "suspend" pause does not count; a "restart" pause such as 补正 starts
the count again from the day it ends), what extends it, the rule for a last day
that falls on a rest day, and the provision it comes from. A province or a city
overrides a rule by region prefix.

`compute` returns a `Deadline` that keeps its whole calculation (start, length,
skipped and paused days, the calendar years it relied on) so every screen can
show how a date came about. Whether a deadline is met, overdue or due soon is
derived from it and the day of completion, never stored.
"""

from __future__ import annotations

import calendar as _months
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

from fazhi import data
from fazhi.calendar import DayKind, WorkCalendar, weekday_name

WORKING, CALENDAR = "working", "calendar"
SUSPEND, RESTART = "suspend", "restart"
NEXT_WORKING_DAY, AS_IS = "next_working_day", "as_is"
# Long enough for any statutory limit; a larger number is a typing error.
MAX_LENGTH = 3660


class ClockError(ValueError):
    """A clock cannot be computed from what was given; the message is for the user."""


@dataclass(frozen=True)
class PauseRule:
    slug: str
    name: str
    effect: str
    basis: str = ""
    text: str = ""
    checked: str = ""


@dataclass(frozen=True)
class Extension:
    length: int
    needs: str = ""


@dataclass(frozen=True)
class ClockRule:
    slug: str
    name: str
    start: str
    unit: str
    length: int
    basis: str = ""
    text: str = ""
    checked: str = ""
    verified: bool = True
    # For an unverified rule: what was searched, where, and why it could not be confirmed.
    searched: str = ""
    last_day: str = NEXT_WORKING_DAY
    extension: Extension | None = None
    pauses: Mapping[str, PauseRule] = field(default_factory=dict)

    @property
    def unit_label(self) -> str:
        return "个工作日" if self.unit == WORKING else "日"

    @property
    def summary(self) -> str:
        text = f"{self.start}起{self.length}{self.unit_label}"
        if self.extension:
            text += f"，可延长{self.extension.length}{self.unit_label}"
        return text


def _merged(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _table(table: Mapping[str, Any], region: str) -> dict[str, Any]:
    """The clock data with the overrides of every region prefix of `region`, longest last."""
    result = {k: v for k, v in table.items() if k != "override"}
    overrides = table.get("override", {})
    for prefix in sorted(overrides, key=len):
        if region and region.startswith(prefix):
            result = _merged(result, overrides[prefix])
    return result


def _rule(slug: str, raw: Mapping[str, Any]) -> ClockRule:
    extension = raw.get("extension")
    return ClockRule(
        slug=slug,
        name=raw["name"],
        start=raw["start"],
        unit=raw["unit"],
        length=int(raw["length"]),
        basis=raw.get("basis", ""),
        text=raw.get("text", ""),
        checked=raw.get("checked", ""),
        verified=raw.get("verified", True),
        searched=raw.get("searched", ""),
        last_day=raw.get("last_day", NEXT_WORKING_DAY),
        extension=Extension(int(extension["length"]), extension.get("needs", ""))
        if extension
        else None,
        pauses={
            key: PauseRule(
                key,
                p["name"],
                p["effect"],
                p.get("basis", ""),
                p.get("text", ""),
                p.get("checked", ""),
            )
            for key, p in raw.get("pause", {}).items()
        },
    )


def rules(region: str = "", table: Mapping[str, Any] | None = None) -> dict[str, ClockRule]:
    """Every clock rule as it applies in `region` (e.g. "广东省东莞市")."""
    if table is None:
        return _data_rules(region)
    merged = _table(table, region)
    return {slug: _rule(slug, raw) for slug, raw in merged.get("clock", {}).items()}


@cache
def _data_rules(region: str) -> dict[str, ClockRule]:
    """The rules of the data file, built once per region: a ledger page asks for hundreds."""
    merged = _table(data.load("clocks"), region)
    return {slug: _rule(slug, raw) for slug, raw in merged.get("clock", {}).items()}


def rule(slug: str, region: str = "", table: Mapping[str, Any] | None = None) -> ClockRule:
    found = rules(region, table).get(slug)
    if found is None:
        raise ClockError(f"没有名为“{slug}”的期限规则。")
    return found


def due_soon_working_days() -> int:
    return int(data.load("clocks").get("due_soon_working_days", 5))


def plain(length: int, *, calendar_days: bool = False) -> ClockRule:
    """A clock with no legal source: `fazhi deadline DATE N`."""
    return ClockRule(
        slug="plain",
        name="期限",
        start="起算日",
        unit=CALENDAR if calendar_days else WORKING,
        length=length,
        last_day=NEXT_WORKING_DAY,
    )


@dataclass(frozen=True)
class Pause:
    """A recorded pause of a clock: from `start` to `end` (None while it lasts)."""

    kind: str
    start: dt.date
    end: dt.date | None = None


class ClockState(StrEnum):
    MET = "met"
    LATE = "late"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    RUNNING = "running"
    PAUSED = "paused"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    ClockState.MET: "按时完成",
    ClockState.LATE: "逾期完成",
    ClockState.OVERDUE: "已逾期",
    ClockState.DUE_SOON: "即将到期",
    ClockState.RUNNING: "计时中",
    ClockState.PAUSED: "暂停计时",
}


@dataclass(frozen=True)
class Deadline:
    rule: ClockRule
    start: dt.date
    counting_from: dt.date
    length: int
    due: dt.date | None
    extended: bool = False
    skipped: tuple[tuple[dt.date, str], ...] = ()
    shifted_workdays: tuple[tuple[dt.date, str], ...] = ()
    paused: tuple[Pause, ...] = ()
    open_pause: Pause | None = None
    moved_from: dt.date | None = None
    unannounced: tuple[int, ...] = ()
    calendar: WorkCalendar = field(default_factory=WorkCalendar, repr=False, compare=False)

    @property
    def restarted_by(self) -> Pause | None:
        restarts = [p for p in self.paused if self._effect(p) == RESTART and p.end]
        return max(restarts, key=lambda p: p.end or p.start) if restarts else None

    def _effect(self, pause: Pause) -> str:
        return self.rule.pauses[pause.kind].effect

    def remaining_working_days(self, today: dt.date) -> int | None:
        if self.due is None:
            return None
        return self.calendar.working_days_between(today, self.due)

    def state(self, today: dt.date, done_on: dt.date | None = None) -> ClockState:
        if done_on is not None:
            late = self.due is not None and done_on > self.due
            return ClockState.LATE if late else ClockState.MET
        if self.due is None:
            return ClockState.PAUSED
        if today > self.due:
            return ClockState.OVERDUE
        if (self.remaining_working_days(today) or 0) <= due_soon_working_days():
            return ClockState.DUE_SOON
        return ClockState.RUNNING

    def explain(self) -> list[str]:
        """The calculation, line by line, in Chinese."""
        r = self.rule
        unit = r.unit_label
        lines = [f"起算：{self.start}（{r.start}），自次日起计算{r.length}{unit}。"]
        restart = self.restarted_by
        if restart is not None:
            name = r.pauses[restart.kind].name
            lines.append(f"重新起算：{name}于 {restart.end} 完成，自次日起重新计算。")
        if self.extended and r.extension:
            needs = f"（{r.extension.needs}）" if r.extension.needs else ""
            lines.append(f"延长：{r.extension.length}{unit}{needs}，合计{self.length}{unit}。")
        suspends = [p for p in self.paused if self._effect(p) == SUSPEND]
        for pause in suspends:
            pause_rule = r.pauses[pause.kind]
            until = f"至 {pause.end}" if pause.end else "起，尚未结束"
            basis = f"（{pause_rule.basis}）" if pause_rule.basis else ""
            lines.append(f"暂停：{pause.start}{until}，{pause_rule.name}期间不计入期限{basis}。")
        rest = [(d, why) for d, why in self.skipped if not why.startswith("暂停")]
        if rest:
            lines.append("不计入：" + "；".join(_ranges(rest)) + "。")
        if self.shifted_workdays:
            shifted = "、".join(
                f"{d}（{weekday_name(d)}，{name}调休上班）" for d, name in self.shifted_workdays
            )
            lines.append(f"计入的调休上班日：{shifted}。")
        if self.moved_from is not None and self.due is not None:
            kind = self.calendar.kind(self.moved_from)
            lines.append(
                f"顺延：最后一日（{self.moved_from}）是{kind.label}，顺延至其后第一个工作日"
                f"（{data.load('clocks')['calendar_rule']['basis']}）。"
            )
        if self.unannounced:
            years = "、".join(str(y) for y in self.unannounced)
            lines.append(
                f"注意：{years}年的节假日安排尚未公布，该年只按周末计算，公布后届满日可能变化。"
            )
        if self.due is not None:
            lines.append(f"届满：{self.due}（{weekday_name(self.due)}）。")
        elif self.open_pause is not None:
            name = r.pauses[self.open_pause.kind].name
            lines.append(f"暂停计时：自 {self.open_pause.start} 起{name}，结束后继续计算。")
        if r.basis:
            lines.append(f"依据：{r.basis}{unverified_note(r.verified)}。")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule.slug,
            "name": self.rule.name,
            "start": self.start.isoformat(),
            "counting_from": self.counting_from.isoformat(),
            "unit": self.rule.unit,
            "length": self.length,
            "extended": self.extended,
            "due": self.due.isoformat() if self.due else None,
            "skipped": [{"date": d.isoformat(), "why": why} for d, why in self.skipped],
            "paused": [
                {
                    "kind": p.kind,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat() if p.end else None,
                }
                for p in self.paused
            ],
            "moved_from": self.moved_from.isoformat() if self.moved_from else None,
            "unannounced_years": list(self.unannounced),
            "basis": self.rule.basis,
            "explanation": self.explain(),
        }


def unverified_note(verified: bool) -> str:
    return "" if verified else "（未能核对原文，请按当地规定确认）"


def _ranges(days: Sequence[tuple[dt.date, str]]) -> list[str]:
    """Consecutive days with the same reason as one range: "2024-10-01至2024-10-07 国庆节"."""
    out: list[str] = []
    first = last = days[0][0]
    why = days[0][1]
    for day, reason in [*days[1:], (dt.date.max, "")]:
        if reason == why and day == last + dt.timedelta(days=1):
            last = day
            continue
        span = str(first) if first == last else f"{first}至{last}"
        out.append(f"{span} {why}")
        first = last = day
        why = reason
    return out


def _why_not_counted(calendar: WorkCalendar, day: dt.date) -> str:
    kind = calendar.kind(day)
    if kind == DayKind.HOLIDAY:
        return calendar.name(day)
    return kind.label


def compute(
    rule: ClockRule,
    start: dt.date,
    calendar: WorkCalendar,
    *,
    pauses: Iterable[Pause] = (),
    extended: bool = False,
) -> Deadline:
    """When `rule`, started on `start`, runs out on `calendar` given its pauses."""
    pauses = tuple(sorted(pauses, key=lambda p: p.start))
    for pause in pauses:
        if pause.kind not in rule.pauses:
            raise ClockError(f"“{rule.name}”不能因“{pause.kind}”暂停。")
        if pause.end is not None and pause.end < pause.start:
            raise ClockError(f"暂停结束日 {pause.end} 早于开始日 {pause.start}。")
        if pause.start < start:
            raise ClockError(f"暂停开始日 {pause.start} 早于起算日 {start}。")
    if extended and rule.extension is None:
        raise ClockError(f"“{rule.name}”不能延长。")
    length = rule.length + (rule.extension.length if extended and rule.extension else 0)
    if not 0 < length <= MAX_LENGTH:
        raise ClockError(f"期限长度应在 1 到 {MAX_LENGTH} 之间。")

    counting_from = start
    for pause in pauses:
        if rule.pauses[pause.kind].effect != RESTART:
            continue
        if pause.end is None:
            return Deadline(
                rule, start, counting_from, length, None, extended, (), (), pauses, pause,
                calendar=calendar, unannounced=_unannounced(calendar, [start]),
            )  # fmt: skip
        counting_from = max(counting_from, pause.end)
    suspends = [p for p in pauses if rule.pauses[p.kind].effect == SUSPEND]

    skipped: list[tuple[dt.date, str]] = []
    shifted: list[tuple[dt.date, str]] = []
    walked = [counting_from]
    day = counting_from
    counted = 0
    while counted < length:
        day += dt.timedelta(days=1)
        walked.append(day)
        pausing = next(
            (p for p in suspends if p.start <= day and (p.end is None or day <= p.end)), None
        )
        if pausing is not None:
            if pausing.end is None:
                return Deadline(
                    rule, start, counting_from, length, None, extended, tuple(skipped),
                    tuple(shifted), pauses, pausing, calendar=calendar,
                    unannounced=_unannounced(calendar, walked),
                )  # fmt: skip
            skipped.append((day, "暂停：" + rule.pauses[pausing.kind].name))
            continue
        if rule.unit == WORKING:
            kind = calendar.kind(day)
            if not calendar.is_working_day(day):
                skipped.append((day, _why_not_counted(calendar, day)))
                continue
            if kind == DayKind.SHIFTED_WORKDAY:
                shifted.append((day, calendar.name(day)))
        counted += 1
    due = day
    moved_from = None
    if rule.unit == CALENDAR and rule.last_day == NEXT_WORKING_DAY:
        moved = calendar.next_working_day(due)
        if moved != due:
            moved_from, due = due, moved
            walked.append(due)
    return Deadline(
        rule, start, counting_from, length, due, extended, tuple(skipped), tuple(shifted),
        pauses, None, moved_from, _unannounced(calendar, walked), calendar,
    )  # fmt: skip


def _unannounced(calendar: WorkCalendar, days: Sequence[dt.date]) -> tuple[int, ...]:
    years = range(min(days).year, max(days).year + 1)
    return tuple(y for y in years if not calendar.is_announced(y))


# -- validity (有效期), counted in years ----------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day `months` later (or earlier); the month's end when there is none
    (《民法典》第二百零二条)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _months.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class ValidityRule:
    years: int
    provisional_years: int
    provisional_words: tuple[str, ...]
    reminder_months: int
    basis: str
    checked: str
    text: str = ""
    verified: bool = True
    searched: str = ""

    def is_provisional(self, title: str) -> bool:
        return any(word in title for word in self.provisional_words)

    def default_years(self, title: str) -> int:
        return self.provisional_years if self.is_provisional(title) else self.years

    def expires_on(self, effective_on: dt.date, years: int) -> dt.date:
        """The last day in force: the corresponding day `years` after taking effect."""
        return add_months(effective_on, 12 * years)

    def reminder_on(self, expires_on: dt.date) -> dt.date:
        return add_months(expires_on, -self.reminder_months)


def validity(region: str = "", table: Mapping[str, Any] | None = None) -> ValidityRule:
    return _validity(region, table) if table is not None else _data_validity(region)


@cache
def _data_validity(region: str) -> ValidityRule:
    return _validity(region, data.load("clocks"))


def _validity(region: str, table: Mapping[str, Any]) -> ValidityRule:
    raw = _table(table, region)["validity"]
    return ValidityRule(
        years=int(raw["years"]),
        provisional_years=int(raw["provisional_years"]),
        provisional_words=tuple(raw["provisional_words"]),
        reminder_months=int(raw["reminder_months"]),
        basis=raw.get("basis", ""),
        checked=raw.get("checked", ""),
        text=raw.get("text", ""),
        verified=raw.get("verified", True),
        searched=raw.get("searched", ""),
    )
