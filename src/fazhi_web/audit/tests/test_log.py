"""The audit log page: scoped like every other read, escaped, paginated, read-only."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from fazhi_web.audit.log import record
from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports.services import open_year

NOTE = "test.note"


@pytest.fixture
def entries(world):
    """One entry on each unit, named after it, plus an office-level one.

    Their action is none the log has a sentence for, so it shows the summary as written.
    """
    for unit in (
        world.city,
        world.district,
        world.town,
        world.bureau,
        world.other_city,
        world.other_town,
    ):
        record(world.admin, NOTE, f"修改了{unit.name}的信息", unit=unit)
    open_year(world.admin, world.city, 2023)


def summaries(response) -> str:
    return response.content.decode()


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_user_without_role_is_refused(client, world, entries):
    client.force_login(world.outsider)
    response = client.get(reverse("audit:log"))
    assert response.status_code == 403
    assert "修改了" not in response.content.decode()


def test_admin_sees_own_units_only(client, world, entries):
    client.force_login(world.admin)
    body = summaries(client.get(reverse("audit:log")))
    for name in ("东江市", "东江市南湖区", "南湖区清河镇", "东江市司法局"):
        assert f"修改了{name}的信息" in body
    assert "修改了西山市" not in body
    assert "开启 2023 年度报告" in body


def test_other_reviewer_sees_nothing_of_the_city(client, world, entries):
    client.force_login(world.other_reviewer)
    body = summaries(client.get(reverse("audit:log")))
    assert "修改了西山市白石镇的信息" in body
    assert "东江" not in body and "清河镇" not in body


def test_reviewer_sees_below_and_the_offices_cycle(client, world, entries):
    client.force_login(world.reviewer)
    body = summaries(client.get(reverse("audit:log")))
    assert "修改了南湖区清河镇的信息" in body and "开启 2023 年度报告" in body
    # The office's own unit entries other than its cycle are not a reviewer's business.
    assert "修改了东江市的信息" not in body
    assert "西山市" not in body


def test_reporter_sees_own_unit_only(client, world, entries):
    client.force_login(world.reporter)
    body = summaries(client.get(reverse("audit:log")))
    assert "修改了南湖区清河镇的信息" in body
    assert "修改了东江市南湖区的信息" not in body and "开启 2023 年度报告" not in body
    client.force_login(world.other_reporter)
    body = summaries(client.get(reverse("audit:log")))
    assert "修改了西山市白石镇的信息" in body and "清河镇" not in body


def test_filters(client, world, entries):
    client.force_login(world.admin)
    body = summaries(client.get(reverse("audit:log"), {"action": "year.open"}))
    assert "开启 2023 年度报告" in body and "修改了南湖区清河镇的信息" not in body
    body = summaries(client.get(reverse("audit:log"), {"unit": world.district.pk}))
    assert "修改了东江市南湖区的信息" in body and "修改了南湖区清河镇的信息" not in body
    body = summaries(client.get(reverse("audit:log"), {"unit": world.district.pk, "below": "1"}))
    assert "修改了东江市南湖区的信息" in body and "修改了南湖区清河镇的信息" in body
    assert "修改了东江市司法局的信息" not in body
    # Naming a unit out of scope shows nothing rather than its entries.
    body = summaries(client.get(reverse("audit:log"), {"unit": world.other_town.pk}))
    assert "修改了西山市白石镇" not in body and "没有符合条件的记录" in body
    # The unit filter only offers units the user can see entries of.
    body = summaries(client.get(reverse("audit:log")))
    assert f'value="{world.other_town.pk}"' not in body


def test_newest_first_and_paginated(client, world):
    for i in range(120):
        record(world.admin, NOTE, f"第{i:03d}条", unit=world.town)
    client.force_login(world.admin)
    # The admin's login is an entry too; the filter leaves the 120.
    only = {"action": NOTE}
    body = summaries(client.get(reverse("audit:log"), only))
    assert "共 120 条" in body and "第119条" in body and "第069条" not in body
    assert body.index("第119条") < body.index("第070条")
    assert "第 1/3 页" in body and "page=2" in body
    body = summaries(client.get(reverse("audit:log"), {**only, "page": 3}))
    assert "第019条" in body and "第000条" in body and "第020条" not in body
    assert body.count("<tr>") == 1 + 20


def test_details_are_labelled_in_chinese_and_escaped(client, world):
    record(
        world.admin,
        "unit.update",
        "<script>alert('summary')</script>",
        unit=world.town,
        before={"name": "<b>旧</b>", "level": "town", "parent_id": 3},
        after={"name": "</pre><script>alert(1)</script>", "level": "county", "parent_id": 3},
    )
    client.force_login(world.admin)
    body = summaries(client.get(reverse("audit:log")))
    assert "<script>alert" not in body and "<b>旧</b>" not in body
    # The sentence is built from the values, escaped; the level is named, not coded.
    assert (
        "<strong>赵管理</strong> 修改单位 &lt;b&gt;旧&lt;/b&gt;：名称 由 &lt;b&gt;旧&lt;/b&gt; 改为 "
        "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt；层级 由 乡镇（街道） 改为 县级"
    ).replace("&gt；", "&gt;；") in body
    assert "<summary>详情</summary>" in body
    assert "<td>名称</td><td>&lt;b&gt;旧&lt;/b&gt;</td>" in body
    # Internal ids and JSON are not shown.
    main = body.split("<main", 1)[1]
    assert "parent_id" not in main and "&quot;name&quot;" not in main and "{" not in main


def test_log_is_read_only_on_the_web(client, world, entries):
    client.force_login(world.admin)
    assert client.post(reverse("audit:log"), {"action": "x"}).status_code == 405
    for name in ("audit:edit", "audit:delete", "audit:update", "audit:hide"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1])
    assert AuditEntry.objects.exclude(action="login").count() == 7
