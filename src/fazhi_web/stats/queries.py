"""Statistics queries shared by the screens, the exports and the public portal.

The table screen and its .xlsx export both call `build_table`, so the two cannot
diverge. Everything here reads a fixed set of columns with `.values()` and
fetches indicator values in one query, pivoted in Python: a province has
thousands of units and five years of reports, and a report's text and analysis
are large, so they are never loaded here (parts coverage reads single JSON keys
in the database).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone

from fazhi import data as engine_data
from fazhi_web.reports.models import IndicatorValue, Obligation, State
from fazhi_web.units.access import Access
from fazhi_web.units.models import Level, Unit

# Ordered like the spec table; exports and column order rely on it.
INDICATORS: dict[str, str] = dict(engine_data.load("indicator_names")["names"])

PARTS: dict[str, str] = {
    "measures": "主要举措和成效",
    "shortcomings": "存在的不足和原因",
    "first_responsible": "第一责任人职责",
    "next_year": "下一年度安排",
    "other": "其他情况",
}

LEVEL_LABELS: dict[str, str] = dict(Level.choices)
STATE_LABELS: dict[str, str] = dict(State.choices)
LEVEL_ORDER: dict[str, int] = {value: i for i, value in enumerate(Level.values)}
STATE_ORDER: dict[str, int] = {value: i for i, value in enumerate(State.values)}

ON_TIME = "按时"
LATE = "逾期报送"
OVERDUE = "逾期未报"
NOT_DUE = "未到期"
ON_TIME_ORDER = {ON_TIME: 0, LATE: 1, OVERDUE: 2, NOT_DUE: 3}

BASE_FIELDS = (
    "pk",
    "unit_id",
    "unit__name",
    "unit__level",
    "unit__region",
    "unit__path",
    "reporting_year__year",
    "state",
    "deadline",
    "extended_to",
    "submitted_at",
    "published_at",
    "current_version__score",
)


def indicator_label(key: str) -> str:
    return INDICATORS.get(key, key)


def is_rate(key: str) -> bool:
    """Rates are averaged, never summed."""
    return key.endswith("_rate")


def number(value: float | None) -> str:
    """A value as people write it: 1628 rather than 1628.0."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


# -- single-query readers ------------------------------------------------------


def base_rows(qs: QuerySet[Obligation]) -> list[dict[str, Any]]:
    return list(qs.order_by("unit__path", "pk").values(*BASE_FIELDS))


def indicator_values(qs: QuerySet[Obligation]) -> dict[int, dict[str, tuple[float, bool]]]:
    """{obligation id: {indicator: (value, corrected)}} in one query."""
    out: dict[int, dict[str, tuple[float, bool]]] = defaultdict(dict)
    values = IndicatorValue.objects.filter(obligation__in=qs.order_by().values("pk"))
    # Corrections are few; reading the flag on every row costs a per-row
    # conversion on SQLite for tens of thousands of rows.
    corrected = set(values.filter(corrected=True).values_list("obligation_id", "indicator"))
    rows = values.values_list("obligation_id", "indicator", "value")
    for obligation_id, indicator, value in rows.iterator(chunk_size=5000):
        out[obligation_id][indicator] = (value, (obligation_id, indicator) in corrected)
    return out


def parts_presence(qs: QuerySet[Obligation]) -> dict[int, dict[str, bool]]:
    """{obligation id: {part: present}} for obligations with a current version.

    Reads only the `present` keys of the analysis, in the database.
    """
    keys = {p: f"current_version__analysis__parts__{p}__present" for p in PARTS}
    rows = qs.order_by().filter(current_version__isnull=False).values("pk", *keys.values())
    return {row["pk"]: {p: bool(row[k]) for p, k in keys.items()} for row in rows}


def on_time_status(
    row: dict[str, Any], today: dt.date | None = None, tz: dt.tzinfo | None = None
) -> str:
    """按时, 逾期报送, 逾期未报 or 未到期; pass `today` and `tz` when calling per row."""
    deadline = row["extended_to"] or row["deadline"]
    if row["submitted_at"] is not None:
        submitted = row["submitted_at"].astimezone(tz or timezone.get_current_timezone())
        return ON_TIME if submitted.date() <= deadline else LATE
    today = today or timezone.localdate()
    return OVERDUE if today > deadline else NOT_DUE


def ordered_indicators(keys: set[str]) -> list[str]:
    return [k for k in INDICATORS if k in keys] + sorted(keys - INDICATORS.keys())


