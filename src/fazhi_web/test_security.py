"""The platform attacked from outside (docs/安全.md, 入侵防范 and 访问控制).

Every test here plays an attacker and expects a Chinese refusal with nothing changed:
- brute force on the login (lockout per account and per address);
- session fixation (a session id planted before login is worth nothing after it);
- CSRF: a POST without the token, to every URL of the site;
- IDOR: every URL pattern with an id, found by walking the URL conf, asked for another
  office's objects by every kind of outsider, on the web and through the API;
- XSS: markup in every text field a user can enter, then every page read back, and
  markup in the query string of every page;
- oversized and odd input to every form and every API operation.

A new URL pattern cannot escape: the walk finds it, and a test fails until it is
given ids below (ID_SOURCES) and a class (READ_PAGES or a form).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from fazhi_web.accounts.models import UserSession
from fazhi_web.api.api import api
from fazhi_web.api.models import ApiToken
from fazhi_web.audit.models import AuditEntry
from fazhi_web.conftest import PASSWORD, _user
from fazhi_web.reports import services
from fazhi_web.reports.models import Obligation, ReportVersion
from fazhi_web.units.models import Role

CHINESE = re.compile(r"[\u4e00-\u9fff]")


# -- the scene: two offices, a report of the first one that attackers go after --------


@dataclass
class Scene:
    world: Any
    other_admin: User
    victim: Obligation  # 清河镇's report, submitted to 东江市
    version: ReportVersion
    own: Obligation  # 西山市白石镇's, the attackers' own
    session: UserSession  # the victim reporter's signed-in browser
    tokens: dict[str, str]

    def user(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self.world, name, None) or self.other_admin


@pytest.fixture
def scene(world, seed_bytes) -> Scene:
    other_admin = _user("other_admin", world.other_city, Role.ADMIN, name="钱管理")
    services.open_year(world.admin, world.city, 2023)
    services.open_year(other_admin, world.other_city, 2023)
    victim = Obligation.objects.get(unit=world.town)
    version = services.upload_version(world.reporter, victim, "清河镇报告.txt", seed_bytes["002"])
    services.submit(world.reporter, victim, version)
    own = Obligation.objects.get(unit=world.other_town)
    services.upload_version(world.other_reporter, own, "白石镇报告.txt", seed_bytes["003"])
    browser = Client()
    browser.force_login(world.reporter)
    tokens = {
        name: ApiToken.issue(getattr(world, name), "测试")[1]
        for name in ("reporter", "reviewer", "other_reporter", "other_reviewer")
    }
    return Scene(world, other_admin, victim, version, own, UserSession.objects.get(), tokens=tokens)


# What each id in a URL refers to: the first office's objects (the attackers' target,
# and what its own users legitimately act on).
ID_SOURCES: dict[str, Callable[[Scene], dict[str, int]]] = {
    "portal:report": lambda s: {"pk": s.victim.pk},
    "accounts:end_session": lambda s: {"pk": s.session.pk},
    "accounts:require_password_change": lambda s: {"pk": s.world.reporter.pk},
    "units:detail": lambda s: {"pk": s.world.town.pk},
    "units:edit": lambda s: {"pk": s.world.town.pk},
    "units:hide": lambda s: {"pk": s.world.town.pk},
    "reports:obligation": lambda s: {"pk": s.victim.pk},
    "reports:upload": lambda s: {"pk": s.victim.pk},
    "reports:paste": lambda s: {"pk": s.victim.pk},
    "reports:submit": lambda s: {"pk": s.victim.pk},
    "reports:reply": lambda s: {"pk": s.victim.pk},
    "reports:diff": lambda s: {"pk": s.victim.pk},
    "reports:version_file": lambda s: {"pk": s.version.pk},
    "reports:analysis_status": lambda s: {"pk": s.version.pk},
    "reports:retry_analysis": lambda s: {"pk": s.version.pk},
    "drafting:generate": lambda s: {"pk": s.victim.pk},
    "review:report": lambda s: {"pk": s.victim.pk},
    "review:extend": lambda s: {"pk": s.victim.pk},
    "review:correct": lambda s: {"pk": s.victim.pk},
    "review:confirm": lambda s: {"pk": s.victim.pk},
    "review:comment": lambda s: {"pk": s.victim.pk},
    "review:return": lambda s: {"pk": s.victim.pk},
    "review:approve": lambda s: {"pk": s.victim.pk},
    "review:publish": lambda s: {"pk": s.victim.pk},
    "review:dismiss": lambda s: {"pk": s.version.pk, "index": 0},
    "review:restore": lambda s: {"pk": s.version.pk, "index": 0},
    "review:finding_comment": lambda s: {"pk": s.version.pk, "index": 0},
    "review:notice": lambda s: {"office": s.world.city.pk, "year": 2023},
    "stats:unit": lambda s: {"pk": s.world.town.pk},
    "api:upload": lambda s: {"obligation_id": s.victim.pk},
    "api:upload_text": lambda s: {"obligation_id": s.victim.pk},
    "api:submit": lambda s: {"obligation_id": s.victim.pk},
    "api:analysis": lambda s: {"obligation_id": s.victim.pk},
}
# Pages that only show something: a POST to them is read like a GET (or refused).
READ_PAGES = {
    "portal:index", "portal:report", "portal:stats", "portal:stats_csv", "portal:stats_json",
    "home", "accounts:security", "accounts:lockouts", "oidc_authentication_init",
    "oidc_authentication_callback", "units:list", "units:detail", "units:export",
    "units:users", "reports:mine", "reports:obligation", "reports:diff",
    "reports:version_file", "reports:analysis_status", "review:board", "review:report",
    "review:notice", "stats:table", "stats:export", "stats:unit", "stats:charts",
    "audit:log", "audit:export",
}  # fmt: skip
# Who acts on the scene's objects through each part of the site, legitimately.
OWNER = {
    "reports": "reporter",
    "drafting": "reporter",
    "review": "reviewer",
    "units": "admin",
    "stats": "reviewer",
}


@dataclass
class Route:
    name: str
    route: str
    params: dict[str, Any]

    @property
    def has_id(self) -> bool:
        return any(
            isinstance(c, IntConverter) or p == "pk" or p.endswith("_id")
            for p, c in self.params.items()
        )

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    def owner(self) -> str:
        if self.name.startswith("accounts:") and self.name not in (
            "accounts:lockouts",
            "accounts:unlock",
            "accounts:require_password_change",
        ):
            return "reporter"
        return OWNER.get(self.name.split(":")[0], "admin")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield Route(namespace + p.name, prefix + str(p.pattern), dict(p.pattern.converters))


# The ledgers' pages and API are walked by their own boundary module against a scene
# of ledger records (every view, every outsider); this module checks that none is
# left out there, and attacks the rest of the site.
LEDGER_BOUNDARIES = (
    "ledgers/tests/test_boundaries.py",
    "ledgers/tests/test_case_boundaries.py",
    "enforcement/tests/test_boundaries.py",
)
# The case ledgers' apps (ledgers.casebook), walked by the second module above, and the
# enforcement ledger's, by the third.
CASE_LEDGER_APPS = ("disputes:", "petitions:", "proposals:", "study:")
LEDGER_PREFIXES = (
    "ledgers:", "ledgers_public:", "api:ledger_", "api:get_record",
    "enforcement:", "enforcement_public:", "api:enforcement_", *CASE_LEDGER_APPS,
)  # fmt: skip


def _ledger_route(name: str) -> bool:
    return name.startswith(LEDGER_PREFIXES) or name in {"api:record_event", "api:record_procedure"}


# 考评's pages likewise, by theirs (every outsider, before and after publication).
EVALUATION_BOUNDARIES = "evaluation/tests/test_boundaries.py"


def _evaluation_route(name: str) -> bool:
    return name.startswith("evaluation:")


# The rectification app's pages, likewise, against a scene of rectification items.
RECTIFICATION_BOUNDARIES = "rectification/tests/test_boundaries.py"


def _rectification_route(name: str) -> bool:
    return name.startswith("rectification:")


ALL_ROUTES = list(_walk(get_resolver().url_patterns))
ROUTES = [
    r
    for r in ALL_ROUTES
    if not (_ledger_route(r.name) or _evaluation_route(r.name) or _rectification_route(r.name))
]
WEB = [r for r in ROUTES if not r.is_api]
WITH_IDS = [r for r in ROUTES if r.has_id]


def url(route: Route, scene: Scene) -> str:
    kwargs = ID_SOURCES[route.name](scene) if route.has_id else {}
    if route.name == "api:docs_asset":
        kwargs = {"name": "swagger-ui.css"}
    return reverse(route.name, kwargs=kwargs)


def test_every_url_with_an_id_is_attacked_below():
    missing = [r.name for r in WITH_IDS if r.name not in ID_SOURCES]
    assert missing == [], f"新的带编号的网址没有越权测试，请在 ID_SOURCES 中补上：{missing}"
    assert len(WITH_IDS) >= 28


def test_every_ledger_url_is_tried_by_the_ledgers_boundary_tests():
    from pathlib import Path

    tried = "".join(
        (Path(__file__).parent / p).read_text(encoding="utf-8") for p in LEDGER_BOUNDARIES
    )
    ledger = {r.name for r in ALL_ROUTES if _ledger_route(r.name) and r.has_id}
    missing = sorted(n for n in ledger if f'"{n.split(":")[1]}"' not in tried and n not in tried)
    assert missing == [], f"台账的带编号网址没有越权测试：{missing}"


def test_every_evaluation_url_is_tried_by_the_evaluation_boundary_tests():
    from pathlib import Path

    tried = (Path(__file__).parent / EVALUATION_BOUNDARIES).read_text(encoding="utf-8")
    names = {r.name for r in ALL_ROUTES if _evaluation_route(r.name)}
    missing = sorted(n for n in names if f'"{n}"' not in tried)
    assert missing == [], f"考评的网址没有越权测试：{missing}"


def test_every_rectification_url_is_tried_by_its_boundary_tests():
    from pathlib import Path

    tried = (Path(__file__).parent / RECTIFICATION_BOUNDARIES).read_text(encoding="utf-8")
    names = {r.name for r in ALL_ROUTES if _rectification_route(r.name)}
    missing = sorted(n for n in names if f'"{n.split(":")[1]}"' not in tried)
    assert names and missing == [], f"整改的网址没有越权测试：{missing}"


def test_every_web_url_is_classified():
    forms = {r.name for r in WEB} - READ_PAGES
    # Every other web URL is a form that changes something, and is attacked as one.
    assert {"units:hide", "reports:paste", "review:return", "login", "logout"} <= forms


# -- "nothing changed" --------------------------------------------------------------

# Sessions, lockout counters and the log of logins and reads come and go with every
# request; an attack must change nothing else.
VOLATILE = {
    "sessions.session",
    "accounts.usersession",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accesslog",
    "axes.accessfailurelog",
}
VOLATILE_FIELDS = {"auth.user": {"last_login"}, "api.apitoken": {"last_used_at"}}
# Entries that record an access, not a change.
LOGGED_ACCESS = ["login", "logout", "notice.generate", "draft.generate", "audit.export"]


def state() -> dict[str, list[str]]:
    out = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in VOLATILE:
            continue
        rows = model._base_manager.all()
        if model is AuditEntry:
            rows = rows.exclude(action__in=LOGGED_ACCESS).exclude(action__startswith="read.")
        skip = VOLATILE_FIELDS.get(label, set())
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        out[label] = sorted(repr(row) for row in rows.values_list(*fields))
    return out


def assert_refused_in_chinese(response: Any, anonymous: bool = False) -> None:
    status = response.status_code
    if anonymous and status == 302:
        assert reverse("login") in response["Location"], response["Location"]
        return
    assert status in (400, 401, 403, 404, 405, 413, 422, 429), (status, response.request)
    body = b"".join(response) if response.streaming else response.content
    assert CHINESE.search(body.decode("utf-8", "replace")), body[:300]


# A plausible value for every field of every form: a view that forgot a check would
# act on these, so that the check is what the test sees.
def valid_post(scene: Scene) -> dict[str, Any]:
    w = scene.world
    return {
        "name": "被篡改的名称", "level": "town", "region": "篡改", "parent": w.city.pk,
        "reason": "越权的理由", "until": "2030-12-31", "text": "越权粘贴的报告正文。" * 40,
        "body": "越权的意见", "comment": "越权退回", "version": scene.version.pk,
        "indicator": "hotline_received", "value": "99", "unit": "件",
        "username": "reporter", "full_name": "冒名", "password": "Attack-Pass-2024",
        "password2": "Attack-Pass-2024", "role": Role.ADMIN, "office": w.city.pk,
        "year": "2024", "month": "5", "day": "1", "kind": "account",
        "old_password": PASSWORD, "new_password1": "Attack-Pass-2024",
        "new_password2": "Attack-Pass-2024", "must_change_password": "on",
    }  # fmt: skip


def client_as(scene: Scene, who: str, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    user = scene.user(who)
    if user is not None:
        client.force_login(user)
    return client


# -- brute force and session fixation ------------------------------------------------


def test_brute_force_is_locked_out_and_the_right_password_then_refused(client, scene):
    for i in range(30):
        response = client.post(reverse("login"), {"username": "reviewer", "password": f"guess-{i}"})
        assert "_auth_user_id" not in client.session
    assert response.status_code == 429 and "已被暂时锁定" in response.content.decode()
    response = client.post(reverse("login"), {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    # The account locked at the 5th guess, the address at the 30th.
    kinds = AuditEntry.objects.filter(action="login.lockout").values_list("after__kind", flat=True)
    assert sorted(kinds) == ["account", "address"]


def test_spraying_many_accounts_from_one_address_locks_the_address(client, scene):
    for i in range(settings.FAZHI_LOGIN_ADDRESS_FAILURES):
        client.post(reverse("login"), {"username": f"user{i % 7}", "password": "123456"})
    response = client.post(reverse("login"), {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429 and "网络地址" in response.content.decode()


def test_a_planted_session_id_is_worthless_after_login(scene):
    planted = SessionStore()
    planted["innocent"] = True
    planted.create()
    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    victim.post(reverse("login"), {"username": "reviewer", "password": PASSWORD})
    assert victim.session.session_key != planted.session_key
    assert "_auth_user_id" in victim.session
    # The attacker, holding the planted id, is no one.
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert attacker.get(reverse("review:board")).status_code == 302
    # A made-up id is not adopted either.
    made_up = Client()
    made_up.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
    made_up.post(reverse("login"), {"username": "reviewer", "password": PASSWORD})
    assert made_up.session.session_key != "a" * 32


def test_the_session_cookie_cannot_be_read_by_script(client, scene):
    response = client.post(reverse("login"), {"username": "reviewer", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


# -- CSRF ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reporter", "reviewer", "admin"])
def test_no_post_anywhere_without_the_csrf_token(scene, who):
    client = client_as(scene, who, enforce_csrf_checks=True)
    data = valid_post(scene)
    before = state()
    for route in WEB:
        response = client.post(url(route, scene), data)
        assert response.status_code == 403, route.name
        assert "请求来源校验失败" in response.content.decode(), route.name
    assert state() == before
    # The login form too: no logging someone into the attacker's account.
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(reverse("login"), {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 403 and "_auth_user_id" not in anonymous.session


def test_the_api_ignores_the_session_cookie(scene):
    """The API authenticates by token only, so a forged cross-site POST carrying the
    browser's cookie is no one."""
    client = client_as(scene, "reporter")
    before = state()
    response = client.post(
        reverse("api:upload_text", kwargs={"obligation_id": scene.victim.pk}),
        json.dumps({"text": "跨站伪造的报告"}),
        content_type="application/json",
    )
    assert response.status_code == 401 and CHINESE.search(response.json()["detail"])
    assert state() == before


