from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.portal.search import search
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import IndicatorValue, State
from fazhi_web.review import services as review_services
from fazhi_web.review.models import (
    Comment,
    FindingDecision,
    IndicatorConfirmation,
    IndicatorCorrection,
)
from fazhi_web.review.tests.conftest import ID_NUMBER, hand_in, obligation_of

pytestmark = pytest.mark.django_db


def page(client, obligation, **params):
    return client.get(reverse("review:report", args=[obligation.pk]), params)


def private_index(version) -> int:
    return next(
        i for i, f in enumerate(version.analysis["findings"]) if f["rule"] == "private-info"
    )


def test_report_page_shows_text_outline_checklist_facts_and_findings(client, world, scene):
    client.force_login(world.reviewer)
    response = page(client, scene.town)
    assert response.status_code == 200
    html = response.content.decode()
    # Findings are marked inline, with the message as the title and the finding's index.
    index = private_index(scene.version)
    assert f'<mark class="finding sev-error" data-f="{index}" title="疑似身份证号码' in html
    assert '<mark class="finding sev-warning"' in html
    assert ID_NUMBER in html
    # Outline with part badges and anchors into the text.
    assert 'href="#sec-s1"' in html and 'id="sec-s1"' in html
    assert "举措成效" in html
    # The five-part checklist.
    assert "存在的不足和原因" in html and "其他需要报告的情况" in html
    # Facts mapped to indicators, in Chinese; indicator values of the handed-in version.
    assert "领导干部学法次数" in html
    assert IndicatorValue.objects.filter(obligation=scene.town).exists()
    assert "自动识别" in html
    # The private-info finding is overridden, not dismissed as a false positive.
    assert "核实无误，允许公开</summary>" in html
    assert "<summary>误报</summary>" in html


def test_text_has_paragraph_numbers_and_findings_cite_them(client, world, scene):
    client.force_login(world.reviewer)
    html = page(client, scene.town).content.decode()
    lines = scene.version.text.split("\n")
    last = max(i for i, line in enumerate(lines, 1) if line.strip())
    assert f'<p id="p-{last}" data-n="{last}">' in html
    assert '<p id="p-1" data-n="1">' in html
    duplicate = next(
        f for f in scene.version.analysis["findings"] if f["rule"] == "duplicate-sentence"
    )
    line = int(re.search(r"另见第(\d+)行", duplicate["message"])[1])
    # "另见第9行" becomes a link to the paragraph the reader sees numbered 9.
    assert f'另见<a href="#p-{line}" class="see">第{line}段</a>' in html
    assert "另见第" + str(line) + "行" not in html
    # The card of a finding says where it is.
    where = scene.version.text.count("\n", 0, duplicate["start"]) + 1
    assert f'<a class="where" href="#p-{where}">第{where}段</a>' in html


def test_bar_counts_shortcuts_and_confirmations(client, world, scene):
    client.force_login(world.reviewer)
    html = page(client, scene.town).content.decode()
    findings = scene.version.analysis["findings"]
    errors = sum(1 for f in findings if f["severity"] == "error")
    warnings = sum(1 for f in findings if f["severity"] == "warning")
    assert f"错误 <strong>{errors}</strong>" in html and f"警告 <strong>{warnings}</strong>" in html
    for key in "JKEC":
        assert f"<kbd>{key}</kbd>" in html
    # 退回 and 公开 ask first; 备案 asks while 错误 findings are open.
    assert 'commandfor="dlg-return" command="show-modal"' in html
    assert 'commandfor="dlg-publish" command="show-modal"' in html
    assert 'commandfor="dlg-file" command="show-modal"' in html and "仍然备案" in html
    # 公开 is not possible before 备案.
    assert 'command="show-modal" disabled title="备案后才能公开"' in html


def test_page_furniture_folds_into_one_line(client, world, scene):
    furniture = [f for f in scene.version.analysis["findings"] if f["rule"] == "boilerplate"]
    assert len(furniture) >= 2
    client.force_login(world.reviewer)
    html = page(client, scene.town).content.decode()
    assert f"<summary>已去除网页残留内容 {len(furniture)} 处</summary>" in html
    for i, f in enumerate(scene.version.analysis["findings"]):
        if f["rule"] == "boilerplate":
            assert f'id="card-{i}"' not in html


