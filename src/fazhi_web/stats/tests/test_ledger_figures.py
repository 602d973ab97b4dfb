"""The statistics table's switch: the stated figures, the ledgers', or both; the export
carries the same choice and says which."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi_web.disputes.ledger import LITIGATIONS
from fazhi_web.ledgers import casebook
from fazhi_web.ledgers.tests.conftest import D
from fazhi_web.stats.queries import number
from fazhi_web.stats.tests.build import open_years, published, submitted
from fazhi_web.stats.tests.test_stats import screen

YEAR = 2025


@pytest.fixture
def data(world, seed_bytes):
    """The town states 4 lawsuits (清溪镇's report) and its ledger holds 3; the district
    keeps no ledger."""
    open_years(world, YEAR)
    published(world, world.town, YEAR, seed_bytes["002"])
    submitted(world, world.district, YEAR, seed_bytes["001"])
    for i in range(3):
        casebook.create(world.reporter, LITIGATIONS, world.town,
                        {"number": f"行初{i}", "court": "南湖区人民法院", "stage": "first",
                         "plaintiff": "某公司", "filed_on": D("2025-03-03")})  # fmt: skip


def cell(parsed, unit, key):
    row = next(r for r in parsed.rows if r[0] == unit)
    return row[parsed.keys.index(key)]


@pytest.fixture(autouse=True)
def today_in_2025(monkeypatch):
    from fazhi_web.ledgers import services

    monkeypatch.setattr(services, "today", lambda: D("2025-12-01"))


def test_the_switch_shows_stated_ledger_or_both_and_says_which(client, world, data):
    client.force_login(world.reviewer)
    stated = screen(client, office=world.city.pk)
    assert cell(stated, "南湖区清河镇", "administrative_litigation") == "4"
    assert "administrative_litigation:ledger" not in stated.keys
    ledger = screen(client, office=world.city.pk, figures="ledger")
    assert cell(ledger, "南湖区清河镇", "administrative_litigation:ledger") == "3"
    assert "administrative_litigation" not in ledger.keys
    assert cell(ledger, "东江市南湖区", "administrative_litigation:ledger") == ""  # no ledger
    both = screen(client, office=world.city.pk, figures="both")
    assert cell(both, "南湖区清河镇", "administrative_litigation") == "4"
    assert cell(both, "南湖区清河镇", "administrative_litigation:ledger") == "3"
    page = client.get(reverse("stats:table"), {"office": world.city.pk, "figures": "both"})
    html = page.content.decode()
    assert '<strong aria-current="true">报告所述与台账计算对照</strong>' in html
    assert "行政诉讼案件数（报告）" in html and "行政诉讼案件数（台账）" in html
    assert "figures=both" in html  # the export link keeps the choice


@pytest.mark.parametrize("mode", ["ledger", "both"])
def test_the_export_matches_the_screen_in_each_mode(client, world, data, mode):
    client.force_login(world.reviewer)
    params = {"office": world.city.pk, "figures": mode}
    parsed = screen(client, **params)
    book = load_workbook(io.BytesIO(client.get(reverse("stats:export"), params).content))
    sheet = [list(r) for r in book["统计表"].iter_rows(values_only=True)]
    assert sheet[1] == parsed.keys
    for excel, html in zip(sheet[2:], parsed.rows, strict=True):
        assert [number(v) if isinstance(v, int | float) else (v or "") for v in excel] == html
    notes = [r[0] for r in book["说明"].iter_rows(values_only=True)]
    assert any("数据：" in (n or "") for n in notes)


def test_an_unknown_mode_is_the_stated_figures(client, world, data):
    client.force_login(world.reviewer)
    parsed = screen(client, office=world.city.pk, figures="<script>")
    assert "administrative_litigation" in parsed.keys
