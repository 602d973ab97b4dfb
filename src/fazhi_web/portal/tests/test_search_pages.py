"""Portal search as a national year needs it: filters inside the search, pages, two orders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from fazhi_web.portal import views
from fazhi_web.portal.search import matching, search, through_the_index
from fazhi_web.reports.models import Obligation
from fazhi_web.stats.tests.build import open_years, published
from fazhi_web.units.access import published_obligations

YEAR = 2025


@pytest.fixture
def three(world, seed_bytes):
    """Three published reports that all say 行政复议, published on different days."""
    open_years(world, YEAR)
    obs = [
        published(world, world.town, YEAR, seed_bytes["002"]),
        published(world, world.bureau, YEAR, seed_bytes["004"]),
        published(world, world.other_town, YEAR, seed_bytes["000"]),
    ]
    now = timezone.now()
    for days, ob in zip((3, 1, 2), obs, strict=True):
        Obligation.objects.filter(pk=ob.pk).update(published_at=now - dt.timedelta(days=days))
    return obs


def found(client, **params):
    response = client.get(reverse("portal:index"), params)
    assert response.status_code == 200
    return response


def test_few_matches_are_ranked_by_relevance(client, three):
    response = found(client, q="行政复议")
    assert not response.context["newest"]
    assert [r["pk"] for r in response.context["rows"]] == search("行政复议")
    assert "按公开时间由近及远排列" not in response.content.decode()


def test_many_matches_are_listed_newest_first(client, three, monkeypatch):
    monkeypatch.setattr(views, "RANKED_MATCHES", 2)
    response = found(client, q="行政复议")
    assert response.context["newest"]
    town, bureau, other = three
    assert [r["pk"] for r in response.context["rows"]] == [bureau.pk, other.pk, town.pk]
    assert "按公开时间由近及远排列" in response.content.decode()
    assert "共 3 份与“行政复议”相关的已公开报告" in response.content.decode()


def test_filters_apply_to_every_match_and_pages_hold_them_once(client, three, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    monkeypatch.setattr(views, "RANKED_MATCHES", 0)
    town, _, other = three
    first = found(client, q="行政复议", level="town")
    assert "共 2 份" in first.content.decode()
    html = first.content.decode()
    # The pager's link keeps the query and is a plain query string.
    assert 'href="?q=%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE&amp;level=town&amp;page=2"' in html
    assert "??" not in html
    second = found(client, q="行政复议", level="town", page="2")
    shown = [r["pk"] for r in first.context["rows"] + second.context["rows"]]
    assert shown == [other.pk, town.pk]
    assert found(client, q="行政复议", region="西山").context["rows"][0]["pk"] == other.pk


def test_hidden_units_stay_out_of_search_and_list(client, world, three):
    from fazhi_web.units.models import Unit

    Unit.objects.filter(pk=world.bureau.pk).update(hidden_reason="撤并")
    assert three[1].pk not in {r["pk"] for r in found(client, q="行政复议").context["rows"]}
    assert three[1].pk not in {r["pk"] for r in found(client).context["rows"]}
    assert three[1].pk not in published_obligations().values_list("pk", flat=True)


def test_search_page_has_a_fixed_number_of_queries(
    client, three, monkeypatch, django_assert_max_num_queries
):
    for ranked in (100, 0):
        monkeypatch.setattr(views, "RANKED_MATCHES", ranked)
        # Years, the count, the page's ids, its rows (a transaction around the
        # search on PostgreSQL adds its own statements).
        with django_assert_max_num_queries(8):
            found(client, q="行政复议")
    with django_assert_max_num_queries(4):
        found(client)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_postgres_finds_matches_through_the_gin_index(three):
    qs = matching("行政复议", published_obligations()).values("pk")
    sql, params = qs.query.sql_with_params()
    with through_the_index(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on portal_search_tsv" in plan
    assert "Seq Scan on portal_searchdocument" not in plan


@pytest.mark.parametrize("q", ["", "行政复议"])
def test_page_numbers_out_of_range_or_junk(client, three, monkeypatch, q):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    last = found(client, q=q, page="99")
    assert last.context["page"].number == 2 and len(last.context["rows"]) == 1
    for junk in ("abc", "-3", "0"):
        first = found(client, q=q, page=junk)
        assert first.context["page"].number == 1 and len(first.context["rows"]) == 2
    assert "第 1 / 2 页" in first.content.decode()
