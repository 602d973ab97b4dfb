from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor

from fazhi_web.audit import wording
from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services as report_services
from fazhi_web.review import notice as notice_doc
from fazhi_web.review import services as review_services
from fazhi_web.review.tests.conftest import hand_in, obligation_of

pytestmark = pytest.mark.django_db


# The same paragraph in two units' reports, with one figure changed.
COPIED = (
    "建立健全行政执法公示制度，全面推行行政执法全过程记录制度，严格落实重大执法决定法制审核制度，"
    "全年开展行政执法案卷评查{n}次，评查案卷一百二十卷，发现问题全部整改到位，执法规范化水平明显提升。"
)


# The district's report has only its first part: three 缺少法定内容 errors.
FIRST_PART_ONLY = (
    "东江市南湖区2023年法治政府建设年度报告\n一、2023年推进法治政府建设的主要举措和成效\n"
    "2023年，南湖区深入推进依法行政，全年办理行政复议案件35件，组织领导干部专题学法4次，"
    "行政执法人员培训覆盖率达到100%。\n"
).encode()


def with_copy(text: bytes, n: int) -> bytes:
    return text + ("\n" + COPIED.format(n=n) + "\n").encode("utf-8")


@pytest.fixture
def season(world, at, seed_bytes):
    """2023 cycle as of 10 April 2024: one on time, one late, one returned, one missing.

    The on-time bureau and the late town share a copied paragraph.
    """
    at(dt.date(2024, 1, 5))
    cycle = report_services.open_year(world.admin, world.city, 2023)
    at(dt.date(2024, 2, 20))
    bureau = obligation_of(cycle, world.district_bureau)
    hand_in(world.admin, bureau, with_copy(seed_bytes["003"], 3))
    at(dt.date(2024, 3, 20))
    district = obligation_of(cycle, world.district)
    hand_in(world.district_reporter, district, FIRST_PART_ONLY)
    at(dt.date(2024, 3, 25))
    review_services.return_report(world.reviewer, district, "缺少第一责任人履职情况")
    at(dt.date(2024, 4, 5))
    hand_in(world.reporter, obligation_of(cycle, world.town), with_copy(seed_bytes["002"], 4))
    at(dt.date(2024, 4, 10))
    return cycle


def notice_url(world, year=2023):
    return reverse("review:notice", args=[world.city.pk, year])


def read(response) -> Document:
    return Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


ISSUER = "中共东江市委全面依法治市委员会办公室"


def generate(client, world, issuer=ISSUER, number="东江法治办〔2024〕7号", year=2023):
    return client.post(notice_url(world, year), {"issuer": issuer, "number": number})


