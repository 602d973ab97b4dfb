"""The ledgers as .xlsx sheets: the columns of each ledger, reading an office's own sheet
through a column mapping, and writing the export (which reads back as an import).

Reading never half-imports: every row is parsed and checked first, each bad row gets
its Chinese error, and only a sheet without errors is written, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import openpyxl
from django.db import models
from openpyxl.styles import Font

from fazhi_web.ledgers.models import (
    PROCEDURES,
    DisclosureRequest,
    MajorDecision,
    NormativeDocument,
    Procedure,
)
from fazhi_web.units.models import Unit
from fazhi_web.units.xlsx import MAX_BYTES, MAX_ROWS, SheetError, open_workbook

TEXT, DATE, INT, CHOICE, UNIT = "text", "date", "int", "choice", "unit"


@dataclass(frozen=True)
class Column:
    key: str  # a model field, or "procedure:<kind>:<field>"
    label: str
    kind: str
    required: bool = False
    choices: Mapping[str, str] = field(default_factory=dict)  # label or code -> code
    aliases: tuple[str, ...] = ()

    def value_label(self, value: Any) -> Any:
        if self.kind == CHOICE and value:
            return next(
                (label for label, code in self.choices.items() if code == value and label != code),
                value,
            )
        if self.kind == UNIT and value is not None:
            return value.name
        return value


def _columns(
    model: type[models.Model], names: Sequence[str], aliases: Mapping[str, Sequence[str]]
) -> list[Column]:
    out = []
    for name in names:
        f = model._meta.get_field(name)
        if isinstance(f, models.ForeignKey):
            kind = UNIT
        elif isinstance(f, models.DateField):
            kind = DATE
        elif isinstance(f, models.IntegerField):
            kind = INT
        elif f.choices:
            kind = CHOICE
        else:
            kind = TEXT
        choices: dict[str, str] = {}
        for code, label in f.choices or ():
            choices[str(label)] = code
            choices[code] = code
        required = not f.blank and not f.null and name != "unit"
        out.append(
            Column(name, str(f.verbose_name), kind, required, choices, tuple(aliases.get(name, ())))
        )
    return out


@dataclass(frozen=True)
class Ledger:
    slug: str
    label: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    # Columns that identify a record: a second row or record with the same values is a duplicate.
    identity: tuple[str, ...]
    # The ledgers of other apps (registered with `register`) say how their records are
    # checked and logged, where their list is, and which records a year's export holds;
    # the three ledgers of this app keep theirs in services.EVENTS and checks.
    audit_prefix: str = ""
    problems: Callable[[Any], list[str]] | None = None
    list_url: str = ""
    year_filter: Callable[[int], Any] | None = None


DOCUMENT_FIELDS = (
    "title", "doc_number", "drafted_on", "review_unit", "review_submitted_on", "reviewer",
    "review_opinion", "reviewed_on", "deliberation", "deliberated_on", "published_on",
    "effective_on", "early_effect_reason", "validity_years", "filing_unit", "filed_on",
    "filing_result", "filing_result_on", "filing_note", "correction_due", "evaluated_on",
    "evaluation_note", "ended", "ended_on", "end_note",
)  # fmt: skip
DECISION_FIELDS = (
    "year", "title", "sponsor", "description", "review_unit", "decided_on", "decision_meeting",
    "decision_result", "archived_on", "evaluated_on", "evaluation_note",
)  # fmt: skip
REQUEST_FIELDS = (
    "number", "applicant_type", "applicant", "channel", "submitted_on", "confirmed_on", "content",
    "correction_requested_on", "correction_received_on", "third_party_sent_on",
    "third_party_replied_on", "extension_approved_on", "extension_approver", "replied_on",
    "outcome", "outcome_note",
)  # fmt: skip
ALIASES = {
    "title": ("标题", "名称", "文件标题", "决策事项名称"),
    "doc_number": ("发文字号", "文件编号"),
    "published_on": ("发布日期", "印发日期", "公布时间"),
    "effective_on": ("生效日期", "实施日期"),
    "filed_on": ("备案日期", "报备日期"),
    "filing_unit": ("备案审查机关",),
    "review_unit": ("审核机构", "审查机构"),
    "year": ("年度",),
    "number": ("申请编号", "序号"),
    "submitted_on": ("申请日期", "提交时间"),
    "replied_on": ("答复时间", "办结日期"),
    "outcome": ("处理结果", "答复结果"),
    "channel": ("申请方式",),
}

PROCEDURE_COLUMNS = tuple(
    column
    for p in PROCEDURES
    for column in (
        Column(f"procedure:{p['code']}:done_on", f"{p['label']}完成日期", DATE),
        Column(f"procedure:{p['code']}:not_applicable_reason", f"{p['label']}不适用理由", TEXT),
    )
)

LEDGERS = {
    ledger.slug: ledger
    for ledger in (
        Ledger("documents", "规范性文件", NormativeDocument,
               tuple(_columns(NormativeDocument, DOCUMENT_FIELDS, ALIASES)), ("doc_number",)),
        Ledger("decisions", "重大行政决策", MajorDecision,
               (*_columns(MajorDecision, DECISION_FIELDS[:5], ALIASES), *PROCEDURE_COLUMNS,
                *_columns(MajorDecision, DECISION_FIELDS[5:], ALIASES)), ("year", "title")),
        Ledger("requests", "依申请公开", DisclosureRequest,
               tuple(_columns(DisclosureRequest, REQUEST_FIELDS, ALIASES)), ("number",)),
    )
}  # fmt: skip


def register(ledger: Ledger) -> None:
    """Add another app's ledger (from its AppConfig.ready) to the shared import and export."""
    if LEDGERS.get(ledger.slug, ledger) is not ledger:
        raise ValueError(f"ledger slug {ledger.slug!r} is taken")
    LEDGERS[ledger.slug] = ledger


