"""The case ledgers of Ledgers II (行政复议, 行政应诉, 信访, 12345, 建议提案, 学法, 述法):
records a unit keeps one per case, moved on by named steps, each step with its clock.

Each app describes its ledgers as `CaseLedger`s and registers them from its AppConfig;
this module gives them one set of services (every write checked and audited) and one
set of pages (list, record, new record, step, hide, dashboard), so that the apps hold
only their domain: models, clocks, checks and figures. Reads go through units.access
(`services.readable`), and import and export through the shared sheets path.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi import clocks as engine_clocks
from fazhi.clocks import ClockState
from fazhi_web.audit.log import record as audit
from fazhi_web.ledgers import deadlines, figures, services, sheets
from fazhi_web.ledgers.forms import HideForm, cleaned_values, event_form
from fazhi_web.ledgers.services import Event
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.access import access_for, get_unit
from fazhi_web.units.models import Unit

PAGE = 50


@dataclass(frozen=True)
class CaseLedger:
    sheet: sheets.Ledger  # slug, label, model, columns, import identity, checks, audit prefix
    namespace: str  # the app's URL namespace
    create_fields: tuple[str, ...]
    events: Mapping[str, Event]
    # The columns of the list page (field names), after the record and its unit.
    list_fields: tuple[str, ...]
    clocks: Callable[[Any, deadlines.Calendars], list[deadlines.Clock]] = lambda obj, cal: []
    # The records whose clocks may still run (the dashboard reads only these).
    open_q: Q = field(default_factory=Q)
    # Steps of the app's own pages offered on the record's page: obj -> [(label, url)].
    extra_actions: Callable[[Any], list[tuple[str, str]]] = lambda obj: []
    # Children shown on the record's page: (title, related name, fields).
    children: tuple[tuple[str, str, tuple[str, ...]], ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        return self.sheet.slug

    @property
    def label(self) -> str:
        return self.sheet.label

    @property
    def model(self) -> type[models.Model]:
        return self.sheet.model

    def url(self, page: str, *args: Any) -> str:
        return reverse(f"{self.namespace}:{self.slug}_{page}", args=args)

    def record_url(self, obj: Any) -> str:
        return self.url("record", obj.pk)

    def search(self, text: str) -> Q:
        """Records whose identifying text (案号, 编号, 主题, 述法人) contains `text`."""
        q = Q(pk__in=[])
        for name in self.sheet.identity:
            f = self.model._meta.get_field(name)
            if isinstance(f, models.CharField) and not f.choices:
                q |= Q(**{f"{name}__icontains": text})
        return q

    def problems(self, obj: Any) -> list[str]:
        return self.sheet.problems(obj) if self.sheet.problems else []


CASES: dict[str, CaseLedger] = {}


def register(case: CaseLedger) -> None:
    if CASES.get(case.slug, case) is not case:
        raise ValueError(f"case ledger slug {case.slug!r} is taken")
    CASES[case.slug] = case
    sheets.register(case.sheet)


def year_filter(field_name: str) -> Callable[[int], Q]:
    return lambda year: Q(**{f"{field_name}__year": year})


def not_in_future(obj: Any, today: dt.date) -> list[str]:
    """Every date of the record that lies after today, as a problem."""
    return [
        f"“{f.verbose_name}”{getattr(obj, f.name)}晚于今天。"
        for f in obj._meta.concrete_fields
        if isinstance(f, models.DateField)
        and not isinstance(f, models.DateTimeField)
        and getattr(obj, f.name)
        and getattr(obj, f.name) > today
    ]


def in_order(obj: Any, *names: str) -> list[str]:
    """Each of these dates, where given, is not before the one before it."""
    out = []
    given = [(n, getattr(obj, n)) for n in names if getattr(obj, n)]
    for (a, first), (b, second) in itertools.pairwise(given):
        if second < first:
            label = obj._meta.get_field
            out.append(f"“{label(b).verbose_name}”早于“{label(a).verbose_name}”。")
    return out


def statutory(
    label: str,
    obj: Any,
    rule: str,
    start: dt.date,
    calendars: deadlines.Calendars,
    done_on: dt.date | None,
    *,
    extended: bool = False,
) -> deadlines.Clock:
    """The clock of `rule` (src/fazhi/data/clocks.toml, as it applies in the unit's region)."""
    region = obj.unit.region
    deadline = engine_clocks.compute(
        engine_clocks.rule(rule, region), start, calendars.for_region(region), extended=extended
    )
    return deadlines.Clock(
        label, obj, deadline.due, done_on, tuple(deadline.explain()), deadline,
        unannounced=deadline.unannounced,
    )  # fmt: skip


# -- services: every write checked and audited ------------------------------------------


def _refuse_if(problems: list[str]) -> None:
    if problems:
        raise ActionRefused("；".join(p.rstrip("。") for p in problems) + "。")


@transaction.atomic
def create(actor: Any, case: CaseLedger, unit: Unit, values: Mapping[str, Any]) -> Any:
    if not services.can_edit(actor, unit):
        raise ActionRefused(f"只有{unit.name}的填报人员可以修改本单位台账。")
    obj = case.model(unit=unit, **{k: v for k, v in values.items() if k in case.create_fields})
    _refuse_if(case.problems(obj))
    obj.save()
    prefix = case.sheet.audit_prefix
    audit(
        actor, f"{prefix}.create", f"登记{case.label}：{obj}", unit=unit, obj=obj,
        after=services._json(obj, case.create_fields),
    )  # fmt: skip
    return obj


@transaction.atomic
def apply_event(
    actor: Any, case: CaseLedger, obj: Any, name: str, values: Mapping[str, Any]
) -> Any:
    event = case.events.get(name)
    if event is None:
        raise ActionRefused("没有这项操作。")
    case.model._default_manager.select_for_update().filter(pk=obj.pk).first()
    obj.refresh_from_db()
    if not services.can_edit(actor, obj.unit):
        raise ActionRefused(f"您不能对“{obj}”执行“{event.label}”。")
    if obj.is_hidden:
        raise ActionRefused("该记录已隐藏，不能修改。")
    missing = [
        str(obj._meta.get_field(n).verbose_name)
        for n in event.required
        if values.get(n) in (None, "")
    ]
    if missing:
        raise ActionRefused("请填写“" + "”“".join(missing) + "”。")
    before = services._json(obj, event.fields)
    for n in event.fields:
        if n in values:
            setattr(obj, n, values[n])
    _refuse_if(case.problems(obj))
    obj.save()
    audit(
        actor, f"{case.sheet.audit_prefix}.{name}", f"{event.label}：{obj}", unit=obj.unit, obj=obj,
        before=before, after=services._json(obj, event.fields),
    )  # fmt: skip
    return obj


# -- pages ------------------------------------------------------------------------------


def _case(slug: str) -> CaseLedger:
    case = CASES.get(slug)
    if case is None:
        raise Http404("没有这种台账。")
    return case


def _ledger_user(request: HttpRequest) -> None:
    access = access_for(request.user)
    if not (access.is_reporter or access.is_reviewer):
        raise PermissionDenied


def _year(raw: Any) -> int | None:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def filtered(request: HttpRequest, case: CaseLedger) -> tuple[Any, dict[str, Any]]:
    """The list's records after the filters in the query string, and the filters chosen.

    `?figure=` with a unit and a year shows exactly the records behind that figure
    (`below=1`: of the unit and the units under it), as the review page links them."""
    qs = services.readable(request.user, case.model)
    raw_unit = request.GET.get("unit")
    unit = get_unit(request.user, raw_unit, "view") if raw_unit else None
    year = _year(request.GET.get("year"))
    figure = request.GET.get("figure", "")
    module = figures.module_of(figure)
    below = bool(request.GET.get("below"))
    if (
        module is not None
        and module.LISTS[figure] == f"{case.namespace}:{case.slug}"
        and unit is not None
        and year is not None
    ):
        qs = qs.filter(pk__in=module.records(figure, unit, year, below=below).values("pk"))
    else:
        figure = ""
        if unit is not None:
            qs = qs.filter(unit=unit)
        if year is not None:
            qs = qs.filter(case.sheet.year_filter(year) if case.sheet.year_filter else Q())
    if not request.GET.get("hidden"):
        qs = qs.filter(hidden_reason="")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(case.search(q))
    chosen = {"unit": unit, "year": year, "figure": figure, "q": q, "below": below,
              "hidden": bool(request.GET.get("hidden"))}  # fmt: skip
    if figure:
        chosen["figure_label"] = figures.indicator_label(figure)
    return qs, chosen


def shown(obj: Any, name: str) -> str:
    """A field's value as the pages show it."""
    f = obj._meta.get_field(name)
    value = getattr(obj, f"get_{name}_display")() if f.choices else getattr(obj, name)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _nav(active: str) -> list[dict[str, Any]]:
    return [
        {"label": c.label, "url": reverse(f"{c.namespace}:{c.slug}"), "active": c.slug == active}
        for c in CASES.values()
    ]


@login_required
@require_GET
def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    _ledger_user(request)
    case = _case(slug)
    qs, chosen = filtered(request, case)
    page = Paginator(qs.order_by(*case.model._meta.ordering), PAGE).get_page(
        request.GET.get("page")
    )
    calendars = deadlines.Calendars()
    today = services.today()
    rows = []
    for obj in page.object_list:
        open_clocks = [
            (c, c.state(today)) for c in case.clocks(obj, calendars) if c.done_on is None
        ]
        rows.append(
            (obj, case.record_url(obj), [shown(obj, n) for n in case.list_fields], open_clocks)
        )
    return render(
        request,
        "ledgers/case_list.html",
        {
            "case": case, "rows": rows, "page": page, "chosen": chosen,
            "headers": [case.model._meta.get_field(n).verbose_name for n in case.list_fields],
            "units": services.ledger_units(request.user).order_by("path"),
            "editable": services.editable_units(request.user), "nav": _nav(slug),
            "new_url": case.url("new"),
            "query": request.GET.urlencode(),
        },
    )  # fmt: skip


def _get(request: HttpRequest, case: CaseLedger, pk: int) -> Any:
    return services.get_record(request.user, case.model, pk)


@login_required
@require_GET
def record_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _ledger_user(request)
    case = _case(slug)
    obj = _get(request, case, pk)
    today = services.today()
    clocks = [(c, c.state(today)) for c in case.clocks(obj, deadlines.Calendars())]
    fields = [(c.label, shown(obj, c.key)) for c in case.sheet.columns]
    children = [
        (title, [[shown(child, n) for n in names] for child in getattr(obj, related).all()],
         [child_model_field(obj, related, n) for n in names])
        for title, related, names in case.children
    ]  # fmt: skip
    editable = services.can_edit(request.user, obj.unit) and not obj.is_hidden
    return render(
        request,
        "ledgers/case_detail.html",
        {"case": case, "record": obj, "fields": fields, "clocks": clocks, "children": children,
         "events": [(e.label, case.url("event", obj.pk, name)) for name, e in case.events.items()]
         if editable else [],
         "hide_url": case.url("hide", obj.pk), "hide_form": HideForm(), "editable": editable,
         "extra": case.extra_actions(obj) if editable else [], "nav": _nav(slug)},
    )  # fmt: skip


def child_model_field(obj: Any, related: str, name: str) -> str:
    model = getattr(obj, related).model
    return str(model._meta.get_field(name).verbose_name)


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, slug: str) -> HttpResponse:
    _ledger_user(request)
    case = _case(slug)
    editable = services.editable_units(request.user)
    if not editable:
        raise PermissionDenied
    form = event_form(case.model, case.create_fields, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = next((u for u in editable if str(u.pk) == request.POST.get("unit")), None)
        if unit is None:
            raise Http404("单位不存在或无权访问。")
        try:
            obj = create(request.user, case, unit, cleaned_values(form))
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已登记{case.label}“{obj}”。")
            return redirect(case.record_url(obj))
    return render(
        request,
        "ledgers/form.html",
        {"title": f"登记{case.label}", "form": form, "editable": editable,
         "required": [n for n in case.create_fields if case.model._meta.get_field(n).blank is False]},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def record_event(request: HttpRequest, slug: str, pk: int, event: str) -> HttpResponse:
    _ledger_user(request)
    case = _case(slug)
    obj = _get(request, case, pk)
    spec = case.events.get(event)
    if spec is None or not services.can_edit(request.user, obj.unit):
        raise Http404("没有这项操作。")
    form = event_form(case.model, spec.fields, data=request.POST or None, record=obj)
    if request.method == "POST" and form.is_valid():
        try:
            apply_event(request.user, case, obj, event, cleaned_values(form))
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已{spec.label}。")
            return redirect(case.record_url(obj))
    return render(
        request,
        "ledgers/form.html",
        {"title": f"{spec.label}：{obj}", "form": form, "record": obj, "required": spec.required},
    )


@login_required
@require_POST
def record_hide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _ledger_user(request)
    case = _case(slug)
    obj = _get(request, case, pk)
    form = HideForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionRefused("请填写隐藏原因。")
        services.hide(request.user, obj, form.cleaned_data["reason"])
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已隐藏。记录仍保留，可在列表中勾选“显示已隐藏”查看。")
    return redirect(case.record_url(obj))


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """即将到期, 已逾期 and this year's counts of the case ledgers, for the user's units."""
    _ledger_user(request)
    today = services.today()
    access = access_for(request.user)
    if access.is_reporter and not access.is_reviewer:
        units = Unit.objects.filter(pk__in=access.reporter_unit_ids)
        scope = "本单位"
    else:
        units = services.ledger_units(request.user)
        scope = "本办及下级单位"
    calendars = deadlines.Calendars()
    due_soon, overdue, counts = [], [], []
    for case in CASES.values():
        qs = services.readable(request.user, case.model).filter(
            unit__in=units.values("pk"), hidden_reason=""
        )
        counts.append((case, qs.filter(case.sheet.year_filter(today.year)).count()
                       if case.sheet.year_filter else qs.count()))  # fmt: skip
        for obj in qs.filter(case.open_q):
            for clock in case.clocks(obj, calendars):
                if clock.done_on is not None:
                    continue
                state = clock.state(today)
                row = {"case": case, "clock": clock,
                       "url": case.record_url(obj)}  # fmt: skip
                if state == ClockState.OVERDUE:
                    overdue.append(row)
                elif state == ClockState.DUE_SOON:
                    due_soon.append(row)
    by_due = lambda row: row["clock"].due or dt.date.max  # noqa: E731
    return render(
        request,
        "ledgers/case_dashboard.html",
        {"scope": scope, "year": today.year, "counts": counts, "nav": _nav(""),
         "overdue": sorted(overdue, key=by_due), "due_soon": sorted(due_soon, key=by_due)},
    )  # fmt: skip


def urls(slugs: tuple[str, ...]) -> list[Any]:
    """The routes of an app's case ledgers; the first slug's list is the app's index."""
    out = []
    for slug in slugs:
        kw = {"slug": slug}
        out += [
            path(f"{slug}/", record_list, kw, name=slug),
            path(f"{slug}/new/", record_new, kw, name=f"{slug}_new"),
            path(f"{slug}/<int:pk>/", record_detail, kw, name=f"{slug}_record"),
            path(f"{slug}/<int:pk>/events/<str:event>/", record_event, kw, name=f"{slug}_event"),
            path(f"{slug}/<int:pk>/hide/", record_hide, kw, name=f"{slug}_hide"),
        ]
    return out
