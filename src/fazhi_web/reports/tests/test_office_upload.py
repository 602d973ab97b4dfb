"""Uploading .doc, .wps and .odt: converted on the server by LibreOffice, refused in Chinese.

The files are the conftest's Word report saved by the real LibreOffice, once
per session. A .wps from WPS Office is usually Word 97 inside, which is what
LibreOffice writes even when asked for "wps", so the .wps is the .doc renamed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from fazhi.load import office
from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services
from fazhi_web.reports.models import ReportVersion
from fazhi_web.reports.tests.conftest import docx_report
from tests.conftest import soffice_convert

PARTS = ("measures", "shortcomings", "first_responsible", "next_year")


@pytest.fixture(scope="session")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    workdir = tmp_path_factory.mktemp("office-upload")
    source = workdir / "report.docx"
    source.write_bytes(docx_report())
    files = {"docx": source.read_bytes()}
    for target_format in ("doc", "odt"):
        files[target_format] = soffice_convert(source, target_format, workdir)
    return files


def nothing_stored() -> bool:
    root = Path(settings.UPLOAD_ROOT)
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return not files and not ReportVersion.objects.exists()


@pytest.mark.parametrize(
    ("name", "saved_as"),
    [("清河镇2023.doc", "doc"), ("清河镇2023.wps", "doc"), ("清河镇2023.odt", "odt")],
    ids=["doc", "wps", "odt"],
)
def test_upload_through_the_page_is_converted_and_checked(
    client, world, obligation, upload, saved, name, saved_as
):
    client.force_login(world.reporter)
    response = upload(obligation, name, saved[saved_as])
    page = response.content.decode()
    assert response.status_code == 200 and "已上传第1版" in page
    assert 'class="error"' not in page
    version = ReportVersion.objects.get(obligation=obligation)
    assert version.original_name == name and version.format == "doc"
    assert "组织领导干部专题学法12次" in version.text
    for part in PARTS:
        assert version.analysis["parts"][part]["present"], part
    assert '<li class="missing">' not in page
    assert "领导干部学法次数" in page
    stored = Path(settings.UPLOAD_ROOT) / version.stored_name
    assert stored.read_bytes() == saved[saved_as]


def test_upload_version_reads_odt_and_doc_as_the_docx(world, obligation, saved):
    from_docx = services.upload_version(world.reporter, obligation, "清河镇.docx", saved["docx"])
    for name, saved_as in (("清河镇.odt", "odt"), ("清河镇.doc", "doc")):
        version = services.upload_version(world.reporter, obligation, name, saved[saved_as])
        assert version.format == "doc"
        assert version.text == from_docx.text
        assert version.analysis["parts"] == from_docx.analysis["parts"]
        assert version.analysis["indicators"] == from_docx.analysis["indicators"]
    assert list(obligation.versions.values_list("number", flat=True)) == [1, 2, 3]


def test_the_upload_form_lists_the_office_formats(client, world, obligation):
    client.force_login(world.reporter)
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    accept = page.split('accept="', 1)[1].split('"', 1)[0].split(",")
    assert {".doc", ".wps", ".odt", ".docx", ".pdf", ".txt", ".html"} <= set(accept)
    assert "支持 .docx、.doc、.wps（WPS 文字）、.odt、.pdf" in page
    assert "另存为 .docx" not in page


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("报告.doc", lambda saved: saved["doc"][: len(saved["doc"]) // 2]),
        # Allocation tables overwritten: LibreOffice itself is asked and cannot open it.
        (
            "报告.doc",
            lambda saved: (
                saved["doc"][:512]
                + bytes(len(saved["doc"]) // 2 - 512)
                + saved["doc"][len(saved["doc"]) // 2 :]
            ),
        ),
        ("报告.odt", lambda saved: saved["odt"].replace(b"content.xml", b"content.xmx")),
    ],
    ids=["truncated-doc", "zeroed-doc", "odt-without-content"],
)
def test_broken_file_is_refused_with_what_to_do(
    client, world, obligation, upload, saved, name, make
):
    client.force_login(world.reporter)
    page = upload(obligation, name, make(saved)).content.decode()
    assert 'class="error"' in page
    assert f"无法读取“{name}”" in page
    assert "请用 WPS 或 Word 打开后另存为 .docx 再提交" in page
    assert nothing_stored()
    assert not AuditEntry.objects.filter(action="version.upload").exists()


def test_server_without_libreoffice_says_so(client, world, obligation, upload, saved, monkeypatch):
    monkeypatch.setattr(office, "find_soffice", lambda: None)
    client.force_login(world.reporter)
    page = upload(obligation, "报告.odt", saved["odt"]).content.decode()
    assert "服务器缺少文档转换组件（LibreOffice），暂时无法读取“报告.odt”" in page
    assert "另存为 .docx 后上传" in page
    assert nothing_stored()
    with pytest.raises(services.ActionRefused, match="服务器缺少文档转换组件"):
        services.upload_version(world.reporter, obligation, "报告.wps", saved["doc"])
