"""Web pages saved from a government site: the report text without the site around it.

The page furniture (menus, breadcrumbs, share bars, footers) is dropped by tag
and by id/class; of what is left, the main container is the element holding
most Chinese text in its paragraphs, readability-style. The publication date
and publisher the page states are kept in `page_info` before the furniture
goes, because later stages date the report by them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fazhi.load import txt
from fazhi.load.chars import cjk_count
from fazhi.load.errors import input_error

if TYPE_CHECKING:
    from email.message import Message

    from lxml import etree

# Never content.
_JUNK_TAGS = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "canvas"}
)
_JUNK_TAGS |= {"select", "option", "button", "input", "textarea", "head", "title", "meta", "link"}
# Usually furniture; kept when they hold most of the page's text (ASP.NET sites
# wrap the whole page in one <form>).
_FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside", "form"})
_FURNITURE_NAME = re.compile(
    r"nav|menu|crumb|share|footer|header|toolbar|sidebar|bdshare|fontsize|location"
    r"|copyright|topbar|gotop|search|login|qrcode|erweima",
    re.IGNORECASE,
)
# Less Chinese text than this is no report, whatever holds it.
_WRAPPER_MIN_CJK = 200
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Elements that start a new line in the text.
_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
# Elements whose own text counts as a paragraph when scoring containers.
_PARAGRAPH_TAGS = frozenset(
    {"p", "div", "td", "th", "li", "section", "article", "main", "blockquote", "pre", "center"}
    | {"dd", "body", "h1", "h2", "h3", "h4", "h5", "h6"}
)
# Scores within this share of the best one are ties, won by the deeper element.
_TIE = 0.95
_MAX_LINK_DENSITY = 0.3

# Word's "Save as web page" wraps list numbers in downlevel-revealed
# conditionals, which the HTML parser would show as text.
_DOWNLEVEL = re.compile(r"<!\[(?:if[^\]]*|endif)\]>", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
# Site names follow the title after "_", "|" or a dash; a dash between digits is a year range.
# Classes of title elements: "article-title", "tit", and pinyin 标题 (bt, wzbt, biaoti).
_TITLE_MARK = re.compile(r".*title.*|tit|[a-z]{0,3}bt|biaoti", re.IGNORECASE)
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|(?<!\d)[-—–]+|[-—–]+(?!\d))\s*")

_PUBLISHED_META = frozenset(
    {
        "pubdate",
        "publishdate",
        "publish_date",
        "firstpublishedtime",
        "article:published_time",
        "dc.date",
        "dc.date.issued",
        "dcterms.issued",
        "og:release_date",
    }
)
_PUBLISHER_META = frozenset({"contentsource", "publisher", "dc.publisher", "article:publisher"})
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_PUBLISHED_TEXT = re.compile(
    r"(?:发布日期|发布时间|发表日期|发表时间|发文日期|公开日期|日期)\s*[:：]\s*"
    r"((?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})"
)
_PUBLISHER_TEXT = re.compile(
    r"(发布机构|发布单位|发文机关|发文单位|信息来源|文章来源|来源)\s*[:：]\s*([^\s|｜,，:：]{2,40})"
)
# Labels ranked: the issuing body is named best by 发布机构, last by a bare 来源.
_PUBLISHER_RANK = ("发布机构", "发布单位", "发文机关", "发文单位", "信息来源", "文章来源", "来源")
_NOT_A_PUBLISHER = re.compile(r"^(?:本网|本站|本网站|网站|原创|转载|互联网|网络)")


@dataclass
class Page:
    text: str
    encoding: str
    page_info: dict[str, str] = field(default_factory=dict)


def _charset_declared(content: bytes) -> str | None:
    head = content[:8192]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii") if m else None


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _drop(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _date(value: str) -> str | None:
    m = _DATE.search(value)
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _page_info(root: etree._Element, page_text: str) -> dict[str, str]:
    info: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        value = (meta.get("content") or "").strip()
        if not value:
            continue
        if key in _PUBLISHED_META and "published" not in info:
            date = _date(value)
            if date:
                info["published"] = date
        elif (
            key in _PUBLISHER_META and "publisher" not in info and not _NOT_A_PUBLISHER.match(value)
        ):
            info["publisher"] = value
    if "published" not in info:
        m = _PUBLISHED_TEXT.search(page_text)
        date = _date(m.group(1)) if m else None
        if date:
            info["published"] = date
    if "publisher" not in info:
        found: dict[str, str] = {}
        for m in _PUBLISHER_TEXT.finditer(page_text):
            label, value = m.groups()
            if not _NOT_A_PUBLISHER.match(value):
                found.setdefault(label, value)
        for label in _PUBLISHER_RANK:
            if label in found:
                info["publisher"] = found[label]
                break
    return info


def _clean(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _title(root: etree._Element) -> str | None:
    """The report's title as the page shows it, if it names a 报告."""
    candidates: list[str] = []
    candidates += [_clean(el.text_content()) for el in root.iter("h1")]
    for el in root.iter():
        marks = f"{el.get('id') or ''} {el.get('class') or ''}".split()
        if _tag(el) not in ("head", "title", "meta") and any(
            _TITLE_MARK.fullmatch(mark) for mark in marks
        ):
            candidates.append(_clean(el.text_content()))
    candidates += [_clean(el.text_content()) for tag in ("h2", "h3") for el in root.iter(tag)]
    for el in root.iter("title"):
        candidates += _TITLE_SPLIT.split(_clean(el.text_content()))
    for text in candidates:
        if "报告" in text and 4 <= len(text) <= 120:
            return text
    return None


