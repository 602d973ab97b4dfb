from tests.conftest import analyze_text


def hits(text):
    return [f for f in analyze_text(text).findings if f.rule == "missing-title"]


def test_body_without_title_is_flagged():
    (finding,) = hits("2020年,我局坚持依法行政。\n一、主要成效\n办理复议案件3件。")
    assert "2020年" in finding.message
    assert finding.start is None


def test_two_line_title_is_a_title():
    assert hits("XX县人民政府\n关于2021年法治政府建设情况的报告\n2021年,我县……") == []


def test_title_line_is_found_below_furniture():
    assert hits("本站已启用无障碍浏览系统\nXX市2022年法治政府建设年度报告\n2022年,我市……") == []


def test_first_sentence_is_not_taken_for_a_title():
    text = "现将2021年法治政府建设情况报告如下。\n一、主要举措"
    assert len(hits(text)) == 1
