"""The ranking (order and ties), a unit's radar chart, and the .xlsx matching the screen."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi_web.evaluation import results, services
from fazhi_web.evaluation.results import Row
from fazhi_web.evaluation.tests.conftest import client_for
from fazhi_web.units.models import Unit

pytestmark = pytest.mark.django_db


def test_ranking_puts_the_highest_first_and_ties_share_a_rank():
    units = [Unit(name=n, path=f"/{i}/") for i, n in enumerate("甲乙丙丁", start=1)]
    rows = [
        Row(u, [], Decimal(t), 0, 0) for u, t in zip(units, ["70", "85.5", "70", "90"], strict=True)
    ]
    ranked = results.rank(rows)
    assert [(r.unit.name, r.rank) for r in ranked] == [("丁", 1), ("乙", 2), ("甲", 3), ("丙", 3)]
    assert [r.rank for r in results.rank([Row(u, [], Decimal(5), 0, 0) for u in units])] == [
        1,
        1,
        1,
        1,
    ]


@pytest.fixture
def scored(world, season):
    services.compute(world.reviewer, season.framework)
    # The town: its report's automatic points, plus 2 from the reviewer on 1.1.1.
    services.score_by_reviewer(
        world.reviewer, season.criterion("1.1.1"), world.town, 2, "已全面推行"
    )
    # The district bureau equals the district (both 0) and sorts after it by hierarchy.
    return season


def ranking_rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr data-unit=.*?</tr>", body, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)
        ]
        for r in rows
    ]


def test_the_ranking_page_and_its_export_show_the_same_table(world, scored):
    client = client_for(world.reviewer)
    html = client.get(reverse("evaluation:results", args=[scored.framework.pk])).content.decode()
    screen = ranking_rows(html)
    assert screen[0][1] == "南湖区清河镇"
    town = screen[0]
    # 8.2.1-8.2.4 (on time, three parts) 9, 7.1.1 study 3, 1.1.1 by the reviewer 2.
    assert town[0] == "1" and town[-3] == "14"
    assert [r[0] for r in screen[1:]] == ["2", "2", "2"]  # the others, tied at 0

    response = client.get(reverse("evaluation:export", args=[scored.framework.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert (
        header[:3] == ("名次", "单位", "政府职能依法全面履行（12分）")
        and header[-3] == "总分（100分）"
    )
    assert len(header) == 2 + 8 + 3
    as_text = [
        [results.points_text(Decimal(str(v))) if isinstance(v, float) else str(v) for v in r]
        for r in rows[1:]
    ]
    assert as_text == screen


def test_the_level_filter_ranks_within_the_level(world, scored):
    client = client_for(world.reviewer)
    url = reverse("evaluation:results", args=[scored.framework.pk])
    screen = ranking_rows(client.get(url + "?level=department").content.decode())
    # Tied, in the units' order (the district's bureau sits under the district, created first).
    assert [r[1] for r in screen] == ["南湖区市场监督管理局", "东江市司法局"]
    assert [r[0] for r in screen] == ["1", "1"]
    sheet = load_workbook(
        io.BytesIO(
            client.get(
                reverse("evaluation:export", args=[scored.framework.pk]) + "?level=department"
            ).content
        )
    ).active
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "南湖区市场监督管理局",
        "东江市司法局",
    ]


def test_a_unit_page_has_its_radar_and_its_evidence(world, scored):
    client = client_for(world.reviewer)
    html = client.get(
        reverse("evaluation:unit", args=[scored.framework.pk, world.town.pk])
    ).content.decode()
    radar = json.loads(
        re.search(r'<script id="chart-radar" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    assert radar["radar"]["indicator"][0]["name"] == "政府职能依法全面履行"
    assert [i["max"] for i in radar["radar"]["indicator"]] == [12, 12, 14, 14, 12, 12, 10, 14]
    assert radar["series"][0]["data"][0]["value"] == [2, 0, 0, 0, 0, 0, 3, 9]
    # Evidence links into the review page at the passage.
    assert reverse("review:report", args=[scored.town.pk]) + "#sec-" in html
    assert "执法人员数量不足" in html
