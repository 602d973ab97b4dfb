"""Metadata on short texts: level of a 市, dates in Chinese numerals, joint signatures."""

from tests.conftest import analyze_text


def meta(text):
    return analyze_text(text).meta


def test_city_that_governs_towns_is_county_level():
    m = meta(
        "南雄市2022年法治政府建设年度报告\n"
        "2022年,我市推进各镇(街道)综合行政执法改革,指导各镇(街道)规范执法。\n"
        "南雄市人民政府\n2023年1月31日"
    )
    assert m.level == "county"


def test_city_that_governs_counties_is_a_city():
    m = meta(
        "韶关市2022年法治政府建设年度报告\n"
        "2022年,全市各县(市、区)推进各镇(街道)综合行政执法改革,指导各镇(街道)规范执法。\n"
        "韶关市人民政府\n2023年1月31日"
    )
    assert m.level == "city"


def test_date_in_chinese_numerals():
    m = meta("XX县2021年法治政府建设年度报告\n正文。\nXX县人民政府\n二〇二二年一月二十日")
    assert m.date == "2022-01-20"
    assert m.unit == "XX县人民政府"


def test_joint_signature_reports_for_the_government():
    m = meta("XX镇2021年法治政府建设年度报告\n正文。\n中共XX镇委员会\nXX镇人民政府\n2022年1月20日")
    assert m.unit == "XX镇人民政府"
    assert m.level == "town"


def test_year_from_the_opening_when_the_title_is_missing():
    m = meta("2023年,我局坚持依法行政。现将有关情况报告如下:\n一、主要举措\n我局推进执法规范化。")
    assert m.year == 2023
    assert m.level == "department"


def test_unit_and_date_signed_on_one_line():
    m = meta("XX县2021年法治政府建设年度报告\n正文。\nXX县人民政府 2022年1月20日")
    assert (m.unit, m.date) == ("XX县人民政府", "2022-01-20")


def test_note_under_the_date_is_not_the_signature():
    m = meta("XX县2021年法治政府建设年度报告\n正文。\nXX县人民政府\n2022年1月20日\n(此件公开发布)")
    assert (m.unit, m.date) == ("XX县人民政府", "2022-01-20")


def test_joint_signature_on_one_line():
    m = meta("XX县2021年法治政府建设年度报告\n正文。\n中共XX县委 XX县人民政府\n2022年1月20日")
    assert m.unit == "XX县人民政府"


def test_unit_after_the_year_in_the_title():
    m = meta("2021年度平江县法治政府建设情况报告\n2021年,我县全面推进依法行政。")
    assert (m.unit, m.year) == ("平江县", 2021)


def test_signature_above_the_attachments():
    doc = analyze_text(
        "XX县2022年法治政府建设年度报告\n一、主要举措和成效\n全年办理行政处罚案件236件。\n"
        "XX县人民政府\n2023年2月1日\n附件:2022年度主要指标统计表\n项目 数量\n行政复议案件 12件"
    )
    assert (doc.meta.unit, doc.meta.date) == ("XX县人民政府", "2023-02-01")
    # The attachment's table is still read.
    assert doc.facts[doc.indicators["reconsideration_received"]].value == 12