def columns_of(
    model: type[models.Model], names: Sequence[str], aliases: Mapping[str, Sequence[str]]
) -> tuple[Column, ...]:
    return tuple(_columns(model, names, aliases))


# -- reading -------------------------------------------------------------------------------


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (the row number Excel shows, raw values)


def _norm(text: Any) -> str:
    return re.sub(r"[\s*＊（）()：:]", "", str(text or ""))


def read_sheet(content: bytes) -> Sheet:
    """The first worksheet: the first non-empty row as headers, then the non-empty rows."""
    workbook = open_workbook(content)
    try:
        sheet = workbook.worksheets[0]
        headers: list[str] | None = None
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            if not any(v not in (None, "") and str(v).strip() for v in cells):
                continue
            if headers is None:
                headers = [" ".join(str(v or "").split()) for v in cells]
                continue
            if len(rows) >= MAX_ROWS:
                raise SheetError(f"表格超过 {MAX_ROWS} 行，请分批导入。")
            rows.append((number, cells))
    except SheetError:
        raise
    except Exception:
        raise SheetError(
            "读取表格内容时出错，文件可能已损坏，请在 Excel 中重新保存后再试。"
        ) from None
    finally:
        workbook.close()
    if headers is None:
        raise SheetError("表格是空的：第一行应为表头。")
    return Sheet(headers, rows)


def auto_mapping(ledger: Ledger, headers: Sequence[str]) -> dict[str, int]:
    """Each column of the ledger to the sheet column whose header names it, if any."""
    index = {}
    for i, header in enumerate(headers):
        index.setdefault(_norm(header), i)
    out = {}
    for column in ledger.columns:
        for name in (column.label, *column.aliases):
            if _norm(name) in index:
                out[column.key] = index[_norm(name)]
                break
    return out


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(str(value).strip())
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ValueError(f"“{value}”不是有效日期（如 2024-03-31）")


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"“{value}”不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip().removesuffix("年").removesuffix("年度")
    if text.isdigit():
        return int(text)
    raise ValueError(f"“{value}”不是整数")


