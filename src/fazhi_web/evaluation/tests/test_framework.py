"""The framework file: the demonstration framework loads, its points add up, and a bad
file is refused with a Chinese message that says where."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest

from fazhi_web.evaluation import framework
from fazhi_web.evaluation.framework import FrameworkError

CHINESE = re.compile(r"[\u4e00-\u9fff]")

GOOD = """
name = "测试指标体系"
total = 10

[[area]]
title = "甲"
points = 10

[[area.item]]
title = "甲一"
points = 10

[[area.item.criterion]]
text = "按时报送。"
points = 6
evidence = { kind = "on_time" }

[[area.item.criterion]]
text = "审查员核对。"
points = 4
"""


def write(tmp_path, text: str, name: str = "f.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path, text: str) -> str:
    with pytest.raises(FrameworkError) as caught:
        framework.load(write(tmp_path, text))
    message = str(caught.value)
    # The file's own keys and values may be quoted; nothing of Python's is.
    assert (
        CHINESE.search(message) and "Error" not in message and not re.search(r"\bline \d", message)
    )
    return message


def test_the_demonstration_framework_has_eight_areas_and_adds_up_to_100():
    spec = framework.load()
    assert spec.total == Decimal(100)
    assert sum(c.points for c in spec.criteria) == Decimal(100)
    areas = Counter(c.area_title for c in spec.criteria)
    assert len(areas) == 8
    assert spec.criteria[0].area_title == "政府职能依法全面履行"
    assert spec.criteria[0].item_title == "加大简政放权力度"
    # The three third-level items checked word for word against the published text.
    official = [c.number for c in spec.criteria if c.official]
    assert official == ["1.1.1", "1.1.2", "1.1.3"]
    assert spec.source.startswith("https://")
    kinds = Counter(c.evidence_kind for c in spec.criteria)
    assert set(kinds) == {"reviewer", "part", "on_time", "report_indicator", "ledger_indicator"}


def test_a_good_file_loads(tmp_path):
    spec = framework.load(write(tmp_path, GOOD))
    assert [(c.number, c.evidence_kind, c.points) for c in spec.criteria] == [
        ("1.1.1", "on_time", Decimal(6)),
        ("1.1.2", "reviewer", Decimal(4)),
    ]


def test_points_that_do_not_add_up_are_refused(tmp_path):
    message = refused(tmp_path, GOOD.replace("points = 4", "points = 3"))
    assert message == "二级指标“甲一”的分值为10分，但其三级指标合计9分，两者应相等。"
    message = refused(tmp_path, GOOD.replace("total = 10", "total = 100"))
    assert "指标体系的分值为100分，但其一级指标合计10分" in message


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (('kind = "on_time"', 'kind = "weather"'), "评分依据来源“weather”不存在"),
        (('kind = "on_time"', 'kind = "part", part = "preface"'), "报告部分“preface”不存在"),
        (('kind = "on_time"', 'kind = "ledger_indicator", indicator = "hotline_received", at_least = 1'),
         "台账指标“hotline_received”不存在"),
        (('kind = "on_time"', 'kind = "report_indicator", indicator = "study_sessions"'),
         "缺少参数“at_least”"),
        (('kind = "on_time"', 'kind = "report_indicator", indicator = "study_sessions", at_least = -1'),
         "达标值（at_least）必须是大于0的数字"),
        (("points = 6", 'points = "六"'), "分值必须是数字"),
        (("points = 6", "points = 0"), "分值必须大于0"),
        (('text = "按时报送。"', 'text = ""'), "三级指标 1.1.1缺少内容"),
        (("[[area.item]]", "[[area.itemz]]"), "没有二级指标"),
    ],
)  # fmt: skip
def test_a_bad_file_says_what_is_wrong_in_chinese(tmp_path, change, says):
    assert says in refused(tmp_path, GOOD.replace(*change))


def test_a_file_that_is_not_toml_or_not_there(tmp_path):
    assert "格式有误（第3行附近）" in refused(tmp_path, 'name = "x"\ntotal = 1\n[[area\n')
    with pytest.raises(FrameworkError, match="找不到指标体系文件"):
        framework.load(tmp_path / "missing.toml")
    bad = tmp_path / "gbk.toml"
    bad.write_bytes("name = '指标'".encode("gbk"))
    with pytest.raises(FrameworkError, match="不是 UTF-8 编码"):
        framework.load(bad)
