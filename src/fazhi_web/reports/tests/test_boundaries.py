"""Every reporter view tried from across a boundary: 404 (or login), never the data."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services
from fazhi_web.reports.models import Obligation, ReportVersion, State
from fazhi_web.reports.tests.conftest import REPORT_TEXT
from fazhi_web.review import services as review_services
from fazhi_web.review.models import Comment

OUTSIDE = ["other_reporter", "district_reporter", "outsider", "other_reviewer"]
SECRET = "组织领导干部专题学法12次"


@pytest.mark.parametrize("who", OUTSIDE)
@pytest.mark.parametrize("view", ["reports:obligation", "reports:diff"])
def test_pages_are_404_from_outside(client, world, obligation, version, who, view):
    client.force_login(getattr(world, who))
    response = client.get(reverse(view, args=[obligation.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "清河镇" not in page and SECRET not in page


@pytest.mark.parametrize("view", ["reports:obligation", "reports:diff", "reports:mine"])
def test_pages_send_anonymous_to_login(client, world, obligation, view):
    args = [] if view == "reports:mine" else [obligation.pk]
    response = client.get(reverse(view, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_reviewer_may_look_but_not_act(client, world, obligation, version):
    client.force_login(world.reviewer)
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    assert SECRET in page
    assert 'enctype="multipart/form-data"' not in page
    assert 'name="version"' not in page
    assert reverse("review:report", args=[obligation.pk]) in page


def test_unknown_obligation_is_404(client, world):
    client.force_login(world.reporter)
    assert client.get(reverse("reports:obligation", args=[987654])).status_code == 404


def _post(client, view, obligation, version):
    data = {
        "reports:upload": lambda: {"file": SimpleUploadedFile("x.txt", REPORT_TEXT.encode())},
        "reports:paste": lambda: {"text": REPORT_TEXT},
        "reports:submit": lambda: {"version": version.pk},
        "reports:reply": lambda: {"body": "越界答复"},
    }[view]()
    return client.post(reverse(view, args=[obligation.pk]), data)


ACTIONS = ["reports:upload", "reports:paste", "reports:submit", "reports:reply"]


@pytest.mark.parametrize("who", [*OUTSIDE, "reviewer", "admin"])
@pytest.mark.parametrize("view", ACTIONS)
def test_actions_are_404_for_anyone_but_the_reporter(client, world, obligation, version, who, view):
    if view == "reports:reply":
        services.submit(world.reporter, obligation, version)
        review_services.return_report(world.reviewer, obligation, "请修改")
    client.force_login(getattr(world, who))
    entries = AuditEntry.objects.count()
    state = Obligation.objects.get(pk=obligation.pk).state
    response = _post(client, view, obligation, version)
    assert response.status_code == 404
    assert ReportVersion.objects.count() == 1
    assert Obligation.objects.get(pk=obligation.pk).state == state
    assert not Comment.objects.filter(kind=Comment.Kind.REPLY).exists()
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("view", ACTIONS)
def test_actions_send_anonymous_to_login(client, world, obligation, version, view):
    response = _post(client, view, obligation, version)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert ReportVersion.objects.count() == 1
    assert Obligation.objects.get(pk=obligation.pk).state == State.PENDING


@pytest.mark.parametrize("view", ACTIONS)
def test_actions_need_post(client, world, obligation, view):
    client.force_login(world.reporter)
    assert client.get(reverse(view, args=[obligation.pk])).status_code == 405


def test_other_reporter_cannot_reach_the_town_through_their_own_obligation(
    client, world, obligation, version, other_obligation
):
    # Their own page works, and submitting the town's version through it is refused.
    client.force_login(world.other_reporter)
    assert client.get(reverse("reports:obligation", args=[other_obligation.pk])).status_code == 200
    response = client.post(
        reverse("reports:submit", args=[other_obligation.pk]), {"version": version.pk}, follow=True
    )
    assert "所选版本不属于该报告" in response.content.decode()
    assert Obligation.objects.get(pk=obligation.pk).state == State.PENDING
    assert Obligation.objects.get(pk=other_obligation.pk).state == State.PENDING
