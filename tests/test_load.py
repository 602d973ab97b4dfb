"""Tests for fazhi.load: every format, every encoding, and every kind of bad input.

Binary fixtures (docx, pdf, zip) are built here rather than committed, so each
test shows what its input is.
"""

from __future__ import annotations

import copy
import email.mime.multipart
import email.mime.text
import hashlib
import io
import random
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from fazhi.document import HeadingHint
from fazhi.load import (
    MAX_BYTES,
    SUPPORTED_SUFFIXES,
    InputError,
    load_bytes,
    load_path,
)
from fazhi.load import docx as load_docx

FIXTURES = Path(__file__).parent / "fixtures" / "load"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

REPORT = (
    "某县2021年法治政府建设年度报告\n"
    "2021年，我县坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政。\n"
    "一、主要举措和成效\n"
    "（一）加强组织领导。全年召开政府常务会议学法12次，办理行政复议案件35件。\n"
    "二、存在的不足\n"
    "基层执法力量不足，执法人员素质有待提高。\n"
    "某县人民政府\n"
    "2022年1月20日"
)


def message_of(excinfo: pytest.ExceptionInfo[InputError], name: str) -> str:
    """The error's message, checked for the shape every message must have."""
    message = str(excinfo.value)
    assert message.startswith(f"无法读取“{name}”："), message
    assert "\n" not in message and "\r" not in message
    assert message.endswith("。")
    assert "，" in message, "says what is wrong and what to do"
    return message


