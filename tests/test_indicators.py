"""Indicators are the unit's own figure for the report year, on short phrases.

Each error class of issue 7 (choosing by size, whose figure it is, mapping on a
keyword anywhere nearby) has a phrase where the rule must act and one where it
must not.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import analyze_text, stated_indicators

HEAD = "青山县2022年法治政府建设年度报告\n一、主要举措和成效\n"


def stated(body: str) -> dict[str, Decimal]:
    return stated_indicators(analyze_text(HEAD + body))


# --- 2. Choosing the value by scope, not by size --------------------------------


def test_stated_total_beats_a_larger_count():
    got = stated("全年共开展领导干部集体学法8次。组织领导干部参加法治讲座12场。")
    assert got["study_sessions"] == 8


def test_disagreeing_counts_without_a_total_are_left_out():
    got = stated("组织领导干部参加法治讲座12场。开展领导干部集体学法8次。")
    assert "study_sessions" not in got


def test_counts_that_agree_need_no_total():
    got = stated("开展领导干部集体学法8次。领导干部学法共8次。")
    assert got["study_sessions"] == 8


def test_another_audiences_study_is_not_a_candidate_and_casts_no_doubt():
    # Staff-wide study is not the leadership's: the one leadership count stands.
    assert stated("开展领导干部集体学法8次;组织干部职工学法20次。")["study_sessions"] == 8
    assert "study_sessions" not in stated("组织干部职工学法20次。")
    # Two leadership bodies' counts with no total are still left out.
    assert "study_sessions" not in stated("县政府常务会学法8次;理论学习中心组学法6次。")


def test_one_form_of_study_beside_another_is_not_the_total():
    # 专题学习 names no body, so it is not a candidate, but it is study of law in
    # another form: the 常务会 count is one form among two.
    got = stated(
        "始终把学习贯彻习近平法治思想作为重点任务，全年组织专题学习2次，县政府常务会议学法18次。"
    )
    assert "study_sessions" not in got
    got = stated("将宪法纳入党委中心组学习内容，全年开展专题学习11次、专题研讨5次。")
    assert "study_sessions" not in got
    assert stated("县政府常务会议学法18次。")["study_sessions"] == 18
    assert stated("将宪法纳入党委中心组学习内容，全年开展专题学习11次。")["study_sessions"] == 11


def test_a_bare_gong_before_one_form_is_not_the_total_of_every_form():
    lead = "印发领导干部学法计划，2022年"
    got = stated(lead + "共开展会前学法15次，召开领导干部法治专题培训班3次。")
    assert "study_sessions" not in got
    got = stated(lead + "共计开展领导干部学法18次，召开领导干部法治专题培训班3次。")
    assert got["study_sessions"] == 18
    assert stated(lead + "共开展会前学法15次。")["study_sessions"] == 15


def test_study_that_names_no_law_is_not_another_form_of_law_study():
    got = stated("全年区委、区政府开展会前学法37次，进行集中学习116次。")
    assert got["study_sessions"] == 37


def test_the_year_named_before_two_bodies_counts_is_not_their_total():
    got = stated("全年开展党委班子学法3次，开展领导干部专题法治讲座1次。")
    assert "study_sessions" not in got
    got = stated("全年市委理论学习中心组集体学法4次，政府常务会议集中学法4次。")
    assert "study_sessions" not in got
    assert stated("全年开展党委班子学法3次。")["study_sessions"] == 3
    got = stated("全年共开展市委理论学习中心组集体学法、政府常务会议集中学法8次。")
    assert got["study_sessions"] == 8


def test_study_of_theory_with_law_among_its_topics_is_not_study_of_law():
    got = stated(
        "严格落实党委理论学习中心组学习制度，全年组织习近平法治思想、总体国家安全观、"
        "党的二十届历次全会重要部署等专题学习12次。"
    )
    assert "study_sessions" not in got
    got = stated(
        "党委会、中心组全年学习习近平法治思想、二十届四中全会精神、《行政复议法》等法律法规10余次。"
    )
    assert "study_sessions" not in got
    got = stated("严格落实党委理论学习中心组学习制度，全年组织习近平法治思想专题学习12次。")
    assert got["study_sessions"] == 12
    got = stated("党委会、中心组全年学习习近平法治思想、《行政复议法》等法律法规10余次。")
    assert got["study_sessions"] == 10


def test_a_form_of_study_listed_number_first_is_another_form():
    got = stated(
        "深学笃用习近平法治思想，通过开展8次中心组专题学习、1期读书班、7次支部集中学习研讨，"
        "持续强化理论武装。"
    )
    assert "study_sessions" not in got
    # A party branch's study is another audience's, which casts no doubt.
    got = stated(
        "深学笃用习近平法治思想，通过开展8次中心组专题学习、7次支部集中学习研讨，持续强化理论武装。"
    )
    assert got["study_sessions"] == 8


def test_de_inside_the_last_item_before_deng_is_not_a_combined_head():
    got = stated(
        "严格落实党委理论学习中心组学习制度，全年组织宪法、党的二十届历次全会关于全面依法治国的"
        "重要部署等专题学习12次。"
    )
    assert "study_sessions" not in got
    got = stated("严格落实党委理论学习中心组学习制度，全年组织宪法、民法典等专题学习12次。")
    assert got["study_sessions"] == 12
    got = stated("完成对重大决策、规范性文件和协议等的合法性审查287件。")
    assert got["legality_reviews"] == 287


def test_the_audience_a_study_reached_is_its_audience():
    lead = "将习近平法治思想纳入党工委理论学习中心组学习内容，组织专题学习4次，"
    assert "study_sessions" not in stated(lead + "覆盖干部职工30余人。")
    assert "study_sessions" not in stated(lead + "覆盖乡村干部240余人次。")
    assert stated(lead + "覆盖全体班子成员。")["study_sessions"] == 4
    # A clause that does not say whom the study reached names no audience of it.
    assert stated(lead + "干部职工学法热情高涨。")["study_sessions"] == 4


@pytest.mark.parametrize(
    ("dated", "kept"), [("2025年11月20日", False), ("2026年1月20日", True), ("", False)]
)
def test_since_the_year_began_is_the_whole_year_only_in_a_report_dated_after_it(dated, kept):
    # Undated, "今年以来" may be the months before the report was written.
    signature = f"某县人民政府\n{dated}\n" if dated else ""
    text = (
        "某县人民政府关于2025年度法治政府建设情况的报告\n"
        f"今年以来，县政府共收到行政复议申请12件。\n{signature}"
    )
    got = stated_indicators(analyze_text(text))
    assert ("reconsideration_received" in got) is kept


def test_the_end_to_end_online_rate_is_not_the_online_rate():
    assert "online_service_rate" not in stated("政务服务事项全程网办率达95%。")
    assert stated("政务服务事项网上可办率达100%。")["online_service_rate"] == 100


def test_powers_cleaned_up_are_not_the_list():
    got = stated("全面清理地方性法规、省政府规章自行设定的97项行政职权，拟取消59项。")
    assert "power_list_items" not in got
    assert stated("梳理公布行政职权1200项。")["power_list_items"] == 1200


def test_a_lists_powers_after_a_change_are_its_size():
    got = stated("编制省直机关权力清单，行政权力从1545项减少至1453项。")
    assert got["power_list_items"] == 1453


def test_a_review_over_mixed_objects_is_the_legality_review_named_before_it():
    got = stated("严把合法性审查关，审查规范性文件和各类招商引资、政府采购合同共715份。")
    assert got["legality_reviews"] == 715
    got = stated("加强合法性审核，全年审核区级行政规范性文件及协议314件。")
    assert got["legality_reviews"] == 314
    got = stated(
        "2.强化合法性审查。全年对重大行政决策、规范性文件、行政执法决定及镇村合同开展全流程审查1090件。"
    )
    assert got["legality_reviews"] == 1090


def test_a_review_over_mixed_objects_with_no_review_named_or_only_documents_is_none():
    assert stated("审查规范性文件和各类合同共715份。") == {}
    assert stated("加强合法性审核，审核市政府规范性文件和重要政策文件221件。") == {}


def test_the_share_handled_online_is_not_the_share_that_can_be():
    got = stated("政务服务事项网上可办率达90.6%，网办率89%。")
    assert got["online_service_rate"] == Decimal("90.6")
    assert "online_service_rate" not in stated("政务服务事项网办率89%。")


def test_the_pass_rate_of_filings_is_not_the_filing_rate():
    assert stated("实现规范性文件合法合规率100%，备案合格率100%。") == {}
    assert stated("规范性文件备案率100%。")["normative_docs_filing_rate"] == 100


def test_a_quoted_name_before_a_rate_is_the_rates_name():
    assert stated("“一网通办”率达100%。")["online_service_rate"] == 100
    assert "online_service_rate" not in stated("“一网通办”事项覆盖率达100%。")


def test_a_count_before_a_preposition_is_how_often_the_verb_after_was_done():
    got = stated("我省涉农立法、普法、执法、审批等工作先后4次在全国会议上做经验交流。")
    assert got == {}
    assert stated("全年开展普法宣传4次。")["publicity_events"] == 4


def test_a_figure_changed_from_an_earlier_version_is_the_new_one():
    got = stated("权力和责任清单的事项从2021版的10项扩充至31项。")
    assert got["power_list_items"] == 31


def test_a_count_of_things_is_a_whole_number():
    assert stated("政务服务事项平均申请材料为1.96个/件。") == {}
    assert stated("梳理政务服务事项196个。")["gov_service_items"] == 196


def test_a_count_before_dui_is_how_often_the_verb_after_was_done():
    got = stated(
        "区委、区政府主要负责同志先后20余次对规范涉企行政检查、法治督察等工作作出指示批示。"
    )
    assert got == {}
    assert stated("全年开展行政检查20余次。")["enforcement_inspections"] == 20


def test_penalties_eased_or_waived_are_a_part_of_the_penalties():
    got = stated("年内有违法行为依法不予处罚的294件；从轻减轻行政处罚案件2246件。")
    assert "enforcement_penalties" not in got
    assert stated("全年作出行政处罚决定2246件。")["enforcement_penalties"] == 2246


def test_plans_and_case_files_sampled_are_not_random_inspections():
    assert stated("2024年，共制定双随机抽查计划4个。") == {}
    assert stated("共抽查12个政府部门的执法案卷120卷。") == {}
    assert stated("开展双随机抽查120户次。")["random_inspections"] == 120


def test_a_figure_of_two_levels_together_is_not_the_units():
    got = stated("编制修订标准化权力清单，市、县两级入库权力清单47855项。")
    assert "power_list_items" not in got
    got = stated("编制修订标准化权力清单，入库权力清单4785项。")
    assert got["power_list_items"] == 4785


def test_one_count_after_fenbie_is_each_bodys():
    got = stated("县委理论学习中心组、县政府党组中心组分别开展4次法律法规专题学习。")
    assert "study_sessions" not in got
    # A list of dates before 分别 says when, not whose.
    got = stated(
        "区政府法律顾问于7月、10月和12月分别在区委理论学习中心组、区政府常务会开展3期法治专题讲座。"
    )
    assert got["study_sessions"] == 3


def test_powers_and_documents_of_decisions_are_not_decisions():
    got = stated("授权管委会行使审批董事会的报告、修改公司章程等10项重大决策管理权限。")
    assert "major_decisions" not in got
    assert "major_decisions" not in stated("推行重大决策事项目录公开制度，公开重大决策文件162件。")
    assert stated("全年作出重大行政决策10项。")["major_decisions"] == 10


def test_documents_reviewed_beside_decisions_differ_in_scope():
    assert "legality_reviews" not in stated("完成18件规范性文件、68件上会文件合法性审查。")
    got = stated("全年共计完成文件合法性审查145件，审查合同协议26件。")
    assert "legality_reviews" not in got
    assert stated("全年审查合同协议26件。")["legality_reviews"] == 26


def test_issues_of_a_bulletin_board_are_not_publicity_events():
    assert "publicity_events" not in stated("2020年度共出刊法治宣传栏56期。")
    assert stated("2020年度举办法治宣传活动40次。")["publicity_events"] == 40


def test_what_an_indicator_excludes_is_no_other_form_of_it():
    lead = "结合宪法宣传工作，举办法治宣传活动40次。"
    assert stated("2020年度共出刊法治宣传栏56期。" + lead)["publicity_events"] == 40
    assert "publicity_events" not in stated("2020年度开展法治宣讲56期。" + lead)


def test_holders_of_a_certificate_are_not_applicants():
    got = stated("对行政执法队伍实施动态化管理，我局现有持行政执法证人员32人。")
    assert "enforcement_certificates" not in got
    assert stated("全年新申领行政执法证32人。")["enforcement_certificates"] == 32


def test_study_named_with_the_whole_theory_is_theory_study():
    got = stated(
        "局党组会将学习习近平新时代中国特色社会主义思想作为第一议题，深入学习贯彻习近平法治思想，"
        "全年共组织开展党组会专题学习22次。"
    )
    assert "study_sessions" not in got
    got = stated(
        "厅党委会“第一议题”专题学习习近平法治思想，7次召开厅党委理论学习中心组专题学习会。"
    )
    assert got["study_sessions"] == 7


@pytest.mark.parametrize(
    ("phrase", "indicator", "value"),
    [
        ("全年作出重大行政决策60件。", "major_decisions", 60),
        ("全年新收行政诉讼案件7件。", "administrative_litigation", 7),
        ("作出行政处罚决定书120份。", "enforcement_penalties", 120),
        ("受理法律援助申请35件。", "legal_aid_cases", 35),
        ("梳理公布行政职权1200项。", "power_list_items", 1200),
        ("检查生产经营单位1260家次。", "enforcement_inspections", 1260),
    ],
)
def test_a_count_of_what_the_indicator_counts_is_kept(phrase, indicator, value):
    assert stated(phrase)[indicator] == value


@pytest.mark.parametrize(
    ("phrase", "indicator"),
    [
        # Drafts reviewed, hearings held: what is counted is not the indicator's noun.
        ("审核区政府重大行政决策事项草案60件。", "major_decisions"),
        ("县内行政应诉案件共开庭审理7件。", "administrative_litigation"),
        ("政务服务中心设立公安窗口7个。", "gov_service_items"),
        ("组织行政执法检查业务培训3次。", "enforcement_inspections"),
    ],
)
def test_a_count_of_anything_else_is_not_the_indicator(phrase, indicator):
    assert indicator not in stated(phrase)


def test_office_wide_study_is_staff_study():
    assert stated("党组理论学习中心组学法4次，局机关集体学法15场次。")["study_sessions"] == 4


def test_sub_scope_beside_a_count_needs_a_total():
    assert "enforcement_inspections" not in stated("开展行政检查320次。开展涉企行政检查120次。")
    got = stated("全年共开展行政检查320次。开展涉企行政检查120次。")
    assert got["enforcement_inspections"] == 320


def test_staff_study_alone_is_not_the_leadership_study():
    assert "study_sessions" not in stated("组织全体干部职工集中学法12次。")


def test_study_of_something_other_than_law_is_not_study_sessions():
    assert "study_sessions" not in stated(
        "开展中央八项规定精神学习教育,局党组累计组织集中学习33次。"
    )


# --- 3. Whose figure it is ----------------------------------------------------------


def test_lower_levels_figure_is_not_the_units():
    assert "publicity_events" not in stated("指导各乡镇开展普法宣传活动120场。")


def test_unit_named_again_after_a_lower_level_is_its_own():
    got = stated("指导各乡镇建立普法台账,本级全年开展普法宣传活动30场。")
    assert got["publicity_events"] == 30


def test_whole_territory_at_all_levels_is_the_governments_own():
    assert stated("全县各级干部参加学法考试3200人。")["law_exam_participants"] == 3200
    assert "law_exam_participants" not in stated("各级干部参加学法考试3200人。")


def test_figure_of_a_span_of_years_is_not_the_years():
    assert "reconsideration_received" not in stated("2019—2021年累计办理行政复议案件300件。")
    assert "reconsideration_received" not in stated("2020年以来办理行政复议案件300件。")


def test_figure_led_by_the_report_year_is_the_years():
    assert stated("2022年,共办理行政复议案件120件。")["reconsideration_received"] == 120
    assert "reconsideration_received" not in stated("2021年,共办理行政复议案件120件。")


def test_unit_as_respondent_is_not_handling_the_case():
    assert "reconsideration_received" not in stated("以本局为被申请人的行政复议案件3件。")
    assert "reconsideration_received" not in stated("发生行政诉讼案件4件、行政复议案件2件。")


def test_reconsideration_the_unit_handles_is_its_own():
    got = stated("全年共收到行政复议申请36件,受理30件。")
    assert got["reconsideration_received"] == 36
    assert got["reconsideration_accepted"] == 30


def test_party_committees_figure_is_not_taken_beside_the_governments():
    # Two bodies' counts and no total: neither is the unit's figure (spec: study_sessions).
    got = stated("县委常委会会前学法5次,县政府常务会议会前学法12次。")
    assert "study_sessions" not in got


def test_a_stated_total_over_both_bodies_is_kept():
    got = stated("县委常委会会前学法5次,县政府常务会议会前学法12次,全年共开展集体学法17次。")
    assert got["study_sessions"] == 17


def test_party_committees_figure_alone_is_another_bodys():
    # A county government's report: the 县委's study is not the government's.
    assert "study_sessions" not in stated("县委理论学习中心组集体学法5次。")
    assert stated("县政府党组理论学习中心组集体学法5次。")["study_sessions"] == 5
    # Beside the government's equal count it is still a rival, not a repetition.
    got = stated("全年县委理论学习中心组集体学法4次，县政府常务会议集中学法4次。")
    assert "study_sessions" not in got


def test_a_towns_party_committee_reports_with_its_government():
    text = "青山镇2022年法治政府建设年度报告\n一、主要举措和成效\n镇党委理论学习中心组集体学法5次。"
    assert stated_indicators(analyze_text(text))["study_sessions"] == 5


def test_requirement_is_not_a_count():
    assert "study_sessions" not in stated("领导班子每季度集体学法不少于1次。")
    assert stated("领导班子全年集体学法4次。")["study_sessions"] == 4


# --- 4. Mapping on what the fact's own clause counts ------------------------------


def test_shufa_counts_units_not_persons():
    assert "shufa_units" not in stated("组织18名党政主要负责人现场述法。")
    assert stated("全县共54个单位参与述法。")["shufa_units"] == 54


def test_holding_a_certificate_is_not_sitting_the_exam():
    assert "law_exam_participants" not in stated("全县持证执法人员320人参加学法考试。")
    assert stated("组织320名执法人员参加学法考试。")["law_exam_participants"] == 320


def test_holding_a_certificate_is_not_applying_for_one():
    assert "enforcement_certificates" not in stated("全乡3名执法人员全部取得行政执法证。")
    assert stated("全年办理执法证申领12人。")["enforcement_certificates"] == 12


def test_mixed_activity_list_maps_to_nothing():
    doc = analyze_text(HEAD + "开展学习培训、宣传宣讲、政治轮训100余场次。")
    assert [f.indicator for f in doc.facts] == [None]


def test_a_count_among_a_stated_count_is_a_part_of_it():
    got = stated("2418项政务服务事项中,2331项纳入本级政务服务中心一体化管理。")
    assert got["gov_service_items"] == 2418
    # Without 中 the second count is another one, and the two disagree.
    got = stated("梳理政务服务事项2418项,2331项政务服务事项纳入一体化管理。")
    assert "gov_service_items" not in got


def test_a_figure_after_a_change_is_the_units_and_the_one_before_is_not():
    got = stated("对县级权责清单进行动态调整,权责事项由2711项减至2656项。")
    assert got["power_list_items"] == 2656
    got = stated("全年收到行政复议申请由20件增加到35件。")
    assert got["reconsideration_received"] == 35
    # 由 naming who acts is no change.
    got = stated("由县司法局审核规范性文件12件。")
    assert got["normative_docs_reviewed"] == 12


def test_list_items_of_a_verb_and_a_number_count_the_first_items_object():
    got = stated("审核行政规范性文件27件、备案18件、清理22件。")
    assert got == {
        "normative_docs_reviewed": 27,
        "normative_docs_filed": 18,
        "normative_docs_cleaned": 22,
    }
    # Items that name their own noun are what they name, not the first item's object.
    got = stated("检查企业409家次、车辆120辆次。")
    assert got == {"enforcement_inspections": 409}


def test_a_count_of_awards_is_no_ledger_figure():
    assert "legal_aid_cases" not in stated("全市荣获全国法律援助工作先进集体3个、先进个人4人。")
    assert stated("全年办理法律援助案件3个。")["legal_aid_cases"] == 3


def test_an_exam_before_promotion_is_a_sub_scope_of_the_law_exam():
    got = stated("组织39名拟提任科级领导干部参加任职前法律知识考试。")
    assert "law_exam_participants" not in got
    got = stated("组织开展集中考法、任前考法3场、278人次。")
    assert got["law_exam_participants"] == 278


def test_a_frequency_is_no_count():
    got = stated("开展“双随机”执法检查(每个季度进行一次)。")
    assert "random_inspections" not in got
    assert stated("开展“双随机”抽查40户次。")["random_inspections"] == 40


def test_rounds_of_random_inspection_are_not_firms_inspected():
    # The spec counts 户(家)次.
    assert "random_inspections" not in stated("已开展“双随机一公开”抽查四次。")
    assert "random_inspections" not in stated("2024年，共制定双随机抽查计划4个。")


def test_bodies_that_may_punish_are_not_penalty_cases():
    assert "enforcement_penalties" not in stated("对全区77个行政处罚执法主体集中清理。")
    assert stated("办理行政处罚案件77件。")["enforcement_penalties"] == 77


def test_standards_are_not_service_items():
    assert "gov_service_items" not in stated("提升政务服务质效,制定28项标准。")


def test_documents_on_one_topic_are_a_sub_scope():
    got = stated("审核与疫情防控有关行政规范性文件36份。")
    assert "normative_docs_reviewed" not in got
    assert stated("审核行政规范性文件36份。")["normative_docs_reviewed"] == 36


def test_suggestions_after_visiting_the_deputies_are_theirs():
    got = stated("全年走访人大代表、政协委员23人次,办结相关建议11件,提案9件。")
    assert got["npc_suggestions"] == 11 and got["cppcc_proposals"] == 9
    assert "npc_suggestions" not in stated("向上级提出工作建议11件。")


def test_a_towns_reconsideration_cases_are_cases_against_it():
    town = "青山镇2022年法治政府建设年度报告\n一、主要举措和成效\n"
    assert stated_indicators(analyze_text(town + "全年新增行政复议案件3件。")) == {}
    assert stated("全年新增行政复议案件3件。") == {"reconsideration_received": 3}
    # A stated absence is none under either reading.
    got = stated_indicators(analyze_text(town + "全年无行政复议案件。"))
    assert got == {"reconsideration_received": 0}


def test_new_cases_are_the_years_cases_but_new_list_items_are_a_change():
    assert stated("新增行政诉讼案件2件。") == {"administrative_litigation": 2}
    assert "gov_service_items" not in stated("新增政务服务事项12项。")


def test_satisfaction_beside_the_on_time_rate_is_not_it():
    got = stated("办理人大代表建议119件、政协委员提案105件,办复率均为100%,满意率达99%。")
    assert got["proposal_on_time_rate"] == 100


def test_meetings_that_study_and_plan_are_not_study_sessions():
    got = stated("市委常委会会议、市政府常务会议学习研究部署法治建设有关议题18次。")
    assert "study_sessions" not in got
    assert stated("市政府常务会议会前学法18次。")["study_sessions"] == 18


def test_law_among_the_plenums_spirit_is_theory_study_as_a_whole():
    got = stated(
        "党组将二十届三中全会精神和习近平法治思想以及重要讲话精神纳入中心组学习内容,"
        "开展党组理论学习中心组专题学习22次。"
    )
    assert "study_sessions" not in got
    got = stated("党组将习近平法治思想纳入中心组学习内容,开展党组理论学习中心组专题学习22次。")
    assert got["study_sessions"] == 22


def test_figures_for_part_of_the_year_are_not_the_years():
    got = stated("2022年1-10月,共监督检查2081户次。收到行政复议8件。")
    assert got == {}
    got = stated("截至10月,办理行政处罚案件264件。")
    assert "enforcement_penalties" not in got
    assert "study_sessions" not in stated("局党组中心组目前已开展集体学法4次。")
    # A part stated after the year's figure leaves the year's figure alone.
    got = stated("全年办理行政处罚案件264件,其中上半年120件。")
    assert got["enforcement_penalties"] == 264


def test_taking_part_in_decisions_is_not_a_decision_count():
    got = stated("法律顾问参与市政府重大决策、重大项目推进等涉法事务40多次。")
    assert "major_decisions" not in got
    assert stated("全年作出重大行政决策40项。")["major_decisions"] == 40


def test_on_time_rate_of_service_matters_is_not_the_proposals():
    assert "proposal_on_time_rate" not in stated("所有事项均按时办结,按时办结率达100%。")


def test_a_salon_in_a_list_makes_it_mixed():
    got = stated("开展环太湖水上应急演练、“法治沙龙”、执法站所建设等工作3次。")
    assert "emergency_drills" not in got
    assert stated("开展水上应急演练3次。")["emergency_drills"] == 3


def test_a_list_sharing_one_head_counts_that_head():
    got = stated("聚焦民法典，组织开展民法典宣传月、宪法周等活动18场。")
    assert got["publicity_events"] == 18
    got = stated("开展法治宣传进机关、进农村、进企业、进校园活动12场次。")
    assert got["publicity_events"] == 12
    doc = analyze_text(HEAD + "开展学习培训、宣传宣讲、政治轮训等活动100余场次。")
    assert [f.indicator for f in doc.facts] == [None]


def test_one_kind_of_activity_maps():
    assert stated("全年开展普法宣传活动100余场次。")["publicity_events"] == 100


def test_list_of_bodies_is_not_a_mixed_list():
    got = stated("局党组理论学习中心组、党组会、局务会先后14次组织学习习近平法治思想。")
    assert got["study_sessions"] == 14


def test_head_of_a_combined_count_decides():
    got = stated("完成对重大行政决策、合同的合法性审查287件。")
    assert got == {"legality_reviews": 287}
    got = stated("完成287件重大行政决策事项、合同和协议的合法性审查。")
    assert got == {"legality_reviews": 287}


def test_single_object_keeps_its_own_indicator():
    assert stated("审查重大行政决策事项12件。") == {"major_decisions": 12}


def test_count_over_objects_of_different_kinds_is_neither():
    assert stated("审查规范性文件和各类合同共715份。") == {}
    assert stated("审查规范性文件15件。") == {"normative_docs_reviewed": 15}


@pytest.mark.parametrize(
    "sentence",
    ["开展涉企行政检查320次。", "开展“银发普法专场”活动2场。", "高频事项网办率100%。"],
)
def test_scope_modifier_makes_a_sub_item(sentence):
    assert stated(sentence) == {}


def test_without_scope_modifier_the_count_maps():
    assert stated("开展行政检查320次。") == {"enforcement_inspections": 320}
    assert stated("政务服务事项网上可办率100%。") == {"online_service_rate": 100}


def test_total_with_a_special_session_sub_item_keeps_the_total():
    got = stated("全年开展普法宣传活动100场,其中普法专场20场。")
    assert got["publicity_events"] == 100


def test_key_word_in_a_title_does_not_map():
    doc = analyze_text(HEAD + "组织学习《中华人民共和国行政处罚法》12次。")
    assert [f.indicator for f in doc.facts] == [None]


def test_law_named_by_its_title_still_makes_study():
    got = stated("县政府常务会议学习《中华人民共和国行政处罚法》等法律法规12次。")
    assert got == {"study_sessions": 12}


def test_key_word_later_in_the_clause_maps():
    assert stated("审查5件涉及群众切身利益的重大行政决策事项。") == {"major_decisions": 5}


def test_key_word_in_a_later_clause_does_not_map():
    assert stated("审查文件5件,均已纳入重大行政决策目录管理。") == {}


def test_stated_zero_still_counts():
    got = stated("处理行政诉讼案件4宗、无行政复议案件。")
    assert got["reconsideration_received"] == 0


def test_list_item_that_starts_with_its_number_counts_the_noun_after_it():
    doc = analyze_text(HEAD + "县政府常务会议开展8次专题学法、1期读书班、5次专题党课。")
    assert [(f.text, f.indicator) for f in doc.facts] == [
        ("8次", "study_sessions"),
        ("1期", None),
        ("5次", None),
    ]


def test_next_listed_item_after_he_is_not_the_facts_clause():
    got = stated("编制重大行政决策事项目录5项和听证事项目录2项。")
    assert got == {"major_decisions": 5}
    # 及 inside a word (涉及) does not begin another item.
    assert stated("审查5件涉及重大行政决策事项。") == {"major_decisions": 5}


def test_documents_issued_are_not_cases_received():
    got = stated("审结行政复议案件15件,出具行政复议意见书2件。")
    assert "reconsideration_received" not in got


def test_a_rate_beside_the_filing_rate_is_not_the_filing_rate():
    doc = analyze_text(HEAD + "全年报备规范性文件12件,报备率100%,覆盖率98%。")
    assert [f.indicator for f in doc.facts] == [
        "normative_docs_filed",
        "normative_docs_filing_rate",
        None,
    ]


def test_giving_a_talk_is_not_the_leaderships_study():
    assert "study_sessions" not in stated("局领导班子成员赴基层开展法治讲座宣讲20次。")


def test_lower_levels_count_beside_the_units_needs_a_total():
    got = stated("区政府常务会议会前学法4次;各乡镇领导班子集中学法300余次。")
    assert "study_sessions" not in got
    got = stated("区政府常务会议全年共会前学法4次;各乡镇领导班子集中学法300余次。")
    assert got["study_sessions"] == 4


def test_a_mixed_count_beside_a_count_needs_a_total():
    got = stated("法律顾问审查、草拟合同及法律文书936份。出具法律意见书35件。")
    assert "legal_advisor_opinions" not in got
    assert stated("出具法律意见书35件。")["legal_advisor_opinions"] == 35


def test_breakdown_of_a_mixed_total_keeps_its_item():
    got = stated(
        "全年对重大行政决策、规范性文件及合同开展审查90件。其中,行政规范性文件审查2件,合同审查88件。"
    )
    assert got["normative_docs_reviewed"] == 2


def test_rates_that_differ_are_left_out():
    got = stated("区政府负责人出庭应诉率100%,区级部门负责人出庭应诉率99.3%。")
    assert "head_appearance_rate" not in got
    got = stated("行政机关负责人出庭应诉率100%。全年负责人出庭应诉率100%。")
    assert got["head_appearance_rate"] == 100


def test_de_inside_a_listed_item_is_not_a_combined_head():
    got = stated(
        "县委常委会、县政府常务会议专题学习习近平总书记关于法治的重要论述、宪法法律等共20余次。"
    )
    assert got == {"study_sessions": 20}


def test_party_rules_alone_are_not_law():
    assert "study_sessions" not in stated("县政府党组专题学习党内法规5次。")


# --- 4. 宣讲 is legal publicity only when the context says it is about law -------


def test_a_lecture_tour_about_law_is_publicity():
    assert (
        stated("组建百姓宣讲志愿服务队伍，全年开展法治建设相关宣讲60余场。")["publicity_events"]
        == 60
    )


def test_a_lecture_tour_on_policy_is_not_publicity():
    assert "publicity_events" not in stated("结合主题教育，举办宣传宣讲20余场次。")


def test_campaigns_in_a_paragraph_about_law_are_publicity():
    got = stated("以八五普法为抓手，结合国家宪法日等节点，全年开展集中宣传活动12场。")
    assert got["publicity_events"] == 12


def test_campaigns_in_a_paragraph_about_a_policy_or_safety_are_not_publicity():
    assert "publicity_events" not in stated("围绕乡村振兴，全年开展集中宣传活动12场。")
    assert "publicity_events" not in stated("宣传宪法和民法典的同时，开展安全生产宣传活动12场。")


def test_a_count_given_to_each_item_is_not_the_activitys_count():
    got = stated("在国家宪法日开展宪法、民法典普法宣讲各1场次。")
    assert "publicity_events" not in got
    assert stated("在国家宪法日开展宪法普法宣讲1场次。")["publicity_events"] == 1


def test_enforcement_staff_exam_is_not_the_law_study_exam():
    assert "law_exam_participants" not in stated("组织210名执法人员参加执法考试。")
    assert stated("组织全体干部1200人参加学法考试。")["law_exam_participants"] == 1200


def test_study_of_every_kind_is_not_the_leaderships_study():
    assert "study_sessions" not in stated("局党组带头学法，今年以来组织开展各类集体学法14次。")
    assert stated("局党组理论学习中心组集体学法6次。")["study_sessions"] == 6


def test_service_stations_are_not_service_items():
    assert "gov_service_items" not in stated(
        "完成577个社区(村)服务站政务服务规范化建设，实现全覆盖。"
    )
    assert stated("梳理公布政务服务事项1253项。")["gov_service_items"] == 1253


def test_a_theory_talk_is_not_legal_publicity():
    assert "publicity_events" not in stated("开展习近平法治思想微宣讲25次。")


def test_an_enforcement_course_exam_is_not_the_law_study_exam():
    assert "law_exam_participants" not in stated("210名执法人员参加了执法培训学习和考试。")


def test_publicized_enforcement_matters_are_not_publicized_decisions():
    assert "enforcement_publicized" not in stated("5家执法主体对314项执法事项进行了公示。")
    assert stated("公示行政执法信息314条。")["enforcement_publicized"] == 314


# --- 3. A number of bodies as the subject sums their figures ----------------------


def test_a_count_of_bodies_as_subject_is_theirs():
    assert "power_list_items" not in stated("15个部门重新梳理规范905项权责清单。")
    assert stated("重新梳理规范905项权责清单。")["power_list_items"] == 905


def test_the_unit_acting_in_several_towns_is_still_its_own():
    assert stated("全年在3个镇开展普法宣传活动20场。")["publicity_events"] == 20


def test_bodies_opening_a_sentence_are_the_subject_of_its_every_clause():
    body = "{}1639个村(社区)的法律顾问共接待群众咨询22237人次,{}办理法律援助案件309件。"
    assert "legal_aid_cases" not in stated(body.format("", ""))
    assert "legal_aid_cases" not in stated(body.format("二是", ""))
    assert stated(body.format("", "本级"))["legal_aid_cases"] == 309
    assert stated("村(社区)法律顾问接待群众咨询22237人次,办理法律援助案件309件。") == {
        "legal_aid_cases": 309
    }


def test_committees_of_every_level_are_lower_levels_even_in_the_whole_territory():
    got = stated("全县各级党委(党组)中心组开展领导干部专题学法735场次。")
    assert "study_sessions" not in got
    assert stated("全县各级干部参加学法考试32886人。")["law_exam_participants"] == 32886


# --- 3. What is still to be done is not done ---------------------------------------


def test_a_pending_action_is_not_a_count():
    assert "normative_docs_cleaned" not in stated("我委有一件规范性文件需废止，正在准备材料。")
    assert stated("废止规范性文件1件。")["normative_docs_cleaned"] == 1


# --- 4. A list of activities after a count of persons ------------------------------


def test_persons_counted_over_mixed_activities_map_to_nothing():
    assert "law_exam_participants" not in stated("组织干部职工共5900余人参加在线法治考试、旁听。")
    assert stated("组织干部职工共5900余人参加在线法治考试。")["law_exam_participants"] == 5900


# --- 2. One verb over several objects is a breakdown, not a total -------------------


def test_a_breakdown_by_object_has_no_total():
    got = stated("全年检查车辆12800辆次，检查船舶484艘次，检查企业409家次。")
    assert "enforcement_inspections" not in got


def test_a_count_by_object_alone_is_kept():
    assert stated("全年检查企业409家次。")["enforcement_inspections"] == 409


def test_clauses_of_a_light_verb_are_not_a_breakdown():
    got = stated("组织干部100余人旁听庭审，组织1478名干部参加法治理论考试。")
    assert got["law_exam_participants"] == 1478


def test_clauses_that_open_with_one_subject_are_not_a_breakdown():
    # The shared 党政 is the subject of two activities, not a verb over two objects.
    got = stated("党政联席会议专题研究法治建设1次，党政领导班子开展集中学法1次。")
    assert got["study_sessions"] == 1


# --- 4. A modifier that names one kind of contract makes a sub-scope -------------


def test_contracts_of_one_event_are_a_sub_scope():
    assert "legality_reviews" not in stated("发挥法律顾问团作用，审查冬奥赛事合同224份。")
    assert "legality_reviews" not in stated("其中，镇村合同审查1077件。")


def test_contracts_in_general_are_legality_reviews():
    assert stated("审查合同224份。")["legality_reviews"] == 224
    assert stated("全年完成重大合同审查3件。")["legality_reviews"] == 3


# --- 3/4. What the clause counts, and for which period ---------------------------


def test_no_lost_case_is_not_no_case():
    assert "reconsideration_received" not in stated("全年未发生行政复议、行政应诉败诉案件。")
    assert stated("全年未发生行政复议案件。")["reconsideration_received"] == 0


def test_no_reconsideration_lawsuit_cases_is_of_cases_against_the_unit():
    assert "reconsideration_received" not in stated("全年没有发生行政复议诉讼案件。")
    # Two nouns, two stated zeros (test_facts): each is none under either reading.
    assert stated("全年未发生行政复议和行政诉讼案件。")["reconsideration_received"] == 0
    assert stated("无行政复议案件,无行政诉讼案件。")["reconsideration_received"] == 0


def test_disclosure_requests_are_not_service_items():
    got = stated("主动公开各类信息118条,依申请公开事项2项。")
    assert "gov_service_items" not in got


def test_documents_in_force_are_not_documents_issued():
    assert "normative_docs_issued" not in stated("按要求发布现行有效的规范性文件15件。")
    assert stated("全年印发规范性文件15件。")["normative_docs_issued"] == 15


def test_a_count_as_of_now_is_not_the_years_but_a_rate_is():
    got = stated("截至目前,主动公开政府信息118条,网上可办率达100%。")
    assert "disclosure_proactive" not in got
    assert got["online_service_rate"] == 100


def test_aspects_and_fields_are_not_items():
    got = stated("在行政权力事项、审批事项等5个方面削权放权。")
    assert "gov_service_items" not in got
    assert stated("梳理公布政务服务事项5个。")["gov_service_items"] == 5


def test_no_document_made_this_year_is_a_stated_zero():
    assert stated("我委全年未制定规范性文件。")["normative_docs_issued"] == 0
    assert stated("本年度未新制定出台规范性文件。")["normative_docs_issued"] == 0
    assert "normative_docs_issued" not in stated("未经合法性审核不得出台规范性文件。")


def test_one_form_of_publicity_beside_another_leaves_it_out():
    got = stated("全年开展法治专题宣讲2场次,走进社区开展2场次,走进校园开展法治授课1场次。")
    assert "publicity_events" not in got
    # Neither a mixed list of activities nor a 其中 item is another form.
    for beside in ("开展警示教育、普法宣传等活动3场。", "其中普法专场3场。"):
        got = stated("全年开展普法宣传活动16场," + beside)
        assert got["publicity_events"] == 16, beside


def test_the_verb_before_a_list_governs_an_item_opened_by_its_number():
    assert "gov_service_items" not in stated("新政务服务中心进驻37个部门、1512项政务服务事项。")
    assert stated("梳理公布37个部门、1512项政务服务事项。")["gov_service_items"] == 1512


def test_the_noun_after_a_number_is_what_it_counts():
    assert "gov_service_items" not in stated("优化政务服务事项,242个办理项全部进大厅。")
    assert stated("优化政务服务事项,公布政务服务事项242个。")["gov_service_items"] == 242


def test_one_of_an_advisers_several_counts_is_not_its_opinions():
    got = stated("法律顾问审查合同185份、出具专业审查意见书143份。")
    assert "legal_advisor_opinions" not in got
    assert stated("法律顾问全年出具法律意见书143份。")["legal_advisor_opinions"] == 143


def test_topic_free_study_counts_when_the_sentence_names_law():
    got = stated("深入学习党的二十届三中全会精神。全年组织中心组专题学习3次。")
    assert "study_sessions" not in got
    got = stated("将习近平法治思想纳入中心组学习计划,全年组织中心组专题学习3次。")
    assert got["study_sessions"] == 3


def test_the_governments_executive_meeting_is_its_own_body_after_a_lower_level():
    got = stated("将习近平法治思想纳入各级党委(党组)理论学习中心组学习内容,政府常务会学法12次。")
    assert got["study_sessions"] == 12
    assert "study_sessions" not in stated("指导各乡镇开展领导干部学法12次。")


def test_equal_study_counts_of_two_bodies_are_two_counts():
    got = stated("县委中心组专题学法5次,县政府常务会议专题学法5次。")
    assert "study_sessions" not in got
    got = stated("县政府常务会议专题学法5次。\n二、存在的不足\n领导干部学法共5次。")
    assert got["study_sessions"] == 5


def test_a_lists_title_names_what_its_items_are():
    assert stated("更新《某市市级权力清单》,梳理事项6392项。")["power_list_items"] == 6392
    assert "power_list_items" not in stated("修订《某市权力运行监督办法》,梳理事项6392项。")


def test_kinds_of_power_are_not_the_lists_items():
    assert "power_list_items" not in stated("将六类行政权力事项纳入清单管理。")
    assert stated("编制并发布行政权力事项3719项。")["power_list_items"] == 3719


def test_a_law_lecture_alone_is_not_publicity():
    assert "publicity_events" not in stated("举办法治专题培训两期,法治讲座一期。")
    assert stated("走进社区开展普法讲座6场。")["publicity_events"] == 6


def test_an_activity_after_a_list_of_objects_is_what_the_count_counts():
    got = stated("完成行政规范性文件、重大协议和其他各类文件合法性审核218件。")
    assert got["legality_reviews"] == 218
    assert "legality_reviews" not in stated("审核行政规范性文件、重大合同12件。")


def test_one_count_of_two_joined_activities_is_neither():
    assert stated("审查和备案规范性文件54件。") == {}
    assert stated("备案审查规范性文件54件。")["normative_docs_filed"] == 54
    assert stated("制定和出台规范性文件5件。")["normative_docs_issued"] == 5


def test_firms_checked_are_not_a_count_of_checks():
    assert "enforcement_inspections" not in stated("全年开展统计执法4轮,检查企业共46家。")
    assert stated("全年开展执法检查46家次。")["enforcement_inspections"] == 46


def test_an_honour_conferred_is_not_a_count():
    got = stated("被国家信访局授予信访工作“三无”县(全省仅14个)。")
    assert "petitions_received" not in got
    assert stated("全年受理信访事项14个。")["petitions_received"] == 14


def test_the_partys_documents_are_not_normative_documents_of_the_government():
    assert "normative_docs_filed" not in stated("完成党的规范性文件备案3件。")
    assert stated("完成行政规范性文件备案3件。")["normative_docs_filed"] == 3


def test_taking_part_in_reviews_is_not_the_reviews():
    assert "legality_reviews" not in stated("司法所参与合法性审查50余次。")
    assert stated("开展合法性审查50余件。")["legality_reviews"] == 50


def test_a_word_holding_deng_does_not_close_a_list():
    got = stated("清理涉及不平等对待企业的规范性文件和政策文件3件。")
    assert "normative_docs_cleaned" not in got
    assert stated("清理涉及不平等对待企业的规范性文件3件。")["normative_docs_cleaned"] == 3


def test_verbs_joined_after_the_object_are_one_activity_on_it():
    assert stated("完成行政规范性文件修订和废止3件。")["normative_docs_cleaned"] == 3
    assert "normative_docs_cleaned" not in stated("完成规范性文件和政策文件修订和废止3件。")


def test_requests_named_as_disclosure_items_are_requests():
    assert stated("依申请公开件共计48件,其中44件已按时办结。")["disclosure_on_request"] == 48
    assert "disclosure_on_request" not in stated("依申请公开工作培训48人次。")


def test_an_object_listed_after_a_count_takes_the_first_items_verb():
    got = stated("全年共审查行政机关合同178件、规范性文件12件、其他事项48件。")
    assert got["normative_docs_reviewed"] == 12
    # Without a verb before the list the object says nothing of what was done.
    assert "normative_docs_reviewed" not in stated("涉及行政机关合同178件、规范性文件12件。")


def test_the_verb_before_bodies_and_their_count_is_the_counts_verb():
    assert "power_list_items" not in stated("调整了8家单位900余项职权事项。")
    assert stated("审核并公布省级36个部门5300项权责清单。")["power_list_items"] == 5300


def test_items_of_a_quoted_kind_are_not_the_list():
    assert "gov_service_items" not in stated("推出21项“倒计时”审批事项。")
    assert stated("梳理公布政务服务事项1021项。")["gov_service_items"] == 1021


def test_the_town_level_of_a_district_is_a_lower_level():
    assert "gov_service_items" not in stated(
        "在街镇层面,全部设立便民服务中心,实施65项政务服务事项。"
    )
    assert stated("区级实施政务服务事项654项。")["gov_service_items"] == 654
