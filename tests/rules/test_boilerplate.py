from __future__ import annotations

from collections.abc import Callable

import pytest

from fazhi.document import Document, Removed
from fazhi.rules import boilerplate

Make = Callable[[str], Document]


def test_each_removed_item_is_one_info_finding_without_position(doc: Make) -> None:
    d = doc("正文内容。")
    d.removed = [Removed("分享到:", "share"), Removed("扫一扫在手机打开当前页", "share")]
    findings = list(boilerplate.check(d))
    assert [f.message for f in findings] == [
        "已去除网页残留内容：“分享到:”。",
        "已去除网页残留内容：“扫一扫在手机打开当前页”。",
    ]
    assert all(f.severity == "info" and f.start is None and f.end is None for f in findings)


def test_long_item_is_truncated_and_spaces_collapsed(doc: Make) -> None:
    d = doc("正文内容。")
    furniture = (
        "保护视力色:          字体颜色: 【    绿 】     恢复默认   发布日期:2021-02-26 11:10"
    )
    d.removed = [Removed(furniture, "toolbar")]
    (finding,) = boilerplate.check(d)
    collapsed = " ".join(furniture.split())
    assert finding.message == f"已去除网页残留内容：“{collapsed[:40]}…”。"


@pytest.mark.parametrize("removed", [[], [Removed("", "blank")], [Removed(" \n ", "blank")]])
def test_nothing_removed_means_no_finding(doc: Make, removed: list[Removed]) -> None:
    d = doc("正文内容。分享到朋友圈是一种宣传方式。")
    d.removed = removed
    assert list(boilerplate.check(d)) == []


def test_text_left_in_the_document_is_not_reported(doc: Make) -> None:
    # Only what an earlier stage removed counts; this rule does not search the text.
    d = doc("您当前的位置: 首页 > 政务公开\n正文内容。\n分享到:")
    assert list(boilerplate.check(d)) == []


@pytest.mark.parametrize(
    ("name", "furniture"),
    [
        ("001", ["本站已启用无障碍浏览系统,欢迎点击访问!", "分享到:"]),
        ("002", ["扫一扫在手机打开当前页", "站长统计"]),
    ],
)
def test_seed_furniture(seed: Callable[[str], Document], name: str, furniture: list[str]) -> None:
    d = seed(name)
    assert all(line in d.text.split("\n") for line in furniture)
    d.removed = [Removed(line, "furniture") for line in furniture]
    snippets = [f.message.split("“", 1)[1].rsplit("”", 1)[0] for f in boilerplate.check(d)]
    assert snippets == furniture
