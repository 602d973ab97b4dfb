"""Who may generate a unit's draft: its own users and the offices above it. Others get 404,
the anonymous the login page; every draft generated is in the audit log."""

from __future__ import annotations

import io

import docx
import pytest
from django.test import Client
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation


@pytest.fixture
def obligation(world) -> Obligation:
    report_services.open_year(world.admin, world.city, 2023)
    return Obligation.objects.get(unit=world.town, reporting_year__year=2023)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def generate(user, obligation):
    return client_for(user).post(reverse("drafting:generate", args=[obligation.pk]))


@pytest.mark.parametrize("who", ["reporter", "reviewer", "admin"])
def test_the_unit_and_the_offices_above_it_get_the_draft(world, obligation, who):
    response = generate(getattr(world, who), obligation)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "南湖区清河镇2023年法治政府建设年度报告"
    entry = AuditEntry.objects.get(action="draft.generate")
    assert entry.actor == getattr(world, who) and entry.unit == world.town
    assert entry.object_id == str(obligation.pk)


@pytest.mark.parametrize(
    "who", ["outsider", "other_reporter", "other_reviewer", "district_reporter"]
)
def test_anyone_else_is_not_found_and_nothing_is_logged(world, obligation, who):
    response = generate(getattr(world, who), obligation)
    assert response.status_code == 404
    assert "不存在或无权访问" in response.content.decode()
    assert not AuditEntry.objects.filter(action="draft.generate").exists()


def test_the_anonymous_are_sent_to_log_in_and_a_get_is_refused(world, obligation):
    url = reverse("drafting:generate", args=[obligation.pk])
    response = Client().post(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client_for(world.reporter).get(url).status_code == 405
    assert not AuditEntry.objects.filter(action="draft.generate").exists()


def test_an_obligation_that_does_not_exist_is_not_found(world, obligation):
    response = client_for(world.reporter).post(reverse("drafting:generate", args=[999999]))
    assert response.status_code == 404


def test_the_button_is_on_the_units_page_for_the_year(world, obligation):
    page = client_for(world.reporter).get(reverse("reports:obligation", args=[obligation.pk]))
    body = page.content.decode()
    assert reverse("drafting:generate", args=[obligation.pk]) in body and "生成报告初稿" in body


def test_the_audit_log_reads_the_entry_in_chinese(world, obligation):
    generate(world.reporter, obligation)
    log = client_for(world.admin).get(reverse("audit:log")).content.decode()
    assert "生成报告初稿" in log and "南湖区清河镇2023年度报告初稿" in log
