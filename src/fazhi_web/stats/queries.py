"""Statistics queries shared by the screens, the exports and the public portal.

The table screen (`table_page`) and its .xlsx export (`build_table`) sort with
the same `sorted_rows` and build rows with the same `_rows`, so the two cannot
diverge. Everything here reads a fixed set of columns with `.values()`, counts and sums
in the database, and fetches a page's indicator values in one query, pivoted
in Python: a national year has 140,000 reports, and a report's text and
analysis are large, so they are never read here (which parts a report has is
kept beside its analysis, in ReportVersion.parts_present).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate, TruncDate
from django.db.models.lookups import LessThan, LessThanOrEqual
from django.http import Http404, QueryDict
from django.utils import timezone

from fazhi import data as engine_data
from fazhi_web.reports.models import IndicatorValue, Obligation, ReportingYear, State
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
    return list(qs.order_by("unit_path", "pk").values(*BASE_FIELDS))


# An indicator's value in the statistics: (value, corrected, confirmed). Neither flag:
# the engine's value alone, not yet checked by a reviewer (自动识别，待核对).
Stored = tuple[float, bool, bool]


def indicator_values(qs: QuerySet[Obligation]) -> dict[int, dict[str, Stored]]:
    """{obligation id: {indicator: (value, corrected, confirmed)}} in two queries."""
    out: dict[int, dict[str, Stored]] = defaultdict(dict)
    values = IndicatorValue.objects.filter(obligation__in=qs.order_by().values("pk"))
    # Reading the flags on every row costs a per-row conversion on SQLite for tens of
    # thousands of rows: the checked values (corrected or confirmed) come in their own
    # query, from their own partial index, and every other value is the engine's alone.
    checked = {
        (obligation_id, indicator): corrected
        for obligation_id, indicator, corrected in values.filter(
            Q(corrected=True) | Q(confirmed=True)
        ).values_list("obligation_id", "indicator", "corrected")
    }
    rows = values.values_list("obligation_id", "indicator", "value")
    for obligation_id, indicator, value in rows.iterator(chunk_size=5000):
        corrected = checked.get((obligation_id, indicator))
        out[obligation_id][indicator] = (value, corrected is True, corrected is False)
    return out


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
    # A ledger figure is computed, not stored: the table cannot be sorted by it.
    sortable: bool = True


@dataclass
class Row:
    obligation_id: int
    unit_id: int
    year: int
    # Values exactly as shown and exported: text, or float for numeric columns.
    cells: dict[str, Any]
    corrected: set[str] = field(default_factory=set)
    # The engine's values no reviewer has checked yet (自动识别，待核对).
    unchecked: set[str] = field(default_factory=set)


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


def build_table(qs: QuerySet[Obligation], sort: str = "", empty: bool = False) -> Table:
    """Every row, sorted: what the export carries, with the same columns as the screen."""
    columns = table_columns(qs, empty)
    sort = valid_sort(sort, columns)
    base = list(sorted_rows(qs, sort).values(*BASE_FIELDS))
    return Table(columns=columns, rows=_rows(base, indicator_values(qs)), sort=sort)


def table_page(
    qs: QuerySet[Obligation], sort: str, number: Any, size: int, empty: bool = False
) -> tuple[Table, Page[Any]]:
    """One page of the same table as `build_table`: sorted and paged in the database.

    A national year has 140,000 rows; only the page's rows and their indicator
    values are read, and the columns come from one query that stops early.
    """
    columns = table_columns(qs, empty)
    sort = valid_sort(sort, columns)
    # The database skips the rows before the page; it would join and read
    # every one of them, so the page is chosen by id and only its rows are read.
    ids = sorted_rows(qs.order_by(), sort).values_list("pk", flat=True)
    page = Paginator(ids, size).get_page(number)
    chosen = list(page.object_list)
    by_id = {b["pk"]: b for b in qs.order_by().filter(pk__in=chosen).values(*BASE_FIELDS)}
    values = indicator_values(Obligation.objects.filter(pk__in=chosen))
    return Table(columns=columns, rows=_rows([by_id[i] for i in chosen], values), sort=sort), page


def _rows(base_rows: list[dict[str, Any]], values: dict[int, dict[str, Stored]]) -> list[Row]:
    today, tz = timezone.localdate(), timezone.get_current_timezone()
    rows = []
    for base in base_rows:
        row = Row(
            obligation_id=base["pk"],
            unit_id=base["unit_id"],
            year=base["reporting_year__year"],
            cells={
                "unit": base["unit__name"],
                "level": LEVEL_LABELS.get(base["unit__level"], base["unit__level"]),
                "state": STATE_LABELS.get(base["state"], base["state"]),
                "score": base["current_version__score"],
                "on_time": on_time_status(base, today, tz),
            },
        )
        for indicator, (value, corrected, confirmed) in values.get(base["pk"], {}).items():
            row.cells[indicator] = value
            if corrected:
                row.corrected.add(indicator)
            elif not confirmed:
                row.unchecked.add(indicator)
        rows.append(row)
    return rows


# Which figures the table shows: what the reports state, what the units' ledgers give
# (ledgers.figures), or both side by side. The export carries the same choice.
STATED, LEDGER, BOTH = "stated", "ledger", "both"
FIGURE_MODES = {STATED: "报告所述", LEDGER: "台账计算", BOTH: "报告所述与台账计算对照"}
LEDGER_SUFFIX = ":ledger"


def with_figures(table: Table, mode: str) -> Table:
    """The table with the ledger's figures instead of, or beside, the stated ones.

    A unit that keeps no ledger has no ledger figure (blank, never 0). Each row's
    figures are computed from its records (ledgers.figures), a few queries per ledger
    app, so this costs per row what the review page costs per report.
    """
    if mode == STATED:
        return table
    from fazhi_web.ledgers import figures

    units = {u.pk: u for u in Unit.objects.filter(pk__in={r.unit_id for r in table.rows})}
    ledger_keys: set[str] = set()
    for row in table.rows:
        computed = figures.ledger_indicators(units[row.unit_id], row.year)
        for key, fig in computed.items():
            if fig.value is not None:
                row.cells[key + LEDGER_SUFFIX] = fig.value
                ledger_keys.add(key)
    base_keys = {c.key for c in BASE_COLUMNS}
    base = [c for c in table.columns if c.key in base_keys]
    stated = [c for c in table.columns if c not in base]
    stated_keys = {c.key for c in stated}
    keys = ordered_indicators(stated_keys | ledger_keys)
    columns = list(base)
    for key in keys:
        if mode == BOTH:
            columns.append(Column(key, f"{indicator_label(key)}（报告）", numeric=True,
                                  sortable=key in stated_keys))  # fmt: skip
        columns.append(
            Column(key + LEDGER_SUFFIX, f"{indicator_label(key)}（台账）", numeric=True,
                   sortable=False)
        )  # fmt: skip
    return Table(columns=columns, rows=table.rows, sort=table.sort)


def table_columns(qs: QuerySet[Obligation], empty: bool = False) -> list[Column]:
    """The base columns, then one per indicator that occurs in these rows, in spec order;
    with `empty`, one per indicator of the spec, stated or not."""
    keys = present_indicators(qs)
    if empty:
        keys |= INDICATORS.keys()
    return BASE_COLUMNS + [
        Column(key, indicator_label(key), numeric=True) for key in ordered_indicators(keys)
    ]


def hidden_indicators(table: Table) -> int:
    """How many indicators of the spec have no column: none of the rows states them."""
    shown = {c.key for c in table.columns}
    return sum(1 for key in INDICATORS if key not in shown)


def present_indicators(qs: QuerySet[Obligation]) -> set[str]:
    """The indicators stated (or corrected) in at least one of these obligations.

    Reading every value of 140,000 reports to collect a few dozen keys takes
    seconds. Instead the keys come from a walk down the indicator index (one
    probe per distinct key), and for each a subquery looks for one row in
    scope and stops there. The subquery sits in the select list so that the
    planner keeps it per key (an EXISTS in WHERE becomes one big join).
    Plain SQL because the ORM has no recursive query.
    """
    try:
        scope, params = qs.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope that cannot match anything
        return set()
    table = connection.ops.quote_name(IndicatorValue._meta.db_table)
    sql = f"""
        WITH RECURSIVE keys(indicator) AS (
            SELECT MIN(indicator) FROM {table}
            UNION ALL
            SELECT (SELECT MIN(indicator) FROM {table} WHERE indicator > keys.indicator)
            FROM keys WHERE keys.indicator IS NOT NULL
        )
        SELECT keys.indicator, (
            SELECT 1 FROM {table} v
            WHERE v.indicator = keys.indicator AND v.obligation_id IN ({scope})
            LIMIT 1
        )
        FROM keys WHERE keys.indicator IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key for key, found in cursor.fetchall() if found}


