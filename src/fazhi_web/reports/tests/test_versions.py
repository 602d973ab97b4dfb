"""Every upload is kept as it came: numbered, hashed, never overwritten."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings

from fazhi_web.reports.models import ReportVersion
from fazhi_web.reports.tests.conftest import REPORT_TEXT


def test_two_uploads_make_two_versions(client, world, obligation, upload):
    client.force_login(world.reporter)
    first = REPORT_TEXT.encode("utf-8")
    second = (REPORT_TEXT + "五、其他需要报告的情况\n无。\n").encode("utf-8")
    upload(obligation, "第一稿.txt", first)
    page = upload(obligation, "第二稿.txt", second).content.decode()
    v1, v2 = ReportVersion.objects.filter(obligation=obligation).order_by("number")
    assert (v1.number, v2.number) == (1, 2)
    assert v1.sha256 == hashlib.sha256(first).hexdigest()
    assert v2.sha256 == hashlib.sha256(second).hexdigest()
    assert (v1.original_name, v2.original_name) == ("第一稿.txt", "第二稿.txt")
    root = Path(settings.UPLOAD_ROOT)
    assert (root / v1.stored_name).read_bytes() == first
    assert (root / v2.stored_name).read_bytes() == second
    # The versions table: short hash shown, full hash in the title; the page offers the diff.
    assert f'title="{v1.sha256}"' in page and f"{v2.sha256[:12]}…" in page
    assert "第一稿.txt" in page and "第二稿.txt" in page
    assert f"/reports/{obligation.pk}/diff/" in page


def test_same_file_twice_is_still_two_versions(client, world, obligation, upload):
    client.force_login(world.reporter)
    content = REPORT_TEXT.encode("utf-8")
    upload(obligation, "a.txt", content)
    upload(obligation, "a.txt", content)
    numbers = list(ReportVersion.objects.values_list("number", flat=True).order_by("number"))
    assert numbers == [1, 2]


def test_version_text_cannot_be_changed(version):
    version.text = "改过的文字"
    with pytest.raises(ValueError, match="不可修改"):
        version.save()
    version.refresh_from_db()
    assert version.text != "改过的文字"


def test_version_analysis_cannot_be_changed(version):
    version.analysis = {"score": {"total": 100}}
    with pytest.raises(ValueError):
        version.save()
