"""The board of a large office: pages, counts and queries, whatever the filters."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fazhi_web.reports.models import Obligation, State
from fazhi_web.review import views
from fazhi_web.review.tests.test_board import _more_units
from fazhi_web.units.models import Level

pytestmark = pytest.mark.django_db
# Session, user, memberships, offices (twice), years (and the year to open
# next), counts, the level filter's count, the page's ids, its rows, their
# dismissed findings and reminders, and the units' open rectification items (the
# 整改 column): none of them per row.
QUERIES = 14


@pytest.fixture
def large(world, scene):
    """34 obligations: the scene's four, and 30 towns with handed-in reports."""
    _more_units(world, scene.cycle, scene.version, 30)
    Obligation.objects.filter(unit__name__in=["测试镇3", "测试镇4"]).update(state=State.RETURNED)
    return scene


def walk(client, **params) -> tuple[list[Obligation], str]:
    """Every row over all pages, following the pager's own links."""
    rows: list[Obligation] = []
    url = reverse("review:board")
    response = client.get(url, params)
    first_page = response.content.decode()
    while True:
        rows += response.context["obligations"]
        link = re.search(r'href="(\?[^"]*)">下一页', response.content.decode())
        if not link:
            return rows, first_page
        response = client.get(url + link.group(1).replace("&amp;", "&"))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"state": "submitted"},
        {"level": "town"},
        {"overdue": "1"},
        {"level": "town", "state": "returned"},
    ],
)
def test_pages_hold_every_row_of_the_filter_once(client, world, large, monkeypatch, params):
    monkeypatch.setattr(views, "BOARD_PAGE_SIZE", 7)
    client.force_login(world.reviewer)
    rows, first_page = walk(client, **params)
    expected = Obligation.objects.filter(reporting_year=large.cycle)
    if "state" in params:
        expected = expected.filter(state=params["state"])
    if "level" in params:
        expected = expected.filter(unit__level=params["level"])
    if "overdue" in params:
        expected = [ob for ob in expected if ob.is_overdue()]
    expected_ids = {ob.pk for ob in expected}
    assert expected_ids, "the filter should leave rows to page through"
    # In hierarchy order across the pages.
    assert [ob.unit.path for ob in rows] == sorted(ob.unit.path for ob in rows)
    assert len(rows) == len(expected_ids) and {ob.pk for ob in rows} == expected_ids
    pages = -(-len(expected_ids) // 7)
    if pages > 1:
        assert f"第1/{pages}页，共{len(expected_ids)}个单位" in first_page
    # The cards count the whole year, whatever is shown.
    assert client.get(reverse("review:board"), params).context["counts"]["total"] == 34


def test_every_page_costs_the_same_few_queries(
    client, world, large, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(views, "BOARD_PAGE_SIZE", 5)
    client.force_login(world.reviewer)
    client.get(reverse("review:board"))  # warm the session and access caches
    for params in ({}, {"page": "7"}, {"level": Level.TOWN, "page": "2"}, {"overdue": "1"}):
        with django_assert_max_num_queries(QUERIES):
            response = client.get(reverse("review:board"), params)
        assert response.status_code == 200 and response.context["obligations"]
