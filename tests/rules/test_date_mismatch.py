from tests.conftest import analyze_text

BODY = "一、主要举措和成效\n全年办理复议案件3件。\n二、存在的不足和原因\n执法队伍力量不足。"


def report(title, opening, signature):
    return analyze_text(f"{title}\n{opening}\n{BODY}\n{signature}")


def mismatches(doc):
    return [f for f in doc.findings if f.rule == "date-mismatch"]


def test_dated_before_the_report_year_ended():
    doc = report(
        "青石县2025年法治政府建设年度报告",
        "2025年,我县全面推进依法行政。",
        "青石县人民政府\n2022年1月21日",
    )
    (finding,) = mismatches(doc)
    assert "2022-01-21" in finding.message and "2025" in finding.message
    assert doc.text[finding.start : finding.end].startswith("青石县人民政府")


def test_title_year_and_body_year_disagree():
    doc = report(
        "青石县2025年法治政府建设年度报告",
        "现将2021年法治政府建设情况报告如下:",
        "青石县人民政府\n2026年1月21日",
    )
    (finding,) = mismatches(doc)
    assert "2025" in finding.message and "2021" in finding.message
    assert doc.text[finding.start : finding.end] == doc.meta.title


def test_signed_two_years_after_the_report_year():
    doc = report(
        "青石县2021年法治政府建设年度报告",
        "2021年,我县全面推进依法行政。",
        "青石县人民政府\n2023年2月10日",
    )
    (finding,) = mismatches(doc)
    assert "2023-02-10" in finding.message


def test_a_page_publication_date_before_the_year_ended():
    doc = analyze_text(
        "青石县2025年法治政府建设年度报告\n发布日期:2025-06-30\n2025年,我县全面推进依法行政。\n"
        + BODY
    )
    assert len(mismatches(doc)) == 1


def test_normal_report_dated_in_the_next_first_quarter():
    doc = report(
        "青石县2025年法治政府建设年度报告",
        "2025年,我县全面推进依法行政。现将2025年法治政府建设情况报告如下:",
        "青石县人民政府\n2026年3月20日",
    )
    assert mismatches(doc) == []


def test_report_with_no_date():
    doc = report(
        "青石县2025年法治政府建设年度报告", "2025年,我县全面推进依法行政。", "青石县人民政府"
    )
    assert mismatches(doc) == []


def test_year_guessed_from_the_date_is_not_contradicted_by_it():
    # No title and no stated year: the year comes from the date and cannot clash with it.
    doc = analyze_text("我局全面推进依法行政。\n" + BODY + "\n青石县司法局\n2025年8月1日")
    assert mismatches(doc) == []


def test_such_a_report_gets_no_on_time_points():
    doc = report(
        "青石县2025年法治政府建设年度报告",
        "2025年,我县全面推进依法行政。",
        "青石县人民政府\n2022年1月21日",
    )
    on_time = doc.score["on_time"]
    assert on_time.score == 0.0 and "2022-01-21" in on_time.why
    # The same report dated in the next year's first quarter gets full points.
    doc = report(
        "青石县2025年法治政府建设年度报告",
        "2025年,我县全面推进依法行政。",
        "青石县人民政府\n2026年1月21日",
    )
    assert doc.score["on_time"].score == doc.score["on_time"].max
