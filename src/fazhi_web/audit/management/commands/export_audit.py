"""`manage.py export_audit`: the whole audit log as CSV or JSON Lines.

manage.py export_audit --format jsonl --after-id 1200 --output /var/log/fazhi/audit.jsonl
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fazhi_web.audit import export
from fazhi_web.audit.log import record
from fazhi_web.audit.models import AuditEntry


class Command(BaseCommand):
    help = "导出审计日志（CSV 或 JSON Lines），供外部日志系统采集。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=sorted(export.FORMATS), default="jsonl")
        parser.add_argument("--output", help="写入的文件；不填则输出到标准输出")
        parser.add_argument("--after-id", type=int, help="只导出编号大于此值的记录（增量采集）")
        parser.add_argument("--since", help="只导出此日期（YYYY-MM-DD）及以后的记录")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            try:
                day = dt.date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError(f"日期“{options['since']}”无效，应为 YYYY-MM-DD。") from None
            since = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        rows = export.entries(AuditEntry.objects.all(), options["after_id"], since)
        seen = {"count": 0, "last": None}

        def counted() -> Any:
            for entry in rows.iterator():
                seen["count"] += 1
                seen["last"] = entry.pk
                yield entry

        with contextlib.ExitStack() as stack:
            out = sys.stdout
            if options["output"]:
                try:
                    out = stack.enter_context(
                        open(options["output"], "w", encoding="utf-8", newline="")
                    )
                except OSError as exc:
                    raise CommandError(f"无法写入“{options['output']}”：{exc.strerror}。") from None
            for piece in export.lines(counted(), options["format"]):
                out.write(piece)
        count, last = seen["count"], seen["last"]
        record(
            None,
            "audit.export",
            f"用管理命令导出审计日志{count}条（{options['format']}）",
            after={"count": count, "last_id": last, "format": options["format"]},
        )
        self.stderr.write(f"已导出{count}条审计记录。" + (f"最后一条编号 {last}。" if last else ""))
