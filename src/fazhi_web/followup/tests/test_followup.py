"""Last year's plan on the review and self-check pages, the finding, and who sees it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.followup.matching import NOT_MENTIONED, REPORTED
from fazhi_web.followup.services import plan_followup
from fazhi_web.followup.tests.test_matching import LAST, THIS
from fazhi_web.reports import services
from fazhi_web.reports.models import Obligation, ReportVersion


@pytest.fixture
def two_years(world) -> tuple[Obligation, Obligation]:
    """The town's 2022 report, submitted, and its 2023 report, submitted."""
    services.open_year(world.admin, world.city, 2022)
    services.open_year(world.admin, world.city, 2023)
    obligations = []
    for year, text in ((2022, LAST), (2023, THIS)):
        obligation = Obligation.objects.get(unit=world.town, reporting_year__year=year)
        version = services.paste_version(world.reporter, obligation, text)
        services.submit(world.reporter, obligation, version)
        obligations.append(Obligation.objects.get(pk=obligation.pk))
    return obligations[0], obligations[1]


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_item_of_last_years_plan_with_its_status(world, two_years):
    _, this = two_years
    found = plan_followup(world.reviewer, this, this.current_version)
    assert found is not None and found.year == 2022
    statuses = {r.item["summary"]: r.status for r in found.rows}
    assert statuses["建设镇公共法律服务工作站"] == REPORTED
    assert statuses["新建法治文化公园"] == NOT_MENTIONED


def test_an_item_not_mentioned_is_an_info_finding(world, two_years):
    last, this = two_years
    found = plan_followup(world.reviewer, this, this.current_version)
    assert found is not None
    assert [f["rule"] for f in found.findings] == ["plan-not-followed"]
    finding = found.findings[0]
    assert finding["severity"] == "info"
    assert finding["message"] == "2022年度报告安排的“新建法治文化公园”，本年度报告未见落实情况。"
    # Where the item stands in last year's text; nothing of this year's text to point at.
    data = finding["data"]
    assert last.current_version.text[data["start"] : data["end"]].startswith("(二)新建法治文化公园")
    assert finding["start"] is None


def test_without_last_years_report_there_is_nothing_to_follow(world, two_years):
    last, this = two_years
    Obligation.objects.filter(pk=last.pk).update(current_version=None)
    assert plan_followup(world.reviewer, this, this.current_version) is None
    page = login(world.reviewer).get(reverse("review:report", args=[this.pk]))
    assert "没有本单位2022年度已报送的报告" in page.content.decode()


def test_an_analysis_from_before_plan_items_is_read_afresh(world, two_years):
    last, this = two_years
    old = dict(last.current_version.analysis)
    del old["plan_items"]
    ReportVersion.objects.filter(pk=last.current_version_id).update(analysis=old)
    found = plan_followup(world.reviewer, this, this.current_version)
    assert found is not None and len(found.rows) == 3


def test_reading_last_years_unpublished_report_is_audited(world, two_years):
    last, this = two_years
    before = AuditEntry.objects.filter(action="read.report", object_id=str(last.pk)).count()
    plan_followup(world.reviewer, this, this.current_version)
    after = AuditEntry.objects.filter(action="read.report", object_id=str(last.pk)).count()
    assert after == before + 1


def test_the_reviewer_sees_the_table_on_the_review_page(world, two_years):
    _, this = two_years
    page = login(world.reviewer).get(reverse("review:report", args=[this.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "去年安排 → 今年报告中的落实情况" in html
    assert "新建法治文化公园" in html and "已报告" in html
    # The passage is linked to its paragraph of this year's text.
    assert 'href="#p-3"' in html


def test_the_reporter_sees_the_table_on_the_self_check_page(world, two_years):
    _, this = two_years
    page = login(world.reporter).get(reverse("reports:obligation", args=[this.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "去年安排 → 今年报告中的落实情况" in html
    assert "新建法治文化公园" in html


@pytest.mark.parametrize("who", ["outsider", "other_reviewer", "other_reporter"])
def test_out_of_scope_users_see_neither_page_nor_plan(world, two_years, who):
    _, this = two_years
    user = getattr(world, who)
    client = login(user)
    assert client.get(reverse("review:report", args=[this.pk])).status_code == 404
    assert client.get(reverse("reports:obligation", args=[this.pk])).status_code == 404
    # The service asks the access function for last year's report itself.
    assert plan_followup(user, this, this.current_version) is None
