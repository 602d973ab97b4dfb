"""Demo case ledgers (复议, 应诉, 信访, 12345, 建议提案) for the demo units, imported from
.xlsx sheets like the other demo ledgers (ledgers.demo).

The figures agree with what the demo reports state, except three mismatches planted on
purpose so the review page shows `ledger-mismatch` findings:
- 东莞松山湖高新区管委会 2020 states 3019 hotline orders closed; its hotline ledger
  closes 3012 of the 3134 dispatched (seven were closed only in January 2021);
- 东莞市司法局 2020 states an on-time reply rate of 100%; one of its 12 suggestions was
  replied to a week late (91.7%);
- 南雄市政务服务和数据管理局 2022 states 36 reconsideration applications accepted; its
  ledger holds 35 accepted and 5 refused of the 40 received.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from fazhi_web.disputes import services as dispute_services
from fazhi_web.disputes.models import Litigation
from fazhi_web.ledgers.demo import _import, _spread, _working
from fazhi_web.petitions.models import HotlineCategory
from fazhi_web.units.models import Unit

D = dt.date
# The demo's hotline categories; the limits are for the demo, not any city's rules.
DEMO_CATEGORIES = (("咨询", 1), ("求助", 3), ("投诉", 5), ("举报", 10), ("建议", 10))
SATISFACTION = ("满意", "满意", "满意", "基本满意", "不满意")


def _hotline(year: int, n: int, closed: int) -> list[dict[str, Any]]:
    rows = []
    for i, day in enumerate(_spread(year, n, 1, 12)):
        name, limit = DEMO_CATEGORIES[i % len(DEMO_CATEGORIES)]
        row: dict[str, Any] = {
            "number": f"SSL{year}{i + 1:06d}", "category": name, "dispatched_on": day,
            "content": f"{name}类诉求",
        }  # fmt: skip
        if i < closed:
            row["closed_on"] = min(_working(day + dt.timedelta(days=limit // 2)), D(year, 12, 31))
            row["satisfaction"] = SATISFACTION[i % len(SATISFACTION)]
        else:
            row["closed_on"] = D(year + 1, 1, 8)
        rows.append(row)
    return rows


def _petitions(
    year: int, n: int, accepted: int, concluded: int, prefix: str
) -> list[dict[str, Any]]:
    rows = []
    for i, day in enumerate(_spread(year, n, 1, 9)):
        row: dict[str, Any] = {
            "number": f"{prefix}{year}-{i + 1:04d}", "channel": ("来信", "来访", "网上信访")[i % 3],
            "received_on": day, "content": "反映问题",
        }  # fmt: skip
        decided = _working(day + dt.timedelta(days=7))
        row["accepted_on" if i < accepted else "not_accepted_on"] = decided
        if i < concluded:
            row["concluded_on"] = _working(day + dt.timedelta(days=40))
            row["result"] = "已答复信访人"
        rows.append(row)
    return rows


def _proposals(year: int, kind: str, n: int, prefix: str, late: int = 0) -> list[dict[str, Any]]:
    rows = []
    for i, day in enumerate(_spread(year, n, 2, 4)):
        # Three months after assignment is the limit; a late reply comes a week after it.
        replied = day + dt.timedelta(days=60) if i >= late else day + dt.timedelta(days=100)
        rows.append({"kind": kind, "number": f"{prefix}{i + 1:03d}", "title": f"关于{prefix}第{i + 1}号事项的建议",
                     "assigned_on": day, "replied_on": _working(replied), "satisfaction": "满意"})  # fmt: skip
    return rows


def _reconsiderations(year: int, n: int, accepted: int) -> list[dict[str, Any]]:
    rows = []
    for i, day in enumerate(_spread(year, n, 1, 10)):
        row: dict[str, Any] = {
            "number": f"雄复〔{year}〕{i + 1}号", "applicant": f"申请人{i + 1}",
            "respondent": "南雄市某镇人民政府", "received_on": day,
        }  # fmt: skip
        if i < accepted:
            row["accepted_on"] = _working(day + dt.timedelta(days=2))
        else:
            row["refused_on"] = _working(day + dt.timedelta(days=2))
            row["refusal_reason"] = "不属于行政复议范围"
        rows.append(row)
    return rows


def load(u: dict[str, Unit], clerk: dict[str, User]) -> None:
    for name, limit in DEMO_CATEGORIES:
        HotlineCategory.objects.get_or_create(
            name=name, region="", hidden_reason="",
            defaults={"limit_length": limit, "limit_unit": "working", "source": "演示用时限"},
        )  # fmt: skip

    # 东莞松山湖高新区管委会 2020: 728 petitions, 714 concluded (98.1%); 3134 hotline
    # orders, 3012 closed in the year (the report: 3019, planted); 16 proposals, 1 suggestion.
    zone = u["东莞松山湖高新区管委会"]
    who = clerk[zone.name]
    _import(who, "petitions", zone, _petitions(2020, 728, 728, 714, "SSLX"), "信访台账.xlsx")
    _import(who, "hotline", zone, _hotline(2020, 3134, 3012), "12345工单导出.xlsx")
    _import(who, "proposals", zone,
            [*_proposals(2020, "政协提案", 16, "松政协"), *_proposals(2020, "人大代表建议", 1, "松人大")],
            "建议提案台账.xlsx")  # fmt: skip

    # 银川市金凤区 2020: two lawsuits heard, the head in court at each (100%).
    jinfeng = u["银川市金凤区"]
    _import(clerk[jinfeng.name], "litigations", jinfeng, [
        {"number": f"(2020)宁0106行初{i}号", "court": "银川市金凤区人民法院", "stage": "一审",
         "plaintiff": f"原告{i}", "filed_on": D(2020, 3 * i, 2)} for i in (1, 2)
    ], "行政应诉台账.xlsx")  # fmt: skip
    for i, suit in enumerate(Litigation.objects.filter(unit=jinfeng).order_by("pk"), start=1):
        dispute_services.record_hearing(
            clerk[jinfeng.name], suit, held_on=D(2020, 3 * i + 1, 15), head_appeared=True,
            head_name="马区长" if i == 1 else "杨副区长", head_title="区长" if i == 1 else "副区长",
        )  # fmt: skip

    # 东莞市清溪镇人民政府 2021: 4 lawsuits; 541 petitions received, 118 of them accepted and
    # concluded (100%); 7 study sessions.
    qingxi = u["东莞市清溪镇人民政府"]
    who = clerk[qingxi.name]
    _import(who, "litigations", qingxi, [
        {"number": f"(2021)粤1971行初{i}号", "court": "东莞市第三人民法院", "stage": "一审",
         "plaintiff": f"原告{i}", "filed_on": D(2021, 2 * i, 8)} for i in range(1, 5)
    ], "清溪镇行政应诉台账.xlsx")  # fmt: skip
    _import(who, "petitions", qingxi, _petitions(2021, 541, 118, 118, "QX"), "清溪镇信访台账.xlsx")
    _import(who, "sessions", qingxi, [
        {"kind": ("会前学法", "中心组学法", "专题讲座")[i % 3], "held_on": day,
         "topic": ("学习《中华人民共和国行政处罚法》", "学习习近平法治思想", "民法典专题讲座")[i % 3],
         "audience": "镇党委、政府班子成员", "attendance": 15 + i}
        for i, day in enumerate(_spread(2021, 7))
    ], "清溪镇学法台账.xlsx")  # fmt: skip

    # 东莞市司法局 2020: 12 suggestions, one replied to late (the report: 100%, planted).
    bureau = u["东莞市司法局"]
    _import(clerk[bureau.name], "proposals", bureau,
            _proposals(2020, "人大代表建议", 12, "东司", late=1), "司法局建议提案台账.xlsx")  # fmt: skip

    # 南雄市政务服务和数据管理局 2022: 40 applications, 35 accepted (the report: 36, planted);
    # 133 suggestions and 49 proposals, all replied to on time.
    nanxiong = u["南雄市政务服务和数据管理局"]
    who = clerk[nanxiong.name]
    _import(who, "reconsiderations", nanxiong, _reconsiderations(2022, 40, 35), "行政复议台账.xlsx")
    _import(who, "proposals", nanxiong,
            [*_proposals(2022, "人大代表建议", 133, "雄人大"), *_proposals(2022, "政协提案", 49, "雄政协")],
            "政数局建议提案台账.xlsx")  # fmt: skip
