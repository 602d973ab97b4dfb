"""The heading tree on short texts: marker forms the seeds do not use."""

from tests.conftest import analyze_text


def outline(text):
    doc = analyze_text(text)
    return [(s.marker, s.title, s.part) for s in doc.sections]


def test_chinese_numeral_with_a_full_stop_is_a_heading():
    assert outline(
        "XX区2022年法治政府建设年度报告\n一.主要举措和成效\n开展学法12次。\n"
        "二.存在的不足和原因\n能力不足,原因是培训少。\n四.2023年工作安排\n推进执法。"
    ) == [
        ("一.", "主要举措和成效", "measures"),
        ("二.", "存在的不足和原因", "shortcomings"),
        ("四.", "2023年工作安排", "next_year"),
    ]


def test_short_report_joined_into_one_line_gets_its_headings():
    assert [
        m
        for m, _, _ in outline(
            "西岭区2021年法治政府建设年度报告 2021年,西岭区扎实推进法治政府建设。 "
            "一、主要举措和成效 (一)深化改革。区级政务服务事项1203项。 "
            "二、存在的不足和原因 部分执法人员能力不足。"
        )
    ] == ["一、", "(一)", "二、"]


def test_parts_numbered_as_parts():
    assert [
        p
        for _, _, p in outline(
            "XX县2019年法治政府建设年度报告\n第一部分 2019年工作情况\n正文。\n"
            "第二部分 存在问题\n正文。\n第三部分 2020年工作打算\n正文。"
        )
    ] == ["measures", "shortcomings", "next_year"]


def test_part_headings_that_lost_their_numbers():
    text = (
        "石门县2022年法治政府建设年度报告\n2022年,石门县扎实推进法治政府建设,现报告如下。\n"
        "主要举措和成效\n全年办理行政处罚案件236件。\n存在的不足和原因\n执法力量不足,原因是编制偏紧。\n"
        "党政主要负责人履行推进法治建设第一责任人职责情况\n县长研究法治工作5次。\n"
        "2023年工作安排\n推进执法规范化。\n石门县人民政府\n2023年2月1日"
    )
    assert [p for _, _, p in outline(text)] == [
        "measures",
        "shortcomings",
        "first_responsible",
        "next_year",
    ]


def test_one_short_line_is_not_a_structure():
    assert outline("XX县2022年法治政府建设年度报告\n正文一段。\n取得明显成效\n正文二段。") == []


def test_suggestions_and_other_questions_are_other_matters():
    parts = [
        p
        for _, _, p in outline(
            "XX县2021年法治政府建设年度报告\n一、主要举措和成效\n正文。\n二、存在的问题及原因分析\n正文。\n"
            "三、今后工作思路\n正文。\n四、意见建议\n正文。\n五、其他需要说明的问题\n无。"
        )
    ]
    assert parts == ["measures", "shortcomings", "next_year", "other", "other"]


def test_one_heading_after_a_full_stop_and_a_space_starts_a_line():
    assert [
        m
        for m, _, _ in outline(
            "XX局2020年法治政府建设年度报告\n一、主要举措和成效\n"
            "(三)完善制度。办结规范性文件28份。 (四)规范执法行为,促进提升依法行政水平 一是改革。"
        )
    ] == ["一、", "(三)", "(四)"]


def test_combined_section_splits_between_shortcomings_and_plan():
    doc = analyze_text(
        "XX局2020年法治政府建设年度报告\n一、主要举措和成效\n全年办理案件12件。\n"
        "二、存在问题和下一步工作思路\n"
        "我局仍存在一些问题和不足,法治宣传教育有待深入开展。\n"
        "2021年是“十四五”开局之年,我局将继续推进法治政府建设,加强执法监督。"
    )
    shortcomings, plan = doc.parts["shortcomings"], doc.parts["next_year"]
    ((a, b),) = shortcomings.spans
    ((c, d),) = plan.spans
    assert b == c
    assert doc.text[c:d].startswith("2021年是")
    assert "有待深入开展" in doc.text[a:b]
