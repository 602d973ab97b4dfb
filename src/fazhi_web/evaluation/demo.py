"""Demo 考评: 广东省's office copies the demonstration framework for 2020 (the demo's year
of reports and ledgers), measures every unit below it, scores the criteria a reviewer
scores for the two units that reported on 2020, adjusts one automatic score, publishes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fazhi_web.evaluation import services
from fazhi_web.evaluation.models import Framework, Score
from fazhi_web.evaluation.sources import SOURCES
from fazhi_web.units.models import Unit

YEAR = 2020
OFFICE = "广东省"
# Deductions a reviewer made (unit, criterion, share of the points, note); every other
# criterion a reviewer scores earns its points with the standard note below.
DEDUCTIONS = {
    ("东莞市司法局", "4.2.1"): (
        Decimal("0.5"),
        "抽查12个执法岗位，2名协管人员未持证即参与检查，扣一半。",
    ),
    ("东莞市司法局", "6.1.1"): (Decimal("0.75"), "2件复议决定书未在法定期限内公开。"),
    ("东莞松山湖高新区管委会", "2.2.1"): (Decimal("0"), "本年起草的3件制度均未公开征求意见。"),
    ("东莞松山湖高新区管委会", "7.2.1"): (Decimal("0.5"), "年度法律知识考试参考率仅为62%。"),
}
FULL = "经核查佐证材料，符合要求。"
ADJUSTED = (
    "东莞松山湖高新区管委会",
    "8.1.1",
    "第一责任人履职情况载于报告附件《主要负责人述法报告》，予以认可。",
)


def load(units: dict[str, Unit], users: dict[str, Any]) -> None:
    office = units[OFFICE]
    if Framework.objects.filter(office=office, year=YEAR).exists():
        return
    reviewer = users["reviewer"]
    fw = services.copy_framework(reviewer, office, YEAR)
    services.compute(reviewer, fw)
    criteria = [c for c in fw.criteria.all() if not SOURCES[c.evidence_kind].automatic]
    for unit_name in ("东莞市司法局", "东莞松山湖高新区管委会"):
        for criterion in criteria:
            share, note = DEDUCTIONS.get((unit_name, criterion.number), (Decimal(1), FULL))
            services.score_by_reviewer(
                reviewer, criterion, units[unit_name], criterion.points * share, note
            )
    unit_name, number, reason = ADJUSTED
    score = Score.objects.get(
        criterion__framework=fw, criterion__number=number, unit=units[unit_name]
    )
    services.adjust_score(reviewer, score, score.criterion.points, reason)
    services.publish(reviewer, fw)
