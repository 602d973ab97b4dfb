from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation, ReportingYear, ReportVersion, State
from fazhi_web.review import services as review_services
from fazhi_web.review.tests.conftest import hand_in, obligation_of
from fazhi_web.units.models import Level, Unit

pytestmark = pytest.mark.django_db


def board(client, **params):
    return client.get(reverse("review:board"), params)


def test_counts_overdue_and_late_follow_the_clock(client, world, at, seed_bytes):
    at(dt.date(2024, 1, 10))
    cycle = report_services.open_year(world.admin, world.city, 2023)
    # The bureau (a department, deadline 1 March) hands in on time.
    hand_in(world.admin, obligation_of(cycle, world.bureau), seed_bytes["003"])
    at(dt.date(2024, 4, 5))
    # The town (deadline 31 March) hands in five days late.
    hand_in(world.reporter, obligation_of(cycle, world.town), seed_bytes["002"])
    at(dt.date(2024, 4, 10))
    client.force_login(world.reviewer)
    response = board(client)
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts["total"] == 4
    assert counts[State.SUBMITTED] == 2
    assert counts[State.PENDING] == 2
    # district and district_bureau have not reported and are past their deadlines.
    assert counts["overdue"] == 2
    rows = {ob.unit.name: ob for ob in response.context["obligations"]}
    assert rows["东江市南湖区"].overdue and not rows["东江市南湖区"].late
    assert rows["南湖区清河镇"].late and not rows["南湖区清河镇"].overdue
    assert not rows["东江市司法局"].late
    html = response.content.decode()
    assert "逾期报送" in html and "逾期" in html
    assert rows["南湖区清河镇"].open_errors == 0

    # Before the deadlines nothing is overdue: nothing was stored, the clock decides.
    at(dt.date(2024, 2, 1))
    response = board(client)
    assert response.context["counts"]["overdue"] == 0
    assert not any(ob.overdue for ob in response.context["obligations"])


def test_extension_moves_the_deadline_and_stops_the_overdue_flag(client, world, at):
    at(dt.date(2024, 1, 10))
    cycle = report_services.open_year(world.admin, world.city, 2023)
    district = obligation_of(cycle, world.district)
    at(dt.date(2024, 4, 10))
    client.force_login(world.reviewer)
    assert board(client).context["counts"]["overdue"] == 4

    response = client.post(
        reverse("review:extend", args=[district.pk]),
        {"until": "2024-05-15", "reason": "机构改革", "next": "/review/?year=2023"},
    )
    assert response.status_code == 302 and response["Location"] == "/review/?year=2023"
    district.refresh_from_db()
    assert district.extended_to == dt.date(2024, 5, 15)
    assert AuditEntry.objects.filter(
        action="obligation.extend", object_id=str(district.pk)
    ).exists()

    response = board(client)
    assert response.context["counts"]["overdue"] == 3
    row = next(ob for ob in response.context["obligations"] if ob.pk == district.pk)
    assert not row.overdue
    html = response.content.decode()
    assert "已延期至 2024年5月15日（机构改革）" in html
    # Only overdue rows under ?overdue=1; the extended district is not one of them.
    response = board(client, overdue="1")
    assert district.pk not in [ob.pk for ob in response.context["obligations"]]
    assert len(response.context["obligations"]) == 3

    at(dt.date(2024, 5, 16))
    client.force_login(world.reviewer)  # the session from April has expired
    assert board(client).context["counts"]["overdue"] == 4


def test_extension_is_refused_without_reason_and_before_deadline(client, world, cycle):
    town = obligation_of(cycle, world.town)
    client.force_login(world.reviewer)
    url = reverse("review:extend", args=[town.pk])
    response = client.post(url, {"until": "2024-05-15", "reason": ""}, follow=True)
    assert "延期原因" in response.content.decode()
    response = client.post(url, {"until": "2024-01-15", "reason": "x"}, follow=True)
    assert "延期后的日期应晚于原截止日期" in response.content.decode()
    town.refresh_from_db()
    assert town.extended_to is None
    # An unsafe next is ignored.
    response = client.post(
        url, {"until": "2024-05-15", "reason": "x", "next": "https://evil.example/"}
    )
    assert response["Location"].startswith("/review/")


