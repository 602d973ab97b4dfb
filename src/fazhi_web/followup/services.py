"""Last year's plan beside this year's report, for the review and self-check pages.

Reads only: the unit's report for the year before through the access function,
its plan items from its analysis, this year's version's analysis. Derived on
each read, never stored: a re-analysis or a new version changes it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fazhi.document import Document, Source
from fazhi.pipeline import run as run_pipeline
from fazhi.rules import plan_not_followed
from fazhi_web.followup.matching import NOT_MENTIONED, Followed, follow_up
from fazhi_web.reports.models import Obligation, ReportVersion
from fazhi_web.reports.services import record_read
from fazhi_web.units.access import access_for


@dataclass
class FollowUp:
    last_obligation: Obligation
    last_version: ReportVersion
    rows: list[Followed]
    # plan-not-followed, one per item not mentioned (the engine's finding JSON).
    findings: list[dict[str, Any]]

    @property
    def year(self) -> int:
        return self.last_obligation.year

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def last_years_report(user: Any, obligation: Obligation) -> ReportVersion | None:
    """The submitted, analysed version of the unit's report for the year before, if readable."""
    last = (
        access_for(user)
        .obligations()
        .filter(
            unit_id=obligation.unit_id,
            reporting_year__year=obligation.year - 1,
            current_version__isnull=False,
        )
        .first()
    )
    if last is None or last.current_version is None or not last.current_version.analysed:
        return None
    return last.current_version


def _with_plan_items(version: ReportVersion) -> dict[str, Any]:
    """The version's analysis, with its plan items found afresh if it predates them."""
    analysis = version.analysis
    if "plan_items" in analysis:
        return analysis
    doc = Document(source=Source(version.original_name, version.sha256, "txt"), text=version.text)
    return run_pipeline(doc).to_json()


def plan_followup(user: Any, obligation: Obligation, version: ReportVersion) -> FollowUp | None:
    """How `version` of this year's report reports on last year's plan; None without one.

    The caller has checked that `user` may read `obligation`.
    """
    last_version = last_years_report(user, obligation)
    if last_version is None or not version.analysed:
        return None
    last = _with_plan_items(last_version)
    rows = follow_up(last, version.analysis)
    last_obligation = last_version.obligation
    record_read(user, "read.report", last_obligation, [last_version], shows_findings=False)
    findings = [
        plan_not_followed.finding(
            r.item.get("summary", ""), last_obligation.year, r.item["start"], r.item["end"]
        ).to_json()
        for r in rows
        if r.status == NOT_MENTIONED
    ]
    return FollowUp(last_obligation, last_version, rows, findings)
