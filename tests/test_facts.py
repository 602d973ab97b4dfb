"""Facts as the spec defines them, on short texts."""

from decimal import Decimal

import pytest

from tests.conftest import analyze_text


def facts(text):
    doc = analyze_text(text)
    return [(f.text, f.value, f.unit, f.qualifier) for f in doc.facts]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("全年共受理12345热线3134单。", ("3134单", 3134, "单", None)),
        ("提供法律意见共百余次。", ("百余次", 100, "次", "余")),
        ("公开执法信息共7000余条。", ("7000余条", 7000, "条", "余")),
        ("汇总信用数据32.3万条。", ("32.3万条", 323000, "条", None)),
        ("近2万人关注阅读。", ("近2万人", 20000, "人", "近")),
        ("成功化解率为98.1%。", ("98.1%", Decimal("98.1"), "%", None)),
        ("服务群众两万余人次。", ("两万余人次", 20000, "人次", "余")),
        ("开办时间压缩至0.5个工作日。", ("0.5个工作日", Decimal("0.5"), "个工作日", None)),
        ("接待来访超3000宗。", ("超3000宗", 3000, "宗", "超")),
        ("服务企业2800多家。", ("2800多家", 2800, "家", "多")),
        ("罚没款20余万。", ("20余万", 200000, "", "余")),
        ("每月举办100场以上。", ("100场以上", 100, "场", "以上")),
    ],
)
def test_stated_quantities(sentence, expected):
    assert facts(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "2020年以来,我局全面推进依法行政。",
        "印发通知(雄法治办〔2022〕17号)。",
        "在市委全面依法治市委员会第四次会议上传达。",
        "在市委十四届第15次常委会会议上传达学习。",
        "在市政府第十六届7次常务会议上学法。",
        "一是加强领导。二是完善制度。",
        "(三)加强执法监督。",
        "全面推行行政执法三项制度。",
        "推进“一规划两纲要”落实。",
        "深化“1+2+N”基层社会治理模式。",
        "编印《行政执法100问》供学习。",
        "整合12345政府服务热线。",
        "2022年4月,在会议上集体学习。",
        "实现“24小时快速响应”。",
    ],
)
def test_not_facts(sentence):
    assert facts(sentence) == []


def test_distributive_statement_gives_one_fact_per_subject():
    doc = analyze_text("办理人大代表建议133件,按时办复率和代表满意率均达100%。")
    rates = [f for f in doc.facts if f.unit == "%"]
    assert [f.subject for f in rates] == ["按时办复率", "代表满意率"]
    assert all(f.value == 100 for f in rates)
    assert doc.indicators["proposal_on_time_rate"] == doc.facts.index(rates[0])


def test_stated_zero_is_a_fact_with_its_indicator():
    doc = analyze_text("处理行政诉讼案件4宗、民事诉讼案件3宗、无行政复议案件。")
    zero = [f for f in doc.facts if f.value == 0]
    assert [f.text for f in zero] == ["无行政复议案件"]
    assert zero[0].indicator == "reconsideration_received"
    assert doc.facts[doc.indicators["administrative_litigation"]].value == 4


def test_subject_and_follow_on_clause():
    doc = analyze_text("全年共受理12345热线3134单,已办结3019单。")
    received, closed = doc.facts
    assert received.subject == "12345热线"
    assert received.indicator == "hotline_received"
    assert closed.indicator == "hotline_closed"


def test_indicator_keeps_report_wide_total_not_sub_item():
    doc = analyze_text(
        "2021年,镇综治中心共接收信访事项541宗,其中属于信访受理范围的事项共118宗,已办结118宗。"
    )
    assert doc.facts[doc.indicators["petitions_received"]].value == 541
    assert doc.facts[doc.indicators["petitions_resolved"]].value == 118


def test_classifier_counts_the_noun_that_follows():
    doc = analyze_text("目前共梳理涉及16个部门4141个事项。")
    assert [(f.value, f.subject) for f in doc.facts] == [(16, "部门"), (4141, "事项")]


def test_comparison_table_keeps_the_report_year_column():
    doc = analyze_text(
        "金山区2023年法治政府建设年度报告\n一、主要举措和成效\n"
        "项目 2022年 2023年\n行政复议收案 120件 96件\n行政诉讼案件 40件 52件\n"
    )
    stated = {k: doc.facts[i].value for k, i in doc.indicators.items()}
    assert stated["reconsideration_received"] == 96
    assert stated["administrative_litigation"] == 52


def test_subject_after_the_measure_when_none_stands_before():
    doc = analyze_text("XX区2022年法治政府建设年度报告\n全年共召开6次常务会议。")
    assert [f.subject for f in doc.facts] == ["常务会议"]


def test_no_application_received_is_a_stated_zero():
    doc = analyze_text("XX区2022年法治政府建设年度报告\n全年未收到行政复议申请。")
    stated = {k: doc.facts[i].value for k, i in doc.indicators.items()}
    assert stated == {"reconsideration_received": 0}


def test_rounds_are_one_measure():
    assert facts("XX区2022年法治政府建设年度报告\n培训3轮次、覆盖1.5万人。") == [
        ("3轮次", Decimal(3), "轮次", None),
        ("1.5万人", Decimal(15000), "人", None),
    ]


def test_reported_for_filing_is_filing():
    doc = analyze_text(
        "XX县2022年法治政府建设年度报告\n一、主要举措和成效\n全年报备规范性文件12件,报备率100%。"
    )
    assert [f.indicator for f in doc.facts] == [
        "normative_docs_filed",
        "normative_docs_filing_rate",
    ]


def test_visits_are_petitions():
    doc = analyze_text(
        "XX县2022年法治政府建设年度报告\n一、主要举措和成效\n全年接待群众来访320批次,化解312批次。"
    )
    assert [f.indicator for f in doc.facts] == ["petitions_received", "petitions_resolved"]


def test_up_to_a_round_number():
    assert facts("XX区2022年法治政府建设年度报告\n开展送法下乡上百场,上千人参加。") == [
        ("上百场", Decimal(100), "场", "约"),
        ("上千人", Decimal(1000), "人", "约"),
    ]


@pytest.mark.parametrize(
    ("sentence", "indicator"),
    [
        ("全年共审查各类合同协议156份。", "legality_reviews"),
        ("签订合同156份。", None),
        ("法律顾问审查合同120份。", "legal_advisor_opinions"),
        ("出具法律意见书45份。", "legal_advisor_opinions"),
    ],
)
def test_contract_reviews_and_legal_opinions(sentence, indicator):
    doc = analyze_text(f"XX县2022年法治政府建设年度报告\n一、主要举措和成效\n{sentence}")
    assert [f.indicator for f in doc.facts] == [indicator]


def test_number_before_a_change_counts_what_precedes_it():
    doc = analyze_text(
        "XX省2019年法治政府建设年度报告\n一、主要举措和成效\n"
        "省级行政许可事项由原来的356项精简至210项。"
    )
    assert doc.facts[0].subject == "省级行政许可事项"