# -- IDOR ----------------------------------------------------------------------------

ATTACKERS = ["anonymous", "outsider", "other_reporter", "other_reviewer", "other_admin"]


@pytest.mark.parametrize("who", ATTACKERS)
def test_no_url_with_an_id_serves_another_office(scene, who):
    client = client_as(scene, who)
    data = valid_post(scene)
    secret = scene.version.text[200:260]
    before = state()
    for route in WITH_IDS:
        if route.is_api:
            continue
        target = url(route, scene)
        for method in (client.get, client.post):
            response = method(target, data) if method == client.post else method(target)
            assert_refused_in_chinese(response, anonymous=who == "anonymous")
            body = b"".join(response) if response.streaming else response.content
            assert secret.encode() not in body, route.name
    assert state() == before


@pytest.mark.parametrize("who", ["other_reporter", "other_reviewer", None])
def test_no_api_operation_with_an_id_serves_another_office(scene, who):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {scene.tokens[who]}"} if who else {}
    client = Client(**headers)
    before = state()
    for route in WITH_IDS:
        if not route.is_api:
            continue
        target = url(route, scene)
        responses = [
            client.get(target),
            client.post(target, json.dumps({"text": "越权", "version": 1}), content_type="application/json"),
            client.post(target, {"file": io.BytesIO("越权".encode())}),
        ]  # fmt: skip
        for response in responses:
            # 400: a body of the wrong kind for the operation, refused before anything else.
            assert response.status_code in (400, 401, 404, 405, 422), (
                route.name,
                response.status_code,
            )
            assert CHINESE.search(response.json()["detail"]), route.name
            assert scene.version.text[200:260] not in response.content.decode()
    assert state() == before


