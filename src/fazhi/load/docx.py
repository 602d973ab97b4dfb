"""Word .docx: body text in reading order, table rows as lines, heading hints.

The body is read from its XML children so paragraphs and tables keep their
order. Automatic list numbers ("一、", "（二）") are not in the runs but in
numbering.xml; they are rendered back, because the heading markers later
stages look for are often exactly those numbers.

A .docx is a zip: its central directory is checked before anything is
decompressed, so a zip bomb is refused without being opened.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fazhi.document import HeadingHint
from fazhi.load.errors import InputError, input_error

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.styles.style import BaseStyle

# Limits on what a .docx may unpack to; a real report is a few MiB at most.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
# Small members (styles, settings) compress very well and are harmless.
RATIO_MIN_SIZE = 1024 * 1024
MAX_MEMBERS = 10_000

# A bold paragraph shorter than this reads as a heading.
BOLD_HEADING_MAX = 60

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_MAIN_TYPE = "wordprocessingml.document.main+xml"
# Inside a paragraph these hold no text of its own: properties, deleted runs,
# the fallback copy of a drawing, and text boxes (a separate flow).
_SKIP = frozenset(
    {_W + "pPr", _W + "rPr", _W + "del", _W + "moveFrom", _W + "txbxContent", _MC_FALLBACK}
)
_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*([1-9])", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "标题"})
_FALSE = frozenset({"0", "false", "off", "none"})
_MAX_STYLE_DEPTH = 10


@dataclass
class Extracted:
    text: str
    heading_hints: list[HeadingHint] = field(default_factory=list)


def damaged(name: str) -> InputError:
    return input_error(
        name, "文件已损坏或不是有效的 Word 文档", "请用 Word 或 WPS 打开后重新另存为 .docx 再提交"
    )


def check_zip(name: str, archive: zipfile.ZipFile) -> None:
    """Refuse archives that would unpack to far more than any report."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _bomb(name)
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_SIZE and ratio > MAX_RATIO:
            raise _bomb(name)
    if total > MAX_UNCOMPRESSED:
        raise _bomb(name)


def _bomb(name: str) -> InputError:
    return input_error(
        name,
        "压缩内容异常（解压后体积过大），可能是损坏或恶意构造的文件",
        "请用 Word 或 WPS 打开后重新另存为 .docx 再提交",
    )


def _not_word(name: str, archive: zipfile.ZipFile) -> InputError:
    names = set(archive.namelist())
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:100]
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
            mimetype = b""
        if b"opendocument.text" in mimetype:
            return input_error(
                name, "这是 OpenDocument 文本（.odt）文件", "请另存为 .docx 或 .pdf 后再提交"
            )
    if "xl/workbook.xml" in names:
        return input_error(name, "这是 Excel 表格而不是 Word 文档", "请提交报告的 Word 或 PDF 文件")
    if "ppt/presentation.xml" in names:
        return input_error(
            name, "这是 PowerPoint 演示文稿而不是 Word 文档", "请提交报告的 Word 或 PDF 文件"
        )
    return damaged(name)


def is_word_zip(archive: zipfile.ZipFile) -> bool:
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return True
    if "[Content_Types].xml" not in names:
        return False
    try:
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > RATIO_MIN_SIZE:
            return False
        return _MAIN_TYPE.encode() in archive.read(info)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return False


# -- numbering ---------------------------------------------------------------

_CHINESE_DIGITS = "零一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PARENS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"


def _chinese(n: int, digits: str = _CHINESE_DIGITS, units: str = "十百千") -> str:
    if n <= 0 or n >= 10000:
        return str(n)
    out = ""
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += digits[0]
            zero = False
        out += digits[d] + unit
    # 十一, not 一十一, as Word writes it.
    if digits is _CHINESE_DIGITS and 10 <= n < 20:
        out = out[1:]
    return out


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += letters
            n -= value
    return out


