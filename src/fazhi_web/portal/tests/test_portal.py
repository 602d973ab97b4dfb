from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from fazhi_web.portal import views
from fazhi_web.portal.search import search
from fazhi_web.reports.models import IndicatorValue
from fazhi_web.stats.queries import INDICATORS
from fazhi_web.stats.tests.build import obligation, open_years, published, submitted
from fazhi_web.units.models import Unit

YEAR = 2025


@pytest.fixture
def reports(world, seed_bytes):
    """Town published (清溪), district only submitted (金凤), bureau published then hidden (南雄),
    other office's town published (松山湖)."""
    open_years(world, YEAR)
    town = published(world, world.town, YEAR, seed_bytes["002"])
    district = submitted(world, world.district, YEAR, seed_bytes["001"])
    bureau = published(world, world.bureau, YEAR, seed_bytes["004"])
    Unit.objects.filter(pk=world.bureau.pk).update(hidden_reason="机构改革撤并")
    other = published(world, world.other_town, YEAR, seed_bytes["000"])
    return {"town": town, "district": district, "bureau": bureau, "other": other}


def ids_in_index(client, **params) -> set[int]:
    response = client.get(reverse("portal:index"), params)
    assert response.status_code == 200
    return {row["pk"] for row in response.context["rows"]}


def test_index_lists_only_published_reports_of_visible_units(client, world, reports):
    assert ids_in_index(client) == {reports["town"].pk, reports["other"].pk}
    html = client.get(reverse("portal:index")).content.decode()
    assert "南湖区清河镇" in html
    assert "清溪镇2021年法治政府建设年度报告" in html  # the title from the analysis
    for key in ("district", "bureau"):
        assert reverse("portal:report", args=[reports[key].pk]) not in html
    assert world.bureau.name not in html
    assert "金凤区" not in html and "南雄" not in html


def test_index_filters(client, world, reports):
    assert ids_in_index(client, region="东江") == {reports["town"].pk}
    assert ids_in_index(client, level="town") == {reports["town"].pk, reports["other"].pk}
    assert ids_in_index(client, level="county") == set()
    assert ids_in_index(client, unit="白石") == {reports["other"].pk}
    assert ids_in_index(client, year=str(YEAR)) == {reports["town"].pk, reports["other"].pk}
    assert ids_in_index(client, year=str(YEAR - 1)) == set()


def test_search_finds_published_report_by_a_word_of_its_body(client, world, reports):
    assert reports["town"].pk in search("清溪")
    response = client.get(reverse("portal:index"), {"q": "清溪"})
    rows = response.context["rows"]
    assert [r["pk"] for r in rows] == [reports["town"].pk]
    assert "<mark>清溪</mark>" in rows[0]["snippet"]
    assert "<mark>清溪</mark>" in response.content.decode()
    # Filters still apply to search results.
    assert ids_in_index(client, q="清溪", region="西山") == set()


def test_search_never_returns_unpublished_or_hidden_reports(client, world, reports):
    assert ids_in_index(client, q="金凤") == set()  # submitted, not published
    assert ids_in_index(client, q="南雄") == set()  # published, then its unit hidden
    # Even if an index entry remains, the published filter keeps it out.
    assert ids_in_index(client, q="行政复议") == {reports["town"].pk, reports["other"].pk}


