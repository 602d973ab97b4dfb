"""Fixtures for the reporter's pages: an opened year and ready-made uploads."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi_web.reports import services
from fazhi_web.reports.models import Obligation, ReportVersion

REPORT_TEXT = """东江市南湖区清河镇2023年法治政府建设年度报告
2023年,清河镇坚持以习近平法治思想为指导,扎实推进法治政府建设,现将有关情况报告如下:
一、2023年推进法治政府建设的主要举措和成效
(一)加强组织领导。镇党委召开专题会议研究法治建设工作4次,组织领导干部专题学法12次。
(二)推进严格规范公正文明执法。全年开展行政检查320次,办理行政处罚案件45宗。
二、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记、镇长带头学法,亲自部署法治政府建设重点任务。
三、存在的不足和原因
一是执法人员专业素质有待提高;二是普法宣传形式较为单一。原因在于培训投入不足。
四、2024年推进法治政府建设的主要安排
一是加强执法队伍建设,全年组织培训不少于6次;二是创新普法宣传方式。
东江市南湖区清河镇人民政府
2024年1月20日
"""


def docx_report(paragraphs: list[str] | None = None) -> bytes:
    """A short Word report with real headings, as a town would write it."""
    document = docx.Document()
    lines = paragraphs or REPORT_TEXT.strip().split("\n")
    document.add_heading(lines[0], level=0)
    for line in lines[1:]:
        if line[:2] in {"一、", "二、", "三、", "四、"}:
            document.add_heading(line, level=1)
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The world creates seven users; the production hasher makes each test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def obligation(world) -> Obligation:
    """The town's 2023 obligation (open_year creates one for every unit below the city)."""
    services.open_year(world.admin, world.city, 2023)
    return Obligation.objects.get(unit=world.town, reporting_year__year=2023)


@pytest.fixture
def other_obligation(world) -> Obligation:
    services.open_year(world.other_reviewer, world.other_city, 2023)
    return Obligation.objects.get(unit=world.other_town, reporting_year__year=2023)


@pytest.fixture
def version(world, obligation) -> ReportVersion:
    return services.upload_version(
        world.reporter, obligation, "清河镇2023.txt", REPORT_TEXT.encode("utf-8")
    )


@pytest.fixture
def upload(client: Client) -> Callable[..., Any]:
    """POST a file to the upload view as the logged-in user and follow to the page."""

    def post(obligation: Obligation, name: str, content: bytes, **extra: Any) -> Any:
        return client.post(
            reverse("reports:upload", args=[obligation.pk]),
            {"file": SimpleUploadedFile(name, content)},
            follow=True,
            **extra,
        )

    return post