def test_headings_are_cut_at_a_word_boundary(client, world, cycle):
    town = obligation_of(cycle, world.town)
    heading = "(一)深入学习习近平法治思想全面推进依法行政工作不断走深走实"
    hand_in(
        world.reporter,
        town,
        f"南湖区清河镇2023年法治政府建设年度报告\n一、主要举措和成效\n{heading}\n"
        "我镇全年开展专题学法12次。\n".encode(),
    )
    client.force_login(world.reviewer)
    html = page(client, town).content.decode()
    assert f'title="{heading}"' in html
    assert "(一)深入学习习近<" not in html and "习近…" not in html
    assert re.search(r"\(一\)深入学习习近平[^<]*…", html)


def test_facts_table_shows_mapped_facts_with_a_switch_for_all(client, world, scene):
    facts = scene.version.analysis["facts"]
    mapped = sum(1 for f in facts if f.get("indicator"))
    assert 0 < mapped < len(facts)
    client.force_login(world.reviewer)
    html = page(client, scene.town).content.decode()
    assert f"显示全部 {len(facts)} 条数据" in html and f"对应到指标的 {mapped} 条" in html
    assert html.count('<tr class="mapped">') == mapped
    assert html.count('<tr class="unmapped">') == len(facts) - mapped
    # No bad parse of 唯一一套 as eleven sets.
    assert "一一套" not in [f["text"] for f in facts]


def test_report_text_is_escaped(client, world, cycle):
    town = obligation_of(cycle, world.town)
    hand_in(
        world.reporter,
        town,
        "南湖区清河镇2023年法治政府建设年度报告\n一、主要举措\n我镇<script>alert('x')</script>为为依法行政。\n".encode(),
    )
    client.force_login(world.reviewer)
    html = page(client, town).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_dismiss_writes_audit_and_shows_the_finding_as_dismissed(client, world, scene):
    index = next(
        i
        for i, f in enumerate(scene.version.analysis["findings"])
        if f["rule"] == "duplicate-sentence"
    )
    client.force_login(world.reviewer)
    url = reverse("review:dismiss", args=[scene.version.pk, index])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "请填写理由" in response.content.decode()
    assert not FindingDecision.objects.exists()

    response = client.post(url, {"reason": "两处分别统计不同年度"}, follow=True)
    assert response.status_code == 200
    decision = FindingDecision.objects.get(version=scene.version, finding_index=index)
    assert decision.decided_by == world.reviewer
    entry = AuditEntry.objects.get(action="finding.dismiss")
    assert entry.before["finding"]["rule"] == "duplicate-sentence"
    assert entry.after == {"dismissed": True, "reason": "两处分别统计不同年度"}
    assert entry.actor == world.reviewer
    html = response.content.decode()
    assert "已标为误报：两处分别统计不同年度（李审查" in html
    assert (
        f'<mark class="finding dismissed" data-f="{index}" title="已标为误报：两处分别统计不同年度（李审查）'
        in html
    )

    response = client.post(url, {"reason": "再来一次"}, follow=True)
    assert "已经处理过" in response.content.decode()
    assert FindingDecision.objects.count() == 1


def test_correct_changes_the_indicator_value_and_marks_it(client, world, scene):
    client.force_login(world.reviewer)
    before = IndicatorValue.objects.get(obligation=scene.town, indicator="study_sessions")
    assert not before.corrected
    url = reverse("review:correct", args=[scene.town.pk])
    response = client.post(
        url,
        {"indicator": "study_sessions", "value": "abc", "unit": "次", "reason": "x"},
        follow=True,
    )
    assert "更正值" in response.content.decode()
    response = client.post(
        url, {"indicator": "no_such", "value": "3", "unit": "次", "reason": "x"}, follow=True
    )
    assert not IndicatorCorrection.objects.exists()

    response = client.post(
        url,
        {"indicator": "study_sessions", "value": "12", "unit": "次", "reason": "含专题学法5场次"},
        follow=True,
    )
    value = IndicatorValue.objects.get(obligation=scene.town, indicator="study_sessions")
    assert value.value == 12 and value.corrected
    entry = AuditEntry.objects.get(action="indicator.correct")
    assert entry.before == {"value": before.value, "unit": before.unit}
    assert entry.after["value"] == 12
    html = response.content.decode()
    assert "已更正" in html and "含专题学法5场次" in html


