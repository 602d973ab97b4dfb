"""Long reports: the character limit, analysis outside the request, progress, failure and retry.

The task body is run here as a worker would run it (`tasks.analyse_version.run`);
test_thread.py and test_worker.py run it on the real thread and the real worker.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from fazhi.load import load_bytes
from fazhi.pipeline import STAGES
from fazhi_web.api.models import ApiToken
from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import analysis, services, tasks
from fazhi_web.reports.models import AnalysisState, ReportVersion
from fazhi_web.reports.services import ActionRefused
from fazhi_web.reports.tests.conftest import REPORT_TEXT

LONG = REPORT_TEXT * 3  # ~1,600 characters: "long" once the inline limit is 500


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.FAZHI_INLINE_ANALYSIS_CHARS = 500
    settings.FAZHI_MAX_REPORT_CHARS = 5_000


@pytest.fixture
def queued(world, obligation) -> ReportVersion:
    version = services.upload_version(world.reporter, obligation, "清河镇2023.txt", LONG.encode())
    assert version.analysis_state == AnalysisState.QUEUED
    return version


def status_url(version: ReportVersion) -> str:
    return reverse("reports:analysis_status", args=[version.pk])


def stored_files() -> list[Path]:
    root = Path(settings.UPLOAD_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# -- the character limit -----------------------------------------------------------


def test_a_text_over_the_limit_is_refused_with_both_numbers_and_nothing_is_stored(
    client, world, obligation, upload
):
    client.force_login(world.reporter)
    text = REPORT_TEXT * 20
    page = upload(obligation, "合订本.txt", text.encode()).content.decode()
    length = len(load_bytes("合订本.txt", text.encode()).text)
    assert f"“合订本.txt”的文字有 {length:,} 个字符，超过了 5,000 个字符的上限" in page
    assert not ReportVersion.objects.exists()
    assert stored_files() == []
    assert not AuditEntry.objects.filter(action="version.upload").exists()


def test_the_limit_counts_characters_of_the_extracted_text_not_bytes(world, obligation):
    # 4,800 Chinese characters are ~14,400 bytes of UTF-8: under the limit all the same.
    text = "法治政府建设年度报告。" * 436
    assert len(text) < 5_000 < len(text.encode())
    version = services.upload_version(world.reporter, obligation, "a.txt", text.encode())
    assert version.pk is not None


# -- queued, running, done ------------------------------------------------------------


def test_a_long_upload_returns_at_once_and_the_page_polls_the_progress(
    client, world, obligation, upload
):
    client.force_login(world.reporter)
    page = upload(obligation, "清河镇2023.txt", LONG.encode()).content.decode()
    version = ReportVersion.objects.get(obligation=obligation)
    assert version.analysis_state == AnalysisState.QUEUED and version.analysis == {}
    assert "正在后台分析" in page
    assert f'hx-get="{status_url(version)}"' in page and 'hx-trigger="every 1s"' in page
    assert "排队等待分析" in page
    # Nothing to submit yet, and the file is already kept.
    assert 'name="version"' not in page
    assert len(stored_files()) == 1
    assert "后台分析中" in AuditEntry.objects.get(action="version.upload").summary


def test_the_fragment_shows_the_progress_while_running(client, world, queued):
    ReportVersion.objects.filter(pk=queued.pk).update(
        analysis_state=AnalysisState.RUNNING, analysis_progress=44
    )
    client.force_login(world.reporter)
    fragment = client.get(status_url(queued), headers={"HX-Request": "true"}).content.decode()
    assert "正在分析… 44%" in fragment
    assert 'hx-trigger="every 1s"' in fragment


def test_progress_is_recorded_stage_by_stage(world, queued, monkeypatch):
    seen = []
    real = analysis._set

    def spy(version_id, **fields):
        if "analysis_progress" in fields:
            seen.append(fields["analysis_progress"])
        real(version_id, **fields)

    monkeypatch.setattr(analysis, "_set", spy)
    tasks.analyse_version.run(queued.pk)
    # 0 when it starts, one step per stage (never 100 before the result is stored), then 100.
    assert seen[0] == 0 and seen[-1] == 100
    assert seen[1:-1] == sorted(seen[1:-1]) and len(seen) == len(STAGES) + 2
    assert max(seen[1:-1]) <= 99


def test_when_done_the_poll_reloads_the_page_and_the_result_is_shown(client, world, queued):
    tasks.analyse_version.run(queued.pk)
    queued.refresh_from_db()
    assert queued.analysis_state == AnalysisState.DONE and queued.analysis_progress == 100
    assert queued.score is not None and queued.analysis["findings"]
    # The text is the analysed one, the one the findings' offsets point into.
    assert queued.text == queued.analysis["text"]
    entry = AuditEntry.objects.get(action="version.analyse")
    assert entry.actor is None and "分析完成" in entry.summary

    client.force_login(world.reporter)
    response = client.get(status_url(queued), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    assert client.get(status_url(queued)).url == reverse(
        "reports:obligation", args=[queued.obligation_id]
    )
    page = client.get(reverse("reports:obligation", args=[queued.obligation_id])).content.decode()
    assert "自检得分" in page and f'name="version" value="{queued.pk}"' in page
    assert "hx-trigger" not in page


def test_the_reviewer_sees_the_progress_and_then_the_result(client, world, queued):
    client.force_login(world.reviewer)
    page = client.get(reverse("review:report", args=[queued.obligation_id])).content.decode()
    assert f'hx-get="{status_url(queued)}"' in page and "重试分析" not in page
    assert client.get(status_url(queued)).status_code == 200
    tasks.analyse_version.run(queued.pk)
    page = client.get(reverse("review:report", args=[queued.obligation_id])).content.decode()
    assert "hx-trigger" not in page and "发现的问题" in page


def test_a_second_delivery_of_the_task_changes_nothing(world, queued):
    tasks.analyse_version.run(queued.pk)
    tasks.analyse_version.run(queued.pk)
    queued.refresh_from_db()
    assert queued.analysis_attempts == 1
    assert AuditEntry.objects.filter(action="version.analyse").count() == 1


def test_a_version_being_analysed_cannot_be_submitted(client, world, obligation, queued):
    with pytest.raises(ActionRefused, match="正在分析，分析完成、查看自检结果后才能报送"):
        services.submit(world.reporter, obligation, queued)
    client.force_login(world.reporter)
    page = client.post(
        reverse("reports:submit", args=[obligation.pk]), {"version": queued.pk}, follow=True
    ).content.decode()
    assert "正在分析" in page
    obligation.refresh_from_db()
    assert obligation.state == "pending" and obligation.current_version is None


def test_submitting_a_copy_read_before_the_analysis_finished_works(world, obligation, queued):
    stale = ReportVersion.objects.get(pk=queued.pk)
    tasks.analyse_version.run(queued.pk)
    services.submit(world.reporter, obligation, stale)
    obligation.refresh_from_db()
    assert obligation.current_version_id == queued.pk
    assert obligation.values.exists()


def test_my_reports_and_the_version_table_say_it_is_being_analysed(client, world, queued):
    client.force_login(world.reporter)
    assert "分析中" in client.get(reverse("reports:mine")).content.decode()
    page = client.get(reverse("reports:obligation", args=[queued.obligation_id])).content.decode()
    assert '<span class="muted">排队等待分析</span>' in page


def test_the_diff_compares_text_only_while_a_version_is_pending(client, world, obligation, queued):
    services.upload_version(world.reporter, obligation, "v2.txt", (LONG + "补充。\n").encode())
    client.force_login(world.reporter)
    page = client.get(reverse("reports:diff", args=[obligation.pk])).content.decode()
    assert "尚未分析完成，下面只比较文字" in page
    assert "五项内容的完备情况" not in page


def test_the_api_says_the_analysis_is_not_ready(client, world, obligation, queued):
    headers = {"Authorization": f"Bearer {ApiToken.issue(world.reporter, '测试')[1]}"}
    response = client.get(f"/api/obligations/{obligation.pk}/analysis", headers=headers)
    assert response.status_code == 400
    assert response.json()["detail"] == "第1版正在分析，请稍后再取分析结果。"
    tasks.analyse_version.run(queued.pk)
    response = client.get(f"/api/obligations/{obligation.pk}/analysis", headers=headers)
    assert response.status_code == 200 and response.json()["findings"]


def test_the_api_upload_reports_the_analysis_state(client, world, obligation):
    headers = {"Authorization": f"Bearer {ApiToken.issue(world.reporter, '测试')[1]}"}
    response = client.post(
        f"/api/obligations/{obligation.pk}/versions/text",
        {"text": LONG},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["analysis_state"] == "queued" and body["score"] is None
    assert body["findings"] == {"error": 0, "warning": 0, "info": 0}


# -- failure and retry ---------------------------------------------------------------


def _break_the_engine(monkeypatch):
    def broken(doc):
        raise RuntimeError("engine broke")

    monkeypatch.setattr(analysis, "STAGES", (*STAGES[:3], broken))


def test_a_failed_analysis_keeps_the_version_and_offers_a_retry(
    client, world, obligation, queued, monkeypatch
):
    _break_the_engine(monkeypatch)
    tasks.analyse_version.run(queued.pk)
    queued.refresh_from_db()
    assert queued.analysis_state == AnalysisState.FAILED
    assert "engine broke" in queued.analysis_error
    # Nothing stored is lost: the file, the text, the row.
    assert queued.text.startswith("东江市南湖区清河镇") and len(stored_files()) == 1
    assert AuditEntry.objects.filter(action="version.analysis_failed").exists()

    client.force_login(world.reporter)
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    assert "分析失败（系统内部错误）。已保存的文件和文本不受影响，可重试。" in page
    assert reverse("reports:retry_analysis", args=[queued.pk]) in page
    assert "hx-trigger" not in page and "engine broke" not in page
    with pytest.raises(ActionRefused, match="分析失败，不能报送"):
        services.submit(world.reporter, obligation, queued)
    assert "分析失败" in client.get(reverse("reports:mine")).content.decode()

    # The reviewer sees the message, without the button.
    client.force_login(world.reviewer)
    page = client.get(reverse("review:report", args=[obligation.pk])).content.decode()
    assert "分析失败" in page and "重试分析" not in page


def test_retry_runs_the_analysis_again(client, world, obligation, queued, monkeypatch, settings):
    _break_the_engine(monkeypatch)
    tasks.analyse_version.run(queued.pk)
    monkeypatch.undo()
    settings.FAZHI_TASKS_EAGER = True
    client.force_login(world.reporter)
    page = client.post(
        reverse("reports:retry_analysis", args=[queued.pk]), follow=True
    ).content.decode()
    assert "已重新提交第1版的分析" in page
    queued.refresh_from_db()
    assert queued.analysis_state == AnalysisState.DONE and queued.analysis_attempts == 2
    assert AuditEntry.objects.get(action="version.retry_analysis").actor == world.reporter
    assert "自检得分" in page


def test_retry_is_refused_while_the_analysis_is_alive_or_done(world, queued):
    with pytest.raises(ActionRefused, match="正在分析，请稍候"):
        services.retry_analysis(world.reporter, queued)
    tasks.analyse_version.run(queued.pk)
    with pytest.raises(ActionRefused, match="已分析完成，无需重试"):
        services.retry_analysis(world.reporter, queued)
    assert not AuditEntry.objects.filter(action="version.retry_analysis").exists()


def test_a_stalled_analysis_can_be_retried(client, world, obligation, queued):
    # The web process running it stopped: no sign of life for longer than allowed.
    long_ago = timezone.now() - dt.timedelta(seconds=settings.FAZHI_ANALYSIS_STALE_SECONDS + 5)
    ReportVersion.objects.filter(pk=queued.pk).update(
        analysis_state=AnalysisState.RUNNING, analysis_updated_at=long_ago
    )
    client.force_login(world.reporter)
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    assert "长时间没有进展，可能已中断" in page and "重试分析" in page
    services.retry_analysis(world.reporter, queued)
    queued.refresh_from_db()
    assert queued.analysis_state == AnalysisState.QUEUED


# -- who may see and retry -------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "other_reviewer", "other_reporter"])
def test_strangers_get_404_for_the_progress_and_the_retry(client, world, queued, who):
    ReportVersion.objects.filter(pk=queued.pk).update(analysis_state=AnalysisState.FAILED)
    client.force_login(getattr(world, who))
    assert client.get(status_url(queued)).status_code == 404
    assert client.post(reverse("reports:retry_analysis", args=[queued.pk])).status_code == 404
    queued.refresh_from_db()
    assert queued.analysis_state == AnalysisState.FAILED


def test_the_reviewer_may_watch_but_not_retry(client, world, queued):
    ReportVersion.objects.filter(pk=queued.pk).update(analysis_state=AnalysisState.FAILED)
    client.force_login(world.reviewer)
    assert client.get(status_url(queued)).status_code == 200
    assert client.post(reverse("reports:retry_analysis", args=[queued.pk])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, queued):
    assert client.get(status_url(queued)).status_code == 302
    assert client.get(reverse("reports:analysis_status", args=[999999])).status_code == 302


def test_an_unknown_version_is_404(client, world):
    client.force_login(world.reporter)
    assert client.get(reverse("reports:analysis_status", args=[999999])).status_code == 404


# -- many findings -------------------------------------------------------------------


def test_the_self_check_lists_the_most_severe_findings_and_says_how_many_are_left(
    client, world, obligation, settings
):
    settings.FAZHI_FINDINGS_SHOWN = 2
    settings.FAZHI_INLINE_ANALYSIS_CHARS = 50_000
    version = services.upload_version(world.reporter, obligation, "a.txt", LONG.encode())
    total = len(version.analysis["findings"])
    assert total > 2
    client.force_login(world.reporter)
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    assert f"另有 {total - 2} 条未显示" in page
    assert page.count('<li class="sev-') == 2