def _is_furniture(el: etree._Element) -> bool:
    tag = _tag(el)
    if tag in _FURNITURE_TAGS:
        return True
    if el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    marks = f"{el.get('id') or ''} {el.get('class') or ''}"
    return bool(_FURNITURE_NAME.search(marks))


def _strip(body: etree._Element) -> None:
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or _tag(el) in _JUNK_TAGS:
            _drop(el)
    total = cjk_count(body.text_content())
    doomed = [el for el in body.iter() if el is not body and _is_furniture(el)]
    for el in doomed:
        # A wrapper around most of a page with a report on it is layout, not furniture.
        held = cjk_count(el.text_content())
        if held * 2 > total and held >= _WRAPPER_MIN_CJK:
            continue
        _drop(el)


def _link_cjk(el: etree._Element) -> int:
    return sum(cjk_count(a.text_content()) for a in el.iter("a"))


def _depth(el: etree._Element) -> int:
    return sum(1 for _ in el.iterancestors())


def _main_nodes(body: etree._Element) -> list[etree._Element]:
    """The element holding most paragraph text, with the siblings that go with it."""

    def holder(el: etree._Element) -> etree._Element:
        node = el
        while node is not body and _tag(node) not in _PARAGRAPH_TAGS:
            parent = node.getparent()
            if parent is None:
                return body
            node = parent
        return node

    # Chinese characters outside links, by the paragraph element they sit in.
    own: dict[etree._Element, int] = {}
    for el in body.iter():
        in_link = _tag(el) == "a" or any(_tag(a) == "a" for a in el.iterancestors())
        if el.text and not in_link:
            h = holder(el)
            own[h] = own.get(h, 0) + cjk_count(el.text)
        parent = el.getparent()
        tail_in_link = in_link and _tag(el) != "a"
        if el.tail and parent is not None and el is not body and not tail_in_link:
            h = holder(parent)
            own[h] = own.get(h, 0) + cjk_count(el.tail)

    # A paragraph counts for itself and for the element that holds it.
    score: dict[etree._Element, int] = {}
    for el, count in own.items():
        score[el] = score.get(el, 0) + count
        parent = el.getparent()
        if parent is not None and el is not body:
            score[parent] = score.get(parent, 0) + count
    top = max(score.values(), default=0)
    if top == 0:
        return [body]
    # Text straight inside a <div> also counts for its parent; the deeper one
    # is the container unless the parent adds real text of its own.
    best = max((el for el, s in score.items() if s >= top * _TIE), key=_depth)

    parent = best.getparent()
    if parent is None or best is body or parent is body or _tag(parent) == "html":
        return [best]
    # Siblings hold the title line, the signature, or the rest of a report
    # split over several blocks; lists of links are related articles.
    nodes = []
    for sibling in parent.iterchildren():
        if sibling is best:
            nodes.append(sibling)
        elif isinstance(sibling.tag, str):
            total = cjk_count(sibling.text_content())
            if total and _link_cjk(sibling) <= total * _MAX_LINK_DENSITY:
                nodes.append(sibling)
    return nodes


