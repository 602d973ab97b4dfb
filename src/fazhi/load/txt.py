"""Plain text: find the encoding of a .txt file (and of pages that declare none).

Reports come as UTF-8 (with or without BOM), GB18030/GBK from older Windows
tools, and UTF-16 from Notepad's "Unicode". UTF-8 is tried first because
Chinese text in GBK practically never decodes as UTF-8; charset-normalizer is
asked only after that and its answer is checked, since on short Chinese text
it can name Big5 for GBK bytes.
"""

from __future__ import annotations

import codecs

from fazhi.load.chars import control_count, control_ratio, textlike_ratio
from fazhi.load.errors import InputError, input_error

# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# GB2312 and GBK are subsets of GB18030; decoding with the superset keeps
# the characters a page uses beyond what it declares.
_GB_NAMES = frozenset(
    {
        "gb2312",
        "gbk",
        "gb18030",
        "cp936",
        "ms936",
        "windows-936",
        "x-gbk",
        "gb-2312",
        "gb-2312-80",
        "csgb2312",
        "euc-cn",
        "x-euc-cn",
        "cn-gb",
        "hz",
        "hz-gb-2312",
    }
)

# A decoding is believed when nearly all of it reads like a Chinese report.
_MIN_TEXTLIKE = 0.9
# Damaged bytes (a cut-off last character, one bad sector) are tolerated up to
# this share, or this many in a short file.
_MAX_DAMAGE = 0.005
_MAX_DAMAGED_CHARS = 2
_SAMPLE = 1 << 16


def codec_for(label: str | None) -> str | None:
    """The Python codec for an encoding label from a page or a detector, or None."""
    if not label:
        return None
    key = label.strip().strip("'\"").lower().replace("_", "-")
    if key in _GB_NAMES:
        return "gb18030"
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def label_for(codec: str) -> str:
    """The encoding name reported in Source: the family, not the byte order."""
    name = codecs.lookup(codec).name
    for family in ("utf-8", "utf-16", "utf-32"):
        if name.startswith(family):
            return family
    return name


def _junk(name: str) -> InputError:
    return input_error(
        name,
        "文件内容不是可识别的文本（可能是二进制文件或已损坏）",
        "请确认选择了正确的文件，或用记事本另存为 UTF-8 编码的 .txt 后重试",
    )


def _utf16_by_nuls(sample: bytes) -> str | None:
    """UTF-16 without BOM: ASCII characters (digits, line breaks) leave NULs on one parity.

    Not all of them: 一 (U+4E00) has a NUL byte on the other side.
    """
    nuls = sample.count(0)
    if nuls < 4:
        return None
    odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
    if odd >= nuls * 0.75:
        return "utf-16-le"
    if nuls - odd >= nuls * 0.75:
        return "utf-16-be"
    return None


def _damage_ok(text: str) -> bool:
    return control_count(text) <= max(_MAX_DAMAGED_CHARS, len(text) * _MAX_DAMAGE)


def _believable(text: str) -> bool:
    return control_ratio(text) == 0 and textlike_ratio(text) >= _MIN_TEXTLIKE


def decode(name: str, content: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode `content`; return the text and the encoding label. `declared` is a page's charset."""
    for bom, codec, label in _BOMS:
        if content.startswith(bom):
            text = content[len(bom) :].decode(codec, errors="replace")
            if not _damage_ok(text):
                raise _junk(name)
            return text, label

    declared_codec = codec_for(declared)
    if declared_codec and content.isascii():
        try:
            return content.decode(declared_codec), label_for(declared_codec)
        except (UnicodeDecodeError, LookupError):
            pass

    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not _damage_ok(text):
            raise _junk(name)
        return text, "utf-8"

    sample = content[:_SAMPLE]
    order: list[str] = []
    if declared_codec:
        order.append(declared_codec)
    utf16 = _utf16_by_nuls(sample)
    if utf16:
        order.append(utf16)
    elif 0 in sample:
        # No text file holds NUL bytes, short of UTF-16/32.
        raise _junk(name)
    # The guesser is needed only for text in neither UTF-8 nor a declared charset.
    from charset_normalizer import from_bytes

    best = from_bytes(content).best()
    guessed = codec_for(best.encoding) if best is not None else None
    if guessed and (guessed == "gb18030" or guessed.startswith("utf")):
        order.append(guessed)
    order.append("gb18030")
    if guessed:
        # Big5, Shift-JIS and the like come after GB18030: the reports are mainland ones.
        order.append(guessed)
    order = list(dict.fromkeys(order))

    for codec in order:
        try:
            text = content.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if _believable(text):
            return text, label_for(codec)
    for codec in ["utf-8", *order]:
        try:
            text = content.decode(codec, errors="replace")
        except LookupError:
            continue
        if _damage_ok(text) and textlike_ratio(text) >= _MIN_TEXTLIKE:
            return text, label_for(codec)
    raise _junk(name)
