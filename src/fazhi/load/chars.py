"""Character classes shared by the loaders: counting Chinese, judging decodings."""

from __future__ import annotations

import re

CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

# What a Chinese government report is written with. A wrong decoding of GBK
# bytes as UTF-16 (or of random bytes as anything) lands mostly outside it.
_NOT_TEXTLIKE = re.compile(
    "[^"
    "\t\n\r\x0c\x20-\x7e"
    "\u00a0\u00a7\u00b0\u00b1\u00b7\u00d7\u00f7"
    "\u0391-\u03c9"  # Greek letters used as symbols (α, β, Ω)
    "\u2000-\u206f"  # general punctuation: — … ‘ ’ “ ”
    "\u2100-\u22ff"  # letterlike, number forms (Ⅰ Ⅱ), arrows, maths
    "\u2460-\u24ff"  # ① ⑴ ⒈
    "\u2500-\u27bf"  # box drawing, ■ □ ● ★ ✔
    "\u3000-\u303f"  # 。、《》【】
    "\u3200-\u33ff"  # ㈠ ㎡
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\ufe10-\ufe1f\ufe30-\ufe4f"
    "\uff00-\uffef"  # full-width forms
    "\U00020000-\U0003134f"
    "]"
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def cjk_count(text: str) -> int:
    return len(CJK.findall(text))


def textlike_ratio(text: str) -> float:
    """Share of non-space characters that plausibly belong to a Chinese report."""
    visible = len(text) - sum(text.count(c) for c in " \t\n\r\u3000")
    if visible <= 0:
        return 1.0
    return max(0.0, 1 - len(_NOT_TEXTLIKE.findall(text)) / visible)


def control_count(text: str) -> int:
    return len(_CONTROL.findall(text))


def control_ratio(text: str) -> float:
    """Share of characters that no text file holds: controls and U+FFFD."""
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)
