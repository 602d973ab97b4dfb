"""Importing ledger sheets: column mapping, preview, a Chinese error per bad row, nothing
half-imported; the export reads back as an import."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.ledgers import importing
from fazhi_web.ledgers.models import DisclosureRequest, MajorDecision, NormativeDocument
from fazhi_web.ledgers.sheets import LEDGERS, auto_mapping, read_sheet, write_sheet
from fazhi_web.ledgers.tests.conftest import D, client_for
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.models import Level, Unit
from fazhi_web.units.xlsx import SheetError

HEADERS = [
    "标题",
    "发文字号",
    "送审日期",
    "审核完成日期",
    "审核意见",
    "集体审议会议",
    "审议日期",
    "发布日期",
    "施行日期",
]
GOOD = ["清河镇停车管理办法", "清府〔2024〕1号", "2024-03-01", dt.date(2024, 3, 8), "合法", "党委会",
        "2024年3月20日", dt.datetime(2024, 4, 1), "2024/5/6"]  # fmt: skip


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def preview(world, rows, ledger="documents", headers=HEADERS):
    batch = importing.upload(world.reporter, ledger, world.town, "台账.xlsx", xlsx(rows, headers))
    batch.mapping = auto_mapping(LEDGERS[ledger], read_sheet(bytes(batch.content)).headers)
    batch.save()
    return batch, importing.preview(batch, batch.mapping)


def test_headers_map_by_name_and_alias(world):
    mapping = auto_mapping(LEDGERS["documents"], HEADERS)
    assert mapping["title"] == 0 and mapping["doc_number"] == 1 and mapping["published_on"] == 7


def test_a_good_sheet_is_previewed_then_imported_with_dates_in_any_common_form(world):
    batch, result = preview(world, [GOOD])
    assert result.errors == []
    assert NormativeDocument.objects.count() == 0  # the preview writes nothing
    assert importing.run(world.reporter, batch) == 1
    doc = NormativeDocument.objects.get()
    assert (doc.reviewed_on, doc.deliberated_on, doc.published_on, doc.effective_on) == (
        D("2024-03-08"), D("2024-03-20"), D("2024-04-01"), D("2024-05-06"),
    )  # fmt: skip
    assert doc.review_unit == world.town  # by default the unit's own legal office
    assert AuditEntry.objects.filter(action="document.import").count() == 1
    assert AuditEntry.objects.filter(action="ledger.import").count() == 1
    with pytest.raises(ActionRefused, match="已经导入"):
        importing.run(world.reporter, batch)


def bad_date_row():
    return [GOOD[0], "清府〔2024〕2号", *GOOD[2:7], "2024-13-01", GOOD[8]]


def test_one_bad_row_and_nothing_is_imported(world):
    bad = bad_date_row()
    batch, result = preview(world, [GOOD, bad])
    assert result.errors == ["第3行“公布日期”：“2024-13-01”不是有效日期（如 2024-03-31）。"]
    with pytest.raises(importing.ImportRefused):
        importing.run(world.reporter, batch)
    assert NormativeDocument.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({0: None}, "第2行“文件名称”：不能为空。"),
        ({7: "下周一"}, "第2行“公布日期”：“下周一”不是有效日期"),
        ({4: None, 3: None, 5: None, 6: None}, "第2行：未经合法性审核的规范性文件不得公布"),
        ({5: None, 6: None}, "第2行：未经集体审议的规范性文件不得公布"),
        ({8: "2024-04-10"}, "第2行：施行日期距公布不足30日"),
        ({7: "2025-01-01", 8: "2025-02-01"}, "第2行：“公布日期”（2025-01-01）晚于今天"),
    ],
)
def test_each_bad_row_gets_its_chinese_error(world, change, message):
    row = [change.get(i, v) for i, v in enumerate(GOOD)]
    _, result = preview(world, [row])
    assert any(e.startswith(message) for e in result.errors), result.errors


def test_bad_choices_and_units_are_named(world):
    headers = [*HEADERS, "备案机关", "报送备案日期", "有效期（年）"]
    Unit.objects.create(
        name="南湖区清河镇", level=Level.TOWN, region="西山市", parent=world.other_city
    )
    rows = [
        [*GOOD, "不存在的单位", "2024-04-10", "五"],
        [*GOOD[:1], "清府〔2024〕2号", *GOOD[2:], "南湖区清河镇", "2024-04-10", 5],
    ]
    _, result = preview(world, rows, headers=headers)
    assert "第2行“备案机关”：找不到名为“不存在的单位”的单位。" in result.errors
    assert "第2行“有效期（年）”：“五”不是整数。" in result.errors
    assert any(
        "有多个名为“南湖区清河镇”的单位，请写成“上级单位/南湖区清河镇”" in e for e in result.errors
    )


def test_a_choice_accepts_its_label(world):
    headers = ["申请人类型", "申请渠道", "提交日期", "签收或确认日期", "办理结果", "答复日期"]
    rows = [["自然人", "网络", "2024-03-01", "2024-03-04", "（一）予以公开", "2024-03-20"],
            ["外国人", "电话", "2024-03-01", None, None, None]]  # fmt: skip
    _, result = preview(world, rows, "requests", headers)
    assert any(
        "第3行“申请人类型”：“外国人”不是可选的值（可填：自然人、" in e for e in result.errors
    )
    assert any(e.startswith("第3行“申请渠道”：“电话”不是可选的值") for e in result.errors)
    assert not any(e.startswith("第2行") for e in result.errors)


def test_duplicates_in_the_sheet_and_in_the_ledger_are_refused(world, published_doc):
    same_as_ledger = [GOOD[0], published_doc.doc_number, *GOOD[2:]]
    _, result = preview(world, [GOOD, GOOD, same_as_ledger])
    assert "第2行：表中有多行文号相同。" in result.errors
    assert "第3行：表中有多行文号相同。" in result.errors
    assert "第4行：与已登记的记录重复（文号相同）。" in result.errors


def test_a_required_column_must_be_mapped(world):
    _, result = preview(world, [["清府〔2024〕1号"]], headers=["文号"])
    assert result.errors == ["请为必填列“文件名称”选择表格中的列。"]


def test_decision_procedures_import_and_the_gate_applies(world):
    headers = [
        "目录年度",
        "决策事项",
        "合法性审查完成日期",
        "集体讨论决定完成日期",
        "决定日期",
        "决定会议",
    ]
    rows = [[2024, "垃圾分类方案", "2024-03-01", "2024-03-10", "2024-03-10", "党委会"]]
    _, result = preview(world, rows, "decisions", headers)
    assert any(
        "不能标记为已决定：尚未记录“公众参与”“专家论证”“风险评估”" in e for e in result.errors
    )
    headers += ["公众参与不适用理由", "专家论证不适用理由", "风险评估不适用理由"]
    rows = [[*rows[0], "不涉及公众切身利益", "专业性不强", "风险较低"]]
    batch, result = preview(world, rows, "decisions", headers)
    assert result.errors == []
    importing.run(world.reporter, batch)
    decision = MajorDecision.objects.get()
    assert decision.procedures.count() == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a spreadsheet", "不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 .xls 格式或设置了打开密码"),
        (b"PK\x03\x04broken", "无法读取该文件"),
    ],
)
def test_unreadable_files_are_refused_at_upload(world, content, message):
    with pytest.raises(SheetError, match=message):
        importing.upload(world.reporter, "documents", world.town, "x.xlsx", content)


def test_an_empty_sheet_is_refused(world):
    workbook = openpyxl.Workbook()
    out = BytesIO()
    workbook.save(out)
    with pytest.raises(SheetError, match="表格是空的"):
        importing.upload(world.reporter, "documents", world.town, "x.xlsx", out.getvalue())


def test_only_the_units_own_staff_may_import(world):
    with pytest.raises(ActionRefused, match="只有南湖区清河镇的填报人员"):
        importing.upload(world.reviewer, "documents", world.town, "x.xlsx", xlsx([GOOD]))


def test_the_export_reads_back_as_an_import(world, published_doc, request_in_town):
    exported = write_sheet(LEDGERS["documents"], NormativeDocument.objects.all())
    sheet = read_sheet(exported)
    assert sheet.headers[:3] == ["文件名称", "文号", "起草日期"]
    published_doc.hidden_reason = "重新导入"
    published_doc.save()
    batch = importing.upload(world.reporter, "documents", world.town, "导出.xlsx", exported)
    batch.mapping = auto_mapping(LEDGERS["documents"], sheet.headers)
    batch.save()
    assert importing.preview(batch, batch.mapping).errors == []
    assert importing.run(world.reporter, batch) == 1
    copy = NormativeDocument.objects.get(hidden_reason="")
    assert (copy.title, copy.published_on, copy.filing_unit) == (
        published_doc.title,
        published_doc.published_on,
        published_doc.filing_unit,
    )
    requests = read_sheet(write_sheet(LEDGERS["requests"], DisclosureRequest.objects.all()))
    assert requests.rows[0][1][requests.headers.index("申请渠道")] == "当面"


def test_a_formula_like_title_is_exported_as_text(world):
    services_doc = NormativeDocument.objects.create(unit=world.town, title='=HYPERLINK("x")')
    workbook = openpyxl.load_workbook(BytesIO(write_sheet(LEDGERS["documents"], [services_doc])))
    assert workbook.active["A2"].data_type == "s"


def test_the_import_pages_map_preview_and_import(world):
    client = client_for(world.reporter)
    upload = SimpleUploadedFile("台账.xlsx", xlsx([GOOD, bad_date_row()]))
    response = client.post(
        reverse("ledgers:import", args=["documents"]), {"unit": world.town.pk, "file": upload}
    )
    batch_url = response["Location"]
    page = client.get(batch_url).content.decode()
    assert 'name="col-title"' in page and "selected" in page
    mapping = {f"col-{k}": v for k, v in auto_mapping(LEDGERS["documents"], HEADERS).items()}
    page = client.post(batch_url, {"preview": "1", **mapping}).content.decode()
    assert "未导入任何记录" in page and "第3行“公布日期”" in page
    mapping.pop("col-published_on")
    mapping.pop("col-effective_on")
    page = client.post(batch_url, {"preview": "1", **mapping}).content.decode()
    assert "未经合法性审核" not in page
    assert "2 条记录检查无误" in page
    response = client.post(batch_url, {"confirm": "1"}, follow=True)
    assert "已导入2条规范性文件记录" in response.content.decode()
    assert NormativeDocument.objects.count() == 2


def test_another_users_batch_is_not_found(world):
    batch = importing.upload(world.reporter, "documents", world.town, "x.xlsx", xlsx([GOOD]))
    assert (
        client_for(world.district_reporter)
        .get(reverse("ledgers:import_batch", args=[batch.pk]))
        .status_code
        == 404
    )
