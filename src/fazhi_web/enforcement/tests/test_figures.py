"""Each indicator computed from the records, and only from the records of its unit and year."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi_web.enforcement import figures, services
from fazhi_web.enforcement.tests.conftest import D, decide
from fazhi_web.ledgers import figures as ledger_figures
from fazhi_web.ledgers.tests.conftest import client_for


def _case(world, officers, number, kind, events, **extra):
    case = services.create_case(
        world.reporter, world.town,
        {"number": number, "kind": kind, "title": "案由", "party": "某公司", "decision_text": "决定。", **extra},
        officers,
    )  # fmt: skip
    for code, day in events:
        services.record_event(world.reporter, case, code, on=D(day))
    return case


@pytest.fixture
def year_of_records(world, officers, penalty):
    decide(world, penalty, "2024-10-08")
    services.prepare_publication(world.reporter, penalty)
    services.approve_publication(world.reviewer, penalty, on=D("2024-10-09"))
    services.publish(world.reporter, penalty, on=D("2024-10-10"))
    _case(world, officers, "检1", "inspection", [("investigated", "2024-03-01")])
    _case(world, officers, "检2", "inspection", [("investigated", "2024-05-01")])
    _case(world, officers, "检3", "inspection", [("investigated", "2023-12-30")])  # last year
    _case(world, officers, "检4", "inspection", [])  # not yet inspected
    _case(
        world,
        officers,
        "罚2",
        "penalty",
        [("filed", "2024-01-02"), ("investigated", "2024-01-03"), ("notified", "2024-01-04")],
    )  # undecided
    _case(
        world, officers, "强1", "coercive", [("notified", "2024-04-01"), ("decided", "2024-04-02")]
    )
    hidden = _case(
        world, officers, "强2", "coercive", [("notified", "2024-04-01"), ("decided", "2024-04-02")]
    )
    services.hide(world.reporter, hidden, "重复登记")
    newcomer = services.create_officer(world.reporter, world.town, name="孙执法")
    services.add_certificate(
        world.reporter,
        newcomer,
        {"number": "N1", "issued_on": D("2024-06-01"), "expires_on": D("2029-05-31")},
    )
    for i in range(3):
        services.create_entity(world.reporter, world.town, name=f"商户{i}")
    inspection = services.create_inspection(
        world.reporter, world.town, title="抽查", entity_count=2
    )
    services.draw_inspection(world.reporter, inspection)
    # Two drawn, one inspected so far.
    first = inspection.drawn.first()
    services.record_result(world.reporter, first, inspected_on=D("2024-11-20"), result="合格")
    return {"penalty": penalty, "inspection": inspection}


EXPECTED = {
    "enforcement_inspections": 2,
    "enforcement_penalties": 1,
    "enforcement_coercive": 1,
    "enforcement_legal_reviews": 1,
    "enforcement_publicized": 1,
    "enforcement_certificates": 1,
    "random_inspections": 1,
}


def test_each_indicator_counts_its_records(world, year_of_records):
    assert {
        code: ledger_figures.figure(code, world.town, 2024).value for code in figures.INDICATORS
    } == EXPECTED
    assert ledger_figures.figure("enforcement_inspections", world.town, 2023).value == 1
    assert ledger_figures.figure("enforcement_certificates", world.town, 2022).value == 2
    assert all(
        ledger_figures.figure(code, world.other_town, 2024).value == 0
        for code in figures.INDICATORS
    )
    assert set(figures.INDICATORS) == set(EXPECTED)


def test_the_indicator_ids_are_the_engines():
    from fazhi import data

    known = {i["id"] for i in data.load("indicators")["indicator"]}
    assert set(figures.INDICATORS) <= known


def test_each_figure_links_to_its_records(world, year_of_records):
    client = client_for(world.reviewer)
    found = figures.enforcement_indicators(world.town, 2024)
    assert found["enforcement_penalties"].value == 1 and found["enforcement_penalties"].label
    page = client.get(found["enforcement_penalties"].url).content.decode()
    assert year_of_records["penalty"].number in page and "检1" not in page
    page = client.get(found["enforcement_inspections"].url).content.decode()
    assert "检1" in page and "检2" in page and "检3" not in page
    assert "孙执法" in client.get(found["enforcement_certificates"].url).content.decode()
    assert "抽查" in client.get(found["random_inspections"].url).content.decode()


def test_the_dashboard_counts_the_year_and_lists_what_is_late(world, year_of_records, officers):
    late = _case(world, officers, "罚9", "penalty",
                 [("filed", "2024-11-01"), ("investigated", "2024-11-02"), ("notified", "2024-11-04"), ("decided", "2024-11-05")])  # fmt: skip
    page = (
        client_for(world.reporter)
        .get(reverse("enforcement:dashboard") + "?year=2024")
        .content.decode()
    )
    assert "<strong>2</strong>" in page and late.number in page
    assert (
        year_of_records["penalty"].number
        not in page.split("overdue-publications")[1].split("</table>")[0]
    )
    soon = client_for(world.reporter).get(reverse("enforcement:dashboard"))
    assert "certificates-due" not in soon.content.decode()


def test_the_api_gives_the_same_figures(world, year_of_records):
    from fazhi_web.enforcement.tests.test_boundaries import api

    rows = (
        api(world.reviewer)
        .get(f"/api/enforcement/indicators?unit_id={world.town.pk}&year=2024")
        .json()
    )
    assert {r["indicator"]: r["value"] for r in rows} == EXPECTED