def any_corrected(qs: QuerySet[Obligation]) -> bool:
    return IndicatorValue.objects.filter(
        corrected=True, obligation__in=qs.order_by().values("pk")
    ).exists()


def valid_sort(sort: str, columns: list[Column]) -> str:
    return sort if sort.lstrip("-") in {c.key for c in columns} else ""


def sorted_rows(qs: QuerySet[Obligation], sort: str) -> QuerySet[Obligation]:
    """Sorted by one column; rows without a value go last in either direction.

    Ties (and the unsorted table) keep the hierarchy order.
    """
    hierarchy = ("unit_path", "pk")
    if not sort:
        return qs.order_by(*hierarchy)
    key = sort.lstrip("-")
    if key in SORT_KEYS:
        expression = SORT_KEYS[key]()
    else:
        qs = qs.annotate(sort_value=FilteredRelation("values", condition=Q(values__indicator=key)))
        expression = F("sort_value__value")
    if sort.startswith("-"):
        return qs.order_by(expression.desc(nulls_last=True), *hierarchy)
    return qs.order_by(expression.asc(nulls_last=True), *hierarchy)


def _choice_order(field: str, order: dict[str, int]) -> Case:
    return Case(*(When(**{field: v}, then=Value(i)) for v, i in order.items()), default=Value(99))