def test_an_id_that_does_not_exist_or_is_not_a_number(scene):
    client = client_as(scene, "admin")
    for path in ("/units/999999/", "/reports/versions/999999/file/", "/review/obligation/0/"):
        assert_refused_in_chinese(client.get(path))
    for path in ("/units/abc/", "/reports/-1/", "/review/obligation/1e3/", "/units/%00/"):
        assert_refused_in_chinese(client.get(path))
    tokens = {"HTTP_AUTHORIZATION": f"Bearer {scene.tokens['reporter']}"}
    api_client = Client(**tokens)
    for obligation_id in ("abc", "-1", "99999999999999999999", "1 OR 1=1"):
        response = api_client.get(f"/api/obligations/{obligation_id}/analysis")
        assert response.status_code in (404, 422) and CHINESE.search(response.json()["detail"])


# -- XSS -----------------------------------------------------------------------------

SCRIPT = '<script>alert("xss")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + ATTRIBUTE
SHORT = "<svg onload=a()>"  # for the 16 characters of an indicator's unit
RAW = [SCRIPT, "<img src=x onerror", SHORT]


def _post_ok(client: Client, name: str, kwargs: dict[str, Any], data: dict[str, Any]) -> None:
    response = client.post(reverse(name, kwargs=kwargs), data)
    assert response.status_code == 302, (name, response.content.decode()[:500])
    # The form's own error message, if any, also lands in the messages shown next.
    errors = [str(m) for m in response.wsgi_request._messages if m.level_tag == "error"]
    assert not errors, (name, errors)


