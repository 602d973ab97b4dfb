"""The reports' background tasks; fazhi_web.celery.run_later decides where they run."""

from __future__ import annotations

import logging

from fazhi_web.celery import app
from fazhi_web.reports import analysis

log = logging.getLogger(__name__)


@app.task(name="reports.analyse_version")
def analyse_version(version_id: int) -> None:
    analysis.analyse(version_id)


@app.task(name="reports.reanalyse_all")
def reanalyse_all() -> dict[str, int]:
    def progress(done: int, total: int, counts: dict[str, int]) -> None:
        if done == total or done % 20 == 0:
            log.info("重新分析 %d/%d：%s", done, total, counts)

    return analysis.reanalyse_all(progress)
