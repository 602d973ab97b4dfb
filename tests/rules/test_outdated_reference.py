from tests.conftest import analyze_text


def hits(year, sentence):
    doc = analyze_text(f"XX区{year}年法治政府建设年度报告\n{sentence}")
    return [doc.text[f.start : f.end] for f in doc.findings if f.rule == "outdated-reference"]


def test_old_outline_in_a_later_report():
    assert hits(2022, "我区深入贯彻《法治政府建设实施纲要(2015-2020年)》。") == [
        "法治政府建设实施纲要(2015-2020年)"
    ]


def test_old_outline_in_its_own_period_is_fine():
    assert hits(2020, "我区深入贯彻《法治政府建设实施纲要(2015—2020年)》。") == []


def test_closing_an_old_plan_is_not_citing_it():
    assert hits(2021, "圆满完成《法治政府建设实施纲要(2015-2020年)》各项任务,做好总结评估。") == []


def test_expired_local_plan_by_its_period():
    assert hits(2022, "落实《东莞市法治政府建设规划(2016-2020年)》要求。") == [
        "《东莞市法治政府建设规划(2016-2020年)》"
    ]


def test_repealed_laws_after_the_civil_code():
    assert hits(2021, "开展《中华人民共和国合同法》宣传。") == ["《中华人民共和国合同法》"]
    assert hits(2021, "开展《中华人民共和国劳动合同法》宣传。") == []
    assert hits(2020, "开展《中华人民共和国合同法》宣传。") == []


def test_petition_regulation_replaced():
    assert hits(2023, "严格执行《信访条例》。") == ["《信访条例》"]
    assert hits(2023, "严格执行《信访工作条例》。") == []


def test_current_outline_is_fine():
    assert hits(2022, "对标《法治政府建设实施纲要(2021-2025年)》。") == []


def test_eighth_legal_education_plan_after_its_period():
    assert hits(2026, "深入实施“八五”普法规划。") == ["“八五”普法规划"]
    assert hits(2024, "深入实施“八五”普法规划。") == []


def test_reconsideration_implementing_regulation_is_still_in_force():
    assert hits(2025, "严格执行《中华人民共和国行政复议法实施条例》。") == []
