"""The office's pages: copying a framework, editing a criterion through its form, scoring
and adjusting through the unit's page; refusals come back as Chinese messages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from fazhi_web.evaluation import services
from fazhi_web.evaluation.models import Framework, Score
from fazhi_web.evaluation.tests.conftest import YEAR, client_for

pytestmark = pytest.mark.django_db


def flashed(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_copying_from_the_index(world, season):
    client = client_for(world.reviewer)
    data = {"office": world.city.pk, "year": YEAR - 1, "file": "demonstration_2021.toml"}
    response = client.post(reverse("evaluation:copy"), data)
    fw = Framework.objects.get(office=world.city, year=YEAR - 1)
    assert response["Location"] == reverse("evaluation:framework", args=[fw.pk])
    response = client.post(reverse("evaluation:copy"), data, follow=True)
    assert "已经建立" in "".join(flashed(response))
    response = client.post(
        reverse("evaluation:copy"), {**data, "file": "../../settings.py"}, follow=True
    )
    assert "选择一个有效的选项" in "".join(flashed(response))
    html = client.get(reverse("evaluation:index")).content.decode()
    assert html.count(reverse("evaluation:results", args=[fw.pk])) == 1


def test_editing_a_criterion_through_its_form_measures_it_again(world, season):
    services.compute(world.reviewer, season.framework)
    criterion = season.criterion("1.1.1")
    client = client_for(world.reviewer)
    url = reverse("evaluation:criterion", args=[season.framework.pk, criterion.pk])
    assert "全面普及行政审批服务" in client.get(url).content.decode()
    response = client.post(url, {"text": "年度报告载明存在的不足。", "points": "2", "evidence_kind": "part",
                                 "part": "shortcomings", "indicator": "study_sessions", "at_least": "3"})  # fmt: skip
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.evidence_params == {"part": "shortcomings"}
    assert Score.objects.get(criterion=criterion, unit=world.town).value == Decimal(2)
    response = client.post(url, {"text": "x", "points": "2", "evidence_kind": "part"})
    assert "缺少参数" in "".join(flashed(response))


def test_the_unit_page_scores_and_adjusts(world, season):
    services.compute(world.reviewer, season.framework)
    client = client_for(world.reviewer)
    fw, town = season.framework, world.town
    adjust = reverse("evaluation:score", args=[fw.pk, town.pk, season.criterion("8.1.1").pk])
    response = client.post(adjust, {"value": "3", "note": ""}, follow=True)
    assert "调整自动评分必须写明理由" in "".join(flashed(response))
    assert Score.objects.get(criterion=season.criterion("8.1.1"), unit=town).value == 0
    response = client.post(adjust, {"value": "abc", "note": "附件"}, follow=True)
    assert "得分" in "".join(flashed(response))
    score = reverse("evaluation:score", args=[fw.pk, town.pk, season.criterion("1.1.2").pk])
    client.post(score, {"value": "1", "note": "仍有一项备案类变相许可"})
    html = client.get(reverse("evaluation:unit", args=[fw.pk, town.pk])).content.decode()
    assert "仍有一项备案类变相许可" in html