def test_markup_in_every_text_field_is_shown_as_text(scene):
    w = scene.world
    admin, reviewer, reporter = (client_as(scene, n) for n in ("admin", "reviewer", "reporter"))
    # Administration: a unit's name and region, a hidden unit's reason, a user's name.
    _post_ok(
        admin,
        "units:create",
        {},
        {"name": PAYLOAD, "level": "town", "region": PAYLOAD, "parent": w.district.pk},
    )
    _post_ok(
        admin,
        "units:edit",
        {"pk": w.district_bureau.pk},
        {
            "name": "南湖区市场监督管理局",
            "level": "department",
            "region": PAYLOAD,
            "parent": w.district.pk,
        },
    )
    _post_ok(admin, "units:hide", {"pk": w.district_bureau.pk}, {"reason": PAYLOAD})
    _post_ok(
        admin,
        "units:user_create",
        {},
        {
            "username": "xss_user",
            "full_name": PAYLOAD,
            "password": "Xss-Test-Pass-1",
            "password2": "Xss-Test-Pass-1",
            "role": "reporter",
            "unit": w.town.pk,
        },
    )
    # Review: an extension's reason, a comment, a correction, a finding's dismissal, a return.
    ob = scene.victim
    _post_ok(
        reviewer,
        "review:extend",
        {"pk": Obligation.objects.get(unit=w.bureau).pk},
        {"until": "2030-06-30", "reason": PAYLOAD},
    )
    _post_ok(reviewer, "review:comment", {"pk": ob.pk}, {"body": PAYLOAD})
    _post_ok(
        reviewer,
        "review:correct",
        {"pk": ob.pk},
        {"indicator": "hotline_received", "value": "12", "unit": SHORT, "reason": PAYLOAD},
    )
    _post_ok(reviewer, "review:dismiss", {"pk": scene.version.pk, "index": 0}, {"reason": PAYLOAD})
    _post_ok(reviewer, "review:return", {"pk": ob.pk}, {"comment": PAYLOAD})
    # The reporter: a reply, a pasted text and a file whose name is markup.
    _post_ok(reporter, "reports:reply", {"pk": ob.pk}, {"body": PAYLOAD})
    _post_ok(
        reporter,
        "reports:paste",
        {"pk": ob.pk},
        {"text": "清河镇法治政府建设年度报告\n" + PAYLOAD + "\n" + scene.version.text[:2000]},
    )
    upload = io.BytesIO(scene.version.text.encode())
    upload.name = f"{SCRIPT}.txt"
    _post_ok(reporter, "reports:upload", {"pk": ob.pk}, {"file": upload})  # fmt: skip

    shown = 0
    for who in ("admin", "reviewer", "reporter", "anonymous"):
        client = client_as(scene, who)
        for route in WEB:
            if route.name not in READ_PAGES or route.name in ("units:export", "stats:export"):
                continue
            response = client.get(url(route, scene))
            body = (b"".join(response) if response.streaming else response.content).decode(
                "utf-8", "replace"
            )
            if response.get("Content-Type", "").startswith("text/html"):
                for raw in RAW:
                    assert raw not in body, (who, route.name, raw)
            shown += "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in body
    assert shown >= 6


