"""The 落款 date a draft proposes, and last year's plan items read from a stored analysis."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from fazhi_web.drafting.services import plan_items, signing_date

D = dt.date


def obligation(level: str, deadline: D, extended_to: D | None = None) -> SimpleNamespace:
    return SimpleNamespace(
        year=2024,
        unit=SimpleNamespace(level=level),
        effective_deadline=extended_to or deadline,
    )


@pytest.mark.parametrize(
    ("level", "deadline", "extended", "today", "expected"),
    [
        ("town", D(2025, 3, 31), None, D(2025, 2, 10), D(2025, 2, 10)),  # in the window: today
        ("town", D(2025, 3, 31), None, D(2024, 12, 2), D(2025, 1, 1)),  # the year not yet over
        ("town", D(2025, 3, 31), None, D(2026, 12, 2), D(2025, 3, 31)),  # drafted late
        ("town", D(2025, 3, 15), None, D(2025, 3, 20), D(2025, 3, 15)),  # the office's deadline
        # An extension does not move the statutory 3月1日 of a department.
        ("department", D(2025, 3, 1), D(2025, 4, 30), D(2025, 4, 2), D(2025, 3, 1)),
    ],
)
def test_the_signing_date_lies_between_the_years_end_and_the_deadline(
    level, deadline, extended, today, expected
):
    assert signing_date(obligation(level, deadline, extended), today) == expected


def test_plan_items_are_the_engines_items_by_heading_or_gist():
    analysis = {
        "plan_items": [
            {"kind": "heading", "heading": "加强执法队伍建设", "summary": "加强执法队伍建设"},
            {"kind": "enumerated", "heading": None, "summary": "创新普法宣传方式"},
        ]
    }
    assert plan_items(analysis) == ["加强执法队伍建设", "创新普法宣传方式"]
    assert plan_items({"plan_items": []}) == []
    assert plan_items(None) == []


def test_an_analysis_stored_before_plan_items_gives_the_plans_numbered_headings():
    analysis = {
        "parts": {"next_year": {"present": True, "sections": ["s4", "s5", "s6", "s7"]}},
        "sections": [
            {"id": "s3", "parent": None, "title": "存在的不足和原因"},
            {"id": "s4", "parent": None, "title": "2021年工作安排"},
            {"id": "s5", "parent": "s4", "title": "加强执法队伍建设"},
            {"id": "s6", "parent": "s5", "title": "组织执法培训"},
            {"id": "s7", "parent": "s4", "title": "创新普法宣传方式"},
        ],
    }
    assert plan_items(analysis) == ["加强执法队伍建设", "创新普法宣传方式"]
