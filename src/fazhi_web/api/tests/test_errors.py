"""Every error of the API is JSON with a Chinese `detail`: no English, no HTML page."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.db import OperationalError

from fazhi_web.api.models import ApiToken
from fazhi_web.reports.models import Obligation, ReportVersion
from fazhi_web.reports.services import open_year

pytestmark = pytest.mark.django_db

# Names a developer types: field names, headers, formats. Nothing else may be Latin.
IDENTIFIERS = ("multipart/form-data", "Authorization", "Bearer", "UTF-8", "JSON", "MB", "POST")


def chinese_json(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert re.search(r"[\u4e00-\u9fff]", body["detail"]), body
    text = json.dumps(body, ensure_ascii=False)
    for word in (*IDENTIFIERS, '"detail"', '"errors"', '"field"'):
        text = text.replace(word, "")
    text = text.replace(response["X-Request-ID"], "")
    for error in body.get("errors", []):
        text = text.replace(f'"{error["field"]}"', "").replace(f"“{error['field']}”", "")
    assert not re.search(r"[A-Za-z]{2,}", text), body
    return body


@pytest.fixture
def town_ob(world) -> Obligation:
    cycle = open_year(world.admin, world.city, 2023)
    return Obligation.objects.get(reporting_year=cycle, unit=world.town)


@pytest.fixture
def headers(world) -> dict[str, str]:
    return {"Authorization": f"Bearer {ApiToken.issue(world.reporter, '测试')[1]}"}


def post_json(client, url: str, body: str | bytes, headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_malformed_json_is_400(client, town_ob, headers):
    response = post_json(client, f"/api/obligations/{town_ob.pk}/submit", '{"version": 1', headers)
    assert "不是有效的 JSON" in chinese_json(response, 400)["detail"]
    response = post_json(
        client, f"/api/obligations/{town_ob.pk}/versions/text", b"\xff\xfe\x00", headers
    )
    chinese_json(response, 400)


def test_missing_field_is_named(client, town_ob, headers):
    response = post_json(client, f"/api/obligations/{town_ob.pk}/versions/text", "{}", headers)
    body = chinese_json(response, 422)
    assert body["detail"] == "请求参数有误：缺少字段“text”。"
    assert body["errors"] == [{"field": "text", "detail": "缺少字段"}]


def test_invalid_values_are_named(client, town_ob, headers):
    url = f"/api/obligations/{town_ob.pk}/submit"
    body = chinese_json(post_json(client, url, '{"version": "第一版"}', headers), 422)
    assert body["detail"] == "请求参数有误：字段“version”应为整数。"
    body = chinese_json(post_json(client, url, '{"version": 0}', headers), 422)
    assert body["detail"] == "请求参数有误：字段“version”应不小于 1。"
    body = chinese_json(client.get("/api/obligations?state=lost", headers=headers), 422)
    assert body["detail"] == "请求参数有误：字段“state”不是允许的取值。"
    body = chinese_json(client.get("/api/obligations?year=去年", headers=headers), 422)
    assert "“year”应为整数" in body["detail"]


def test_file_missing_from_upload_is_named(client, town_ob, headers):
    response = client.post(f"/api/obligations/{town_ob.pk}/versions", {}, headers=headers)
    assert chinese_json(response, 422)["detail"] == "请求参数有误：缺少字段“file”。"


def test_body_over_the_limit_is_413(client, settings, town_ob, headers):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    text = json.dumps({"text": "本年度" * 400_000}, ensure_ascii=False)
    response = post_json(client, f"/api/obligations/{town_ob.pk}/versions/text", text, headers)
    assert "请求体过大" in chinese_json(response, 413)["detail"]
    assert ReportVersion.objects.count() == 0


def test_broken_multipart_is_400(client, town_ob, headers):
    response = client.post(
        f"/api/obligations/{town_ob.pk}/versions",
        b"--x\r\nContent-Disposition: form-data; name=",
        content_type="multipart/form-data; boundary=",
        headers=headers,
    )
    chinese_json(response, 400)


def test_without_token_is_401(client, town_ob):
    response = client.get("/api/units")
    assert "令牌" in chinese_json(response, 401)["detail"]


def test_unknown_object_and_unknown_url_are_404(client, headers):
    chinese_json(client.get("/api/obligations/999999/analysis", headers=headers), 404)
    for url in ("/api/nothing-here", "/api/obligations/1/nothing", "/api/"):
        assert "未找到" in chinese_json(client.get(url, headers=headers), 404)["detail"]
    response = client.get("/api/obligations/abc/analysis", headers=headers)
    assert chinese_json(response, 422)["detail"] == "请求参数有误：字段“obligation_id”应为整数。"


def test_wrong_method_is_405(client, town_ob, headers):
    response = client.get(f"/api/obligations/{town_ob.pk}/submit", headers=headers)
    assert chinese_json(response, 405)["detail"] == "不支持该请求方法，该接口允许：POST。"
    assert response["Allow"] == "POST"


def test_crash_is_500_with_the_request_id_logged(client, monkeypatch, headers, caplog):
    def broken(user):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr("fazhi_web.api.api.access_for", broken)
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/units", headers=headers)
    body = chinese_json(response, 500)
    rid = response["X-Request-ID"]
    assert rid in body["detail"]
    assert "错误编号" in body["detail"]
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.request_id == rid
    # Django's own line for the 500 response carries the id too.
    assert {r.request_id for r in caplog.records if r.name == "django.request"} == {rid}
    assert "simulated failure" in caplog.text
    assert "Traceback" in caplog.text


def test_locked_database_is_503_with_retry_after(client, monkeypatch, town_ob, headers):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("fazhi_web.reports.services.paste_version", locked)
    response = post_json(
        client, f"/api/obligations/{town_ob.pk}/versions/text", '{"text": "报告"}', headers
    )
    assert chinese_json(response, 503)["detail"] == "系统繁忙，请稍后重试。"
    assert int(response["Retry-After"]) > 0
