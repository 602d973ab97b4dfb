"""Metadata on short texts: level of a 市, dates in Chinese numerals, joint signatures."""

import pytest

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


@pytest.mark.parametrize(
    ("body", "level"),
    [
        ("威海市人民政府:\n2021年,在威海市委、市政府的坚强领导下,乳山市推进依法行政。\n", "county"),
        ("2021年,在省委、省政府的坚强领导下,威海市推进依法行政。\n", "city"),
    ],
)
def test_a_city_that_names_a_city_above_it_is_county_level(body, level):
    m = meta("乳山市人民政府2021年度法治政府建设情况报告\n" + body)
    assert m.level == level


def test_a_prefecture_is_a_city_even_when_it_speaks_of_towns():
    m = meta(
        "红河州2023年法治政府建设情况报告\n"
        "2023年,红河州指导各乡镇(街道)、各镇(街道)规范执法,全州13县市推进依法行政。\n"
    )
    assert m.level == "city"


@pytest.mark.parametrize(
    ("unit", "level"),
    [("滨海新区人民政府", "county"), ("两江新区", "zone"), ("两江新区管委会", "zone")],
)
def test_a_new_area_with_a_government_is_a_district(unit, level):
    assert meta(f"{unit}2021年法治政府建设情况报告\n正文。\n").level == level


@pytest.mark.parametrize(
    ("head", "title", "unit"),
    [
        (
            "吴兴区退役军人事务局2024年度\n法治政府建设工作报告\n吴兴区退役军人事务局\n",
            "吴兴区退役军人事务局2024年度法治政府建设工作报告",
            "吴兴区退役军人事务局",
        ),
        (
            "四川省交通运输厅\n\n2025年法治政府部门建设工作情况\n",
            "四川省交通运输厅2025年法治政府部门建设工作情况",
            "四川省交通运输厅",
        ),
    ],
)
def test_a_title_broken_over_two_lines_is_joined(head, title, unit):
    m = meta(head + "2024年,我局坚持依法行政。\n")
    assert (m.title, m.unit) == (title, unit)


def test_a_title_line_is_not_joined_to_the_next_line():
    m = meta("某县2024年法治政府建设情况报告\n法治政府建设取得新成效。\n")
    assert m.title == "某县2024年法治政府建设情况报告"


def test_a_report_that_announces_itself_as_a_bureaus_is_a_departments():
    m = meta(
        "根据省依法行政工作领导小组办公室通知要求，现将我局2019年度法治政府建设情况报告如下：\n"
        "一、全面依法履行部门职能\n全省市场主体总量突破千万户，全省推进改革，全省企业开办便利。\n"
    )
    assert m.level == "department"


def test_a_bureaus_party_group_names_a_department():
    m = meta(
        "2022年法治政府建设工作总结\n2022年，全市自然资源规划系统依法行政，局党组专题研究，局机关学法。\n"
    )
    assert m.level == "department"


def test_a_government_that_speaks_of_its_territory_is_no_department():
    m = meta("现将我县2019年度法治政府建设情况报告如下：\n全县推进改革，全县企业开办便利。\n")
    assert m.level == "county"


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


# -- metadata from the page (issue 7, class 6) -------------------------------

BODY = (
    "2022年,我县全面推进依法行政。现将有关情况报告如下:\n一、主要举措和成效\n全年办理复议案件3件。"
)


def test_unit_and_date_from_an_index_block_when_the_title_names_no_unit():
    m = meta(
        "索引号: 000/2023-001 主题分类: 司法\n"
        "发布机构: 青石县人民政府 成文日期: 2023-02-10\n"
        "2022年法治政府建设年度报告\n" + BODY
    )
    assert (m.title, m.unit, m.date) == (
        "2022年法治政府建设年度报告",
        "青石县人民政府",
        "2023-02-10",
    )


def test_a_source_medium_is_not_a_unit():
    m = meta("2022年法治政府建设年度报告\n来源: 青石日报 发布时间: 2023-02-12\n" + BODY)
    assert m.unit is None
    assert m.date == "2023-02-12"