# -- builders --------------------------------------------------------------------


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF showing the given lines, its CID font mapped to Unicode by a ToUnicode CMap."""
    chars = sorted({c for page in pages for line in page for c in line})
    pairs = [f"<{ord(c):04X}> <{ord(c):04X}>" for c in chars]
    blocks = [
        f"{len(pairs[i : i + 100])} beginbfchar\n" + "\n".join(pairs[i : i + 100]) + "\nendbfchar"
        for i in range(0, len(pairs), 100)
    ]
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    kids = " ".join(f"{6 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /FZSong /Encoding /Identity-H"
        b" /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FZSong"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    for i, lines in enumerate(pages):
        ops = [
            f"BT /F1 12 Tf 1 0 0 1 72 {780 - 18 * j} Tm <{''.join(f'{ord(c):04X}' for c in line)}> Tj ET"
            for j, line in enumerate(lines)
        ]
        stream = "\n".join(ops).encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            f" /Resources << /Font << /F1 3 0 R >> >> /Contents {7 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# Two pages as a typical report PDF prints them: 30 characters to a line, the
# first line of a paragraph indented two characters, page numbers at the foot.
PDF_PAGES = [
    [
        "某市2021年法治政府建设年度报告",
        "　　2021年，本市坚持以习近平新时代中国特色社会主义思想为指",
        "导，深入贯彻党的十九大和十九届历次全会精神，全面推进依法行政",
        "工作，取得明显成效。",
        "一、主要举措",
        "　　（一）加强组织领导。全年召开常务会议学法12次，开展专题",
        "培训3期，参训人员1200人次。",
        "项目",
        "12",
        "- 1 -",
    ],
    [
        "第 2 页",
        "　　（二）推进严格规范公正文明执法，全面落实行政执法三项制度",
        "要求，行政复议案件纠错率为8.5%。",
        "二、存在问题",
        "　　一是基层执法力量不足。",
        "3",
    ],
]


def pdf_bytes(pages: list[list[str]] = PDF_PAGES) -> bytes:
    return make_pdf(pages)


def encrypt_pdf(content: bytes, user_password: str, algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def save_docx(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph().add_run("松山湖2020年法治政府建设年度报告").bold = True
    d.add_paragraph("2020年以来，松山湖以习近平新时代中国特色社会主义思想为指导。")
    d.add_heading("一、主要举措和成效", level=1)
    d.add_paragraph("（一）加强组织领导", style="Heading 2")
    p = d.add_paragraph()
    p.add_run("一是强化学习。").bold = True
    p.add_run("全年组织集体学法12次。")
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标", "2019年", "2020年"], ["复议案件", "10件", "12件"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph().add_run("二、存在问题").bold = True
    d.add_paragraph().add_run("执法人员数量不足，" * 8).bold = True
    d.add_paragraph("附件", style="Title")
    return save_docx(d)


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


# -- txt ---------------------------------------------------------------------------


def test_txt_real_report_loads_unchanged() -> None:
    path = FIXTURES / "jinfeng_2020.txt"
    raw = path.read_bytes()
    doc = load_path(path)
    assert doc.text == raw.decode("utf-8")
    assert doc.source.name == "jinfeng_2020.txt"
    assert doc.source.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.source.format == "txt"
    assert doc.source.encoding == "utf-8"
    assert doc.heading_hints == []


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-be", "utf-16"),  # no BOM
        ("utf-16-le", "utf-16"),  # no BOM
    ],
)
def test_txt_encodings(codec: str, expected: str) -> None:
    content = REPORT.encode(codec)
    if codec == "utf-16-be":
        content = b"\xfe\xff" + content
    doc = load_bytes("报告.txt", content)
    assert doc.text == REPORT
    assert doc.source.encoding == expected
    assert doc.source.sha256 == hashlib.sha256(content).hexdigest()


def test_txt_bomless_utf16_of_a_real_report() -> None:
    text = (FIXTURES / "jinfeng_2020.txt").read_text(encoding="utf-8")
    for codec in ("utf-16-le", "utf-16-be"):
        doc = load_bytes("report.txt", text.encode(codec))
        assert doc.text == text
        assert doc.source.encoding == "utf-16"


def test_txt_gb18030_only_characters_survive() -> None:
    # 䶮 and 𠀀 are outside GBK; a GBK decoder would lose them.
    text = REPORT + "\n䶮𠀀"
    doc = load_bytes("报告.txt", text.encode("gb18030"))
    assert doc.text == text
    assert doc.source.encoding == "gb18030"


def test_txt_page_declaring_gb2312_decodes_gbk_characters() -> None:
    # 镕 is GBK but not GB2312: pages declaring gb2312 use such characters.
    page = '<html><head><meta charset="gb2312"></head><body><p>朱镕基同志关于法治政府建设的讲话</p></body></html>'
    doc = load_bytes("page.html", page.encode("gbk"))
    assert "朱镕基" in doc.text
    assert doc.source.encoding == "gb18030"


def test_txt_short_gbk_is_not_read_as_big5() -> None:
    # charset-normalizer names Big5 for these four bytes.
    doc = load_bytes("报告.txt", "报告".encode("gbk"))
    assert doc.text == "报告"
    assert doc.source.encoding == "gb18030"


def test_txt_damaged_byte_and_cut_last_character_are_tolerated() -> None:
    gbk = REPORT.encode("gbk")
    boundary = len(REPORT[:30].encode("gbk"))
    damaged = gbk[:boundary] + b"\xff" + gbk[boundary:]
    doc = load_bytes("报告.txt", damaged)
    assert doc.source.encoding == "gb18030"
    assert "依法行政" in doc.text

    cut = REPORT.encode("utf-8")[:-1]
    doc = load_bytes("报告.txt", cut)
    assert doc.source.encoding == "utf-8"
    assert doc.text.startswith("某县2021年")


# -- html --------------------------------------------------------------------------


def gov_page() -> bytes:
    return (FIXTURES / "qingxi_gov_page.html").read_text(encoding="utf-8").encode("gbk")


def test_html_government_page_main_text() -> None:
    doc = load_bytes("清溪镇.html", gov_page())
    assert doc.source.format == "html"
    assert doc.source.encoding == "gb18030"
    lines = doc.text.split("\n")
    assert lines[0] == "清溪镇2021年法治政府建设年度报告"
    for expected in [
        "一、2021年推进法治政府建设的主要举措和成效",
        "项目\t数量",
        "行政复议案件\t12件",
        "清溪镇人民政府",
        "2022年1月20日",
    ]:
        assert expected in lines
    # Inline tags stay inside their line; <br> breaks it.
    assert any(line.endswith("全年召开专题会议6次。") for line in lines)
    assert any(line.endswith("办理行政许可事项3200件。") for line in lines)
    assert "全面推行行政执法公示制度。" in lines
    assert doc.text.index("一、2021年") < doc.text.index("二、存在的不足")
    for furniture in [
        "首页",
        "政务服务",
        "您当前的位置",
        "分享到",
        "微信",
        "相关文章",
        "清溪镇召开法治建设工作会议",
        "热点专题",
        "版权所有",
        "网站标识码",
        "全国法治政府建设示范",  # inside <script>
        "color:red",
        "打印本页",
    ]:
        assert furniture not in doc.text, furniture
    assert doc.page_info == {"published": "2022-01-21", "publisher": "清溪镇人民政府"}


def test_html_title_line_added_when_outside_the_content() -> None:
    page = """<html><head><meta charset="utf-8">
    <title>金凤区2020年度法治政府建设情况报告-银川市金凤区人民政府</title></head><body>
    <div id="topNav"><a href="/">首页</a> <a href="/a">无障碍</a></div>
    <div class="container">
      <div class="xxgk-info">发布日期：2021-02-26 11:10 发布机构：金凤区司法局 信息来源：本站</div>
      <div id="zoom">　　金凤区以习近平法治思想为指引，深入贯彻落实中央决定。<br>一、主要工作<br>
      　　全年办理行政复议案件35件，同比增长20%。<br>二、存在问题<br>执法队伍建设有待加强。</div>
    </div>
    <div class="copyright">版权所有：银川市金凤区人民政府</div></body></html>"""
    doc = load_bytes("jinfeng.htm", page.encode("utf-8"))
    lines = doc.text.split("\n")
    assert lines[0] == "金凤区2020年度法治政府建设情况报告"
    assert "一、主要工作" in lines
    assert "二、存在问题" in lines
    assert "首页" not in doc.text and "版权所有" not in doc.text
    assert doc.page_info == {"published": "2021-02-26", "publisher": "金凤区司法局"}
    assert doc.source.encoding == "utf-8"


def test_html_title_not_repeated_when_in_content() -> None:
    doc = load_bytes("清溪镇.html", gov_page())
    assert doc.text.count("清溪镇2021年法治政府建设年度报告") == 1


def test_html_page_wrapped_in_a_form_keeps_its_text() -> None:
    # ASP.NET sites put the whole page in one <form>; it is not furniture then.
    body = "".join(f"<p>第{i}段：全面推进依法行政，加强行政执法监督工作。</p>" for i in range(20))
    page = f'<html><body><form id="form1"><div class="nav"><a>首页</a></div><div class="content">{body}</div></form></body></html>'
    doc = load_bytes("aspx.html", page.encode("utf-8"))
    assert doc.text.count("加强行政执法监督工作") == 20
    assert "首页" not in doc.text


def test_html_word_web_page_list_numbers_kept() -> None:
    # What Word writes for "Save as web page": list numbers inside conditionals.
    page = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
    <meta http-equiv=Content-Type content="text/html; charset=utf-8">
    <!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
    </head><body><div class=WordSection1>
    <p class=MsoListParagraph><![if !supportLists]><span>一、</span><![endif]>主要举措和成效<o:p></o:p></p>
    <p class=MsoNormal>全年办理行政复议案件35件，同比增长20%。<o:p></o:p></p>
    </div></body></html>"""
    doc = load_bytes("报告.doc", page.encode("utf-8"))
    assert doc.source.format == "html"
    assert doc.text.split("\n") == ["一、主要举措和成效", "全年办理行政复议案件35件，同比增长20%。"]


