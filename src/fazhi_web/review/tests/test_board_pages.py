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
# next), the units of the 范围 picker, counts, the level filter's count, the
# page's ids, its rows, their dismissed findings and reminders, and the units'
# open rectification items (the 整改 column): none of them per row.
QUERIES = 15
# With a 范围 chosen: that unit, and the units on the way down to it.
QUERIES_UNDER = QUERIES + 2


def queue_key(ob: Obligation) -> tuple:
    """The board's default order: 待审 (longest waiting first), 退回修改, the rest."""
    group = {State.SUBMITTED: 0, State.RETURNED: 1}.get(ob.state, 2)
    waiting = ob.submitted_at.timestamp() if group == 0 and ob.submitted_at else float("inf")
    return (group, waiting, ob.unit.path, ob.pk)


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
        {"q": "测试镇1"},
        {"order": "tree"},
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
    if "q" in params:
        expected = expected.filter(unit__name__contains=params["q"])
    if "overdue" in params:
        expected = [ob for ob in expected if ob.is_overdue()]
    expected_ids = {ob.pk for ob in expected}
    assert expected_ids, "the filter should leave rows to page through"
    # In the board's order across the pages: the work queue, or the hierarchy.
    if params.get("order") == "tree":
        assert [ob.unit.path for ob in rows] == sorted(ob.unit.path for ob in rows)
    else:
        assert [ob.pk for ob in rows] == [ob.pk for ob in sorted(rows, key=queue_key)]
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
    for params in (
        {},
        {"page": "7"},
        {"level": Level.TOWN, "page": "2"},
        {"overdue": "1"},
        {"q": "测试镇", "order": "tree", "page": "3"},
    ):
        with django_assert_max_num_queries(QUERIES):
            response = client.get(reverse("review:board"), params)
        assert response.status_code == 200 and response.context["obligations"]
    with django_assert_max_num_queries(QUERIES_UNDER):
        response = client.get(reverse("review:board"), {"under": world.district.pk, "page": "2"})
    assert response.status_code == 200 and response.context["obligations"]