def test_filters_by_state_and_level(client, world, scene):
    client.force_login(world.reviewer)
    response = board(client, state="submitted")
    assert [ob.unit.name for ob in response.context["obligations"]] == ["南湖区清河镇"]
    response = board(client, level=Level.DEPARTMENT)
    names = {ob.unit.name for ob in response.context["obligations"]}
    assert names == {"东江市司法局", "南湖区市场监督管理局"}
    # Counts at the top stay those of the whole year.
    assert response.context["counts"]["total"] == 4


def test_open_error_findings_count_skips_dismissed(client, world, scene):
    client.force_login(world.reviewer)
    row = next(ob for ob in board(client).context["obligations"] if ob.pk == scene.town.pk)
    assert row.open_errors == 1
    index = next(
        i for i, f in enumerate(scene.version.analysis["findings"]) if f["rule"] == "private-info"
    )
    review_services.dismiss_finding(world.reviewer, scene.version, index, "已核实为公开信息")
    row = next(ob for ob in board(client).context["obligations"] if ob.pk == scene.town.pk)
    assert row.open_errors == 0


def test_year_defaults_to_latest_and_can_be_chosen(client, world, at):
    at(dt.date(2024, 6, 1))
    report_services.open_year(world.admin, world.city, 2022)
    report_services.open_year(world.admin, world.city, 2023)
    client.force_login(world.reviewer)
    assert board(client).context["cycle"].year == 2023
    assert board(client, year="2022").context["cycle"].year == 2022
    response = board(client, year="2019")
    assert response.context["cycle"].year == 2023
    assert "尚未开启2019年度" in response.content.decode()


def test_board_without_year_offers_to_open_one(client, world):
    client.force_login(world.reviewer)
    response = board(client)
    assert response.status_code == 200
    assert response.context["cycle"] is None
    assert "开启报告年度" in response.content.decode()


def test_open_year_from_the_board(client, world):
    client.force_login(world.reviewer)
    url = reverse("review:open_year")
    response = client.post(url, {"office": world.city.pk, "year": 2023}, follow=True)
    assert ReportingYear.objects.filter(office=world.city, year=2023).exists()
    assert "已开启2023年度报告，共4个单位应报送" in response.content.decode()
    assert response.context["cycle"].year == 2023
    response = client.post(url, {"office": world.city.pk, "year": 2023}, follow=True)
    assert "已经开启" in response.content.decode()
    assert ReportingYear.objects.filter(office=world.city).count() == 1


def proposed_year(client) -> str:
    html = board(client).content.decode()
    return re.search(r'name="year" value="(\d*)"', html.split("开启报告年度", 1)[1]).group(1)


def test_open_year_form_proposes_the_next_year_not_open(client, world, at):
    at(dt.date(2024, 4, 10))
    client.force_login(world.reviewer)
    assert proposed_year(client) == "2023"  # nothing open: the year just ended
    report_services.open_year(world.admin, world.city, 2021)
    assert proposed_year(client) == "2022"
    report_services.open_year(world.admin, world.city, 2023)
    assert proposed_year(client) == "2024"
    report_services.open_year(world.admin, world.city, 2024)
    # The current year is open too: the latest earlier year still missing.
    assert proposed_year(client) == "2022"
    # Another office's years do not count.
    report_services.open_year(world.admin, world.city, 2022)
    assert report_services.year_to_open(world.other_city, dt.date(2024, 4, 10)) == 2023
    assert report_services.year_to_open(world.city, dt.date(2024, 4, 10)) == 2020


def test_board_never_lists_another_office(client, world, cycle):
    report_services.open_year(world.other_reviewer, world.other_city, 2023)
    client.force_login(world.reviewer)
    html = board(client).content.decode()
    assert "西山市白石镇" not in html and "南湖区清河镇" in html
    assert board(client, office=world.other_city.pk).status_code == 404

    client.force_login(world.other_reviewer)
    response = board(client)
    html = response.content.decode()
    assert "西山市白石镇" in html
    assert "南湖区清河镇" not in html and "东江市司法局" not in html
    assert board(client, office=world.city.pk).status_code == 404
    assert board(client, office="abc").status_code == 404