def _letter(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _cycle(n: int, symbols: str) -> str:
    return symbols[(n - 1) % len(symbols)] if n > 0 else str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting"):
        return _chinese(n)
    if fmt in ("taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _LEGAL_DIGITS, "拾佰仟")
    if fmt == "ideographTraditional":
        return _cycle(n, _TIANGAN)
    if fmt == "ideographZodiac":
        return _cycle(n, _DIZHI)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return _PARENS[n - 1] if 0 < n <= len(_PARENS) else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return _FULLSTOP[n - 1] if 0 < n <= len(_FULLSTOP) else f"{n}."
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    return str(n)


def _val(el: Any, path: str) -> str | None:
    found = el.find(path) if el is not None else None
    return found.get(_W + "val") if found is not None else None


@dataclass
class _Level:
    start: int
    fmt: str
    text: str
    suffix: str


class _Numbering:
    """List numbers as Word shows them, counted in document order."""

    def __init__(self, numbering: Any) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        if numbering is None:
            return
        for abstract in numbering.iterchildren(_W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iterchildren(_W + "lvl"):
                try:
                    ilvl = int(lvl.get(_W + "ilvl", "0"))
                    start = int(_val(lvl, _W + "start") or "1")
                except ValueError:
                    continue
                levels[ilvl] = _Level(
                    start,
                    _val(lvl, _W + "numFmt") or "decimal",
                    _val(lvl, _W + "lvlText") or "",
                    _val(lvl, _W + "suff") or "tab",
                )
            self._abstract[abstract.get(_W + "abstractNumId", "")] = levels
        for num in numbering.iterchildren(_W + "num"):
            overrides: dict[int, int] = {}
            for override in num.iterchildren(_W + "lvlOverride"):
                restart = _val(override, _W + "startOverride")
                if restart is not None:
                    try:
                        overrides[int(override.get(_W + "ilvl", "0"))] = int(restart)
                    except ValueError:
                        continue
            abstract_id = _val(num, _W + "abstractNumId") or ""
            self._nums[num.get(_W + "numId", "")] = (abstract_id, overrides)

    def label(self, num_id: str, ilvl: int) -> str:
        if num_id not in self._nums:
            return ""
        abstract_id, overrides = self._nums[num_id]
        levels = self._abstract.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None or level.fmt == "bullet":
            return ""
        # Lists sharing an abstract definition continue each other unless one restarts.
        key = f"n{num_id}" if overrides else f"a{abstract_id}"
        counters = self._counters.setdefault(key, {})
        start = overrides.get(ilvl, level.start)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            lvl = levels.get(index)
            if lvl is None:
                return ""
            value = counters.get(index, overrides.get(index, lvl.start))
            return _format_number(value, lvl.fmt)

        text = re.sub(r"%([1-9])", number, level.text)
        if not text or level.suffix == "nothing":
            return text
        # "一、" is followed by the text directly; "第一章" gets a space.
        return text if not text[-1].isalnum() else text + " "


# -- paragraphs ----------------------------------------------------------------


def _paragraph_text(p: Any) -> str:
    parts: list[str] = []
    stack = [p]
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag == _W + "t":
            parts.append(el.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        if el is p or tag not in _SKIP:
            stack.extend(reversed(list(el)))
    return "".join(parts)


def _styles_chain(style: BaseStyle | None) -> Iterator[BaseStyle]:
    depth = 0
    while style is not None and depth < _MAX_STYLE_DEPTH:
        yield style
        style = getattr(style, "base_style", None)
        depth += 1


def _outline_level(p_pr: Any) -> int | None:
    value = _val(p_pr, _W + "outlineLvl")
    if value is None or not value.isdigit():
        return None
    level = int(value)
    # 9 is "body text".
    return level + 1 if level < 9 else None


def _style_heading_level(style: BaseStyle | None) -> int | None:
    for s in _styles_chain(style):
        name = (s.name or "").strip()
        if name.lower() in _TITLE_STYLES:
            return 0
        m = _HEADING_STYLE.fullmatch(name)
        if m:
            return int(m.group(1))
        level = _outline_level(s.element.find(_W + "pPr"))
        if level is not None:
            return level
    return None


def _bold_flag(r_pr: Any) -> bool | None:
    if r_pr is None:
        return None
    b = r_pr.find(_W + "b")
    if b is None:
        return None
    return (b.get(_W + "val") or "true").lower() not in _FALSE


def _style_bold(style: BaseStyle | None) -> bool | None:
    for s in _styles_chain(style):
        flag = _bold_flag(s.element.find(_W + "rPr"))
        if flag is not None:
            return flag
    return None


class _Reader:
    def __init__(self, document: DocxDocument) -> None:
        self._styles: dict[str, BaseStyle] = {}
        for style in document.styles:
            if style.style_id:
                self._styles[style.style_id] = style
        self._default_paragraph = next(
            (
                s
                for s in self._styles.values()
                if s.element.get(_W + "default") in ("1", "true")
                and s.element.get(_W + "type") == "paragraph"
            ),
            None,
        )
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError, ValueError):
            numbering = None
        self._numbering = _Numbering(numbering)
        self.lines: list[str] = []
        self.hints: list[HeadingHint] = []

    def _style(self, style_id: str | None) -> BaseStyle | None:
        if style_id is None:
            return self._default_paragraph
        return self._styles.get(style_id, self._default_paragraph)

    def _number(self, p_pr: Any, style: BaseStyle | None) -> str:
        num_pr = p_pr.find(_W + "numPr") if p_pr is not None else None
        if num_pr is None:
            for s in _styles_chain(style):
                s_pr = s.element.find(_W + "pPr")
                num_pr = s_pr.find(_W + "numPr") if s_pr is not None else None
                if num_pr is not None:
                    break
        if num_pr is None:
            return ""
        num_id = _val(num_pr, _W + "numId")
        ilvl = _val(num_pr, _W + "ilvl") or "0"
        if not num_id or num_id == "0" or not ilvl.isdigit():
            return ""
        return self._numbering.label(num_id, int(ilvl))

    def _all_bold(self, p: Any, style: BaseStyle | None) -> bool:
        paragraph_bold = _style_bold(style)
        seen = False
        for r in p.iter(_W + "r"):
            if any(a.tag in _SKIP for a in r.iterancestors() if a is not p):
                continue
            text = "".join(t.text or "" for t in r.iter(_W + "t"))
            if not text.strip():
                continue
            seen = True
            r_pr = r.find(_W + "rPr")
            flag = _bold_flag(r_pr)
            if flag is None:
                char_style = self._styles.get(_val(r_pr, _W + "rStyle") or "")
                flag = _style_bold(char_style)
            if flag is None:
                flag = paragraph_bold
            if not flag:
                return False
        return seen

    def paragraph(self, p: Any) -> None:
        p_pr = p.find(_W + "pPr")
        style = self._style(_val(p_pr, _W + "pStyle"))
        body = _paragraph_text(p)
        if not body.strip():
            return
        text = self._number(p_pr, style) + body
        first = not self.lines
        self.lines.append(text)
        level = _outline_level(p_pr)
        if level is None:
            level = _style_heading_level(style)
        if level is None and len(text.strip()) < BOLD_HEADING_MAX and self._all_bold(p, style):
            level = 0 if first else 1
        if level is not None:
            self.hints.append(HeadingHint(text.strip(), level))

    def table(self, tbl: Any) -> None:
        for tr in tbl.iter(_W + "tr"):
            if tr.getparent() is None or _nearest_table(tr) is not tbl:
                continue
            cells = [self._cell_text(tc) for tc in tr.iterchildren(_W + "tc")]
            if any(c.strip() for c in cells):
                self.lines.append("\t".join(cells))

    def _cell_text(self, tc: Any) -> str:
        parts = []
        for el in _blocks(tc):
            if el.tag == _W + "p":
                parts.append(_paragraph_text(el))
            else:
                for tr in el.iter(_W + "tr"):
                    parts.extend(
                        _paragraph_text(p)
                        for tc2 in tr.iterchildren(_W + "tc")
                        for p in _blocks(tc2)
                    )
        # A row is one line: line breaks inside a cell become spaces.
        return " ".join(" ".join(p.split()) for p in parts if p.strip())


def _nearest_table(el: Any) -> Any:
    for ancestor in el.iterancestors(_W + "tbl"):
        return ancestor
    return None


def _blocks(container: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body or cell in order, looking into content controls."""
    for child in container.iterchildren():
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag in (_W + "sdt", _W + "customXml"):
            content = child.find(_W + "sdtContent") if child.tag == _W + "sdt" else child
            if content is not None:
                yield from _blocks(content)


def extract(name: str, content: bytes) -> Extracted:
    """Text and heading hints of a .docx given as bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_zip(name, archive)
            if not is_word_zip(archive):
                raise _not_word(name, archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged(name) from exc
    import docx  # python-docx, only for a Word file

    try:
        document = docx.Document(io.BytesIO(content))
        reader = _Reader(document)
        for block in _blocks(document.element.body):
            if block.tag == _W + "p":
                reader.paragraph(block)
            else:
                reader.table(block)
    except InputError:
        raise
    except Exception as exc:
        # python-docx and lxml raise many types on a damaged package; all mean the same here.
        raise damaged(name) from exc
    return Extracted("\n".join(reader.lines), reader.hints)
