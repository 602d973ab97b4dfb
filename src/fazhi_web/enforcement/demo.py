"""Demo enforcement ledgers for the demo units, imported the way an office would: from .xlsx
sheets, through the same checks as the pages.

The figures agree with what the demo reports state:
- 东莞松山湖高新区管委会 2020: “全年共办理执法证申请、换证等业务69人次” — 69 certificates
  issued in 2020;
- 东莞市清溪镇人民政府 2021: “协助对重大行政执法开展法制审核19次” — 19 major penalty cases
  reviewed (and decided) in 2021.
Around today 清溪镇 has a decision published with its masked copy, one awaiting the
reviewer's approval, one past its 7 working days unpublished, two certificates due soon,
and a published 双随机 draw.
"""

from __future__ import annotations

import datetime as dt
import itertools
from io import BytesIO
from typing import Any

import openpyxl

from fazhi_web.enforcement import services, sheets
from fazhi_web.enforcement.models import Case, CaseEvent
from fazhi_web.ledgers import demo as ledgers_demo
from fazhi_web.units.models import Unit

D = dt.date
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯"
GIVEN = [
    "建华",
    "志强",
    "晓燕",
    "国栋",
    "丽萍",
    "海涛",
    "文静",
    "永红",
    "振宇",
    "秀英",
    "伟民",
    "思远",
]


def _names(n: int, offset: int = 0) -> list[str]:
    pairs = itertools.islice(itertools.product(SURNAMES, GIVEN), offset, offset + n)
    return [surname + given for surname, given in pairs]


def _import(clerk: Any, slug: str, unit: Unit, rows: list[dict[str, Any]], name: str) -> None:
    spec = sheets.SHEETS[slug]
    columns = [c for c in spec.columns if any(c.key in r for r in rows)]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([c.label for c in columns])
    for row in rows:
        sheet.append([row.get(c.key) for c in columns])
    out = BytesIO()
    workbook.save(out)
    batch = sheets.upload(clerk, slug, unit, name, out.getvalue())
    sheets.run(clerk, batch)


def _working_days_before(day: dt.date, n: int) -> dt.date:
    while n:
        day -= dt.timedelta(days=1)
        n -= day.weekday() < 5
    return day


def _penalty(number: str, day: dt.date, officers: str, **extra: Any) -> dict[str, Any]:
    """A penalty case whose events run over the 12 days to its decision on `day`."""
    return {
        "number": number, "kind": "处罚", "party": extra.pop("party", "东莞市清溪某某商行"),
        "title": extra.pop("title", "未按规定公示食品经营许可证"), "officers": officers,
        "decision_text": extra.pop("text", "当事人违反《中华人民共和国食品安全法》有关规定，决定给予警告并罚款人民币二千元。"),
        "event:filed": day - dt.timedelta(days=12), "event:investigated": day - dt.timedelta(days=9),
        "event:notified": day - dt.timedelta(days=5), "event:decided": day, **extra,
    }  # fmt: skip