def test_html_declared_charset_wrong_falls_back_to_text_rules() -> None:
    page = (
        '<html><head><meta charset="utf-8"></head><body><p>全面推进依法行政工作</p></body></html>'
    )
    doc = load_bytes("page.html", page.encode("gbk"))
    assert doc.text == "全面推进依法行政工作"
    assert doc.source.encoding == "gb18030"


def test_html_without_declared_charset_uses_text_rules() -> None:
    page = "<html><body><p>全面推进依法行政工作，加强行政执法监督。</p></body></html>"
    doc = load_bytes("page.htm", page.encode("gbk"))
    assert doc.text == "全面推进依法行政工作，加强行政执法监督。"
    assert doc.source.encoding == "gb18030"


def test_html_layout_table_page() -> None:
    paragraph = "<p>　　全面推进依法行政，加强行政执法监督，规范执法行为，办理案件{}件。</p>"
    page = f"""<html><body><table><tr><td colspan=2>某市人民政府网站</td></tr>
    <tr><td><a href=1>机构概况</a><br><a href=2>政务公开</a><br><a href=3>办事服务</a></td>
    <td><table><tr><td class=wzbt>某市2021年法治政府建设年度报告</td></tr>
    <tr><td>发布时间：2022-02-01</td></tr>
    <tr><td>{"".join(paragraph.format(i) for i in range(6))}<p>某市人民政府</p></td></tr>
    </table></td></tr><tr><td colspan=2>主办：某市人民政府办公室</td></tr></table></body></html>"""
    doc = load_bytes("报告.html", page.encode("utf-8"))
    lines = doc.text.split("\n")
    assert lines[0] == "某市2021年法治政府建设年度报告"
    assert lines[-1] == "某市人民政府"
    assert len(lines) == 8
    assert doc.page_info == {"published": "2022-02-01"}


