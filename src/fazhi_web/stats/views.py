"""Statistics for reviewers (and reporters, for their own unit): table, export, unit history, charts."""

from __future__ import annotations

from html import escape
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from fazhi_web.stats import queries
from fazhi_web.stats.queries import Scope, Table, indicator_label, number
from fazhi_web.stats.xlsx import table_workbook
from fazhi_web.units.access import access_for, get_unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- ECharts options (plain JSON, passed to the page with json_script) ---------


def _nothing_to_show(series: list[tuple[str, list[Any]]], counts: bool) -> bool:
    """No value at all; for counts, nothing counted either (every bar 0)."""
    return all(v is None or (counts and v == 0) for _, data in series for v in data)


def _series_data(series: list[tuple[str, list[Any]]], counts: bool) -> list[list[Any]]:
    """The series' values, or none at all when there is nothing to show: charts.js then
    writes 暂无数据 in the chart's place instead of drawing empty axes."""
    if _nothing_to_show(series, counts):
        return [[] for _ in series]
    return [data for _, data in series]


def bar_option(
    categories: list[str],
    series: list[tuple[str, list[Any]]],
    *,
    percent: bool = False,
    value_name: str = "",
    counts: bool = False,
) -> dict[str, Any]:
    """A bar chart; `counts` for whole numbers (reports, units): the axis then never
    shows 0.5 of a report."""
    value_axis: dict[str, Any] = {"type": "value", "name": value_name}
    if percent:
        value_axis |= {"max": 100, "axisLabel": {"formatter": "{value}%"}}
    if counts:
        value_axis["minInterval"] = 1
    option: dict[str, Any] = {
        "tooltip": {"trigger": "axis"},
        "grid": {"containLabel": True, "left": 10, "right": 20, "bottom": 10},
        "xAxis": {
            "type": "category",
            "data": categories,
            "axisLabel": {"interval": 0, "rotate": 30 if len(categories) > 6 else 0},
        },
        "yAxis": value_axis,
        "series": [
            {"type": "bar", "name": name, "data": data}
            for (name, _), data in zip(series, _series_data(series, counts), strict=True)
        ],
    }
    if len(series) > 1:
        option["legend"] = {"top": 0}
        option["grid"]["top"] = 40
    if len(categories) > 30:
        # Thousands of units do not fit on one axis: let the reader zoom and pan.
        option["dataZoom"] = [
            {"type": "slider", "end": 100 * 30 / len(categories)},
            {"type": "inside"},
        ]
        option["grid"]["bottom"] = 50
    return option


def line_option(categories: list[str], name: str, data: list[Any]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"containLabel": True, "left": 10, "right": 20, "bottom": 10},
        "xAxis": {"type": "category", "data": categories},
        "yAxis": {"type": "value"},
        "series": [
            {
                "type": "line",
                "name": name,
                "data": _series_data([(name, data)], counts=False)[0],
                "connectNulls": True,
            }
        ],
    }


# -- the table and its export ----------------------------------------------------


PAGE_SIZE = 50
# The title of a value the engine found and no reviewer has checked (stats.css adds "*").
UNCHECKED = "自动识别，待核对"


def any_unchecked(table: Table) -> bool:
    """Whether a cell of these rows is marked 自动识别，待核对: the legend's condition."""
    shown = {c.key for c in table.columns}
    return any(row.unchecked & shown for row in table.rows)


def _cells(table: Table, rows: Any) -> list[dict[str, Any]]:
    """One page of rows, each row's value cells as escaped HTML.

    A page holds thousands of cells; a template loop over them costs more than
    the queries, so the cells are formatted here and the template loops over rows.
    """
    out = []
    value_columns = table.columns[1:]
    for row in rows:
        cells = []
        for column in value_columns:
            value = row.cells.get(column.key)
            if not column.numeric:
                cells.append(f"<td>{escape(str(value or ''))}</td>")
            elif column.key in row.corrected:
                cells.append(f'<td class="num corrected" title="审查员已更正">{number(value)}</td>')
            elif column.key in row.unchecked:
                cells.append(f'<td class="num unchecked" title="{UNCHECKED}">{number(value)}</td>')
            else:
                cells.append(f'<td class="num">{number(value)}</td>')
        # Safe: text cells are escaped above and numbers are digits only.
        out.append({"row": row, "cells": mark_safe("".join(cells))})
    return out


