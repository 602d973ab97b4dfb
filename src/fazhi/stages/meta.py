"""Stage: title, unit, level, report year, date and region.

Sources, most trusted first: the closing signature (unit and date under the
last paragraph), the title line, the page's publication line, and how the
report speaks of itself ("我局", "我镇"). The closing signature's offset is kept
so that later stages treat it as what it is, not as body text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from fazhi import data
from fazhi.document import Document, Meta
from fazhi.stages.boilerplate import head_end, iso_date, unit_name

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
    r"(人民政府|政府|委员会|管委会|办公室|办事处|局|厅|委|办|署|中心|院|所|站|队|处|科|股|党委|党组)$"
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


# A title that names no 报告 still ends in what it reports on:
# "浙江省2021年法治政府建设情况", "…法治政府建设工作情况".
_TITLE_SITUATION = re.compile(r"法治政府(?:部门|机关)?建设(?:工作)?(?:年度)?情况$")
# The first line of a title broken after its year: "吴兴区退役军人事务局2024年度".
_TITLE_YEAR_END = re.compile(r"[\u4e00-\u9fa5]{2,}(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年度?$")
# A numbered heading is never the title ("一、2017年法治政府建设情况").
_ENUMERATED = re.compile(r"[一二三四五六七八九十]{1,3}[、.]|[(（]|\d{1,2}[.、]")
# A page's own name glued to the title: "长沙市司法局_关于…的报告".
_GLUE = re.compile(r"\s*[_|｜]\s*")
# A line that opens a title written on two lines: the year or 关于.
_TITLE_REST = re.compile(rf"关于|(?:\d{{4}}|{_YEAR_CN})\s*年")
# Lines above the title that the title search looks through (metadata blocks).
_TITLE_REACH = 4
# A metadata table's label before the title in its cell: "标  题 河南省人民政府关于…".
_TITLE_LABEL = re.compile(r"(?:标\s*题|名\s*称|题\s*名)\s*[:：]?\s*")
# A date printed after the title: "…情况报告 (2024-02-26)".
_TITLE_DATE = re.compile(r"\s*[(（]\s*(\d{4}-\d{1,2}-\d{1,2})\s*[)）]\s*$")
# A title quoted after the document number: "宁政发〔2019〕35号《南京市人民政府关于…的报告》".
_QUOTED_TITLE = re.compile(r"《([^《》]+)》")


def _is_title(candidate: str) -> bool:
    return (
        len(candidate) <= 80
        and bool(_TITLE_WORDS.search(candidate) or _TITLE_SITUATION.search(candidate))
        and bool(_TITLE_TOPIC.search(candidate))
        and not re.search(r"[。;:>»]|如下", candidate)
        and not _ENUMERATED.match(candidate)
    )


def _title(doc: Document) -> None:
    all_lines = doc.text.split("\n")
    # The title stands above the first line of running text; a metadata block
    # (索引号, 发布机构, 成文日期…) may come before it.
    lines = all_lines[: head_end(all_lines) or _TITLE_REACH]
    pos = 0
    for i, line in enumerate(lines):
        # The title's second line, past blank lines.
        after = pos + len(line) + 1
        j = i + 1
        while j < len(all_lines) and not all_lines[j].strip():
            after += len(all_lines[j]) + 1
            j += 1
        nxt = all_lines[j].strip() if j < len(all_lines) else ""
        # "XX县人民政府" on one line, "关于2021年法治政府建设情况的报告" on the
        # next; or "XX局2024年度" and "法治政府建设工作报告".
        if (
            not line.startswith(("-", "•", "·", "*"))
            and (
                ((_looks_like_org(line) or line.endswith("关于")) and _TITLE_REST.match(nxt))
                or (_TITLE_YEAR_END.search(line) and _TITLE_TOPIC.match(nxt))
            )
            and not _is_title(line)
            and _is_title(line + nxt)
        ):
            doc.meta.title = line + nxt
            # The lines of the body reporting above "关于…": "XX管委会", and a
            # joint title's "中共XX工委" above that.
            start, k = pos, i - 1
            while k >= 0 and i - k <= 2:
                above = lines[k].strip()
                party = bool(above) and _party().fullmatch(above) is not None
                if not (party or (doc.meta.title.startswith("关于") and _looks_like_org(above))):
                    break
                start -= len(lines[k]) + 1
                doc.meta.title = above + doc.meta.title
                k -= 1
            doc.meta.title_span = (start, after + len(nxt))
            return
        at = 0
        for piece in _GLUE.split(line):
            at = line.index(piece, at)
            if title := _title_in(piece, doc):
                start = pos + at + piece.index(title)
                doc.meta.title = title
                doc.meta.title_span = (start, start + len(title))
                return
            at += len(piece)
        pos += len(line) + 1


def _title_in(piece: str, doc: Document) -> str | None:
    """The title a line holds, without a label before it or a date after it (which
    is kept as the page's publication date when the page gives none)."""
    label = _TITLE_LABEL.match(piece)
    if label and label.end() < len(piece):
        piece = piece[label.end() :]
    dated = _TITLE_DATE.search(piece)
    if dated and _is_title(piece[: dated.start()]):
        if published := iso_date(dated[1]):
            doc.page_info.setdefault("published", published)
        return piece[: dated.start()]
    if not _is_title(piece):
        return None
    quoted = _QUOTED_TITLE.search(piece)
    if quoted and quoted.start() > 0 and _is_title(quoted[1]):
        return quoted[1]
    return piece


def _unit_from_title(title: str) -> str | None:
    pieces = re.split(r"关于|\d{4}\s*年度?|[〇零一二三四五六七八九]{4}年度?|法治政府", title)
    head = pieces[0].strip(" ,、")
    if not head and len(pieces) > 1:
        # "2021年度XX县法治政府建设情况报告": the unit follows the year.
        head = pieces[1].strip(" ,、")
    return own_name(head) if head else None


@cache
def _units() -> dict[str, Any]:
    return data.load("units")


@cache
def _party() -> re.Pattern[str]:
    spec = _units()
    ends = "|".join(sorted(spec["party_endings"], key=len, reverse=True))
    return re.compile(rf"{spec['party_prefix']}[\u4e00-\u9fa5]{{2,30}}?(?:{ends})")


@cache
def _sub_office() -> re.Pattern[str]:
    spec = _units()
    parents = "|".join(sorted(spec["sub_office_parents"], key=len, reverse=True))
    ends = "|".join(spec["sub_office_endings"])
    return re.compile(rf"(.*(?:{parents}))[\u4e00-\u9fa5]{{1,6}}(?:{ends})")


def own_name(name: str) -> str | None:
    """The reporting unit's own name in a name as a title or page gives it.

    A joint title or signature of the party body and the government
    ("中共XX县委 XX县人民政府", "中共XX区委XX区人民政府") reports for the government;
    a bureau's 党组 ("中共XX局党组") for the bureau; a sub-office
    ("XX市司法局法规科", "厅法规处") for the unit it belongs to.
    """
    spec = _units()
    name = name.strip(" ,、")
    parts = name.split()
    if len(parts) > 1:
        own = [p for p in parts if not _party().fullmatch(p)]
        name = own[-1] if own else parts[-1]
    party = _party().match(name)
    if party and party.end() < len(name) and unit_name().fullmatch(name[party.end() :]):
        name = name[party.end() :]
    elif party and party.end() == len(name):
        # "中共XX局党组": the body the party group leads.
        inner = name[len(spec["party_prefix"]) :]
        for end in sorted(spec["party_endings"], key=len, reverse=True):
            if inner.endswith(end) and re.search(r"[局厅委办部]$", inner[: -len(end)]):
                name = inner[: -len(end)]
                break
    if not name.endswith(tuple(spec["whole_endings"])):
        sub = _sub_office().fullmatch(name)
        if sub:
            name = sub[1]
    return name if len(name) >= 2 and name not in spec["sub_office_parents"] else None


def _fuller(name: str, than: str) -> bool:
    """`name` is a fuller form of `than`: "北京市人民政府" of "北京市", "浙江省商务厅" of "省商务厅"."""
    if name == than or len(than) < 2:
        return False
    if name.startswith(than) and name[len(than) :] in _units()["government_suffixes"]:
        return True
    if name.endswith(than):
        prefix = name[: -len(than)]
        return than[0] in "省市区县州盟旗镇乡" or _place(prefix) == prefix
    return False


def _head_names(doc: Document) -> list[str]:
    """Unit names standing alone in the page's head: "杭州市人民政府", "• 铜梁区永嘉镇"."""
    lines = doc.text.split("\n")
    end = head_end(lines)
    names = []
    for line in lines[:end]:
        for token in re.split(r"[\s|]+", line.strip().lstrip("-·•* ")):
            if unit_name().fullmatch(token):
                names.append(token)
    return names


def _unit(doc: Document, signed: str | None) -> None:
    """Signature, else title, else the page's publisher; then the fullest form."""
    titled = _unit_from_title(doc.meta.title) if doc.meta.title else None
    published = doc.page_info.get("publisher")
    published = own_name(published) if published else None
    unit = signed or titled or published
    if unit is None:
        return
    for name in (titled, published, *_head_names(doc)):
        if name and _fuller(name, unit):
            unit = name
    doc.meta.unit = unit


# The date a report was delivered, under its title when it is a report to the
# 人大常委会: "(2025年5月29日在杭州市第十四届人民代表大会常务委员会第二十七次会议上)".
_DELIVERED = re.compile(rf"[(（]\s*{DATE.pattern}\s*在[^()（）\n]{{2,60}}会议上\s*[)）]")


def _date(doc: Document) -> None:
    """The 落款 date, else the date it was delivered, else 成文日期, else published."""
    if doc.meta.date is not None:
        return
    lines = doc.text.split("\n")
    head = "\n".join(lines[: head_end(lines)])
    delivered = _DELIVERED.search(head)
    if delivered and parse_date(delivered):
        doc.meta.date = parse_date(delivered)
        doc.meta.date_source = "signature"
    elif doc.page_info.get("written") and iso_date(doc.page_info["written"]):
        doc.meta.date = doc.page_info["written"]
        doc.meta.date_source = "written"
    elif doc.page_info.get("published"):
        doc.meta.date = doc.page_info["published"]
        doc.meta.date_source = "published"


# A character of a unit's name: no name holds 的 ("得益于县委、县政府的坚强领导").
_NAME_CHAR = "(?:(?!的)[\u4e00-\u9fa5])"


@cache
def _opening() -> re.Pattern[str]:
    spec = _units()
    ends = "|".join(sorted(spec["suffixes"], key=len, reverse=True))
    verbs = "|".join(sorted(spec["opening_verbs"], key=len, reverse=True))
    return re.compile(
        r"(?:^|[\n,，。])(?:(?P<year>20\d{2})\s*年(?:度|以来|来)?|一年来|今年以来)[,，]?"
        # "在市委的正确领导下,在市人大及其常委会的监督指导下,市政府坚持…";
        # the party committee and the government together: "县委、县政府坚持…".
        rf"(?:在[^,，。\n]{{2,40}}[,，]){{0,3}}"
        rf"(?P<name>(?!在)(?:{_NAME_CHAR}{{1,8}}委、{_NAME_CHAR}{{0,18}}?|{_NAME_CHAR}{{1,18}}?)"
        rf"(?:{ends}))(?={verbs})"
    )


def opening_subject(text: str) -> re.Match[str] | None:
    """The report naming itself in its opening sentence: "2025年,大中街道坚持…"."""
    return _opening().search(text, 0, 600)


@cache
def _announced() -> re.Pattern[str]:
    ends = "|".join(sorted(_units()["suffixes"], key=len, reverse=True))
    return re.compile(
        rf"现将(?P<name>(?![我本]){_NAME_CHAR}{{1,20}}?(?:{ends}))(?:20\d{{2}}\s*年|关于)"
    )


def announced_subject(text: str) -> str | None:
    """The unit the opening announces the report of: "现将郑东新区2025年度…报告如下"."""
    m = _announced().search(text, 0, 600)
    return m["name"] if m else None


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
    opening = opening_subject(doc.text)
    if opening and opening["year"]:
        doc.meta.year = int(opening["year"])
        return
    # A report that opens at its first heading: "一、2024年工作举措".
    m = re.search(r"(?:^|\n)一[、.]\s*(20\d{2})\s*年", head)
    if m:
        doc.meta.year = int(m[1])
        return
    if doc.meta.date:
        year, month = int(doc.meta.date[:4]), int(doc.meta.date[5:7])
        # Reports are written early in the following year.
        doc.meta.year = year - 1 if month <= 6 else year


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


@cache
def _level_rules() -> tuple[list[tuple[str, re.Pattern[str]]], dict[str, list[str]]]:
    spec = data.load("levels")
    return [(r["level"], re.compile(r["pattern"])) for r in spec["rule"]], spec["self_reference"]


@cache
def _below_city() -> tuple[re.Pattern[str], re.Pattern[str]]:
    below = data.load("levels")["city_below"]

    def any_of(key: str) -> re.Pattern[str]:
        # Longest first, so that 乡镇(街道) counts once, not also as 镇(街道).
        return re.compile("|".join(map(re.escape, sorted(below[key], key=len, reverse=True))))

    return any_of("towns"), any_of("counties")


def _governs_towns(text: str) -> bool:
    """A 市 whose report speaks of its towns, not its counties, is county-level."""
    towns, counties = _below_city()
    return len(towns.findall(text)) >= 2 and counties.search(text) is None


def level_of(unit: str | None, text: str) -> str | None:
    rules, self_reference = _level_rules()
    if not unit:
        # No title, page or signature names the unit: its opening sentence may.
        opening = opening_subject(text)
        unit = opening["name"] if opening else announced_subject(text)
    if unit:
        # A second name in brackets ("藏语委办(编译局)", "高新区(新市区)人民政府")
        # hides the suffix the rules read.
        unit = _BRACKETED.sub("", unit) or unit
        # The party committee with the government: the government's name tells the
        # level ("县委、县政府", "观胜镇党委、政府").
        party, _, government = unit.partition("、")
        if government:
            place = party.removesuffix("党委").removesuffix("党工委").removesuffix("委")
            unit = government if government.startswith(place) else place + government
        for level, pattern in rules:
            if pattern.search(unit):
                # Only a 市 may be county-level: a 州, 盟 or 地区 never is.
                if (
                    level == "city"
                    and _CITY.search(unit)
                    and (_has_superior_city(unit, text) or _governs_towns(text))
                ):
                    return "county"
                return level
    # 乡镇 is towns in general (市县乡镇政府), never a town naming itself.
    own = text.replace("乡镇", "")
    counts = {
        level: sum(own.count(word) for word in words) for level, words in self_reference.items()
    }
    if announced := _ANNOUNCES_ITSELF.search(own):
        # "现将我局2019年度法治政府建设情况报告如下", "现我乡2022年…报告如下": the
        # report names itself, which outweighs how often it speaks of 全省 or 全市
        # (a bureau does as often as a government). 我区 is a district's and an
        # autonomous region's: it decides nothing.
        levels = [level for level, words in self_reference.items() if announced[1] in words]
        if len(levels) == 1:
            return levels[0]
    level, hits = max(counts.items(), key=lambda kv: kv[1])
    return level if hits >= 2 else None


def _has_superior_city(unit: str, text: str) -> bool:
    """A 市 that names another 市 above it is county-level: between itself and the
    province ("省、威海市"), as the committee it works under ("在威海市委、市政府的
    坚强领导下") or as the government the report is addressed to ("威海市人民政府:")."""
    own = _place(unit) or unit
    for m in _SUPERIOR_CITY.finditer(text):
        city = next(c for c in m.groups() if c)
        if city not in own:
            return True
    return False


_CITY = re.compile(r"市(?:人民政府|政府)?$")
_ANNOUNCES_ITSELF = re.compile(
    r"(?:现将|(?<![实表发出体展])现|将)((?:我|本)(?:局|委|厅|办|中心|街道|镇|乡|县|区|市|州|省|旗|盟))"
    r"(?=\s*(?:\d{4}|[〇零一二三四五六七八九]{4}|关于|法治|有关|的|全年|年度|上一年))"
)
_SUPERIOR_CITY = re.compile(
    r"(?:中央|省)[、,和及]{1,2}([\u4e00-\u9fa5]{2,4}市)"
    r"|在([\u4e00-\u9fa5]{2,4}市)委"
    r"|^\s*([\u4e00-\u9fa5]{2,4}市)人民政府[:：]\s*$",
    re.MULTILINE,
)


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
    signed, doc.meta.unit = doc.meta.unit, None
    _title(doc)
    _unit(doc, own_name(signed) if signed else None)
    _date(doc)
    _year(doc)
    doc.meta.level = level_of(doc.meta.unit, doc.text)
    doc.meta.region = _region(doc.meta, doc.text)
