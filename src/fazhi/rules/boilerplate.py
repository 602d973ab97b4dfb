"""Reports the web-page furniture that was taken out of the text.

## What it finds
Nothing by itself: the boilerplate stage has already removed page furniture
(breadcrumbs, 字体: 大 中 小, 分享到, 扫一扫在手机打开当前页…) and listed it in
`doc.removed`. This rule turns each removed item into an `info` finding with no
position, quoting its first 40 characters.

## Why it matters
The reviewer sees what the engine dropped and can check that no report text
went with it; a report copied from a web page with its furniture also shows
that the submitted file was not the clean original.

## Example
    分享到:  ->  已去除网页残留内容：“分享到:”。
"""

from __future__ import annotations

from collections.abc import Iterator

from fazhi.document import Document, Finding
from fazhi.rules.base import rule_text

SLUG = "boilerplate"
TEXT = rule_text(SLUG)

SNIPPET = 40


def check(doc: Document) -> Iterator[Finding]:
    for removed in doc.removed:
        text = " ".join(removed.text.split())
        if not text:
            continue
        snippet = text if len(text) <= SNIPPET else text[:SNIPPET] + "…"
        yield TEXT.finding(None, None, snippet=snippet)