def test_markup_in_the_query_string_is_never_reflected(scene):
    query = {
        key: PAYLOAD
        for key in ("q", "office", "year", "v", "a", "b", "state", "level", "next", "page",
                    "action", "unit", "format", "sso", "below", "indicator")
    }  # fmt: skip
    for who in ("admin", "reviewer", "reporter", "anonymous"):
        client = client_as(scene, who)
        for route in WEB:
            if route.name in ("logout", "oidc_authentication_callback"):
                continue
            response = client.get(url(route, scene), query)
            assert response.status_code < 500, route.name
            body = (b"".join(response) if response.streaming else response.content).decode(
                "utf-8", "replace"
            )
            if response.get("Content-Type", "").startswith("text/html"):
                for raw in RAW:
                    assert raw not in body, (who, route.name)


# -- oversized and odd input ---------------------------------------------------------


def _batteries(scene: Scene) -> dict[str, dict[str, Any]]:
    names = list(valid_post(scene))
    return {
        # Past every field's limit, the report text's included (FAZHI_MAX_REPORT_CHARS).
        "oversized": {n: "长" * (settings.FAZHI_MAX_REPORT_CHARS + 1) for n in names},
        "nul": {n: "合法\x00内容" for n in names},
        "control": {n: "\x1b[31m\u202e\x08" for n in names},
        "too many fields": {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)},
    }  # fmt: skip


