"""The statistics table hides indicator columns nobody stated, unless asked, and the
export follows; charts count in whole numbers and say 暂无数据 when empty."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi_web.stats import queries
from fazhi_web.stats.tests import test_stats
from fazhi_web.stats.tests.test_stats import screen
from fazhi_web.stats.views import bar_option, line_option

pytestmark = pytest.mark.django_db
# The statistics tests' year of four reports.
data = test_stats.data


def export_keys(client, **params) -> list[str]:
    response = client.get(reverse("stats:export"), params)
    assert response.status_code == 200
    return [c.value for c in load_workbook(io.BytesIO(response.content))["统计表"][2]]


def test_empty_indicator_columns_are_hidden_until_asked(client, world, data):
    client.force_login(world.reviewer)
    hidden = screen(client)
    stated = set(hidden.keys[5:])
    assert stated and stated < set(queries.INDICATORS)
    html = client.get(reverse("stats:table")).content.decode()
    missing = len(queries.INDICATORS) - len(stated)
    assert f"已隐藏{missing}个没有单位填报的指标列" in html
    assert "empty=1" in html
    # The export has the screen's columns, hidden ones left out too.
    assert export_keys(client) == hidden.keys

    shown = screen(client, empty="1")
    assert set(shown.keys[5:]) == set(queries.INDICATORS)
    assert len(shown.rows) == len(hidden.rows)
    assert export_keys(client, empty="1") == shown.keys
    page = client.get(reverse("stats:table"), {"empty": "1", "level": "town"}).content.decode()
    # The filters keep the choice, and the link hides them again.
    assert 'name="empty" value="1"' in page and "隐藏无数据的指标列" in page
    # Sorting by a column nobody stated is allowed while it is shown.
    empty_key = next(k for k in shown.keys[5:] if k not in stated)
    sorted_view = client.get(reverse("stats:table"), {"empty": "1", "sort": empty_key})
    assert sorted_view.context["table"].sort == empty_key


def test_count_axes_are_whole_numbers_and_empty_charts_have_no_data():
    chart = bar_option(["县级", "乡镇"], [("报告数", [1, 2])], counts=True)
    assert chart["yAxis"]["minInterval"] == 1
    assert chart["series"][0]["data"] == [1, 2]
    # Nothing counted: no bars at all, so the page says 暂无数据.
    assert bar_option(["a", "b"], [("报告数", [0, 0])], counts=True)["series"][0]["data"] == []
    assert bar_option(["a"], [("比例", [None])], percent=True)["series"][0]["data"] == []
    # A share of 0% is a value, not an absence.
    assert bar_option(["a"], [("比例", [0.0])], percent=True)["series"][0]["data"] == [0.0]
    assert "minInterval" not in bar_option(["a"], [("平均得分", [71.5])])["yAxis"]
    assert line_option(["2023"], "得分", [None])["series"][0]["data"] == []


def test_charts_page_passes_count_options(client, world, data):
    client.force_login(world.reviewer)
    response = client.get(reverse("stats:charts"))
    assert response.context["score_chart"]["yAxis"]["minInterval"] == 1
    public = client.get(reverse("portal:stats"))
    assert public.context["count_chart"]["yAxis"]["minInterval"] == 1