def test_form_proposes_the_full_name_and_a_number(client, world, season):
    client.force_login(world.reviewer)
    response = client.get(notice_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{ISSUER}"' in html
    assert 'value="东江市法治办〔2024〕  号"' in html
    assert "应报送4个单位" in html
    assert not AuditEntry.objects.filter(action="notice.generate").exists()


def test_number_and_issuer_are_kept_and_audited(client, world, season):
    client.force_login(world.reviewer)
    generate(client, world, number="东江法治办〔2024〕7号")
    response = generate(client, world, issuer="东江市司法局", number="东司通〔2024〕2号")
    texts = [p.text for p in read(response).paragraphs]
    assert texts[0] == "东司通〔2024〕2号"
    assert texts[-2] == "东江市司法局"
    html = client.get(notice_url(world)).content.decode()
    assert 'value="东司通〔2024〕2号"' in html and 'value="东江市司法局"' in html
    first, second = AuditEntry.objects.filter(action="notice.generate").order_by("id")
    assert first.before is None and first.after["number"] == "东江法治办〔2024〕7号"
    assert second.before == {"issuer": ISSUER, "number": "东江法治办〔2024〕7号"}
    assert "东司通〔2024〕2号" in second.summary and "东江市司法局" in second.summary
    assert wording.sentence(second) == "生成 2023 年度报告报送情况通报（东司通〔2024〕2号）"
    shown = {c.label: (c.before, c.after) for c in wording.changes(second)}
    assert shown["文号"] == ("东江法治办〔2024〕7号", "东司通〔2024〕2号")
    assert shown["发文机关"] == (ISSUER, "东江市司法局")
    assert shown["内容雷同的单位数"] == ("", "2")


@pytest.mark.parametrize(
    ("issuer", "number", "message"),
    [
        ("  ", "东江法治办〔2024〕7号", "发文机关全称"),
        (ISSUER, "", "文号"),
        (ISSUER, "号" * 61, "文号"),
    ],
)
def test_blank_or_long_heading_is_refused(client, world, season, issuer, number, message):
    client.force_login(world.reviewer)
    response = generate(client, world, issuer=issuer, number=number)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(action="notice.generate").exists()


def test_notice_names_units_with_quality_problems(client, world, season):
    district = obligation_of(season, world.district)
    findings = district.current_version.analysis["findings"]
    shortcomings = next(i for i, f in enumerate(findings) if "存在的不足和原因" in f["message"])
    review_services.dismiss_finding(
        world.reviewer, district.current_version, shortcomings, "不足写在总结段落中"
    )
    client.force_login(world.reviewer)
    doc = read(generate(client, world))
    texts = [p.text for p in doc.paragraphs]
    quality = texts[texts.index("五、报告质量情况") : texts.index("六、整改情况")]
    assert quality[1] == (
        "对已报送的3份报告进行了审查。其中，1个单位的报告缺少法定内容，1个单位的报告尚有未处理的"
        "错误问题2处，2个单位的报告之间存在1处雷同段落。"
    )
    missing = quality[
        quality.index("（一）缺少法定内容") + 1 : quality.index("（二）尚有未处理错误问题")
    ]
    assert missing == [
        "1. 东江市南湖区（缺少“党政主要负责人履行推进法治建设第一责任人职责情况”、"
        "“下一年度推进法治政府建设的主要安排”）"
    ]
    errors = quality[
        quality.index("（二）尚有未处理错误问题") + 1 : quality.index("（三）单位之间内容雷同")
    ]
    assert errors == ["1. 东江市南湖区（2处）"]
    copies = quality[quality.index("（三）单位之间内容雷同") + 1 :]
    assert len(copies) == 1
    assert copies[0].startswith(
        "1. 南湖区清河镇、南湖区市场监督管理局（2个单位的报告含相同段落“建立健全行政执法公示制度"
    )
    entry = AuditEntry.objects.get(action="notice.generate")
    assert entry.after["missing_parts"] == 2 and entry.after["open_errors"] == 2
    assert entry.after["copy_groups"] == 1 and entry.after["copy_units"] == 2
    heading = doc.paragraphs[texts.index("（三）单位之间内容雷同")]
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"


def test_notice_lists_late_missing_and_returned_units(client, world, season):
    client.force_login(world.reviewer)
    response = generate(client, world)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    doc = read(response)
    texts = [p.text for p in doc.paragraphs]
    body = "\n".join(texts)

    assert "关于2023年度法治政府建设年度报告报送情况的通报" in texts
    assert texts[0] == "东江法治办〔2024〕7号"
    assert "应报送4个单位，已按时报送2个，逾期报送1个，未报送1个，退回修改1个。" in body
    assert "1. 南湖区清河镇（截止日期2024年3月31日，2024年4月5日报送）" in texts
    assert "1. 东江市司法局（截止日期2024年3月1日，已逾期40天）" in texts
    assert "1. 东江市南湖区（2024年3月25日退回修改）" in texts
    assert "各县（市、区）人民政府，各乡镇人民政府、街道办事处，各有关部门：" in texts
    # 落款 and date, today in Chinese.
    assert texts[-2:] == [ISSUER, "2024年4月10日"]
    # The on-time unit is not named among the timeliness sections.
    timeliness = "\n".join(texts[: texts.index("五、报告质量情况")])
    assert "南湖区市场监督管理局" not in timeliness

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
    body = "\n".join(p.text for p in read(generate(client, world)).paragraphs)
    assert "未报送0个" in body and "另有1个单位尚未到报送截止日期" in body
    assert "东江市司法局" not in body


def test_board_links_to_the_notice(client, world, season):
    client.force_login(world.reviewer)
    html = client.get(reverse("review:board")).content.decode()
    assert notice_url(world) in html


def test_notice_for_unopened_year_is_404(client, world, season):
    client.force_login(world.reviewer)
    assert client.get(notice_url(world, 2019)).status_code == 404
    assert generate(client, world, year=2019).status_code == 404


@pytest.mark.parametrize("username", ["other_reviewer", "reporter", "outsider", "other_reporter"])
def test_notice_across_the_boundary(client, world, season, username):
    client.force_login(getattr(world, username))
    assert client.get(notice_url(world)).status_code == 404
    assert generate(client, world).status_code == 404
    assert not AuditEntry.objects.filter(action="notice.generate").exists()


def test_notice_needs_login(client, world, season):
    for response in (client.get(notice_url(world)), generate(client, world)):
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not AuditEntry.objects.filter(action="notice.generate").exists()


def test_default_issuer_follows_the_level(world):
    assert notice_doc.default_issuer(world.district) == "中共东江市南湖区委全面依法治区委员会办公室"
    assert notice_doc.default_issuer(world.bureau) == "东江市司法局"
