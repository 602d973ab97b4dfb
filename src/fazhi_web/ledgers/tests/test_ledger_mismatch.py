"""`ledger-mismatch`: the report's stated indicators against the unit's case ledgers, on
the review page and the self-check page, with the records behind the ledger's figure."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.rules import by_slug, ledger_mismatch
from fazhi_web.disputes.ledger import LITIGATIONS
from fazhi_web.ledgers import casebook, figures
from fazhi_web.ledgers.tests.conftest import D, client_for
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation
from fazhi_web.study.ledger import SESSIONS


@pytest.fixture
def handed_in(world, seed_bytes):
    """清溪镇's real report (it states 4 lawsuits and 7 study sessions), for 2023."""
    report_services.open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    version = report_services.upload_version(
        world.reporter, obligation, "清溪镇.txt", seed_bytes["002"]
    )
    report_services.submit(world.reporter, obligation, version)
    obligation.refresh_from_db()
    return obligation


def suits(world, n):
    for i in range(n):
        casebook.create(world.reporter, LITIGATIONS, world.town,
                        {"number": f"(2023)行初{i}号", "court": "南湖区人民法院", "stage": "first",
                         "plaintiff": "某公司", "filed_on": D("2023-03-01")})  # fmt: skip


def sessions(world, n):
    for i in range(n):
        casebook.create(world.reporter, SESSIONS, world.town,
                        {"kind": "lecture", "held_on": D(f"2023-0{i + 1}-10"), "topic": f"第{i}讲",
                         "audience": "班子成员", "attendance": 12})  # fmt: skip


def test_the_rule_is_documented_for_fazhi_rules_and_agrees_by_its_tolerance():
    assert by_slug("ledger-mismatch") is ledger_mismatch
    assert ledger_mismatch.TEXT.summary and "台账" in ledger_mismatch.TEXT.explanation
    assert ledger_mismatch.agrees("hotline_close_rate", 96.3, 96.7)
    assert not ledger_mismatch.agrees("hotline_close_rate", 96.0, 96.7)
    assert not ledger_mismatch.agrees("hotline_closed", 3019, 3018)


def test_agreeing_ledgers_give_no_finding_and_a_mismatch_shows_both_numbers(world, handed_in):
    stated = {v.indicator: v.value for v in handed_in.values.all()}
    assert stated["administrative_litigation"] == 4 and stated["study_sessions"] == 7
    suits(world, 4)
    sessions(world, 7)
    assert figures.mismatches(stated, world.town, 2023) == []
    casebook.create(world.reporter, LITIGATIONS, world.town,
                    {"number": "(2023)行初9号", "court": "东江市中级人民法院", "stage": "second",
                     "plaintiff": "某公司", "filed_on": D("2023-09-01")})  # fmt: skip
    [found] = figures.mismatches(stated, world.town, 2023)
    assert found.message == "报告所述“行政诉讼案件数”为4，台账记录为5（相差1）。"
    assert found.rule_name == "报告数据与台账不一致" and found.severity == "warning"


def test_the_review_page_shows_the_finding_and_links_to_the_records(world, handed_in):
    suits(world, 3)
    page = client_for(world.reviewer).get(reverse("review:report", args=[handed_in.pk]))
    html = page.content.decode()
    assert 'data-rule="ledger-mismatch"' in html
    assert "报告所述“行政诉讼案件数”为4，台账记录为3（相差1）。" in html
    link = (reverse("disputes:litigations")
            + f"?unit={world.town.pk}&amp;year=2023&amp;figure=administrative_litigation")  # fmt: skip
    assert link in html
    records = client_for(world.reviewer).get(link.replace("&amp;", "&")).content.decode()
    assert records.count("(2023)行初") == 3


def test_the_self_check_shows_it_to_the_unit_before_it_hands_in(world, seed_bytes):
    report_services.open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    report_services.upload_version(world.reporter, obligation, "草稿.txt", seed_bytes["002"])
    sessions(world, 5)
    html = client_for(world.reporter).get(reverse("reports:obligation", args=[obligation.pk]))
    assert "报告所述“领导干部学法次数”为7，台账记录为5（相差2）。" in html.content.decode()


def test_a_unit_that_keeps_no_ledger_gets_no_finding(world, handed_in):
    html = client_for(world.reviewer).get(reverse("review:report", args=[handed_in.pk]))
    assert 'data-rule="ledger-mismatch"' not in html.content.decode()
