"""The matcher on short reports: what counts as reported, partly, not mentioned."""

from __future__ import annotations

from typing import Any

import opencc

from fazhi.pipeline import analyze_bytes
from fazhi_web.followup.matching import NOT_MENTIONED, PARTLY, REPORTED, follow_up, grams

LAST = """东江市南湖区清河镇2022年法治政府建设年度报告
一、主要举措和成效
(一)加强组织领导。镇党委研究法治建设工作3次。
二、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记带头学法。
三、存在的不足和原因
一是执法人员不足;二是普法形式单一。
四、2023年推进法治政府建设的主要安排
(一)建设镇公共法律服务工作站。完成镇公共法律服务工作站标准化改造,实现村(社区)法律顾问全覆盖。
(二)新建法治文化公园。在镇中心区新建法治文化公园1个。
(三)加强行政执法人员培训。组织执法人员培训不少于6次,开展执法案卷评查。
东江市南湖区清河镇人民政府
2023年1月20日
"""

THIS = """东江市南湖区清河镇2023年法治政府建设年度报告
一、主要举措和成效
(一)公共法律服务更加便民。镇公共法律服务工作站完成标准化改造,全镇18个村(社区)均配备法律顾问。
(二)执法更加规范。全年开展执法案卷评查2次,评查案卷60宗。
二、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记带头学法。
三、存在的不足和原因
执法人员专业素质有待提高。
四、2024年推进法治政府建设的主要安排
一是新建法治文化公园;二是加强行政执法人员培训。
东江市南湖区清河镇人民政府
2024年1月20日
"""


def analysis(text: str) -> dict[str, Any]:
    return analyze_bytes("t.txt", text.encode()).to_json()


def by_summary(last: str, this: str) -> dict[str, Any]:
    return {f.item["summary"]: f for f in follow_up(analysis(last), analysis(this))}


def test_items_are_reported_partly_or_not_mentioned():
    found = by_summary(LAST, THIS)
    assert {s: f.status for s, f in found.items()} == {
        "建设镇公共法律服务工作站": REPORTED,
        # Only the 案卷评查 of the item comes back; the training does not.
        "加强行政执法人员培训": PARTLY,
        # Promised again in this year's plan, which is not a report that it was done.
        "新建法治文化公园": NOT_MENTIONED,
    }


def test_a_reported_item_points_at_its_passage():
    this = analysis(THIS)
    item = by_summary(LAST, THIS)["建设镇公共法律服务工作站"]
    assert item.passage is not None
    start, end = item.passage
    assert "公共法律服务工作站完成标准化改造" in this["text"][start:end]
    assert item.text.startswith("(一)建设镇公共法律服务工作站。")


def test_an_item_not_mentioned_has_no_passage():
    assert by_summary(LAST, THIS)["新建法治文化公园"].passage is None


def test_a_report_without_a_plan_gives_nothing_to_follow():
    no_plan = LAST.split("四、")[0] + "东江市南湖区清河镇人民政府\n2023年1月20日\n"
    assert follow_up(analysis(no_plan), analysis(THIS)) == []


def test_a_report_in_running_text_is_read_whole():
    this = "清河镇2023年法治政府建设工作总结\n今年镇公共法律服务工作站完成标准化改造,全镇村(社区)均配备法律顾问。\n"
    found = {f.item["summary"]: f.status for f in follow_up(analysis(LAST), analysis(this))}
    assert found["建设镇公共法律服务工作站"] == REPORTED
    assert found["新建法治文化公园"] == NOT_MENTIONED


def test_task_words_do_not_make_a_match():
    # 加强 and 推进 say that something will be done, not what.
    assert grams("加强推进") == set()
    assert grams("加强执法培训") == {"执法", "法培", "培训"}


def test_a_traditional_script_report_is_matched_as_its_simplified_form():
    to_traditional = opencc.OpenCC("s2t").convert
    simplified = follow_up(analysis(LAST), analysis(THIS))
    # Last year's report saved from a 繁體 page, this year's from a simplified one, and
    # the other way round.
    for last, this in ((to_traditional(LAST), THIS), (LAST, to_traditional(THIS))):
        found = follow_up(analysis(last), analysis(this))
        assert [f.status for f in found] == [f.status for f in simplified]
        assert [f.passage for f in found] == [f.passage for f in simplified]
    # The item is shown as written.
    found = follow_up(analysis(to_traditional(LAST)), analysis(THIS))
    assert found[0].text == to_traditional(simplified[0].text)
