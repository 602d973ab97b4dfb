"""The enforcement ledger's pages for the units that keep it and the offices that read it.

Every read goes through `services.readable` / `get_record` (built on units.access);
every write through a service function, which writes the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi_web.enforcement import figures, rules, services, sheets
from fazhi_web.enforcement.forms import (
    AnnualReviewForm,
    AttachmentForm,
    CaseForm,
    CertificateForm,
    DateForm,
    EntityForm,
    EventForm,
    InspectionForm,
    LegalReviewForm,
    OfficerForm,
    PublicationForm,
    ResultForm,
    RevokeForm,
)
from fazhi_web.enforcement.models import (
    Case,
    CaseEvent,
    CaseKind,
    Certificate,
    DrawnEntity,
    Entity,
    Officer,
    RandomInspection,
)
from fazhi_web.ledgers.deadlines import Calendars
from fazhi_web.ledgers.figures import indicator_label
from fazhi_web.ledgers.forms import HideForm, UploadForm
from fazhi_web.ledgers.models import ImportBatch
from fazhi_web.ledgers.sheets import MAX_BYTES, SheetError, auto_mapping, read_sheet
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.access import access_for, get_unit
from fazhi_web.units.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = 50


def _role(request: HttpRequest) -> None:
    access = access_for(request.user)
    if not (access.is_reporter or access.is_reviewer):
        raise PermissionDenied


def _year(raw: Any) -> int | None:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def _chosen_unit(request: HttpRequest) -> Unit | None:
    raw = request.GET.get("unit")
    return get_unit(request.user, raw, "view") if raw else None


def _editable_unit(request: HttpRequest) -> Unit:
    editable = services.editable_units(request.user)
    unit = next((u for u in editable if str(u.pk) == request.POST.get("unit")), None)
    if unit is None and len(editable) == 1 and not request.POST.get("unit"):
        unit = editable[0]
    if unit is None:
        raise Http404("单位不存在或无权访问。")
    return unit


def _scope(request: HttpRequest) -> tuple[QuerySet[Unit], str, Unit | None]:
    access = access_for(request.user)
    unit = _chosen_unit(request)
    if unit is not None:
        return Unit.objects.filter(pk=unit.pk), unit.name, unit
    if access.is_reporter and not access.is_reviewer:
        return Unit.objects.filter(pk__in=access.reporter_unit_ids), "本单位", None
    return services.units_of(request.user), "本办及下级单位", None


def _do(request: HttpRequest, form: Any, action: Any, done: str) -> None:
    """Run `action(cleaned_data)` when the form is valid; the outcome as a message."""
    if not form.is_valid():
        errors = [
            f"{form.fields[n].label if n in form.fields else ''}：{e}"
            for n, es in form.errors.items()
            for e in es
        ]
        messages.error(request, "；".join(errors))
        return
    try:
        action(form.cleaned_data)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)


def _common(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "units": services.units_of(request.user).order_by("path"),
        "editable": services.editable_units(request.user),
        "today": services.today(),
        "query": request.GET.urlencode(),
        **extra,
    }


# -- dashboard -------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _role(request)
    units, scope, unit = _scope(request)
    today = services.today()
    year = _year(request.GET.get("year")) or today.year
    cases = services.readable(request.user, Case).filter(unit__in=units.values("pk"))
    officers = services.readable(request.user, Officer).filter(unit__in=units.values("pk"))
    counts = [
        (indicator_label(code), figures.counted(code, units.values("pk"), year).count())
        for code in figures.INDICATORS
    ]
    return render(request, "enforcement/dashboard.html", _common(
        request, scope=scope, unit=unit, year=year, counts=counts,
        overdue=services.overdue_publications(cases, Calendars(), today),
        due=services.certificates_due(officers, today),
    ))  # fmt: skip


# -- staff -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest) -> HttpResponse:
    _role(request)
    if request.method == "POST":
        unit = _editable_unit(request)
        form = OfficerForm(request.POST)
        _do(
            request,
            form,
            lambda d: services.create_officer(request.user, unit, **d),
            "已登记执法人员。",
        )
        return redirect("enforcement:staff")
    officers = services.readable(request.user, Officer).filter(hidden_reason="")
    unit = _chosen_unit(request)
    year = _year(request.GET.get("year"))
    figure = request.GET.get("figure", "")
    if unit is not None:
        officers = officers.filter(unit=unit)
        if figure == "enforcement_certificates" and year:
            certs = figures.records(figure, unit, year)
            officers = officers.filter(pk__in=certs.values("officer_id"))
    today = services.today()
    rows = []
    page = Paginator(officers.prefetch_related("certificates__reviews"), PAGE).get_page(
        request.GET.get("page")
    )
    for officer in page:
        cert = max(officer.certificates.all(), key=lambda c: c.issued_on, default=None)
        rows.append((officer, cert, rules.certificate_state(cert, today) if cert else "无执法证"))
    return render(
        request,
        "enforcement/staff.html",
        _common(request, page=page, rows=rows, unit=unit, form=OfficerForm()),
    )


@login_required
@require_GET
def officer(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    obj = services.get_record(request.user, Officer, pk)
    today = services.today()
    certs = [
        (c, rules.certificate_state(c, today), rules.certificate_clock(c))
        for c in obj.certificates.prefetch_related("reviews")
    ]
    return render(request, "enforcement/officer.html", {
        "officer": obj, "certs": certs, "can_edit": services.can_edit(request.user, obj.unit),
        "cert_form": CertificateForm(), "review_form": AnnualReviewForm(), "revoke_form": RevokeForm(),
        "hide_form": HideForm(), "cases": obj.cases.filter(hidden_reason="")[:50],
    })  # fmt: skip


@login_required
@require_POST
def certificate_add(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    obj = services.get_record(request.user, Officer, pk)
    form = CertificateForm(request.POST)
    _do(request, form, lambda d: services.add_certificate(request.user, obj, d), "已登记执法证。")
    return redirect("enforcement:officer", obj.pk)


@login_required
@require_POST
def certificate_review(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    cert = services.get_record(request.user, Certificate, pk)
    form = AnnualReviewForm(request.POST)
    _do(request, form, lambda d: services.annual_review(request.user, cert, **d), "已登记年审。")
    return redirect("enforcement:officer", cert.officer_id)


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    cert = services.get_record(request.user, Certificate, pk)
    form = RevokeForm(request.POST)
    _do(
        request,
        form,
        lambda d: services.revoke_certificate(request.user, cert, **d),
        "已注销执法证。",
    )
    return redirect("enforcement:officer", cert.officer_id)


# -- cases ---------------------------------------------------------------------------------


@login_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    _role(request)
    qs = services.readable(request.user, Case).filter(hidden_reason="")
    unit = _chosen_unit(request)
    year = _year(request.GET.get("year"))
    figure = request.GET.get("figure", "")
    if unit is not None:
        qs = qs.filter(unit=unit)
        if figure in figures.INDICATORS and year:
            qs = qs.filter(pk__in=figures.records(figure, unit, year).values("pk"))
    kind = request.GET.get("kind", "")
    if kind in CaseKind.values:
        qs = qs.filter(kind=kind)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(number__icontains=q)
    page = Paginator(qs.prefetch_related("events"), PAGE).get_page(request.GET.get("page"))
    label = indicator_label(figure) if unit is not None and figure in figures.INDICATORS else ""
    return render(request, "enforcement/cases.html", _common(
        request, page=page, unit=unit, kind=kind, kinds=CaseKind.choices, q=q, figure_label=label,
        year=year, event_labels=rules.EVENT_LABELS,
    ))  # fmt: skip


def _case_form(request: HttpRequest, unit_ids: Any, case: Case | None = None) -> CaseForm:
    officers = Officer.objects.filter(unit__in=unit_ids, hidden_reason="")
    initial = None
    if case is not None:
        initial = {n: getattr(case, n) for n in services.CASE_FIELDS}
        initial["officers"] = list(case.officers.all())
    return CaseForm(request.POST or None, officers=officers, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    _role(request)
    editable = services.editable_units(request.user)
    if not editable:
        raise PermissionDenied
    form = _case_form(request, [u.pk for u in editable])
    if request.method == "POST":
        unit = _editable_unit(request)
        if form.is_valid():
            data = dict(form.cleaned_data)
            officers = data.pop("officers")
            try:
                case = services.create_case(request.user, unit, data, officers)
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "已登记执法案件。")
                return redirect("enforcement:case", case.pk)
    return render(
        request,
        "enforcement/form.html",
        {"title": "登记执法案件", "form": form, "editable": editable},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    case = services.get_record(request.user, Case, pk)
    if not services.can_edit(request.user, case.unit):
        raise Http404("记录不存在或无权访问。")
    form = _case_form(request, [case.unit_id], case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        officers = data.pop("officers")
        try:
            services.edit_case(request.user, case, data, officers)
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存。")
            return redirect("enforcement:case", case.pk)
    return render(request, "enforcement/form.html", {"title": f"修改 {case}", "form": form})


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    case = services.get_record(request.user, Case, pk)
    events = list(case.events.prefetch_related("attachments"))
    clock = rules.publicity_clock(case, Calendars())
    publication = getattr(case, "publication", None)
    review = getattr(case, "legal_review", None)
    today = services.today()
    can_edit = services.can_edit(request.user, case.unit) and not case.is_hidden
    return render(request, "enforcement/case.html", {
        "case": case, "events": events, "officers": case.officers.all(),
        "chain_problems": rules.verify(case), "chain_length": sum(len(e.attachments.all()) for e in events),
        "clock": clock, "clock_state": clock.state(today) if clock else None,
        "publication": publication, "review": review, "can_edit": can_edit,
        "can_approve": services.can_approve(request.user, case.unit),
        "event_form": EventForm(), "attachment_form": AttachmentForm(), "review_form": LegalReviewForm(),
        "publication_form": PublicationForm(), "date_form": DateForm(), "hide_form": HideForm(),
        "decided": rules.decided_on(case), "mask_rules": rules.mask_rules(),
    })  # fmt: skip


@login_required
@require_POST
def case_event(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    case = services.get_record(request.user, Case, pk)
    form = EventForm(request.POST)
    _do(
        request,
        form,
        lambda d: services.record_event(request.user, case, d["kind"], on=d["on"], note=d["note"]),
        "已登记。",
    )
    return redirect("enforcement:case", case.pk)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    event = services.get_record(request.user, CaseEvent, pk)
    form = AttachmentForm(request.POST, request.FILES)

    def add(d: dict[str, Any]) -> None:
        upload = d["file"]
        if upload.size > services.ATTACHMENT_MAX_BYTES:
            raise ActionRefused(
                f"文件超过 {services.ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB 的大小限制。"
            )
        services.add_attachment(
            request.user, event, kind=d["kind"], name=upload.name, content=upload.read()
        )

    _do(request, form, add, "已保存记录文件，并计入校验链。")
    return redirect("enforcement:case", event.case_id)


@login_required
@require_GET
def attachment_file(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    return services.download_attachment(request.user, pk)


@login_required
@require_POST
def legal_review(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    case = services.get_record(request.user, Case, pk)
    form = LegalReviewForm(request.POST)
    _do(
        request,
        form,
        lambda d: services.record_legal_review(request.user, case, **d),
        "已登记法制审核。",
    )
    return redirect("enforcement:case", case.pk)


@login_required
@require_POST
def publication_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    case = services.get_record(request.user, Case, pk)
    form = PublicationForm(request.POST)
    _do(request, form, lambda d: services.prepare_publication(request.user, case, d["text"] or None),
        "已生成公示文本，待上级审查人员审核。")  # fmt: skip
    return redirect("enforcement:case", case.pk)


@login_required
@require_POST
def publication_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    case = services.get_record(request.user, Case, pk)
    try:
        services.approve_publication(request.user, case)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "公示文本已审核通过。")
    return redirect("enforcement:case", case.pk)


@login_required
@require_POST
def publication_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    case = services.get_record(request.user, Case, pk)
    form = DateForm(request.POST)
    _do(request, form, lambda d: services.publish(request.user, case, on=d["on"]), "已在门户公示。")
    return redirect("enforcement:case", case.pk)


HIDEABLE = {"cases": (Case, "enforcement:case"), "staff": (Officer, "enforcement:officer"),
            "inspections": (RandomInspection, "enforcement:inspection"), "entities": (Entity, "enforcement:entities")}  # fmt: skip


@login_required
@require_POST
def hide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _role(request)
    if kind not in HIDEABLE:
        raise Http404("没有这种记录。")
    model, page = HIDEABLE[kind]
    obj = services.get_record(request.user, model, pk)
    _do(
        request,
        HideForm(request.POST),
        lambda d: services.hide(request.user, obj, d["reason"]),
        "已隐藏。",
    )
    return redirect(page, obj.pk) if kind != "entities" else redirect(page)


# -- 双随机 -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def entities(request: HttpRequest) -> HttpResponse:
    _role(request)
    if request.method == "POST":
        unit = _editable_unit(request)
        _do(
            request,
            EntityForm(request.POST),
            lambda d: services.create_entity(request.user, unit, **d),
            "已加入检查对象名录。",
        )
        return redirect("enforcement:entities")
    qs = services.readable(request.user, Entity).filter(hidden_reason="")
    unit = _chosen_unit(request)
    if unit is not None:
        qs = qs.filter(unit=unit)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/entities.html",
        _common(request, page=page, unit=unit, form=EntityForm(), hide_form=HideForm()),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspections(request: HttpRequest) -> HttpResponse:
    _role(request)
    if request.method == "POST":
        unit = _editable_unit(request)
        _do(
            request,
            InspectionForm(request.POST),
            lambda d: services.create_inspection(request.user, unit, **d),
            "已新建抽查事项。",
        )
        return redirect("enforcement:inspections")
    qs = services.readable(request.user, RandomInspection).filter(hidden_reason="")
    unit = _chosen_unit(request)
    year = _year(request.GET.get("year"))
    if unit is not None:
        qs = qs.filter(unit=unit)
        if request.GET.get("figure") == "random_inspections" and year:
            drawn = figures.records("random_inspections", unit, year)
            qs = qs.filter(pk__in=drawn.values("inspection_id"))
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/inspections.html",
        _common(request, page=page, unit=unit, form=InspectionForm()),
    )


@login_required
@require_GET
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    obj = services.get_record(request.user, RandomInspection, pk)
    return render(request, "enforcement/inspection.html", {
        "inspection": obj, "drawn": obj.drawn.select_related("entity").prefetch_related("officers"),
        "replays": services.draw_replays(obj), "can_edit": services.can_edit(request.user, obj.unit),
        "result_form": ResultForm(), "date_form": DateForm(), "basis": rules.RULES["random"]["basis"],
        "hide_form": HideForm(),
    })  # fmt: skip


@login_required
@require_POST
def inspection_draw(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    obj = services.get_record(request.user, RandomInspection, pk)
    try:
        services.draw_inspection(request.user, obj)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已随机抽取检查对象和执法人员。")
    return redirect("enforcement:inspection", obj.pk)


@login_required
@require_POST
def drawn_result(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    drawn = DrawnEntity.objects.filter(
        pk=pk,
        inspection__in=services.readable(request.user, RandomInspection).values("pk"),
    ).first()
    if drawn is None:
        raise Http404("记录不存在或无权访问。")
    _do(
        request,
        ResultForm(request.POST),
        lambda d: services.record_result(request.user, drawn, **d),
        "已登记检查结果。",
    )
    return redirect("enforcement:inspection", drawn.inspection_id)


@login_required
@require_POST
def inspection_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    obj = services.get_record(request.user, RandomInspection, pk)
    _do(
        request,
        DateForm(request.POST),
        lambda d: services.publish_inspection(request.user, obj, on=d["on"]),
        "已公示抽查结果。",
    )
    return redirect("enforcement:inspection", obj.pk)


# -- import and export ---------------------------------------------------------------------------


def _sheet(slug: str) -> Any:
    spec = sheets.SHEETS.get(slug)
    if spec is None:
        raise Http404("没有这种台账。")
    return spec


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, sheet: str) -> HttpResponse:
    _role(request)
    spec = _sheet(sheet)
    editable = services.editable_units(request.user)
    if not editable:
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        unit = _editable_unit(request)
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_BYTES:
                raise SheetError(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB 的大小限制。")
            batch = sheets.upload(request.user, sheet, unit, upload.name, upload.read())
        except (SheetError, ActionRefused) as exc:
            messages.error(request, str(exc))
        else:
            return redirect("enforcement:import_batch", batch.pk)
    return render(
        request, "enforcement/import.html", {"ledger": spec, "form": form, "editable": editable}
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    _role(request)
    batch = (
        ImportBatch.objects.select_related("unit")
        .filter(pk=pk, uploaded_by=request.user, ledger__in=sheets.SHEETS)
        .first()
    )
    if batch is None:
        raise Http404("表格不存在或无权访问。")
    spec = sheets.SHEETS[batch.ledger]
    sheet = read_sheet(bytes(batch.content))
    mapping = {k: int(v) for k, v in batch.mapping.items()} or auto_mapping(spec, sheet.headers)
    errors: list[str] | None = None
    if request.method == "POST" and batch.imported_at is None:
        if "confirm" in request.POST:
            try:
                count = sheets.run(request.user, batch)
            except sheets.ImportRefused as exc:
                errors = exc.errors
            except ActionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"已导入{count}条{spec.label}记录。")
                page = "enforcement:staff" if spec is sheets.STAFF else "enforcement:cases"
                return redirect(reverse(page) + f"?unit={batch.unit_id}")
        else:
            mapping = {}
            for column in spec.columns:
                raw = request.POST.get(f"col-{column.key}", "")
                if raw.isdigit() and int(raw) < len(sheet.headers):
                    mapping[column.key] = int(raw)
            batch.mapping = mapping
            batch.save(update_fields=["mapping"])
            _, errors = sheets.preview(request.user, batch, mapping)
    return render(request, "enforcement/import_batch.html", {
        "batch": batch, "ledger": spec, "headers": list(enumerate(sheet.headers)),
        "rows_count": len(sheet.rows), "columns": [(c, mapping.get(c.key)) for c in spec.columns],
        "errors": errors, "checked": errors is not None,
    })  # fmt: skip


@login_required
@require_GET
def export(request: HttpRequest, sheet: str) -> HttpResponse:
    _role(request)
    spec = _sheet(sheet)
    unit = _chosen_unit(request)
    if spec is sheets.STAFF:
        records: Any = services.readable(request.user, Officer).filter(hidden_reason="")
        records = records.prefetch_related("certificates")
    else:
        records = services.readable(request.user, Case).filter(hidden_reason="")
        records = records.prefetch_related("events", "officers__certificates").select_related(
            "legal_review"
        )
    if unit is not None:
        records = records.filter(unit=unit)
    response = HttpResponse(sheets.export(sheet, records), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{spec.label}台账.xlsx")
    return response
