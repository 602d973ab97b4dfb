"""The items of the next year's plan (spec `plan_items`): what counts, where it stands."""

from __future__ import annotations

from typing import Any

import opencc
import pytest

from fazhi.pipeline import analyze_bytes, analyze_path
from tests.conftest import analyze_text

HEAD = "XX区2022年法治政府建设年度报告\n"
MEASURES = "一、主要举措和成效\n全年办理行政处罚案件236件,开展领导干部学法12次。\n"
SHORTCOMINGS = "二、存在的不足和原因\n执法力量不足,原因是编制偏紧。\n"
RESPONSIBLE = "三、党政主要负责人履行推进法治建设第一责任人职责情况\n区长研究法治工作5次。\n"
CLOSING = "XX区人民政府\n2023年2月1日"


def plan(text: str) -> list[dict[str, Any]]:
    out = analyze_text(text).to_json()
    for item in out["plan_items"]:
        # Every item's offsets slice the text it stands for.
        assert (
            out["text"][item["start"] : item["end"]].strip()
            == out["text"][item["start"] : item["end"]]
        )
        assert item["summary"] in out["text"][item["start"] : item["end"]]
    return out["plan_items"]


def report(next_year: str) -> str:
    return HEAD + MEASURES + SHORTCOMINGS + RESPONSIBLE + next_year + CLOSING


def texts(text: str) -> list[str]:
    out = analyze_text(text).to_json()
    return [out["text"][i["start"] : i["end"]] for i in out["plan_items"]]


def test_enumerated_items_each_run_to_the_next():
    text = report(
        "四、2023年工作安排\n2023年,我区将重点做好以下工作:一是3月底前完成权责清单动态调整;"
        "二是推进行政复议体制改革,年底前完成职责整合;三是深化公共法律服务体系建设。\n"
    )
    items = plan(text)
    assert [(i["kind"], i["marker"], i["summary"]) for i in items] == [
        ("enumerated", "一是", "3月底前完成权责清单动态调整"),
        ("enumerated", "二是", "推进行政复议体制改革"),
        ("enumerated", "三是", "深化公共法律服务体系建设"),
    ]
    # The lead-in is not a task; the separators between items are left out.
    assert texts(text) == [
        "一是3月底前完成权责清单动态调整",
        "二是推进行政复议体制改革,年底前完成职责整合",
        "三是深化公共法律服务体系建设。",
    ]
    assert all(i["heading"] is None for i in items)
    assert {i["section"] for i in items} == {"s4"}


def test_numbered_headings_are_the_items_with_their_bodies():
    text = report(
        "四、2023年工作安排\n2023年,我区将着力做好以下工作。\n"
        "(一)深化“放管服”改革。推进“一网通办”,年内政务服务事项网上可办率达到95%。\n"
        "(二)规范行政执法。全面落实行政执法“三项制度”,组织执法人员培训不少于4期。\n"
    )
    items = plan(text)
    assert [(i["kind"], i["marker"], i["heading"], i["summary"]) for i in items] == [
        ("heading", "(一)", "深化“放管服”改革", "深化“放管服”改革"),
        ("heading", "(二)", "规范行政执法", "规范行政执法"),
    ]
    assert (
        texts(text)[1] == "(二)规范行政执法。全面落实行政执法“三项制度”,组织执法人员培训不少于4期。"
    )


def test_arabic_numbered_headings_count_too():
    text = report(
        "四、2023年工作安排\n1.加强执法监督\n开展执法案卷评查。\n2.推进普法\n落实普法责任制。\n"
    )
    assert [(i["marker"], i["heading"]) for i in plan(text)] == [
        ("1.", "加强执法监督"),
        ("2.", "推进普法"),
    ]


def test_running_text_gives_its_committing_sentences():
    text = report(
        "四、2023年工作安排\n2023年是“八五”普法规划实施的关键之年。"
        "我区将持续推进严格规范公正文明执法;加快建设数字法治政府。"
        "相关情况另行报告。\n"
    )
    assert texts(text) == ["我区将持续推进严格规范公正文明执法", "加快建设数字法治政府。"]
    assert {i["kind"] for i in plan(text)} == {"sentence"}


def test_plan_sharing_a_section_with_the_shortcomings_starts_at_the_plan():
    text = (
        HEAD + MEASURES + RESPONSIBLE.replace("三、", "二、") + "三、存在的问题及2023年工作打算\n"
        "我区还存在一些问题:一是执法人员不足;二是普法形式单一。\n"
        "2023年,我区将做好以下工作:一是加强执法队伍建设;二是创新普法形式。\n" + CLOSING
    )
    assert texts(text) == ["一是加强执法队伍建设", "二是创新普法形式。"]


def test_headings_of_the_plan_under_a_combined_section():
    text = (
        HEAD
        + MEASURES
        + RESPONSIBLE.replace("三、", "二、")
        + "三、存在的问题和下一步打算\n(一)存在的问题\n一是执法人员不足;二是普法形式单一。\n"
        "(二)下一步打算\n一是加强执法队伍建设;二是创新普法形式。\n" + CLOSING
    )
    items = plan(text)
    assert [i["heading"] for i in items] == ["下一步打算"]


def test_a_report_without_a_plan_has_no_items():
    text = HEAD + MEASURES + SHORTCOMINGS + "执法人员将加强学习的意见已转有关部门。\n" + CLOSING
    out = analyze_text(text)
    assert not out.parts["next_year"].present
    assert out.to_json()["plan_items"] == []


def test_commitments_in_the_measures_are_not_plan_items():
    # 将 and 推进 in an account of the year's work state no plan.
    text = report("四、2023年工作安排\n一是加强培训。\n").replace(
        "全年办理", "我区将执法工作推进到基层,全年办理"
    )
    assert texts(text) == ["一是加强培训。"]


def test_words_that_only_look_like_commitments():
    text = report("四、2023年工作安排\n主要任务按照上级要求另行明确。重要事项及时报告。\n")
    assert plan(text) == []


def test_seed_plans(seeds):
    def summaries(key: str) -> list[str]:
        return [i["summary"] for i in analyze_path(seeds[key]).to_json()["plan_items"]]

    # 000: the (一)(二)(三) of "存在的主要问题及2021年工作设想", not its 一是 of problems.
    assert summaries("000") == [
        "开展政府法律服务体系探索",
        "加强行政执法队伍建设,规范行政执法程序",
        "加大重大行政决策法制保障",
    ]
    assert summaries("002")[0] == "重大行政决策须要追求科学化、民主化、法治化"
    assert len(summaries("002")) == 3
    # 003: one long paragraph of clauses, each a task.
    assert len(summaries("003")) == 9
    assert summaries("003")[4] == "深化行政复议体制机制改革。"


@pytest.mark.parametrize("key", ["000", "002", "003"])
def test_traditional_copy_has_the_same_items_as_written(seeds, key):
    simplified = analyze_path(seeds[key]).to_json()
    converter = opencc.OpenCC("s2t")
    copy = converter.convert(seeds[key].read_text(encoding="utf-8")).encode("utf-8")
    traditional = analyze_bytes(seeds[key].name, copy).to_json()
    assert [(i["start"], i["end"], i["kind"]) for i in traditional["plan_items"]] == [
        (i["start"], i["end"], i["kind"]) for i in simplified["plan_items"]
    ]
    for item, seed_item in zip(traditional["plan_items"], simplified["plan_items"], strict=True):
        assert item["summary"] == converter.convert(seed_item["summary"])
