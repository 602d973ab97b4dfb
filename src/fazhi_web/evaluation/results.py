"""Results of a framework: the ranking table, a unit's radar chart, and the .xlsx of the table.

A criterion not yet scored counts 0 and is counted as 待评分, so that a ranking never
hides missing work. Equal totals share a rank (1, 1, 3), listed in the units' order.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from fazhi_web.evaluation.models import Criterion, Framework, Score, points_text
from fazhi_web.units.models import Unit


@dataclass(frozen=True)
class Area:
    number: int
    title: str
    points: Decimal


@dataclass
class Row:
    unit: Unit
    areas: list[Decimal]
    total: Decimal
    unscored: int
    adjusted: int
    rank: int = 0


@dataclass
class Results:
    areas: list[Area]
    total: Decimal
    rows: list[Row] = field(default_factory=list)


def areas_of(criteria: list[Criterion]) -> list[Area]:
    points: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for c in criteria:
        points[(c.area_number, c.area_title)] += c.points
    return [Area(n, t, p) for (n, t), p in sorted(points.items())]


def rank(rows: list[Row]) -> list[Row]:
    """Highest total first; equal totals share the rank of the first of them."""
    ordered = sorted(rows, key=lambda r: (-r.total, r.unit.path))
    for position, row in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        row.rank = previous.rank if previous and previous.total == row.total else position
    return ordered


def results(fw: Framework, units: list[Unit]) -> Results:
    criteria = list(fw.criteria.all())
    areas = areas_of(criteria)
    index = {a.number: i for i, a in enumerate(areas)}
    area_of = {c.pk: index[c.area_number] for c in criteria}
    scores: dict[int, list[Score]] = defaultdict(list)
    for s in Score.objects.filter(criterion__framework=fw, unit__in=units):
        scores[s.unit_id].append(s)
    rows = []
    for unit in units:
        sums = [Decimal(0)] * len(areas)
        for s in scores[unit.pk]:
            sums[area_of[s.criterion_id]] += s.value
        rows.append(
            Row(
                unit,
                sums,
                sum(sums, Decimal(0)),
                unscored=len(criteria) - len(scores[unit.pk]),
                adjusted=sum(1 for s in scores[unit.pk] if s.adjusted),
            )
        )
    return Results(areas, sum((a.points for a in areas), Decimal(0)), rank(rows))


def radar_option(areas: list[Area], values: list[Decimal], name: str) -> dict[str, Any]:
    """ECharts radar: one axis per first-level area, scaled to its points."""
    return {
        "tooltip": {},
        "radar": {
            "indicator": [{"name": a.title, "max": float(a.points)} for a in areas],
            "radius": "62%",
            "axisName": {"color": "#333", "fontSize": 11},
        },
        "series": [
            {
                "type": "radar",
                "name": name,
                "areaStyle": {"opacity": 0.25},
                "data": [{"value": [float(v) for v in values], "name": name}],
            }
        ],
    }


def workbook(fw: Framework, result: Results, note: str = "") -> bytes:
    """The ranking table as on the screen: same columns, same rows, numbers as numbers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "考评结果"
    header = ["名次", "单位", *[f"{a.title}（{points_text(a.points)}分）" for a in result.areas]]
    header += [f"总分（{points_text(result.total)}分）", "待评分项", "调整项"]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in result.rows:
        ws.append(
            [row.rank, row.unit.name, *[float(v) for v in row.areas], float(row.total),
             row.unscored, row.adjusted]
        )  # fmt: skip
    ws.freeze_panes = "C2"
    ws.column_dimensions["B"].width = 28
    for i in range(3, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 16
    about = wb.create_sheet("说明")
    about.append([f"{fw.office.name}{fw.year}年度考评结果：{fw.name}"])
    if note:
        about.append([note])
    about.append(["总分相同的单位名次相同；尚未评分的指标按0分计入，并在“待评分项”中计数。"])
    about.append(["“调整项”为审查员说明理由后调整了自动评分的指标数，调整记录见审计日志。"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