def _handed_in_on_time() -> LessThanOrEqual:
    """Handed in on or before the (possibly extended) deadline, in the database.

    As `on_time_status` (按时) reads it: the day of handing in, in local time.
    """
    submitted_on = TruncDate("submitted_at", tzinfo=timezone.get_current_timezone())
    return LessThanOrEqual(submitted_on, Coalesce("extended_to", "deadline"))


def _on_time_order() -> Case:
    """`on_time_status` as a sort key, in the database."""
    return Case(
        When(
            submitted_at__isnull=False,
            then=Case(
                When(_handed_in_on_time(), then=Value(ON_TIME_ORDER[ON_TIME])),
                default=Value(ON_TIME_ORDER[LATE]),
            ),
        ),
        When(
            LessThan(Coalesce("extended_to", "deadline"), Value(timezone.localdate())),
            then=Value(ON_TIME_ORDER[OVERDUE]),
        ),
        default=Value(ON_TIME_ORDER[NOT_DUE]),
    )


# Names sort by code point on every database, whatever its locale: comparing
# bytes is also many times faster than a locale's rules over 140,000 rows.
BYTE_ORDER = {"postgresql": "C", "sqlite": "BINARY"}

# The base columns' sort keys; any other key is an indicator's value.
SORT_KEYS: dict[str, Any] = {
    "unit": lambda: Collate("unit__name", BYTE_ORDER[connection.vendor]),
    "level": lambda: _choice_order("unit__level", LEVEL_ORDER),
    "state": lambda: _choice_order("state", STATE_ORDER),
    "score": lambda: F("current_version__score"),
    "on_time": _on_time_order,
}


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
    figures: str = STATED
    # Show the indicator columns no row states (hidden by default).
    empty: bool = False

    def params(self, **overrides: Any) -> QueryDict:
        """The query string of this view, to link the export and the sort headers."""
        q = QueryDict(mutable=True)
        values = {
            "year": self.year or "",
            "office": self.office.pk if self.office else "",
            "level": self.level,
            "state": self.state,
            "sort": self.sort,
            "figures": "" if self.figures == STATED else self.figures,
            "empty": "1" if self.empty else "",
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
    cycles = ReportingYear.objects.all()
    if office is not None:
        cycles = cycles.filter(office=office)
    # The years with a row in reach: one probe per cycle, not a pass over every row.
    in_reach = cycles.filter(Exists(qs.filter(reporting_year=OuterRef("pk"))))
    years = sorted(set(in_reach.values_list("year", flat=True)), reverse=True)
    year = _int(params.get("year"))
    if year is None and years:
        year = years[0]
    # Naming the year's cycles (an office has one) lets the database read the
    # rows in hierarchy order straight from the (cycle, path) index.
    chosen = list(cycles.filter(year=year).values_list("pk", flat=True)) if year else []
    qs = qs.filter(reporting_year__in=chosen)
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
        figures=params.get("figures", "") if params.get("figures") in FIGURE_MODES else STATED,
        empty=params.get("empty") == "1",
    )


# -- aggregates for charts and the public statistics ---------------------------
# Counted by the database: a national year has 140,000 reports and over a
# million indicator values, far too many to bring into Python for one page.

