"""The REST API: token auth, scope through units.access, writes through the services."""

from __future__ import annotations

import hashlib
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from fazhi_web.api.models import ApiToken
from fazhi_web.api.services import revoke_token
from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports.models import Obligation, ReportVersion, State
from fazhi_web.reports.services import open_year, submit, upload_version
from fazhi_web.review import services as review

pytestmark = pytest.mark.django_db


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def token_for(user) -> dict[str, str]:
    return bearer(ApiToken.issue(user, "测试")[1])


@pytest.fixture
def cycle(world):
    return open_year(world.admin, world.city, 2023)


@pytest.fixture
def town_ob(world, cycle) -> Obligation:
    return Obligation.objects.get(reporting_year=cycle, unit=world.town)


def upload(client, ob: Obligation, headers, content: bytes, name: str = "清河镇2023.txt"):
    return client.post(
        f"/api/obligations/{ob.pk}/versions",
        {"file": SimpleUploadedFile(name, content)},
        headers=headers,
    )


def submit_version(client, ob: Obligation, headers, number: int):
    return client.post(
        f"/api/obligations/{ob.pk}/submit",
        {"version": number},
        content_type="application/json",
        headers=headers,
    )


def items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def submitted_town(world, town_ob, seed_bytes) -> Obligation:
    version = upload_version(world.reporter, town_ob, "清河镇.txt", seed_bytes["002"])
    submit(world.reporter, town_ob, version)
    town_ob.refresh_from_db()
    return town_ob


# -- authentication --------------------------------------------------------------

PROTECTED = [
    ("get", "/api/units"),
    ("get", "/api/obligations"),
    ("get", "/api/indicators"),
    ("get", "/api/obligations/{pk}/analysis"),
    ("post", "/api/obligations/{pk}/versions"),
    ("post", "/api/obligations/{pk}/versions/text"),
    ("post", "/api/obligations/{pk}/submit"),
]


def _call(client, method: str, url: str, headers: dict[str, str]):
    if method == "get":
        return client.get(url, headers=headers)
    return client.post(url, {}, content_type="application/json", headers=headers)


@pytest.mark.parametrize(("method", "url"), PROTECTED)
def test_without_valid_token_is_401_in_chinese(client, world, town_ob, method, url):
    url = url.format(pk=town_ob.pk)
    _, key = ApiToken.issue(world.reporter, "测试")
    revoked, revoked_key = ApiToken.issue(world.reporter, "已吊销")
    revoke_token(world.admin, revoked, "测试吊销")
    for headers in (
        {},
        bearer("fz_not-a-real-token"),
        {"Authorization": f"Token {key}"},
        bearer(revoked_key),
        {"Authorization": "Bearer "},
    ):
        response = _call(client, method, url, headers)
        assert response.status_code == 401, (headers, response.content)
        assert "令牌" in response.json()["detail"]
        assert response["WWW-Authenticate"] == "Bearer"
    # The same request with the valid token gets through authentication.
    assert _call(client, method, url, bearer(key)).status_code != 401


def test_token_of_inactive_user_is_refused(client, world):
    headers = token_for(world.reporter)
    assert client.get("/api/units", headers=headers).status_code == 200
    world.reporter.is_active = False
    world.reporter.save()
    assert client.get("/api/units", headers=headers).status_code == 401


def test_session_login_is_not_enough(client, world):
    client.force_login(world.reviewer)
    assert client.get("/api/units").status_code == 401


def test_use_is_recorded_on_the_token(client, world):
    token, key = ApiToken.issue(world.reporter, "测试")
    assert token.last_used_at is None
    client.get("/api/units", headers=bearer(key))
    token.refresh_from_db()
    assert token.last_used_at is not None


# -- the reporter's round trip ------------------------------------------------------


def test_reporter_uploads_seed_and_submits(client, world, town_ob, seed_bytes):
    headers = token_for(world.reporter)
    content = seed_bytes["002"]
    response = upload(client, town_ob, headers, content)
    assert response.status_code == 201, response.content
    body = response.json()
    version = ReportVersion.objects.get(obligation=town_ob, number=1)
    assert body["number"] == 1
    assert body["sha256"] == hashlib.sha256(content).hexdigest() == version.sha256
    assert body["score"] == version.score is not None
    assert body["submitted"] is False
    assert set(body["parts"]) >= {"measures", "shortcomings", "first_responsible", "next_year"}
    assert body["parts"]["measures"] is True
    findings = version.analysis["findings"]
    assert sum(body["findings"].values()) == len(findings)
    assert body["findings"]["error"] == sum(f["severity"] == "error" for f in findings)

    response = submit_version(client, town_ob, headers, 1)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    assert response.json()["current_version"] == 1
    assert response.json()["score"] == version.score
    town_ob.refresh_from_db()
    assert town_ob.state == State.SUBMITTED
    assert town_ob.current_version == version

    actions = set(
        AuditEntry.objects.filter(actor=world.reporter, unit=world.town).values_list(
            "action", flat=True
        )
    )
    assert {"version.upload", "obligation.submit"} <= actions

    # The cycle's rules hold through the API as on the web: no upload, no resubmission.
    response = upload(client, town_ob, headers, content)
    assert response.status_code == 400
    assert "审查期间不能上传" in response.json()["detail"]
    response = submit_version(client, town_ob, headers, 1)
    assert response.status_code == 400
    assert "不能重复报送" in response.json()["detail"]