# -- the reviewers' table ----------------------------------------------------


@dataclass
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass
class Row:
    obligation_id: int
    unit_id: int
    # Values exactly as shown and exported: text, or float for numeric columns.
    cells: dict[str, Any]
    corrected: set[str] = field(default_factory=set)
    order: dict[str, Any] = field(default_factory=dict)

    def sort_key(self, key: str) -> Any:
        return self.order.get(key, self.cells.get(key))


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]
    sort: str


BASE_COLUMNS = [
    Column("unit", "单位"),
    Column("level", "层级"),
    Column("state", "状态"),
    Column("score", "得分", numeric=True),
    Column("on_time", "按时报送"),
]


def build_table(qs: QuerySet[Obligation], sort: str = "") -> Table:
    """One row per obligation; one column per indicator that occurs in these rows."""
    values = indicator_values(qs)
    today, tz = timezone.localdate(), timezone.get_current_timezone()
    rows = []
    for base in base_rows(qs):
        on_time = on_time_status(base, today, tz)
        row = Row(
            obligation_id=base["pk"],
            unit_id=base["unit_id"],
            cells={
                "unit": base["unit__name"],
                "level": LEVEL_LABELS.get(base["unit__level"], base["unit__level"]),
                "state": STATE_LABELS.get(base["state"], base["state"]),
                "score": base["current_version__score"],
                "on_time": on_time,
            },
            order={
                "level": LEVEL_ORDER.get(base["unit__level"], 99),
                "state": STATE_ORDER.get(base["state"], 99),
                "on_time": ON_TIME_ORDER[on_time],
            },
        )
        for indicator, (value, corrected) in values.get(base["pk"], {}).items():
            row.cells[indicator] = value
            if corrected:
                row.corrected.add(indicator)
        rows.append(row)
    present = {key for v in values.values() for key in v}
    columns = BASE_COLUMNS + [
        Column(key, indicator_label(key), numeric=True) for key in ordered_indicators(present)
    ]
    sort = sort if sort.lstrip("-") in {c.key for c in columns} else ""
    return Table(columns=columns, rows=sort_rows(rows, sort), sort=sort)


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """Sort by one column; rows without a value go last in either direction.

    The rows come in hierarchy order, and Python's sort is stable, so ties keep it.
    """
    if not sort:
        return rows
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    present = [r for r in rows if r.sort_key(key) not in (None, "")]
    missing = [r for r in rows if r.sort_key(key) in (None, "")]
    return sorted(present, key=lambda r: r.sort_key(key), reverse=descending) + missing


# -- filters from the query string ---------------------------------------------


@dataclass
class Scope:
    """What a reviewer's statistics screen shows: the office, year and filters."""

    obligations: QuerySet[Obligation]
    offices: list[Unit]
    office: Unit | None
    years: list[int]
    year: int | None
    level: str = ""
    state: str = ""
    sort: str = ""

    def params(self, **overrides: Any) -> QueryDict:
        """The query string of this view, to link the export and the sort headers."""
        q = QueryDict(mutable=True)
        values = {
            "year": self.year or "",
            "office": self.office.pk if self.office else "",
            "level": self.level,
            "state": self.state,
            "sort": self.sort,
        } | overrides
        for k, v in values.items():
            if v not in ("", None):
                q[k] = str(v)
        return q


def _int(value: str | None) -> int | None:
    # Bounded, so that a hand-typed huge number cannot overflow a database integer.
    if value is None or not value.isdigit() or len(value) > 9:
        return None
    return int(value)


def scope_for(access: Access, params: QueryDict) -> Scope:
    """Parse ?year= &office= &level= &state= &sort= within the user's access.

    Users without any role, and offices outside the user's own, are 404.
    """
    if not (access.is_reviewer or access.is_reporter):
        raise Http404("无权访问。")
    offices = list(access.offices().order_by("path"))
    office = None
    office_id = _int(params.get("office"))
    if params.get("office"):
        office = next((o for o in offices if o.pk == office_id), None)
        if office is None:
            raise Http404("单位不存在或无权访问。")
    elif offices:
        office = offices[0]
    qs = access.obligations()
    if office is not None:
        qs = qs.filter(reporting_year__office=office)
    years = sorted(
        set(qs.order_by().values_list("reporting_year__year", flat=True).distinct()), reverse=True
    )
    year = _int(params.get("year"))
    if year is None and years:
        year = years[0]
    qs = qs.filter(reporting_year__year=year) if year is not None else qs.none()
    level = params.get("level", "")
    if level in LEVEL_LABELS:
        qs = qs.filter(unit__level=level)
    else:
        level = ""
    state = params.get("state", "")
    if state in STATE_LABELS:
        qs = qs.filter(state=state)
    else:
        state = ""
    return Scope(
        obligations=qs,
        offices=offices,
        office=office,
        years=years,
        year=year,
        level=level,
        state=state,
        sort=params.get("sort", ""),
    )


