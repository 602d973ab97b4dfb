from tests.conftest import analyze_text


def hits(sentence):
    doc = analyze_text("XX区2021年法治政府建设年度报告\n" + sentence)
    return [f.message for f in doc.findings if f.rule == "arithmetic-mismatch"]


def test_received_is_handled_plus_pending():
    (message,) = hits("共接收投诉案件30953宗,已处理案件30827宗,待处理案件124宗。")
    assert "30951" in message


def test_consistent_received_handled_pending():
    assert hits("共接收投诉案件30953宗,已处理案件30829宗,待处理案件124宗。") == []


def test_parts_exceed_total():
    (message,) = hits("共办理案件100件,其中行政处罚80件,行政强制30件。")
    assert "110件" in message and "大于" in message


def test_subset_parts_below_total_are_fine():
    assert hits("全年共受理热线3134单,其中紧急工单38单,联动工单4单。") == []


def test_residual_category_must_close_the_sum():
    (message,) = hits("共梳理事项4141项,其中行政许可395项、行政处罚3071项、其他行政权力600项。")
    assert "不等于" in message


def test_rate_disagrees_with_its_counts():
    (message,) = hits("受理信访事项200宗,已办结150宗,办结率98%。")
    assert "75.00%" in message


def test_rate_may_be_rounded_or_truncated():
    assert hits("排查矛盾风险隐患183宗,妥善处置化解180宗,处置化解率98.3%。") == []
    assert hits("排查矛盾风险隐患183宗,妥善处置化解180宗,处置化解率98.4%。") == []


def test_rate_over_one_hundred():
    assert hits("行政复议纠错率达120%。") == ["比率“120%”超过100%。"]


def test_growth_over_one_hundred_is_fine():
    assert hits("办件量同比增长150%。") == []


def test_success_rate_against_the_cases_it_counts():
    (message,) = hits("调解纠纷1200件,调解成功1180件,调解成功率99.5%。")
    assert "98.33%" in message
    assert hits("调解纠纷1200件,调解成功1180件,调解成功率98.3%。") == []


def test_rate_of_another_outcome_is_not_checked_against_these_counts():
    # 纠错率 is corrected cases over decided ones, neither of which is stated.
    assert hits("受理行政复议案件320件,审结298件,纠错率12.5%。") == []


def test_outcomes_must_add_up_to_the_decided_cases():
    (message,) = hits("审结行政复议案件120件,维持80件、撤销20件、确认违法10件、驳回5件、终止3件。")
    assert "118件" in message
    assert (
        hits("审结7432件,其中维持4980件、撤销512件、确认违法206件、驳回1103件、终止631件。") == []
    )


def test_two_outcomes_may_be_a_selection():
    assert hits("审结行政复议案件120件,撤销8件、确认违法3件。") == []
