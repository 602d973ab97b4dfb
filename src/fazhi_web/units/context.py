from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fazhi_web.units.access import access_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The current user's access, so the menu shows only what they may use."""
    return {"access": access_for(request.user)}
