"""Where a criterion's score comes from: one table of evidence sources, by kind.

Each kind names its parameters (each checked when a framework is loaded or edited) and,
for an automatic source, the function that measures a unit's year: what share of the
criterion's points it earns, a Chinese sentence saying why, and the evidence behind it
(the report passage, the submission, the ledger records). `reviewer` has no function:
a reviewer scores it and writes a note.

A new source is one entry in SOURCES. The rectification app's closure rate is meant to
become one: a `rectification` kind whose measure reads
`closure_rate(subject.unit, subject.year)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import timezone

from fazhi import data as engine_data
from fazhi.render.common import format_number
from fazhi_web.ledgers.figures import INDICATORS as LEDGER_INDICATORS
from fazhi_web.ledgers.figures import Figure, ledger_indicators
from fazhi_web.reports.models import Obligation, State
from fazhi_web.units.models import Unit


@dataclass(frozen=True)
class Evidence:
    """One thing a score rests on. `obligation` + `anchor` point into a report, which
    each reader opens through the page they may see (review page or own report)."""

    label: str
    quote: str = ""
    url: str = ""
    obligation: int | None = None
    anchor: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


@dataclass(frozen=True)
class Measure:
    fraction: float  # share of the criterion's points earned, 0..1
    summary: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Subject:
    """A unit's year being measured; what several criteria read is read once."""

    unit: Unit
    year: int
    obligation: Obligation | None  # the unit's report duty for the year, if any

    @cached_property
    def ledger_figures(self) -> dict[str, Figure]:
        return ledger_indicators(self.unit, self.year)


MeasureFn = Callable[[Subject, dict[str, Any]], Measure]


@dataclass(frozen=True)
class SourceKind:
    label: str
    params: dict[str, Callable[[Any], Any]]
    measure: MeasureFn | None  # None: scored by a reviewer

    @property
    def automatic(self) -> bool:
        return self.measure is not None


def _part_names() -> dict[str, str]:
    names: dict[str, str] = engine_data.load("parts")["names"]
    return names


def _indicator_names() -> dict[str, str]:
    names: dict[str, str] = engine_data.load("indicator_names")["names"]
    return names


# -- parameter checks (ValueError with a Chinese message) ----------------------------


def _part(value: Any) -> str:
    if value not in _part_names():
        raise ValueError(f"报告部分“{value}”不存在。")
    return str(value)


def _report_indicator(value: Any) -> str:
    if value not in _indicator_names():
        raise ValueError(f"报告指标“{value}”不存在。")
    return str(value)


def _ledger_indicator(value: Any) -> str:
    if value not in LEDGER_INDICATORS:
        raise ValueError(f"台账指标“{value}”不存在。")
    return str(value)


