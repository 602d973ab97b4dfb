"""A case kept through the pages: registered, its events, its records, the chain shown."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi_web import uploads
from fazhi_web.audit.models import AuditEntry
from fazhi_web.enforcement.models import Attachment, Case, CaseEvent
from fazhi_web.enforcement.tests.conftest import DECISION, D
from fazhi_web.ledgers.tests.conftest import client_for


def test_a_case_through_the_pages(world, officers):
    client = client_for(world.reporter)
    response = client.post(reverse("enforcement:case_new"), {
        "unit": world.town.pk, "number": "罚〔2024〕20号", "kind": "penalty", "title": "销售过期食品",
        "party": "张三", "party_is_person": "on", "major": "", "officers": [o.pk for o in officers],
        "decision_text": DECISION,
    })  # fmt: skip
    case = Case.objects.get()
    assert response["Location"] == reverse("enforcement:case", args=[case.pk])
    event_url = reverse("enforcement:case_event", args=[case.pk])
    page = client.post(
        event_url, {"kind": "decided", "on": "2024-10-08"}, follow=True
    ).content.decode()
    assert "请先登记“立案”“调查”“告知”，再登记“决定”" in page
    client.post(event_url, {"kind": "filed", "on": "2024-09-05"})
    filed = CaseEvent.objects.get(case=case)
    client.post(reverse("enforcement:attachment_add", args=[filed.pk]),
                {"kind": "photo", "file": SimpleUploadedFile("现场.jpg", b"\xff\xd8photo")})  # fmt: skip
    page = client.get(reverse("enforcement:case", args=[case.pk])).content.decode()
    assert "校验链完整" in page and "chain-warning" not in page
    attachment = Attachment.objects.get()
    download = client.get(reverse("enforcement:attachment_file", args=[attachment.pk]))
    assert (
        b"".join(download) == b"\xff\xd8photo" and download["Cache-Control"] == "private, no-store"
    )
    read = AuditEntry.objects.get(action="read.attachment")
    assert read.unit == case.unit and "现场.jpg" in read.summary and case.number in read.summary
    # Someone edits the stored photo: the case page says so.
    uploads.path_of(attachment.stored_name).write_bytes(b"edited")
    page = client.get(reverse("enforcement:case", args=[case.pk])).content.decode()
    assert (
        "全过程记录校验未通过" in page and "现场.jpg" in page and "文件内容在上传后被改动" in page
    )


def test_a_bad_form_is_refused_in_chinese_and_keeps_nothing(world, officers, penalty):
    client = client_for(world.reporter)
    page = client.post(reverse("enforcement:case_event", args=[penalty.pk]), {"kind": "x", "on": "昨天"},
                       follow=True).content.decode()  # fmt: skip
    assert 'class="error"' in page and "环节" in page
    page = client.post(reverse("enforcement:case_new"), {"unit": world.town.pk, "number": penalty.number,
                       "kind": "penalty", "title": "x", "party": "x", "officers": [officers[0].pk]}).content.decode()  # fmt: skip
    assert "已经登记" in page and Case.objects.count() == 1


def test_an_undecided_case_may_be_edited_and_a_decided_one_not(world, penalty, officers):
    client = client_for(world.reporter)
    url = reverse("enforcement:case_edit", args=[penalty.pk])
    data = {"number": penalty.number, "kind": "penalty", "title": "销售变质食品", "party": "张三",
            "party_is_person": "on", "major": "public_interest", "officers": [o.pk for o in officers],
            "decision_text": DECISION}  # fmt: skip
    assert client.post(url, data).status_code == 302
    penalty.refresh_from_db()
    assert penalty.title == "销售变质食品"
    from fazhi_web.enforcement.tests.conftest import decide

    decide(world, penalty)
    assert "已作出决定的案件" in client.post(url, data).content.decode()


def test_the_certificate_pages(world, officers):
    client = client_for(world.reporter)
    officer = officers[0]
    cert = officer.certificates.get()
    client.post(
        reverse("enforcement:certificate_review", args=[cert.pk]),
        {"reviewed_on": "2024-03-01", "passed": "1"},
    )
    client.post(
        reverse("enforcement:certificate_revoke", args=[cert.pk]),
        {"on": "2024-11-01", "reason": "调离"},
    )
    page = client.get(reverse("enforcement:officer", args=[officer.pk])).content.decode()
    assert "2024-03-01 合格" in page and "已注销" in page
    client.post(reverse("enforcement:certificate_add", args=[officer.pk]),
                {"number": "NEW-1", "issued_on": "2024-11-15", "expires_on": "2029-11-14"})  # fmt: skip
    assert officer.certificates.count() == 2
    assert "有效" in client.get(reverse("enforcement:staff")).content.decode()
    cert.refresh_from_db()
    assert cert.revoked_on == D("2024-11-01")


def test_a_random_inspection_through_the_pages(world, officers):
    client = client_for(world.reporter)
    for name in ("商户甲", "商户乙"):
        client.post(reverse("enforcement:entities"), {"unit": world.town.pk, "name": name})
    client.post(
        reverse("enforcement:inspections"),
        {"unit": world.town.pk, "title": "食品抽查", "entity_count": "1", "officer_count": "2"},
    )
    from fazhi_web.enforcement.models import RandomInspection

    inspection = RandomInspection.objects.get()
    client.post(reverse("enforcement:inspection_draw", args=[inspection.pk]))
    drawn = inspection.drawn.get()
    client.post(
        reverse("enforcement:drawn_result", args=[drawn.pk]),
        {"inspected_on": "2024-11-20", "result": "未发现问题"},
    )
    client.post(
        reverse("enforcement:inspection_publish", args=[inspection.pk]), {"on": "2024-11-25"}
    )
    page = (
        client_for(world.outsider)
        .get(reverse("enforcement_public:inspection", args=[inspection.pk]))
        .content.decode()
    )
    assert "未发现问题" in page and "按种子复核一致" in page and drawn.entity.name in page


def test_an_entity_leaves_the_list_with_a_reason_and_is_not_drawn(world, officers):
    from fazhi_web.enforcement import services
    from fazhi_web.enforcement.models import Entity

    client = client_for(world.reporter)
    client.post(reverse("enforcement:entities"), {"unit": world.town.pk, "name": "已注销商户"})
    entity = Entity.objects.get()
    assert "移出" in client.get(reverse("enforcement:entities")).content.decode()
    client.post(reverse("enforcement:hide", args=["entities", entity.pk]), {"reason": "已注销"})
    entity.refresh_from_db()
    assert entity.hidden_reason == "已注销"
    assert "已注销商户" not in client.get(reverse("enforcement:entities")).content.decode()
    inspection = services.create_inspection(
        world.reporter, world.town, title="抽查", entity_count=1
    )
    assert (
        "只有0个对象"
        in client.post(
            reverse("enforcement:inspection_draw", args=[inspection.pk]), follow=True
        ).content.decode()
    )
