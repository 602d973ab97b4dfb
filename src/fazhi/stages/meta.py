"""Stage: title, unit, level, report year, date and region.

Sources, most trusted first: the closing signature (unit and date under the
last paragraph), the title line, the page's publication line, and how the
report speaks of itself ("我局", "我镇"). The closing signature's offset is kept
so that later stages treat it as what it is, not as body text.
"""

from __future__ import annotations

import re
from functools import cache

from fazhi import data
from fazhi.document import Document, Meta

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGIT.update({"六": 6, "七": 7, "八": 8, "九": 9})
_YEAR_CN = "[〇零○O一二三四五六七八九]{4}"
_MD_CN = "[一二三四五六七八九十]{1,3}"

DATE = re.compile(
    rf"(?P<y>\d{{4}}|{_YEAR_CN})\s*年\s*(?P<m>\d{{1,2}}|{_MD_CN})\s*月\s*(?P<d>\d{{1,2}}|{_MD_CN})\s*日"
)
_TITLE_WORDS = re.compile(r"报告|总结")
_TITLE_TOPIC = re.compile(r"法治|依法行政|法治政府")
# An organisation's name as signed under a report.
ORG_SUFFIX = re.compile(
    r"(人民政府|政府|委员会|管委会|办公室|办事处|局|厅|委|办|署|中心|院|所|站|队|处|党委|党组)$"
)
_PLACE = re.compile(
    r"[\u4e00-\u9fa5]{1,7}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|区|旗|镇|乡|街道)"
)
_NOT_PLACE = re.compile(r"[和与及]|管理|服务|监督|建设|城乡|发展|改革|社会")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
# A province and city right before a place name: "宁夏回族自治区银川市" + "金凤区".
_FULLER_PLACE = re.compile(r"((?:[\u4e00-\u9fa5]{2,6}(?:省|自治区))?[\u4e00-\u9fa5]{2,4}市)$")
_FULLER_REACH = 14


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(c in _CN_DIGIT for c in text):
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    # 一 .. 三十一 for months and days
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
    return _CN_DIGIT[text]


def parse_date(match: re.Match[str]) -> str | None:
    try:
        y, m, d = (_cn_number(match[k]) for k in ("y", "m", "d"))
    except KeyError:
        return None
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _looks_like_org(line: str) -> bool:
    return (
        2 <= len(line) <= 40
        and not re.search(r"[。,;:!?、“”《》]", line)
        and bool(ORG_SUFFIX.search(line))
    )


# A note under the date that is not part of the signature: （此件公开发布）.
_ANNOTATION = re.compile(r"[(（]此件[^()（）]{0,10}[)）]")
# Unit and date on one line: "石门县人民政府 2023年2月1日".
_SIGNED_LINE = re.compile(rf"(?P<org>\S{{2,40}}?)\s+{DATE.pattern}")


def _signers(line: str) -> list[str]:
    """ "中共XX县委 XX县人民政府" signed on one line is two signers."""
    parts = line.split()
    return parts if len(parts) > 1 and all(_looks_like_org(p) for p in parts) else [line]


# Where attachments begin (附件: 统计表…); a signature may stand just above.
_ATTACHMENT = re.compile(r"附件\s*\d*\s*[:：]?")
_ATTACHMENT_REACH = 80


def _signature(lines: list[str], last: int) -> tuple[int, list[str], str | None] | None:
    """(first line, signers, date) of a signature block ending at line `last`."""
    while last > 0 and _ANNOTATION.fullmatch(lines[last].strip()):
        last -= 1
    orgs: list[str] = []
    first = None
    date = None
    for i in range(last, max(last - 5, -1), -1):
        line = lines[i].strip()
        signed = DATE.fullmatch(line) or _SIGNED_LINE.fullmatch(line)
        if signed and "org" in signed.groupdict() and not _looks_like_org(signed["org"]):
            signed = None
        if signed and date is None and first in (None, i + 1):
            date = parse_date(signed)
            first = i
            if signed.groupdict().get("org"):
                orgs[:0] = _signers(signed["org"])
        elif _looks_like_org(line) and first is not None:
            orgs[:0] = _signers(line)
            first = i
        else:
            break
    return None if first is None else (first, orgs, date)


def _closing(doc: Document) -> None:
    """Find the signature block: unit line(s) and a date line at the very end.

    When attachments follow the signature, the block above the first 附件 line
    gives the unit and date; the attachments stay body text (their tables carry
    the figures) and so does the signature.
    """
    lines = doc.text.split("\n")
    found = _signature(lines, len(lines) - 1)
    if found is not None:
        first = found[0]
        doc.meta.closing_start = sum(len(line) + 1 for line in lines[:first])
    else:
        attachments = [
            i
            for i in range(max(1, len(lines) - _ATTACHMENT_REACH), len(lines))
            if _ATTACHMENT.match(lines[i].strip())
        ]
        found = _signature(lines, attachments[0] - 1) if attachments else None
        if found is None:
            return
    _, orgs, date = found
    if date is not None and doc.meta.date is None:
        doc.meta.date = date
        doc.meta.date_source = "signature"
    if orgs:
        # A joint signature (党委 + 政府) reports for the government.
        government = [o for o in orgs if "政府" in o or "管委会" in o]
        doc.meta.unit = (government or orgs)[-1]


