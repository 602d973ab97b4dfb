"""Uploading: what is accepted, what is refused (in Chinese), and that refusals store nothing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services
from fazhi_web.reports.models import ReportVersion
from fazhi_web.reports.tests.conftest import REPORT_TEXT, docx_report

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def stored_files() -> list[Path]:
    root = Path(settings.UPLOAD_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_upload_seed_txt_runs_the_engine_and_shows_the_self_check(
    client, world, obligation, upload, seed_bytes
):
    client.force_login(world.reporter)
    response = upload(obligation, "松山湖2020.txt", seed_bytes["000"])
    assert response.status_code == 200
    version = ReportVersion.objects.get(obligation=obligation)
    assert version.number == 1 and version.format == "txt"
    page = response.content.decode()
    assert "已上传第1版" in page
    # Five-part checklist with the engine's Chinese names.
    assert "上一年度推进法治政府建设的主要举措和成效" in page
    assert "其他需要报告的情况（可选，未写）" in page
    # Score with its criteria.
    assert "按时报送" in page and "15/15" in page
    # Findings: severity in Chinese, rule name, message and the quoted span.
    assert '<mark class="finding sev-warning">为为</mark>' in page
    # Key indicators under their Chinese names.
    assert "政务服务事项数" in page and "611项" in page
    # Ready to submit, with the version's id.
    assert f'name="version" value="{version.pk}"' in page
    assert AuditEntry.objects.filter(action="version.upload", object_id=str(version.pk)).exists()


def test_rule_names_come_from_the_engine(client, world, obligation, upload, seed_bytes):
    from fazhi.rules.base import rule_text

    client.force_login(world.reporter)
    page = upload(obligation, "松山湖2020.txt", seed_bytes["000"]).content.decode()
    assert f"[警告] {rule_text('repeated-char').name}" in page
    assert f"[提示] {rule_text('boilerplate').name}" in page


def test_upload_generated_docx(client, world, obligation, upload):
    client.force_login(world.reporter)
    response = upload(obligation, "清河镇2023年法治政府建设年度报告.docx", docx_report())
    version = ReportVersion.objects.get(obligation=obligation)
    assert version.format == "docx"
    assert "组织领导干部专题学法12次" in version.text
    parts = version.analysis["parts"]
    for key in ("measures", "shortcomings", "first_responsible", "next_year"):
        assert parts[key]["present"], key
    page = response.content.decode()
    assert "已上传第1版" in page
    assert '<li class="missing">' not in page
    assert "领导干部学法次数" in page


def test_paste_text_becomes_a_version(client, world, obligation):
    client.force_login(world.reporter)
    response = client.post(
        reverse("reports:paste", args=[obligation.pk]), {"text": REPORT_TEXT}, follow=True
    )
    version = ReportVersion.objects.get(obligation=obligation)
    assert version.original_name == "粘贴文本.txt"
    assert "已保存粘贴的文本为第1版" in response.content.decode()


def test_empty_paste_is_refused(client, world, obligation):
    client.force_login(world.reporter)
    response = client.post(
        reverse("reports:paste", args=[obligation.pk]), {"text": "  \n "}, follow=True
    )
    assert "粘贴的内容为空" in response.content.decode()
    assert not ReportVersion.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("报告.docx", PNG, "文件内容是图片"),
        ("报告.txt", b"", "上传的文件是空的"),
        ("报告.ppt", REPORT_TEXT.encode("utf-8"), "不支持“报告.ppt”的文件类型"),
        (
            "报告.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000,
            "不支持“报告.xls”的文件类型",
        ),
        ("报告.txt", random.Random(7).randbytes(4000), "不是可识别的文本"),
        ("报告.pdf", b"%PDF-1.4\n garbage", "不是有效的 PDF"),
        ("报告.docx", b"PK\x03\x04 not really a zip", "不是有效的 Word 文档"),
    ],
    ids=["png-as-docx", "empty", "ppt", "xls", "binary-txt", "broken-pdf", "broken-docx"],
)
def test_refused_uploads_explain_and_store_nothing(
    client, world, obligation, upload, name, content, message
):
    client.force_login(world.reporter)
    response = upload(obligation, name, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'class="error"' in page
    assert not ReportVersion.objects.exists()
    assert stored_files() == []
    assert not AuditEntry.objects.filter(action="version.upload").exists()


def test_oversized_upload_is_refused_before_analysis(client, world, obligation, upload, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client.force_login(world.reporter)
    response = upload(obligation, "大文件.txt", REPORT_TEXT.encode("utf-8") * 3)
    page = response.content.decode()
    assert "超过 1000 字节 的限制" in page
    assert "大文件.txt" in page
    assert not ReportVersion.objects.exists()
    assert stored_files() == []


def test_no_file_chosen(client, world, obligation):
    client.force_login(world.reporter)
    response = client.post(reverse("reports:upload", args=[obligation.pk]), {}, follow=True)
    assert "请选择要上传的报告文件" in response.content.decode()
    assert not ReportVersion.objects.exists()


def test_upload_after_submission_is_refused(client, world, obligation, version, upload):
    services.submit(world.reporter, obligation, version)
    client.force_login(world.reporter)
    response = upload(obligation, "第二版.txt", REPORT_TEXT.encode("utf-8") + "补充".encode())
    assert "审查期间不能上传新版本" in response.content.decode()
    assert ReportVersion.objects.count() == 1


def test_uploads_are_stored_outside_served_directories(client, world, obligation, upload):
    client.force_login(world.reporter)
    upload(obligation, "清河镇.txt", REPORT_TEXT.encode("utf-8"))
    version = ReportVersion.objects.get()
    path = (Path(settings.UPLOAD_ROOT) / version.stored_name).resolve()
    assert path.is_file()
    assert path.read_bytes() == REPORT_TEXT.encode("utf-8")
    served = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    served += [Path(settings.MEDIA_ROOT)] if getattr(settings, "MEDIA_ROOT", "") else []
    for root in served:
        assert not path.is_relative_to(root.resolve())
