"""Import and export of the staff and case sheets: all rows or none, a Chinese error per bad row."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi_web.enforcement import sheets
from fazhi_web.enforcement.models import Case, Certificate, Officer
from fazhi_web.enforcement.tests.conftest import D
from fazhi_web.ledgers.sheets import auto_mapping, read_sheet
from fazhi_web.ledgers.tests.conftest import client_for


def xlsx(headers: list[str], rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _import(world, slug: str, content: bytes) -> int:
    batch = sheets.upload(world.reporter, slug, world.town, "台账.xlsx", content)
    batch.mapping = auto_mapping(sheets.SHEETS[slug], read_sheet(content).headers)
    batch.save(update_fields=["mapping"])
    return sheets.run(world.reporter, batch)


STAFF_HEADERS = ["姓名", "执法岗位", "执法证号", "发证日期", "有效期至"]
CASE_HEADERS = ["案号", "类别", "案由", "当事人", "当事人是自然人", "承办人员执法证号", "决定书内容",
                "立案日期", "调查日期", "告知日期", "决定日期", "法制审核人", "法制审核意见", "法制审核日期",
                "重大执法决定情形"]  # fmt: skip


def test_staff_import_creates_officers_and_certificates(world):
    count = _import(world, "enf_staff", xlsx(STAFF_HEADERS, [
        ["刘执法", "综合执法", "C-1", "2022-01-01", "2026-12-31"],
        ["刘执法", "综合执法", "C-0", "2017-01-01", "2021-12-31"],
        ["陈执法", "", "C-2", "2022年3月1日", "2026-12-31"],
    ]))  # fmt: skip
    assert count == 3
    assert Officer.objects.filter(unit=world.town).count() == 2
    assert Certificate.objects.filter(officer__name="刘执法").count() == 2


def test_a_bad_staff_row_imports_nothing_and_says_why(world):
    with pytest.raises(sheets.ImportRefused) as refused:
        _import(world, "enf_staff", xlsx(STAFF_HEADERS, [
            ["刘执法", "", "C-1", "2022-01-01", "2026-12-31"],
            ["陈执法", "", "C-2", "2022-13-01", "2026-12-31"],
            ["", "", "C-3", "2022-01-01", "2021-12-31"],
            ["周执法", "", "C-1", "2022-01-01", "2026-12-31"],
        ]))  # fmt: skip
    errors = refused.value.errors
    assert "第3行“发证日期”：“2022-13-01”不是有效日期（如 2024-03-31）。" in errors
    assert "第4行“姓名”：不能为空。" in errors
    assert any(e.startswith("第2行：表中有多行执法证号“C-1”") for e in errors)
    assert not Officer.objects.exists() and not Certificate.objects.exists()


def test_a_case_row_runs_through_the_gates(world):
    _import(world, "enf_staff", xlsx(STAFF_HEADERS, [
        ["刘执法", "", "C-1", "2022-01-01", "2026-12-31"], ["陈执法", "", "C-2", "2022-01-01", "2026-12-31"]]))  # fmt: skip
    good = ["罚〔2024〕1号", "处罚", "占道经营", "某商行", "否", "C-1、C-2", "决定罚款。", "2024-09-01",
            "2024-09-02", "2024-09-03", "2024-09-10", "", "", "", ""]  # fmt: skip
    major_unreviewed = ["罚〔2024〕2号", "处罚", "x", "张三", "是", "C-1、C-2", "决定罚款。", "2024-09-01",
                        "2024-09-02", "2024-09-03", "2024-09-10", "", "", "", "涉及重大公共利益"]  # fmt: skip
    lone = [
        "罚〔2024〕3号",
        "处罚",
        "x",
        "某店",
        "否",
        "C-1",
        "",
        "2024-09-01",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    unknown = [
        "罚〔2024〕4号",
        "罚款",
        "x",
        "某店",
        "否",
        "C-9",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    with pytest.raises(sheets.ImportRefused) as refused:
        _import(world, "enf_cases", xlsx(CASE_HEADERS, [good, major_unreviewed, lone, unknown]))
    errors = refused.value.errors
    assert any(e.startswith("第5行“类别”：“罚款”不是可选的值") for e in errors), errors
    assert not Case.objects.exists()
    # Without the bad rows, after fixing the major case with its review, all import.
    major_unreviewed[11:14] = ["黄律", "同意", "2024-09-09"]
    with pytest.raises(sheets.ImportRefused) as refused:
        _import(world, "enf_cases", xlsx(CASE_HEADERS, [good, major_unreviewed, lone]))
    assert refused.value.errors == [
        "第4行：处罚须由至少2名持有效执法证的执法人员实施，目前1名（《中华人民共和国行政处罚法》第四十二条：执法人员不得少于两人）。"
    ]
    assert _import(world, "enf_cases", xlsx(CASE_HEADERS, [good, major_unreviewed])) == 2
    case = Case.objects.get(number="罚〔2024〕2号")
    assert case.party_is_person and case.legal_review.reviewer == "黄律"
    assert [e.kind for e in case.events.all()] == ["filed", "investigated", "notified", "decided"]


def test_a_major_case_without_review_is_refused_on_import(world):
    _import(world, "enf_staff", xlsx(STAFF_HEADERS, [
        ["刘执法", "", "C-1", "2022-01-01", "2026-12-31"], ["陈执法", "", "C-2", "2022-01-01", "2026-12-31"]]))  # fmt: skip
    row = ["罚〔2024〕2号", "处罚", "x", "张三", "是", "C-1、C-2", "决定罚款。", "2024-09-01",
           "2024-09-02", "2024-09-03", "2024-09-10", "", "", "", "涉及重大公共利益"]  # fmt: skip
    with pytest.raises(sheets.ImportRefused) as refused:
        _import(world, "enf_cases", xlsx(CASE_HEADERS, [row]))
    assert "作出决定前须经法制审核" in refused.value.errors[0]
    assert refused.value.errors[0].startswith("第2行：")


def test_the_export_reads_back_as_an_import(world, officers, penalty):
    client = client_for(world.reporter)
    content = client.get(reverse("enforcement:export", args=["enf_cases"])).content
    sheet = read_sheet(content)
    assert sheet.headers[:3] == ["案号", "类别", "案由"] and sheet.rows[0][1][1] == "处罚"
    penalty.hidden_reason = "x"
    penalty.save()
    assert _import(world, "enf_cases", content) == 1
    staff = client.get(reverse("enforcement:export", args=["enf_staff"])).content
    assert [r[1][2] for r in read_sheet(staff).rows] == ["440100202200", "440100202201"]


def test_the_import_pages_show_the_errors_and_import_nothing(world):
    client = client_for(world.reporter)
    bad = xlsx(STAFF_HEADERS, [["刘执法", "", "C-1", "不是日期", "2026-12-31"]])
    response = client.post(reverse("enforcement:import", args=["enf_staff"]),
                           {"unit": world.town.pk, "file": SimpleUploadedFile("人员.xlsx", bad)})  # fmt: skip
    batch_url = response["Location"]
    page = client.post(batch_url, {"confirm": "1"}).content.decode()
    assert "未导入任何记录" in page and "第2行“发证日期”：“不是日期”不是有效日期" in page
    assert not Officer.objects.exists()
    good = xlsx(STAFF_HEADERS, [["刘执法", "", "C-1", "2024-01-01", "2026-12-31"]])
    response = client.post(reverse("enforcement:import", args=["enf_staff"]),
                           {"unit": world.town.pk, "file": SimpleUploadedFile("人员.xlsx", good)})  # fmt: skip
    assert "检查无误" in client.post(response["Location"], {"preview": "1", "col-name": "0", "col-number": "2",
                                                        "col-issued_on": "3", "col-expires_on": "4"}).content.decode()  # fmt: skip
    assert client.post(response["Location"], {"confirm": "1"}).status_code == 302
    assert Officer.objects.get().certificates.get().issued_on == D("2024-01-01")


def test_a_file_that_is_not_a_sheet_is_refused_in_chinese(world):
    client = client_for(world.reporter)
    response = client.post(reverse("enforcement:import", args=["enf_staff"]),
                           {"unit": world.town.pk, "file": SimpleUploadedFile("x.xlsx", b"not a sheet")},
                           follow=True)  # fmt: skip
    assert 'class="error"' in response.content.decode() and not Officer.objects.exists()
