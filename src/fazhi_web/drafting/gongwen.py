"""A draft's blocks as a Word document in the 公文 format of GB/T 9704-2012.

Every measure comes from data/gbt9704.toml, which cites the standard. What Word needs
beyond the standard's words:
- 22 lines of 28 characters: a line grid (w:docGrid) whose pitch divides the 版心's height
  into 22 lines, with every paragraph at an exact line spacing of one grid line; and the
  body font (三号, 16 pt) condensed (w:spacing) to the widest pitch at which 28 characters
  fill the 版心's width and a 29th does not (15.75 pt, the "字间跨度" of 公文 templates).
  Character spacing rather than a character grid: Word, WPS and LibreOffice all lay it out
  alike, while LibreOffice gives each character two cells of a grid finer than the font;
- a font is named for East Asian text (w:eastAsia) as well as for Latin text; the
  template's theme fonts are removed, since a theme font wins over a named one;
- the page number is a PAGE field between two 一字线, right on odd pages and left on
  even ones (w:evenAndOddHeaders).
"""

from __future__ import annotations

import io
import math
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from fazhi_web.drafting.content import Block, load

TWIPS_PER_MM = 1440 / 25.4
STYLE_NAMES = {
    "title": "公文标题",
    "heading1": "公文一级标题",
    "heading2": "公文二级标题",
}


def spec() -> dict[str, Any]:
    return load("gbt9704")


def margins_mm() -> dict[str, float]:
    page = spec()["page"]
    return {
        "top": page["top_mm"],
        "bottom": page["height_mm"] - page["top_mm"] - page["text_height_mm"],
        "left": page["left_mm"],
        "right": page["width_mm"] - page["left_mm"] - page["text_width_mm"],
    }


def _twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def grid() -> tuple[int, int]:
    """(line pitch, character spacing of the body font), both in twips (1/20 pt).

    Rounded down, so that the page holds exactly the standard's count and not one fewer.
    """
    page = spec()["page"]
    height = _twips(page["height_mm"]) - _twips(page["top_mm"]) - _twips(margins_mm()["bottom"])
    width = _twips(page["width_mm"]) - _twips(page["left_mm"]) - _twips(margins_mm()["right"])
    line_pitch = height // page["lines"]
    body_twips = spec()["fonts"]["body"]["size_pt"] * 20
    return line_pitch, math.floor(width / page["chars"] - body_twips)


# What follows w:spacing in w:rPr (ECMA-376 CT_RPr): Word refuses elements out of order.
_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip


def _char_spacing(r_pr: Any, twips: int) -> None:
    spacing = r_pr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        r_pr.insert_element_before(spacing, *_AFTER_SPACING)
    spacing.set(qn("w:val"), str(twips))


# What follows w:autoSpaceDN in w:pPr (ECMA-376 CT_PPr).
_AFTER_AUTO_SPACE = (
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def _no_auto_space(p_pr: Any) -> None:
    """No extra space between Chinese and Latin text or digits (Word's default adds it).

    It would widen a line beyond the grid's 28 characters, and the 成文日期 beyond the
    width its place under the 署名 is counted with.
    """
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        flag = p_pr.find(qn(tag))
        if flag is None:
            flag = OxmlElement(tag)
            later = ("w:autoSpaceDN",) if tag == "w:autoSpaceDE" else ()
            p_pr.insert_element_before(flag, *later, *_AFTER_AUTO_SPACE)
        flag.set(qn("w:val"), "0")


def set_fonts(r_pr: Any, name: str) -> None:
    """Name `name` for every script of a run's (or style's) properties, East Asian included."""
    r_fonts = r_pr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(slot), name)


def _line_spacing(paragraph_format: Any, line_pitch: int) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Twips(line_pitch)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _style_font(style: Any, font: dict[str, Any]) -> None:
    style.font.size = Pt(font["size_pt"])
    style.font.bold = False
    set_fonts(style.element.get_or_add_rPr(), font["name"])