def test_pipe_table_with_labels_and_values_in_separate_cells():
    m = meta(
        "[ 索引号 ] | 115/2023-00019 | [ 发文字号 ] | |\n"
        "[ 发布机构 ] | 青石区政府办公室 | [ 发布日期 ] | 2023-02-16 |\n"
        "[ 成文日期 ] | 2023-02-15 | [ 有效性 ] |\n"
        "青石区2022年法治政府建设情况报告\n" + BODY
    )
    assert (m.title, m.unit, m.date) == ("青石区2022年法治政府建设情况报告", "青石区", "2023-02-15")


def test_label_and_value_on_separate_lines():
    m = meta(
        "• [ 成文日期 ]\n• 2023-01-24\n• [ 发布机构 ]\n• 青石县人民政府\n"
        "2022年法治政府建设年度报告\n" + BODY
    )
    assert (m.unit, m.date) == ("青石县人民政府", "2023-01-24")


def test_an_empty_label_does_not_take_the_next_label_as_its_value():
    m = meta(
        "| 发文机关: | | 发文日期: | |\n| 名称: | |||\n青石县2022年法治政府建设年度报告\n" + BODY
    )
    assert (m.unit, m.date) == ("青石县", None)


def test_published_on_with_time_of_day():
    m = meta("青石县2022年法治政府建设年度报告\n发布于:2023-01-06 09:04:54\n" + BODY)
    assert m.date == "2023-01-06"


@pytest.mark.parametrize(
    "line",
    [
        "更新时间:2023-01-06 10:00",
        "录入时间:2023-01-06",
        "发布:2023-01-06",
        "[2023-01-06]",
        "(2023-01-06)",
    ],
)
def test_other_publication_labels_and_a_bracketed_date(line):
    doc = analyze_text("青石县2022年法治政府建设年度报告\n" + line + "\n" + BODY)
    assert doc.meta.date == "2023-01-06"
    assert "2023-01-06" not in doc.text


def test_issue_date_is_the_written_date():
    m = meta("青石县2022年法治政府建设年度报告\n发布时间:2023-03-01\n印发日期:2023-01-06\n" + BODY)
    assert m.date == "2023-01-06"


def test_a_bracketed_date_inside_running_text_is_not_furniture():
    doc = analyze_text("青石县2022年法治政府建设年度报告\n" + BODY + "会议(2022-05-06)审议通过。\n")
    assert "(2022-05-06)" in doc.text


def test_publication_time_without_a_colon_in_chinese_numerals():
    m = meta(
        "青石县2022年法治政府建设年度报告\n来源:青石县司法局 发布时间 2023年02月13日 点击数:\n"
        + BODY
    )
    assert m.date == "2023-02-13"


def test_written_date_wins_over_publication_date():
    m = meta(
        "青石县2022年法治政府建设年度报告\n2023-02-22 11:50\n发文日期\n2023-02-03 10:00\n" + BODY
    )
    assert m.date == "2023-02-03"


def test_signature_date_wins_over_the_page_dates():
    m = meta(
        "青石县2022年法治政府建设年度报告\n成文日期: 2023-02-03\n"
        + BODY
        + "\n青石县人民政府\n2023年1月30日"
    )
    assert m.date == "2023-01-30"


def test_title_after_a_metadata_block():
    m = meta(
        "- 索 引 号:370/2023-00251\n- 主题分类:通知公告\n- 发布机构:青石镇\n"
        "- 成文时间:2023年01月21日\n- 文 号:无\n- 标 题:青石镇2022年度法治政府建设情况报告\n"
        "青石镇2022年度法治政府建设情况报告\n" + BODY
    )
    assert (m.title, m.unit, m.level, m.date) == (
        "青石镇2022年度法治政府建设情况报告",
        "青石镇",
        "town",
        "2023-01-21",
    )


