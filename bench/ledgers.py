"""Ledgers benchmark on the demo data (SQLite in a temporary folder).

Measures: computing one statutory deadline (engine), the office dashboard of the
Guangdong reviewer over the demo ledgers (every running clock derived on the spot),
the 规范性文件 list, the annual disclosure table, and importing a 1,000-row sheet
(preview and import, every row checked).

    .venv/bin/python bench/ledgers.py

Targets: dashboard and list p95 <= 300 ms; a 1,000-row import <= 10 s.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/platform.py beside this file would shadow the standard library's `platform`.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import os
import statistics
import tempfile
import time
from io import BytesIO

REPO = Path(__file__).resolve().parents[1]
TARGET_PAGE_MS = 300.0
TARGET_IMPORT_S = 10.0


def timed(fn, n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi_web.settings")
    os.environ["FAZHI_VAR_DIR"] = tempfile.mkdtemp(prefix="fazhi-ledgers-bench-")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    import datetime as dt

    import openpyxl
    from django.core.management import call_command
    from django.test import Client

    from fazhi import calendar, clocks
    from fazhi_web.ledgers import importing
    from fazhi_web.ledgers.models import NormativeDocument
    from fazhi_web.ledgers.sheets import LEDGERS, auto_mapping, read_sheet
    from fazhi_web.units.models import Membership, Role, Unit

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    start = time.perf_counter()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"load_demo（含演示台账）：{time.perf_counter() - start:.1f} 秒")
    failed = False

    national = calendar.national()
    rule = clocks.rule("disclosure_reply")
    pauses = [clocks.Pause("third_party", dt.date(2024, 9, 30), dt.date(2024, 10, 11))]
    p50, _ = timed(
        lambda: clocks.compute(rule, dt.date(2024, 9, 27), national, pauses=pauses, extended=True),
        2000,
    )
    print(f"一个期限（40个工作日，含暂停，跨国庆节）：{p50 * 1000:.0f} 微秒")

    reviewer = Membership.objects.get(user__username="reviewer", role=Role.REVIEWER).user
    client = Client()
    client.force_login(reviewer)
    unit = Unit.objects.get(name="东莞市清溪镇人民政府")
    pages = {
        "台账概览（广东省审查员，全部下级单位）": "/ledgers/",
        "规范性文件台账列表": "/ledgers/documents/",
        "年报统计表（松山湖 2020）": f"/ledgers/requests/table/?unit={Unit.objects.get(name='东莞松山湖高新区管委会').pk}&year=2020",
    }
    for label, url in pages.items():
        assert client.get(url).status_code == 200, url
        p50, p95 = timed(lambda url=url: client.get(url), 20)
        ok = p95 <= TARGET_PAGE_MS
        failed |= not ok
        print(
            f"{label}：p50 {p50:.0f} 毫秒，p95 {p95:.0f} 毫秒（目标 ≤ {TARGET_PAGE_MS:.0f}）{'' if ok else ' 未达标'}"
        )
    open_clocks = NormativeDocument.objects.count()
    print(f"  （演示台账共 {open_clocks} 件规范性文件）")

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "文件名称",
            "文号",
            "送审日期",
            "审核完成日期",
            "审核意见",
            "集体审议会议",
            "审议日期",
            "公布日期",
            "施行日期",
        ]
    )
    for i in range(1000):
        published = dt.date(2023, 2, 1) + dt.timedelta(days=i % 300)
        sheet.append([f"基准测试文件{i}", f"基准〔2023〕{i}号", published - dt.timedelta(days=30),
                      published - dt.timedelta(days=20), "合法", "常务会议", published - dt.timedelta(days=10),
                      published, published + dt.timedelta(days=31)])  # fmt: skip
    out = BytesIO()
    workbook.save(out)
    member = Membership.objects.filter(unit=unit, role=Role.REPORTER).first()
    start = time.perf_counter()
    batch = importing.upload(member.user, "documents", unit, "基准.xlsx", out.getvalue())
    batch.mapping = auto_mapping(LEDGERS["documents"], read_sheet(out.getvalue()).headers)
    batch.save()
    preview = importing.preview(batch, batch.mapping)
    assert not preview.errors, preview.errors[:3]
    previewed = time.perf_counter() - start
    count = importing.run(member.user, batch)
    total = time.perf_counter() - start
    ok = total <= TARGET_IMPORT_S
    failed |= not ok
    print(
        f"导入 {count} 行规范性文件：预览 {previewed:.1f} 秒，预览加导入 {total:.1f} 秒（目标 ≤ {TARGET_IMPORT_S:.0f}）{'' if ok else ' 未达标'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
