"""The ledgers' API operations (mounted at /api/ledgers/): the same reads and writes as the
pages, through the same access checks, forms and services."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import BaseModel, ConfigDict

from fazhi import clocks
from fazhi_web.ledgers import casebook, deadlines, figures, importing, lifecycle, services
from fazhi_web.ledgers.forms import cleaned_values, event_form
from fazhi_web.ledgers.models import DisclosureRequest, MajorDecision, NormativeDocument
from fazhi_web.ledgers.sheets import LEDGERS, SheetError, auto_mapping, read_sheet, write_sheet
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.access import get_unit

router = Router(tags=["台账"])
MODELS = {"documents": NormativeDocument, "decisions": MajorDecision, "requests": DisclosureRequest}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ClockOut(Schema):
    label: str = Field(..., description="期限名称，如“答复期限”")
    due: dt.date | None = Field(None, description="届满日；暂停计时中为空")
    done_on: dt.date | None = Field(None, description="完成日期")
    state: str = Field(
        ...,
        description="met 按时完成、late 逾期完成、overdue 已逾期、due_soon 即将到期、running 计时中、paused 暂停计时",
    )
    state_name: str
    unannounced_years: list[int] = Field(..., description="届满日依赖的、节假日安排尚未公布的年份")
    explanation: list[str] = Field(
        ..., description="计算过程（起算、期限、跳过和暂停的日期、依据）"
    )


class RecordOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    title: str = Field(..., description="文件名称、决策事项或申请编号")
    stage: str = Field(..., description="进度或状态（中文）")
    hidden: bool
    fields: dict[str, Any] = Field(
        ..., description="台账字段（与导出的表格列对应，日期为 ISO 格式）"
    )
    clocks: list[ClockOut]


class FieldsIn(BaseModel):
    """A JSON object of ledger fields; which ones are allowed depends on the operation."""

    model_config = ConfigDict(extra="allow")


class ErrorsOut(Schema):
    detail: str
    errors: list[str] = Field(..., description="逐行的中文错误")


class ImportOut(Schema):
    rows: int = Field(..., description="表格中的数据行数")
    imported: int = Field(..., description="已导入的记录数；dry_run 时为 0")
    errors: list[str] = Field(..., description="逐行的中文错误；有错误时不导入任何记录")
    mapping: dict[str, str] = Field(..., description="台账字段 → 表格表头")


class FigureOut(Schema):
    indicator: str
    label: str
    value: float | None
    note: str
    records_url: str = Field(..., description="台账中这一数字背后的记录")


def _clock_out(clock: deadlines.Clock, today: dt.date) -> dict[str, Any]:
    state = clock.state(today)
    return {
        "label": clock.label, "due": clock.due, "done_on": clock.done_on, "state": state.value,
        "state_name": state.label, "unannounced_years": list(clock.unannounced),
        "explanation": list(clock.lines),
    }  # fmt: skip


def _record_out(obj: Any, calendars: deadlines.Calendars | None = None) -> dict[str, Any]:
    calendars = calendars or deadlines.Calendars()
    today = services.today()
    case = next((c for c in casebook.CASES.values() if isinstance(obj, c.model)), None)
    if case is not None:
        clock_list = case.clocks(obj, calendars)
        open_states = [c.state(today).label for c in clock_list if c.done_on is None]
        slug, stage = case.slug, "、".join(open_states) or "已办结"
    elif isinstance(obj, NormativeDocument):
        slug = "documents"
        clock_list, stage = deadlines.document_clocks(obj, calendars), lifecycle.document_stage(obj)
    elif isinstance(obj, MajorDecision):
        slug = "decisions"
        clock_list, stage = [], lifecycle.decision_stage(obj, list(obj.procedures.all()))
    else:
        slug = "requests"
        clock_list = deadlines.request_clocks(obj, calendars)
        stage = (
            clock_list[0].state(today).label if not obj.replied_on else obj.get_outcome_display()
        )
    fields = {}
    for column in LEDGERS[slug].columns:
        if column.key.startswith("procedure:"):
            continue
        value = column.value_label(getattr(obj, column.key))
        fields[column.key] = value.isoformat() if isinstance(value, dt.date) else value
    return {
        "id": obj.pk, "unit_id": obj.unit_id, "unit_name": obj.unit.name, "title": str(obj),
        "stage": stage, "hidden": obj.is_hidden, "fields": fields,
        "clocks": [_clock_out(c, today) for c in clock_list],
    }  # fmt: skip


def _model(ledger: str) -> Any:
    if ledger in casebook.CASES:
        return casebook.CASES[ledger].model
    if ledger not in MODELS:
        names = "、".join([*MODELS, *casebook.CASES])
        raise Http404(f"没有这种台账（{names}）。")
    return MODELS[ledger]


def _form_values(
    model: Any, fields: tuple[str, ...], body: dict[str, Any], record: Any = None
) -> dict[str, Any]:
    """The body parsed by the page's form; fields not given keep the record's values."""
    unknown = sorted(set(body) - set(fields))
    if unknown:
        raise ActionRefused(f"不能设置字段“{'”“'.join(unknown)}”，可设置：{'、'.join(fields)}。")
    data = model_to_dict(record, fields=list(fields)) if record is not None else {}
    data.update(body)
    form = event_form(model, fields, data={k: ("" if v is None else v) for k, v in data.items()})
    if not form.is_valid():
        problems = [
            f"字段“{name}”：{'；'.join(e.rstrip('。') for e in errors)}"
            for name, errors in form.errors.items()
        ]
        raise ActionRefused("请求参数有误：" + "；".join(problems) + "。")
    return cleaned_values(form)


# Fixed paths first: they would otherwise be read as a ledger's name.


@router.get(
    "/indicators",
    response=list[FigureOut],
    operation_id="ledger_indicators",
    summary="由台账计算的指标",
    description="某单位某年度由台账记录计算的指标，与报告所述指标对照使用。",
)
def ledger_indicators(
    request: HttpRequest,
    unit_id: Annotated[int, Query(description="单位编号")],
    year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
) -> list[dict[str, Any]]:
    unit = get_unit(request.auth, unit_id, "view")
    return [
        {
            "indicator": f.code,
            "label": f.label,
            "value": f.value,
            "note": f.note,
            "records_url": f.url,
        }
        for f in figures.ledger_indicators(unit, year).values()
    ]


@router.get(
    "/disclosure-table",
    response=dict[str, Any],
    operation_id="disclosure_table",
    summary="政府信息公开申请情况表",
    description="按政府信息公开工作年度报告格式，由台账生成某单位某年度的“收到和处理政府信息公开申请情况”。",
)
def disclosure_table(
    request: HttpRequest,
    unit_id: Annotated[int, Query(description="单位编号")],
    year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
) -> dict[str, Any]:
    unit = get_unit(request.auth, unit_id, "view")
    table = figures.disclosure_table(unit, year)
    rows = [table["new"], table["carried"], *table["outcomes"], table["handled"], table["forward"]]
    return {
        "unit_id": unit.pk, "year": year, "columns": [*table["applicants"], "总计"],
        "rows": [{"group": r.group, "item": r.item, "cells": r.cells} for r in rows],
    }  # fmt: skip


@router.get(
    "/deadline",
    response=dict[str, Any],
    operation_id="compute_deadline",
    summary="计算期限",
    description="按平台工作日历计算期限：自 date 的次日起 length 个工作日（calendar_days=true 为自然日）；"
    "给出 unit_id 时使用该单位所在地区的日历（含本地节假日）。",
)
def deadline(
    request: HttpRequest,
    date: Annotated[dt.date, Query(description="起算日")],
    length: Annotated[int, Query(ge=1, le=clocks.MAX_LENGTH, description="天数")],
    calendar_days: Annotated[bool, Query(description="按自然日计算")] = False,
    unit_id: Annotated[int | None, Query(description="单位编号")] = None,
) -> dict[str, Any]:
    region = get_unit(request.auth, unit_id, "view").region if unit_id is not None else ""
    result = clocks.compute(
        clocks.plain(length, calendar_days=calendar_days),
        date,
        deadlines.Calendars().for_region(region),
    )
    return result.to_json()


@router.get(
    "/{ledger}",
    response=list[RecordOut],
    operation_id="list_ledger_records",
    summary="台账记录列表",
    description="ledger 为 documents（规范性文件）、decisions（重大行政决策）、requests（依申请公开），"
    "或办案台账 reconsiderations、litigations、petitions、hotline、proposals、sessions、law_reports。"
    "可按单位、年度筛选；figure 为指标代码时，只列出该指标背后的记录（须同时给出 unit_id 和 year）。",
)
def list_records(
    request: HttpRequest,
    ledger: str,
    unit_id: Annotated[int | None, Query(description="单位编号")] = None,
    year: Annotated[int | None, Query(description="年度")] = None,
    figure: Annotated[str | None, Query(description="指标代码，如 normative_docs_filed")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    model = _model(ledger)
    qs = services.readable(request.auth, model).filter(hidden_reason="")
    unit = get_unit(request.auth, unit_id, "view") if unit_id is not None else None
    module = figures.module_of(figure or "")
    if figure:
        if module is None or unit is None or year is None:
            raise ActionRefused("figure 须是台账指标代码，并同时给出 unit_id 和 year。")
        qs = qs.filter(pk__in=module.records(figure, unit, year).values("pk"))
    elif unit is not None:
        qs = qs.filter(unit=unit)
    if year is not None and not figure:
        if ledger in casebook.CASES:
            qs = qs.filter(casebook.CASES[ledger].sheet.year_filter(year))
        else:
            qs = qs.filter({"documents": dict(published_on__year=year), "decisions": dict(year=year),
                            "requests": dict(submitted_on__year=year)}[ledger])  # fmt: skip
    calendars = deadlines.Calendars()
    return [_record_out(obj, calendars) for obj in qs.order_by("pk")[offset : offset + limit]]


@router.get(
    "/{ledger}/{int:record_id}",
    response={200: RecordOut, 404: Any},
    operation_id="get_ledger_record",
    summary="台账记录",
)
def get_record(request: HttpRequest, ledger: str, record_id: int) -> dict[str, Any]:
    return _record_out(services.get_record(request.auth, _model(ledger), record_id))


@router.post(
    "/{ledger}",
    response={201: RecordOut, 400: Any, 404: Any},
    operation_id="create_ledger_record",
    summary="登记台账记录",
    description="请求体 JSON：unit_id 和各字段（与网页登记表相同），仅限该单位的填报员。",
)
def create_record(request: HttpRequest, ledger: str, body: FieldsIn) -> Status[dict[str, Any]]:
    model = _model(ledger)
    fields = body.model_dump()
    unit = get_unit(request.auth, fields.pop("unit_id", None), "report")
    case = casebook.CASES.get(ledger)
    if case is not None:
        values = _form_values(model, case.create_fields, fields)
        return Status(201, _record_out(casebook.create(request.auth, case, unit, values)))
    values = _form_values(model, services.CREATE_FIELDS[model], fields)
    return Status(201, _record_out(services.create(request.auth, model, unit, values)))


@router.post(
    "/{ledger}/{int:record_id}/events/{event}",
    response={200: RecordOut, 400: Any, 404: Any},
    operation_id="record_ledger_event",
    summary="办理（记录一个步骤）",
    description="如 documents 的 submit_review、review、deliberate、publish、file、filing_result、evaluate、end；"
    "decisions 的 decide、archive、evaluate；requests 的 correction、third_party、extend、reply。"
    "请求体为该步骤的字段，规则与网页相同（如未经合法性审核和集体审议不得公布）。",
)
def record_event(
    request: HttpRequest, ledger: str, record_id: int, event: str, body: FieldsIn
) -> dict[str, Any]:
    model = _model(ledger)
    obj = services.get_record(request.auth, model, record_id)
    case = casebook.CASES.get(ledger)
    spec = (case.events if case else services.EVENTS[model][1]).get(event)
    if spec is None:
        raise Http404("没有这项操作。")
    values = _form_values(model, spec.fields, body.model_dump(), record=obj)
    if case is not None:
        return _record_out(casebook.apply_event(request.auth, case, obj, event, values))
    return _record_out(services.apply_event(request.auth, obj, event, values))


class ProcedureIn(Schema):
    done_on: dt.date | None = None
    summary: str = ""
    not_applicable_reason: str = ""


@router.post(
    "/decisions/{int:record_id}/procedures/{kind}",
    response={200: RecordOut, 400: Any, 404: Any},
    operation_id="record_decision_procedure",
    summary="记录重大行政决策的法定程序",
    description="kind：public_participation、expert_argument、risk_assessment、legality_review、collective_discussion。",
)
def record_procedure(
    request: HttpRequest, record_id: int, kind: str, body: ProcedureIn
) -> dict[str, Any]:
    decision = services.get_record(request.auth, MajorDecision, record_id)
    services.record_procedure(request.auth, decision, kind, **body.dict())
    return _record_out(services.get_record(request.auth, MajorDecision, record_id))


@router.post(
    "/{ledger}/import",
    response={200: ImportOut, 400: Any, 404: Any},
    operation_id="import_ledger",
    summary="从 .xlsx 导入台账",
    description="multipart：file 为表格；mapping（可选）为 JSON 对象 {台账字段: 表头}，未给出时按表头名称自动对应。"
    "dry_run=true 只检查不导入。任一行有误则不导入任何记录，errors 逐行说明。",
)
def import_sheet(
    request: HttpRequest,
    ledger: str,
    unit_id: Annotated[int, Query(description="导入到的单位")],
    file: Annotated[UploadedFile, File(description=".xlsx 表格")],
    mapping: Annotated[str, Form(description="列的对应（JSON）")] = "",
    dry_run: Annotated[bool, Query(description="只检查不导入")] = False,
) -> dict[str, Any]:
    _model(ledger)
    unit = get_unit(request.auth, unit_id, "report")
    try:
        batch = importing.upload(
            request.auth, ledger, unit, file.name or "台账.xlsx", file.read(6 * 1024 * 1024)
        )
    except SheetError as exc:
        raise ActionRefused(str(exc)) from None
    sheet = read_sheet(bytes(batch.content))
    spec = LEDGERS[ledger]
    if mapping:
        try:
            named = json.loads(mapping)
            columns = {h: i for i, h in enumerate(sheet.headers)}
            batch.mapping = {key: columns[header] for key, header in named.items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ActionRefused(
                "mapping 应为 JSON 对象 {台账字段: 表格中的表头}，且表头须在表格第一行中。"
            ) from None
    else:
        batch.mapping = auto_mapping(spec, sheet.headers)
    batch.save(update_fields=["mapping"])
    shown = {key: sheet.headers[i] for key, i in batch.mapping.items()}
    result = importing.preview(batch, batch.mapping)
    if dry_run or result.errors:
        return {"rows": len(sheet.rows), "imported": 0, "errors": result.errors, "mapping": shown}
    try:
        imported = importing.run(request.auth, batch)
    except importing.ImportRefused as exc:
        return {"rows": len(sheet.rows), "imported": 0, "errors": exc.errors, "mapping": shown}
    return {"rows": len(sheet.rows), "imported": imported, "errors": [], "mapping": shown}


@router.get(
    "/{ledger}/export",
    operation_id="export_ledger",
    summary="导出台账（.xlsx）",
    description="与导入的列相同，导出的表格可以直接再导入。",
)
def export_sheet(
    request: HttpRequest,
    ledger: str,
    unit_id: Annotated[int, Query(description="单位编号")],
) -> HttpResponse:
    model = _model(ledger)
    unit = get_unit(request.auth, unit_id, "view")
    qs = services.readable(request.auth, model).filter(unit=unit, hidden_reason="").order_by("pk")
    response = HttpResponse(write_sheet(LEDGERS[ledger], qs), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{unit.name}{LEDGERS[ledger].label}台账.xlsx"
    )
    return response