def test_html_page_with_only_furniture() -> None:
    page = """<html><head><title>某县2021年法治政府建设年度报告</title></head><body>
    <div class="nav"><a href="/">首页</a> <a href="/x">政务公开</a></div>
    <div id="content"></div><script>load("/api/article/1")</script>
    <div class="footer">版权所有：某县人民政府</div></body></html>"""
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.html", page.encode("utf-8"))
    assert "没有找到报告正文" in message_of(excinfo, "报告.html")


def test_html_mhtml_web_archive() -> None:
    archive = email.mime.multipart.MIMEMultipart("related")
    page = "<html><body><div><p>全面推进依法行政工作，加强行政执法监督。</p></div></body></html>"
    archive.attach(email.mime.text.MIMEText(page, "html", "gb2312"))
    content = archive.as_bytes()
    doc = load_bytes("报告.mht.doc", content)
    assert doc.source.format == "html"
    assert doc.text == "全面推进依法行政工作，加强行政执法监督。"


# -- docx --------------------------------------------------------------------------


def test_docx_body_order_and_tables() -> None:
    doc = load_bytes("报告.docx", report_docx())
    assert doc.source.format == "docx"
    assert doc.source.encoding is None
    assert doc.text.split("\n") == [
        "松山湖2020年法治政府建设年度报告",
        "2020年以来，松山湖以习近平新时代中国特色社会主义思想为指导。",
        "一、主要举措和成效",
        "（一）加强组织领导",
        "一是强化学习。全年组织集体学法12次。",
        "指标\t2019年\t2020年",
        "复议案件\t10件\t12件",
        "二、存在问题",
        "执法人员数量不足，" * 8,
        "附件",
    ]


def test_docx_heading_hints() -> None:
    doc = load_bytes("报告.docx", report_docx())
    assert doc.heading_hints == [
        HeadingHint("松山湖2020年法治政府建设年度报告", 0),  # bold, first: the title
        HeadingHint("一、主要举措和成效", 1),  # Heading 1
        HeadingHint("（一）加强组织领导", 2),  # Heading 2
        HeadingHint("二、存在问题", 1),  # bold, short
        HeadingHint("附件", 0),  # Title
    ]


def test_docx_bold_from_style_and_not_bold_override() -> None:
    d = docx.Document()
    d.add_paragraph("正文第一段，说明全年工作情况。")
    strong = d.styles.add_style("报告小标题", WD_STYLE_TYPE.PARAGRAPH)
    strong.font.bold = True
    d.add_paragraph("三、下一步工作安排", style=strong)
    p = d.add_paragraph("四、其他事项", style=strong)
    p.runs[0].bold = False
    doc = load_bytes("报告.docx", save_docx(d))
    assert doc.heading_hints == [HeadingHint("三、下一步工作安排", 1)]


def add_chinese_numbering(document: docx.document.Document) -> None:
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f"""<w:abstractNum {W_NS} w:abstractNumId="90">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
                <w:lvlText w:val="%1、"/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
                <w:lvlText w:val="（%2）"/></w:lvl>
              <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
                <w:lvlText w:val="%3."/></w:lvl>
            </w:abstractNum>"""
        ),
    )
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))


def numbered(document: docx.document.Document, text: str, level: int) -> None:
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
    )


def test_docx_automatic_list_numbers_are_rendered() -> None:
    d = docx.Document()
    add_chinese_numbering(d)
    numbered(d, "主要举措", 0)
    numbered(d, "加强组织领导", 1)
    numbered(d, "开展学法", 2)
    numbered(d, "开展培训", 2)
    numbered(d, "严格执法", 1)
    for i in range(10):
        numbered(d, f"事项{i}", 0)
    numbered(d, "存在问题", 0)
    d.add_paragraph("第一项", style="List Number")
    d.add_paragraph("第二项", style="List Number")
    lines = load_bytes("报告.docx", save_docx(d)).text.split("\n")
    assert lines[:5] == [
        "一、主要举措",
        "（一）加强组织领导",
        "1.开展学法",
        "2.开展培训",
        "（二）严格执法",
    ]
    assert lines[5] == "二、事项0"
    assert lines[14] == "十一、事项9"
    assert lines[15] == "十二、存在问题"
    # The template's List Number style numbers through its style.
    assert lines[16:] == ["1.第一项", "2.第二项"]


