from tests.conftest import analyze_text


def late(title, signature, body="全年办理复议案件3件。"):
    doc = analyze_text(f"{title}\n{body}\n{signature}")
    return [f.message for f in doc.findings if f.rule == "late-report"]


def test_department_after_march_first_is_late():
    (message,) = late("XX市司法局2021年法治政府建设年度报告", "XX市司法局\n2022年3月2日")
    assert "2022-03-02" in message and "2022-03-01" in message and "政府部门" in message


def test_department_on_the_deadline_is_on_time():
    assert late("XX市司法局2021年法治政府建设年度报告", "XX市司法局\n2022年3月1日") == []


def test_government_has_the_first_quarter():
    assert late("XX区2021年法治政府建设年度报告", "XX区人民政府\n2022年3月31日") == []
    assert len(late("XX区2021年法治政府建设年度报告", "XX区人民政府\n2022年4月1日")) == 1


def test_chinese_numeral_signature_date():
    assert len(late("XX市司法局2021年法治政府建设年度报告", "XX市司法局\n二〇二二年三月十日")) == 1


def test_publication_after_april_first_is_late():
    doc = analyze_text("XX区2021年法治政府建设年度报告\n发布日期:2022-04-15\n全年办理复议案件3件。")
    (finding,) = [f for f in doc.findings if f.rule == "late-report"]
    assert "公开" in finding.message and "2022-04-01" in finding.message


def test_undated_report_is_not_flagged():
    assert late("XX区2021年法治政府建设年度报告", "XX区人民政府") == []
