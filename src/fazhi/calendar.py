"""The working-day calendar: weekends, 法定节假日 and 调休 working days.

Seeded from `data/calendar/national.toml` (scripts/seed_calendar.py writes it from
chinesecalendar). A year missing from the data is one whose arrangement the State
Council has not announced yet: the calendar still answers for it by weekends alone,
and says so (`is_announced`), so that every deadline that depends on it is flagged
rather than guessed in silence. The platform builds its calendar from its own
editable table with `WorkCalendar.from_days`, adding local holidays.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    SHIFTED_WORKDAY = "shifted_workday"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    DayKind.WORKDAY: "工作日",
    DayKind.WEEKEND: "周末",
    DayKind.HOLIDAY: "法定节假日",
    DayKind.SHIFTED_WORKDAY: "调休上班日",
}
WEEKDAYS = "一二三四五六日"
# Where the national data comes from, for records copied out of it.
NATIONAL_SOURCE = "国务院办公厅每年发布的部分节假日安排通知（经 chinesecalendar 整理）"


def weekday_name(day: dt.date) -> str:
    return "星期" + WEEKDAYS[day.weekday()]


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days. Holidays and shifted working days carry a name."""

    holidays: Mapping[dt.date, str] = field(default_factory=dict)
    workdays: Mapping[dt.date, str] = field(default_factory=dict)
    announced: frozenset[int] = frozenset()

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> WorkCalendar:
        """From the TOML layout: `[YEAR.holidays]` and `[YEAR.workdays]`, date = name."""
        holidays: dict[dt.date, str] = {}
        workdays: dict[dt.date, str] = {}
        announced: set[int] = set()
        for year, tables in data.items():
            if not (isinstance(tables, dict) and str(year).isdigit()):
                continue
            announced.add(int(year))
            for raw, name in tables.get("holidays", {}).items():
                holidays[dt.date.fromisoformat(raw)] = name
            for raw, name in tables.get("workdays", {}).items():
                workdays[dt.date.fromisoformat(raw)] = name
        return cls(holidays, workdays, frozenset(announced))

    @classmethod
    def from_days(
        cls,
        holidays: Iterable[tuple[dt.date, str]],
        workdays: Iterable[tuple[dt.date, str]],
        announced: Iterable[int],
    ) -> WorkCalendar:
        return cls(dict(holidays), dict(workdays), frozenset(announced))

    def kind(self, day: dt.date) -> DayKind:
        if day in self.holidays:
            return DayKind.HOLIDAY
        if day in self.workdays:
            return DayKind.SHIFTED_WORKDAY
        return DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY

    def is_working_day(self, day: dt.date) -> bool:
        return self.kind(day) in (DayKind.WORKDAY, DayKind.SHIFTED_WORKDAY)

    def name(self, day: dt.date) -> str:
        """The holiday a day belongs to, or is shifted for; empty for ordinary days."""
        return self.holidays.get(day) or self.workdays.get(day) or ""

    def is_announced(self, year: int) -> bool:
        return year in self.announced

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def _read(name: str) -> dict[str, Any]:
    path = resources.files("fazhi.data").joinpath("calendar", name)
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def national() -> WorkCalendar:
    """The national calendar as the data file has it."""
    return WorkCalendar.from_data(_read("national.toml"))
