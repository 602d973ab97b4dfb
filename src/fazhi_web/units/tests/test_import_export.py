"""Units in and out of Excel: all rows checked first, nothing imported if one is wrong."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.units import services
from fazhi_web.units.models import Level, Unit
from fazhi_web.units.xlsx import SheetError, read_units_sheet

from .conftest import read_sheet, sheet


def upload(client, content: bytes, name: str = "单位.xlsx"):
    return client.post(reverse("units:import"), {"file": SimpleUploadedFile(name, content)})


def test_import_creates_units_in_order(client, world):
    client.force_login(world.admin)
    content = sheet(
        [
            ["南湖区白沙街道", "乡镇（街道）", "东江市南湖区白沙街道", "东江市南湖区"],
            ["白沙街道综合执法队", "政府部门", "", "南湖区白沙街道"],  # a unit created two rows up
            ["东江市高新区", "开发区", "东江市", "东江市"],
            ["南湖区清河镇", "town", "新地区", "东江市南湖区"],  # exists: updated
            ["东江市司法局", "政府部门", "东江市", "东江市"],  # exists, same values: unchanged
        ]
    )
    response = upload(client, content)
    assert response.status_code == 200
    body = response.content.decode()
    assert "新建 3 个，更新 1 个，未变化 1 个" in body
    street = Unit.objects.get(name="南湖区白沙街道")
    assert street.parent == world.district and street.level == Level.TOWN
    team = Unit.objects.get(name="白沙街道综合执法队")
    assert team.parent == street and team.path.startswith(street.path)
    assert Unit.objects.get(name="东江市高新区").level == Level.ZONE
    world.town.refresh_from_db()
    assert world.town.region == "新地区"
    entry = AuditEntry.objects.get(action="unit.import")
    assert (
        entry.after["created"] == 3
        and entry.after["updated"] == 1
        and entry.after["unchanged"] == 1
    )
    assert entry.unit == world.city and "单位.xlsx" in entry.summary
    assert [c["row"] for c in entry.after["changes"]] == [2, 3, 4, 5]


def test_import_reports_every_bad_row_and_imports_nothing(client, world):
    client.force_login(world.admin)
    content = sheet(
        [
            ["好的镇", "乡镇（街道）", "", "东江市南湖区"],
            ["", "政府部门", "", "东江市"],
            ["无层级局", "", "", "东江市"],
            ["怪层级局", "村级", "", "东江市"],
            ["越界局", "政府部门", "", "西山市"],
            ["孤儿局", "政府部门", "", "不存在的单位"],
            ["好的镇", "乡镇（街道）", "", "东江市南湖区"],
            ["无上级", "市级", "", ""],
            ["很长" * 60, "政府部门", "", "东江市"],
        ]
    )
    response = upload(client, content)
    assert response.status_code == 400
    body = response.content.decode()
    assert "未导入任何单位" in body
    for expected in [
        "第3行：名称不能为空",
        "第4行：层级不能为空",
        "第5行：层级“村级”无法识别",
        "第6行：上级单位“西山市”不存在或不在您的管理范围内",
        "第7行：上级单位“不存在的单位”不存在",
        "第8行：与第2行重复",
        "第9行：上级单位不能为空",
        "第10行：名称不能超过100个字",
    ]:
        assert expected in body, expected
    assert not Unit.objects.filter(name__in=["好的镇", "越界局", "无上级"]).exists()
    # The login itself is logged; nothing else is.
    assert not AuditEntry.objects.exclude(action="login").exists()


def test_import_cannot_reach_into_another_city(client, world):
    client.force_login(world.admin)
    response = upload(client, sheet([["西山市白石镇", "乡镇（街道）", "改写", "西山市"]]))
    assert response.status_code == 400
    world.other_town.refresh_from_db()
    assert world.other_town.region == "西山市白石镇"
    # Nor overwrite the other city by naming it as a top-level row.
    response = upload(client, sheet([["西山市", "市级", "改写", ""]]))
    assert response.status_code == 400
    world.other_city.refresh_from_db()
    assert world.other_city.region == "西山市"


def test_import_refuses_creating_under_hidden_parent(world):
    services.hide_unit(world.admin, world.district_bureau, "撤并")
    rows = read_units_sheet(sheet([["科室", "政府部门", "", "南湖区市场监督管理局"]]))
    with pytest.raises(services.ImportRefused) as exc:
        services.import_units(world.admin, rows)
    assert "已隐藏" in exc.value.errors[0]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 .xls"),
        (b"name,level\n", "不是 Excel 工作簿"),
        (b"%PDF-1.7\n", "不是 Excel 工作簿"),
        (b"PK\x03\x04garbage", "无法读取该文件"),
    ],
)
def test_non_xlsx_files_are_refused_with_a_clear_message(client, world, content, message):
    client.force_login(world.admin)
    response = upload(client, content, "单位.xlsx")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_docx_renamed_to_xlsx_is_refused(client, world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    client.force_login(world.admin)
    response = upload(client, out.getvalue())
    assert response.status_code == 400
    assert "无法读取该文件" in response.content.decode()


def test_missing_header_is_named():
    with pytest.raises(SheetError, match="上级单位"):
        read_units_sheet(sheet([["x", "市级", ""]], header=("名称", "层级", "地区")))


def test_sheet_reading_skips_blank_rows_and_keeps_row_numbers():
    rows = read_units_sheet(
        sheet([["甲", "市级", 123, ""], [None, None, None, None], ["乙", "省级", "", "甲"]])
    )
    assert [(r.number, r.name, r.region) for r in rows] == [(2, "甲", "123"), (4, "乙", "")]


@pytest.mark.parametrize(
    "text, level",
    [
        ("市级", "city"),
        ("县级", "county"),
        ("县级（县、县级市、区）", "county"),
        ("乡镇（街道）", "town"),
        ("乡镇(街道)", "town"),
        ("街道", "town"),
        ("政府部门", "department"),
        ("开发区（园区）", "zone"),
        ("省级", "province"),
        ("CITY", "city"),
        ("zone", "zone"),
        ("村", None),
    ],
)
def test_level_labels(text, level):
    assert services.parse_level(text) == level


def test_export_lists_own_units_only(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("units:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = read_sheet(response.content)
    assert rows[0] == ("名称", "层级", "地区", "上级单位")
    names = [r[0] for r in rows[1:]]
    assert set(names) == {
        "东江市",
        "东江市司法局",
        "东江市南湖区",
        "南湖区市场监督管理局",
        "南湖区清河镇",
    }
    assert ("南湖区清河镇", "乡镇（街道）", "东江市南湖区清河镇", "东江市南湖区") in rows
    assert ("东江市", "市级", "东江市", "") in rows
    assert "西山市" not in str(rows)


def test_export_reimports_cleanly(client, world):
    client.force_login(world.admin)
    content = client.get(reverse("units:export")).content
    response = upload(client, content)
    assert response.status_code == 200
    assert "新建 0 个，更新 0 个，未变化 5 个" in response.content.decode()


def test_export_reimports_cleanly_for_a_district_admin(client, world, district_admin):
    client.force_login(district_admin)
    content = client.get(reverse("units:export")).content
    rows = read_sheet(content)
    # The district's parent is out of the admin's reach, so it is left blank.
    assert ("东江市南湖区", "县级（县、县级市、区）", "东江市南湖区", "") in rows
    assert "东江市司法局" not in str(rows)
    response = upload(client, content)
    assert "新建 0 个，更新 0 个，未变化 3 个" in response.content.decode()


def test_export_uses_paths_for_repeated_names_and_reimports(client, world):
    a = Unit.objects.create(name="执法队", level=Level.DEPARTMENT, parent=world.town)
    b = Unit.objects.create(name="执法队", level=Level.DEPARTMENT, parent=world.district)
    Unit.objects.create(name="一中队", level=Level.DEPARTMENT, parent=a)
    Unit.objects.create(name="二中队", level=Level.DEPARTMENT, parent=b)
    client.force_login(world.admin)
    content = client.get(reverse("units:export")).content
    rows = read_sheet(content)
    assert ("一中队", "政府部门", "", "东江市/东江市南湖区/南湖区清河镇/执法队") in rows
    assert ("二中队", "政府部门", "", "东江市/东江市南湖区/执法队") in rows
    response = upload(client, content)
    assert "新建 0 个，更新 0 个，未变化 9 个" in response.content.decode()
    # A bare repeated name is ambiguous and says how to fix it.
    response = upload(client, sheet([["三中队", "政府部门", "", "执法队"]]))
    assert "有多个同名单位" in response.content.decode()
    response = upload(client, sheet([["三中队", "政府部门", "", "南湖区清河镇/执法队"]]))
    assert response.status_code == 200
    assert Unit.objects.get(name="三中队").parent == a


def test_export_leaves_hidden_units_out(client, world):
    services.hide_unit(world.admin, world.district_bureau, "撤并")
    client.force_login(world.admin)
    rows = read_sheet(client.get(reverse("units:export")).content)
    assert "南湖区市场监督管理局" not in [r[0] for r in rows]


def test_export_keeps_formula_like_names_as_text(client, world):
    Unit.objects.create(name='=HYPERLINK("http://x")', level=Level.DEPARTMENT, parent=world.city)
    client.force_login(world.admin)
    content = client.get(reverse("units:export")).content
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "HYPERLINK" in xml