def _threshold(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError("达标值（at_least）必须是大于0的数字。")
    return float(value)


def check_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters of `kind`, each checked; none missing, none unknown."""
    wanted = SOURCES[kind].params
    unknown = sorted(set(params) - set(wanted))
    if unknown:
        raise ValueError(f"评分依据“{SOURCES[kind].label}”没有参数“{'、'.join(unknown)}”。")
    missing = [p for p in wanted if p not in params]
    if missing:
        raise ValueError(f"评分依据“{SOURCES[kind].label}”缺少参数“{'、'.join(missing)}”。")
    return {p: check(params[p]) for p, check in wanted.items()}


# -- measures ------------------------------------------------------------------------


def _submitted(obligation: Obligation | None) -> bool:
    return (
        obligation is not None
        and obligation.current_version is not None
        and obligation.state != State.PENDING
    )


def _not_reported(year: int) -> Measure:
    return Measure(0.0, f"{year}年度报告尚未报送，无从核对。")


def _line_anchor(text: str, offset: int) -> str:
    return f"p-{text.count(chr(10), 0, offset) + 1}"


def measure_part(subject: Subject, p: dict) -> Measure:
    obligation, year = subject.obligation, subject.year
    if not _submitted(obligation):
        return _not_reported(year)
    assert obligation is not None and obligation.current_version is not None
    version = obligation.current_version
    name = _part_names()[p["part"]]
    found = version.analysis.get("parts", {}).get(p["part"], {})
    if not found.get("present"):
        return Measure(0.0, f"报告未载明“{name}”。", [_report(obligation, "报告全文")])
    sections = {s["id"]: s for s in version.analysis.get("sections", [])}
    evidence = []
    for sid in found.get("sections", []):
        section = sections.get(sid)
        if section is None:
            continue
        start = section.get("start") or 0
        quote = version.text[start : start + 80].strip()
        evidence.append(_report(obligation, section.get("title") or name, quote, f"sec-{sid}"))
    chars = found.get("chars", 0)
    return Measure(1.0, f"报告载明“{name}”（{chars}字）。", evidence or [_report(obligation, name)])


def _report(obligation: Obligation, label: str, quote: str = "", anchor: str = "") -> Evidence:
    number = obligation.current_version.number if obligation.current_version else ""
    return Evidence(f"第{number}版报告：{label}", quote, obligation=obligation.pk, anchor=anchor)


def measure_on_time(subject: Subject, p: dict) -> Measure:
    obligation, year = subject.obligation, subject.year
    if obligation is None:
        return Measure(0.0, f"没有{year}年度报告的报送任务。")
    deadline = obligation.effective_deadline
    due = f"截止{deadline.year}年{deadline.month}月{deadline.day}日"
    if obligation.submitted_at is None:
        return Measure(0.0, f"尚未报送（{due}）。")
    day = timezone.localdate(obligation.submitted_at)
    when = f"{day.year}年{day.month}月{day.day}日报送"
    evidence = [_report(obligation, f"报送记录（{when}）")]
    if obligation.was_late():
        return Measure(0.0, f"逾期报送：{when}，{due}。", evidence)
    return Measure(1.0, f"按时报送：{when}，{due}。", evidence)


def _proportion(value: float, at_least: float) -> float:
    return max(0.0, min(value / at_least, 1.0))


def measure_report_indicator(subject: Subject, p: dict) -> Measure:
    obligation, year = subject.obligation, subject.year
    if not _submitted(obligation):
        return _not_reported(year)
    assert obligation is not None and obligation.current_version is not None
    name = _indicator_names()[p["indicator"]]
    stored = obligation.values.filter(indicator=p["indicator"]).first()
    if stored is None:
        return Measure(0.0, f"报告未载明{name}。", [_report(obligation, "报告全文")])
    version = obligation.current_version
    quote, anchor = "", ""
    found = version.analysis.get("indicators", {}).get(p["indicator"])
    facts = version.analysis.get("facts", [])
    fact_index = found.get("fact") if found else None
    if not stored.corrected and isinstance(fact_index, int) and 0 <= fact_index < len(facts):
        fact = facts[fact_index]
        start = fact.get("start") or 0
        quote = version.text[max(0, start - 30) : (fact.get("end") or start) + 10].strip()
        anchor = _line_anchor(version.text, start)
    value = f"{format_number(stored.value)}{stored.unit}"
    label = f"{name} {value}" + ("（审查员更正）" if stored.corrected else "")
    return Measure(
        _proportion(stored.value, p["at_least"]),
        f"报告所述{name}为{value}，达标值{format_number(p['at_least'])}。",
        [_report(obligation, label, quote, anchor)],
    )


def measure_ledger_indicator(subject: Subject, p: dict) -> Measure:
    figure = subject.ledger_figures[p["indicator"]]
    if figure.value is None:
        return Measure(
            0.0, f"台账无{figure.label}：{figure.note}。", [Evidence(figure.label, url=figure.url)]
        )
    value = format_number(figure.value)
    return Measure(
        _proportion(figure.value, p["at_least"]),
        f"台账记录的{figure.label}为{value}，达标值{format_number(p['at_least'])}。",
        [Evidence(f"台账：{figure.label} {value}", figure.note, url=figure.url)],
    )


SOURCES: dict[str, SourceKind] = {
    "reviewer": SourceKind("审查员评分", {}, None),
    "part": SourceKind("报告含有法定部分", {"part": _part}, measure_part),
    "on_time": SourceKind("按时报送年度报告", {}, measure_on_time),
    "report_indicator": SourceKind(
        "报告所述指标",
        {"indicator": _report_indicator, "at_least": _threshold},
        measure_report_indicator,
    ),
    "ledger_indicator": SourceKind(
        "台账指标",
        {"indicator": _ledger_indicator, "at_least": _threshold},
        measure_ledger_indicator,
    ),
}


def describe(kind: str, params: dict[str, Any]) -> str:
    """The evidence source as a reader sees it: 台账指标：规范性文件备案率，达标值100."""
    source = SOURCES.get(kind)
    if source is None:
        return "未知来源"
    if kind == "part":
        return f"{source.label}：{_part_names().get(params.get('part', ''), '')}"
    if kind in ("report_indicator", "ledger_indicator"):
        name = _indicator_names().get(params.get("indicator", ""), "")
        return f"{source.label}：{name}，达标值{format_number(params.get('at_least', 0))}"
    return source.label
