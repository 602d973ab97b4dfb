"""Flags a rectification item that the unit's report does not account for.

## What it finds
Each rectification item (整改事项) the platform holds for the unit and the
report year, and each earlier year's item not yet closed (销号), is looked for
in the report's `shortcomings` and `measures` parts (the whole text when the
parts were not found): its 问题 and 整改措施 against the report, by an aligned
partial ratio and by the share of the item's character pairs found within one
stretch of the report. An item neither score finds is flagged once, as a
warning.

The items live on the platform (`fazhi_web.rectification`), raised from review
findings, a 督察 or a 通报, so the check runs there; the engine alone, on a file,
has no items and does not check.

## Why it matters
How the problems an inspection or a 通报 named were put right belongs in the
report's 存在的不足和原因 and in the 考评. A report silent on them usually means
the rectification was not done, or the report was copied from an earlier year.

## Example
    整改事项 (2024年督察): 规范性文件未按期报送备案
    2024年度报告: (nothing on 备案)
      ->  2024年度整改事项“规范性文件未按期报送备案”（来源：督察）在报告的
          “存在的不足和原因”“主要举措和成效”部分未见整改情况。
    2024年度报告: 对督察发现的2件规范性文件逾期报送备案问题，已全部补报备案
      ->  no finding
"""

from __future__ import annotations

from fazhi.rules.base import rule_text

SLUG = "rectification-not-reported"
TEXT = rule_text(SLUG)