def test_comments_thread_and_hidden_comment(client, world, scene):
    client.force_login(world.reviewer)
    url = reverse("review:comment", args=[scene.town.pk])
    client.post(url, {"body": "请补充<b>数据</b>来源"})
    comment = Comment.objects.get(obligation=scene.town)
    assert comment.author == world.reviewer and comment.version == scene.version
    html = page(client, scene.town).content.decode()
    assert "请补充&lt;b&gt;数据&lt;/b&gt;来源" in html
    review_services.hide_comment(world.admin, comment, "含个人信息")
    html = page(client, scene.town).content.decode()
    assert "已隐藏：含个人信息（赵管理）" in html
    assert "数据&lt;/b&gt;来源" not in html
    response = client.post(url, {"body": "   "}, follow=True)
    assert "意见内容不能为空" in response.content.decode()
    assert Comment.objects.count() == 1


def test_return_requires_a_comment_and_changes_state(client, world, scene):
    client.force_login(world.reviewer)
    url = reverse("review:return", args=[scene.town.pk])
    response = client.post(url, {"comment": " "}, follow=True)
    assert "退回时请写明修改意见" in response.content.decode()
    scene.town.refresh_from_db()
    assert scene.town.state == State.SUBMITTED

    response = client.post(url, {"comment": "缺少存在的不足和原因"}, follow=True)
    scene.town.refresh_from_db()
    assert scene.town.state == State.RETURNED
    assert Comment.objects.get(obligation=scene.town).kind == Comment.Kind.RETURN
    assert AuditEntry.objects.filter(action="obligation.return").exists()
    html = response.content.decode()
    assert "已退回修改" in html and "缺少存在的不足和原因" in html
    # Approving a returned report is refused with the service's message.
    response = client.post(reverse("review:approve", args=[scene.town.pk]), follow=True)
    assert "不能备案" in response.content.decode()


def test_approve_then_publish_after_privacy_review(client, world, scene):
    client.force_login(world.reviewer)
    approve = reverse("review:approve", args=[scene.town.pk])
    publish = reverse("review:publish", args=[scene.town.pk])
    # Publishing before filing is refused.
    client.post(publish)
    scene.town.refresh_from_db()
    assert scene.town.state == State.SUBMITTED

    client.post(approve)
    scene.town.refresh_from_db()
    assert scene.town.state == State.FILED and scene.town.filed_at is not None

    html = page(client, scene.town).content.decode()
    assert "保密审查" in html and "还有1处疑似个人信息未处理" in html
    response = client.post(publish, follow=True)
    assert "保密审查未通过" in response.content.decode()
    scene.town.refresh_from_db()
    assert scene.town.state == State.FILED
    assert scene.town.pk not in search("清溪镇")

    index = private_index(scene.version)
    client.post(
        reverse("review:dismiss", args=[scene.version.pk, index]),
        {"reason": "该号码为虚构示例，已与单位核实"},
    )
    html = page(client, scene.town).content.decode()
    assert "已核实，允许公开：该号码为虚构示例" in html
    assert "未发现未处理的个人信息" in html
    response = client.post(publish, follow=True)
    assert "已公开" in response.content.decode()
    scene.town.refresh_from_db()
    assert scene.town.state == State.PUBLISHED and scene.town.published_at is not None
    assert AuditEntry.objects.filter(action="obligation.publish").exists()
    assert scene.town.pk in search("清溪镇")