def _refused(response: Any, client: Client, name: str = "") -> None:
    """A Chinese refusal: an error page, the form again with its error, or back to the
    page with an error message."""
    if response.status_code == 302:
        page = client.get(response["Location"])
        assert 'class="error"' in page.content.decode(), (name, response["Location"])
        return
    if response.status_code == 200:
        assert 'class="error"' in response.content.decode(), response.request["PATH_INFO"]
        return
    assert_refused_in_chinese(response)


# Buttons without any input (sign out, approve, publish, …): there is nothing odd to send.
FIELDLESS = {
    "logout", "accounts:end_other_sessions", "accounts:end_session",
    "accounts:require_password_change", "review:approve", "review:publish",
    "reports:retry_analysis", "drafting:generate",
}  # fmt: skip


@pytest.mark.parametrize("battery", ["oversized", "nul", "control", "too many fields"])
def test_odd_input_to_every_form_is_refused_in_chinese(scene, battery):
    data = _batteries(scene)[battery]
    before = state()
    for route in WEB:
        if route.name in READ_PAGES or route.name in FIELDLESS:
            continue
        client = client_as(scene, "anonymous" if route.name == "login" else route.owner())
        response = client.post(url(route, scene), data)
        _refused(response, client, route.name)
        assert state() == before, (battery, route.name)


