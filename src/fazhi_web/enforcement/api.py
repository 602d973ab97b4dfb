"""The enforcement ledger's API operations (mounted at /api/enforcement/): the same reads
and writes as the pages, through the same access checks and services."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema

from fazhi_web.enforcement import figures, rules, services, sheets
from fazhi_web.enforcement.models import Case, Officer
from fazhi_web.ledgers.deadlines import Calendars
from fazhi_web.units.access import get_unit

router = Router(tags=["行政执法"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EventOut(Schema):
    kind: str
    label: str
    on: dt.date
    note: str
    attachments: list[dict[str, Any]]


class CaseOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    number: str
    kind: str = Field(..., description="inspection 检查、penalty 处罚、coercive 强制、license 许可")
    title: str
    major: str = Field(..., description="重大执法决定情形代码；空为不属于")
    events: list[EventOut]
    legal_review: dict[str, Any] | None
    publicity: dict[str, Any] | None = Field(None, description="公示期限及其状态")
    published_on: dt.date | None
    chain_problems: list[str] = Field(..., description="全过程记录校验链的问题；空为完整")


class EventIn(Schema):
    kind: str = Field(
        ...,
        description="filed 立案、investigated 调查、notified 告知、hearing 听证、decided 决定、served 送达、executed 执行、closed 结案",
    )
    on: dt.date
    note: str = ""


class OfficerOut(Schema):
    id: int
    unit_id: int
    name: str
    certificates: list[dict[str, Any]]


class FigureOut(Schema):
    indicator: str
    label: str
    value: float | None
    records_url: str


def _case_out(case: Case) -> dict[str, Any]:
    today = services.today()
    clock = rules.publicity_clock(case, Calendars())
    review = getattr(case, "legal_review", None)
    publication = getattr(case, "publication", None)
    return {
        "id": case.pk, "unit_id": case.unit_id, "unit_name": case.unit.name, "number": case.number,
        "kind": case.kind, "title": case.title, "major": case.major,
        "events": [
            {"kind": e.kind, "label": e.get_kind_display(), "on": e.on, "note": e.note,
             "attachments": [{"name": a.original_name, "sha256": a.sha256, "link": a.link}
                             for a in e.attachments.all()]}
            for e in case.events.all()
        ],
        "legal_review": {"reviewer": review.reviewer, "opinion": review.opinion,
                         "reviewed_on": review.reviewed_on} if review else None,
        "publicity": {"due": clock.due, "state": clock.state(today).value,
                      "state_name": clock.state(today).label, "explanation": list(clock.lines)}
        if clock else None,
        "published_on": publication.published_on if publication else None,
        "chain_problems": rules.verify(case),
    }  # fmt: skip


@router.get(
    "/cases",
    response=list[CaseOut],
    summary="执法案件",
    description="可查看的执法案件；给出 unit_id 时只列该单位的。",
)
def enforcement_cases(
    request: HttpRequest,
    unit_id: Annotated[int | None, Query(description="单位编号")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    qs = services.readable(request.auth, Case).filter(hidden_reason="")
    if unit_id is not None:
        qs = qs.filter(unit=get_unit(request.auth, unit_id, "view"))
    qs = qs.prefetch_related("events__attachments").order_by("pk")
    return [_case_out(c) for c in qs[offset : offset + limit]]


@router.get("/cases/{int:case_id}", response=CaseOut, summary="执法案件详情")
def enforcement_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _case_out(services.get_record(request.auth, Case, case_id))


@router.post(
    "/cases/{int:case_id}/events",
    response={200: CaseOut, 400: Any, 404: Any},
    summary="登记程序环节",
    description="按顺序登记；承办人员须在该日持有效执法证，重大执法决定须先经法制审核，规则与网页相同。",
)
def enforcement_case_event(request: HttpRequest, case_id: int, body: EventIn) -> dict[str, Any]:
    case = services.get_record(request.auth, Case, case_id)
    services.record_event(request.auth, case, body.kind, on=body.on, note=body.note)
    return _case_out(services.get_record(request.auth, Case, case_id))


@router.get("/staff", response=list[OfficerOut], summary="执法人员及执法证")
def enforcement_staff(
    request: HttpRequest, unit_id: Annotated[int | None, Query(description="单位编号")] = None
) -> list[dict[str, Any]]:
    qs = services.readable(request.auth, Officer).filter(hidden_reason="")
    if unit_id is not None:
        qs = qs.filter(unit=get_unit(request.auth, unit_id, "view"))
    today = services.today()
    return [
        {"id": o.pk, "unit_id": o.unit_id, "name": o.name,
         "certificates": [{"number": c.number, "issued_on": c.issued_on, "expires_on": c.expires_on,
                           "state": rules.certificate_state(c, today)}
                          for c in o.certificates.all()]}
        for o in qs.prefetch_related("certificates__reviews").order_by("pk")
    ]  # fmt: skip


@router.get(
    "/indicators",
    response=list[FigureOut],
    summary="由执法台账计算的指标",
    description="某单位某年度由执法台账记录计算的指标，与报告所述指标对照使用。",
)
def enforcement_indicators(
    request: HttpRequest,
    unit_id: Annotated[int, Query(description="单位编号")],
    year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
) -> list[dict[str, Any]]:
    unit = get_unit(request.auth, unit_id, "view")
    return [
        {"indicator": f.code, "label": f.label, "value": f.value, "records_url": f.url}
        for f in figures.enforcement_indicators(unit, year).values()
    ]


@router.get(
    "/export/{sheet}",
    summary="导出执法台账",
    description="enf_cases 执法案件、enf_staff 执法人员，为 .xlsx，可原样导入。",
)
def enforcement_export(
    request: HttpRequest, sheet: str, unit_id: Annotated[int, Query(description="单位编号")]
) -> HttpResponse:
    unit = get_unit(request.auth, unit_id, "view")
    if sheet not in sheets.SHEETS:
        raise Http404("没有这种台账（enf_cases、enf_staff）。")
    model = Officer if sheet == sheets.STAFF.slug else Case
    records = services.readable(request.auth, model).filter(unit=unit, hidden_reason="")
    response = HttpResponse(sheets.export(sheet, records), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{sheets.SHEETS[sheet].label}台账.xlsx"
    )
    return response
