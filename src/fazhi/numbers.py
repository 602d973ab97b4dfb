"""Numbers as reports write them, to exact Decimal values.

Arabic, Chinese and mixed forms: "3134", "7,000", "32.3万", "两万", "百",
"一千二百零五", "1.5亿", "百分之九十五". cn2an reads the Chinese numerals; its
results are turned into Decimal at once because its floats drift
(32.3万 would become 322999.99999999994).
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation

CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
_MULTIPLIER = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_ARABIC = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)((?:[十百千万亿])*)")
# No count in a report runs to 16 digits; such a run is an ID or account number.
MAX_DIGITS = 15
# Wide enough for any value parse() returns, so quantize never overflows.
_EXACT = Context(prec=60)


class NumberError(ValueError):
    """Text that is not a number."""


def _chinese(text: str) -> Decimal:
    # cn2an takes about 0.15 s to import; numbers in digits, the usual case, never need it.
    import cn2an

    # cn2an wants a leading digit before a bare unit: 百 -> 一百, 万 -> 一万.
    if text[0] in "十百千万亿":
        text = "一" + text
    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError) as exc:
        raise NumberError(text) from exc
    return Decimal(str(value))


def parse(text: str) -> Decimal:
    """The value of a number written in any of the forms above."""
    # Most numbers in a report are plain digits: the quick way first.
    if text.isascii() and text.isdigit():
        if len(text) > MAX_DIGITS:
            raise NumberError(text)
        return Decimal(text)
    text = text.strip()
    if not text:
        raise NumberError(text)
    if text.startswith("百分之"):
        return parse(text[3:])
    m = _ARABIC.fullmatch(text)
    if m:
        if len(m[1].split(".")[0].replace(",", "")) > MAX_DIGITS:
            raise NumberError(text)
        try:
            value = Decimal(m[1].replace(",", ""))
        except InvalidOperation as exc:
            raise NumberError(text) from exc
        # 3千万 = 3 x 1000 x 10000: multipliers after digits compound.
        for unit in m[2]:
            value *= _MULTIPLIER[unit]
        return value
    if all(c in CN_CHARS or c == "点" for c in text):
        whole = text.split("点")[0]
        # Numerals side by side with no 十/百/千 between them spell a year (二〇二二),
        # a range (三五个) or two words (唯一一套), never a count: cn2an would read 11.
        if len(whole) > 1 and not any(c in _MULTIPLIER for c in whole):
            raise NumberError(text)
        return _chinese(text)
    raise NumberError(text)


def normalize(value: Decimal) -> Decimal:
    """Drop trailing zeros but never switch to exponent form (7E+3)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=_EXACT)
    return value.normalize(context=_EXACT)