def load(units: dict[str, Unit], users: dict[str, Any]) -> None:
    if Case.objects.exists():
        return
    today = services.today()
    zone, town = units["东莞松山湖高新区管委会"], units["东莞市清溪镇人民政府"]
    zone_clerk, clerk = ledgers_demo._clerk(zone, users), ledgers_demo._clerk(town, users)

    # 松山湖 2020: 69 certificates issued or renewed in the year.
    days = ledgers_demo._spread(2020, 69)
    _import(zone_clerk, "enf_staff", zone, [
        {"name": name, "post": "综合执法", "number": f"44190020{i:04d}", "issued_on": day,
         "expires_on": D(day.year + 10, day.month, min(day.day, 28))}
        for i, (name, day) in enumerate(zip(_names(69), days, strict=True))
    ], "松山湖执法人员台账.xlsx")  # fmt: skip

    # 清溪镇: six officers; two certificates run out within the reminder.
    names = _names(6, offset=69)
    staff = [
        {"name": n, "post": "综合行政执法", "number": f"4419QX{i:04d}", "issued_on": D(2019, 3, 1),
         "expires_on": D(2029, 2, 28) if i < 4 else today + dt.timedelta(days=15 * (i - 2))}
        for i, n in enumerate(names)
    ]  # fmt: skip
    _import(clerk, "enf_staff", town, staff, "清溪镇执法人员台账.xlsx")
    pair = f"{staff[0]['number']}、{staff[1]['number']}"

    # 2021: 19 major penalty cases, each through 法制审核 before its decision.
    rows = []
    for i, day in enumerate(ledgers_demo._spread(2021, 19, start_month=2)):
        row = _penalty(f"清综执罚〔2021〕{i + 1}号", day, pair, major="涉及重大公共利益")
        row.update({"event:served": day + dt.timedelta(days=2), "event:closed": day + dt.timedelta(days=20),
                    "review:reviewer": "清溪镇法制审核员 " + names[5], "review:opinion": "事实清楚，证据确凿，适用依据正确，程序合法。",
                    "review:reviewed_on": day - dt.timedelta(days=2)})  # fmt: skip
        rows.append(row)
    # 2021 inspections.
    rows += [
        {"number": f"清综执检〔2021〕{i + 1}号", "kind": "检查", "title": "燃气经营安全检查",
         "party": f"清溪镇燃气供应站{i + 1}", "officers": pair,
         "event:investigated": day, "event:closed": day + dt.timedelta(days=1)}
        for i, day in enumerate(ledgers_demo._spread(2021, 8))
    ]  # fmt: skip
    # Now: three recent penalties against natural persons, for the 公示 flow.
    person = "当事人{name}（身份证号码：441900198806152317，住址：东莞市清溪镇香芒中路18号，联系电话13929481234）在清溪镇三中市场占道经营，违反《东莞市市容环境卫生管理规定》，决定罚款人民币五百元。"
    recent = [("刘某强", 3), ("陈建国", 9), ("黄丽萍", 14)]
    for i, (name, back) in enumerate(recent):
        day = _working_days_before(today, back)
        rows.append(_penalty(f"清综执罚〔{day.year}〕{100 + i}号", day, pair, party=name,
                             party_is_person="是", title="占道经营", text=person.format(name=name)))  # fmt: skip
    _import(clerk, "enf_cases", town, rows, "清溪镇执法案件台账.xlsx")

    for case in Case.objects.filter(unit=town, number__contains="〔2021〕", kind="penalty"):
        decided_on = CaseEvent.objects.get(case=case, kind="decided").on
        services.prepare_publication(clerk, case)
        services.approve_publication(users["reviewer"], case, on=decided_on + dt.timedelta(days=1))
        services.publish(clerk, case, on=decided_on + dt.timedelta(days=3))
    awaiting, published, _late = (
        Case.objects.get(
            unit=town, number=f"清综执罚〔{_working_days_before(today, back).year}〕{100 + i}号"
        )
        for i, (_, back) in enumerate(recent)
    )
    services.prepare_publication(clerk, published)
    services.approve_publication(users["reviewer"], published)
    services.publish(clerk, published, on=today)
    services.prepare_publication(clerk, awaiting)
    decided = CaseEvent.objects.get(case=published, kind="decided")
    services.add_attachment(clerk, decided, kind="file", name="行政处罚决定书.txt",
                            content=published.decision_text.encode("utf-8"))  # fmt: skip

    # 双随机: the town's 名录 and a published draw.
    for i in range(12):
        services.create_entity(
            clerk, town, name=f"清溪镇食品经营户{i + 1:02d}", category="食品经营"
        )
    inspection = services.create_inspection(
        clerk, town, title=f"{today.year}年食品经营者双随机抽查", entity_count=4
    )
    services.draw_inspection(clerk, inspection)
    for drawn in inspection.drawn.all():
        services.record_result(
            clerk, drawn, inspected_on=_working_days_before(today, 2), result="未发现问题"
        )
    services.publish_inspection(clerk, inspection, on=_working_days_before(today, 1))
