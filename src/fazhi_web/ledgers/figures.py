"""Figures computed from the ledgers: the report's indicators as the records give them,
next to what the report states, and the annual disclosure table.

`ledger_indicators(unit, year)` is the function the review page (and Ledgers II's
`ledger-mismatch`) reads; each figure links to the records behind it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

from fazhi import data as engine_data
from fazhi_web.ledgers import deadlines
from fazhi_web.ledgers.models import (
    DISCLOSURE,
    DisclosureRequest,
    MajorDecision,
    NormativeDocument,
)
from fazhi_web.units.models import Unit

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
# Rates agree within this many percentage points (a report rounds them).
RATE_TOLERANCE = 0.5


def indicator_label(code: str) -> str:
    return engine_data.load("indicator_names")["names"].get(code, code)


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


def records(code: str, unit: Unit, year: int) -> QuerySet[Any]:
    """The records a figure counts (for the rate: the documents issued)."""
    docs = _documents()
    if code in ("normative_docs_issued", "normative_docs_filing_rate"):
        return docs.filter(unit=unit, published_on__year=year)
    if code == "normative_docs_reviewed":
        return docs.filter(review_unit=unit, reviewed_on__year=year)
    if code == "normative_docs_filed":
        # A 备案审查 body (a 司法局) reports the filings it received; any other unit what it filed.
        received = docs.filter(filing_unit=unit, filed_on__year=year)
        return received if received.exists() else docs.filter(unit=unit, filed_on__year=year)
    if code == "normative_docs_cleaned":
        return docs.filter(
            cleanup_items__cleanup__unit=unit,
            cleanup_items__cleanup__published_on__year=year,
            cleanup_items__cleanup__hidden_reason="",
        ).distinct()
    if code == "major_decisions":
        return MajorDecision.objects.filter(unit=unit, year=year, hidden_reason="")
    if code == "legality_reviews":
        return MajorDecision.objects.filter(
            Q(unit=unit, review_unit__isnull=True) | Q(review_unit=unit),
            hidden_reason="",
            procedures__kind="legality_review",
            procedures__done_on__year=year,
        ).distinct()
    if code == "disclosure_on_request":
        return DisclosureRequest.objects.filter(received_in(year), unit=unit, hidden_reason="")
    raise KeyError(code)


LEDGER_OF = {
    "major_decisions": "decisions",
    "legality_reviews": "decisions",
    "disclosure_on_request": "requests",
}


def records_url(code: str, unit: Unit, year: int) -> str:
    ledger = LEDGER_OF.get(code, "documents")
    query = urlencode({"unit": unit.pk, "year": year, "figure": code})
    return f"{reverse(f'ledgers:{ledger}')}?{query}"


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    value: float | None
    url: str
    note: str = ""


def ledger_indicators(unit: Unit, year: int) -> dict[str, Figure]:
    """Each indicator of `unit` in `year` as its ledgers give it."""
    out: dict[str, Figure] = {}
    for code in INDICATORS:
        qs = records(code, unit, year)
        count = qs.count()
        value: float | None = float(count)
        note = ""
        if code == "normative_docs_filing_rate":
            filed = qs.filter(filed_on__isnull=False).count()
            value = round(100 * filed / count, 1) if count else None
            note = f"已报送备案{filed}件 / 公布{count}件" if count else "本年未公布规范性文件"
        out[code] = Figure(code, indicator_label(code), value, records_url(code, unit, year), note)
    return out


def keeps_ledgers(unit: Unit) -> bool:
    return (
        NormativeDocument.objects.filter(unit=unit).exists()
        or MajorDecision.objects.filter(unit=unit).exists()
        or DisclosureRequest.objects.filter(unit=unit).exists()
        or NormativeDocument.objects.filter(filing_unit=unit).exists()
    )


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
    for code, figure in ledger_indicators(unit, year).items():
        value = stated.get(code)
        if value is None or figure.value is None:
            agrees = None
        else:
            tolerance = RATE_TOLERANCE if code.endswith("_rate") else 0
            agrees = abs(value - figure.value) <= tolerance
        rows.append(Comparison(code, figure.label, value, figure, agrees))
    return rows


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
