"""An indicator value a reviewer confirmed (已核对) stays confirmed only while it is unchanged.

`rebuild_indicators` runs on every submission, correction, confirmation and
re-analysis; a confirmation confirms one value and unit, not the indicator.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from fazhi_web.reports import services
from fazhi_web.reports.models import IndicatorValue, Obligation, ReportVersion
from fazhi_web.reports.tests.conftest import REPORT_TEXT
from fazhi_web.review import services as review
from fazhi_web.review.models import IndicatorConfirmation

# REPORT_TEXT states 专题学法12次, 行政检查320次 and 行政处罚45宗.
FIFTEEN = REPORT_TEXT.replace("学法12次", "学法15次")


def hand_in(world, obligation: Obligation, text: str) -> ReportVersion:
    version = services.upload_version(world.reporter, obligation, "清河镇.txt", text.encode())
    services.submit(world.reporter, obligation, version)
    obligation.refresh_from_db()
    return version


def resubmit(world, obligation: Obligation, text: str) -> ReportVersion:
    review.return_report(world.reviewer, obligation, "请核对学法次数")
    return hand_in(world, obligation, text)


def state(obligation: Obligation, indicator: str) -> tuple[float, bool, bool]:
    v = IndicatorValue.objects.get(obligation=obligation, indicator=indicator)
    return v.value, v.corrected, v.confirmed


@pytest.fixture
def confirmed(world, obligation) -> Obligation:
    """The town's report, its 学法次数 (12次) confirmed by the reviewer."""
    hand_in(world, obligation, REPORT_TEXT)
    assert state(obligation, "study_sessions") == (12, False, False)
    review.confirm_indicator(world.reviewer, obligation, "study_sessions")
    return obligation


def test_a_confirmation_marks_only_its_indicator(world, confirmed):
    assert state(confirmed, "study_sessions") == (12, False, True)
    assert state(confirmed, "enforcement_inspections") == (320, False, False)


def test_a_new_version_with_another_value_is_unchecked_again(world, confirmed):
    resubmit(world, confirmed, FIFTEEN)
    assert state(confirmed, "study_sessions") == (15, False, False)
    # The confirmation is kept (the record of what was checked), it just no longer applies.
    assert IndicatorConfirmation.objects.get(obligation=confirmed).value == 12


def test_a_new_version_with_the_same_value_stays_confirmed(world, confirmed):
    resubmit(world, confirmed, REPORT_TEXT.replace("行政检查320次", "行政检查330次"))
    assert state(confirmed, "study_sessions") == (12, False, True)
    assert state(confirmed, "enforcement_inspections") == (330, False, False)


def test_only_the_latest_confirmation_counts(world, confirmed):
    resubmit(world, confirmed, FIFTEEN)
    review.confirm_indicator(world.reviewer, confirmed, "study_sessions")
    assert state(confirmed, "study_sessions") == (15, False, True)
    # Back to 12: the 12 was confirmed once, but the latest check was of 15.
    resubmit(world, confirmed, REPORT_TEXT)
    assert state(confirmed, "study_sessions") == (12, False, False)


def test_another_unit_is_another_value(world, confirmed):
    """The same value with another unit is not what was confirmed."""
    IndicatorConfirmation.objects.filter(obligation=confirmed).update(unit="场")
    services.rebuild_indicators(confirmed)
    assert state(confirmed, "study_sessions") == (12, False, False)


def test_a_later_correction_ends_the_confirmation(world, confirmed):
    review.correct_indicator(world.reviewer, confirmed, "study_sessions", 13, "次", "含专题讲座")
    # The corrected value is the reviewer's own: corrected, never also confirmed.
    assert state(confirmed, "study_sessions") == (13, True, False)
    resubmit(world, confirmed, REPORT_TEXT)
    assert state(confirmed, "study_sessions") == (13, True, False)


def test_reanalysis_keeps_a_confirmation_of_an_unchanged_value(world, confirmed):
    """A rule change re-analyses the version and rebuilds its values (as test_reanalyze)."""
    version = confirmed.current_version
    older = {**version.analysis, "score": {"total": 1.0}}
    older["indicators"] = {**older["indicators"], "study_sessions": {"value": 11, "unit": "次"}}
    ReportVersion.objects.filter(pk=version.pk).update(analysis=older, score=1.0)
    services.rebuild_indicators(Obligation.objects.get(pk=confirmed.pk))
    assert state(confirmed, "study_sessions") == (11, False, False)
    out = StringIO()
    call_command("reanalyze", stdout=out)
    assert "已重新分析 1/1" in out.getvalue()
    assert state(confirmed, "study_sessions") == (12, False, True)
