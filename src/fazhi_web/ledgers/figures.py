"""Figures computed from the ledgers: the report's indicators as the records give them,
next to what the report states, and the annual disclosure table.

Several apps keep ledgers; each has a `figures` module with `INDICATORS` (the indicator
ids of src/fazhi/data/indicators.toml it gives), `records(code, unit, year, *, below=False)`
(the records behind a figure, of the unit or, with `below`, of it and every unit under
it), `value(code, records, year) -> (value, note)`, `keeps(unit)` (whether the unit keeps
those ledgers at all) and `LISTS` (code -> the URL name of the list
that shows those records). This module is one of them, for 规范性文件, 重大行政决策 and
依申请公开, and `ledger_indicators` / `compare` read them all (FIGURE_MODULES).

`ledger_indicators(unit, year)` is what the review page, the self-check, the statistics
table and the `ledger-mismatch` finding read; each figure links to the records behind it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

from fazhi import data as engine_data
from fazhi.rules import ledger_mismatch
from fazhi_web.ledgers import deadlines
from fazhi_web.ledgers.models import (
    DISCLOSURE,
    DisclosureRequest,
    MajorDecision,
    NormativeDocument,
)
from fazhi_web.units.models import Unit

# The modules whose ledgers give indicators, in the order the comparison lists them.
FIGURE_MODULES = (
    "fazhi_web.ledgers.figures",
    "fazhi_web.enforcement.figures",
    "fazhi_web.disputes.figures",
    "fazhi_web.petitions.figures",
    "fazhi_web.proposals.figures",
    "fazhi_web.study.figures",
)

INDICATORS = (
    "normative_docs_issued",
    "normative_docs_reviewed",
    "normative_docs_filed",
    "normative_docs_cleaned",
    "normative_docs_filing_rate",
    "major_decisions",
    "legality_reviews",
    "disclosure_on_request",
)


def indicator_label(code: str) -> str:
    return engine_data.load("indicator_names")["names"].get(code, code)


def of_unit(field: str, unit: Unit, below: bool) -> Q:
    """Records whose `field` is the unit, or with `below` the unit or any unit under it."""
    if below:
        return Q(**{f"{field}__path__startswith": unit.path})
    return Q(**{field: unit})


# -- which records stand behind each figure ------------------------------------------------


def _documents() -> QuerySet[NormativeDocument]:
    return NormativeDocument.objects.filter(hidden_reason="")


def received_in(year: int) -> Q:
    """Requests whose 收到申请之日 (by their channel's rule) falls in `year`."""
    by_submission = [
        c for c, rule in DISCLOSURE["channel"].items() if rule["receipt"] == "submitted"
    ]
    return Q(channel__in=by_submission, submitted_on__year=year) | (
        ~Q(channel__in=by_submission) & Q(confirmed_on__year=year)
    )


def records(code: str, unit: Unit, year: int, *, below: bool = False) -> QuerySet[Any]:
    """The records a figure counts (for the rate: the documents issued)."""
    docs = _documents()
    own = of_unit("unit", unit, below)
    if code in ("normative_docs_issued", "normative_docs_filing_rate"):
        return docs.filter(own, published_on__year=year)
    if code == "normative_docs_reviewed":
        return docs.filter(of_unit("review_unit", unit, below), reviewed_on__year=year)
    if code == "normative_docs_filed":
        # A 备案审查 body (a 司法局) reports the filings it received; any other unit what it filed.
        received = docs.filter(of_unit("filing_unit", unit, below), filed_on__year=year)
        return received if received.exists() else docs.filter(own, filed_on__year=year)
    if code == "normative_docs_cleaned":
        return docs.filter(
            of_unit("cleanup_items__cleanup__unit", unit, below),
            cleanup_items__cleanup__published_on__year=year,
            cleanup_items__cleanup__hidden_reason="",
        ).distinct()
    if code == "major_decisions":
        return MajorDecision.objects.filter(own, year=year, hidden_reason="")
    if code == "legality_reviews":
        return MajorDecision.objects.filter(
            (own & Q(review_unit__isnull=True)) | of_unit("review_unit", unit, below),
            hidden_reason="",
            procedures__kind="legality_review",
            procedures__done_on__year=year,
        ).distinct()
    if code == "disclosure_on_request":
        return DisclosureRequest.objects.filter(received_in(year), own, hidden_reason="")
    raise KeyError(code)


def value(code: str, qs: QuerySet[Any], year: int) -> tuple[float | None, str]:
    count = qs.count()
    if code == "normative_docs_filing_rate":
        filed = qs.filter(filed_on__isnull=False).count()
        note = f"已报送备案{filed}件 / 公布{count}件" if count else "本年未公布规范性文件"
        return (round(100 * filed / count, 1) if count else None), note
    return float(count), ""


LISTS = {
    code: f"ledgers:{ledger}"
    for code, ledger in (
        *((c, "documents") for c in INDICATORS if c.startswith("normative_docs")),
        ("major_decisions", "decisions"),
        ("legality_reviews", "decisions"),
        ("disclosure_on_request", "requests"),
    )
}


def keeps(unit: Unit) -> bool:
    """Whether the unit keeps these ledgers: its own records, or those it reviews or files."""
    return (
        NormativeDocument.objects.filter(
            Q(unit=unit) | Q(filing_unit=unit) | Q(review_unit=unit)
        ).exists()
        or MajorDecision.objects.filter(Q(unit=unit) | Q(review_unit=unit)).exists()
        or DisclosureRequest.objects.filter(unit=unit).exists()
    )


# -- every ledger app's figures together ---------------------------------------------------


@cache
def modules() -> tuple[ModuleType, ...]:
    return tuple(import_module(name) for name in FIGURE_MODULES)


def module_of(code: str) -> ModuleType | None:
    return next((m for m in modules() if code in m.INDICATORS), None)


def all_indicators() -> tuple[str, ...]:
    return tuple(code for m in modules() for code in m.INDICATORS)


def records_url(code: str, unit: Unit, year: int, *, below: bool = False) -> str:
    module = module_of(code)
    assert module is not None, code
    params: dict[str, Any] = {"unit": unit.pk, "year": year, "figure": code}
    if below:
        params["below"] = 1
    return f"{reverse(module.LISTS[code])}?{urlencode(params)}"


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    value: float | None
    url: str
    note: str = ""


def figure(code: str, unit: Unit, year: int, *, below: bool = False) -> Figure:
    module = module_of(code)
    if module is None:
        raise KeyError(code)
    value, note = module.value(code, module.records(code, unit, year, below=below), year)
    url = records_url(code, unit, year, below=below)
    return Figure(code, indicator_label(code), value, url, note)


def ledger_indicators(unit: Unit, year: int, *, below: bool = False) -> dict[str, Figure]:
    """Each indicator of `unit` in `year` as the ledgers it keeps give it (with `below`:
    an office's figures over the units under it). A ledger the unit does not keep gives
    no figures: its zero would say nothing."""
    out: dict[str, Figure] = {}
    for module in modules():
        if not below and not module.keeps(unit):
            continue
        for code in module.INDICATORS:
            out[code] = figure(code, unit, year, below=below)
    return out


def keeps_ledgers(unit: Unit) -> bool:
    return any(module.keeps(unit) for module in modules())


@dataclass(frozen=True)
class Comparison:
    code: str
    label: str
    stated: float | None
    ledger: Figure
    agrees: bool | None  # None: only one side has a figure

    @property
    def difference(self) -> float | None:
        if self.stated is None or self.ledger.value is None:
            return None
        return self.ledger.value - self.stated


def compare(stated: dict[str, float], unit: Unit, year: int) -> list[Comparison]:
    """The report's stated indicators beside the ledger's, one row per indicator."""
    rows = []
    for code, fig in ledger_indicators(unit, year).items():
        value = stated.get(code)
        if value is None or fig.value is None:
            agrees = None
        else:
            agrees = ledger_mismatch.agrees(code, value, fig.value)
        rows.append(Comparison(code, fig.label, value, fig, agrees))
    return rows


@dataclass(frozen=True)
class Mismatch:
    """A `ledger-mismatch` finding: both numbers and the records behind the ledger's."""

    comparison: Comparison
    rule_name: str
    severity: str
    message: str

    @property
    def url(self) -> str:
        return self.comparison.ledger.url


def mismatches(stated: dict[str, float], unit: Unit, year: int) -> list[Mismatch]:
    out = []
    for row in compare(stated, unit, year):
        if row.agrees is not False:
            continue
        assert row.stated is not None and row.ledger.value is not None
        found = ledger_mismatch.finding(row.label, row.stated, row.ledger.value)
        out.append(Mismatch(row, ledger_mismatch.TEXT.name, found.severity, found.message))
    return out


# -- the annual disclosure table ----------------------------------------------------------


APPLICANTS = [code for code, _ in DISCLOSURE["applicants"]]


@dataclass
class TableRow:
    group: str
    item: str
    cells: list[int]  # one per applicant type, then the total


def _row(group: str, item: str, requests: list[DisclosureRequest]) -> TableRow:
    counts = [sum(1 for r in requests if r.applicant_type == a) for a in APPLICANTS]
    return TableRow(group, item, [*counts, sum(counts)])


def disclosure_table(unit: Unit, year: int) -> dict[str, Any]:
    """收到和处理政府信息公开申请情况 for `year`, as the national annual report lays it out.

    The table's check holds by construction: new + carried over = handled + carried forward.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    requests = list(
        DisclosureRequest.objects.filter(unit=unit, hidden_reason="").select_related("unit")
    )
    received = {r.pk: deadlines.received_on(r) for r in requests}
    new = [r for r in requests if received[r.pk] and start <= received[r.pk] <= end]
    carried = [
        r for r in requests
        if received[r.pk] and received[r.pk] < start and (r.replied_on is None or r.replied_on >= start)
    ]  # fmt: skip
    current = new + carried
    handled = [r for r in current if r.replied_on and r.replied_on <= end]
    forward = [r for r in current if not (r.replied_on and r.replied_on <= end)]
    outcome_rows = [
        _row(group, item, [r for r in handled if r.outcome == code])
        for code, group, item in DISCLOSURE["outcomes"]
    ]
    return {
        "year": year,
        "unit": unit,
        "applicants": [label for _, label in DISCLOSURE["applicants"]],
        "new": _row("一、本年新收政府信息公开申请数量", "", new),
        "carried": _row("二、上年结转政府信息公开申请数量", "", carried),
        "outcomes": outcome_rows,
        "handled": _row("（七）总计", "", handled),
        "forward": _row("四、结转下年度继续办理", "", forward),
    }
