"""Reads of what the public may not see are logged (等保 安全审计): views and downloads
of unpublished originals, and views of personal-data findings, published or not."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fazhi_web.api.models import ApiToken
from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services
from fazhi_web.reports.models import Obligation
from fazhi_web.review import services as review

ID_NUMBER = "11010519491231002X"  # valid check digit: private-info fires


@pytest.fixture
def report(world, seed_bytes):
    services.open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town)
    text = seed_bytes["002"].decode("utf-8") + f"\n联系人身份证号{ID_NUMBER}。\n"
    version = services.upload_version(world.reporter, obligation, "报告.txt", text.encode())
    services.submit(world.reporter, obligation, version)
    obligation.refresh_from_db()
    return obligation, version


def reads(action):
    return AuditEntry.objects.filter(action=action)


def test_the_reviewer_viewing_a_report_is_logged_with_its_private_findings(client, world, report):
    obligation, _version = report
    client.force_login(world.reviewer)
    client.get(reverse("review:report", args=[obligation.pk]))
    entry = reads("read.report").get()
    assert entry.actor == world.reviewer and entry.unit == world.town
    assert entry.after["unpublished"] == [1] and entry.after["private_findings"] >= 1
    assert "个人信息提示" in entry.summary


def test_downloads_of_an_unpublished_original_are_logged(client, world, report):
    _obligation, version = report
    client.force_login(world.reporter)
    response = client.get(reverse("reports:version_file", args=[version.pk]))
    assert response.status_code == 200
    entry = reads("read.download").get()
    assert entry.actor == world.reporter and "下载原件" in entry.summary


def test_the_self_check_page_and_the_diff_are_logged(client, world, report, seed_bytes):
    obligation, _ = report
    review.return_report(world.reviewer, obligation, "请修改")
    services.upload_version(world.reporter, obligation, "二稿.txt", seed_bytes["003"])
    client.force_login(world.reporter)
    client.get(reverse("reports:obligation", args=[obligation.pk]))
    client.get(reverse("reports:diff", args=[obligation.pk]))
    assert reads("read.report").filter(actor=world.reporter).count() == 1
    assert reads("read.diff").get().after["versions"] == [1, 2]


def test_the_api_reading_an_analysis_is_logged(world, report):
    obligation, _ = report
    _, key = ApiToken.issue(world.reviewer, "省级系统")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(f"/api/obligations/{obligation.pk}/analysis").status_code == 200
    assert reads("read.analysis").get().actor == world.reviewer


def test_the_published_version_without_personal_data_is_not_logged(client, world, seed_bytes):
    services.open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.bureau)
    version = services.upload_version(world.reporter, obligation, "x.txt", seed_bytes["000"])
    obligation.unit.memberships.create(user=world.reporter, role="reporter")
    services.submit(world.reporter, obligation, version)
    review.approve(world.reviewer, obligation)
    review.publish(world.reviewer, obligation)
    assert not [f for f in version.analysis["findings"] if f["rule"] == "private-info"]
    Client().get(reverse("reports:version_file", args=[version.pk]))  # the public's download
    client.force_login(world.reviewer)
    client.get(reverse("review:report", args=[obligation.pk]))
    assert not AuditEntry.objects.filter(action__startswith="read.").exists()


def test_refused_reads_are_not_logged_as_reads(client, world, report):
    obligation, version = report
    client.force_login(world.other_reviewer)
    assert client.get(reverse("review:report", args=[obligation.pk])).status_code == 404
    assert client.get(reverse("reports:version_file", args=[version.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="read.").exists()


# -- export ----------------------------------------------------------------------------


def test_export_as_json_lines_and_csv_within_the_users_scope(client, world, report):
    client.force_login(world.reviewer)
    response = client.get(reverse("audit:export"), {"format": "jsonl"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in b"".join(response).decode().splitlines()]
    assert {r["action"] for r in rows} >= {"year.open", "version.upload", "obligation.submit"}
    assert rows == sorted(rows, key=lambda r: r["id"])
    assert set(rows[0]) == {
        "id", "at", "actor_id", "actor", "action", "summary", "unit_id", "unit",
        "object_type", "object_id", "before", "after",
    }  # fmt: skip
    # Incremental: only what is newer than the last id collected.
    last = rows[-2]["id"]
    newer = b"".join(client.get(reverse("audit:export"), {"format": "jsonl", "after_id": last}))
    assert [json.loads(x)["id"] for x in newer.decode().splitlines()] == [rows[-1]["id"]]
    csv_body = b"".join(client.get(reverse("audit:export"), {"format": "csv"})).decode("utf-8")
    assert csv_body.startswith("\ufeffid,at,actor_id,actor,action")
    assert AuditEntry.objects.filter(action="audit.export", actor=world.reviewer).count() == 3


def test_export_shows_another_office_nothing(client, world, report):
    client.force_login(world.other_reviewer)
    body = b"".join(client.get(reverse("audit:export"), {"format": "jsonl"})).decode()
    assert "清河镇" not in body and "version.upload" not in body
    client.force_login(world.outsider)
    assert client.get(reverse("audit:export")).status_code == 403
    assert client.get(reverse("audit:export"), {"format": "xml"}).status_code in (400, 403)


def test_the_export_command_writes_every_entry(world, report, tmp_path, capsys):
    out = tmp_path / "audit.jsonl"
    call_command("export_audit", "--format", "jsonl", "--output", str(out))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == AuditEntry.objects.count() - 1  # the export's own entry comes after
    assert "已导出" in capsys.readouterr().err
    call_command("export_audit", "--format", "csv", "--after-id", str(rows[-1]["id"]))
    assert "audit.export" in capsys.readouterr().out


def test_the_export_command_refuses_bad_arguments_in_chinese(db, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="日期“昨天”无效"):
        call_command("export_audit", "--since", "昨天")
    with pytest.raises(CommandError, match="无法写入"):
        call_command("export_audit", "--output", str(tmp_path / "no" / "such" / "dir.jsonl"))
