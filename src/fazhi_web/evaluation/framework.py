"""An evaluation framework file (frameworks/*.toml): areas, items and scored criteria.

A file is read whole and checked before anything is stored: every criterion's evidence
source is known and its parameters valid, and the points add up (criteria to their item,
items to their area, areas to the total). A bad file is refused with a Chinese message
saying where, never half loaded.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from fazhi_web.evaluation.sources import SOURCES, check_params

FRAMEWORKS = Path(__file__).parent / "frameworks"
DEFAULT = FRAMEWORKS / "demonstration_2021.toml"


class FrameworkError(ValueError):
    """A framework file that cannot be used; the message is for the user."""


@dataclass(frozen=True)
class CriterionSpec:
    number: str  # "1.1.2": area, item, criterion
    area_number: int
    area_title: str
    item_number: int
    item_title: str
    text: str
    points: Decimal
    evidence_kind: str
    evidence_params: dict[str, Any]
    official: bool


@dataclass
class FrameworkSpec:
    name: str
    issuer: str
    source: str
    total: Decimal
    file: str
    criteria: list[CriterionSpec] = field(default_factory=list)


def _points(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FrameworkError(f"{where}的分值必须是数字。")
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        raise FrameworkError(f"{where}的分值必须是数字。") from None
    if not points.is_finite() or points <= 0:
        raise FrameworkError(f"{where}的分值必须大于0。")
    return points


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"{where}缺少{'名称' if key == 'title' else '内容'}。")
    return value.strip()


def _list(table: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = table.get(key)
    label = {"area": "一级指标", "item": "二级指标", "criterion": "三级指标"}[key]
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise FrameworkError(f"{where}没有{label}。")
    return value


def _evidence(value: Any, where: str) -> tuple[str, dict[str, Any]]:
    if value is None:
        return "reviewer", {}
    if not isinstance(value, dict) or not isinstance(value.get("kind"), str):
        raise FrameworkError(f"{where}的评分依据（evidence）应写明来源种类（kind）。")
    params = {k: v for k, v in value.items() if k != "kind"}
    kind = value["kind"]
    if kind not in SOURCES:
        raise FrameworkError(f"{where}的评分依据来源“{kind}”不存在。")
    try:
        return kind, check_params(kind, params)
    except ValueError as exc:
        raise FrameworkError(f"{where}：{exc}") from None


def _sum_matches(parts: list[Decimal], whole: Decimal, where: str, what: str) -> None:
    if sum(parts, Decimal(0)) != whole:
        raise FrameworkError(
            f"{where}的分值为{whole:g}分，但其{what}合计{sum(parts, Decimal(0)):g}分，两者应相等。"
        )


def parse(data: dict[str, Any], file: str) -> FrameworkSpec:
    spec = FrameworkSpec(
        name=_text(data, "name", "指标体系"),
        issuer=str(data.get("issuer", "")),
        source=str(data.get("source", "")),
        total=_points(data.get("total"), "指标体系总分"),
        file=file,
    )
    area_points = []
    for a, area in enumerate(_list(data, "area", "指标体系"), start=1):
        where_area = f"第{a}项一级指标"
        area_title = _text(area, "title", where_area)
        points = _points(area.get("points"), f"一级指标“{area_title}”")
        item_points = []
        for i, item in enumerate(_list(area, "item", f"一级指标“{area_title}”"), start=1):
            item_title = _text(item, "title", f"{where_area}的第{i}项二级指标")
            where_item = f"二级指标“{item_title}”"
            item_total = _points(item.get("points"), where_item)
            criterion_points = []
            for c, criterion in enumerate(_list(item, "criterion", where_item), start=1):
                where = f"三级指标 {a}.{i}.{c}"
                kind, params = _evidence(criterion.get("evidence"), where)
                spec.criteria.append(
                    CriterionSpec(
                        number=f"{a}.{i}.{c}",
                        area_number=a,
                        area_title=area_title,
                        item_number=i,
                        item_title=item_title,
                        text=_text(criterion, "text", where),
                        points=_points(criterion.get("points"), where),
                        evidence_kind=kind,
                        evidence_params=params,
                        official=bool(criterion.get("official", False)),
                    )
                )
                criterion_points.append(spec.criteria[-1].points)
            _sum_matches(criterion_points, item_total, where_item, "三级指标")
            item_points.append(item_total)
        _sum_matches(item_points, points, f"一级指标“{area_title}”", "二级指标")
        area_points.append(points)
    _sum_matches(area_points, spec.total, "指标体系", "一级指标")
    return spec


def load(path: Path = DEFAULT) -> FrameworkSpec:
    """The framework in `path`, checked; FrameworkError says in Chinese what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FrameworkError(f"找不到指标体系文件“{path.name}”。") from None
    except UnicodeDecodeError:
        raise FrameworkError(f"指标体系文件“{path.name}”不是 UTF-8 编码的文本。") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib explains in English; the user is told where.
        m = re.search(r"line (\d+)", str(exc))
        at = f"（第{m[1]}行附近）" if m else ""
        raise FrameworkError(
            f"指标体系文件“{path.name}”格式有误{at}，请检查引号、括号和等号。"
        ) from None
    return parse(data, path.name)


def available() -> list[Path]:
    return sorted(FRAMEWORKS.glob("*.toml"))
