"""Loading report files into a Document.

Formats: plain text, saved web pages, Word (.docx), PDF with a text layer,
and .doc, .wps, .odt and RTF through LibreOffice (`fazhi.load.office`). The format is decided by the content
first and the file name second: reports are often renamed (a PDF saved as
.txt, a web page saved as .doc), and what the bytes are is what can be read.

Every problem a person can fix (an empty, encrypted, scanned, damaged or
oversized file, an unsupported format) is an `InputError` whose message is one
line of Chinese naming the file and what to do; nothing else escapes.

Limits: a file may be at most `MAX_BYTES` (50 MiB); a .docx may unpack to at
most 200 MiB, and no large member of it may be compressed more than 100 to 1
(`fazhi.load.docx`); LibreOffice gets 120 s and 2 GiB for a conversion.
"""

from __future__ import annotations

import hashlib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from fazhi.document import Document, HeadingHint, Source
from fazhi.load import docx, html, office, pdf, txt
from fazhi.load.errors import InputError, input_error

__all__ = [
    "CONVERTED_SUFFIXES",
    "MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "InputError",
    "load_bytes",
    "load_path",
]

# The largest file accepted: a report with images in it is a few MiB.
MAX_BYTES = 50 * 1024 * 1024

# Suffixes whose files are read by converting them with LibreOffice.
CONVERTED_SUFFIXES = office.SUFFIXES
SUPPORTED_SUFFIXES = frozenset({".txt", ".html", ".htm", ".docx", ".pdf"}) | CONVERTED_SUFFIXES
_SUPPORTED_LIST = "TXT、HTML、DOCX、DOC、WPS、ODT、PDF"

# Readers accept the PDF header anywhere in the first KiB, and so do we.
_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_ARCHIVE_MAGIC = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")
_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|table)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(r"<(?:html|body|p|div|br|table|meta|title)\b[^>]*>", re.IGNORECASE)
# A web archive starts with mail headers: "Name: value" lines, some folded.
_MAIL_HEADERS = re.compile(rb"(?:[\w-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)+\r?\n")
# File extensions look like ".docx"; a name like "报告（2021.1.5）" has none.
_SUFFIX = re.compile(r"\.[a-z][a-z0-9]{0,5}")


@dataclass
class _Loaded:
    text: str
    format: str
    encoding: str | None = None
    heading_hints: list[HeadingHint] = field(default_factory=list)
    page_info: dict[str, str] = field(default_factory=dict)


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if _SUFFIX.fullmatch(suffix) else ""


def _too_large(name: str) -> InputError:
    return input_error(
        name,
        f"文件超过 {MAX_BYTES // (1024 * 1024)} MiB 的大小上限",
        "请删去其中的图片或附件、只保留报告正文后重试",
    )


def _empty(name: str) -> InputError:
    return input_error(name, "文件是空的，没有任何文字内容", "请确认选择了正确的报告文件后重试")


def _unsupported(name: str) -> InputError:
    return input_error(name, "不支持这种文件格式", f"请提交 {_SUPPORTED_LIST} 格式的报告文件")


def load_path(path: Path) -> Document:
    """Load a report file from disk."""
    name = path.name
    suffix = _suffix(name)
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        raise _unsupported(name)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise input_error(name, "这是一个文件夹而不是文件", "请选择其中的报告文件")
        if not stat.S_ISREG(info.st_mode):
            raise input_error(name, "这不是普通文件", "请选择报告文件本身")
        if info.st_size > MAX_BYTES:
            raise _too_large(name)
        with path.open("rb") as handle:
            # Read one byte past the limit: the file may have grown since stat().
            content = handle.read(MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise input_error(name, "文件不存在", "请检查文件路径后重试") from exc
    except PermissionError as exc:
        raise input_error(name, "没有读取该文件的权限", "请检查文件权限后重试") from exc
    except OSError as exc:
        raise input_error(
            name, f"读取文件时出错（{exc.strerror or '未知错误'}）", "请检查文件后重试"
        ) from exc
    return load_bytes(name, content)


def load_bytes(name: str, content: bytes) -> Document:
    """Load a report from its bytes; `name` is the file name, used for the format and messages."""
    suffix = _suffix(name)
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        raise _unsupported(name)
    if len(content) > MAX_BYTES:
        raise _too_large(name)
    if not content.strip():
        raise _empty(name)
    loaded = _load(name, suffix, content)
    if not loaded.text.strip():
        raise _empty(name)
    return Document(
        source=Source(name, hashlib.sha256(content).hexdigest(), loaded.format, loaded.encoding),
        text=loaded.text,
        heading_hints=loaded.heading_hints,
        page_info=loaded.page_info,
    )


def _is_mhtml(content: bytes) -> bool:
    headers = _MAIL_HEADERS.match(content[:8192].lstrip())
    if headers is None:
        return False
    block = headers.group(0).lower()
    return b"mime-version:" in block or b"multipart/related" in block


def _looks_like_html(content: bytes, suffix: str) -> bool:
    head = content[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        start = head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", errors="ignore")
    else:
        start = head.decode("latin-1").removeprefix("\xef\xbb\xbf")
    if _HTML_START.match(start):
        return True
    # A saved page may start with text before its first tag.
    return suffix in (".html", ".htm") and _HTML_TAG.search(start) is not None


def _load(name: str, suffix: str, content: bytes) -> _Loaded:
    if _PDF_HEADER.search(content[:1024]):
        return _Loaded(pdf.extract(name, content), "pdf")
    if content.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if office.is_odt(content):
            return _office(name, content)
        word = docx.extract(name, content)
        return _Loaded(word.text, "docx", heading_hints=word.heading_hints)
    if content.startswith(_OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in content:
            # Word saves password-protected documents of every kind in this container.
            raise input_error(name, "文件已加密", "请取消密码保护后另存为 .docx 再提交")
        return _office(name, content)
    if content.lstrip()[:5] == b"{\\rtf":
        return _office(name, content)
    if content.startswith(_IMAGE_MAGIC):
        raise input_error(
            name,
            "文件内容是图片，无法从中提取文字",
            "请提供带文字层的 PDF（由 Word 等直接导出）或 Word 文件",
        )
    if content.startswith(_ARCHIVE_MAGIC):
        raise input_error(
            name, "文件是压缩包", f"请解压后提交其中 {_SUPPORTED_LIST} 格式的报告文件"
        )
    if _is_mhtml(content):
        page = html.extract_mhtml(name, content)
        return _Loaded(page.text, "html", page.encoding, page_info=page.page_info)
    if _looks_like_html(content, suffix):
        page = html.extract(name, content)
        return _Loaded(page.text, "html", page.encoding, page_info=page.page_info)
    try:
        text, encoding = txt.decode(name, content)
    except InputError:
        # A .docx or .pdf that is not text either is a damaged file of its kind.
        if suffix == ".docx":
            raise docx.damaged(name) from None
        if suffix == ".pdf":
            raise pdf.damaged(name) from None
        if suffix in CONVERTED_SUFFIXES:
            raise input_error(
                name,
                "文件已损坏或不是有效的 Word/WPS/ODT 文档",
                "请用 WPS 或 Word 打开后另存为 .docx 再提交",
            ) from None
        raise
    return _Loaded(text, "txt", encoding)


def _office(name: str, content: bytes) -> _Loaded:
    word = office.convert(name, content)
    return _Loaded(word.text, "doc", heading_hints=word.heading_hints)
