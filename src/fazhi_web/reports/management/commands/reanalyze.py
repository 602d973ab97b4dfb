"""`manage.py reanalyze`: re-analyse every report after the rules or synonym data changed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fazhi_web.celery import broker_configured
from fazhi_web.reports import analysis, tasks
from fazhi_web.reports.models import AnalysisState, ReportVersion


class Command(BaseCommand):
    help = "按现行规则和同义词数据重新分析全部已分析的报告版本（审查员的更正和判定保留）。"

    def handle(self, *args: Any, **options: Any) -> None:
        total = ReportVersion.objects.filter(analysis_state=AnalysisState.DONE).count()
        if broker_configured():
            # The worker does the work and logs its progress every 20 versions.
            tasks.reanalyse_all.delay()
            self.stdout.write(f"已提交后台任务：重新分析 {total} 个版本，进度见 worker 日志。")
            return

        def progress(done: int, total: int, counts: dict[str, int]) -> None:
            self.stdout.write(f"\r已重新分析 {done}/{total}", ending="")

        counts = analysis.reanalyse_all(progress)
        self.stdout.write(
            f"\n完成：{counts['changed']} 个版本结果有变化，{counts['unchanged']} 个不变，"
            f"{counts['skipped']} 个因审查判定无法对应而保留原结果，{counts['failed']} 个出错。"
        )