@pytest.mark.parametrize("username", ["reporter", "outsider", "other_reporter"])
def test_board_is_not_for_non_reviewers(client, world, cycle, username):
    client.force_login(getattr(world, username))
    assert board(client).status_code == 404
    assert board(client, office=world.city.pk).status_code == 404


def test_board_needs_login(client, world, cycle):
    response = board(client)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "username", ["other_reviewer", "reporter", "outsider", "district_reporter"]
)
def test_open_year_and_extend_across_the_boundary(client, world, cycle, username):
    town = obligation_of(cycle, world.town)
    client.force_login(getattr(world, username))
    response = client.post(reverse("review:open_year"), {"office": world.city.pk, "year": 2022})
    assert response.status_code == 404
    assert not ReportingYear.objects.filter(office=world.city, year=2022).exists()
    response = client.post(
        reverse("review:extend", args=[town.pk]), {"until": "2024-05-15", "reason": "x"}
    )
    assert response.status_code == 404
    town.refresh_from_db()
    assert town.extended_to is None


def test_open_year_and_extend_need_login(client, world, cycle):
    town = obligation_of(cycle, world.town)
    for url in (reverse("review:open_year"), reverse("review:extend", args=[town.pk])):
        response = client.post(url, {"office": world.city.pk, "year": 2022})
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert ReportingYear.objects.count() == 1


def _more_units(world, cycle, version: ReportVersion, n: int) -> None:
    """n more towns with handed-in reports, sharing one analysis to stay quick."""
    for i in range(n):
        unit = Unit.objects.create(name=f"测试镇{i}", level=Level.TOWN, parent=world.district)
        ob = Obligation.objects.create(
            reporting_year=cycle, unit=unit, deadline=dt.date(2024, 3, 31), state=State.SUBMITTED
        )
        v = ReportVersion.objects.create(
            obligation=ob,
            number=1,
            original_name="x.txt",
            stored_name=version.stored_name,
            sha256=version.sha256,
            size=version.size,
            format=version.format,
            text=version.text,
            analysis=version.analysis,
            score=version.score,
        )
        Obligation.objects.filter(pk=ob.pk).update(current_version=v)
        if i % 2:
            review_services.dismiss_finding(world.reviewer, v, 0, "测试")


def test_board_queries_do_not_grow_with_units(client, world, scene):
    client.force_login(world.reviewer)
    board(client)  # warm the session and access caches
    with CaptureQueriesContext(connection) as small:
        response = board(client)
    assert len(response.context["obligations"]) == 4
    _more_units(world, scene.cycle, scene.version, 30)
    with CaptureQueriesContext(connection) as large:
        response = board(client)
    assert len(response.context["obligations"]) == 34
    assert len(large.captured_queries) == len(small.captured_queries)
    # The board never reads the report text.
    rows_sql = [q["sql"] for q in large.captured_queries if "reports_reportversion" in q["sql"]]
    assert rows_sql
    assert not any('"reports_reportversion"."text"' in sql for sql in rows_sql)


def test_board_pages_keep_filters_and_counts(client, world, cycle, monkeypatch):
    from fazhi_web.review import views

    monkeypatch.setattr(views, "BOARD_PAGE_SIZE", 3)
    client.force_login(world.reviewer)
    first = board(client, state="pending")
    assert len(first.context["obligations"]) == 3
    assert "下一页" in first.content.decode()
    assert "state=pending&amp;page=2" in first.content.decode()
    second = board(client, state="pending", page="2")
    assert len(second.context["obligations"]) == 1
    assert second.context["counts"]["total"] == 4
    names = {ob.unit.name for ob in first.context["obligations"]} | {
        ob.unit.name for ob in second.context["obligations"]
    }
    assert len(names) == 4
