from tests.conftest import analyze_text


def gaps(text):
    doc = analyze_text(text)
    return [
        (doc.text[f.start : f.end], f.message) for f in doc.findings if f.rule == "enumeration-gap"
    ]


def test_inline_skip():
    (hit,) = gaps("一、主要做法\n一是落实条例。三是完善制度。")
    assert hit == ("三是", "序号“一是”之后是“三是”，缺少“二是”。")


def test_inline_repeat():
    assert [h[0] for h in gaps("一、主要做法\n一是甲。二是乙。二是丙。")] == ["二是"]


def test_lost_numeral():
    text = "一、主要做法\n一是加强领导。二是完善制度。三是强化监督。是发挥党建引领作用。"
    (hit,) = gaps(text)
    assert hit[0] == "是" and "四是" in hit[1]


def test_item_whose_full_stop_was_lost_still_counts():
    assert gaps("一、主要做法\n一是甲。二是乙。三是丙要求四是丁。") == []


def test_heading_skip_and_repeat():
    text = "一、甲\n内容。\n三、乙\n内容。\n三、丙\n内容。"
    assert [h[0] for h in gaps(text)] == ["三、", "三、"]


def test_subheadings_restart_under_each_parent():
    text = "一、甲\n(一)子。内容。\n(二)子。内容。\n二、乙\n(一)子。内容。\n(二)子。内容。"
    assert gaps(text) == []


def test_separate_lists_in_one_section_restart_at_one():
    assert gaps("一、甲\n一是甲。二是乙。另外,一是丙。二是丁。") == []


def test_words_ending_in_shi_are_not_items():
    assert gaps("一、甲\n关键是落实。统一是前提。") == []


def test_item_that_opens_with_a_figure_counts():
    assert gaps("一、安排\n一是3月底前完成清单调整;二是年内出台规定;三是6月底前全覆盖。") == []