def _render(nodes: list[etree._Element]) -> str:
    """Text of the nodes: blocks and <br> break lines, table cells are joined by tabs."""
    from lxml import etree

    parts: list[str] = []
    for top in nodes:
        for action, el in etree.iterwalk(top, events=("start", "end")):
            tag = _tag(el)
            if action == "start":
                if tag in _BLOCK_TAGS or tag == "br":
                    parts.append("\n")
                elif tag in ("td", "th"):
                    prev = el.getprevious()
                    if prev is not None and _tag(prev) in ("td", "th"):
                        parts.append("\t")
                if el.text:
                    parts.append(_SPACES.sub(" ", el.text))
            else:
                if tag in _BLOCK_TAGS:
                    parts.append("\n")
                if el is not top and el.tail:
                    parts.append(_SPACES.sub(" ", el.tail))
        parts.append("\n")
    lines = (line.strip(" ") for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line.strip())


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _parse(name: str, text: str) -> etree._Element:
    from lxml import etree  # lxml, only for a web page
    from lxml import html as lxml_html

    text = _XML_DECL.sub("", text, count=1)
    text = _DOWNLEVEL.sub("", text)
    text = _XML_INVALID.sub("", text)
    try:
        return lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise input_error(
            name, "网页内容无法解析", "请在浏览器中打开后另存为完整网页或复制正文到 .txt 后重试"
        ) from exc


def extract(name: str, content: bytes, declared: str | None = None) -> Page:
    """The report text of an HTML page. `declared` is a charset known from outside (MHTML)."""
    text, encoding = txt.decode(name, content, declared or _charset_declared(content))
    root = _parse(name, text)
    title = _title(root)
    body = root.find("body")
    if body is None:
        body = root
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or _tag(el) in ("script", "style", "noscript"):
            _drop(el)
    page_text = " ".join(body.itertext())
    info = _page_info(root, page_text)
    _strip(body)
    main = _render(_main_nodes(body))
    if not main:
        if page_text.strip():
            # Pages that fill in their text by script save as furniture only.
            raise input_error(
                name,
                "网页中没有找到报告正文（可能由脚本动态加载）",
                "请在浏览器中打开后复制正文到 .txt 再提交",
            )
        return Page("", encoding, info)
    if title and _compact(title) not in _compact("".join(main.split("\n")[:5])):
        main = f"{title}\n{main}"
    return Page(main, encoding, info)


def extract_mhtml(name: str, content: bytes) -> Page:
    """A web archive (.mht, or a .doc saved by Word as one): its HTML part."""
    import email  # the mail parser, only for a web archive

    try:
        message: Message = email.message_from_bytes(content)
        for part in message.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    return extract(name, payload, part.get_content_charset())
    except (ValueError, LookupError, UnicodeError) as exc:
        raise input_error(
            name, "网页存档内容已损坏", "请在浏览器中重新保存网页或将正文复制到 .txt 后重试"
        ) from exc
    raise input_error(
        name, "网页存档中没有找到网页内容", "请在浏览器中重新保存网页或将正文复制到 .txt 后重试"
    )
