"""Who sees and changes which 考评: every view tried across the boundaries.

东江市's office (reviewer, admin) scores the units below it. Another office, a user
without a role, another unit's reporter and the town's own reporter before publication
get 404 for everything with an id; the anonymous get the login page. Once published,
the town's reporter sees the town's own results and nothing else.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.evaluation import services
from fazhi_web.evaluation.models import Criterion, Framework, Score
from fazhi_web.evaluation.tests.conftest import YEAR, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world, season):
    services.compute(world.reviewer, season.framework)
    return season


def routes(scene, world) -> dict[str, tuple[str, dict]]:
    """Every evaluation route with an id, as the city's office uses it, and a POST body."""
    fw = scene.framework.pk
    reviewer_criterion = scene.criterion("1.1.1").pk
    return {
        "framework": (reverse("evaluation:framework", args=[fw]), {}),
        "criterion": (
            reverse("evaluation:criterion", args=[fw, reviewer_criterion]),
            {"text": "越权修改", "points": "9", "evidence_kind": "reviewer"},
        ),
        "compute": (reverse("evaluation:compute", args=[fw]), {}),
        "publish": (reverse("evaluation:publish", args=[fw]), {}),
        "results": (reverse("evaluation:results", args=[fw]), {}),
        "export": (reverse("evaluation:export", args=[fw]), {}),
        "unit": (reverse("evaluation:unit", args=[fw, world.town.pk]), {}),
        "score": (
            reverse("evaluation:score", args=[fw, world.town.pk, reviewer_criterion]),
            {"value": "2", "note": "越权评分"},
        ),
    }


def state():
    return (
        list(Framework.objects.values_list("id", "computed_at", "published_at")),
        list(Criterion.objects.values_list("id", "text", "points", "evidence_kind")),
        list(Score.objects.values_list("id", "value", "note", "adjusted_reason")),
        AuditEntry.objects.filter(action__startswith="evaluation.").count(),
    )


def test_every_evaluation_route_is_tried_here(world, scene):
    [app] = [p for p in get_resolver().url_patterns if getattr(p, "namespace", "") == "evaluation"]
    names = {p.name for p in app.url_patterns}
    assert names == set(routes(scene, world)) | {"index", "copy"}


@pytest.mark.parametrize(
    "who", ["other_reviewer", "other_reporter", "outsider", "reporter", "district_reporter"]
)
def test_outsiders_find_nothing(world, scene, who):
    client = client_for(getattr(world, who))
    before = state()
    for name, (url, data) in routes(scene, world).items():
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code in (404, 405), (name, response.status_code)
            if response.status_code == 404:
                assert "不存在或无权访问" in response.content.decode(), name
    # Copying for the city's office: the office is not theirs to choose.
    client.post(reverse("evaluation:copy"), {"office": world.city.pk, "year": YEAR - 1,
                                             "file": "demonstration_2021.toml"})  # fmt: skip
    assert state() == before
    assert "东江市" not in client.get(reverse("evaluation:index")).content.decode()


def test_the_anonymous_are_sent_to_log_in(client, world, scene):
    for name, (url, _) in [
        *routes(scene, world).items(),
        ("index", (reverse("evaluation:index"), {})),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], name


def test_the_office_reaches_every_view(world, scene):
    for who in ("reviewer", "admin"):
        client = client_for(getattr(world, who))
        for name in ("framework", "criterion", "results", "export", "unit"):
            assert client.get(routes(scene, world)[name][0]).status_code == 200, (who, name)
    client = client_for(world.reviewer)
    assert client.post(*routes(scene, world)["score"]).status_code == 302
    assert Score.objects.get(criterion=scene.criterion("1.1.1"), unit=world.town).note == "越权评分"
    # A unit outside the office is not one of its units, even by a crafted address.
    outside = reverse("evaluation:unit", args=[scene.framework.pk, world.other_town.pk])
    assert client.get(outside).status_code == 404
    office_itself = reverse("evaluation:unit", args=[scene.framework.pk, world.city.pk])
    assert client.get(office_itself).status_code == 404


def test_a_unit_sees_its_own_results_once_published_and_nothing_more(world, scene):
    town = client_for(world.reporter)
    own = routes(scene, world)["unit"][0]
    assert town.get(own).status_code == 404
    services.publish(world.reviewer, scene.framework)
    page = town.get(own)
    assert page.status_code == 200
    html = page.content.decode()
    assert "南湖区清河镇 2023年度考评" in html
    # No ranking, no forms to score with.
    assert reverse("evaluation:results", args=[scene.framework.pk]) not in html
    assert "score-form" not in html
    # Its evidence opens its own report page, not the office's review page.
    assert reverse("reports:obligation", args=[scene.town.pk]) in html
    assert reverse("review:report", args=[scene.town.pk]) not in html
    assert own in town.get(reverse("evaluation:index")).content.decode()
    before = state()
    for name, (url, data) in routes(scene, world).items():
        if name == "unit":
            continue
        assert town.get(url).status_code in (404, 405), name
        assert town.post(url, data).status_code == 404, name
    assert state() == before
    # Another unit's results stay out of reach.
    bureau = reverse("evaluation:unit", args=[scene.framework.pk, world.bureau.pk])
    assert town.get(bureau).status_code == 404
    assert client_for(world.district_reporter).get(own).status_code == 404


def test_no_change_without_the_csrf_token(world, scene):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.reviewer)
    before = state()
    posts = [
        *routes(scene, world).values(),
        (reverse("evaluation:copy"), {"office": world.city.pk}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 403 and "请求来源校验失败" in response.content.decode(), url
    assert state() == before
