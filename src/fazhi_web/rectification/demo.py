"""Demo rectification for the demo office 广东省: a 督察 of three units with its problems,
and an item from a review finding. Two items are 销号, one is overdue, one 挂牌督办, one
waits for the office's verification. Through the services, as an office would; loaded
once (a demo database that has items keeps them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from fazhi_web.rectification import services
from fazhi_web.rectification.models import Item
from fazhi_web.reports.models import Obligation
from fazhi_web.units.models import Membership, Role, Unit

# A one-page PDF standing in for a scanned 整改报告.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _reporter(unit: Unit) -> User | None:
    member = Membership.objects.filter(unit=unit, role=Role.REPORTER).select_related("user")
    first = member.first()
    return first.user if first else None


def _answer(unit_user: User, office_user: User, item: Item, measures: str, close: bool) -> None:
    services.add_evidence(unit_user, item, "整改情况报告.pdf", EVIDENCE_PDF)
    services.submit(unit_user, item, measures)
    if close:
        services.close(office_user, item)


def load(units: dict[str, Unit], users: dict[str, Any]) -> None:
    if Item.objects.exists():
        return
    office, reviewer = units["广东省"], users["reviewer"]
    qingxi, bureau = units["东莞市清溪镇人民政府"], units["东莞市司法局"]
    tangxia = units["东莞市塘厦镇人民政府"]
    held_on = timezone.localdate() - dt.timedelta(days=90)
    inspection = services.record_inspection(
        reviewer, office, held_on=held_on, team="省法治督察第一组", units=[qingxi, bureau, tangxia]
    )
    closed_town = services.raise_from_inspection(
        reviewer, inspection, qingxi, problem="行政执法案卷评查发现部分案卷文书制作不规范",
        person="清溪镇综合行政执法办 陈主任", limit_days=30,
    )  # fmt: skip
    closed_bureau = services.raise_from_inspection(
        reviewer, inspection, bureau, problem="规范性文件未按期报送备案",
        person="东莞市司法局法规科 林科长", limit_days=20,
    )  # fmt: skip
    # 10 working days from a 督察 90 days ago: overdue, and no answer yet.
    services.raise_from_inspection(
        reviewer, inspection, qingxi, problem="领导干部学法制度落实不到位，全年仅集中学法2次",
        person="清溪镇党政办 黄主任", limit_days=10,
    )  # fmt: skip
    escalated = services.raise_from_inspection(
        reviewer, inspection, tangxia, problem="重大行政决策未经合法性审查即提交集体讨论",
        person="塘厦镇司法所 周所长", due_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    services.escalate(reviewer, escalated, "同类问题连续两年被督察指出")
    town_reporter, bureau_reporter = _reporter(qingxi), _reporter(bureau)
    if town_reporter is not None:
        _answer(town_reporter, reviewer, closed_town,
                "组织开展行政执法案卷专项评查，对32卷不规范案卷逐卷整改，并开展文书制作培训。",
                close=True)  # fmt: skip
    if bureau_reporter is not None:
        _answer(bureau_reporter, reviewer, closed_bureau,
                "2件逾期文件已补报备案，建立规范性文件备案提醒制度。", close=True)  # fmt: skip
    # An item from the review of 清溪镇's latest report (the demo also holds its year
    # before, written without faults), answered and waiting for verification.
    obligation = (
        Obligation.objects.filter(unit=qingxi)
        .exclude(current_version=None)
        .order_by("-reporting_year__year")
        .first()
    )
    if obligation is None or town_reporter is None:
        return
    version = obligation.current_version
    findings = version.analysis.get("findings", [])
    index = next((i for i, f in enumerate(findings) if f.get("rule") != "boilerplate"), None)
    if index is None:
        return
    from_review = services.raise_from_finding(reviewer, version, index, limit_days=20)
    _answer(town_reporter, reviewer, from_review, "已对照审查意见修改报告相应内容。", close=False)
