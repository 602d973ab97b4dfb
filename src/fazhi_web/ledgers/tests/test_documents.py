"""规范性文件: the lifecycle's gates and clocks, 备案审查, validity, 清理 and the public library."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.clocks import ClockState
from fazhi_web.audit.models import AuditEntry
from fazhi_web.ledgers import deadlines, lifecycle, services
from fazhi_web.ledgers.models import NormativeDocument
from fazhi_web.ledgers.tests.conftest import D, client_for
from fazhi_web.reports.services import ActionRefused


def draft(world, title="清河镇停车管理办法"):
    return services.create(world.reporter, NormativeDocument, world.town, {"title": title})


def reviewed(world, title="清河镇停车管理办法"):
    doc = draft(world, title)
    services.apply_event(
        world.reporter,
        doc,
        "submit_review",
        {"review_unit": world.town, "review_submitted_on": D("2024-03-01")},
    )
    services.apply_event(
        world.reporter, doc, "review", {"review_opinion": "合法", "reviewed_on": D("2024-03-08")}
    )
    return doc


def clock(doc, label):
    return next(
        c for c in deadlines.document_clocks(doc, deadlines.Calendars()) if c.label == label
    )


PUBLISH = {
    "doc_number": "清府〔2024〕9号",
    "published_on": D("2024-04-01"),
    "effective_on": D("2024-05-06"),
}


def test_a_new_document_is_reviewed_at_home_and_filed_with_the_level_above(world):
    doc = draft(world)
    assert doc.review_unit == world.town
    assert doc.filing_unit == world.district
    assert AuditEntry.objects.filter(action="document.create", object_id=str(doc.pk)).exists()


def test_no_publication_without_legality_review(world):
    doc = draft(world)
    with pytest.raises(ActionRefused, match="未经合法性审核的规范性文件不得公布"):
        services.apply_event(world.reporter, doc, "publish", PUBLISH)
    doc.refresh_from_db()
    assert doc.published_on is None


def test_no_deliberation_before_review(world):
    doc = draft(world)
    with pytest.raises(ActionRefused, match="未经合法性审核不得提交集体审议"):
        services.apply_event(
            world.reporter,
            doc,
            "deliberate",
            {"deliberation": "党委会", "deliberated_on": D("2024-03-20")},
        )


def test_no_publication_without_collective_deliberation(world):
    doc = reviewed(world)
    with pytest.raises(ActionRefused, match="未经集体审议的规范性文件不得公布"):
        services.apply_event(world.reporter, doc, "publish", PUBLISH)


def test_taking_effect_within_30_days_needs_a_reason(world):
    doc = reviewed(world)
    services.apply_event(
        world.reporter,
        doc,
        "deliberate",
        {"deliberation": "党委会", "deliberated_on": D("2024-03-20")},
    )
    early = {**PUBLISH, "effective_on": D("2024-04-15")}
    with pytest.raises(ActionRefused, match="施行日期距公布不足30日"):
        services.apply_event(world.reporter, doc, "publish", early)
    services.apply_event(
        world.reporter, doc, "publish", {**early, "early_effect_reason": "防汛工作急需"}
    )
    doc.refresh_from_db()
    assert doc.early_effect_reason == "防汛工作急需"


def test_a_step_needs_its_fields(world):
    doc = draft(world)
    with pytest.raises(ActionRefused, match="请填写“送审日期”"):
        services.apply_event(world.reporter, doc, "submit_review", {"review_unit": world.town})


def test_dates_cannot_lie_in_the_future_or_run_backwards(world):
    doc = draft(world)
    with pytest.raises(ActionRefused, match="晚于今天"):
        services.apply_event(
            world.reporter,
            doc,
            "submit_review",
            {"review_unit": world.town, "review_submitted_on": D("2024-12-03")},
        )
    services.apply_event(
        world.reporter,
        doc,
        "submit_review",
        {"review_unit": world.town, "review_submitted_on": D("2024-03-01")},
    )
    with pytest.raises(ActionRefused, match="早于“送审日期”"):
        services.apply_event(
            world.reporter,
            doc,
            "review",
            {"review_opinion": "合法", "reviewed_on": D("2024-02-28")},
        )


def test_the_review_clock_is_15_working_days(world):
    doc = reviewed(world)
    review = clock(doc, "合法性审核")
    # From 2024-03-01 (Fri): 15 working days end on 2024-03-22.
    assert review.due == D("2024-03-22")
    assert review.state(D("2024-12-02")) == ClockState.MET


def test_the_filing_clock_runs_from_publication_and_stops_when_filed(world, published_doc):
    filing = clock(published_doc, "报送备案")
    # Published 2024-09-02: day 30 is 10-02 (国庆节), moved to 10-08.
    assert filing.due == D("2024-10-08")
    assert filing.state(D("2024-12-02")) == ClockState.OVERDUE
    services.apply_event(
        world.reporter,
        published_doc,
        "file",
        {"filing_unit": world.district, "filed_on": D("2024-10-08")},
    )
    published_doc.refresh_from_db()
    assert clock(published_doc, "报送备案").state(D("2024-12-02")) == ClockState.MET


def test_clocks_whose_source_could_not_be_checked_say_so(world, published_doc):
    filing = clock(published_doc, "报送备案")
    assert "未能核对原文" in filing.lines[-1]
    assert "未能核对原文" in clock(published_doc, "有效期届满评估").lines[0]
    review = clock(published_doc, "合法性审核")
    assert "国办发〔2018〕115号" in review.lines[-1] and "未能核对原文" in review.lines[-1]


def test_filing_before_publication_is_refused(world):
    doc = reviewed(world)
    with pytest.raises(ActionRefused, match="须先公布文件"):
        services.apply_event(
            world.reporter,
            doc,
            "file",
            {"filing_unit": world.district, "filed_on": D("2024-04-02")},
        )


def test_the_filing_review_is_recorded_by_the_filing_body_not_the_unit(world, published_doc):
    services.apply_event(
        world.reporter,
        published_doc,
        "file",
        {"filing_unit": world.city, "filed_on": D("2024-09-10")},
    )
    result = {"filing_result": "accepted", "filing_result_on": D("2024-09-20")}
    with pytest.raises(ActionRefused, match="不能对"):
        services.apply_event(world.reporter, published_doc, "filing_result", result)
    with pytest.raises(ActionRefused, match="不能对"):
        services.apply_event(world.other_reviewer, published_doc, "filing_result", result)
    services.apply_event(world.reviewer, published_doc, "filing_result", result)
    published_doc.refresh_from_db()
    assert lifecycle.document_stage(published_doc) == "予以备案"


def test_a_deferred_filing_needs_a_correction_deadline_and_shows_as_a_clock(world, published_doc):
    services.apply_event(
        world.reporter,
        published_doc,
        "file",
        {"filing_unit": world.city, "filed_on": D("2024-09-10")},
    )
    deferred = {"filing_result": "deferred", "filing_result_on": D("2024-09-20")}
    with pytest.raises(ActionRefused, match="暂缓备案须写明补正期限"):
        services.apply_event(world.reviewer, published_doc, "filing_result", deferred)
    services.apply_event(
        world.reviewer,
        published_doc,
        "filing_result",
        {**deferred, "correction_due": D("2024-12-05")},
    )
    published_doc.refresh_from_db()
    correction = clock(published_doc, "备案补正")
    assert correction.due == D("2024-12-05")
    assert correction.state(D("2024-12-02")) == ClockState.RUNNING


def test_revocation_on_filing_review_repeals_the_document(world, published_doc):
    services.apply_event(
        world.reporter,
        published_doc,
        "file",
        {"filing_unit": world.city, "filed_on": D("2024-09-10")},
    )
    services.apply_event(
        world.reviewer,
        published_doc,
        "filing_result",
        {"filing_result": "revoked", "filing_result_on": D("2024-09-20")},
    )
    published_doc.refresh_from_db()
    assert lifecycle.document_status(published_doc, D("2024-12-02")) == lifecycle.REPEALED


def test_validity_defaults_to_five_years_and_reminds_six_months_before(world, published_doc):
    validity = clock(published_doc, "有效期届满评估")
    assert validity.due == D("2029-10-08")
    assert validity.state(D("2029-04-07")) == ClockState.RUNNING
    assert validity.state(D("2029-04-08")) == ClockState.DUE_SOON
    assert lifecycle.document_status(published_doc, D("2029-10-08")) == lifecycle.IN_FORCE
    assert lifecycle.document_status(published_doc, D("2029-10-09")) == lifecycle.EXPIRED


def test_a_provisional_document_is_valid_two_years_at_most(world):
    doc = reviewed(world, "清河镇停车收费暂行办法")
    services.apply_event(
        world.reporter,
        doc,
        "deliberate",
        {"deliberation": "党委会", "deliberated_on": D("2024-03-20")},
    )
    with pytest.raises(ActionRefused, match="有效期一般不超过2年"):
        services.apply_event(world.reporter, doc, "publish", {**PUBLISH, "validity_years": 3})
    services.apply_event(world.reporter, doc, "publish", PUBLISH)
    doc.refresh_from_db()
    assert deadlines.expires_on(doc) == D("2026-05-06")


def test_not_yet_in_force_until_it_takes_effect(world, published_doc):
    assert lifecycle.document_status(published_doc, D("2024-10-07")) == lifecycle.NOT_YET
    assert lifecycle.document_status(published_doc, D("2024-10-08")) == lifecycle.IN_FORCE


def test_revision_points_to_the_new_document(world, published_doc):
    new = draft(world, "清河镇农村人居环境整治管理办法（2024年修订）")
    with pytest.raises(ActionRefused, match="只有修订的文件"):
        services.apply_event(
            world.reporter,
            published_doc,
            "end",
            {"ended": "repealed", "ended_on": D("2024-11-01"), "replaced_by": new},
        )
    services.apply_event(
        world.reporter,
        published_doc,
        "end",
        {"ended": "revised", "ended_on": D("2024-11-01"), "replaced_by": new},
    )
    published_doc.refresh_from_db()
    assert lifecycle.document_status(published_doc, D("2024-12-02")) == lifecycle.AMENDED


def test_hidden_never_deleted_and_no_more_edits(world, published_doc):
    services.hide(world.reporter, published_doc, "重复登记")
    published_doc.refresh_from_db()
    assert published_doc.is_hidden and published_doc.hidden_by == world.reporter
    with pytest.raises(ActionRefused, match="已隐藏"):
        services.apply_event(
            world.reporter,
            published_doc,
            "file",
            {"filing_unit": world.city, "filed_on": D("2024-09-10")},
        )
    with pytest.raises(ActionRefused, match="请填写隐藏原因"):
        services.hide(world.reporter, draft(world), " ")
    assert NormativeDocument.objects.filter(pk=published_doc.pk).exists()


def test_a_cleanup_decides_each_document_and_publishing_repeals(world, published_doc):
    cleanup = services.create_cleanup(
        world.reporter, world.town, title="2024年专项清理", started_on=D("2024-11-01")
    )
    with pytest.raises(ActionRefused, match="须写明理由"):
        services.decide_cleanup_item(world.reporter, cleanup, published_doc, "repeal")
    services.decide_cleanup_item(world.reporter, cleanup, published_doc, "repeal", "上位法已修改")
    services.publish_cleanup(world.reporter, cleanup, on=D("2024-11-20"), note="废止1件")
    published_doc.refresh_from_db()
    assert published_doc.ended == "repealed" and published_doc.ended_on == D("2024-11-20")
    with pytest.raises(ActionRefused, match="已经公布"):
        services.decide_cleanup_item(world.reporter, cleanup, published_doc, "keep")


def test_a_cleanup_takes_only_the_units_published_documents(world):
    cleanup = services.create_cleanup(
        world.reporter, world.town, title="清理", started_on=D("2024-11-01")
    )
    with pytest.raises(ActionRefused, match="只能清理本单位已公布的文件"):
        services.decide_cleanup_item(world.reporter, cleanup, draft(world), "keep")


def test_the_document_page_shows_the_calculation(world, published_doc):
    page = (
        client_for(world.reporter)
        .get(reverse("ledgers:document", args=[published_doc.pk]))
        .content.decode()
    )
    assert "报送备案" in page and "顺延" in page and "2024-10-08" in page
    assert "已逾期" in page


def test_a_legal_officer_records_the_lifecycle_through_the_pages(world):
    client = client_for(world.reporter)
    response = client.post(
        reverse("ledgers:document_new"), {"unit": world.town.pk, "title": "清河镇河道管理办法"}
    )
    doc = NormativeDocument.objects.get(title="清河镇河道管理办法")
    assert response.status_code == 302
    url = lambda event: reverse("ledgers:event", args=["documents", doc.pk, event])  # noqa: E731
    client.post(
        url("submit_review"), {"review_unit": world.town.pk, "review_submitted_on": "2024-03-01"}
    )
    client.post(
        url("review"), {"reviewer": "张法", "review_opinion": "合法", "reviewed_on": "2024-03-05"}
    )
    response = client.post(
        url("publish"),
        {
            "doc_number": "清府〔2024〕1号",
            "published_on": "2024-04-01",
            "effective_on": "2024-05-06",
        },
        follow=True,
    )
    assert "未经集体审议的规范性文件不得公布" in response.content.decode()
    client.post(url("deliberate"), {"deliberation": "党委会", "deliberated_on": "2024-03-20"})
    client.post(
        url("publish"),
        {
            "doc_number": "清府〔2024〕1号",
            "published_on": "2024-04-01",
            "effective_on": "2024-05-06",
        },
    )
    client.post(url("file"), {"filing_unit": world.district.pk, "filed_on": "2024-04-10"})
    doc.refresh_from_db()
    assert lifecycle.document_stage(doc) == "已报送备案"


def test_the_public_library_lists_published_documents_with_status_and_search(world, published_doc):
    hidden = reviewed(world, "不应公开的文件")
    services.hide(world.reporter, hidden, "误录")
    draft(world, "尚未公布的草稿")
    client = client_for(world.outsider)
    page = client.get(reverse("ledgers_public:library")).content.decode()
    assert published_doc.title in page and "现行有效" in page
    assert "尚未公布的草稿" not in page and "不应公开的文件" not in page
    assert (
        published_doc.title
        not in client.get(reverse("ledgers_public:library") + "?q=停车").content.decode()
    )
    assert (
        published_doc.title
        in client.get(reverse("ledgers_public:library") + "?status=现行有效").content.decode()
    )
    assert (
        published_doc.title
        not in client.get(reverse("ledgers_public:library") + "?status=已废止").content.decode()
    )
    detail = client.get(
        reverse("ledgers_public:document", args=[published_doc.pk])
    ).content.decode()
    assert "集体审议" in detail and "清府〔2024〕3号" in detail


def test_the_library_hides_documents_of_a_hidden_unit(world, published_doc):
    world.town.hidden_reason = "撤并"
    world.town.save()
    assert (
        client_for(world.outsider)
        .get(reverse("ledgers_public:document", args=[published_doc.pk]))
        .status_code
        == 404
    )
