"""The draft's layout read back from the .docx: GB/T 9704-2012 as data/gbt9704.toml has it.

Read back with python-docx, and once laid out by LibreOffice and measured on the page:
a full page holds 22 lines, a full line 28 characters.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import docx
import pypdf
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn

from fazhi.load import office
from fazhi_web.drafting import gongwen
from fazhi_web.drafting.content import compose

FIGURES = {"normative_docs_issued": 28.0, "major_decisions": 12.0, "disclosure_on_request": 0.0}
# A long plan, in Chinese characters only, so that the draft has full lines and full pages.
LONG_ITEM = "持续深化法治政府建设示范创建工作" * 6


def draft(plan: list[str] | None = None, unit: str = "东莞市司法局") -> docx.document.Document:
    blocks = compose(
        unit, 2020, FIGURES, plan or ["开展政府法律服务体系探索"], [], dt.date(2021, 2, 20)
    )
    return docx.Document(io.BytesIO(gongwen.write(blocks)))


def fonts(r_pr) -> dict[str, str | None]:
    r_fonts = r_pr.find(qn("w:rFonts"))
    return {
        slot: r_fonts.get(qn(f"w:{slot}"))
        for slot in ("ascii", "hAnsi", "eastAsia", "cs", "asciiTheme", "eastAsiaTheme")
    }


def by_style(doc, name):
    return [p for p in doc.paragraphs if p.style.name == name]


def test_the_page_is_a4_with_the_standard_margins():
    section = draft().sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm, 1) for m in margins] == [37.0, 35.0, 28.0, 26.0]


def test_the_grid_holds_22_lines_of_28_characters():
    doc = draft()
    section = doc.sections[0]
    height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch")))
    assert grid.get(qn("w:type")) == "lines"
    assert 22 * pitch <= height < 23 * pitch
    normal = doc.styles["Normal"]
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.twips == pitch
    assert normal.paragraph_format.widow_control is False
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        assert normal.element.pPr.find(qn(tag)).get(qn("w:val")) == "0"
    spacing = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")))
    char_pitch = normal.font.size.twips + spacing  # 三号 condensed: 15.75 pt
    assert 28 * char_pitch <= width < 29 * char_pitch
    assert char_pitch == 315


def test_east_asian_fonts_and_sizes_are_named_in_every_style():
    doc = draft()
    defaults = (
        doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    )
    assert fonts(defaults)["eastAsia"] == "仿宋_GB2312" and fonts(defaults)["eastAsiaTheme"] is None
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    expected = {
        "Normal": ("仿宋_GB2312", 16),
        "公文标题": ("方正小标宋简体", 22),
        "公文一级标题": ("黑体", 16),
        "公文二级标题": ("楷体_GB2312", 16),
    }
    for name, (font, size) in expected.items():
        style = doc.styles[name]
        named = fonts(style.element.rPr)
        assert named["eastAsia"] == named["ascii"] == named["hAnsi"] == font, name
        assert named["asciiTheme"] is None and named["eastAsiaTheme"] is None, name
        assert style.font.size.pt == size and not style.font.bold, name


def test_title_headings_and_body_use_their_styles():
    doc = draft()
    (title,) = by_style(doc, "公文标题")
    assert title.text == "东莞市司法局2020年法治政府建设年度报告"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert doc.paragraphs[0].text == title.text
    first = [p.text for p in by_style(doc, "公文一级标题")]
    assert [t[:2] for t in first] == ["一、", "二、", "三、", "四、", "五、"]
    second = [p.text for p in by_style(doc, "公文二级标题")]
    assert second and all(re.match(r"（[一二三四五]）", t) for t in second)
    outline = {
        name: doc.styles[name].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val"))
        for name in ("公文一级标题", "公文二级标题")
    }
    assert outline == {"公文一级标题": "0", "公文二级标题": "1"}
    # 每个自然段左空二字.
    assert doc.styles["Normal"].paragraph_format.first_line_indent.pt == 32


def test_page_numbers_are_half_width_song_between_dashes_outside_on_each_side():
    doc = draft()
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for paragraph, align in ((odd, WD_ALIGN_PARAGRAPH.RIGHT), (even, WD_ALIGN_PARAGRAPH.LEFT)):
        assert paragraph.text == "— 1 —"
        assert paragraph.alignment == align
        instructions = [t.text for t in paragraph._element.iter(qn("w:instrText"))]
        assert instructions == [" PAGE "]
        for run in paragraph.runs:
            assert run.font.size.pt == 14
            assert fonts(run._element.rPr)["eastAsia"] == fonts(run._element.rPr)["ascii"] == "宋体"
    assert odd.paragraph_format.right_indent.pt == 14
    assert even.paragraph_format.left_indent.pt == 14
    # The 一字线, mid-line, 7 mm below the 版心: 35 − 7 mm from the page's edge.
    line_mm = 14 * 25.4 / 72
    assert section.footer_distance.mm + line_mm / 2 == pytest.approx(28, abs=0.1)


@pytest.mark.parametrize("unit", ["东莞市司法局", "东莞松山湖高新区管委会", "局"])
def test_the_date_starts_two_characters_right_of_the_signature(unit):
    doc = draft(unit=unit)
    signature, date = doc.paragraphs[-2], doc.paragraphs[-1]
    assert (signature.text, date.text) == (unit, "2021年2月20日")
    assert signature.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    sig_right = signature.paragraph_format.right_indent.pt / 16
    date_right = date.paragraph_format.right_indent.pt / 16
    # Where each starts, counted in characters from the right edge; digits are half-width.
    date_width = 3 + 7 * 0.5
    assert date_right + date_width == pytest.approx(sig_right + len(unit) - 2)
    assert min(sig_right, date_right) == 2


def test_laid_out_by_libreoffice_a_full_page_has_22_lines_of_28_characters(tmp_path):
    soffice = office.find_soffice()
    assert soffice, "LibreOffice is required for this test: run scripts/ensure-libreoffice.sh"
    source = tmp_path / "draft.docx"
    blocks = compose("东莞市司法局", 2020, FIGURES, [LONG_ITEM] * 12, [], dt.date(2021, 2, 20))
    source.write_bytes(gongwen.write(blocks))
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=180,
    )  # fmt: skip
    pages = pypdf.PdfReader(Path(tmp_path / "draft.pdf")).pages
    assert len(pages) >= 3
    # Page 2 is all plan items: 22 lines of text, then its number.
    lines = [line.replace(" ", "") for line in pages[1].extract_text().splitlines()]
    lines = [line for line in lines if line]
    assert lines[-1] == "—2—"
    text = lines[:-1]
    assert len(text) == 22
    assert max(len(line) for line in text) == 28
    assert sum(len(line) == 28 for line in text) >= 10