def test_a_numbered_heading_is_not_the_title():
    m = meta("2022年,我县全面推进依法行政。\n一、2022年法治政府建设情况\n全年办理复议案件3件。")
    assert m.title is None


def test_title_glued_to_the_page_name():
    m = meta("青石市司法局_关于青石市2022年法治政府建设情况的报告\n" + BODY)
    assert m.title == "关于青石市2022年法治政府建设情况的报告"
    assert m.unit == "青石市"


def test_a_line_with_a_separator_that_is_not_a_title_stays_out():
    m = meta("首页 | 政务公开 | 法治政府\n" + BODY)
    assert m.title is None


def test_title_without_report_word():
    m = meta("青石省2022年法治政府建设情况\n" + BODY)
    assert (m.title, m.unit, m.level) == ("青石省2022年法治政府建设情况", "青石省", "province")


def test_unit_line_and_year_line_make_one_title():
    m = meta("中共青石市交通运输局党组\n2022年度法治政府建设报告\n" + BODY)
    assert m.title == "中共青石市交通运输局党组2022年度法治政府建设报告"
    assert (m.unit, m.level) == ("青石市交通运输局", "department")


def test_sub_office_is_its_unit():
    m = meta(BODY + "\n青石市司法局法规科\n2023年1月20日")
    assert m.unit == "青石市司法局"
    # A publisher that is only a sub-office names no unit of its own.
    m = meta("2022年法治政府建设年度报告\n信息来源:厅法规处\n" + BODY)
    assert m.unit is None


def test_a_subdistrict_office_is_not_a_sub_office():
    m = meta(BODY + "\n青石街道办事处\n2023年1月20日")
    assert (m.unit, m.level) == ("青石街道办事处", "town")


def test_province_report_takes_the_fuller_name_from_the_page():
    m = meta("青石省人民政府关于2022年法治政府建设情况的报告\n来源:省政府办公厅\n" + BODY)
    assert (m.unit, m.level) == ("青石省人民政府", "province")
    m = meta("青石省2022年法治政府建设年度情况报告\n日期:2023-03-30 来源:青石省人民政府\n" + BODY)
    assert (m.unit, m.level) == ("青石省人民政府", "province")


def test_a_relative_name_takes_the_place_from_the_page():
    m = meta("2023-01-20 17:01 | 青石市水务局\n市水务局2022年度法治政府建设情况报告\n" + BODY)
    assert m.unit == "青石市水务局"
    # A different body on the page does not replace the title's unit.
    m = meta("来源:青石区司法局\n青石区2022年法治政府建设工作报告\n" + BODY)
    assert m.unit == "青石区"


def test_joint_title_of_party_and_government():
    m = meta("中共青石区委青石区人民政府2022年法治政府建设情况报告\n" + BODY)
    assert m.unit == "青石区人民政府"
    m = meta("中共青石县委2022年法治建设工作报告\n" + BODY)
    assert m.unit != "青石县委"


def test_a_ministry_is_a_department():
    m = meta("青石部2022年度法治政府建设情况的报告\n2022年,青石部深入推进依法行政。")
    assert (m.unit, m.level) == ("青石部", "department")
    assert meta("青石市2022年法治政府建设年度报告\n" + BODY).level == "city"


def test_date_of_delivery_to_the_congress_standing_committee():
    m = meta(
        "关于青石市2022年度法治政府建设情况的报告\n"
        "(2023年5月29日在青石市第十四届人民代表大会常务委员会第二十七次会议上)\n" + BODY
    )
    assert m.date == "2023-05-29"


def test_level_and_year_from_the_opening_subject_when_nothing_names_the_unit():
    m = meta("2023年,在区委、区政府坚强领导下,青石街道深入学习贯彻习近平法治思想。\n一、主要举措")
    assert (m.unit, m.level, m.year) == (None, "town", 2023)
    m = meta("2023年,全区各部门深入学习贯彻习近平法治思想。\n一、主要举措")
    assert m.level != "town"


