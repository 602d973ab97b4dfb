"""Who sees and changes which enforcement record: every view tried across the boundaries.

The town's reporter keeps the town's enforcement ledger; the city's reviewer reads it
(and approves the public copies); another office, another unit's reporter and a user
without a role see nothing: 404 for a record, 403 for the pages, the login page for the
anonymous. test_security.py checks that every route with an id is named here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fazhi_web.api.models import ApiToken
from fazhi_web.enforcement import services, sheets
from fazhi_web.enforcement.models import Case
from fazhi_web.enforcement.tests.conftest import D, decide
from fazhi_web.ledgers.tests.conftest import client_for
from fazhi_web.test_security import state


@pytest.fixture
def scene(world, officers, penalty) -> dict[str, Any]:
    decided = decide(world, penalty)
    attachment = services.add_attachment(
        world.reporter, decided, kind="file", name="处罚决定书.pdf", content=b"%PDF secret"
    )
    services.prepare_publication(world.reporter, penalty)
    for i in range(3):
        services.create_entity(world.reporter, world.town, name=f"商户{i}")
    inspection = services.create_inspection(
        world.reporter, world.town, title="抽查", entity_count=2
    )
    services.draw_inspection(world.reporter, inspection)
    batch = sheets.upload(world.reporter, "enf_staff", world.town, "人员.xlsx", _sheet())
    return {
        "officer": officers[0], "cert": officers[0].certificates.get(), "case": penalty,
        "event": decided, "attachment": attachment, "inspection": inspection,
        "drawn": inspection.drawn.first(), "batch": batch,
    }  # fmt: skip


def _sheet() -> bytes:
    from fazhi_web.enforcement.tests.test_import import xlsx

    return xlsx(
        ["姓名", "执法证号", "发证日期", "有效期至"],
        [["孙执法", "N-9", "2024-01-02", "2027-01-01"]],
    )


# Every route of the app with the scene's ids; a new route fails the walk below until added.
KWARGS = {
    "enforcement:officer": lambda s: {"pk": s["officer"].pk},
    "enforcement:certificate_add": lambda s: {"pk": s["officer"].pk},
    "enforcement:certificate_review": lambda s: {"pk": s["cert"].pk},
    "enforcement:certificate_revoke": lambda s: {"pk": s["cert"].pk},
    "enforcement:case": lambda s: {"pk": s["case"].pk},
    "enforcement:case_edit": lambda s: {"pk": s["case"].pk},
    "enforcement:case_event": lambda s: {"pk": s["case"].pk},
    "enforcement:legal_review": lambda s: {"pk": s["case"].pk},
    "enforcement:publication_prepare": lambda s: {"pk": s["case"].pk},
    "enforcement:publication_approve": lambda s: {"pk": s["case"].pk},
    "enforcement:publication_publish": lambda s: {"pk": s["case"].pk},
    "enforcement:attachment_add": lambda s: {"pk": s["event"].pk},
    "enforcement:attachment_file": lambda s: {"pk": s["attachment"].pk},
    "enforcement:hide": lambda s: {"kind": "cases", "pk": s["case"].pk},
    "enforcement:inspection": lambda s: {"pk": s["inspection"].pk},
    "enforcement:inspection_draw": lambda s: {"pk": s["inspection"].pk},
    "enforcement:inspection_publish": lambda s: {"pk": s["inspection"].pk},
    "enforcement:drawn_result": lambda s: {"pk": s["drawn"].pk},
    "enforcement:import_batch": lambda s: {"pk": s["batch"].pk},
    "enforcement:import": lambda s: {"sheet": "enf_cases"},
    "enforcement:export": lambda s: {"sheet": "enf_cases"},
    "enforcement:dashboard": lambda s: {},
    "enforcement:staff": lambda s: {},
    "enforcement:cases": lambda s: {},
    "enforcement:case_new": lambda s: {},
    "enforcement:entities": lambda s: {},
    "enforcement:inspections": lambda s: {},
    "enforcement_public:decision": lambda s: {"pk": s["case"].pk},
    "enforcement_public:inspection": lambda s: {"pk": s["inspection"].pk},
    "enforcement_public:decisions": lambda s: {},
    "enforcement_public:inspections": lambda s: {},
}
WITHOUT_ID = {
    n
    for n, f in KWARGS.items()
    if n.startswith("enforcement:") and not set(f.__code__.co_names) & {"s"}
}
# A plausible value for every field of every form: a view that forgot a check would act on these.
POST = {
    "name": "冒名", "post": "x", "number": "N-X", "issued_on": "2024-01-01", "expires_on": "2027-01-01",
    "reviewed_on": "2024-06-01", "passed": "0", "note": "越权", "on": "2024-11-01", "reason": "越权",
    "kind": "hearing", "title": "越权", "party": "越权", "reviewer": "越权", "opinion": "越权",
    "text": "越权文本", "inspected_on": "2024-11-01", "result": "越权", "entity_count": "1",
    "officer_count": "1", "unit": "", "confirm": "1",
}  # fmt: skip


def _walk(patterns: list[Any], namespace: str = "") -> list[tuple[str, Any]]:
    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            out += _walk(p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern) and p.name:
            out.append((namespace + p.name, p))
    return out


ROUTES = [
    n
    for n, _ in _walk(get_resolver().url_patterns)
    if n.startswith(("enforcement:", "enforcement_public:"))
]
WITH_ID = [n for n in ROUTES if n.startswith("enforcement:") and n not in (
    "enforcement:dashboard", "enforcement:staff", "enforcement:cases", "enforcement:case_new",
    "enforcement:entities", "enforcement:inspections", "enforcement:import", "enforcement:export")]  # fmt: skip


def url(name: str, scene: dict[str, Any]) -> str:
    return reverse(name, kwargs=KWARGS[name](scene))


def test_every_route_is_tried_here():
    assert sorted(ROUTES) == sorted(KWARGS)
    assert WITHOUT_ID


@pytest.mark.parametrize("who", ["other_reviewer", "other_reporter"])
def test_records_of_another_office_are_not_found(world, scene, who):
    client = client_for(getattr(world, who))
    before = state()
    for name in WITH_ID:
        target = url(name, scene)
        codes = {client.post(target, POST).status_code, client.get(target).status_code}
        assert 404 in codes and codes <= {404, 405}, name
    assert state() == before
    for name in ("enforcement:cases", "enforcement:staff", "enforcement:inspections"):
        body = client.get(reverse(name)).content.decode()
        assert scene["case"].number not in body and "刘执法" not in body
        assert client.get(reverse(name) + f"?unit={world.town.pk}").status_code == 404


def test_a_user_without_a_role_is_refused_every_page(world, scene):
    client = client_for(world.outsider)
    for name in ROUTES:
        if name.startswith("enforcement:"):
            target = url(name, scene)
            codes = {client.post(target, POST).status_code, client.get(target).status_code}
            assert 403 in codes and codes <= {403, 405}, name


def test_the_anonymous_are_sent_to_log_in(scene):
    for name in ROUTES:
        if name.startswith("enforcement:"):
            response = Client().post(url(name, scene), POST)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_the_office_reads_but_does_not_keep_the_units_ledger(world, scene):
    client = client_for(world.reviewer)
    for name in (
        "enforcement:case",
        "enforcement:officer",
        "enforcement:inspection",
        "enforcement:attachment_file",
    ):
        assert client.get(url(name, scene)).status_code == 200, name
    before = state()
    for name in ("enforcement:case_event", "enforcement:hide", "enforcement:certificate_revoke",
                 "enforcement:inspection_publish", "enforcement:legal_review"):  # fmt: skip
        response = client.post(url(name, scene), POST, follow=True)
        assert "只有南湖区清河镇的填报人员" in response.content.decode(), name
    assert state() == before
    assert client.get(reverse("enforcement:case_new")).status_code == 403
    assert client.get(url("enforcement:case_edit", scene)).status_code == 404
    # What the office does do: approve the public copy.
    client.post(url("enforcement:publication_approve", scene))
    assert Case.objects.get(pk=scene["case"].pk).publication.approved_on == D("2024-12-02")


def test_the_units_own_reporter_may_not_approve_its_public_copy(world, scene):
    response = client_for(world.reporter).post(
        url("enforcement:publication_approve", scene), follow=True
    )
    assert "只有上级审查人员可以审核公示文本" in response.content.decode()


def test_another_units_import_batch_is_not_found(world, scene):
    assert client_for(world.reviewer).get(url("enforcement:import_batch", scene)).status_code == 404
    # Nor is it shown by the ledgers' import page, which keeps its own batches.
    assert (
        client_for(world.reporter)
        .get(reverse("ledgers:import_batch", args=[scene["batch"].pk]))
        .status_code
        == 404
    )


def test_the_portal_shows_nothing_unpublished(world, scene):
    public = Client()
    assert public.get(url("enforcement_public:decision", scene)).status_code == 404
    assert public.get(url("enforcement_public:inspection", scene)).status_code == 404
    assert (
        scene["case"].number
        not in public.get(reverse("enforcement_public:decisions")).content.decode()
    )
    services.approve_publication(world.reviewer, scene["case"])
    services.publish(world.reporter, scene["case"], on=D("2024-12-02"))
    page = public.get(url("enforcement_public:decision", scene)).content.decode()
    assert "张某" in page and "张三" not in page and "440101198503071234" not in page
    services.hide(world.reporter, scene["case"], "错误登记")
    assert public.get(url("enforcement_public:decision", scene)).status_code == 404


def api(user) -> Client:
    _, key = ApiToken.issue(user, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_api_keeps_the_same_boundaries(world, scene):
    case = scene["case"]
    other = api(world.other_reviewer)
    assert other.get("/api/enforcement/cases").json() == []
    assert other.get("/api/enforcement/staff").json() == []
    assert other.get(f"/api/enforcement/cases/{case.pk}").status_code == 404
    refused = other.post(f"/api/enforcement/cases/{case.pk}/events",
                         {"kind": "served", "on": "2024-10-10"}, content_type="application/json")  # fmt: skip
    assert refused.status_code == 404
    assert (
        other.get(f"/api/enforcement/indicators?unit_id={world.town.pk}&year=2024").status_code
        == 404
    )
    assert (
        other.get(f"/api/enforcement/export/enf_cases?unit_id={world.town.pk}").status_code == 404
    )
    by_name = reverse("api:enforcement_case", kwargs={"case_id": case.pk})
    event_by_name = reverse("api:enforcement_case_event", kwargs={"case_id": case.pk})
    assert other.get(by_name).status_code == 404
    assert other.post(event_by_name, {}, content_type="application/json").status_code in (404, 422)
    reviewer = api(world.reviewer)
    assert reviewer.get(by_name).json()["number"] == case.number
    refused = reviewer.post(f"/api/enforcement/cases/{case.pk}/events",
                            {"kind": "served", "on": "2024-10-10"}, content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "填报人员" in refused.json()["detail"]
    assert Client().get("/api/enforcement/cases").status_code == 401


SCRIPT = '<script>alert("xss")</script>'


def test_markup_in_every_text_field_is_shown_as_text(world, officers):
    officer = services.create_officer(
        world.reporter, world.town, name=SCRIPT[:40], post=SCRIPT[:60]
    )
    case = services.create_case(
        world.reporter, world.town,
        {"number": SCRIPT[:60], "kind": "license", "title": SCRIPT, "party": SCRIPT,
         "decision_text": SCRIPT}, [officer],
    )  # fmt: skip
    services.record_event(world.reporter, case, "filed", on=D("2024-09-01"), note=SCRIPT)
    services.create_entity(world.reporter, world.town, name=SCRIPT)
    reporter = client_for(world.reporter)
    pages = [
        reverse(n)
        for n in (
            "enforcement:cases",
            "enforcement:staff",
            "enforcement:entities",
            "enforcement:dashboard",
        )
    ]
    pages += [
        reverse("enforcement:case", args=[case.pk]),
        reverse("enforcement:officer", args=[officer.pk]),
    ]
    for page in pages:
        body = reporter.get(page, {"q": SCRIPT}).content.decode()
        assert SCRIPT not in body, page
    assert "&lt;script&gt;" in reporter.get(pages[4]).content.decode()
