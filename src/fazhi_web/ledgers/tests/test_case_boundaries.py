"""Who sees and changes which case ledger (ledgers.casebook): every view of the
disputes, petitions, proposals and study apps tried across the boundaries.

The town's reporter keeps the town's ledgers; the city's reviewer reads them; another
office, another unit's reporter and a user without a role see nothing: 404 for a
record, 403 for the ledger pages, the login page for the anonymous.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fazhi_web.disputes import services as dispute_services
from fazhi_web.ledgers import casebook
from fazhi_web.ledgers.tests.conftest import D, client_for
from fazhi_web.petitions.models import HotlineCategory

# Each case ledger's URL names, as test_security looks for them here:
# "reconsiderations" "reconsiderations_new" "reconsiderations_record" "reconsiderations_event"
# "reconsiderations_hide" "litigations" "litigations_new" "litigations_record"
# "litigations_event" "litigations_hide" "hearing_new" "petitions" "petitions_new"
# "petitions_record" "petitions_event" "petitions_hide" "hotline" "hotline_new"
# "hotline_record" "hotline_event" "hotline_hide" "proposals" "proposals_new"
# "proposals_record" "proposals_event" "proposals_hide" "sessions" "sessions_new"
# "sessions_record" "sessions_event" "sessions_hide" "law_reports" "law_reports_new"
# "law_reports_record" "law_reports_event" "law_reports_hide"
VALUES = {
    "reconsiderations": {"number": "清复1", "applicant": "张某", "respondent": "镇执法办",
                         "received_on": D("2024-09-02")},
    "litigations": {"number": "(2024)行初1号", "court": "南湖区人民法院", "stage": "first",
                    "plaintiff": "李某", "filed_on": D("2024-03-01")},
    "petitions": {"number": "X2024-1", "channel": "letter", "received_on": D("2024-06-03")},
    "hotline": {"number": "DJ1", "category": "咨询", "dispatched_on": D("2024-03-01")},
    "proposals": {"kind": "npc", "number": "1", "title": "关于学校周边交通的建议",
                  "assigned_on": D("2024-03-15")},
    "sessions": {"kind": "lecture", "held_on": D("2024-05-10"), "topic": "民法典",
                 "audience": "全体干部", "attendance": 40},
    "law_reports": {"reporter": "陈镇", "reporter_title": "镇长", "reported_to": "区委依法治区办",
                    "reported_on": D("2024-11-20")},
}  # fmt: skip
FIRST_EVENT = {"reconsiderations": "accept", "litigations": "conclude", "petitions": "accept",
               "hotline": "close", "proposals": "reply", "sessions": "edit", "law_reports": "edit"}  # fmt: skip


@pytest.fixture
def records(world):
    HotlineCategory.objects.create(name="咨询", limit_length=1, limit_unit="working", source="测试")
    out = {
        slug: casebook.create(world.reporter, casebook.CASES[slug], world.town, values)
        for slug, values in VALUES.items()
    }
    dispute_services.record_hearing(
        world.reporter, out["litigations"], held_on=D("2024-04-01"), head_appeared=False
    )
    return out


def record_urls(records):
    out = []
    for slug, obj in records.items():
        case = casebook.CASES[slug]
        out += [case.url("record", obj.pk), case.url("event", obj.pk, FIRST_EVENT[slug])]
    out.append(reverse("disputes:hearing_new", args=[records["litigations"].pk]))
    return out


def hide_urls(records):
    return [casebook.CASES[slug].url("hide", obj.pk) for slug, obj in records.items()]


def list_urls():
    return [reverse(f"{c.namespace}:{c.slug}") for c in casebook.CASES.values()] + [
        reverse(f"{c.namespace}:{c.slug}_new") for c in casebook.CASES.values()
    ]


@pytest.mark.parametrize("who", ["other_reviewer", "other_reporter"])
def test_records_of_another_unit_are_not_found_and_cannot_be_changed(world, records, who):
    client = client_for(getattr(world, who))
    for url in record_urls(records):
        assert client.get(url).status_code == 404, url
    for url in hide_urls(records):
        assert client.post(url, {"reason": "越权"}).status_code == 404, url
    event = casebook.CASES["reconsiderations"].url(
        "event", records["reconsiderations"].pk, "accept"
    )
    assert client.post(event, {"accepted_on": "2024-09-03"}).status_code == 404
    hearing = reverse("disputes:hearing_new", args=[records["litigations"].pk])
    assert client.post(hearing, {"held_on": "2024-05-01"}).status_code == 404
    records["reconsiderations"].refresh_from_db()
    assert records["reconsiderations"].accepted_on is None
    assert records["litigations"].hearings.count() == 1
    for obj in records.values():
        obj.refresh_from_db()
        assert not obj.is_hidden


@pytest.mark.parametrize("who", ["other_reviewer", "other_reporter"])
def test_lists_exports_and_the_dashboard_of_another_office_hold_nothing_of_the_town(
    world, records, who
):
    client = client_for(getattr(world, who))
    for case in casebook.CASES.values():
        page = client.get(reverse(f"{case.namespace}:{case.slug}")).content.decode()
        assert str(records[case.slug]) not in page, case.slug
        export = client.get(reverse("ledgers:export", args=[case.slug]))
        assert export.status_code == 200
        assert str(records[case.slug]).encode() not in export.content
        # A figure link with the town's id is refused, not filtered to nothing.
        url = reverse(f"{case.namespace}:{case.slug}") + f"?unit={world.town.pk}&year=2024"
        assert client.get(url).status_code == 404
    assert "清复1" not in client.get(reverse("ledgers:cases")).content.decode()


def test_a_user_without_a_role_is_refused_every_case_ledger_page(world, records):
    client = client_for(world.outsider)
    for url in [*list_urls(), *record_urls(records), reverse("ledgers:cases")]:
        assert client.get(url).status_code == 403, url
    for slug in casebook.CASES:
        assert client.get(reverse("ledgers:export", args=[slug])).status_code == 403
        assert client.get(reverse("ledgers:import", args=[slug])).status_code == 403


def test_the_anonymous_are_sent_to_log_in(world, records):
    for url in [*list_urls(), *record_urls(records), reverse("ledgers:cases")]:
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_office_reads_but_does_not_keep_the_units_ledgers(world, records):
    client = client_for(world.reviewer)
    for slug, obj in records.items():
        case = casebook.CASES[slug]
        page = client.get(case.url("record", obj.pk))
        assert page.status_code == 200 and "隐藏该记录" not in page.content.decode()
        assert client.get(case.url("event", obj.pk, FIRST_EVENT[slug])).status_code == 404
        assert client.post(case.url("hide", obj.pk), {"reason": "x"}).status_code == 302
        obj.refresh_from_db()
        assert not obj.is_hidden
        assert client.get(reverse(f"{case.namespace}:{slug}_new")).status_code == 403
    hearing = reverse("disputes:hearing_new", args=[records["litigations"].pk])
    assert client.get(hearing).status_code == 404


def test_the_unit_keeps_its_ledgers_through_the_pages(world, records):
    client = client_for(world.reporter)
    case = casebook.CASES["reconsiderations"]
    obj = records["reconsiderations"]
    assert client.get(case.url("record", obj.pk)).status_code == 200
    response = client.post(case.url("event", obj.pk, "accept"), {"accepted_on": "2024-09-03"})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.accepted_on == D("2024-09-03")
    # A bad date is refused in Chinese and changes nothing.
    response = client.post(case.url("event", obj.pk, "decide"),
                           {"decided_on": "2024-08-01", "outcome": "upheld"}, follow=True)  # fmt: skip
    assert "早于" in response.content.decode()
    obj.refresh_from_db()
    assert obj.decided_on is None
    new = client.post(reverse("disputes:reconsiderations_new"),
                      {"unit": world.town.pk, "number": "清复2", "applicant": "钱某",
                       "respondent": "镇政府", "received_on": "2024-10-08"})  # fmt: skip
    assert new.status_code == 302
    hearing = reverse("disputes:hearing_new", args=[records["litigations"].pk])
    response = client.post(hearing, {"held_on": "2024-05-01", "head_appeared": "on",
                                     "head_name": "陈镇", "head_title": "镇长"})  # fmt: skip
    assert response.status_code == 302 and records["litigations"].hearings.count() == 2
    dashboard = client.get(reverse("ledgers:cases")).content.decode()
    assert "已逾期" in dashboard and "清复2" in dashboard  # its acceptance is overdue


def test_a_figure_link_lists_exactly_the_records_behind_it(world, records):
    client = client_for(world.reviewer)
    url = (reverse("disputes:reconsiderations")
           + f"?unit={world.town.pk}&year=2024&figure=reconsideration_received")  # fmt: skip
    page = client.get(url).content.decode()
    assert "清复1" in page and "信访事项" not in page
    assert "行政复议收案数" in page
    empty = client.get(url.replace("year=2024", "year=2023")).content.decode()
    assert "清复1" not in empty


def test_the_list_searches_the_identifying_text(world, records):
    client = client_for(world.reporter)
    found = client.get(reverse("study:sessions") + "?q=民法").content.decode()
    assert "民法典" in found
    assert "民法典" not in client.get(reverse("study:sessions") + "?q=宪法").content.decode()
    assert "清复1" in client.get(reverse("disputes:reconsiderations") + "?q=清复").content.decode()


def api_client(user) -> Client:
    from fazhi_web.api.models import ApiToken

    _, key = ApiToken.issue(user, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_api_serves_each_case_ledger_within_the_same_boundaries(world, records):
    own, other = api_client(world.reporter), api_client(world.other_reporter)
    for slug, obj in records.items():
        assert other.get(f"/api/ledgers/{slug}").json() == [], slug
        assert other.get(f"/api/ledgers/{slug}/{obj.pk}").status_code == 404, slug
        assert other.get(f"/api/ledgers/{slug}/export?unit_id={world.town.pk}").status_code == 404
        [got] = own.get(f"/api/ledgers/{slug}?unit_id={world.town.pk}").json()
        assert got["id"] == obj.pk and got["unit_name"] == "南湖区清河镇"
    event = f"/api/ledgers/reconsiderations/{records['reconsiderations'].pk}/events/accept"
    body = {"accepted_on": "2024-09-03"}
    assert other.post(event, body, content_type="application/json").status_code == 404
    response = own.post(event, body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["clocks"][1]["label"] == "作出复议决定"
    refused = own.post(event.replace("accept", "decide"),
                       {"decided_on": "2024-08-01", "outcome": "upheld"}, content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "早于" in refused.json()["detail"]
    created = own.post("/api/ledgers/petitions",
                       {"unit_id": world.town.pk, "number": "API-1", "channel": "online",
                        "received_on": "2024-11-25"}, content_type="application/json")  # fmt: skip
    assert created.status_code == 201
    behind = own.get(
        f"/api/ledgers/petitions?unit_id={world.town.pk}&year=2024&figure=petitions_received"
    )
    assert {r["title"] for r in behind.json()} == {"X2024-1", "API-1"}
