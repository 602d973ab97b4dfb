"""重大行政决策: the gate before 决定, the procedures, the consultation and its comments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.conftest import _user
from fazhi_web.ledgers import lifecycle, services
from fazhi_web.ledgers.models import DecisionCatalogue, PublicComment
from fazhi_web.ledgers.tests.conftest import D, client_for
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.models import Role

DECIDE = {"decided_on": D("2024-11-20"), "decision_meeting": "镇党委会", "decision_result": "通过"}


def record_all(world, decision, except_=()):
    for kind in (
        "public_participation",
        "expert_argument",
        "risk_assessment",
        "legality_review",
        "collective_discussion",
    ):
        if kind not in except_:
            services.record_procedure(world.reporter, decision, kind, done_on=D("2024-11-01"))


def open_consultation(world, decision, **changes):
    values = {
        "draft": "一、目标……",
        "opens_on": D("2024-11-25"),
        "closes_on": D("2024-12-25"),
        **changes,
    }
    return services.save_consultation(world.reporter, decision, values)


def test_the_gate_lists_every_missing_procedure(world, decision):
    with pytest.raises(
        ActionRefused, match="尚未记录“公众参与”“专家论证”“风险评估”“合法性审查”“集体讨论决定”"
    ):
        services.apply_event(world.reporter, decision, "decide", DECIDE)
    record_all(world, decision, except_=("risk_assessment",))
    with pytest.raises(ActionRefused, match="尚未记录“风险评估”"):
        services.apply_event(world.reporter, decision, "decide", DECIDE)
    decision.refresh_from_db()
    assert decision.decided_on is None


def test_a_procedure_marked_not_applicable_with_a_reason_passes_the_gate(world, decision):
    record_all(world, decision, except_=("expert_argument",))
    services.record_procedure(
        world.reporter,
        decision,
        "expert_argument",
        done_on=None,
        not_applicable_reason="专业性不强",
    )
    services.apply_event(world.reporter, decision, "decide", DECIDE)
    decision.refresh_from_db()
    assert lifecycle.decision_stage(decision, list(decision.procedures.all())) == "已决定"


def test_legality_review_and_collective_discussion_cannot_be_skipped(world, decision):
    for kind in ("legality_review", "collective_discussion"):
        with pytest.raises(ActionRefused, match="法定必经程序"):
            services.record_procedure(
                world.reporter, decision, kind, done_on=None, not_applicable_reason="无"
            )


def test_a_procedure_needs_a_date_or_a_reason(world, decision):
    with pytest.raises(ActionRefused, match="请填写完成日期，或注明不适用的理由"):
        services.record_procedure(world.reporter, decision, "risk_assessment", done_on=None)


def test_a_procedure_done_after_the_decision_date_is_refused(world, decision):
    record_all(world, decision)
    services.record_procedure(world.reporter, decision, "risk_assessment", done_on=D("2024-11-25"))
    with pytest.raises(ActionRefused, match="晚于决定日期"):
        services.apply_event(world.reporter, decision, "decide", DECIDE)


def test_after_the_decision_procedures_are_closed_then_archive_and_evaluation(world, decision):
    with pytest.raises(ActionRefused, match="须先作出决定"):
        services.apply_event(world.reporter, decision, "archive", {"archived_on": D("2024-11-21")})
    record_all(world, decision)
    services.apply_event(world.reporter, decision, "decide", DECIDE)
    with pytest.raises(ActionRefused, match="已经决定"):
        services.record_procedure(
            world.reporter, decision, "risk_assessment", done_on=D("2024-11-02")
        )
    services.apply_event(world.reporter, decision, "archive", {"archived_on": D("2024-11-21")})
    services.apply_event(
        world.reporter,
        decision,
        "evaluate",
        {"evaluated_on": D("2024-11-30"), "evaluation_note": "效果良好"},
    )
    decision.refresh_from_db()
    assert lifecycle.decision_stage(decision, []) == "已后评估"


def test_the_legality_review_body_may_record_its_review(world, decision):
    services.apply_event(
        world.reporter,
        decision,
        "edit",
        {"review_unit": world.bureau, "title": decision.title, "year": 2024},
    )
    clerk = _user("bureau_clerk", world.bureau, Role.REPORTER)
    services.record_procedure(clerk, decision, "legality_review", done_on=D("2024-11-01"))
    with pytest.raises(ActionRefused, match="不能记录"):
        services.record_procedure(clerk, decision, "risk_assessment", done_on=D("2024-11-01"))


def test_a_consultation_shorter_than_30_days_needs_a_reason(world, decision):
    with pytest.raises(ActionRefused, match="少于30日，须说明理由"):
        open_consultation(world, decision, closes_on=D("2024-12-10"))
    consultation = open_consultation(
        world, decision, closes_on=D("2024-12-10"), short_reason="防汛紧急"
    )
    assert consultation.short_reason == "防汛紧急"


def test_the_public_comments_only_while_open(world, decision):
    consultation = open_consultation(
        world, decision, opens_on=D("2024-12-03"), closes_on=D("2025-01-03")
    )
    with pytest.raises(ActionRefused, match="已结束或尚未开始"):
        services.add_comment(consultation, author="", text="意见")
    consultation = open_consultation(world, decision)
    services.add_comment(consultation, author="居民甲", text="建议增设回收点")
    with pytest.raises(ActionRefused, match="请填写意见内容"):
        services.add_comment(consultation, author="", text="  ")
    with pytest.raises(ActionRefused, match="不能超过2000字"):
        services.add_comment(consultation, author="", text="长" * 2001)
    assert AuditEntry.objects.filter(action="decision.comment", actor__isnull=True).count() == 1


def test_a_hidden_comment_is_kept_but_not_shown_on_the_portal(world, decision):
    consultation = open_consultation(world, decision)
    kept = services.add_comment(consultation, author="居民甲", text="建议增设回收点")
    spam = services.add_comment(consultation, author="", text="代办证件广告")
    services.hide(world.reporter, spam, "广告")
    page = (
        client_for(world.outsider)
        .get(reverse("ledgers_public:consultation", args=[consultation.pk]))
        .content.decode()
    )
    assert kept.text in page and "代办证件广告" not in page
    assert PublicComment.objects.filter(pk=spam.pk, hidden_reason="广告").exists()
    staff = (
        client_for(world.reporter)
        .get(reverse("ledgers:decision", args=[decision.pk]))
        .content.decode()
    )
    assert "代办证件广告" in staff and "已隐藏：广告" in staff


def test_a_reviewer_above_may_moderate_but_another_office_may_not(world, decision):
    comment = services.add_comment(open_consultation(world, decision), author="", text="广告")
    with pytest.raises(ActionRefused):
        services.hide(world.other_reviewer, comment, "广告")
    services.hide(world.reviewer, comment, "广告")


def test_the_summary_needs_every_comment_answered_and_records_public_participation(world, decision):
    consultation = open_consultation(
        world, decision, opens_on=D("2024-10-01"), closes_on=D("2024-11-01")
    )
    comment = PublicComment.objects.create(consultation=consultation, text="建议延长开放时间")
    with pytest.raises(ActionRefused, match="还有1条公众意见未答复"):
        services.publish_summary(
            world.reporter, consultation, summary="采纳情况……", on=D("2024-11-10")
        )
    with pytest.raises(ActionRefused, match="须说明理由"):
        services.answer_comment(world.reporter, comment, adoption="not_adopted", response="")
    services.answer_comment(
        world.reporter, comment, adoption="partly", response="开放时间延长至20时"
    )
    with pytest.raises(ActionRefused, match="须在征求意见结束后公布"):
        services.publish_summary(
            world.reporter, consultation, summary="采纳情况……", on=D("2024-10-20")
        )
    services.publish_summary(
        world.reporter, consultation, summary="共收到意见1条，部分采纳1条。", on=D("2024-11-10")
    )
    participation = decision.procedures.get(kind="public_participation")
    assert participation.done_on == D("2024-11-10")
    page = (
        client_for(world.outsider)
        .get(reverse("ledgers_public:consultation", args=[consultation.pk]))
        .content.decode()
    )
    assert "共收到意见1条" in page and "部分采纳" in page and "开放时间延长至20时" in page


def test_the_catalogue_is_published_on_the_portal(world, decision):
    client = client_for(world.outsider)
    assert decision.title not in client.get(reverse("ledgers_public:catalogues")).content.decode()
    services.publish_catalogue(world.reporter, world.town, 2024, D("2024-02-01"))
    catalogue = DecisionCatalogue.objects.get(unit=world.town, year=2024)
    page = client.get(reverse("ledgers_public:catalogue", args=[catalogue.pk])).content.decode()
    assert decision.title in page
    with pytest.raises(ActionRefused, match="还没有决策事项"):
        services.publish_catalogue(world.reporter, world.town, 2023, D("2023-02-01"))


def test_the_public_comments_through_the_page(world, decision):
    consultation = open_consultation(world, decision)
    client = client_for(world.outsider)
    url = reverse("ledgers_public:consultation", args=[consultation.pk])
    response = client.post(url, {"author": "居民乙", "text": "希望公开收运时间表"}, follow=True)
    assert "感谢您的意见" in response.content.decode()
    assert "希望公开收运时间表" in response.content.decode()
    consultation.closes_on = D("2024-11-30")
    consultation.save()
    response = client.post(url, {"text": "迟到的意见"}, follow=True)
    assert "征求意见已结束" in response.content.decode()
    assert not PublicComment.objects.filter(text="迟到的意见").exists()


def test_a_consultation_of_a_hidden_decision_is_gone_from_the_portal(world, decision):
    consultation = open_consultation(world, decision)
    services.hide(world.reporter, decision, "误录")
    url = reverse("ledgers_public:consultation", args=[consultation.pk])
    assert client_for(world.outsider).get(url).status_code == 404
    assert consultation.closes_on - consultation.opens_on == dt.timedelta(days=30)
