"""Demo data: two provincial offices, their cities, counties, towns and departments,
and the five real reports submitted and analysed under the units that wrote them.

Idempotent: run again, it keeps the data and issues fresh passwords.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from fazhi_web.accounts.passwords import generate as generate_password
from fazhi_web.enforcement import demo as enforcement_demo
from fazhi_web.evaluation import demo as evaluation_demo
from fazhi_web.ledgers import demo as ledgers_demo
from fazhi_web.rectification import demo as rectification_demo
from fazhi_web.reports import services
from fazhi_web.reports.models import Obligation, ReportingYear, State
from fazhi_web.review import services as review
from fazhi_web.units.models import Level, Membership, Role, Unit

# The five real reports ship with the project (samples/reports/SOURCES.md says where
# each was published), so the demo loads in any clone.
SEEDS = Path(settings.REPO_DIR) / "samples" / "reports"
# Two units' reports for the year before their seed, written for the demo (not
# published reports): their plans are what the seeds' follow-up table reads.
PREVIOUS_DIR = Path(settings.REPO_DIR) / "samples" / "demo"

# (name, level, region, children)
TREE: list[tuple[str, str, str, list[Any]]] = [
    (
        "广东省",
        Level.PROVINCE,
        "广东省",
        [
            (
                "东莞市",
                Level.CITY,
                "广东省东莞市",
                [
                    ("东莞市司法局", Level.DEPARTMENT, "广东省东莞市", []),
                    ("东莞市市场监督管理局", Level.DEPARTMENT, "广东省东莞市", []),
                    ("东莞市生态环境局", Level.DEPARTMENT, "广东省东莞市", []),
                    ("东莞松山湖高新区管委会", Level.ZONE, "广东省东莞市松山湖高新区", []),
                    ("东莞市清溪镇人民政府", Level.TOWN, "广东省东莞市清溪镇", []),
                    ("东莞市塘厦镇人民政府", Level.TOWN, "广东省东莞市塘厦镇", []),
                    ("东莞市南城街道办事处", Level.TOWN, "广东省东莞市南城街道", []),
                ],
            ),
            (
                "韶关市",
                Level.CITY,
                "广东省韶关市",
                [
                    ("韶关市司法局", Level.DEPARTMENT, "广东省韶关市", []),
                    (
                        "南雄市",
                        Level.COUNTY,
                        "广东省韶关市南雄市",
                        [
                            (
                                "南雄市政务服务和数据管理局",
                                Level.DEPARTMENT,
                                "广东省韶关市南雄市",
                                [],
                            ),
                            ("南雄市司法局", Level.DEPARTMENT, "广东省韶关市南雄市", []),
                            ("南雄市珠玑镇人民政府", Level.TOWN, "广东省韶关市南雄市珠玑镇", []),
                            ("南雄市雄州街道办事处", Level.TOWN, "广东省韶关市南雄市雄州街道", []),
                        ],
                    ),
                    (
                        "乳源瑶族自治县",
                        Level.COUNTY,
                        "广东省韶关市乳源瑶族自治县",
                        [
                            (
                                "乳源瑶族自治县司法局",
                                Level.DEPARTMENT,
                                "广东省韶关市乳源瑶族自治县",
                                [],
                            ),
                            (
                                "乳源瑶族自治县乳城镇人民政府",
                                Level.TOWN,
                                "广东省韶关市乳源瑶族自治县乳城镇",
                                [],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "宁夏回族自治区",
        Level.PROVINCE,
        "宁夏回族自治区",
        [
            (
                "银川市",
                Level.CITY,
                "宁夏回族自治区银川市",
                [
                    ("银川市司法局", Level.DEPARTMENT, "宁夏回族自治区银川市", []),
                    (
                        "银川市金凤区",
                        Level.COUNTY,
                        "宁夏回族自治区银川市金凤区",
                        [
                            ("金凤区司法局", Level.DEPARTMENT, "宁夏回族自治区银川市金凤区", []),
                            (
                                "金凤区满城北街街道办事处",
                                Level.TOWN,
                                "宁夏回族自治区银川市金凤区满城北街街道",
                                [],
                            ),
                        ],
                    ),
                    ("银川市兴庆区", Level.COUNTY, "宁夏回族自治区银川市兴庆区", []),
                ],
            ),
        ],
    ),
]

# seed prefix -> (unit, year, final state)
SEEDED = {
    "000": ("东莞松山湖高新区管委会", 2020, State.PUBLISHED),
    "001": ("银川市金凤区", 2020, State.PUBLISHED),
    "002": ("东莞市清溪镇人民政府", 2021, State.SUBMITTED),
    "003": ("东莞市司法局", 2020, State.FILED),
    "004": ("南雄市政务服务和数据管理局", 2022, State.PUBLISHED),
}
# file in samples/demo -> (seed prefix of the same unit, year, final state)
PREVIOUS = {
    "qingxi_2020.txt": ("002", 2020, State.FILED),
    "nanxiong_2021.txt": ("004", 2021, State.PUBLISHED),
}


class Command(BaseCommand):
    help = "载入演示数据（两个省级办公室及下属单位，五份真实报告），并打印演示账号密码。"

    def handle(self, *args: Any, **options: Any) -> None:
        missing = [p for p in SEEDED if not list(SEEDS.glob(f"{p}_*.txt"))]
        missing += [name for name in PREVIOUS if not (PREVIOUS_DIR / name).exists()]
        if missing:
            raise CommandError(
                f"演示报告缺失：{SEEDS} 中没有编号为 {'、'.join(missing)} 的报告，"
                "请从项目仓库重新获取 samples/reports/ 和 samples/demo/ 目录。"
            )
        with transaction.atomic():
            units = self._units()
            users = self._users(units)
            if not ReportingYear.objects.exists():
                self._cycle(units, users)
            ledgers_demo.load(units, users)
            enforcement_demo.load(units, users)
            evaluation_demo.load(units, users)
            rectification_demo.load(units, users)
        self.stdout.write("演示账号（密码每次运行重新生成）：")
        for username, (password, label) in users["passwords"].items():
            self.stdout.write(f"  {label:<24} 用户名 {username:<12} 密码 {password}")

    def _units(self) -> dict[str, Unit]:
        units: dict[str, Unit] = {}

        def add(nodes: list[Any], parent: Unit | None) -> None:
            for name, level, region, children in nodes:
                unit, _ = Unit.objects.get_or_create(
                    name=name, parent=parent, defaults={"level": level, "region": region}
                )
                units[name] = unit
                add(children, unit)

        add(TREE, None)
        return units

    def _users(self, units: dict[str, Unit]) -> dict[str, Any]:
        accounts = [
            ("reviewer", "依法治省办 李审查", "广东省", Role.REVIEWER, "审查员（广东省）"),
            (
                "reporter",
                "清溪镇 王填报",
                "东莞市清溪镇人民政府",
                Role.REPORTER,
                "填报员（清溪镇）",
            ),
            ("admin", "依法治省办 赵管理", "广东省", Role.ADMIN, "管理员（广东省）"),
            ("nx_reviewer", "依法治区办 马审查", "宁夏回族自治区", Role.REVIEWER, "审查员（宁夏）"),
        ]
        passwords: dict[str, tuple[str, str]] = {}
        made: dict[str, User] = {}
        for username, name, unit_name, role, label in accounts:
            user, _ = User.objects.get_or_create(username=username, defaults={"first_name": name})
            Membership.objects.get_or_create(user=user, unit=units[unit_name], role=role)
            # The same rule as every password set on the platform (accounts.passwords).
            password = generate_password(user)
            user.set_password(password)
            user.save()
            passwords[username] = (password, label)
            made[username] = user
        # Each seeded unit has a reporter of its own (no password printed: not a demo login).
        for prefix, (unit_name, _, _) in SEEDED.items():
            user, _ = User.objects.get_or_create(
                username=f"reporter{prefix}", defaults={"first_name": f"{unit_name} 填报员"}
            )
            user.set_unusable_password()
            user.save()
            Membership.objects.get_or_create(user=user, unit=units[unit_name], role=Role.REPORTER)
            made[f"reporter{prefix}"] = user
        return {"passwords": passwords, **made}

    def _cycle(self, units: dict[str, Unit], users: dict[str, Any]) -> None:
        last_year = timezone.localdate().year - 1
        offices = {"广东省": users["admin"], "宁夏回族自治区": users["admin"]}
        for office_name, actor in offices.items():
            for year in sorted({2020, 2021, 2022, last_year}):
                services.open_year(actor, units[office_name], year)
        reports = [
            (next(SEEDS.glob(f"{prefix}_*.txt")), prefix, year, final)
            for prefix, (_, year, final) in SEEDED.items()
        ]
        reports += [
            (PREVIOUS_DIR / name, prefix, year, final)
            for name, (prefix, year, final) in PREVIOUS.items()
        ]
        for path, prefix, year, final in reports:
            unit_name = SEEDED[prefix][0]
            obligation = Obligation.objects.get(unit=units[unit_name], reporting_year__year=year)
            reporter = users[f"reporter{prefix}"]
            version = services.upload_version(
                reporter, obligation, path.name, path.read_bytes(), analyse_now=True
            )
            signed = version.analysis["meta"].get("date")
            at = None
            if signed:
                day = dt.date.fromisoformat(signed)
                at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
            services.submit(reporter, obligation, version, at=at)
            reviewer = users["nx_reviewer"] if unit_name == "银川市金凤区" else users["reviewer"]
            if final in (State.FILED, State.PUBLISHED):
                review.approve(reviewer, obligation)
            if final == State.PUBLISHED:
                review.publish(reviewer, obligation)