def test_report_page_shows_a_published_report(client, world, reports, seed_bytes):
    town = reports["town"]
    response = client.get(reverse("portal:report", args=[town.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "清溪镇2021年法治政府建设年度报告" in html
    assert reverse("reports:version_file", args=[town.current_version_id]) in html
    assert 'href="#s1"' in html and 'id="s1"' in html  # outline links into the text
    value = IndicatorValue.objects.filter(obligation=town).first()
    assert INDICATORS[value.indicator] in html
    # The public can follow the download link.
    download = client.get(reverse("reports:version_file", args=[town.current_version_id]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(seed_bytes["002"][:100])


@pytest.mark.parametrize("user", [None, "reviewer", "reporter", "admin", "other_reviewer"])
def test_report_page_is_404_for_unpublished_or_hidden_whoever_asks(client, world, reports, user):
    if user:
        client.force_login(getattr(world, user))
    for key in ("district", "bureau"):
        response = client.get(reverse("portal:report", args=[reports[key].pk]))
        assert response.status_code == 404
    assert client.get(reverse("portal:report", args=[999999])).status_code == 404


def test_report_text_is_escaped(client, world, seed_bytes):
    open_years(world, YEAR)
    content = seed_bytes["002"] + "\n我镇<script>alert('x')</script>坚持依法行政。\n".encode()
    town = published(world, world.town, YEAR, content)
    html = client.get(reverse("portal:report", args=[town.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    # And in a search snippet.
    html = client.get(reverse("portal:index"), {"q": "alert"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_index_paginates(client, world, reports, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    first = ids_in_index(client)
    second = ids_in_index(client, page="2")
    assert len(first) == len(second) == 1
    assert first | second == {reports["town"].pk, reports["other"].pk}


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_has_bom_indicator_columns_and_only_published_rows(client, world, reports):
    response = client.get(reverse("portal:stats_csv"), {"year": YEAR})
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "public" in response["Cache-Control"]
    rows = read_csv(response)
    header = rows[0]
    assert header[:7] == ["id", "unit", "level", "region", "year", "published", "score"]
    assert header[7:] == list(INDICATORS)
    by_id = {int(r[0]): dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert set(by_id) == {reports["town"].pk, reports["other"].pk}
    town = by_id[reports["town"].pk]
    assert town["unit"] == "南湖区清河镇"
    assert town["level"] == "town"
    for value in IndicatorValue.objects.filter(obligation=reports["town"]):
        assert float(town[value.indicator]) == pytest.approx(value.value)
    assert "金凤" not in response.content.decode("utf-8-sig")


def test_json_open_data(client, world, reports):
    response = client.get(reverse("portal:stats_json"), {"year": YEAR})
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["year"] == YEAR
    assert data["fields"][7:] == list(INDICATORS)
    ids = {row[0] for row in data["rows"]}
    assert ids == {reports["town"].pk, reports["other"].pk}
    assert reports["district"].pk not in ids and reports["bureau"].pk not in ids
    assert all(len(row) == len(data["fields"]) for row in data["rows"])


def test_open_data_for_a_year_without_reports_is_empty(client, world, reports):
    data = json.loads(client.get(reverse("portal:stats_json"), {"year": YEAR - 3}).content)
    assert data["rows"] == []
    rows = read_csv(client.get(reverse("portal:stats_csv"), {"year": YEAR - 3}))
    assert len(rows) == 1


def test_public_stats_page(client, world, reports):
    response = client.get(reverse("portal:stats"), {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["count"] == 2  # town and the other office's town only
    [town_level] = response.context["levels"]
    assert town_level["level"] == "town" and town_level["count"] == 2
    assert town_level["parts"]["measures"] == 100.0
    assert 'id="chart-parts"' in html and "vendor/echarts.min.js" in html
    assert "cdn" not in html.lower()
    # Indicator summary: the district's (unpublished) values are not counted.
    district_keys = set(
        IndicatorValue.objects.filter(obligation=reports["district"]).values_list(
            "indicator", flat=True
        )
    )
    published_keys = set(
        IndicatorValue.objects.filter(
            obligation__in=[reports["town"], reports["other"]]
        ).values_list("indicator", flat=True)
    )
    summary_keys = {i["key"] for i in response.context["summary"]}
    assert summary_keys == published_keys
    assert district_keys - published_keys  # the test would notice a leak
    assert not (district_keys - published_keys) & summary_keys


def test_public_stats_rates_are_not_summed(client, world, reports):
    summary = client.get(reverse("portal:stats"), {"year": YEAR}).context["summary"]
    for item in summary:
        if item["key"].endswith("_rate"):
            assert item["total"] is None
        else:
            assert item["total"] == pytest.approx(item["mean"] * item["count"])


def test_portal_pages_without_any_published_report(client, world):
    assert client.get(reverse("portal:index")).status_code == 200
    assert client.get(reverse("portal:stats")).status_code == 200
    assert json.loads(client.get(reverse("portal:stats_json")).content)["rows"] == []


def test_obligation_helper_sanity(world, reports):
    # Guard for the fixture itself: the bureau really was published before being hidden.
    assert obligation(world.bureau, YEAR).state == "published"


def test_junk_parameters(client, world, reports):
    params = {"year": "9" * 30, "level": "x", "page": "999", "q": "《》“”"}
    assert client.get(reverse("portal:index"), params).status_code == 200
    assert client.get(reverse("portal:report", args=[10**20])).status_code == 404
    data = json.loads(client.get(reverse("portal:stats_json"), {"year": "abc"}).content)
    assert data["year"] == YEAR
    assert client.get(reverse("portal:stats"), {"year": "9" * 30}).status_code == 200


def test_server_error_page_is_in_chinese(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()
