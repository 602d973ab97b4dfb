"""Administration: units, users and roles, deadlines and reporting years of an office.

Only administrators (管理员) get here, and only for units at and below their own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi_web.accounts import services as accounts
from fazhi_web.accounts.passwords import RULE_TEXT
from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports.models import DeadlineRule, Obligation, ReportingYear, State
from fazhi_web.reports.services import ActionRefused, default_deadline, open_year, set_deadline_rule
from fazhi_web.units import services
from fazhi_web.units.access import Access, access_for, get_unit
from fazhi_web.units.forms import (
    DeadlineForm,
    HideForm,
    ImportForm,
    MembershipForm,
    OpenYearForm,
    UnitForm,
    UserCreateForm,
)
from fazhi_web.units.models import Level, Membership, Unit
from fazhi_web.units.xlsx import MAX_BYTES, SheetError, read_units_sheet, write_units_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _admin(request: HttpRequest) -> Access:
    access = access_for(request.user)
    if not access.is_admin:
        raise PermissionDenied
    return access


def _visible(access: Access) -> list[Unit]:
    """Units an admin may attach things to: in scope and not hidden."""
    return list(access.administrable_units().filter(hidden_reason="").select_related("parent"))


def _offices(access: Access) -> list[Unit]:
    """The offices this admin runs: the ones they review or administer from, within admin scope."""
    admin_ids = access.administrable_units().values("pk")
    return list(access.offices().filter(pk__in=admin_ids).order_by("name"))


def _pick_office(offices: list[Unit], raw: Any) -> Unit:
    if raw in (None, ""):
        return offices[0]
    for office in offices:
        if str(office.pk) == str(raw):
            return office
    raise Http404("单位不存在或无权访问。")


# -- units -------------------------------------------------------------------


@login_required
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    access = _admin(request)
    rows = services.tree_order(access.administrable_units())
    return render(
        request,
        "units/list.html",
        {"rows": rows, "hidden_count": sum(1 for u, _ in rows if u.is_hidden)},
    )


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit(request.user, pk, "admin")
    access = access_for(request.user)
    members = (
        Membership.objects.filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__username")
    )
    obligations = (
        Obligation.objects.filter(unit=unit)
        .select_related("reporting_year", "reporting_year__office")
        .order_by("-reporting_year__year", "reporting_year__office__name")
    )
    children = services.tree_order(unit.children.all())
    hidden_by = None
    if unit.is_hidden:
        hidden_by = (
            AuditEntry.objects.filter(unit=unit, action="unit.hide").order_by("-at", "-id").first()
        )
    return render(
        request,
        "units/detail.html",
        {
            "unit": unit,
            "parent_link": unit.parent is not None and access.can_admin(unit.parent),
            "children": [u for u, depth in children if depth == 0],
            "members": members,
            "obligations": obligations,
            "can_review": access.can_review(unit),
            "hidden_by": hidden_by,
            "hide_form": HideForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    access = _admin(request)
    form = UnitForm(
        request.POST or None,
        parents=_visible(access),
        parent_required=not access.is_superuser,
        initial={"parent": request.GET.get("parent"), "level": Level.DEPARTMENT},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.create_unit(
                request.user,
                name=data["name"],
                level=data["level"],
                region=data["region"],
                parent=data["parent"],
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已新建单位“{unit.name}”。")
            return redirect("units:detail", unit.pk)
    return render(request, "units/form.html", {"form": form, "unit": None}, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit(request.user, pk, "admin")
    access = access_for(request.user)
    movable = access.is_superuser if unit.parent is None else access.can_admin(unit.parent)
    parents = None
    if movable:
        # Never under itself or its own subtree; the current parent stays choosable even if hidden.
        parents = [
            u
            for u in access.administrable_units().select_related("parent")
            if not u.path.startswith(unit.path) and (not u.is_hidden or u.pk == unit.parent_id)
        ]
    form = UnitForm(
        request.POST or None,
        parents=parents,
        parent_required=not access.is_superuser,
        initial={
            "name": unit.name,
            "level": unit.level,
            "region": unit.region,
            "parent": unit.parent_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_unit(
                request.user,
                unit,
                name=data["name"],
                level=data["level"],
                region=data["region"],
                parent=data.get("parent", unit.parent),
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存单位信息。")
            return redirect("units:detail", unit.pk)
    return render(request, "units/form.html", {"form": form, "unit": unit}, status=_status(form))


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


@login_required
@require_POST
def unit_hide(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit(request.user, pk, "admin")
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写隐藏原因（不超过200字）。")
        return redirect("units:detail", unit.pk)
    try:
        services.hide_unit(request.user, unit, form.cleaned_data["reason"])
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已隐藏单位“{unit.name}”。")
    return redirect("units:detail", unit.pk)


@login_required
@require_http_methods(["GET", "POST"])
def unit_import(request: HttpRequest) -> HttpResponse:
    _admin(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    result = None
    if request.method == "POST":
        if not form.is_valid():
            errors.append("请选择要导入的 .xlsx 文件。")
        else:
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_BYTES:
                    raise SheetError(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB 的大小限制。")
                rows = read_units_sheet(upload.read())
                result = services.import_units(request.user, rows, filename=upload.name)
            except SheetError as exc:
                errors.append(str(exc))
            except services.ImportRefused as exc:
                errors.extend(exc.errors)
            except ActionRefused as exc:
                errors.append(str(exc))
    return render(
        request,
        "units/import.html",
        {"form": ImportForm(), "errors": errors, "result": result},
        status=400 if errors else 200,
    )


@login_required
@require_GET
def unit_export(request: HttpRequest) -> HttpResponse:
    _admin(request)
    content = write_units_sheet(services.export_rows(request.user))
    name = f"单位列表-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# -- users and roles ---------------------------------------------------------


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    access = _admin(request)
    memberships = (
        Membership.objects.filter(unit__in=access.administrable_units())
        .select_related("user", "unit")
        .order_by("user__username", "unit__name", "role")
    )
    users: dict[int, dict[str, Any]] = {}
    for m in memberships:
        users.setdefault(m.user_id, {"user": m.user, "memberships": []})["memberships"].append(m)
    if access.is_superuser:
        # Accounts without any role are only reachable from here by a superuser.
        for user in get_user_model().objects.filter(memberships__isnull=True).order_by("username"):
            users.setdefault(user.pk, {"user": user, "memberships": []})
    must_change = accounts.must_change_ids(users)
    locked = {lock.value for lock in accounts.current_lockouts(request.user)}
    for row in users.values():
        row["must_change"] = row["user"].pk in must_change
        row["locked"] = row["user"].get_username() in locked
    return render(
        request,
        "units/users.html",
        {"users": list(users.values()), "waiting": accounts.sso_users_without_role()},
    )


@sensitive_post_parameters("password", "password2")
@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    access = _admin(request)
    form = UserCreateForm(
        request.POST or None, units=_visible(access), initial={"unit": request.GET.get("unit")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                request.user,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password"],
                unit=data["unit"],
                role=data["role"],
                must_change_password=data["must_change_password"],
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已创建用户“{user.get_username()}”。")
            return redirect("units:users")
    return render(
        request,
        "units/user_create.html",
        {"form": form, "password_rule": RULE_TEXT},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest) -> HttpResponse:
    access = _admin(request)
    form = MembershipForm(
        request.POST or None,
        units=_visible(access),
        initial={"unit": request.GET.get("unit"), "username": request.GET.get("username")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = get_user_model().objects.filter(username=data["username"].strip()).first()
        if user is None:
            form.add_error("username", f"用户“{data['username']}”不存在。")
        else:
            try:
                services.add_membership(
                    request.user, user=user, unit=data["unit"], role=data["role"]
                )
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已为用户“{user.get_username()}”添加角色。")
                return redirect("units:users")
    return render(request, "units/membership_add.html", {"form": form}, status=_status(form))


# -- deadlines and years -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def deadlines(request: HttpRequest) -> HttpResponse:
    access = _admin(request)
    offices = _offices(access)
    if not offices:
        raise PermissionDenied
    office = _pick_office(offices, request.POST.get("office") or request.GET.get("office"))
    if request.method == "POST":
        form = DeadlineForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写有效的层级、月份和日期。")
        else:
            data = form.cleaned_data
            try:
                set_deadline_rule(request.user, office, data["level"], data["month"], data["day"])
            except ActionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"已将{Level(data['level']).label}的报送截止日期设为次年{data['month']}月{data['day']}日。",
                )
        return redirect(f"{reverse('units:deadlines')}?office={office.pk}")
    rules = {r.level: r for r in DeadlineRule.objects.filter(office=office)}
    year = timezone.localdate().year
    rows = [
        {"level": level, "rule": rules.get(level.value), "default": default_deadline(level, year)}
        for level in Level
    ]
    return render(
        request, "units/deadlines.html", {"offices": offices, "office": office, "rows": rows}
    )


@login_required
@require_http_methods(["GET", "POST"])
def years(request: HttpRequest) -> HttpResponse:
    access = _admin(request)
    offices = _offices(access)
    if not offices:
        raise PermissionDenied
    if request.method == "POST":
        office = _pick_office(offices, request.POST.get("office"))
        form = OpenYearForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写有效的报告年度。")
        else:
            try:
                cycle = open_year(request.user, office, form.cleaned_data["year"])
            except ActionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"已开启{office.name}{cycle.year}年度报告，共{cycle.obligations.count()}个单位应报送。",
                )
        return redirect("units:years")
    cycles = (
        ReportingYear.objects.filter(office__in=offices)
        .select_related("office", "opened_by")
        .annotate(
            total=Count("obligations"),
            pending=Count("obligations", filter=Q(obligations__state=State.PENDING)),
            returned=Count("obligations", filter=Q(obligations__state=State.RETURNED)),
            submitted=Count("obligations", filter=Q(obligations__state=State.SUBMITTED)),
            filed=Count("obligations", filter=Q(obligations__state=State.FILED)),
            published=Count("obligations", filter=Q(obligations__state=State.PUBLISHED)),
        )
        .order_by("-year", "office__name")
    )
    return render(
        request,
        "units/years.html",
        {
            "offices": offices,
            "cycles": cycles,
            "default_year": timezone.localdate().year - 1,
        },
    )
