from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services as report_services
from fazhi_web.review import services as review_services
from fazhi_web.review.tests.conftest import hand_in, obligation_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(world, at, seed_bytes):
    """2023 cycle as of 10 April 2024: one on time, one late, one returned, one missing."""
    at(dt.date(2024, 1, 5))
    cycle = report_services.open_year(world.admin, world.city, 2023)
    at(dt.date(2024, 2, 20))
    hand_in(world.admin, obligation_of(cycle, world.district_bureau), seed_bytes["003"])
    at(dt.date(2024, 3, 20))
    district = obligation_of(cycle, world.district)
    hand_in(world.district_reporter, district, seed_bytes["001"])
    at(dt.date(2024, 3, 25))
    review_services.return_report(world.reviewer, district, "缺少第一责任人履职情况")
    at(dt.date(2024, 4, 5))
    hand_in(world.reporter, obligation_of(cycle, world.town), seed_bytes["002"])
    at(dt.date(2024, 4, 10))
    return cycle


def notice_url(world, year=2023):
    return reverse("review:notice", args=[world.city.pk, year])


def read(response) -> Document:
    return Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def test_notice_lists_late_missing_and_returned_units(client, world, season):
    client.force_login(world.reviewer)
    response = client.get(notice_url(world))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    doc = read(response)
    texts = [p.text for p in doc.paragraphs]
    body = "\n".join(texts)

    assert "关于2023年度法治政府建设年度报告报送情况的通报" in texts
    assert "东江市法治办〔2024〕  号" in texts
    assert "应报送4个单位，已按时报送2个，逾期报送1个，未报送1个，退回修改1个。" in body
    assert "1. 南湖区清河镇（截止日期2024年3月31日，2024年4月5日报送）" in texts
    assert "1. 东江市司法局（截止日期2024年3月1日，已逾期40天）" in texts
    assert "1. 东江市南湖区（2024年3月25日退回修改）" in texts
    assert "各县（市、区）人民政府，各乡镇人民政府、街道办事处，各有关部门：" in texts
    # 落款 and date, today in Chinese.
    assert texts[-2:] == ["东江市", "2024年4月10日"]
    # The on-time unit is not named.
    assert "南湖区市场监督管理局" not in body

    title = next(p for p in doc.paragraphs if p.text.startswith("关于2023年度"))
    run = title.runs[0]
    assert run.font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    line = next(p for p in doc.paragraphs if p.text.startswith("应报送"))
    assert line.runs[0].font.name == "FangSong_GB2312"
    assert line.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    heading = next(p for p in doc.paragraphs if p.text == "二、逾期报送的单位")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"

    section = doc.sections[0]
    # A4, GB/T 9704 margins (Word stores twips, hence the rounding).
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.top_margin.cm, 1) == 3.7 and round(section.left_margin.cm, 1) == 2.8

    entry = AuditEntry.objects.get(action="notice.generate")
    assert entry.actor == world.reviewer and entry.unit == world.city
    assert entry.after["late"] == 1 and entry.after["missing"] == 1 and entry.after["total"] == 4


def test_extended_unit_is_not_missing(client, world, season):
    bureau = obligation_of(season, world.bureau)
    report_services.grant_extension(world.reviewer, bureau, dt.date(2024, 4, 30), "主要负责人调整")
    client.force_login(world.reviewer)
    body = "\n".join(p.text for p in read(client.get(notice_url(world))).paragraphs)
    assert "未报送0个" in body and "另有1个单位尚未到报送截止日期" in body
    assert "东江市司法局" not in body


def test_board_links_to_the_notice(client, world, season):
    client.force_login(world.reviewer)
    html = client.get(reverse("review:board")).content.decode()
    assert notice_url(world) in html


def test_notice_for_unopened_year_is_404(client, world, season):
    client.force_login(world.reviewer)
    assert client.get(notice_url(world, 2019)).status_code == 404


@pytest.mark.parametrize("username", ["other_reviewer", "reporter", "outsider", "other_reporter"])
def test_notice_across_the_boundary(client, world, season, username):
    client.force_login(getattr(world, username))
    assert client.get(notice_url(world)).status_code == 404
    assert not AuditEntry.objects.filter(action="notice.generate").exists()


def test_notice_needs_login(client, world, season):
    response = client.get(notice_url(world))
    assert response.status_code == 302 and reverse("login") in response["Location"]