def test_versions_list_and_diff_link(client, world, cycle, seed_bytes):
    town = obligation_of(cycle, world.town)
    report_services.upload_version(world.reporter, town, "初稿.txt", seed_bytes["001"])
    client.force_login(world.reviewer)
    html = page(client, town).content.decode()
    assert "草稿，尚未报送" in html
    assert reverse("reports:diff", args=[town.pk]) not in html
    hand_in(world.reporter, town, seed_bytes["002"], "定稿.txt")
    response = page(client, town)
    html = response.content.decode()
    assert f"{reverse('reports:diff', args=[town.pk])}?a=1&amp;b=2" in html
    assert "初稿.txt" in html and "定稿.txt" in html
    assert response.context["version"].number == 2
    assert page(client, town, v="1").context["version"].number == 1
    assert page(client, town, v="9").status_code == 404


def test_page_without_upload(client, world, cycle):
    client.force_login(world.reviewer)
    response = page(client, obligation_of(cycle, world.bureau))
    assert response.status_code == 200
    assert "该单位尚未上传报告" in response.content.decode()


# -- crossing the boundary ---------------------------------------------------

OUTSIDERS = ["other_reviewer", "reporter", "outsider", "other_reporter", "district_reporter"]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_report_page_is_404_outside_the_office(client, world, scene, username):
    client.force_login(getattr(world, username))
    response = page(client, scene.town)
    assert response.status_code == 404
    assert "清溪镇" not in response.content.decode()


def test_report_page_needs_login(client, world, scene):
    response = page(client, scene.town)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def _posts(scene, index):
    pk = scene.town.pk
    return [
        (reverse("review:dismiss", args=[scene.version.pk, index]), {"reason": "越权"}),
        (
            reverse("review:correct", args=[pk]),
            {"indicator": "study_sessions", "value": "1", "reason": "x"},
        ),
        (reverse("review:confirm", args=[pk]), {"indicator": "study_sessions"}),
        (reverse("review:comment", args=[pk]), {"body": "越权意见"}),
        (reverse("review:return", args=[pk]), {"comment": "越权退回"}),
        (reverse("review:approve", args=[pk]), {}),
        (reverse("review:publish", args=[pk]), {}),
    ]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_actions_are_404_outside_the_office_and_change_nothing(client, world, scene, username):
    client.force_login(getattr(world, username))
    for url, data in _posts(scene, private_index(scene.version)):
        assert client.post(url, data).status_code == 404, url
    scene.town.refresh_from_db()
    assert scene.town.state == State.SUBMITTED
    assert not FindingDecision.objects.exists()
    assert not IndicatorCorrection.objects.exists()
    assert not IndicatorConfirmation.objects.exists()
    assert not Comment.objects.exists()


def test_actions_need_login(client, world, scene):
    for url, data in _posts(scene, 0):
        response = client.post(url, data)
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    scene.town.refresh_from_db()
    assert scene.town.state == State.SUBMITTED


def test_actions_are_post_only(client, world, scene):
    client.force_login(world.reviewer)
    for url, _ in _posts(scene, 0):
        assert client.get(url).status_code == 405, url
    scene.town.refresh_from_db()
    assert scene.town.state == State.SUBMITTED


def test_reviewer_cannot_review_own_office_report(client, world, at):
    """The office's own report goes to the level above, not to its own reviewer."""
    from fazhi_web.units.models import Level, Unit

    province = Unit.objects.create(name="某省", level=Level.PROVINCE)
    world.city.parent = province
    world.city.save()
    cycle = report_services.open_year(world.admin, province, 2023)
    city = obligation_of(cycle, world.city)
    client.force_login(world.reviewer)
    assert page(client, city).status_code == 404
    assert client.post(reverse("review:approve", args=[city.pk])).status_code == 404


def test_a_report_with_many_findings_lists_the_first_and_every_private_one(
    client, world, scene, settings
):
    settings.FAZHI_FINDINGS_SHOWN = 1
    findings = scene.version.analysis["findings"]
    private = private_index(scene.version)
    assert private >= 1 and len(findings) > 2
    client.force_login(world.reviewer)
    html = page(client, scene.town).content.decode()
    assert f"发现的问题（{len(findings)}）" in html
    assert f"另有 {len(findings) - 2} 条未显示" in html
    # The personal-data finding stays reachable: it blocks publication until resolved.
    assert reverse("review:dismiss", args=[scene.version.pk, private]) in html
    assert reverse("review:dismiss", args=[scene.version.pk, private + 1]) not in html