SCORE_BINS = ["<50"] + [f"{lo}–{lo + 5}" for lo in range(50, 100, 5)]


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def report_summary(qs: QuerySet[Obligation]) -> dict[str, Any]:
    """How many reports, how many with a version, the mean score and the parts coverage.

    Overall and per level, from one grouped query. Coverage is the share of the
    reports with a version whose analysis found the part (ReportVersion.parts_present).
    """
    has_part = {
        p: Count("pk", filter=Q(**{f"current_version__parts_present__{p}": True})) for p in PARTS
    }
    grouped = (
        qs.order_by()
        .values("unit__level")
        .annotate(
            count=Count("pk"),
            with_report=Count("current_version"),
            scored=Count("current_version__score"),
            score_sum=Sum("current_version__score"),
            **{f"part_{p}": c for p, c in has_part.items()},
        )
    )
    by_level = {row["unit__level"]: row for row in grouped}

    def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
        scored = sum(r["scored"] for r in rows)
        with_report = sum(r["with_report"] for r in rows)
        return {
            "count": sum(r["count"] for r in rows),
            "with_report": with_report,
            # Scores have one decimal: rounding the sum first drops the noise of
            # adding floats in another order, which could tip the mean's last digit.
            "mean_score": round(round(sum(r["score_sum"] or 0 for r in rows), 6) / scored, 1)
            if scored
            else None,
            "parts": {p: share(sum(r[f"part_{p}"] for r in rows), with_report) for p in PARTS},
        }

    levels = [
        {"level": lv, "label": LEVEL_LABELS[lv]} | summary([by_level[lv]])
        for lv in Level.values
        if lv in by_level
    ]
    return summary(list(by_level.values())) | {"levels": levels}


def score_histogram(qs: QuerySet[Obligation]) -> tuple[list[str], list[int]]:
    """Counts of scores in 5-point bins from 50 up, with everything below 50 in one bin."""
    score = "current_version__score"
    bins = Case(
        When(**{f"{score}__lt": 50}, then=Value(0)),
        *(
            When(**{f"{score}__lt": lo + 5}, then=Value(i))
            for i, lo in enumerate(range(50, 95, 5), 1)
        ),
        default=Value(len(SCORE_BINS) - 1),
    )
    counts = [0] * len(SCORE_BINS)
    grouped = (
        qs.order_by()
        .filter(**{f"{score}__isnull": False})
        .annotate(bin=bins)
        .values("bin")
        .annotate(n=Count("pk"))
    )
    for row in grouped:
        counts[row["bin"]] = row["n"]
    return list(SCORE_BINS), counts


def on_time_rates(qs: QuerySet[Obligation]) -> dict[str, Any]:
    """Submitted on or before the effective deadline, over all obligations; overall and by level."""
    grouped = (
        qs.order_by()
        .values("unit__level")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=_handed_in_on_time()))
    )
    by_level = {row["unit__level"]: row for row in grouped}
    total = sum(r["total"] for r in by_level.values())
    punctual = sum(r["on_time"] for r in by_level.values())
    return {
        "on_time": punctual,
        "total": total,
        "rate": share(punctual, total),
        "levels": [
            {
                "level": lv,
                "label": LEVEL_LABELS[lv],
                "on_time": by_level[lv]["on_time"],
                "total": by_level[lv]["total"],
                "rate": share(by_level[lv]["on_time"], by_level[lv]["total"]),
            }
            for lv in Level.values
            if lv in by_level
        ],
    }


def indicator_summary(qs: QuerySet[Obligation]) -> list[dict[str, Any]]:
    """Per indicator over these reports: how many state it, the total (not for rates), the mean."""
    grouped = (
        IndicatorValue.objects.filter(obligation__in=qs.order_by().values("pk"))
        .values("indicator")
        .annotate(count=Count("pk"), total=Sum("value"), mean=Avg("value"))
    )
    by_key = {row["indicator"]: row for row in grouped}
    return [
        {
            "key": key,
            "label": indicator_label(key),
            "count": by_key[key]["count"],
            "total": None if is_rate(key) else by_key[key]["total"],
            "mean": by_key[key]["mean"],
        }
        for key in ordered_indicators(set(by_key))
    ]


def top_values(qs: QuerySet[Obligation], indicator: str, limit: int) -> list[tuple[str, float]]:
    """(unit name, value) of the `limit` highest values of one indicator; ties in hierarchy order."""
    return list(
        IndicatorValue.objects.filter(
            obligation__in=qs.order_by().values("pk"), indicator=indicator
        )
        .order_by("-value", "obligation__unit_path", "obligation_id")
        .values_list("obligation__unit__name", "value")[:limit]
    )


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
