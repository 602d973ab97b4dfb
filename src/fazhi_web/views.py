"""The landing page after login: each role starts where its work is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi_web.units.access import access_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if access.is_reviewer:
        return redirect("review:board")
    if access.is_reporter:
        return redirect("reports:mine")
    return render(request, "no_role.html", status=403)