def test_docx_content_controls_hyperlinks_and_tracked_deletions() -> None:
    d = docx.Document()
    d.add_paragraph("开头")
    body = d.element.body
    body.insert(
        len(body) - 1,
        parse_xml(
            f"""<w:sdt {W_NS}><w:sdtContent><w:p><w:r><w:t>控件里的段落</w:t></w:r></w:p>
            </w:sdtContent></w:sdt>"""
        ),
    )
    body.insert(
        len(body) - 1,
        parse_xml(
            f"""<w:p {W_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
              <w:r><w:t xml:space="preserve">见</w:t></w:r>
              <w:hyperlink r:id="rId99"><w:r><w:t>附件一</w:t></w:r></w:hyperlink>
              <w:del w:id="1" w:author="a"><w:r><w:delText>删除的话</w:delText></w:r></w:del>
              <w:ins w:id="2" w:author="a"><w:r><w:t>，新增的话</w:t></w:r></w:ins>
              <w:r><w:tab/><w:t>完</w:t></w:r></w:p>"""
        ),
    )
    doc = load_bytes("报告.docx", save_docx(d))
    assert doc.text.split("\n") == ["开头", "控件里的段落", "见附件一，新增的话\t完"]


# -- pdf ---------------------------------------------------------------------------


def test_pdf_text_layer() -> None:
    doc = load_bytes("报告.pdf", pdf_bytes())
    assert doc.source.format == "pdf"
    assert doc.source.encoding is None
    assert doc.text.split("\n") == [
        "某市2021年法治政府建设年度报告",
        # Lines wrapped at the text width are one paragraph again.
        "2021年，本市坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻党的"
        "十九大和十九届历次全会精神，全面推进依法行政工作，取得明显成效。",
        "一、主要举措",
        "（一）加强组织领导。全年召开常务会议学法12次，开展专题培训3期，参训人员1200人次。",
        "项目",
        "12",  # a number inside the page is content, not a page number
        "（二）推进严格规范公正文明执法，全面落实行政执法三项制度要求，行政复议案件纠错率为8.5%。",
        "二、存在问题",
        "一是基层执法力量不足。",
    ]


def test_pdf_running_headers_removed() -> None:
    body = "　　全面推进依法行政，加强行政执法监督，规范行政执法行为，提升执法水平{}。"
    pages = [
        ["某市人民政府文件", *(body.format(f"{i}{j}") for j in range(3)), f"第 {i} 页 共 4 页"]
        for i in range(1, 5)
    ]
    doc = load_bytes("报告.pdf", make_pdf(pages))
    assert "某市人民政府文件" not in doc.text
    assert "页" not in doc.text
    assert doc.text.count("提升执法水平") == 12


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_encrypted_without_user_password_opens(algorithm: str) -> None:
    doc = load_bytes("报告.pdf", encrypt_pdf(pdf_bytes(), "", algorithm))
    assert doc.text.startswith("某市2021年法治政府建设年度报告\n")


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_pdf_encrypted_with_password_refused(algorithm: str) -> None:
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.pdf", encrypt_pdf(pdf_bytes(), "secret", algorithm))
    assert "已加密" in message_of(excinfo, "报告.pdf")
    assert "未加密" in str(excinfo.value)


def test_pdf_blank_pages_refused_as_scanned() -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(InputError) as excinfo:
        load_bytes("扫描件.pdf", out.getvalue())
    message = message_of(excinfo, "扫描件.pdf")
    assert "扫描件" in message and "文字层" in message and "Word" in message


def test_pdf_with_only_page_numbers_refused_as_scanned() -> None:
    pages = [["第 1 页", "某市"], ["第 2 页"], ["第 3 页"]]
    with pytest.raises(InputError) as excinfo:
        load_bytes("扫描件.pdf", make_pdf(pages))
    assert "扫描件" in message_of(excinfo, "扫描件.pdf")


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\nnot really a pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, pdf_bytes()[:700]],
)
def test_pdf_damaged_refused(content: bytes) -> None:
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.pdf", content)
    assert "损坏" in message_of(excinfo, "报告.pdf")


