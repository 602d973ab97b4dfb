"""PDF with a text layer: pages as text, page numbers out, wrapped lines rejoined.

pypdf gives one line per printed line. A line that fills the text width and
does not end a sentence continues in the next one; leaving the break would
cut sentences in half for every later stage, so such lines are joined.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections import Counter
from collections.abc import Iterator

from fazhi.load.chars import cjk_count
from fazhi.load.errors import InputError, input_error

# Fewer Chinese characters than this per page, on average, means the pages are images.
MIN_CJK_PER_PAGE = 20

# Page numbers printed as "- 3 -", "— 3 —", "第 3 页", "第3页 共10页", "3 / 10", "Page 3".
_PAGE_NUMBER = re.compile(
    r"[-—–－~_]+\s*\d{1,4}\s*[-—–－~_]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?",
    re.IGNORECASE,
)
# A bare number is a page number only at the top or bottom of a page; in the
# middle it may be a table cell.
_BARE_NUMBER = re.compile(r"\d{1,4}")
_CJK_GAP = re.compile(
    r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]) (?=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])"
)
_SENTENCE_END = "。！？；：!?;:…"
# A line starting like this starts a new item even after a full line.
_ITEM_START = re.compile(
    r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[、．]|\d{1,2}\.(?!\d)"
    r"|[（(]\d{1,2}[）)]|第[一二三四五六七八九十]+[章节条]"
)
# Lines within this many characters of the text width count as full.
_FULL_SLACK = 1.5
_MIN_LINES_TO_JOIN = 5
# Running headers and footers ("某市人民政府文件", "2021年度报告") are short.
_RUNNING_MAX = 25
_EDGE_LINES = 2
# A paragraph's first line is indented by two characters; when the text layer
# has no spaces for the indent, that line is still full at two ems short.
_INDENT = 2.0


def _encrypted(name: str) -> InputError:
    return input_error(name, "文件已加密", "请提供未加密的 PDF 或 Word 文件")


def damaged(name: str) -> InputError:
    return input_error(name, "文件已损坏或不是有效的 PDF", "请重新导出 PDF，或提交 Word 文件")


def _width(line: str) -> float:
    # Chinese characters are one em wide; Latin letters and digits about half.
    # Chinese fonts set quotes and dashes (“” ‘’ — …, U+2010-U+206F) full width too.
    return sum(1.0 if ord(c) >= 0x2E80 or 0x2010 <= ord(c) <= 0x206F else 0.5 for c in line)


def _page_lines(text: str) -> list[str]:
    """Non-empty lines of a page, page numbers out; leading indentation is kept for join_wrapped."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        # pypdf spaces out characters of justified Chinese lines.
        gaps = len(_CJK_GAP.findall(line))
        if gaps and gaps * 2 >= cjk_count(line):
            lines[i] = _CJK_GAP.sub("", line)
    kept = []
    for i, line in enumerate(lines):
        bare = line.strip()
        if _PAGE_NUMBER.fullmatch(bare):
            continue
        if _BARE_NUMBER.fullmatch(bare) and (i == 0 or i == len(lines) - 1):
            continue
        kept.append(line)
    return kept


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip())


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Remove headers and footers repeated at the edge of most pages."""
    if len(pages) < 3:
        return pages
    edges: Counter[str] = Counter()
    for lines in pages:
        # A header and a footer may both come out at one edge (a browser's
        # date line and page line end up together).
        for line in {*lines[:_EDGE_LINES], *lines[-_EDGE_LINES:]}:
            if len(line.strip()) <= _RUNNING_MAX:
                edges[_running_key(line)] += 1
    running = {line for line, n in edges.items() if n * 2 > len(pages)}
    if not running:
        return pages
    out = []
    for lines in pages:
        keep = list(lines)
        for _ in range(_EDGE_LINES):
            if keep and _running_key(keep[0]) in running:
                keep = keep[1:]
            if keep and _running_key(keep[-1]) in running:
                keep = keep[:-1]
        out.append(keep)
    return out


def join_wrapped(lines: list[str]) -> list[str]:
    """Join lines that run to the text width and do not end a sentence.

    Widths are measured with the leading indentation, which marks a paragraph's first line.
    """
    widths = sorted((_width(line) for line in lines), reverse=True)
    if len(widths) < _MIN_LINES_TO_JOIN or widths[len(widths) // 10] < 10:
        return [line.strip() for line in lines]
    full = widths[len(widths) // 10]
    out: list[str] = []
    carry = False
    for raw in lines:
        line = raw.strip()
        joined = carry and out and not _ITEM_START.match(line)
        if joined:
            glue = " " if out[-1][-1].isascii() and line[0].isascii() else ""
            out[-1] += glue + line
        else:
            out.append(line)
        slack = _FULL_SLACK
        if not joined and not raw[:1].isspace():
            slack += _INDENT
        carry = _width(raw) >= full - slack and line[-1] not in _SENTENCE_END
    return out


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs every repaired defect; the user gets one InputError or the text instead."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def extract(name: str, content: bytes) -> str:
    """The text of a PDF given as bytes, pages joined, paragraphs one per line."""
    with _quiet_pypdf():
        return _extract(name, content)


def _extract(name: str, content: bytes) -> str:
    from pypdf import PasswordType, PdfReader  # only for a PDF
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        # Many PDFs are encrypted only to restrict printing: the empty password opens them.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _encrypted(name)
        pages = list(reader.pages)
    except InputError:
        raise
    except DependencyError as exc:
        raise _encrypted(name) from exc
    except Exception as exc:
        # pypdf raises many types on a damaged file; all mean the same here.
        raise damaged(name) from exc
    if not pages:
        raise damaged(name)

    texts = []
    failures = 0
    for page in pages:
        try:
            texts.append(page.extract_text() or "")
        except Exception:
            # One broken page should not lose the rest of the report.
            failures += 1
            texts.append("")
    if failures == len(pages):
        raise damaged(name)
    if sum(cjk_count(t) for t in texts) < MIN_CJK_PER_PAGE * len(pages):
        raise input_error(
            name,
            "文件似乎是扫描件或图片，没有可提取的文字层",
            "请提供带文字层的 PDF（由 Word 等直接导出）或 Word 文件",
        )
    page_lines = _drop_running_lines([_page_lines(t) for t in texts])
    lines = [line for lines in page_lines for line in lines]
    return "\n".join(join_wrapped(lines))
