import pytest

from tests.conftest import analyze_text


def hits(title):
    doc = analyze_text(title + "\n2021年,我区全面推进依法行政。")
    return [doc.text[f.start : f.end] for f in doc.findings if f.rule == "nonstandard-title"]


@pytest.mark.parametrize(
    "title",
    [
        "XX区2021年法治政府建设年度报告",
        "XX区2021年度法治政府建设情况报告",
        "XX区2021年法治政府建设工作情况报告",
        "XX县人民政府关于2021年度法治政府建设工作情况的报告",
        "XX镇二〇二一年法治政府建设年度报告",
        "2021年度XX县法治政府建设情况报告",
    ],
)
def test_standard_titles_pass(title):
    assert hits(title) == []


@pytest.mark.parametrize(
    "title",
    [
        "松山湖2020年法治政府建设的年度报告",
        "XX区法治政府建设年度报告",
        "XX区2021年法治政府建设工作总结报告",
        "XX局2021年依法行政工作报告",
    ],
)
def test_nonstandard_titles_are_flagged(title):
    assert hits(title) == [title]