def test_pages_that_only_show_ignore_what_is_posted_to_them(scene):
    data = valid_post(scene)
    before = state()
    for route in WEB:
        if route.name in READ_PAGES:
            client = client_as(scene, route.owner())
            assert client.post(url(route, scene), data).status_code < 500, route.name
    assert state() == before


def test_an_oversized_request_body_is_refused(scene):
    client = client_as(scene, "reporter")
    huge = "长" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 10)
    before = state()
    response = client.post(reverse("reports:paste", args=[scene.victim.pk]), {"text": huge})
    assert_refused_in_chinese(response)
    assert state() == before


def test_odd_files_are_refused(scene):
    client = client_as(scene, "reporter")
    before = state()
    for name, content in [
        ("空文件.txt", b""),
        ("程序.exe", b"MZ\x90\x00" * 100),
        ("图片.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        ("乱码.txt", bytes(range(256)) * 40),
        ("表格.xlsx", b"PK\x03\x04" + b"\x00" * 100),
    ]:
        upload = io.BytesIO(content)
        upload.name = name
        response = client.post(reverse("reports:upload", args=[scene.victim.pk]), {"file": upload})
        _refused(response, client)
    assert state() == before


def _operations() -> Iterator[tuple[str, str]]:
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            yield method.upper(), path


# Values no declared query parameter takes (the refusal is 422), or one that may
# simply match nothing (200); never a server error.
ODD_QUERIES = [
    {"limit": "-1"}, {"limit": "100000"}, {"offset": "-5"}, {"limit": "NaN"},
    {"year": "abc"}, {"year": "1e309"}, {"year": "99999999999999999999"},
    {"unit_id": "99999999999999999999"}, {"state": "<script>"}, {"version": "0"},
    {"version": "x"}, {"indicator": "x" * 10000}, {"year": "\x00"},
]  # fmt: skip
ODD_BODIES = [
    b"{", b"[]", b"null", b'{"text": 123}', b'{"text": null}', b'{"version": "abc"}',
    b'{"version": -1}', b'{"version": 1e309}', b'{"text": "\\u0000\\u0000"}',
    b'{"text": "   "}', '{"text": "长'.encode() + "长".encode() * 400_000 + b'"}',
]  # fmt: skip


def test_odd_input_to_every_api_operation_is_refused_in_chinese(scene):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {scene.tokens['reporter']}")
    before = state()
    operations = list(_operations())
    assert len(operations) >= 8
    for method, path in operations:
        target = path.replace("{obligation_id}", str(scene.victim.pk))
        for query in ODD_QUERIES:
            if method == "GET":
                response = client.get(target, query)
                assert response.status_code in (200, 400, 404, 422), (path, query)
                if response.status_code != 200:
                    assert CHINESE.search(response.json()["detail"]), (path, query)
        if method == "POST":
            for body in ODD_BODIES:
                response = client.post(target, body, content_type="application/json")
                assert 400 <= response.status_code < 500, (path, body[:40], response.status_code)
                assert CHINESE.search(response.json()["detail"]), (path, body[:40])
    assert state() == before


def test_control_characters_in_a_query_are_refused_before_any_view(scene):
    client = client_as(scene, "admin")
    for path in ("/audit/", "/review/", "/stats/", "/api/obligations"):
        response = client.get(path, {"action": "a\x00b", "year": "\x1b[2J"})
        assert response.status_code == 400, path
        assert "控制字符" in response.content.decode(), path


def test_markup_typed_as_a_username_is_shown_as_text_to_administrators(client, scene):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": PAYLOAD, "password": "x"})
    root = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    for page in ("accounts:lockouts", "audit:log", "units:users"):
        body = client.get(reverse(page)).content.decode()
        assert all(raw not in body for raw in RAW), page
    assert "&lt;script&gt;" in client.get(reverse("accounts:lockouts")).content.decode()
