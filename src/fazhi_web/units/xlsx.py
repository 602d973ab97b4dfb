"""Reading and writing the unit sheet (名称, 层级, 地区, 上级单位) as .xlsx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import openpyxl
from openpyxl.styles import Font

HEADERS = ("名称", "层级", "地区", "上级单位")
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
# Old .xls files and password-protected .xlsx files are both OLE compound documents.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SheetError(Exception):
    """The file cannot be read as a unit sheet; the message is for the user."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number Excel shows, so errors can point at it
    name: str
    level: str
    region: str
    parent: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    return " ".join(str(value).split())


def open_workbook(content: bytes) -> Any:
    """The workbook in read-only mode, or SheetError with a Chinese message. Close it after."""
    if len(content) > MAX_BYTES:
        raise SheetError(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB 的大小限制。")
    if content.startswith(_OLE_MAGIC):
        raise SheetError(
            "该文件是旧版 .xls 格式或设置了打开密码，请在 Excel 中另存为“Excel 工作簿（.xlsx）”并取消密码后再导入。"
        )
    if not content.startswith(_ZIP_MAGIC):
        raise SheetError("文件不是 Excel 工作簿（.xlsx），请上传 .xlsx 文件。")
    try:
        workbook = openpyxl.load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise SheetError(
            "无法读取该文件：文件已损坏或不是有效的 Excel 工作簿（.xlsx），请在 Excel 中重新保存后再试。"
        ) from None
    if not workbook.worksheets:
        workbook.close()
        raise SheetError("工作簿中没有工作表。")
    return workbook


def read_units_sheet(content: bytes) -> list[SheetRow]:
    """The non-empty rows of the first worksheet, or SheetError with a Chinese message."""
    workbook = open_workbook(content)
    try:
        return _rows(workbook)
    except SheetError:
        raise
    except Exception:
        # read-only mode parses lazily, so broken sheet XML only shows up while iterating.
        raise SheetError(
            "读取表格内容时出错，文件可能已损坏，请在 Excel 中重新保存后再试。"
        ) from None
    finally:
        workbook.close()


def _rows(workbook: Any) -> list[SheetRow]:
    sheet = workbook.worksheets[0]
    columns: dict[str, int] = {}
    rows: list[SheetRow] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_text(v) for v in values]
        if not any(cells):
            continue
        if not columns:
            # The first non-empty row is the header; extra columns are ignored.
            for index, cell in enumerate(cells):
                if cell in HEADERS and cell not in columns:
                    columns[cell] = index
            missing = [h for h in HEADERS if h not in columns]
            if missing:
                raise SheetError(
                    f"第{number}行表头缺少“{'”“'.join(missing)}”列。"
                    f"表头应为：{'、'.join(HEADERS)}。"
                )
            continue
        if len(rows) >= MAX_ROWS:
            raise SheetError(f"表格超过 {MAX_ROWS} 行，请分批导入。")

        def cell(header: str, cells: list[str] = cells) -> str:
            index = columns[header]
            return cells[index] if index < len(cells) else ""

        rows.append(
            SheetRow(
                number=number,
                name=cell("名称"),
                level=cell("层级"),
                region=cell("地区"),
                parent=cell("上级单位"),
            )
        )
    if not columns:
        raise SheetError(f"表格是空的。第一行应为表头：{'、'.join(HEADERS)}。")
    return rows


def write_units_sheet(rows: Iterable[tuple[str, str, str, str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "单位"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if not value:
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            # A name starting with "=" must stay text, never become a formula.
            cell.data_type = "s"
    for letter, width in zip("ABCD", (30, 22, 30, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
