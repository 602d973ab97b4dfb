"""Submitting, the refusal of a second submission, and replying to a return."""

from __future__ import annotations

from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services
from fazhi_web.reports.models import Obligation, State
from fazhi_web.reports.tests.conftest import REPORT_TEXT
from fazhi_web.review import services as review_services
from fazhi_web.review.models import Comment


def submit(client, obligation, version_pk):
    return client.post(
        reverse("reports:submit", args=[obligation.pk]), {"version": version_pk}, follow=True
    )


def test_submit_changes_state_and_writes_the_audit_log(client, world, obligation, version):
    client.force_login(world.reporter)
    response = submit(client, obligation, version.pk)
    assert "已报送第1版" in response.content.decode()
    obligation.refresh_from_db()
    assert obligation.state == State.SUBMITTED
    assert obligation.current_version_id == version.pk
    assert obligation.submitted_at is not None
    version.refresh_from_db()
    assert version.submitted_at is not None
    entry = AuditEntry.objects.get(action="obligation.submit")
    assert entry.actor == world.reporter and entry.unit == world.town
    assert entry.after == {"state": "submitted", "version": 1, "errors": 0}
    # Once submitted the page no longer offers to submit or upload.
    page = response.content.decode()
    assert 'name="version"' not in page
    assert 'enctype="multipart/form-data"' not in page


def test_submit_with_errors_needs_a_confirmation(client, world, obligation):
    text = REPORT_TEXT + "\n联系人身份证号11010519491231002X。\n"
    version = services.upload_version(world.reporter, obligation, "有错.txt", text.encode())
    errors = services.error_count(version)
    assert errors >= 1
    client.force_login(world.reporter)
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    assert 'commandfor="dlg-submit" command="show-modal"' in page
    assert f"自检发现{errors}处错误" in page and 'name="confirm_errors" value="1"' in page
    # A post without the confirmation (a stale page, a script) is refused.
    html = submit(client, obligation, version.pk).content.decode()
    assert f"第1版还有{errors}处错误" in html
    obligation.refresh_from_db()
    assert obligation.state == State.PENDING
    response = client.post(
        reverse("reports:submit", args=[obligation.pk]),
        {"version": version.pk, "confirm_errors": "1"},
        follow=True,
    )
    assert "已报送第1版" in response.content.decode()
    entry = AuditEntry.objects.get(action="obligation.submit")
    assert entry.after["errors"] == errors and f"确认时仍有{errors}处错误" in entry.summary


def test_submit_twice_is_refused(client, world, obligation, version):
    client.force_login(world.reporter)
    submit(client, obligation, version.pk)
    response = submit(client, obligation, version.pk)
    assert "不能重复报送" in response.content.decode()
    assert AuditEntry.objects.filter(action="obligation.submit").count() == 1


def test_submit_a_version_of_another_report_is_refused(
    client, world, obligation, version, other_obligation
):
    foreign = services.upload_version(
        world.other_reporter, other_obligation, "x.txt", version.text.encode("utf-8")
    )
    client.force_login(world.reporter)
    response = submit(client, obligation, foreign.pk)
    assert "所选版本不属于该报告" in response.content.decode()
    obligation.refresh_from_db()
    assert obligation.state == State.PENDING


def test_submit_without_version_is_refused(client, world, obligation, version):
    client.force_login(world.reporter)
    response = submit(client, obligation, "")
    assert "请选择要报送的版本" in response.content.decode()
    assert Obligation.objects.get(pk=obligation.pk).state == State.PENDING


def returned(world, obligation, version, body="请补充行政复议数据。"):
    services.submit(world.reporter, obligation, version)
    review_services.return_report(world.reviewer, obligation, body)
    obligation.refresh_from_db()
    return obligation


def test_returned_report_shows_comments_and_accepts_a_reply(client, world, obligation, version):
    returned(world, obligation, version)
    client.force_login(world.reporter)
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    assert "请补充行政复议数据。" in page
    assert "退回意见" in page and "李审查" in page
    assert reverse("reports:reply", args=[obligation.pk]) in page
    # A returned report may be submitted again.
    assert f'name="version" value="{version.pk}"' in page

    response = client.post(
        reverse("reports:reply", args=[obligation.pk]), {"body": "已补充，见第2版。"}, follow=True
    )
    assert "答复已发送" in response.content.decode()
    reply = Comment.objects.get(kind=Comment.Kind.REPLY)
    assert reply.author == world.reporter and reply.body == "已补充，见第2版。"
    assert AuditEntry.objects.filter(action="comment.reply", object_id=str(reply.pk)).exists()
    assert "已补充，见第2版。" in response.content.decode()


def test_hidden_return_comment_is_not_shown(client, world, obligation, version):
    returned(world, obligation, version, body="这条意见写错了")
    review_services.hide_comment(world.reviewer, Comment.objects.get(), "误发")
    client.force_login(world.reporter)
    page = client.get(reverse("reports:obligation", args=[obligation.pk])).content.decode()
    assert "这条意见写错了" not in page


def test_reply_is_refused_unless_returned(client, world, obligation, version):
    client.force_login(world.reporter)
    response = client.post(
        reverse("reports:reply", args=[obligation.pk]), {"body": "你好"}, follow=True
    )
    assert "只有被退回修改的报告可以答复" in response.content.decode()
    assert not Comment.objects.exists()


def test_empty_reply_is_refused(client, world, obligation, version):
    returned(world, obligation, version)
    client.force_login(world.reporter)
    response = client.post(
        reverse("reports:reply", args=[obligation.pk]), {"body": "  "}, follow=True
    )
    assert "答复内容不能为空" in response.content.decode()
    assert not Comment.objects.filter(kind=Comment.Kind.REPLY).exists()
