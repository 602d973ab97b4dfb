"""The board as a work queue: its order, its search, its 范围 picker, and batch actions on it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Reminder
from fazhi_web.review import services as review_services
from fazhi_web.review.tests.conftest import hand_in, obligation_of

pytestmark = pytest.mark.django_db


def board(client, **params):
    return client.get(reverse("review:board"), params)


def names(response) -> list[str]:
    return [ob.unit.name for ob in response.context["obligations"]]


@pytest.fixture
def queue(world, at, seed_bytes):
    """司法局 handed in on 1 March, 清河镇 on 5 March; 南湖区市场监督管理局 was
    handed in and returned; 南湖区 has handed in nothing."""
    at(dt.date(2024, 1, 10))
    cycle = report_services.open_year(world.admin, world.city, 2023)
    at(dt.datetime(2024, 3, 1, 9))
    hand_in(world.admin, obligation_of(cycle, world.bureau), seed_bytes["003"])
    at(dt.datetime(2024, 3, 5, 9))
    hand_in(world.reporter, obligation_of(cycle, world.town), seed_bytes["002"])
    returned = obligation_of(cycle, world.district_bureau)
    hand_in(world.admin, returned, seed_bytes["004"])
    review_services.return_report(world.reviewer, returned, "请补充第一责任人职责。")
    at(dt.date(2024, 3, 10))
    return cycle


def test_waiting_reports_come_first_the_longest_waiting_first(client, world, queue):
    client.force_login(world.reviewer)
    # The bureau comes before the town although the hierarchy has it after.
    assert names(board(client)) == [
        "东江市司法局",
        "南湖区清河镇",
        "南湖区市场监督管理局",
        "东江市南湖区",
    ]
    # Handed in again, the returned report waits the least of the three.
    returned = obligation_of(queue, world.district_bureau)
    report_services.submit(world.admin, returned, returned.versions.last())
    assert names(board(client))[:3] == ["东江市司法局", "南湖区清河镇", "南湖区市场监督管理局"]
    assert names(board(client, order="tree")) == [
        "东江市南湖区",
        "南湖区清河镇",
        "南湖区市场监督管理局",
        "东江市司法局",
    ]


def test_rows_without_a_submission_have_no_review_link(client, world, queue):
    client.force_login(world.reviewer)
    response = board(client)
    html = response.content.decode()
    rows = {ob.unit.name: ob for ob in response.context["obligations"]}
    for name, reviewable in [
        ("东江市南湖区", False),
        ("南湖区清河镇", True),
        ("南湖区市场监督管理局", True),
    ]:
        link = reverse("review:report", args=[rows[name].pk])
        assert (f'href="{link}"' in html) is reviewable, name
    assert html.count(">审查</a>") == 3


def test_search_by_unit_name(client, world, queue):
    client.force_login(world.reviewer)
    assert names(board(client, q="南湖区")) == [
        "南湖区清河镇",
        "南湖区市场监督管理局",
        "东江市南湖区",
    ]
    response = board(client, q="司法")
    assert names(response) == ["东江市司法局"] and response.context["counts"]["total"] == 4
    nothing = board(client, q="不存在的单位")
    assert names(nothing) == [] and "请检查单位名称" in nothing.content.decode()
    # The search is kept in the form.
    assert 'value="司法"' in response.content.decode()


def test_scope_picker_walks_the_tree_and_shows_everything_below(client, world, queue):
    client.force_login(world.reviewer)
    whole = board(client)
    # At the top the picker offers the office and the units right below it.
    assert [t["label"] for t in whole.context["tree"]] == [
        "东江市（全部）",
        "　东江市南湖区",
        "　东江市司法局",
    ]
    district = board(client, under=world.district.pk)
    # The district itself, its town and its department; not the city's bureau.
    assert sorted(names(district)) == ["东江市南湖区", "南湖区市场监督管理局", "南湖区清河镇"]
    assert [(t["label"], t["selected"]) for t in district.context["tree"]] == [
        ("东江市（全部）", False),
        ("　东江市南湖区", True),
        ("　　南湖区清河镇", False),
        ("　　南湖区市场监督管理局", False),
    ]
    town = board(client, under=world.town.pk, level="town")
    assert names(town) == ["南湖区清河镇"]
    assert names(board(client, under=world.city.pk)) == names(whole)


def test_scope_outside_the_office_is_404(client, world, queue):
    client.force_login(world.reviewer)
    assert board(client, under=world.other_town.pk).status_code == 404
    assert board(client, under=world.other_city.pk).status_code == 404
    client.force_login(world.other_reviewer)
    assert board(client, under=world.district.pk).status_code == 404


def test_batch_from_a_filtered_board_returns_to_it(client, world, queue):
    client.force_login(world.reviewer)
    query = urlencode({"under": world.district.pk, "q": "南湖", "order": "tree"})
    filtered = f"{reverse('review:board')}?{query}"
    district = obligation_of(queue, world.district)
    response = client.post(
        reverse("review:batch"),
        {"ids": [district.pk], "action": "remind", "next": filtered},
    )
    assert response.status_code == 302 and response["Location"] == filtered
    assert Reminder.objects.filter(obligation=district).count() == 1
    page = client.get(filtered)
    assert names(page) == ["东江市南湖区", "南湖区清河镇", "南湖区市场监督管理局"]
    assert "已向1个单位催报。" in page.content.decode()
    response = client.post(
        reverse("review:batch"),
        {
            "ids": [district.pk],
            "action": "extend",
            "until": "2024-05-31",
            "reason": "机构调整",
            "next": filtered,
        },
    )
    assert response["Location"] == filtered
    district.refresh_from_db()
    assert district.extended_to == dt.date(2024, 5, 31)


def test_pager_keeps_the_filters(client, world, queue, monkeypatch):
    from fazhi_web.review import views

    monkeypatch.setattr(views, "BOARD_PAGE_SIZE", 1)
    client.force_login(world.reviewer)
    html = board(client, under=world.district.pk, q="南湖").content.decode()
    assert f"under={world.district.pk}&amp;q=%E5%8D%97%E6%B9%96&amp;page=2" in html