# -- aggregates for charts and the public statistics ---------------------------


def score_histogram(scores: list[float]) -> tuple[list[str], list[int]]:
    """Counts in 5-point bins from 50 up, with everything below 50 in one bin."""
    labels = ["<50"] + [f"{lo}–{lo + 5}" for lo in range(50, 100, 5)]
    counts = [0] * len(labels)
    for s in scores:
        counts[0 if s < 50 else min(int((s - 50) // 5) + 1, len(labels) - 1)] += 1
    return labels, counts


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def parts_coverage(
    presence: dict[int, dict[str, bool]], ids: list[int] | None = None
) -> dict[str, float | None]:
    """Per part, the percentage of these reports where it is present."""
    chosen = [presence[i] for i in (ids if ids is not None else presence) if i in presence]
    return {p: share(sum(1 for x in chosen if x[p]), len(chosen)) for p in PARTS}


def on_time_rates(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Submitted on or before the effective deadline, over all obligations; overall and by level."""
    today, tz = timezone.localdate(), timezone.get_current_timezone()
    by_level: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    total = [0, 0]
    for row in rows:
        ok = on_time_status(row, today, tz) == ON_TIME
        for bucket in (total, by_level[row["unit__level"]]):
            bucket[0] += ok
            bucket[1] += 1
    return {
        "on_time": total[0],
        "total": total[1],
        "rate": share(total[0], total[1]),
        "levels": [
            {
                "level": lv,
                "label": LEVEL_LABELS[lv],
                "on_time": by_level[lv][0],
                "total": by_level[lv][1],
                "rate": share(by_level[lv][0], by_level[lv][1]),
            }
            for lv in Level.values
            if lv in by_level
        ],
    }


def indicator_summary(values: dict[int, dict[str, tuple[float, bool]]]) -> list[dict[str, Any]]:
    """Per indicator over these reports: how many state it, the total (not for rates), the mean."""
    collected: dict[str, list[float]] = defaultdict(list)
    for per in values.values():
        for key, (value, _) in per.items():
            collected[key].append(value)
    out = []
    for key in ordered_indicators(set(collected)):
        vals = collected[key]
        out.append(
            {
                "key": key,
                "label": indicator_label(key),
                "count": len(vals),
                "total": None if is_rate(key) else sum(vals),
                "mean": sum(vals) / len(vals),
            }
        )
    return out


def level_summary(
    rows: list[dict[str, Any]], presence: dict[int, dict[str, bool]]
) -> list[dict[str, Any]]:
    """Per level: number of reports, mean score, and parts coverage."""
    by_level: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_level[row["unit__level"]].append(row)
    out = []
    for lv in Level.values:
        group = by_level.get(lv)
        if not group:
            continue
        scores = [
            r["current_version__score"] for r in group if r["current_version__score"] is not None
        ]
        out.append(
            {
                "level": lv,
                "label": LEVEL_LABELS[lv],
                "count": len(group),
                "mean_score": round(sum(scores) / len(scores), 1) if scores else None,
                "parts": parts_coverage(presence, [r["pk"] for r in group]),
            }
        )
    return out


# -- open data -----------------------------------------------------------------

OPEN_FIELDS = ["id", "unit", "level", "region", "year", "published", "score"]


def open_data(qs: QuerySet[Obligation]) -> tuple[list[str], list[list[Any]]]:
    """One row per published report, every indicator as a column (empty when not stated)."""
    values = indicator_values(qs)
    fields = OPEN_FIELDS + list(INDICATORS)
    rows = []
    for base in base_rows(qs):
        published = base["published_at"]
        per = values.get(base["pk"], {})
        rows.append(
            [
                base["pk"],
                base["unit__name"],
                base["unit__level"],
                base["unit__region"],
                base["reporting_year__year"],
                timezone.localdate(published).isoformat() if published else None,
                base["current_version__score"],
            ]
            + [per[k][0] if k in per else None for k in INDICATORS]
        )
    return fields, rows
