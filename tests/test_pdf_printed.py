"""A PDF as browsers and office suites print it, through the whole pipeline.

`fixtures/load/nanxiong_2022_chromium.pdf` is seed 004 printed by Chromium's
print-to-PDF (11 pages, an embedded Chinese font, paragraphs indented by two
characters, the date and file name printed as running header and footer). It
is committed because those are what a PDF built by hand in a test lacks: the
text layer has no spaces for the indent, quotes are set full width, and both
running lines come out at the same edge of the page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fazhi.document import Document
from fazhi.load.pdf import join_wrapped
from fazhi.pipeline import analyze_path
from tests.conftest import findings_with_text

PDF = Path(__file__).parent / "fixtures" / "load" / "nanxiong_2022_chromium.pdf"


@pytest.fixture(scope="module")
def doc() -> Document:
    return analyze_path(PDF)


def test_metadata_from_the_printed_pdf(doc):
    m = doc.meta
    assert (m.title, m.unit, m.year, m.date) == (
        "南雄市2022年法治政府建设年度报告",
        "南雄市政务服务和数据管理局",
        2022,
        "2023-01-31",
    )


def test_running_header_and_footer_are_gone(doc):
    assert "file:///" not in doc.text and "ﬁle:///" not in doc.text
    assert not re.search(r"\d+/\d+/\d+, \d+:\d+", doc.text)


def test_wrapped_lines_are_rejoined(doc):
    # Every paragraph ends a sentence; only the wrapped first heading is left over.
    unfinished = [
        line for line in doc.text.split("\n") if len(line) > 30 and line[-1] not in "。:;!?"
    ]
    assert len(unfinished) <= 1


def test_same_findings_as_the_text_version(doc):
    assert findings_with_text(doc) == {("duplicate-sentence", "加强普法宣传,强化基层干部法治思维")}
    assert all(doc.parts[p].present for p in ("measures", "shortcomings", "next_year"))


def test_first_line_without_indent_spaces_still_continues():
    full = "全面推进依法行政加强行政执法监督规范行政执法行为提升执法水平"
    lines = [full[2:], full, full, "执法水平。", full[2:], full, "结束。"]
    assert join_wrapped(lines) == [
        full[2:] + full + full + "执法水平。",
        full[2:] + full + "结束。",
    ]


def test_quotes_count_full_width():
    full = "全面推进依法行政加强行政执法监督规范行政执法行为提升执法水平"
    quoted = "“全面”“推进”依法行政加强行政执法监督规范行政执法行为提升"
    lines = [full, quoted, full, full, "完。"]
    assert join_wrapped(lines) == ["".join(lines)]