def test_text_upload(client, world, town_ob, seed_bytes):
    headers = token_for(world.reporter)
    url = f"/api/obligations/{town_ob.pk}/versions/text"
    text = seed_bytes["002"].decode("utf-8")
    response = client.post(url, {"text": text}, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 1
    assert response.json()["format"] == "txt"
    assert AuditEntry.objects.filter(action="version.upload", actor=world.reporter).count() == 1

    response = client.post(url, {"text": "  "}, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "粘贴的内容为空，请粘贴报告全文。"}


def test_refused_upload_and_missing_version(client, world, town_ob):
    headers = token_for(world.reporter)
    response = upload(client, town_ob, headers, b"MZ\x90\x00", name="virus.exe")
    assert response.status_code == 400
    assert "不支持" in response.json()["detail"]
    response = submit_version(client, town_ob, headers, 3)
    assert response.status_code == 400
    assert response.json()["detail"] == "第3版不存在，请先上传报告。"
    assert ReportVersion.objects.count() == 0


def test_invalid_input_is_422_in_chinese(client, world, town_ob):
    headers = token_for(world.reporter)
    response = submit_version(client, town_ob, headers, 0)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("请求参数有误：")
    response = client.get("/api/obligations?state=lost", headers=headers)
    assert response.status_code == 422
    assert "state" in response.json()["detail"]


# -- boundaries -----------------------------------------------------------------------


def test_other_reporter_cannot_touch_the_towns_obligation(client, world, town_ob, seed_bytes):
    headers = token_for(world.other_reporter)
    response = upload(client, town_ob, headers, seed_bytes["002"])
    assert response.status_code == 404
    assert response.json() == {"detail": "报告不存在或无权访问。"}
    response = client.post(
        f"/api/obligations/{town_ob.pk}/versions/text",
        {"text": "报告"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 404
    assert submit_version(client, town_ob, headers, 1).status_code == 404
    assert client.get(f"/api/obligations/{town_ob.pk}/analysis", headers=headers).status_code == 404
    assert ReportVersion.objects.count() == 0
    assert not AuditEntry.objects.filter(actor=world.other_reporter).exists()
    assert town_ob.pk not in [
        o["id"] for o in items(client.get("/api/obligations", headers=headers))
    ]


def test_reviewer_and_district_reporter_cannot_upload_for_the_town(
    client, world, town_ob, seed_bytes
):
    for user in (world.reviewer, world.admin, world.district_reporter, world.outsider):
        response = upload(client, town_ob, token_for(user), seed_bytes["002"])
        assert response.status_code == 404, user
    assert ReportVersion.objects.count() == 0


def test_other_reviewer_sees_nothing_of_the_city(client, world, town_ob, seed_bytes):
    submitted_town(world, town_ob, seed_bytes)
    city_units = {u.pk for u in [world.city, *world.city.descendants()]}

    # The city's own reviewer sees the town's data: the checks below can fail.
    mine = token_for(world.reviewer)
    assert world.town.pk in {u["id"] for u in items(client.get("/api/units", headers=mine))}
    assert town_ob.pk in {o["id"] for o in items(client.get("/api/obligations", headers=mine))}
    values = items(client.get("/api/indicators", headers=mine))
    assert values
    assert {v["unit_id"] for v in values} == {world.town.pk}

    theirs = token_for(world.other_reviewer)
    units = items(client.get("/api/units", headers=theirs))
    assert {u["id"] for u in units} == {world.other_town.pk}
    assert not city_units & {
        o["unit_id"] for o in items(client.get("/api/obligations", headers=theirs))
    }
    assert items(client.get(f"/api/obligations?unit_id={world.town.pk}", headers=theirs)) == []
    assert items(client.get("/api/indicators", headers=theirs)) == []
    assert items(client.get(f"/api/indicators?unit_id={world.town.pk}", headers=theirs)) == []
    response = client.get(f"/api/obligations/{town_ob.pk}/analysis", headers=theirs)
    assert response.status_code == 404
    assert "东江" not in response.content.decode()

    # No role at all: nothing.
    nobody = token_for(world.outsider)
    assert items(client.get("/api/units", headers=nobody)) == []
    assert items(client.get("/api/obligations", headers=nobody)) == []


# -- reads -------------------------------------------------------------------------------


def test_units_list(client, world):
    rows = items(client.get("/api/units", headers=token_for(world.reviewer)))
    by_id = {u["id"]: u for u in rows}
    assert set(by_id) == {u.pk for u in world.city.descendants()}
    town = by_id[world.town.pk]
    assert town == {
        "id": world.town.pk,
        "name": "南湖区清河镇",
        "level": "town",
        "level_name": "乡镇（街道）",
        "region": "东江市南湖区清河镇",
        "parent_id": world.district.pk,
        "hidden": False,
    }
    # A reporter sees their own unit only.
    rows = items(client.get("/api/units", headers=token_for(world.reporter)))
    assert [u["id"] for u in rows] == [world.town.pk]


def test_obligations_list_and_filters(client, world, cycle, town_ob, seed_bytes):
    submitted_town(world, town_ob, seed_bytes)
    headers = token_for(world.reviewer)
    rows = items(client.get("/api/obligations?year=2023", headers=headers))
    assert {o["unit_id"] for o in rows} == {u.pk for u in world.city.descendants()}
    town = next(o for o in rows if o["id"] == town_ob.pk)
    assert town["state"] == "submitted"
    assert town["state_name"] == "已报送"
    assert town["year"] == 2023
    assert town["unit_name"] == "南湖区清河镇"
    assert town["current_version"] == 1
    assert town["score"] == town_ob.current_version.score
    assert town["deadline"] == town_ob.deadline.isoformat()
    assert town["effective_deadline"] == town_ob.deadline.isoformat()
    assert town["overdue"] is False
    assert town["submitted_at"]
    # Every other unit of 2023 is long past its deadline and has not reported.
    pending = [o for o in rows if o["id"] != town_ob.pk]
    assert pending
    assert all(o["overdue"] and o["current_version"] is None for o in pending)

    assert items(client.get("/api/obligations?year=2022", headers=headers)) == []
    rows = items(client.get("/api/obligations?state=submitted", headers=headers))
    assert [o["id"] for o in rows] == [town_ob.pk]
    rows = items(client.get(f"/api/obligations?unit_id={world.bureau.pk}", headers=headers))
    assert [o["unit_id"] for o in rows] == [world.bureau.pk]

    page = client.get("/api/obligations?limit=2&offset=1", headers=headers).json()
    assert len(page["items"]) == 2
    assert page["count"] == len(pending) + 1


def test_analysis_before_and_after_submission(client, world, town_ob, seed_bytes):
    reporter = token_for(world.reporter)
    reviewer = token_for(world.reviewer)
    url = f"/api/obligations/{town_ob.pk}/analysis"
    assert client.get(url, headers=reporter).status_code == 404
    upload_version(world.reporter, town_ob, "清河镇.txt", seed_bytes["002"])
    draft = upload_version(world.reporter, town_ob, "清河镇第二稿.txt", seed_bytes["002"] + b"\n")

    # The reporter's latest draft; a reviewer sees nothing before it is submitted.
    response = client.get(url, headers=reporter)
    assert response.status_code == 200
    assert response.json()["schema"] == "fazhi.analysis/1"
    assert response.json()["source"]["name"] == "清河镇第二稿.txt"
    assert client.get(url, headers=reviewer).status_code == 404

    submit(world.reporter, town_ob, ReportVersion.objects.get(obligation=town_ob, number=1))
    response = client.get(url, headers=reviewer)
    assert response.status_code == 200
    doc = response.json()
    assert doc == ReportVersion.objects.get(obligation=town_ob, number=1).analysis
    assert {"text", "sections", "parts", "facts", "indicators", "findings", "score"} <= set(doc)
    # The unsubmitted second draft stays the reporter's own.
    assert client.get(f"{url}?version={draft.number}", headers=reviewer).status_code == 404
    response = client.get(f"{url}?version={draft.number}", headers=reporter)
    assert response.json()["source"]["name"] == "清河镇第二稿.txt"
    assert client.get(f"{url}?version=9", headers=reporter).status_code == 404


def test_indicators_in_scope(client, world, town_ob, seed_bytes):
    submitted_town(world, town_ob, seed_bytes)
    expected = dict(town_ob.values.values_list("indicator", "value"))
    assert expected
    headers = token_for(world.reporter)
    rows = items(client.get("/api/indicators?limit=1000", headers=headers))
    assert {r["indicator"]: r["value"] for r in rows} == expected
    row = rows[0]
    assert row["unit_id"] == world.town.pk
    assert row["unit_name"] == "南湖区清河镇"
    assert row["year"] == 2023
    assert row["indicator_name"]
    assert row["corrected"] is False and row["confirmed"] is False
    key = rows[0]["indicator"]
    rows = items(client.get(f"/api/indicators?indicator={key}", headers=headers))
    assert [r["indicator"] for r in rows] == [key]
    assert items(client.get("/api/indicators?year=2022", headers=headers)) == []

    review.confirm_indicator(world.reviewer, town_ob, key)
    rows = items(client.get(f"/api/indicators?indicator={key}", headers=headers))
    assert rows[0]["confirmed"] is True and rows[0]["corrected"] is False

    review.correct_indicator(world.reviewer, town_ob, key, 12345.0, "件", "原文笔误")
    rows = items(client.get(f"/api/indicators?indicator={key}", headers=headers))
    assert rows[0]["value"] == 12345.0
    assert rows[0]["corrected"] is True and rows[0]["confirmed"] is False


def _publish(world, obligation: Obligation) -> None:
    version = obligation.current_version
    for i, finding in enumerate(version.analysis["findings"]):
        if finding["rule"] == "private-info":
            review.dismiss_finding(world.reviewer, version, i, "已核实，为公开的办公电话")
    review.approve(world.reviewer, obligation)
    review.publish(world.reviewer, obligation)


def test_public_indicators_show_only_published(client, world, cycle, town_ob, seed_bytes):
    submitted_town(world, town_ob, seed_bytes)
    bureau_ob = Obligation.objects.get(reporting_year=cycle, unit=world.bureau)
    version = upload_version(world.reporter, bureau_ob, "司法局.txt", seed_bytes["003"])
    # The bureau's reporter is not in the world; the service takes any actor.
    submit(world.admin, bureau_ob, version)
    assert bureau_ob.values.exists()

    assert items(client.get("/api/public/indicators")) == []
    _publish(world, town_ob)
    rows = items(client.get("/api/public/indicators?limit=1000"))
    assert rows
    assert {r["obligation_id"] for r in rows} == {town_ob.pk}
    assert items(client.get("/api/public/indicators?year=2023"))
    assert items(client.get("/api/public/indicators?year=2022")) == []
    # A hidden unit's reports leave the public data.
    world.town.hidden_reason = "撤并"
    world.town.save()
    assert items(client.get("/api/public/indicators")) == []


# -- documentation ------------------------------------------------------------------------


def test_openapi_document(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.content)
    paths = doc["paths"]
    for path in (
        "/api/units",
        "/api/obligations",
        "/api/obligations/{obligation_id}/versions",
        "/api/obligations/{obligation_id}/versions/text",
        "/api/obligations/{obligation_id}/submit",
        "/api/obligations/{obligation_id}/analysis",
        "/api/indicators",
        "/api/public/indicators",
    ):
        assert path in paths
    assert doc["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert "security" not in paths["/api/public/indicators"]["get"]
    assert paths["/api/units"]["get"]["summary"] == "可访问的单位"


def test_docs_page_loads_nothing_from_outside(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) == 5
    for url in assets:
        assert url.startswith("/api/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert b"".join(asset.streaming_content)
    assert "//" not in "".join(assets)
    settings_json = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1)
    assert json.loads(settings_json)["validatorUrl"] is None
    assert client.get("/api/docs/assets/api.py").status_code == 404
    assert client.get("/api/docs/assets/redoc.html").status_code == 404


# -- tokens -----------------------------------------------------------------------------------


def test_issue_token_command_prints_a_working_token(client, world):
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_token", "reporter", name="省平台对接", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert key.startswith("fz_")
    assert "只显示这一次" in err.getvalue()
    token = ApiToken.objects.get(user=world.reporter)
    assert token.name == "省平台对接"
    assert token.key_hash == ApiToken.hash(key) != key
    assert client.get("/api/units", headers=bearer(key)).status_code == 200
    entry = AuditEntry.objects.get(action="api_token.issue")
    assert key not in json.dumps(entry.after) + entry.summary

    call_command("revoke_token", str(token.pk), reason="对接结束", stdout=io.StringIO())
    assert client.get("/api/units", headers=bearer(key)).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke").exists()
    listing = io.StringIO()
    call_command("revoke_token", stdout=listing)
    assert "已吊销" in listing.getvalue()


def test_issue_token_command_refuses_unknown_user_and_empty_name(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command("issue_token", "nobody", name="x")
    with pytest.raises(CommandError, match="用途"):
        call_command("issue_token", "reporter", name=" ")
    assert not ApiToken.objects.exists()