def test_the_opening_subject_after_several_clauses_of_who_led():
    m = meta(
        "2024年,在市委的正确领导下,在市人大及其常委会的监督指导下,市政府坚持依法行政。\n"
        "一、主要举措"
    )
    assert m.level == "city"


def test_the_party_committee_with_the_government_gives_the_governments_level():
    assert meta("2025年,县委、县政府坚持依法行政。\n一、主要举措").level == "county"
    assert meta("2025年,青石镇党委、政府坚持依法行政。\n一、主要举措").level == "town"


def test_who_led_the_work_is_not_the_subject():
    # The government that led is the superior; a name holds no 的.
    m = meta("2024年,得益于县委、县政府的坚强领导和县委依法治县办的指导,我局坚持依法行政。\n")
    assert m.level != "county"


def test_one_mention_of_its_towns_leaves_a_city_a_city():
    # 乡镇(街道) holds 镇(街道): one mention, not two.
    m = meta("2022年,江门市坚持依法行政,实现73个乡镇(街道)综合行政执法。\n一、主要举措")
    assert m.level == "city"


def test_towns_in_general_are_not_a_town_naming_itself():
    text = (
        "现将我省2016年度法治政府建设情况报告如下。\n指导市县乡镇政府依法行政,全省乡镇政府全覆盖。"
    )
    assert meta(text).level == "province"


def test_a_zones_administration_bureau_is_the_zone():
    assert (
        meta("中国(上海)自由贸易试验区保税区管理局2023年度法治政府建设情况报告\n").level == "zone"
    )
    assert meta("上海市浦东新区市场监督管理局2023年度法治政府建设情况报告\n").level == "department"


def test_the_unit_the_opening_announces_gives_the_level():
    text = "依据督察工作规定,现将北京市石景山区人民政府2021年法治政府建设年度情况报告如下:\n一、主要举措"
    assert meta(text).level == "county"
    text = "依据督察工作规定,现将有关情况报告如下:\n一、主要举措"
    assert meta(text).level is None


def test_an_economic_zone_is_a_zone():
    text = "2019年,在市委市政府的坚强领导下,大连长兴岛经济区坚持依法行政。\n一、主要举措"
    assert meta(text).level == "zone"


def test_a_zone_that_speaks_of_itself_as_the_park_is_a_zone():
    text = "2022年,园区坚持依法行政。\n一、主要举措\n园区管委会开展普法,园区企业参与。"
    assert meta(text).level == "zone"
    # A county that names its industrial park once is still a county.
    text = "2022年,全县坚持依法行政。\n一、主要举措\n全县开展普法,工业园区企业参与。"
    assert meta(text).level == "county"


def test_a_second_name_in_brackets_does_not_hide_the_level():
    m = meta("西藏自治区藏语委办(编译局)2025年度法治政府建设工作报告\n" + BODY)
    assert m.level == "department"


def test_a_town_that_names_only_its_own_bodies_is_a_town():
    text = "2023年,镇党委、镇政府高度重视法治建设。\n一、主要举措\n本镇开展普法宣传。"
    assert meta(text).level == "town"
    # A county's report names its towns' committees less often than itself.
    text = "2023年,全县坚持依法行政。\n一、主要举措\n全县指导各镇党委开展普法宣传。"
    assert meta(text).level == "county"


BODY = "2023年,我们坚持以习近平法治思想为指导,扎实推进法治政府建设各项工作,取得了新的成效。\n"


def test_a_metadata_tables_title_label_is_not_the_title():
    m = meta("标  题 河南省人民政府关于2023年度法治政府建设情况的报告\n" + BODY)
    assert m.title == "河南省人民政府关于2023年度法治政府建设情况的报告"
    assert meta("标兵单位2023年法治政府建设情况报告\n" + BODY).title.startswith("标兵")


