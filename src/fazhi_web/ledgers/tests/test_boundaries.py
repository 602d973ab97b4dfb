"""Who sees and changes which ledger: every view tried across the boundaries.

The town's reporter keeps the town's ledgers; the city's reviewer reads them (and records
备案审查 results); another office, another unit's reporter and a user without a role see
nothing: 404 for a record, 403 for the ledger pages, the login page for the anonymous.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fazhi_web.api.models import ApiToken
from fazhi_web.ledgers import importing, services
from fazhi_web.ledgers.models import Consultation, PublicComment
from fazhi_web.ledgers.tests.conftest import D, client_for
from fazhi_web.ledgers.tests.test_import import GOOD, xlsx


@pytest.fixture
def records(world, published_doc, request_in_town, decision):
    consultation = services.save_consultation(
        world.reporter,
        decision,
        {"draft": "草案", "opens_on": D("2024-11-25"), "closes_on": D("2024-12-25")},
    )
    comment = services.add_comment(consultation, author="", text="低价代办证件")
    cleanup = services.create_cleanup(
        world.reporter, world.town, title="清理", started_on=D("2024-11-01")
    )
    return {"doc": published_doc, "req": request_in_town, "decision": decision,
            "consultation": consultation, "comment": comment, "cleanup": cleanup}  # fmt: skip


def record_urls(r):
    return [
        reverse("ledgers:document", args=[r["doc"].pk]),
        reverse("ledgers:request", args=[r["req"].pk]),
        reverse("ledgers:decision", args=[r["decision"].pk]),
        reverse("ledgers:cleanup", args=[r["cleanup"].pk]),
        reverse("ledgers:event", args=["documents", r["doc"].pk, "file"]),
        reverse("ledgers:event", args=["requests", r["req"].pk, "reply"]),
        reverse("ledgers:event", args=["decisions", r["decision"].pk, "decide"]),
        reverse("ledgers:decision_procedure", args=[r["decision"].pk, "risk_assessment"]),
        reverse("ledgers:consultation_edit", args=[r["decision"].pk]),
    ]


POSTS = [
    ("ledgers:hide", lambda r: ["documents", r["doc"].pk], {"reason": "越权"}),
    ("ledgers:hide", lambda r: ["requests", r["req"].pk], {"reason": "越权"}),
    ("ledgers:hide", lambda r: ["decisions", r["decision"].pk], {"reason": "越权"}),
    ("ledgers:comment_hide", lambda r: [r["comment"].pk], {"reason": "越权"}),
    ("ledgers:comment_answer", lambda r: [r["comment"].pk], {"adoption": "adopted"}),
    ("ledgers:summary_publish", lambda r: [r["decision"].pk], {"summary": "x", "on": "2024-12-01"}),
    ("ledgers:event", lambda r: ["documents", r["doc"].pk, "file"], {"filed_on": "2024-09-10"}),
]


@pytest.mark.parametrize("who", ["other_reviewer", "other_reporter"])
def test_records_of_another_unit_are_not_found(world, records, who):
    client = client_for(getattr(world, who))
    for url in record_urls(records):
        assert client.get(url).status_code == 404, url
    for name, args, data in POSTS:
        assert client.post(reverse(name, args=args(records)), data).status_code == 404, name
    assert not services.readable(getattr(world, who), type(records["doc"])).exists()


def test_the_filing_body_sees_the_document_filed_with_it_and_nothing_else(world, records):
    # The town files with the district: the district's staff read that document, and
    # none of the town's other ledgers.
    client = client_for(world.district_reporter)
    urls = record_urls(records)
    assert client.get(urls[0]).status_code == 200
    for url in urls[1:]:
        assert client.get(url).status_code == 404, url


def test_a_user_without_a_role_is_refused_every_ledger_page(world, records):
    client = client_for(world.outsider)
    pages = [reverse(n) for n in ("ledgers:dashboard", "ledgers:documents", "ledgers:decisions",
                                  "ledgers:requests", "ledgers:calendar", "ledgers:cleanups", "ledgers:disclosure_table")]  # fmt: skip
    for url in [*pages, *record_urls(records)]:
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("ledgers:export", args=["documents"])).status_code == 403
    assert client.get(reverse("ledgers:import", args=["documents"])).status_code == 403


def test_the_anonymous_are_sent_to_log_in(world, records):
    response = Client().get(reverse("ledgers:document", args=[records["doc"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_office_reads_but_does_not_keep_the_units_ledger(world, records):
    client = client_for(world.reviewer)
    for url in record_urls(records)[:4]:
        assert client.get(url).status_code == 200, url
    # A step of the unit's own is not offered, and refused when tried.
    assert (
        client.get(
            reverse("ledgers:event", args=["documents", records["doc"].pk, "file"])
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("ledgers:hide", args=["documents", records["doc"].pk]), {"reason": "x"}
        ).status_code
        == 302
    )
    records["doc"].refresh_from_db()
    assert not records["doc"].is_hidden
    assert client.get(reverse("ledgers:document_new")).status_code == 403


def test_the_office_list_and_export_hold_only_its_units(world, records):
    other = client_for(world.other_reviewer)
    assert records["doc"].title not in other.get(reverse("ledgers:documents")).content.decode()
    mine = client_for(world.reviewer)
    assert records["doc"].title in mine.get(reverse("ledgers:documents")).content.decode()
    assert other.get(reverse("ledgers:documents") + f"?unit={world.town.pk}").status_code == 404


def test_a_figure_filter_on_another_unit_is_not_found(world, records):
    url = (
        reverse("ledgers:documents")
        + f"?unit={world.town.pk}&year=2024&figure=normative_docs_issued"
    )
    assert client_for(world.other_reviewer).get(url).status_code == 404
    assert records["doc"].title in client_for(world.reviewer).get(url).content.decode()


def test_the_disclosure_table_of_another_unit_is_not_found(world, records):
    url = reverse("ledgers:disclosure_table") + f"?unit={world.town.pk}&year=2024"
    assert client_for(world.other_reviewer).get(url).status_code == 404


def test_a_catalogue_may_be_published_only_by_the_unit(world, decision):
    url = reverse("ledgers:catalogue_publish", args=[world.town.pk, 2024])
    assert client_for(world.reviewer).post(url, {"on": "2024-02-01"}).status_code == 404
    assert client_for(world.reporter).post(url, {"on": "2024-02-01"}).status_code == 302


def test_the_portal_shows_no_hidden_comment_and_no_private_fields(world, records):
    services.hide(world.reporter, records["comment"], "广告")
    shown = services.add_comment(records["consultation"], author="", text="建议公开收运时间")
    page = (
        Client()
        .get(reverse("ledgers_public:consultation", args=[records["consultation"].pk]))
        .content.decode()
    )
    assert shown.text in page and "公众意见（1）" in page and "低价代办证件" not in page
    assert PublicComment.objects.filter(pk=records["comment"].pk, hidden_reason="广告").exists()
    assert "已隐藏" not in page
    assert Consultation.objects.count() == 1


def test_import_into_another_unit_is_not_found(world):
    client = client_for(world.other_reporter)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.xlsx", xlsx([GOOD]))
    assert (
        client.post(
            reverse("ledgers:import", args=["documents"]), {"unit": world.town.pk, "file": upload}
        ).status_code
        == 404
    )
    batch = importing.upload(world.reporter, "documents", world.town, "x.xlsx", xlsx([GOOD]))
    assert (
        client.post(reverse("ledgers:import_batch", args=[batch.pk]), {"confirm": "1"}).status_code
        == 404
    )


def api(user) -> Client:
    _, key = ApiToken.issue(user, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_api_keeps_the_same_boundaries(world, records):
    other = api(world.other_reviewer)
    doc = records["doc"]
    assert other.get("/api/ledgers/documents").json() == []
    assert other.get(f"/api/ledgers/documents/{doc.pk}").status_code == 404
    assert (
        other.post(
            f"/api/ledgers/documents/{doc.pk}/events/file",
            {"filed_on": "2024-09-10"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        other.get(f"/api/ledgers/indicators?unit_id={world.town.pk}&year=2024").status_code == 404
    )
    assert other.get(f"/api/ledgers/documents/export?unit_id={world.town.pk}").status_code == 404
    assert (
        other.post(
            "/api/ledgers/documents",
            {"unit_id": world.town.pk, "title": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    reviewer = api(world.reviewer)
    assert reviewer.get(f"/api/ledgers/documents/{doc.pk}").status_code == 200
    refused = reviewer.post(
        f"/api/ledgers/documents/{doc.pk}/events/file",
        {"filed_on": "2024-09-10"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "不能对" in refused.json()["detail"]
    assert Client().get("/api/ledgers/documents").status_code == 401


def test_the_portal_shows_nothing_unpublished(world, records, decision):
    from fazhi_web.ledgers.models import DecisionCatalogue, NormativeDocument

    draft = services.create(
        world.reporter,
        NormativeDocument,
        world.town,
        {"title": "草稿", "drafted_on": D("2024-07-01")},
    )
    public = Client()
    assert public.get(reverse("ledgers_public:document", args=[draft.pk])).status_code == 404
    assert (
        public.get(reverse("ledgers_public:document", args=[records["doc"].pk])).status_code == 200
    )
    catalogue, _ = DecisionCatalogue.objects.get_or_create(unit=world.town, year=2024)
    assert public.get(reverse("ledgers_public:catalogue", args=[catalogue.pk])).status_code == 404
    services.publish_catalogue(world.reporter, world.town, 2024, D("2024-02-01"))
    assert public.get(reverse("ledgers_public:catalogue", args=[catalogue.pk])).status_code == 200


def test_the_api_records_of_another_office_are_not_found(world, records):
    other = api(world.other_reviewer)
    doc, decision = records["doc"], records["decision"]
    get = reverse("api:get_record", kwargs={"ledger": "documents", "record_id": doc.pk})
    assert other.get(get).status_code == 404
    event = reverse(
        "api:record_event", kwargs={"ledger": "documents", "record_id": doc.pk, "event": "file"}
    )
    assert other.post(event, {"filed_on": "2024-09-10"}, "application/json").status_code == 404
    procedure = reverse(
        "api:record_procedure", kwargs={"record_id": decision.pk, "kind": "risk_assessment"}
    )
    assert other.post(procedure, {"done_on": "2024-09-10"}, "application/json").status_code == 404