def _defaults(doc: Any, line_pitch: int, char_spacing: int) -> None:
    """The document defaults and Normal: body text, as 5.2.2 has every element by default."""
    body = spec()["fonts"]["body"]
    r_pr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(r_pr, body["name"])
    lang = r_pr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    r_pr.find(qn("w:sz")).set(qn("w:val"), str(body["size_pt"] * 2))
    r_pr.find(qn("w:szCs")).set(qn("w:val"), str(body["size_pt"] * 2))
    normal = doc.styles["Normal"]
    _style_font(normal, body)
    _char_spacing(normal.element.get_or_add_rPr(), char_spacing)
    _line_spacing(normal.paragraph_format, line_pitch)
    # 5.2.3 has the text fill the 版心 (撑满版心): no line is pushed to the next page.
    normal.paragraph_format.widow_control = False
    _no_auto_space(normal.element.get_or_add_pPr())
    normal.paragraph_format.first_line_indent = Pt(
        body["size_pt"] * spec()["body"]["first_line_chars"]
    )
    fonts = spec()["fonts"]
    for kind, style_name in STYLE_NAMES.items():
        style = doc.styles.add_style(style_name, WD_STYLE_TYPE.PARAGRAPH)
        # An ASCII id, as Word gives its own styles: the Chinese name is what users see.
        style.style_id = "Gongwen" + kind.capitalize()
        style.base_style = normal
        style.quick_style = True
        _style_font(style, fonts[kind])
        if kind == "title":
            # 二号 is not on the 三号 character pitch.
            _char_spacing(style.element.get_or_add_rPr(), 0)
            style.paragraph_format.first_line_indent = Pt(0)
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            # The navigation pane (and the engine's loader) read the outline level.
            outline = style.element.get_or_add_pPr().get_or_add_outlineLvl()
            outline.set(qn("w:val"), "0" if kind == "heading1" else "1")
        style.paragraph_format.keep_with_next = kind != "title"


def _page(doc: Any, line_pitch: int) -> None:
    page, margins = spec()["page"], margins_mm()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(page["width_mm"]), Mm(page["height_mm"])
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    number = spec()["fonts"]["page_number"]
    # The 一字线 sits mid-line: the number's line ends half a line below it.
    dash_from_bottom = margins["bottom"] - spec()["page_number"]["below_text_mm"]
    section.footer_distance = Mm(dash_from_bottom - number["size_pt"] / 2 * 25.4 / 72)
    doc_grid = section._sectPr.find(qn("w:docGrid"))
    doc_grid.set(qn("w:type"), "lines")
    doc_grid.set(qn("w:linePitch"), str(line_pitch))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: Any, align: Any) -> None:
    """“— 1 —”: 单页码居右空一字，双页码居左空一字 (7.5)."""
    font = spec()["fonts"]["page_number"]
    dash = spec()["page_number"]["dash"]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    one_char = Pt(font["size_pt"])
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = one_char
    else:
        fmt.left_indent = one_char
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        r.font.size = Pt(font["size_pt"])
        set_fonts(r._element.get_or_add_rPr(), font["name"])
        return r

    run(f"{dash} ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None)):
        r = run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._element.append(char)
        else:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            r._element.append(text)
    run("1")
    end = run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._element.append(char)
    run(f" {dash}")


def _signature_indents(signature: str, date: str) -> tuple[float, float]:
    """Right indents in characters of the 发文机关署名 and the 成文日期 (7.3.5.2)."""
    body = spec()["body"]
    right, shift = body["signature_right_chars"], body["date_shift_chars"]

    def width(text: str) -> float:
        # Arabic numerals are half-width (7.3.5.4 has them in the date).
        return sum(0.5 if ch.isascii() else 1 for ch in text)

    date_right = right + width(signature) - shift - width(date)
    if date_right < right:
        return right + (right - date_right), right
    return right, date_right


def write(blocks: list[Block]) -> bytes:
    doc = Document()
    line_pitch, char_spacing = grid()
    _defaults(doc, line_pitch, char_spacing)
    _page(doc, line_pitch)
    body_pt = spec()["fonts"]["body"]["size_pt"]
    signature = next((b.text for b in blocks if b.kind == "signature"), "")
    date = next((b.text for b in blocks if b.kind == "date"), "")
    indents = dict(zip(("signature", "date"), _signature_indents(signature, date), strict=True))
    for block in blocks:
        paragraph = doc.add_paragraph(block.text, STYLE_NAMES.get(block.kind))
        if block.kind in indents:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.right_indent = Pt(body_pt * indents[block.kind])
        elif block.kind == "blank":
            paragraph.paragraph_format.first_line_indent = Pt(0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
