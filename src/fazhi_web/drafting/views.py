"""The 生成报告初稿 button: the draft of an obligation's report as a Word file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from fazhi_web.drafting import services
from fazhi_web.units.access import get_obligation


@login_required
@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    # The unit's own users and the offices above it: whoever may see the obligation.
    obligation = get_obligation(request.user, pk, "view")
    draft = services.generate(request.user, obligation)
    response = HttpResponse(draft.content, content_type=services.DOCX)
    response["Content-Disposition"] = content_disposition_header(True, draft.filename)
    return response
