"""Security headers on every page (等保 入侵防范) and templates that keep to the CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

PLATFORM = Path(__file__).resolve().parent


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("url", ["portal:index", "login", "portal:stats"])
def test_strict_csp_and_permissions_policy(client, db, url):
    response = client.get(reverse(url))
    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert "Content-Security-Policy-Report-Only" not in response
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_api_errors_carry_the_headers_too(client, db):
    response = client.get("/api/units")
    assert response.status_code == 401 and "Content-Security-Policy" in response


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def test_no_template_has_inline_script_style_or_event_handlers():
    """The CSP refuses them; a template that had one would silently lose it."""
    offenders = []
    for template in PLATFORM.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if any(p.search(text) for p in (INLINE_SCRIPT, EVENT_HANDLER, STYLE_ELEMENT)):
            offenders.append(str(template.relative_to(PLATFORM)))
    assert offenders == []
