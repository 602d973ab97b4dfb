"""Flags personal data left in a report: ID-card, mobile and bank-card numbers, emails.

## What it finds
- 18-digit resident ID numbers (GB 11643) whose region, birth date and check
  digit are valid (the last character may be X), or labelled 身份证 with a
  valid region and birth date, and 15-digit old-style ones with a valid region
  and birth date;
- mobile numbers (1[3-9] and nine more digits, optionally +86 and dashes or
  spaces as 138-1234-5678);
- bank-card numbers: 16 to 19 digits starting 3-6 that pass the Luhn check
  or are labelled 卡号/账号 (not after 代码, where an all-digit credit code
  may pass by chance);
- email addresses, except on government domains (gov.cn) or labelled as a
  public channel (举报邮箱, 投诉信箱…).

A number must stand alone: digits that are part of a longer run, a decimal, or
a count followed by a unit (19495宗, 36714批次) are statistics, not personal
data. Office landlines (0769-12345678) and hotlines (12345) are public and not
reported. The message shows the value masked.

## Why it matters
Annual reports are published in full. A citizen's ID or phone number in the
text breaches the Personal Information Protection Law and the government's own
disclosure rules; it must be removed before publication.

## Example
    联系人:张某,电话13812345678  ->  “138****5678”
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from fazhi.document import Document, Finding
from fazhi.rules.base import rule_text

SLUG = "private-info"
TEXT = rule_text(SLUG)

# Digits glued to a unit are a count (36714批次), not a number to dial.
_UNIT = "元万亿人次件宗户个条批份项家名吨台辆起场所张间米亩株只头套册本号%‰"
_ALONE = rf"(?<![\dA-Za-z.\-+]){{}}(?![\dA-Za-z.]|\s?[{_UNIT}])"
ID_18 = re.compile(_ALONE.format(r"\d{17}[\dXx]"))
ID_15 = re.compile(_ALONE.format(r"\d{15}"))
_MOBILE_DIGITS = r"1[3-9]\d(?:[- ]?\d{4}){2}"
MOBILE = re.compile(_ALONE.format(rf"(?:\+?86[- ]?)?{_MOBILE_DIGITS}"))
# Card numbers start 3-6 (UnionPay 62, Visa 4, Mastercard 5, JCB/Amex 3).
CARD = re.compile(_ALONE.format(r"[3-6]\d{15,18}"))
# The patterns above test their lookbehind at every offset of the text; these
# cheaper searches find whether they can match at all (IDs and cards have at
# least 15 digits in a row), which in most reports they cannot.
# (A digit and then 14 more: a pattern that opens with a repeat is tried at
# every offset, one that opens with a character class skips ahead.)
LONG_NUMBER = re.compile(r"\d\d{14}")
MOBILE_DIGITS = re.compile(_MOBILE_DIGITS)
# 统一社会信用代码 can be all digits and pass Luhn by chance.
CODE_LABEL = re.compile(r"代码[^。;\n]{0,4}$")
# A number labelled as an ID or an account is personal even with a typo in it
# (a wrong check digit, a card number that fails Luhn).
ID_LABEL = re.compile(r"(?:身份证|证件号|公民身份号码)[^。;\n]{0,6}$")
ACCOUNT_LABEL = re.compile(r"(?:银行卡|卡号|账号|帐号|账户|帐户)[^。;\n]{0,6}$")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PUBLIC_DOMAIN = re.compile(r"(?:^|\.)gov\.cn$", re.IGNORECASE)
PUBLIC_LABEL = re.compile(r"(?:举报|投诉|监督|咨询|信访|来信)[^。;\n]{0,6}$")
LABEL_REACH = 8

# First two digits of a region code: provinces, Taiwan, Hong Kong, Macao, abroad.
PROVINCE = re.compile(r"1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3]|91")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def valid_id_18(number: str, check_digit: bool = True) -> bool:
    if not PROVINCE.fullmatch(number[:2]):
        return False
    if not _valid_date(int(number[6:10]), int(number[10:12]), int(number[12:14])):
        return False
    if not check_digit:
        return True
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def valid_id_15(number: str) -> bool:
    year, month, day = 1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
    return bool(PROVINCE.fullmatch(number[:2])) and _valid_date(year, month, day)


def luhn(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def _numbers(body: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, kind, masked) of personal numbers in `body`."""
    if MOBILE_DIGITS.search(body):
        for m in MOBILE.finditer(body):
            digits = re.sub(r"\D", "", m[0])[-11:]
            yield m.start(), m.end(), "手机号码", _mask(digits, 3, 4)
    if not LONG_NUMBER.search(body):
        return
    for m in ID_18.finditer(body):
        if valid_id_18(m[0]) or (
            _labelled(body, m.start(), ID_LABEL) and valid_id_18(m[0], check_digit=False)
        ):
            yield m.start(), m.end(), "身份证号码", _mask(m[0], 4, 4)
    for m in ID_15.finditer(body):
        if valid_id_15(m[0]):
            yield m.start(), m.end(), "身份证号码", _mask(m[0], 4, 4)
    for m in CARD.finditer(body):
        if len(m[0]) == 18 and valid_id_18(m[0]):
            continue
        if not luhn(m[0]) and not _labelled(body, m.start(), ACCOUNT_LABEL):
            continue
        if CODE_LABEL.search(body, max(0, m.start() - LABEL_REACH), m.start()):
            continue
        yield m.start(), m.end(), "银行卡号", _mask(m[0], 4, 4)


def _labelled(body: str, start: int, label: re.Pattern[str]) -> bool:
    return bool(label.search(body, max(0, start - LABEL_REACH), start))


def _emails(body: str) -> Iterator[tuple[int, int, str, str]]:
    if "@" not in body:
        return
    for m in EMAIL.finditer(body):
        user, domain = m[0].split("@", 1)
        label = PUBLIC_LABEL.search(body, max(0, m.start() - LABEL_REACH), m.start())
        if PUBLIC_DOMAIN.search(domain) or label:
            continue
        yield m.start(), m.end(), "电子邮箱", f"{user[0]}***@{domain}"


def check(doc: Document) -> Iterator[Finding]:
    body = doc.text[: doc.body_end]
    found = sorted({*_numbers(body), *_emails(body)}, key=lambda f: (f[0], -f[1]))
    reported_end = 0
    for start, end, kind, masked in found:
        # A number inside an email address is reported as the address.
        if start < reported_end:
            continue
        yield TEXT.finding(start, end, kind=kind, masked=masked)
        reported_end = end
