"""Copy years newly added to the engine's holiday data into the calendar table."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fazhi_web.ledgers.services import seed_calendar


class Command(BaseCommand):
    help = "把引擎节假日数据中新增的年份写入平台工作日历（已有年份及管理员的修改保持不变）。"

    def handle(self, *args: Any, **options: Any) -> None:
        added = seed_calendar()
        self.stdout.write(f"新增 {added} 个年份的全国节假日。" if added else "没有新的年份。")
