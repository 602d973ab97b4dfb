"""A year for 东江市's 考评: the town reports (on time, without the 第一责任人 part), the
district bureau does not; the office copies the demonstration framework for the year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from fazhi_web.evaluation import services
from fazhi_web.evaluation.models import Criterion, Framework
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation

YEAR = 2023
# Three of the five parts (no 第一责任人, no 其他); 集体学法6次 and 备案率100% as figures.
REPORT = """南湖区清河镇2023年度法治政府建设情况报告

2023年，清河镇深入推进依法行政。

一、主要举措和成效
（一）加强学法。镇政府常务会议集体学法6次，组织干部参加法律知识考试。规范性文件备案率100%。
（二）严格执法。全年开展行政检查120次，办理行政处罚案件35件。

二、存在的不足和原因
一是执法人员数量不足；二是法治宣传覆盖面不够广。原因在于基层力量薄弱。

三、2024年工作安排
继续加强法治政府建设，完善行政执法程序，提升依法行政水平。

南湖区清河镇人民政府
2024年1月20日
"""


@dataclass
class Season:
    framework: Framework
    town: Obligation

    def criterion(self, number: str) -> Criterion:
        return self.framework.criteria.get(number=number)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hand_in(reporter, obligation: Obligation, text: str = REPORT, on: dt.date | None = None):
    version = report_services.upload_version(
        reporter, obligation, "报告.txt", text.encode(), analyse_now=True
    )
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(10))) if on else None
    report_services.submit(reporter, obligation, version, at=at)
    obligation.refresh_from_db()
    return obligation


@pytest.fixture
def season(world) -> Season:
    report_services.open_year(world.admin, world.city, YEAR)
    town = Obligation.objects.get(unit=world.town, reporting_year__year=YEAR)
    hand_in(world.reporter, town, on=dt.date(YEAR + 1, 1, 20))
    fw = services.copy_framework(world.reviewer, world.city, YEAR)
    return Season(fw, town)