# -- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_empty_file(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"报告{suffix}"
    path.write_bytes(b"")
    with pytest.raises(InputError) as excinfo:
        load_path(path)
    assert "空" in message_of(excinfo, path.name)


@pytest.mark.parametrize(
    "content",
    [
        b" \r\n\t ",
        "\u3000\u3000\n".encode(),
        " \n".encode("utf-16"),
        b"<html><body> </body></html>",
    ],
)
def test_whitespace_only_is_empty(content: bytes) -> None:
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.txt", content)
    assert "空" in message_of(excinfo, "报告.txt")


def test_empty_docx_is_empty() -> None:
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.docx", save_docx(docx.Document()))
    assert "空" in message_of(excinfo, "报告.docx")


@pytest.mark.parametrize("seed", range(5))
def test_binary_junk_txt(seed: int) -> None:
    content = random.Random(seed).randbytes(4096)
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.txt", content)
    assert "不是可识别的文本" in message_of(excinfo, "报告.txt")


@pytest.mark.parametrize(
    "content",
    [
        "法治政府建设".encode() + b"\x00\x01\x02\x03\x00" * 50,  # NULs on no parity
        bytes(range(1, 32)) * 40,  # ASCII controls decode as UTF-8
        "报告".encode("gbk") + bytes(range(0x80, 0x100)) * 4,
    ],
)
def test_binary_junk_with_text_in_it(content: bytes) -> None:
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.txt", content)
    message_of(excinfo, "报告.txt")


def test_corrupt_docx_not_a_zip() -> None:
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.docx", random.Random(1).randbytes(2048))
    message = message_of(excinfo, "报告.docx")
    assert "损坏" in message and "Word" in message


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"readme.txt": b"hello"}, "损坏"),
        ({"[Content_Types].xml": b"<Types/>", "word/other.xml": b"<x/>"}, "损坏"),
        ({"xl/workbook.xml": b"<workbook/>"}, "Excel"),
    ],
)
def test_zip_that_is_not_a_word_document(members: dict[str, bytes], expected: str) -> None:
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.docx", zip_bytes(members))
    assert expected in message_of(excinfo, "报告.docx")


def test_docx_with_damaged_document_xml() -> None:
    good = zipfile.ZipFile(io.BytesIO(report_docx()))
    members = {name: good.read(name) for name in good.namelist()}
    members["word/document.xml"] = b"<w:document><unclosed"
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.docx", zip_bytes(members))
    assert "损坏" in message_of(excinfo, "报告.docx")


def test_zip_bomb_refused_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    good = zipfile.ZipFile(io.BytesIO(report_docx()))
    members = {name: good.read(name) for name in good.namelist()}
    # 20 MiB of zeros squeeze into about 20 KiB: a ratio near 1000.
    members["word/media/image1.bin"] = bytes(20 * 1024 * 1024)
    bomb = zip_bytes(members)

    def no_parsing(*args: object) -> None:
        raise AssertionError("a zip bomb must not be handed to python-docx")

    monkeypatch.setattr(docx, "Document", no_parsing)
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.docx", bomb)
    assert "解压后体积过大" in message_of(excinfo, "报告.docx")


def test_zip_total_uncompressed_size_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    content = report_docx()
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist())
    monkeypatch.setattr(load_docx, "MAX_UNCOMPRESSED", total - 1)
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.docx", content)
    assert "解压后体积过大" in message_of(excinfo, "报告.docx")
    monkeypatch.setattr(load_docx, "MAX_UNCOMPRESSED", total)
    assert load_bytes("报告.docx", content).text


def test_too_large_bytes() -> None:
    content = b"a" * (MAX_BYTES + 1)
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.txt", content)
    assert "50 MiB" in message_of(excinfo, "报告.txt")
    assert MAX_BYTES == 50 * 1024 * 1024


def test_too_large_path_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "报告.pdf"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: read, it would be NUL junk instead
    with pytest.raises(InputError) as excinfo:
        load_path(path)
    assert "大小上限" in message_of(excinfo, "报告.pdf")