def test_a_date_after_the_title_is_the_pages_date():
    m = meta("上海市司法局2023年法治政府建设情况报告 (2024-02-26)\n" + BODY)
    assert m.title == "上海市司法局2023年法治政府建设情况报告"
    assert m.date == "2024-02-26"
    untouched = meta("上海市司法局2023年法治政府建设情况报告(草案)\n" + BODY)
    assert untouched.title.endswith("(草案)") and untouched.date is None


def test_the_title_quoted_after_its_document_number():
    m = meta("浙卫〔2024〕3号《浙江省卫生健康委关于2023年度法治政府建设情况的报告》\n" + BODY)
    assert m.title == "浙江省卫生健康委关于2023年度法治政府建设情况的报告"
    assert m.unit == "浙江省卫生健康委"
    plain = meta("关于贯彻《法治政府建设实施纲要》情况的报告\n" + BODY)
    assert plain.title == "关于贯彻《法治政府建设实施纲要》情况的报告"


def test_a_joint_title_on_three_or_four_lines():
    m = meta(
        "中共郑州航空港经济综合实验区工作委员会\n郑州航空港经济综合实验区管委会\n"
        "关于航空港经济综合实验区2022年度\n法治政府建设情况的报告\n" + BODY
    )
    assert m.title == (
        "中共郑州航空港经济综合实验区工作委员会郑州航空港经济综合实验区管委会"
        "关于航空港经济综合实验区2022年度法治政府建设情况的报告"
    )
    assert m.unit == "郑州航空港经济综合实验区管委会" and m.level == "zone"
    m = meta(
        "中共济南新旧动能转换起步区工委\n济南新旧动能转换起步区管委会\n关于2023年度法治政府建设情况报告\n"
        + BODY
    )
    assert m.title.startswith("中共济南") and m.unit == "济南新旧动能转换起步区管委会"
    alone = meta("您的位置:首页\n关于2022年度法治政府建设情况的报告\n" + BODY)
    assert alone.title == "关于2022年度法治政府建设情况的报告"


def test_a_new_area_of_a_free_trade_zone_is_a_zone():
    assert meta("临港新片区2023年度法治政府建设情况报告\n" + BODY).level == "zone"


def test_an_information_time_line_is_the_publication_date():
    m = meta(
        "许昌市卫生健康委员会关于2023年法治政府建设情况的报告\n【信息时间:2024-03-29 阅读\n" + BODY
    )
    assert m.date == "2024-03-29"


def test_the_report_naming_itself_in_its_announcement_gives_the_level():
    assert meta("现将省政府2024年度法治政府建设情况报告如下。\n" + BODY).level == "province"
    assert meta("现我乡2022年法治政府建设情况报告如下:\n" + BODY).level == "town"
    # 实现我市… is an aim, not the report naming itself.
    aim = meta("我局坚持依法行政,助力实现我市法治政府建设目标,我局还开展了培训。\n" + BODY)
    assert aim.level == "department"


def test_the_opening_subject_after_a_sentence_gives_the_level():
    text = (
        "2025年是“十四五”规划的收官之年。一年来,梅县区坚持以习近平法治思想为指导,"
        "在全市率先实现“大厅之外无分厅”,建立全市首个区级制度。\n" + BODY
    )
    assert meta(text).level == "county"


def test_a_title_broken_after_guanyu():
    m = meta("当前位置:首页>政务\n长春市人民政府关于\n2023年度法治政府建设情况的报告\n" + BODY)
    assert m.title == "长春市人民政府关于2023年度法治政府建设情况的报告"
    assert m.unit == "长春市人民政府"


def test_a_supervision_commission_is_a_department():
    assert meta("天津市市场监督管理委员会2023年法治政府建设情况报告\n" + BODY).level == "department"
    assert meta("苏州工业园区管理委员会2023年法治政府建设情况报告\n" + BODY).level == "zone"


def test_a_long_name_opening_the_report_gives_the_level():
    text = "2024年,长春市政务服务化数字化建设管理局坚持以习近平法治思想为指导,推进法治建设。\n"
    assert meta(text + BODY).level == "department"
