"""What changed between two versions."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from fazhi_web.reports import diff as diffing
from fazhi_web.reports import services
from fazhi_web.reports.models import ReportVersion
from fazhi_web.reports.tests.conftest import REPORT_TEXT

ADDED = "五、其他需要报告的情况"


def test_text_diff_marks_added_and_removed_paragraphs():
    lines = diffing.text_diff("甲\n乙\n丙\n", "甲\n丙\n丁\n")
    kinds = [(line.kind, line.text) for line in lines if line.kind != "hunk"]
    assert ("removed", "乙") in kinds
    assert ("added", "丁") in kinds
    assert ("context", "甲") in kinds


def test_text_diff_shows_changed_characters_inside_an_edited_paragraph():
    lines = diffing.text_diff("全年开展行政检查320次。\n", "全年开展行政检查350次。\n")
    removed = next(line for line in lines if line.kind == "removed")
    added = next(line for line in lines if line.kind == "added")
    assert (True, "2") in removed.pieces
    assert (True, "5") in added.pieces


def test_text_diff_of_equal_texts_is_empty():
    assert diffing.text_diff(REPORT_TEXT, REPORT_TEXT) == []


def _v(number, submitted):
    return ReportVersion(number=number, submitted_at=timezone.now() if submitted else None)


def test_default_pair():
    assert diffing.default_pair([_v(1, False)]) is None
    v1, v2, v3 = _v(1, True), _v(2, False), _v(3, True)
    # After a re-submission: the last two submitted versions.
    assert diffing.default_pair([v1, v2, v3]) == (v1, v3)
    # While revising a returned report: the latest against what was submitted.
    v4 = _v(4, False)
    assert diffing.default_pair([v1, v2, v3, v4]) == (v3, v4)
    # Nothing submitted yet: latest against previous.
    w1, w2 = _v(1, False), _v(2, False)
    assert diffing.default_pair([w1, w2]) == (w1, w2)


def test_diff_page_shows_an_added_line_and_the_analysis_changes(client, world, obligation):
    first = REPORT_TEXT.replace("三、存在的不足和原因\n", "").replace(
        "一是执法人员专业素质有待提高;二是普法宣传形式较为单一。原因在于培训投入不足。\n", ""
    )
    services.paste_version(world.reporter, obligation, first)
    services.paste_version(world.reporter, obligation, REPORT_TEXT + ADDED + "\n无。\n")
    client.force_login(world.reporter)
    response = client.get(reverse("reports:diff", args=[obligation.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<p class="added">{ADDED}</p>' in page
    assert "第1版 → 第2版" in page
    # Parts presence: 不足 came in, so the row is marked as changed.
    assert '<tr class="changed"><td>存在的不足和原因</td><td>无</td><td>有</td></tr>' in page
    v1, v2 = ReportVersion.objects.order_by("number")
    assert f"{v1.score:g}" in page and f"{v2.score:g}" in page


def test_diff_page_shows_a_removed_line(client, world, obligation):
    services.paste_version(world.reporter, obligation, REPORT_TEXT)
    services.paste_version(
        world.reporter,
        obligation,
        REPORT_TEXT.replace("镇党委书记、镇长带头学法,亲自部署法治政府建设重点任务。\n", ""),
    )
    client.force_login(world.reporter)
    page = client.get(reverse("reports:diff", args=[obligation.pk])).content.decode()
    assert '<p class="removed">镇党委书记、镇长带头学法,亲自部署法治政府建设重点任务。</p>' in page


def test_diff_page_with_chosen_versions(client, world, obligation):
    for i in range(3):
        services.paste_version(world.reporter, obligation, REPORT_TEXT + f"第{i}次补充\n")
    client.force_login(world.reviewer)
    page = client.get(
        reverse("reports:diff", args=[obligation.pk]), {"a": 1, "b": 3}
    ).content.decode()
    assert "第1版 → 第3版" in page
    assert '<p class="added">第<ins>2</ins>次补充</p>' in page


def test_diff_page_unknown_version_is_404(client, world, obligation):
    services.paste_version(world.reporter, obligation, REPORT_TEXT)
    client.force_login(world.reporter)
    url = reverse("reports:diff", args=[obligation.pk])
    assert client.get(url, {"a": 1, "b": 7}).status_code == 404
    assert client.get(url, {"a": "x", "b": 1}).status_code == 404


def test_diff_page_with_one_version(client, world, obligation):
    services.paste_version(world.reporter, obligation, REPORT_TEXT)
    client.force_login(world.reporter)
    page = client.get(reverse("reports:diff", args=[obligation.pk])).content.decode()
    assert "暂无可比较的修改" in page


def test_hunk_headers_count_paragraphs_like_a_reader():
    lines = diffing.text_diff("甲\n乙\n", "甲\n乙\n丙\n")
    assert lines[0].kind == "hunk"
    assert lines[0].text == "原第2段 → 新第2–3段"
    assert diffing.text_diff("甲\n", "乙\n甲\n")[0].text == "原第1段 → 新第1–2段"
    assert diffing.text_diff("", "甲\n")[0].text == "原开头 → 新第1段"
