"""The portal as a 政务公开 专栏: the metadata of a published report, its page, search help."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi_web.audit.models import AuditEntry
from fazhi_web.audit.wording import changes
from fazhi_web.portal import publication
from fazhi_web.portal.models import Publication
from fazhi_web.portal.views import _blocks, suggestions
from fazhi_web.reports.services import ActionRefused
from fazhi_web.review import services as review_services
from fazhi_web.stats.tests.build import open_years, published, submitted

YEAR = 2021
pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(world, seed_bytes):
    open_years(world, YEAR)
    ob = submitted(world, world.town, YEAR, seed_bytes["002"])
    review_services.approve(world.reviewer, ob)
    return ob


def code_of(ob) -> str:
    return f"{ob.unit_id:010d}"


def test_proposal_numbers_by_unit_year_and_sequence(world, filed):
    this_year = timezone.localdate().year
    fields = publication.propose(filed)
    assert fields.index_number == f"{code_of(filed)}/{this_year}-000001"
    # The issuer and the 成文日期 as the engine read them from the report's end.
    assert fields.issuer == "东莞市清溪镇人民政府"
    assert fields.written_on == dt.date(2022, 1, 21)
    assert fields.topic == publication.DEFAULT_TOPIC
    # Numbers already given are not reused.
    Publication.objects.create(
        obligation=filed, index_number=f"{code_of(filed)}/{this_year}-000007", issuer="x", topic="y"
    )
    assert publication.next_index_number(code_of(filed), this_year).endswith("-000008")


def test_publish_stores_what_the_reviewer_confirmed(client, world, filed):
    client.force_login(world.reviewer)
    page = client.get(reverse("review:report", args=[filed.pk])).content.decode()
    proposed = publication.propose(filed)
    assert f'name="index_number" value="{proposed.index_number}"' in page
    response = client.post(
        reverse("review:publish", args=[filed.pk]),
        {
            "index_number": "11441900007071234X/2022-000031",
            "issuer": "东莞市清溪镇人民政府",
            "topic": "综合政务\\政务公开",
            "written_on": "2022-01-21",
        },
        follow=True,
    )
    assert "已公开" in response.content.decode()
    stored = Publication.objects.get(obligation=filed)
    assert stored.index_number == "11441900007071234X/2022-000031"
    assert stored.written_on == dt.date(2022, 1, 21)
    entry = AuditEntry.objects.get(action="obligation.publish")
    assert entry.after["index_number"] == stored.index_number
    labels = {c.label for c in changes(entry)}
    assert {"索引号", "发布机构", "主题分类", "成文日期"} <= labels


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("index_number", "随便写的", "索引号格式应为"),
        ("issuer", "   ", "发布机构"),
        ("written_on", "2999-01-01", "成文日期不能晚于今天"),
    ],
)
def test_bad_metadata_is_refused_and_nothing_is_published(
    client, world, filed, field, value, message
):
    data = {
        "index_number": "0000000001/2022-000001",
        "issuer": "清溪镇人民政府",
        "topic": "综合政务",
        "written_on": "",
    } | {field: value}
    client.force_login(world.reviewer)
    response = client.post(reverse("review:publish", args=[filed.pk]), data, follow=True)
    assert message in response.content.decode()
    filed.refresh_from_db()
    assert filed.state == "filed" and not Publication.objects.exists()


def test_an_index_number_is_never_given_twice(world, filed, seed_bytes):
    other = submitted(world, world.bureau, YEAR, seed_bytes["004"])
    review_services.approve(world.reviewer, other)
    review_services.publish(world.reviewer, filed)
    taken = Publication.objects.get(obligation=filed).index_number
    fields = publication.Fields(taken, "东江市司法局", "综合政务", None)
    with pytest.raises(ActionRefused, match="已被其他报告使用"):
        review_services.publish(world.reviewer, other, fields)
    other.refresh_from_db()
    assert other.state == "filed"


def test_report_page_shows_the_metadata_and_no_score(client, world, filed):
    review_services.publish(world.reviewer, filed)
    meta = Publication.objects.get(obligation=filed)
    filed.refresh_from_db()
    html = client.get(reverse("portal:report", args=[filed.pk])).content.decode()
    for label in ("索引号", "发布机构", "成文日期", "发布日期", "主题分类"):
        assert f'<th scope="row">{label}</th>' in html
    assert meta.index_number in html and "2022年1月21日" in html
    published_on = timezone.localdate(filed.published_at)
    assert f"{published_on.year}年{published_on.month}月{published_on.day}日" in html
    assert "得分" not in html and "✗" not in html and 'class="missing"' not in html
    # Headings of the text are headings; a heading that runs into its paragraph is bold.
    assert re.search(r'<h2 class="report-heading" id="s1">一、加强党对法治建设的领导', html)
    assert '<strong class="run-in">(一)深入学习贯彻习近平法治思想。</strong>专题传达' in html
    # The title is the page's heading, not repeated as the text's first paragraph.
    assert "<h1>清溪镇2021年法治政府建设年度报告</h1>" in html
    assert "清溪镇2021年法治政府建设年度报告</p>" not in html
    assert "附件：" in html and "清溪镇2021年法治政府建设年度报告.txt" in html


def test_index_lists_no_score(client, world, filed):
    review_services.publish(world.reviewer, filed)
    html = client.get(reverse("portal:index")).content.decode()
    assert "得分" not in html and "发布日期" in html


def test_blocks_follow_the_section_offsets():
    text = "某某报告\n一、总体情况\n(一)学习。全年学习12次。\n正文一段。"
    sections = [
        {"id": "s1", "parent": None, "marker": "一、", "title": "总体情况", "start": 5},
        {"id": "s2", "parent": "s1", "marker": "(一)", "title": "学习", "start": 12},
    ]
    blocks = _blocks(text, sections, "某某报告")
    assert [(b["heading"], b["text"], b["level"], b["anchors"]) for b in blocks] == [
        ("一、总体情况", "", 2, ["s1"]),
        ("(一)学习。", "全年学习12次。", 3, ["s2"]),
        ("", "正文一段。", 0, []),
    ]


def test_nothing_found_says_what_to_try(client, world, filed):
    review_services.publish(world.reviewer, filed)
    response = client.get(reverse("portal:index"), {"q": "量子纠缠通信", "year": "2019"})
    html = response.content.decode()
    assert 'id="nothing-found"' in html and "错别字" in html
    queries = [s["query"] for s in response.context["suggestions"]]
    # First without the filters, then with fewer words, then common words.
    assert queries[0] == "q=%E9%87%8F%E5%AD%90%E7%BA%A0%E7%BC%A0%E9%80%9A%E4%BF%A1"
    assert any("检索常用词" in s["text"] for s in response.context["suggestions"])
    # Following a common word's suggestion finds the report.
    common = next(s for s in response.context["suggestions"] if "行政复议" in s["text"])
    found = client.get(reverse("portal:index") + "?" + common["query"])
    assert found.context["rows"]
    assert (
        suggestions("", "", "", "", "")
        and "清除筛选条件" in suggestions("", "x", "", "", "")[0]["text"]
    )


def test_public_statistics_say_their_year_and_default_to_the_latest(client, world, seed_bytes):
    open_years(world, YEAR, YEAR + 1)
    published(world, world.town, YEAR, seed_bytes["002"])
    published(world, world.town, YEAR + 1, seed_bytes["001"])
    response = client.get(reverse("portal:stats"))
    assert response.context["year"] == YEAR + 1
    assert (
        f"本页统计的是{YEAR + 1}年度的报告（已公开报告的最新年度），共1份。"
        in response.content.decode()
    )
    earlier = client.get(reverse("portal:stats"), {"year": YEAR}).content.decode()
    assert f"本页统计的是{YEAR}年度的报告，共1份。" in earlier
