"""Demo ledgers for the demo units, imported the way an office would: from .xlsx sheets.

The figures agree with what the five demo reports state, except three mismatches
planted on purpose so the review page has something to show:
- 东莞市司法局 2020 states 800 legality reviews; its decision ledger holds 12 (the rest
  were contracts, which no ledger here keeps);
- 银川市金凤区 2020 states a filing rate of 100%; one of its three documents was filed late
  and is still missing from the filing ledger (2 of 3);
- 南雄市政务服务和数据管理局 2022 states 4 major decisions; its catalogue lists 5.
The case ledgers (复议, 应诉, 信访, 12345, 建议提案, 学法) are in ledgers.case_demo, with
their own planted mismatches. Around today there are open requests and documents, some overdue and some due soon, a
deferred filing, and a decision draft open for public comment.
"""

from __future__ import annotations

import datetime as dt
import itertools
from io import BytesIO
from typing import Any

import openpyxl
from django.contrib.auth.models import User

from fazhi_web.ledgers import importing, services
from fazhi_web.ledgers.models import MajorDecision, NormativeDocument
from fazhi_web.ledgers.sheets import LEDGERS, auto_mapping, read_sheet
from fazhi_web.units.models import Membership, Role, Unit

D = dt.date


def _working(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _spread(year: int, n: int, start_month: int = 1, end_month: int = 11) -> list[dt.date]:
    """`n` working days spread over the months of `year`."""
    first, last = D(year, start_month, 5), D(year, end_month, 25)
    step = (last - first) / max(n, 1)
    return [_working(first + step * i) for i in range(n)]


def _clerk(unit: Unit, users: dict[str, User]) -> User:
    """The unit's ledger keeper: its demo reporter if it has one, else a user without a password."""
    member = Membership.objects.filter(unit=unit, role=Role.REPORTER).select_related("user").first()
    if member is not None:
        return member.user
    user, _ = User.objects.get_or_create(
        username=f"ledger{unit.pk}", defaults={"first_name": f"{unit.name} 法制员"}
    )
    user.set_unusable_password()
    user.save()
    Membership.objects.get_or_create(user=user, unit=unit, role=Role.REPORTER)
    return user


def _import(clerk: User, ledger: str, unit: Unit, rows: list[dict[str, Any]], name: str) -> None:
    spec = LEDGERS[ledger]
    columns = [c for c in spec.columns if any(c.key in r for r in rows)]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([c.label for c in columns])
    for row in rows:
        sheet.append([row.get(c.key) for c in columns])
    out = BytesIO()
    workbook.save(out)
    batch = importing.upload(clerk, ledger, unit, name, out.getvalue())
    batch.mapping = auto_mapping(spec, read_sheet(out.getvalue()).headers)
    batch.save(update_fields=["mapping"])
    importing.run(clerk, batch)


def _document(title: str, number: str, published: dt.date, review_unit: str, filing_unit: str,
              *, filed: bool = True, result: bool = True) -> dict[str, Any]:  # fmt: skip
    row: dict[str, Any] = {
        "title": title,
        "doc_number": number,
        "drafted_on": published - dt.timedelta(days=40),
        "review_unit": review_unit,
        "review_submitted_on": _working(published - dt.timedelta(days=30)),
        "reviewer": "法制审核科",
        "review_opinion": "经审核，该文件制定主体适格，内容不违反法律、法规、规章规定，程序符合要求，同意提交审议。",
        "reviewed_on": _working(published - dt.timedelta(days=20)),
        "deliberation": "常务会议",
        "deliberated_on": _working(published - dt.timedelta(days=10)),
        "published_on": published,
        "effective_on": published + dt.timedelta(days=31),
        "filing_unit": filing_unit,
    }
    if filed:
        row["filed_on"] = _working(published + dt.timedelta(days=12))
        if result:
            row["filing_result"] = "予以备案"
            row["filing_result_on"] = _working(published + dt.timedelta(days=30))
    return row


TOPICS = itertools.cycle(
    ["物业管理", "停车管理", "城市绿化", "市场监管", "安全生产", "农村人居环境", "养老服务",
     "消防安全", "河道管理", "生态环境保护", "招商引资", "公共资源交易", "食品安全", "社区治理"]
)  # fmt: skip
KINDS = itertools.cycle(["管理办法", "实施细则", "若干规定", "工作规程", "实施办法"])


def _docs(prefix: str, abbr: str, year: int, n: int, review_unit: str, filing_unit: str,
          start: int = 1) -> list[dict[str, Any]]:  # fmt: skip
    return [
        _document(
            f"{prefix}{next(TOPICS)}{next(KINDS)}",
            f"{abbr}〔{year}〕{start + i}号",
            day,
            review_unit,
            filing_unit,
        )
        for i, day in enumerate(_spread(year, n, 2))
    ]


def _requests(year: int, n: int, prefix: str) -> list[dict[str, Any]]:
    types = itertools.cycle(["自然人", "自然人", "商业企业", "自然人", "法律服务机构", "其他"])
    channels = itertools.cycle(["当面", "网络", "邮寄（需签收）", "网络", "传真"])
    outcomes = itertools.cycle(
        ["（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
         "（一）予以公开", "（四）无法提供：1.本机关不掌握相关政府信息",
         "（三）不予公开：4.保护第三方合法权益", "（五）不予处理：2.重复申请"]
    )  # fmt: skip
    rows = []
    for i, day in enumerate(_spread(year, n, 1, 11)):
        channel = next(channels)
        rows.append(
            {
                "number": f"{prefix}{year}-{i + 1:03d}",
                "applicant_type": next(types),
                "applicant": f"申请人{i + 1}",
                "channel": channel,
                "submitted_on": day,
                "confirmed_on": None if channel == "当面" else _working(day + dt.timedelta(days=1)),
                "content": "申请公开有关项目审批及资金使用情况",
                "replied_on": _working(day + dt.timedelta(days=15)),
                "outcome": next(outcomes),
            }
        )
    return rows


def _decisions(year: int, n: int, reviewed: int, review_unit: str = "") -> list[dict[str, Any]]:
    titles = itertools.cycle(
        ["城市更新专项规划", "生活垃圾分类实施方案", "公共停车设施建设规划", "教育布局专项规划",
         "老旧小区改造实施方案", "水资源保护规划", "产业园区发展规划", "养老服务体系建设方案",
         "轨道交通线网规划", "医疗卫生设施布局规划", "历史文化街区保护方案", "菜市场升级改造方案",
         "海绵城市建设规划", "公共文化设施建设方案", "城市道路交通组织优化方案", "应急避难场所布局规划"]
    )  # fmt: skip
    rows = []
    for i, day in enumerate(_spread(year, n, 3, 10)):
        row: dict[str, Any] = {
            "year": year,
            "title": f"{year}年{next(titles)}",
            "sponsor": "承办部门",
        }
        if review_unit:
            row["review_unit"] = review_unit
        if i < reviewed:
            row.update(
                {
                    "procedure:public_participation:done_on": day - dt.timedelta(days=40),
                    "procedure:expert_argument:done_on": day - dt.timedelta(days=30),
                    "procedure:risk_assessment:done_on": day - dt.timedelta(days=25),
                    "procedure:legality_review:done_on": day - dt.timedelta(days=14),
                    "procedure:collective_discussion:done_on": day,
                    "decided_on": day,
                    "decision_meeting": "政府常务会议",
                    "decision_result": "审议通过",
                }
            )
        rows.append(row)
    return rows


def load(units: dict[str, Unit], users: dict[str, Any]) -> None:
    if NormativeDocument.objects.exists() or MajorDecision.objects.exists():
        return
    today = services.today()
    u = units
    clerk = {name: _clerk(unit, users) for name, unit in u.items()}

    # 东莞市司法局 2020: 28 documents it handled for the city, 86 departments' documents it
    # reviewed before publication, 149 towns' documents filed with it; 12 decisions reviewed.
    _import(clerk["东莞市司法局"], "documents", u["东莞市司法局"],
            _docs("东莞市", "东府规", 2020, 28, "东莞市", "东莞市"), "司法局规范性文件台账.xlsx")  # fmt: skip
    for name, abbr, n in (
        ("东莞市市场监督管理局", "东市监规", 43),
        ("东莞市生态环境局", "东环规", 43),
    ):
        _import(clerk[name], "documents", u[name],
                _docs(name.removeprefix("东莞市"), abbr, 2020, n, "东莞市司法局", "东莞市"), f"{name}台账.xlsx")  # fmt: skip
    for name, abbr, n in (("东莞市清溪镇人民政府", "清府规", 50), ("东莞市塘厦镇人民政府", "塘府规", 50),
                          ("东莞市南城街道办事处", "南办规", 49)):  # fmt: skip
        _import(clerk[name], "documents", u[name],
                _docs(name[3:5], abbr, 2020, n, name, "东莞市司法局"), f"{name}台账.xlsx")  # fmt: skip
    _import(
        clerk["东莞市司法局"],
        "decisions",
        u["东莞市司法局"],
        _decisions(2020, 12, 12),
        "决策台账.xlsx",
    )

    # 东莞松山湖高新区管委会 2020: a cleanup of its 42 documents, 14 disclosure requests.
    zone = u["东莞松山湖高新区管委会"]
    _import(clerk["东莞松山湖高新区管委会"], "documents", zone,
            _docs("松山湖", "松管规", 2018, 42, zone.name, "东莞市"), "管委会规范性文件台账.xlsx")  # fmt: skip
    cleanup = services.create_cleanup(
        clerk[zone.name], zone, title="2020年民法典涉及规范性文件清理", started_on=D(2020, 6, 1)
    )
    for i, doc in enumerate(NormativeDocument.objects.filter(unit=zone).order_by("pk")):
        decision, note = ("keep", "") if i % 10 else ("amend", "与民法典规定不一致，需修改")
        services.decide_cleanup_item(clerk[zone.name], cleanup, doc, decision, note)
    services.publish_cleanup(
        clerk[zone.name], cleanup, on=D(2020, 11, 30), note="共清理42件，保留38件，修改4件。"
    )
    _import(clerk[zone.name], "requests", zone, _requests(2020, 14, "SSL"), "依申请公开台账.xlsx")

    # 银川市金凤区 2020: 3 documents, one still missing from the filing ledger (planted);
    # 1 document cleaned.
    jinfeng = u["银川市金凤区"]
    rows = _docs("金凤区", "金政规", 2020, 3, jinfeng.name, "银川市")
    rows[2] = _document(rows[2]["title"], rows[2]["doc_number"], rows[2]["published_on"], jinfeng.name,
                        "银川市", filed=False)  # fmt: skip
    old = _document(
        "金凤区优化营商环境若干措施", "金政规〔2017〕2号", D(2017, 5, 8), jinfeng.name, "银川市"
    )
    _import(clerk[jinfeng.name], "documents", jinfeng, [*rows, old], "金凤区规范性文件台账.xlsx")
    cleanup = services.create_cleanup(
        clerk[jinfeng.name],
        jinfeng,
        title="2020年优化营商环境规范性文件专项清理",
        started_on=D(2020, 8, 3),
    )
    document = NormativeDocument.objects.get(unit=jinfeng, doc_number="金政规〔2017〕2号")
    services.decide_cleanup_item(
        clerk[jinfeng.name], cleanup, document, "repeal", "不符合优化营商环境要求"
    )
    services.publish_cleanup(
        clerk[jinfeng.name],
        cleanup,
        on=D(2020, 10, 15),
        note="清理不符合营商环境规范性文件1件，予以废止。",
    )

    # 东莞市清溪镇人民政府 2021: 6 documents reviewed, 2 decisions reviewed.
    qingxi = u["东莞市清溪镇人民政府"]
    _import(clerk[qingxi.name], "documents", qingxi, _docs("清溪镇", "清府规", 2021, 6, qingxi.name, "东莞市司法局"),
            "清溪镇2021年规范性文件台账.xlsx")  # fmt: skip
    _import(clerk[qingxi.name], "decisions", qingxi, _decisions(2021, 2, 2), "清溪镇决策台账.xlsx")

    # 南雄市政务服务和数据管理局 2022: 3 documents issued and reviewed; 5 catalogue items (planted).
    nanxiong = u["南雄市政务服务和数据管理局"]
    _import(clerk[nanxiong.name], "documents", nanxiong, _docs("南雄市", "雄政数规", 2022, 3, nanxiong.name, "南雄市"),
            "政数局规范性文件台账.xlsx")  # fmt: skip
    _import(
        clerk[nanxiong.name], "decisions", nanxiong, _decisions(2022, 5, 4), "政数局决策台账.xlsx"
    )
    services.publish_catalogue(clerk[nanxiong.name], nanxiong, 2022, D(2022, 2, 28))

    _current(u, clerk, today)
    from fazhi_web.ledgers import case_demo  # it builds on this module's helpers

    case_demo.load(u, clerk)


def _current(u: dict[str, Unit], clerk: dict[str, User], today: dt.date) -> None:
    """This year's open work in 清溪镇, so the dashboards have something due."""
    qingxi = u["东莞市清溪镇人民政府"]
    who = clerk[qingxi.name]
    year = today.year
    # A document published 40 days ago and not yet filed (overdue), one published
    # 25 days ago (due soon), one awaiting review; one filed and deferred for correction.
    rows = [
        _document("清溪镇村级工程建设项目管理办法", f"清府规〔{year}〕1号", today - dt.timedelta(days=40),
                  qingxi.name, "东莞市司法局", filed=False),
        _document("清溪镇集体资产交易管理规定", f"清府规〔{year}〕2号", today - dt.timedelta(days=25),
                  qingxi.name, "东莞市司法局", filed=False),
        {**_document("清溪镇出租屋安全管理暂行办法", f"清府规〔{year}〕3号", today - dt.timedelta(days=60),
                     qingxi.name, "东莞市司法局", result=False), "validity_years": 2},
        {"title": "清溪镇河长制工作规程", "drafted_on": today - dt.timedelta(days=20), "review_unit": qingxi.name,
         "review_submitted_on": _working(today - dt.timedelta(days=14)), "filing_unit": "东莞市司法局"},
    ]  # fmt: skip
    _import(who, "documents", qingxi, rows, f"清溪镇{year}年规范性文件台账.xlsx")
    deferred = NormativeDocument.objects.get(unit=qingxi, doc_number=f"清府规〔{year}〕3号")
    services.apply_event(
        clerk["东莞市司法局"], deferred, "filing_result",
        {"filing_result": "deferred", "filing_result_on": deferred.filed_on + dt.timedelta(days=5),
         "filing_note": "起草说明未载明施行日期距公布不足30日的理由，请补正。",
         "correction_due": today + dt.timedelta(days=10)},
    )  # fmt: skip

    # Requests: one overdue, one due soon, one paused for a third party, one answered.
    requests = [
        {"number": f"QX{year}-101", "applicant_type": "自然人", "applicant": "陈某", "channel": "当面",
         "submitted_on": _working(today - dt.timedelta(days=45)), "content": "申请公开本村征地补偿标准"},
        {"number": f"QX{year}-102", "applicant_type": "商业企业", "applicant": "某建材公司", "channel": "网络",
         "submitted_on": _working(today - dt.timedelta(days=24)), "confirmed_on": _working(today - dt.timedelta(days=23)),
         "content": "申请公开镇道路工程招标文件"},
        {"number": f"QX{year}-103", "applicant_type": "自然人", "applicant": "黄某", "channel": "邮寄（需签收）",
         "submitted_on": _working(today - dt.timedelta(days=20)), "confirmed_on": _working(today - dt.timedelta(days=18)),
         "third_party_sent_on": _working(today - dt.timedelta(days=10)), "content": "申请公开某企业环评报告"},
        {"number": f"QX{year}-104", "applicant_type": "法律服务机构", "applicant": "某律师事务所", "channel": "传真",
         "submitted_on": _working(today - dt.timedelta(days=35)), "confirmed_on": _working(today - dt.timedelta(days=34)),
         "replied_on": _working(today - dt.timedelta(days=14)), "outcome": "（一）予以公开",
         "content": "申请公开行政处罚决定书"},
    ]  # fmt: skip
    requests = [r for r in requests if r["submitted_on"].year == year] or requests[:0]
    if requests:
        _import(who, "requests", qingxi, requests, f"清溪镇{year}年依申请公开台账.xlsx")

    # A decision draft open for public comment, with two comments, one hidden.
    decision = services.create(
        who, MajorDecision, qingxi,
        {"title": f"清溪镇{year}年农贸市场升级改造方案", "year": year, "sponsor": "镇市场监管分局",
         "description": "对镇内三个农贸市场进行升级改造，涉及摊位调整和收费标准。"},
    )  # fmt: skip
    consultation = services.save_consultation(
        who, decision,
        {"draft": "一、改造范围：镇中心市场、大利市场、三中市场。\n二、改造内容：排污、通风、摊位重新规划。\n"
                  "三、摊位费：改造后一年内不上调。\n四、实施时间：分三期实施，每期约四个月。",
         "opens_on": today - dt.timedelta(days=5), "closes_on": today + dt.timedelta(days=25)},
    )  # fmt: skip
    services.add_comment(
        consultation, author="摊主林先生", text="建议改造期间设置临时摊位，减少对经营的影响。"
    )
    spam = services.add_comment(consultation, author="", text="低价代办各类证件，联系微信……")
    services.hide(who, spam, "广告信息")
    services.publish_catalogue(who, qingxi, year, today - dt.timedelta(days=30))
