"""The statistics table as an Excel workbook: the same columns and rows as the screen."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi_web.stats.queries import Table

CORRECTED_FILL = PatternFill("solid", fgColor="FDE68A")
# The engine's values no reviewer has checked: the number stays a number (Excel sums
# and sorts it) and shows with "*", as on the screen.
UNCHECKED_FORMAT = 'General"*"'
UNCHECKED_NOTE = "带“*”的数值由系统自动识别，尚未经审查人员核对（单元格仍为数值，可求和、排序）。"
ID_FONT = Font(color="808080", size=9)


def table_workbook(table: Table, title: str, note: str = "") -> bytes:
    """Row 1: Chinese column names; row 2: column ids; then one row per obligation.

    Numbers stay numeric so that Excel can sum and sort them; corrected values
    are shaded and values not yet checked by a reviewer show with "*" (a number
    format), as they are marked on the screen.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    ws.append([c.label for c in table.columns])
    ws.append([c.key for c in table.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for cell in ws[2]:
        cell.font = ID_FONT
    for row in table.rows:
        ws.append([row.cells.get(c.key) for c in table.columns])
        if row.corrected or row.unchecked:
            excel_row = ws.max_row
            for i, c in enumerate(table.columns, start=1):
                if c.key in row.corrected:
                    ws.cell(row=excel_row, column=i).fill = CORRECTED_FILL
                elif c.key in row.unchecked:
                    ws.cell(row=excel_row, column=i).number_format = UNCHECKED_FORMAT
    ws.freeze_panes = "B3"
    ws.column_dimensions["A"].width = 28
    for i in range(2, len(table.columns) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 14

    about = wb.create_sheet("说明")
    about.append([title])
    if note:
        about.append([note])
    about.append(["第1行为中文列名，第2行为字段标识，其后每行为一个单位的报告。"])
    about.append(["黄色底纹的数值为审查员更正后的数值。"])
    about.append([UNCHECKED_NOTE])
    about.append(
        [
            "列名带“（台账）”的为单位在平台登记的台账按报告年度计算的数字，带“（报告）”或不带的为报告所述。"
        ]
    )
    about.append(["“按时报送”：报送日期不晚于（延期后的）截止日期为“按时”。"])

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
