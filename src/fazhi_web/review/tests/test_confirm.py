"""核对无误: a reviewer confirms that the engine's value of an indicator is right."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports.models import IndicatorValue
from fazhi_web.reports.services import ActionRefused
from fazhi_web.review import services as review_services
from fazhi_web.review.models import IndicatorConfirmation
from fazhi_web.review.tests.test_report import OUTSIDERS, page
from fazhi_web.stats.queries import number

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
KEY = "study_sessions"  # 领导干部学法次数


def stored(scene, indicator: str = KEY) -> IndicatorValue:
    return IndicatorValue.objects.get(obligation=scene.town, indicator=indicator)


def row_of(html: str, indicator: str) -> str:
    """The values panel's row of one indicator."""
    start = html.index(f'<tr data-indicator="{indicator}">')
    return html[start : html.index("</tr>", start)]


def confirm_url(scene) -> str:
    return reverse("review:confirm", args=[scene.town.pk])


def posted(value: IndicatorValue) -> dict[str, str]:
    return {"indicator": value.indicator, "value": repr(value.value), "unit": value.unit}


# -- the service -----------------------------------------------------------------


def test_confirm_writes_the_confirmation_and_the_audit_log(world, scene):
    before = stored(scene)
    assert not before.confirmed and not before.corrected
    confirmation = review_services.confirm_indicator(world.reviewer, scene.town, KEY)
    assert (confirmation.value, confirmation.unit) == (before.value, before.unit)
    assert confirmation.confirmed_by == world.reviewer
    after = stored(scene)
    assert after.confirmed and not after.corrected and after.value == before.value
    # The other values stay the engine's alone.
    assert not IndicatorValue.objects.filter(obligation=scene.town, confirmed=True).exclude(
        indicator=KEY
    )
    entry = AuditEntry.objects.get(action="indicator.confirm")
    assert entry.summary == f"核对指标“领导干部学法次数”：{before.value:g}{before.unit}无误"
    assert entry.actor == world.reviewer and entry.unit == world.town
    assert entry.object_id == str(confirmation.pk)
    assert entry.before == {"value": before.value, "unit": before.unit, "confirmed": False}
    assert entry.after == {
        "indicator": KEY,
        "value": before.value,
        "unit": before.unit,
        "confirmed": True,
    }


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "该报告没有指标“办理人大代表建议件数”的数值，无法核对。"),
        ("corrected", "已由审查员更正，无需核对"),
        ("confirmed", "已核对过"),
        ("changed", "的数值已变为"),
    ],
)
def test_confirm_is_refused_without_a_value_to_confirm(world, scene, setup, message):
    indicator, expected = KEY, None
    if setup == "missing":
        indicator = "npc_suggestions"
        assert not IndicatorValue.objects.filter(obligation=scene.town, indicator=indicator)
    elif setup == "corrected":
        review_services.correct_indicator(world.reviewer, scene.town, KEY, 7, "次", "原文笔误")
    elif setup == "confirmed":
        review_services.confirm_indicator(world.reviewer, scene.town, KEY)
    else:  # the reviewer saw another value than the current one
        expected = (stored(scene).value + 1, stored(scene).unit)
    confirmations = IndicatorConfirmation.objects.count()
    entries = AuditEntry.objects.filter(action="indicator.confirm").count()
    with pytest.raises(ActionRefused, match=message):
        review_services.confirm_indicator(world.reviewer, scene.town, indicator, expected=expected)
    assert IndicatorConfirmation.objects.count() == confirmations
    assert AuditEntry.objects.filter(action="indicator.confirm").count() == entries


# -- the values panel ----------------------------------------------------------


def test_values_panel_shows_the_three_states_and_the_button(client, world, scene):
    review_services.correct_indicator(
        world.reviewer, scene.town, "enforcement_inspections", 321, "次", "原文笔误"
    )
    client.force_login(world.reviewer)
    html = page(client, scene.town).content.decode()
    automatic = row_of(html, KEY)
    assert "自动识别（待核对）" in automatic and "核对无误</button>" in automatic
    assert f'action="{confirm_url(scene)}"' in automatic
    corrected = row_of(html, "enforcement_inspections")
    assert "已更正" in corrected and "核对无误" not in corrected and "待核对" not in corrected

    response = client.post(confirm_url(scene), posted(stored(scene)), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="values"')
    assert 'role="status">已核对无误。' in html
    confirmed = row_of(html, KEY)
    assert '<span class="badge state-filed">已核对</span>' in confirmed
    assert "核对无误" not in confirmed and "待核对" not in confirmed
    # Still correctable, and listed among the checks with who did it.
    assert "更正</summary>" in confirmed
    value = stored(scene)
    assert f"李审查：核对 领导干部学法次数 {number(value.value)}{value.unit} 无误" in html
    assert value.confirmed


def test_confirm_without_htmx_redirects_with_a_message(client, world, scene):
    client.force_login(world.reviewer)
    response = client.post(confirm_url(scene), posted(stored(scene)), follow=True)
    assert response.redirect_chain[-1][0].endswith("#values")
    assert "已核对无误。" in response.content.decode()
    assert stored(scene).confirmed


def test_a_stale_page_confirms_nothing(client, world, scene):
    """The value changed since the page was drawn: the panel says so, nothing is written."""
    client.force_login(world.reviewer)
    data = {**posted(stored(scene)), "value": "99999"}
    html = client.post(confirm_url(scene), data, headers=HTMX).content.decode()
    assert 'role="alert">指标“领导干部学法次数”的数值已变为' in html
    assert not IndicatorConfirmation.objects.exists() and not stored(scene).confirmed
    html = client.post(confirm_url(scene), {"indicator": "no_such"}, headers=HTMX)
    assert 'role="alert">指标：' in html.content.decode()
    assert not IndicatorConfirmation.objects.exists()


# -- crossing the boundary ---------------------------------------------------


@pytest.mark.parametrize("username", OUTSIDERS)
def test_confirm_is_404_outside_the_office(client, world, scene, username):
    client.force_login(getattr(world, username))
    for headers in (HTMX, {}):
        response = client.post(confirm_url(scene), posted(stored(scene)), headers=headers)
        assert response.status_code == 404
        assert "已核对" not in response.content.decode()
    assert not IndicatorConfirmation.objects.exists()
    assert not stored(scene).confirmed
    assert not AuditEntry.objects.filter(action="indicator.confirm").exists()


def test_user_without_access_cannot_confirm(client, world, scene):
    """The account with no role at all: the same 404 the correct view gives."""
    client.force_login(world.outsider)
    data = posted(stored(scene))
    assert client.post(confirm_url(scene), data).status_code == 404
    correct = reverse("review:correct", args=[scene.town.pk])
    assert client.post(correct, {**data, "reason": "x"}).status_code == 404
    assert not IndicatorConfirmation.objects.exists()


def test_confirm_needs_login_and_post(client, world, scene):
    response = client.post(confirm_url(scene), posted(stored(scene)))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(world.reviewer)
    assert client.get(confirm_url(scene)).status_code == 405
    assert not IndicatorConfirmation.objects.exists()