def _headers(scope: Scope, table: Table) -> list[dict[str, Any]]:
    headers = []
    for column in table.columns:
        if table.sort == column.key:
            next_sort, arrow = "-" + column.key, "▲"
        elif table.sort == "-" + column.key:
            next_sort, arrow = column.key, "▼"
        else:
            next_sort, arrow = column.key, ""
        if not column.sortable:
            next_sort = table.sort
        headers.append(
            {
                "column": column,
                "query": scope.params(sort=next_sort).urlencode(),
                "arrow": arrow,
            }
        )
    return headers


def _filter_context(scope: Scope) -> dict[str, Any]:
    return {
        "scope": scope,
        "levels": list(queries.LEVEL_LABELS.items()),
        "states": list(queries.STATE_LABELS.items()),
        "query": scope.params().urlencode(),
    }


@login_required
def table(request: HttpRequest) -> HttpResponse:
    scope = queries.scope_for(access_for(request.user), request.GET)
    # A national year has 140,000 rows: the screen pages through them, the
    # export carries every row of the same filtered, sorted table.
    result, page = queries.table_page(
        scope.obligations, scope.sort, request.GET.get("page"), PAGE_SIZE, scope.empty
    )
    scope.sort = result.sort
    # Counted on the stated columns: the ledger's follow the same indicators.
    hidden = 0 if scope.empty else queries.hidden_indicators(result)
    result = queries.with_figures(result, scope.figures)
    return render(
        request,
        "stats/table.html",
        {
            **_filter_context(scope),
            "table": result,
            "headers": _headers(scope, result),
            "rows": _cells(result, result.rows),
            "page": page,
            "any_corrected": queries.any_corrected(scope.obligations),
            "any_unchecked": any_unchecked(result),
            "figure_modes": [
                (
                    mode,
                    label,
                    scope.params(figures=mode if mode != queries.STATED else "").urlencode(),
                )
                for mode, label in queries.FIGURE_MODES.items()
            ],
            "hidden": hidden,
            "toggle_query": scope.params(empty="" if scope.empty else "1").urlencode(),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    scope = queries.scope_for(access_for(request.user), request.GET)
    result = queries.with_figures(
        queries.build_table(scope.obligations, scope.sort, scope.empty), scope.figures
    )
    office = scope.office.name if scope.office else "本单位"
    year = scope.year or ""
    title = f"{office}{year}年度法治政府建设年度报告统计表"
    filters = ["数据：" + queries.FIGURE_MODES[scope.figures]]
    if scope.level:
        filters.append("层级：" + queries.LEVEL_LABELS[scope.level])
    if scope.state:
        filters.append("状态：" + queries.STATE_LABELS[scope.state])
    if scope.empty:
        filters.append("含无数据的指标列")
    if result.sort:
        name = next(c.label for c in result.columns if c.key == result.sort.lstrip("-"))
        filters.append(f"排序：{name}{'降序' if result.sort.startswith('-') else '升序'}")
    response = HttpResponse(table_workbook(result, title, "；".join(filters)), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"统计表_{office}_{year}.xlsx"
    )
    return response


# -- one unit over the years ---------------------------------------------------


@login_required
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    the_unit = get_unit(request.user, pk, "view")
    qs = access_for(request.user).obligations().filter(unit=the_unit)
    # A unit owes one report per year; if two offices both opened the year, the
    # later-opened cycle wins so that each year is one column.
    by_year: dict[int, dict[str, Any]] = {}
    for row in queries.base_rows(qs.order_by("reporting_year_id")):
        by_year[row["reporting_year__year"]] = row
    years = sorted(by_year)
    values = queries.indicator_values(qs.filter(pk__in=[r["pk"] for r in by_year.values()]))
    present = {k for year in years for k in values.get(by_year[year]["pk"], {})}
    indicators = queries.ordered_indicators(present)
    matrix = []
    for key in indicators:
        cells = []
        for year in years:
            entry = values.get(by_year[year]["pk"], {}).get(key)
            cells.append(
                {
                    "text": number(entry[0]) if entry else "",
                    "corrected": bool(entry and entry[1]),
                    "unchecked": bool(entry and not entry[1] and not entry[2]),
                }
            )
        matrix.append({"key": key, "label": indicator_label(key), "cells": cells})
    scores = [by_year[y]["current_version__score"] for y in years]
    chosen = request.GET.get("indicator", "")
    if chosen not in present:
        chosen = indicators[0] if indicators else ""
    chart = None
    if chosen:
        series = [(values.get(by_year[y]["pk"], {}).get(chosen) or (None,))[0] for y in years]
        chart = line_option([str(y) for y in years], indicator_label(chosen), series)
    score_chart = line_option([str(y) for y in years], "得分", scores) if years else None
    return render(
        request,
        "stats/unit.html",
        {
            "unit": the_unit,
            "level_label": queries.LEVEL_LABELS.get(the_unit.level, the_unit.level),
            "years": years,
            "scores": [number(s) for s in scores],
            "matrix": matrix,
            "indicators": [(k, indicator_label(k)) for k in indicators],
            "chosen": chosen,
            "chosen_label": indicator_label(chosen) if chosen else "",
            "chart": chart,
            "score_chart": score_chart,
        },
    )


# -- charts --------------------------------------------------------------------


# A bar per unit reads well up to a few hundred units; a national year has 140,000.
CHART_UNITS = 200


@login_required
def charts(request: HttpRequest) -> HttpResponse:
    scope = queries.scope_for(access_for(request.user), request.GET)
    summary = queries.report_summary(scope.obligations)
    parts_chart = bar_option(
        list(queries.PARTS.values()),
        [("含该部分的报告占比", [summary["parts"][p] for p in queries.PARTS])],
        percent=True,
    )
    labels, counts = queries.score_histogram(scope.obligations)
    score_chart = bar_option(labels, [("报告数", counts)], value_name="份", counts=True)

    on_time = queries.on_time_rates(scope.obligations)
    on_time_chart = bar_option(
        ["全部"] + [lv["label"] for lv in on_time["levels"]],
        [("按时报送率", [on_time["rate"]] + [lv["rate"] for lv in on_time["levels"]])],
        percent=True,
    )

    present = queries.present_indicators(scope.obligations)
    indicators = queries.ordered_indicators(present)
    chosen = request.GET.get("indicator", "")
    if chosen not in present:
        chosen = indicators[0] if indicators else ""
    indicator_chart = None
    pairs = queries.top_values(scope.obligations, chosen, CHART_UNITS) if chosen else []
    if pairs:
        indicator_chart = bar_option(
            [name for name, _ in pairs], [(indicator_label(chosen), [v for _, v in pairs])]
        )
    return render(
        request,
        "stats/charts.html",
        {
            **_filter_context(scope),
            "total": summary["count"],
            "with_report": summary["with_report"],
            "mean_score": summary["mean_score"],
            "on_time": on_time,
            "parts_chart": parts_chart,
            "score_chart": score_chart,
            "on_time_chart": on_time_chart,
            "indicator_chart": indicator_chart,
            "indicator_capped": len(pairs) == CHART_UNITS,
            "chart_units": CHART_UNITS,
            "indicators": [(k, indicator_label(k)) for k in indicators],
            "chosen": chosen,
        },
    )
