"""The workspace's in-place actions: htmx posts answer with the fragment that changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports.models import IndicatorValue, State
from fazhi_web.review import services as review_services
from fazhi_web.review.models import Comment, FindingDecision
from fazhi_web.review.tests.test_report import OUTSIDERS, page, private_index

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def index_of(version, rule: str) -> int:
    return next(i for i, f in enumerate(version.analysis["findings"]) if f["rule"] == rule)


def test_dismiss_in_place_answers_with_the_card_and_the_counts(client, world, scene):
    index = index_of(scene.version, "duplicate-sentence")
    client.force_login(world.reviewer)
    url = reverse("review:dismiss", args=[scene.version.pk, index])
    response = client.post(url, {"reason": "两处统计口径不同"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<article class="fcard done" id="card-')
    assert f'id="card-{index}"' in html and 'data-state="dismissed"' in html
    assert "已标为误报：两处统计口径不同（李审查" in html
    assert "撤销误报" in html
    # The bar's counts come along, swapped out of band.
    assert '<span class="bar-counts" id="bar-counts" hx-swap-oob="true"' in html
    assert "已标误报 <strong>1</strong>" in html
    assert FindingDecision.objects.filter(version=scene.version, finding_index=index).exists()


def test_a_refused_dismiss_shows_its_reason_in_the_card(client, world, scene):
    index = index_of(scene.version, "duplicate-sentence")
    client.force_login(world.reviewer)
    url = reverse("review:dismiss", args=[scene.version.pk, index])
    html = client.post(url, {"reason": "  "}, headers=HTMX).content.decode()
    assert 'role="alert">请填写理由。' in html and 'data-state="open"' in html
    client.post(url, {"reason": "口径不同"}, headers=HTMX)
    html = client.post(url, {"reason": "再来一次"}, headers=HTMX).content.decode()
    assert "该问题已经处理过。" in html
    assert FindingDecision.objects.count() == 1


def test_only_a_comment_brings_the_thread_along(client, world, scene):
    index = index_of(scene.version, "duplicate-sentence")
    client.force_login(world.reviewer)
    url = reverse("review:dismiss", args=[scene.version.pk, index])
    html = client.post(url, {"reason": "口径不同"}, headers=HTMX).content.decode()
    assert 'id="comments"' not in html and 'id="return-draft"' not in html
    html = page(client, scene.town).content.decode()
    assert html.count('id="comments"') == 1 and html.count('id="return-draft"') == 1


def test_undo_a_dismissal(client, world, scene):
    index = index_of(scene.version, "duplicate-sentence")
    client.force_login(world.reviewer)
    client.post(reverse("review:dismiss", args=[scene.version.pk, index]), {"reason": "口径不同"})
    restore = reverse("review:restore", args=[scene.version.pk, index])
    html = client.post(restore, headers=HTMX).content.decode()
    assert 'data-state="open"' in html and "<summary>误报</summary>" in html
    assert not FindingDecision.objects.exists()
    entry = AuditEntry.objects.get(action="finding.restore")
    assert entry.actor == world.reviewer and entry.before["reason"] == "口径不同"
    # Undoing twice is refused, in the card.
    html = client.post(restore, headers=HTMX).content.decode()
    assert "没有被标为误报" in html
    # Without htmx: back to the page, at the card.
    client.post(reverse("review:dismiss", args=[scene.version.pk, index]), {"reason": "再议"})
    response = client.post(restore)
    assert response.status_code == 302 and response["Location"].endswith(f"#card-{index}")


def test_a_published_reports_personal_data_check_cannot_be_undone(client, world, scene):
    index = private_index(scene.version)
    review_services.dismiss_finding(world.reviewer, scene.version, index, "虚构示例号码")
    review_services.approve(world.reviewer, scene.town)
    review_services.publish(world.reviewer, scene.town)
    client.force_login(world.reviewer)
    restore = reverse("review:restore", args=[scene.version.pk, index])
    html = client.post(restore, headers=HTMX).content.decode()
    assert "报告已公开，不能撤销个人信息的核实结果" in html
    assert FindingDecision.objects.filter(finding_index=index).exists()


def test_comment_on_a_finding_shows_in_its_card_and_drafts_the_return(client, world, scene):
    index = index_of(scene.version, "arithmetic-mismatch")
    finding = scene.version.analysis["findings"][index]
    client.force_login(world.reviewer)
    url = reverse("review:finding_comment", args=[scene.version.pk, index])
    html = client.post(url, {"body": "请核对合计数"}, headers=HTMX).content.decode()
    assert f'id="card-{index}"' in html and "请核对合计数" in html and "意见（1）" in html
    # The thread below and the draft of the return letter follow, out of band.
    assert '<div class="card" id="comments" hx-swap-oob="true">' in html
    assert 'id="return-draft" hx-swap-oob="true">1. 第' in html
    comment = Comment.objects.get()
    quoted = scene.version.text[finding["start"] : finding["end"]]
    assert comment.finding_index == index and comment.finding_rule == "arithmetic-mismatch"
    assert comment.quote == (quoted if len(quoted) <= 40 else quoted[:39] + "…")
    entry = AuditEntry.objects.get(action="comment.comment")
    assert entry.after["quote"] == comment.quote
    # The page shows it on the card, in the thread, and the return letter starts from it.
    html = page(client, scene.town).content.decode()
    para = scene.version.text.count("\n", 0, finding["start"]) + 1
    assert f"1. 第{para}段“{comment.quote}”：请核对合计数</textarea>" in html
    assert f'关于<a href="#card-{index}">“{comment.quote}”</a>' in html
    # An empty comment is refused in the card.
    html = client.post(url, {"body": " "}, headers=HTMX).content.decode()
    assert "意见内容不能为空" in html and Comment.objects.count() == 1
    bad = reverse("review:finding_comment", args=[scene.version.pk, 999])
    assert client.post(bad, {"body": "x"}, headers=HTMX).status_code == 404


def test_correct_in_place_answers_with_the_values(client, world, scene):
    client.force_login(world.reviewer)
    url = reverse("review:correct", args=[scene.town.pk])
    data = {"indicator": "study_sessions", "value": "12", "unit": "次", "reason": "含专题学法"}
    html = client.post(url, data, headers=HTMX).content.decode()
    assert html.lstrip().startswith('<div id="values"')
    assert "指标已更正。" in html and "已更正" in html and "含专题学法" in html
    assert IndicatorValue.objects.get(obligation=scene.town, indicator="study_sessions").value == 12
    html = client.post(url, {**data, "value": "abc"}, headers=HTMX).content.decode()
    assert 'role="alert">更正值' in html


def test_comment_on_the_report_in_place(client, world, scene):
    client.force_login(world.reviewer)
    url = reverse("review:comment", args=[scene.town.pk])
    html = client.post(url, {"body": "整体较好"}, headers=HTMX).content.decode()
    assert html.lstrip().startswith('<div class="card" id="comments">') and "整体较好" in html
    html = client.post(url, {"body": ""}, headers=HTMX).content.decode()
    assert "意见内容不能为空" in html


def _finding_posts(scene):
    index = index_of(scene.version, "duplicate-sentence")
    return [
        (reverse("review:dismiss", args=[scene.version.pk, index]), {"reason": "越权"}),
        (reverse("review:restore", args=[scene.version.pk, index]), {}),
        (reverse("review:finding_comment", args=[scene.version.pk, index]), {"body": "越权"}),
        (reverse("review:comment", args=[scene.town.pk]), {"body": "越权"}),
        (
            reverse("review:correct", args=[scene.town.pk]),
            {"indicator": "study_sessions", "value": "1", "reason": "x"},
        ),
    ]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_in_place_actions_are_404_outside_the_office(client, world, scene, username):
    index = index_of(scene.version, "duplicate-sentence")
    review_services.dismiss_finding(world.reviewer, scene.version, index, "口径不同")
    client.force_login(getattr(world, username))
    for url, data in _finding_posts(scene):
        response = client.post(url, data, headers=HTMX)
        assert response.status_code == 404, url
        assert "card-" not in response.content.decode()
    assert FindingDecision.objects.count() == 1
    assert not Comment.objects.exists()
    scene.town.refresh_from_db()
    assert scene.town.state == State.SUBMITTED


def test_in_place_actions_need_login_and_post(client, world, scene):
    for url, data in _finding_posts(scene):
        response = client.post(url, data, headers=HTMX)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(world.reviewer)
    for url, _ in _finding_posts(scene):
        assert client.get(url).status_code == 405
    assert not FindingDecision.objects.exists()