@pytest.mark.parametrize("name", ["报表.xls", "截图.PNG", "报告.zip", "报告.ods"])
def test_unsupported_extension(name: str) -> None:
    with pytest.raises(InputError) as excinfo:
        load_bytes(name, REPORT.encode())
    message = message_of(excinfo, name)
    assert "不支持" in message
    for fmt in ("TXT", "HTML", "DOCX", "DOC", "WPS", "ODT", "PDF"):
        assert fmt in message


def test_unsupported_extension_on_disk_is_refused_unread(tmp_path: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        load_path(tmp_path / "不存在.xls")
    assert "不支持" in message_of(excinfo, "不存在.xls")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        load_path(tmp_path / "没有这个文件.txt")
    assert "不存在" in message_of(excinfo, "没有这个文件.txt")
    folder = tmp_path / "报告.docx"
    folder.mkdir()
    with pytest.raises(InputError) as excinfo:
        load_path(folder)
    assert "文件夹" in message_of(excinfo, "报告.docx")


def test_picture_and_archive_named_as_reports() -> None:
    png = b"\x89PNG\r\n\x1a\n" + random.Random(2).randbytes(512)
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.pdf", png)
    assert "图片" in message_of(excinfo, "报告.pdf")
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.doc", b"Rar!\x1a\x07\x00" + bytes(64))
    assert "压缩包" in message_of(excinfo, "报告.doc")


def test_file_name_with_line_break_keeps_message_on_one_line() -> None:
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告\n第二行.txt", b"")
    assert "\n" not in str(excinfo.value)


# -- sniffing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("报告.txt", pdf_bytes(), "pdf"),
        ("报告.txt", report_docx(), "docx"),
        ("报告.pdf", report_docx(), "docx"),
        ("报告.docx", pdf_bytes(), "pdf"),
        ("报告.docx", "<html><body><p>全面推进法治政府建设</p></body></html>".encode(), "html"),
        ("报告.docx", REPORT.encode("gbk"), "txt"),
        ("报告.html", REPORT.encode(), "txt"),
        (
            "报告.txt",
            "<!DOCTYPE html><html><body><p>推进法治政府建设</p></body></html>".encode(),
            "html",
        ),
        ("报告", pdf_bytes(), "pdf"),
        ("报告（2021.1.5）", REPORT.encode(), "txt"),
    ],
)
def test_content_decides_the_format(name: str, content: bytes, fmt: str) -> None:
    doc = load_bytes(name, content)
    assert doc.source.format == fmt
    assert "法治政府" in doc.text


def test_pdf_with_junk_before_header() -> None:
    doc = load_bytes("报告.pdf", b"\r\n\x00garbage" + pdf_bytes())
    assert doc.source.format == "pdf"


@pytest.mark.parametrize(("suffix", "what"), [(".pdf", "PDF"), (".docx", "Word"), (".doc", "Word")])
def test_junk_with_binary_extension_is_a_damaged_file_of_that_kind(suffix: str, what: str) -> None:
    with pytest.raises(InputError) as excinfo:
        load_bytes(f"报告{suffix}", random.Random(3).randbytes(3000))
    message = message_of(excinfo, f"报告{suffix}")
    assert "损坏" in message and what in message


def test_load_path_and_load_bytes_agree(tmp_path: Path) -> None:
    # One build: python-docx stamps zip entries with the current time.
    data = report_docx()
    path = tmp_path / "报告.docx"
    path.write_bytes(data)
    assert load_path(path) == load_bytes("报告.docx", data)


# -- never a traceback ---------------------------------------------------------------

SAMPLES = {".pdf": pdf_bytes(), ".docx": report_docx(), ".html": gov_page()}


def load_or_refuse(name: str, content: bytes) -> None:
    try:
        doc = load_bytes(name, content)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("无法读取“")
    else:
        assert doc.text.strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    suffix=st.sampled_from([*sorted(SUPPORTED_SUFFIXES), ""]),
    content=st.binary(min_size=1, max_size=2048),
)
def test_random_bytes_never_raise_anything_else(suffix: str, content: bytes) -> None:
    load_or_refuse(f"报告{suffix}", content)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    suffix=st.sampled_from(sorted(SAMPLES)),
    data=st.data(),
)
def test_damaged_real_files_never_raise_anything_else(suffix: str, data: st.DataObject) -> None:
    content = bytearray(copy.copy(SAMPLES[suffix]))
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(content) - 1))
        content[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(content) // 2, len(content)))
    load_or_refuse(f"报告{suffix}", bytes(content[:cut]))
