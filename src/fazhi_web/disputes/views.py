"""The disputes app's own page: recording a hearing of a lawsuit (the lists, records
and steps are the shared case pages, ledgers.casebook)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fazhi_web.disputes import services
from fazhi_web.disputes.ledger import LITIGATIONS
from fazhi_web.disputes.models import Hearing, Litigation
from fazhi_web.ledgers import casebook
from fazhi_web.ledgers import services as ledger_services
from fazhi_web.ledgers.forms import cleaned_values, event_form
from fazhi_web.reports.services import ActionRefused

HEARING_FIELDS = ("held_on", "head_appeared", "head_name", "head_title", "note")


@login_required
@require_http_methods(["GET", "POST"])
def hearing_new(request: HttpRequest, pk: int) -> HttpResponse:
    casebook._ledger_user(request)
    litigation = ledger_services.get_record(request.user, Litigation, pk)
    if not ledger_services.can_edit(request.user, litigation.unit):
        raise Http404("没有这项操作。")
    form = event_form(Hearing, HEARING_FIELDS, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_hearing(request.user, litigation, **cleaned_values(form))
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已记录开庭情况。")
            return redirect(LITIGATIONS.record_url(litigation))
    return render(
        request,
        "ledgers/form.html",
        {"title": f"记录开庭：{litigation}", "form": form, "record": litigation,
         "required": ("held_on",)},
    )  # fmt: skip
