"""Every rectification view tried across the boundaries (src/fazhi_web/test_security.py
leaves the `rectification:` routes to this module and checks that each is named here).

The town's item, its evidence, the city's 督察 and 通报 are the targets. Another office,
another unit's reporter (in the same office too), a user without a role and the anonymous
get nothing: 404 for anything with an id, 403 or an empty list for the lists, the login
page for the anonymous; and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.rectification import services
from fazhi_web.rectification.models import Evidence, Inspection, Item
from fazhi_web.rectification.tests.conftest import PDF, D, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(world, item):
    evidence = services.add_evidence(world.reporter, item, "整改报告.pdf", PDF)
    inspection = services.record_inspection(
        world.reviewer, world.city, held_on=D("2024-06-12"), team="第一督察组", units=[world.town]
    )
    return {"item": item, "evidence": evidence, "inspection": inspection, "world": world}


ROUTES: dict[str, Callable[[dict[str, Any]], dict[str, int]]] = {
    "ledger": lambda t: {},
    "export": lambda t: {},
    "inspections": lambda t: {},
    "item": lambda t: {"pk": t["item"].pk},
    "upload_evidence": lambda t: {"pk": t["item"].pk},
    "submit": lambda t: {"pk": t["item"].pk},
    "close": lambda t: {"pk": t["item"].pk},
    "send_back": lambda t: {"pk": t["item"].pk},
    "escalate": lambda t: {"pk": t["item"].pk},
    "evidence_file": lambda t: {"pk": t["evidence"].pk},
    "raise_from_finding": lambda t: {"pk": t["item"].obligation.current_version_id, "index": 1},
    "inspection": lambda t: {"pk": t["inspection"].pk},
    "notice": lambda t: {"office": t["world"].city.pk, "year": 2023},
}
LISTS = {"ledger", "export", "inspections"}


def _names(patterns: list[Any], namespace: str = "") -> list[str]:
    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            out += _names(p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern) and p.name:
            out.append(namespace + p.name)
    return out


def test_every_rectification_route_is_tried_here():
    routes = {n.split(":")[1] for n in _names(get_resolver().url_patterns)
              if n.startswith("rectification:")}  # fmt: skip
    assert routes == set(ROUTES)


def state() -> tuple[Any, ...]:
    return (
        sorted(Item.objects.values_list("id", "state", "escalated", "measures", "problem")),
        Evidence.objects.count(),
        Inspection.objects.count(),
        AuditEntry.objects.filter(action__startswith=("rectification.")).count(),
        AuditEntry.objects.filter(action="inspection.record").count(),
    )


POST = {
    "problem": "越权的问题", "limit_days": "5", "unit": 0, "measures": "越权填报",
    "reason": "越权", "held_on": "2024-06-01", "team": "越权组",
}  # fmt: skip


@pytest.mark.parametrize(
    "who", ["other_reviewer", "other_reporter", "district_reporter", "outsider", None]
)
def test_nothing_of_the_town_is_served_to_outsiders(world, targets, who):
    client = client_for(getattr(world, who)) if who else Client()
    secret = targets["item"].problem[:30]
    data = {**POST, "unit": world.town.pk, "units": [world.town.pk]}
    before = state()
    for name, kwargs in ROUTES.items():
        url = reverse(f"rectification:{name}", kwargs=kwargs(targets))
        for response in (client.get(url), client.post(url, data)):
            status = response.status_code
            if who is None:
                assert status == 302 and "/accounts/login/" in response["Location"], name
                continue
            if name in LISTS and status == 200:
                body = b"".join(response) if response.streaming else response.content
                assert secret.encode() not in body, (who, name)
                continue
            if name in LISTS and status == 302:  # a refused form goes back to its list
                continue
            assert status in (403, 404, 405), (who, name, status)
            assert "不存在或无权访问" in response.content.decode() or status != 404, name
    assert state() == before


def test_the_lists_are_refused_to_a_user_without_a_role(world, targets):
    client = client_for(world.outsider)
    for name in LISTS:
        assert client.get(reverse(f"rectification:{name}")).status_code == 403, name


def test_a_unit_filter_on_another_office_is_not_found(world, targets):
    url = reverse("rectification:ledger") + f"?unit={world.town.pk}"
    assert client_for(world.other_reviewer).get(url).status_code == 404
    assert client_for(world.reviewer).get(url).status_code == 200


def test_another_office_cannot_record_an_inspection_of_the_town(world, targets):
    client = client_for(world.other_reviewer)
    before = state()
    response = client.post(
        reverse("rectification:inspections"),
        {"held_on": "2024-06-01", "team": "越权组", "units": [world.town.pk]},
    )
    # The town is not among the choices the other office is offered: the form refuses it.
    assert response.status_code == 302
    assert state() == before


def test_the_owners_reach_what_is_theirs(world, targets):
    reviewer, reporter = client_for(world.reviewer), client_for(world.reporter)
    item, evidence, inspection = targets["item"], targets["evidence"], targets["inspection"]
    for client in (reviewer, reporter):
        assert client.get(reverse("rectification:item", args=[item.pk])).status_code == 200
        assert (
            client.get(reverse("rectification:evidence_file", args=[evidence.pk])).status_code
            == 200
        )
    assert (
        reviewer.get(reverse("rectification:inspection", args=[inspection.pk])).status_code == 200
    )
    # The 督察 and the 通报 are the office's: not the unit's to see.
    assert (
        reporter.get(reverse("rectification:inspection", args=[inspection.pk])).status_code == 404
    )
    notice = reverse("rectification:notice", args=[world.city.pk, 2023])
    assert reviewer.get(notice).status_code == 200
    assert reporter.get(notice).status_code == 404
