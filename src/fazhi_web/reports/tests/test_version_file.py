"""The stored original is handed out only to those who may read the report."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from fazhi_web.reports import services
from fazhi_web.reports.tests.conftest import REPORT_TEXT, docx_report
from fazhi_web.review import services as review_services


def url(version):
    return reverse("reports:version_file", args=[version.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("who", ["reporter", "reviewer", "admin"])
def test_download_by_those_who_may_read(client, world, obligation, version, who):
    client.force_login(getattr(world, who))
    response = client.get(url(version))
    assert response.status_code == 200
    assert body(response) == REPORT_TEXT.encode("utf-8")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    # Named by the report's title (RFC 5987 filename*), with the version: it is not
    # yet the current one.
    title = version.analysis["meta"]["title"]
    assert f"filename*=utf-8''{quote(title + '（第1版）.txt')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"


def test_docx_download_keeps_its_type(client, world, obligation):
    content = docx_report()
    version = services.upload_version(world.reporter, obligation, "报告.docx", content)
    client.force_login(world.reporter)
    response = client.get(url(version))
    assert body(response) == content
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(
    "who", ["other_reporter", "other_reviewer", "outsider", "district_reporter"]
)
def test_download_out_of_scope_is_404(client, world, obligation, version, who):
    client.force_login(getattr(world, who))
    response = client.get(url(version))
    assert response.status_code == 404
    assert REPORT_TEXT.encode("utf-8")[:30] not in response.content


def test_download_anonymous_goes_to_login(client, world, obligation, version):
    response = client.get(url(version))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_version_is_404_or_login(client, world):
    assert client.get(reverse("reports:version_file", args=[999999])).status_code == 302
    client.force_login(world.reporter)
    assert client.get(reverse("reports:version_file", args=[999999])).status_code == 404


def test_published_version_is_public_but_drafts_are_not(client, world, obligation):
    draft = services.upload_version(
        world.reporter, obligation, "初稿.txt", b"draft " * 10 + REPORT_TEXT.encode()
    )
    final = services.upload_version(world.reporter, obligation, "定稿.txt", REPORT_TEXT.encode())
    services.submit(world.reporter, obligation, final)
    review_services.approve(world.reviewer, obligation)
    review_services.publish(world.reviewer, obligation)

    response = client.get(url(final))
    assert response.status_code == 200
    assert body(response) == REPORT_TEXT.encode()
    draft_response = client.get(url(draft))
    assert draft_response.status_code == 302

    client.force_login(world.outsider)
    assert client.get(url(final)).status_code == 200
    assert client.get(url(draft)).status_code == 404
    # The unit's own people still have every version.
    client.force_login(world.reporter)
    assert client.get(url(draft)).status_code == 200


def test_missing_file_on_disk_is_404(client, world, obligation, version, settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "elsewhere"
    client.force_login(world.reporter)
    assert client.get(url(version)).status_code == 404


def test_published_download_is_named_by_the_title_alone(client, world, obligation, version):
    services.submit(world.reporter, obligation, version)
    obligation.refresh_from_db()
    review_services.approve(world.reviewer, obligation)
    review_services.publish(world.reviewer, obligation)
    response = client.get(url(version))
    assert response.status_code == 200
    title = version.analysis["meta"]["title"]
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote(title + '.txt')}"
    )


def test_names_drop_what_file_systems_refuse(world, obligation, version):
    obligation.unit.name = '东江/市:南湖"区'
    version.analysis = {}
    assert services.download_name(obligation, version) == (
        "东江市南湖区2023年度法治政府建设年度报告（第1版）.txt"
    )