class UnitNames:
    """Unit names as a sheet writes them: a unique name, or "上级/单位" when names repeat."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[Unit]] = {}
        for unit in Unit.objects.filter(hidden_reason="").select_related("parent"):
            self._by_name.setdefault(unit.name, []).append(unit)

    def resolve(self, text: str) -> Unit:
        parent_name, _, name = text.rpartition("/")
        found = self._by_name.get(name.strip(), [])
        if parent_name:
            found = [u for u in found if u.parent and u.parent.name == parent_name.strip()]
        if not found:
            raise ValueError(f"找不到名为“{text}”的单位")
        if len(found) > 1:
            raise ValueError(f"有多个名为“{text}”的单位，请写成“上级单位/{name}”")
        return found[0]


def parse_cell(column: Column, value: Any, units: UnitNames) -> Any:
    """The value for the model, or ValueError with what is wrong, in Chinese."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if column.required:
            raise ValueError("不能为空")
        return None if column.kind in (DATE, INT, UNIT) else ""
    if column.kind == DATE:
        return parse_date(value)
    if column.kind == INT:
        return parse_int(value)
    text = " ".join(str(value).split()) if column.kind != TEXT else str(value).strip()
    if column.kind == CHOICE:
        code = column.choices.get(text) or column.choices.get(_norm(text))
        if code is None:
            allowed = "、".join(label for label, code in column.choices.items() if label != code)
            raise ValueError(f"“{text}”不是可选的值（可填：{allowed}）")
        return code
    if column.kind == UNIT:
        return units.resolve(text)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)


def parse_rows(
    ledger: Ledger, sheet: Sheet, mapping: Mapping[str, int]
) -> tuple[list[ParsedRow], list[str]]:
    missing = [c.label for c in ledger.columns if c.required and c.key not in mapping]
    if missing:
        return [], ["请为必填列“" + "”“".join(missing) + "”选择表格中的列。"]
    units = UnitNames()
    parsed: list[ParsedRow] = []
    for number, cells in sheet.rows:
        row = ParsedRow(number, {})
        for column in ledger.columns:
            index = mapping.get(column.key)
            if index is None:
                continue
            raw = cells[index] if index < len(cells) else None
            try:
                row.values[column.key] = parse_cell(column, raw, units)
            except ValueError as exc:
                row.errors.append(f"第{number}行“{column.label}”：{exc}。")
        parsed.append(row)
    return parsed, []


def split_procedures(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    plain: dict[str, Any] = {}
    procedures: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        if key.startswith("procedure:"):
            _, kind, name = key.split(":")
            procedures.setdefault(kind, {})[name] = value
        else:
            plain[key] = value
    return plain, procedures


# -- writing -------------------------------------------------------------------------------


def _cell_value(column: Column, record: Any, procedures: Mapping[str, Procedure]) -> Any:
    if column.key.startswith("procedure:"):
        _, kind, name = column.key.split(":")
        procedure = procedures.get(kind)
        return getattr(procedure, name) if procedure is not None else None
    return column.value_label(getattr(record, column.key))


def write_sheet(ledger: Ledger, records: Iterable[Any]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = ledger.label
    sheet.append([c.label for c in ledger.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, record in enumerate(records, start=2):
        procedures = (
            {p.kind: p for p in record.procedures.all()} if ledger.slug == "decisions" else {}
        )
        for c, column in enumerate(ledger.columns, start=1):
            value = _cell_value(column, record, procedures)
            if value in (None, ""):
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                # Text stays text: a title starting with "=" must never become a formula.
                cell.data_type = "s"
    for column_cells in sheet.columns:
        sheet.column_dimensions[column_cells[0].column_letter].width = 16
    sheet.freeze_panes = "A2"
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


__all__ = ["LEDGERS", "MAX_BYTES", "SheetError", "read_sheet", "write_sheet"]