def _title(doc: Document) -> None:
    lines = doc.text.split("\n")[:4]
    pos = 0
    for i, line in enumerate(lines):
        candidate = line
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        # "XX县人民政府" on one line, "关于2021年法治政府建设情况的报告" on the next.
        if _looks_like_org(line) and nxt.startswith("关于") and _TITLE_WORDS.search(nxt):
            candidate = line + nxt
            span_end = pos + len(line) + 1 + len(nxt)
        else:
            span_end = pos + len(line)
        if (
            len(candidate) <= 80
            and _TITLE_WORDS.search(candidate)
            and _TITLE_TOPIC.search(candidate)
            and not re.search(r"[。;]|如下", candidate)
        ):
            doc.meta.title = candidate
            doc.meta.title_span = (pos, span_end)
            return
        pos += len(line) + 1


def _unit_from_title(title: str) -> str | None:
    pieces = re.split(r"关于|\d{4}\s*年度?|[〇零一二三四五六七八九]{4}年度?|法治政府", title)
    head = pieces[0].strip(" ,、")
    if not head and len(pieces) > 1:
        # "2021年度XX县法治政府建设情况报告": the unit follows the year.
        head = pieces[1].strip(" ,、")
    if "政府" in head and re.search(r"\s", head):
        # "中共XX县委 XX县人民政府关于…": the government reports.
        head = head.split()[-1]
    return head or None


def _year(doc: Document) -> None:
    if doc.meta.title:
        m = _YEAR.search(doc.meta.title) or re.search(rf"({_YEAR_CN})\s*年", doc.meta.title)
        if m:
            doc.meta.year = _cn_number(m[1])
            return
    head = doc.text[: min(len(doc.text), 600)]
    m = re.search(r"现将[^。]{0,20}?(20\d{2})\s*年", head) or re.search(
        r"(?:^|\n)(20\d{2})\s*年(?:度|以来|,|,)", head
    )
    if m:
        doc.meta.year = int(m[1])
        return
    if doc.meta.date:
        year, month = int(doc.meta.date[:4]), int(doc.meta.date[5:7])
        # Reports are written early in the following year.
        doc.meta.year = year - 1 if month <= 6 else year


@cache
def _level_rules() -> tuple[list[tuple[str, re.Pattern[str]]], dict[str, list[str]]]:
    spec = data.load("levels")
    return [(r["level"], re.compile(r["pattern"])) for r in spec["rule"]], spec["self_reference"]


def _governs_towns(text: str) -> bool:
    """A 市 whose report speaks of its towns, not its counties, is county-level."""
    below = data.load("levels")["city_below"]
    towns = sum(text.count(w) for w in below["towns"])
    counties = sum(text.count(w) for w in below["counties"])
    return towns >= 2 and counties == 0


def level_of(unit: str | None, text: str) -> str | None:
    rules, self_reference = _level_rules()
    if unit:
        for level, pattern in rules:
            if pattern.search(unit):
                if level == "city" and (_has_superior_city(unit, text) or _governs_towns(text)):
                    return "county"
                return level
    counts = {
        level: sum(text.count(word) for word in words) for level, words in self_reference.items()
    }
    level, hits = max(counts.items(), key=lambda kv: kv[1])
    return level if hits >= 2 else None


def _has_superior_city(unit: str, text: str) -> bool:
    """A 市 that names another 市 between itself and the province is county-level."""
    own = _place(unit) or unit
    for m in re.finditer(r"(?:中央|省)[、,和及]{1,2}([\u4e00-\u9fa5]{2,4}市)", text):
        if m[1] not in own:
            return True
    return False


def _place(unit: str) -> str | None:
    place = ""
    for m in _PLACE.finditer(unit):
        if m.start() != len(place) or _NOT_PLACE.search(m[0]):
            break
        place += m[0]
    return place or None


def _region(meta: Meta, text: str) -> str | None:
    place = _place(meta.unit) if meta.unit else None
    if not place:
        return None
    # The text may state the place more fully ("银川市金凤区"). Only the few
    # characters before each mention can say so; scanning the whole text with
    # the pattern is slow.
    fuller = []
    at = text.find(place)
    while at >= 0:
        m = _FULLER_PLACE.search(text, max(0, at - _FULLER_REACH), at)
        if m:
            fuller.append(m[1])
        at = text.find(place, at + len(place))
    prefixes = [p for p in fuller if not _NOT_PLACE.search(p) and len(p) <= 12]
    if prefixes and not place.startswith(prefixes[0]):
        return prefixes[0] + place
    return place


def run(doc: Document) -> None:
    _closing(doc)
    _title(doc)
    if doc.meta.unit is None and doc.meta.title:
        doc.meta.unit = _unit_from_title(doc.meta.title)
    if doc.meta.unit is None and doc.page_info.get("publisher"):
        doc.meta.unit = doc.page_info["publisher"]
    if doc.meta.date is None and doc.page_info.get("published"):
        doc.meta.date = doc.page_info["published"]
        doc.meta.date_source = "published"
    _year(doc)
    doc.meta.level = level_of(doc.meta.unit, doc.text)
    doc.meta.region = _region(doc.meta, doc.text)
