from tests.conftest import analyze_text

FULL = """XX区2021年法治政府建设年度报告
一、主要举措和成效
全年共办理行政复议案件12件。
二、党政主要负责人履行推进法治建设第一责任人职责情况
区委书记、区长认真履行第一责任人职责,专题研究法治建设4次。
三、存在的不足和原因
一是执法人员不足,二是培训不够,主要原因是编制紧张。
四、2022年工作安排
一是制定规范性文件管理办法。
"""


def hits(text):
    return [f.message for f in analyze_text(text).findings if f.rule == "missing-part"]


def test_complete_report_has_no_finding():
    assert hits(FULL) == []


def test_each_missing_part_is_one_finding():
    text = FULL.replace(
        "三、存在的不足和原因\n一是执法人员不足,二是培训不够,主要原因是编制紧张。\n", ""
    )
    assert hits(text) == ["未找到“存在的不足和原因”部分。年度报告应包括此项内容。"]


def test_two_missing_parts_give_two_findings():
    text = FULL.split("三、")[0]
    assert len(hits(text)) == 2


def test_part_stated_inside_another_section_counts():
    text = """XX镇2021年法治政府建设年度报告
一、主要工作
全年调解纠纷120宗。镇党委书记履行推进法治建设第一责任人职责。2021年,我镇虽取得一定成效,但仍存在执法力量薄弱等问题。2022年我镇将重点做好以下工作:加强执法队伍建设。
"""
    assert hits(text) == []


def test_plan_to_do_the_duty_is_not_a_report_of_it():
    text = FULL.replace(
        "二、党政主要负责人履行推进法治建设第一责任人职责情况\n区委书记、区长认真履行第一责任人职责,专题研究法治建设4次。\n",
        "",
    ).replace(
        "一是制定规范性文件管理办法。", "一是压实党政主要负责人履行推进法治建设第一责任人职责。"
    )
    assert hits(text) == [
        "未找到“党政主要负责人履行推进法治建设第一责任人职责情况”部分。年度报告应包括此项内容。"
    ]


def test_first_responsible_before_it_was_prescribed_is_a_warning():
    report = (
        "XX区2017年法治政府建设年度报告\n一、主要举措和成效\n全年共办理行政复议案件12件。\n"
        "二、存在的问题\n执法人员不足,原因是编制紧张。\n三、2018年工作打算\n加强培训。\n"
    )
    (finding,) = [f for f in analyze_text(report).findings if f.rule == "missing-part"]
    assert finding.severity == "warning"
    assert "2019年度起为必备内容" in finding.message
    later = [
        f
        for f in analyze_text(report.replace("2017", "2020").replace("2018", "2021")).findings
        if f.rule == "missing-part"
    ]
    assert [f.severity for f in later] == ["error"]
