"""Stage: map facts to canonical indicators through the synonym table.

The table (`data/indicators.toml`) is data so that an office can teach the
engine its own wording. A fact's own clause is tried first; when the clause
names nothing ("已办结3019单"), the sentence and then its section titles say
what is counted. Per indicator the report-wide value is kept: a total over
its 其中 sub-items, the largest count stated, the first rate stated; never a
cell of a comparison table's column for another year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from fazhi import data
from fazhi.document import RATE_UNITS, Document, Fact, Section


def _any_of(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One search for "any of these words"; far cheaper than a loop of `in` tests."""
    return re.compile("|".join(map(re.escape, words))) if words else None


@dataclass(frozen=True)
class Indicator:
    id: str
    kind: str
    all: tuple[re.Pattern[str], ...]  # one pattern per group: each must match
    none: re.Pattern[str] | None
    measure: tuple[re.Pattern[str], ...]
    not_in_clause: re.Pattern[str] | None
    units: frozenset[str]

    def accepts(self, unit: str, count_units: frozenset[str]) -> bool:
        """Whether a fact with this measure word may be this indicator."""
        if (self.kind == "rate") != (unit in RATE_UNITS):
            return False
        if self.kind == "count":
            return unit in (self.units or count_units)
        return True

    def matches(self, context: str, own_clause: str) -> bool:
        return (
            all(group.search(context) for group in self.all)
            and not (self.none and self.none.search(context))
            and all(group.search(own_clause) for group in self.measure)
            and not (self.not_in_clause and self.not_in_clause.search(own_clause))
        )


@dataclass(frozen=True)
class Table:
    indicators: tuple[Indicator, ...]
    delta_words: re.Pattern[str] | None
    generic_subjects: frozenset[str]
    generic_modifiers: tuple[str, ...]
    count_units: frozenset[str]


@cache
def table() -> Table:
    spec = data.load("indicators")
    return Table(
        indicators=tuple(
            Indicator(
                id=entry["id"],
                kind=entry["kind"],
                all=tuple(p for g in entry["all"] if (p := _any_of(tuple(g)))),
                none=_any_of(tuple(entry.get("none", ()))),
                measure=tuple(p for g in entry.get("measure", ()) if (p := _any_of(tuple(g)))),
                not_in_clause=_any_of(tuple(entry.get("not_in_clause", ()))),
                units=frozenset(entry.get("units", ())),
            )
            for entry in spec["indicator"]
        ),
        delta_words=_any_of(tuple(spec["delta_words"])),
        generic_subjects=frozenset(spec["generic_subjects"]),
        generic_modifiers=tuple(spec["generic_modifiers"]),
        count_units=frozenset(spec["count_units"]),
    )


def _is_generic(subject: str, t: Table) -> bool:
    # "按时办结" and "已受理" name no more than "办结" and "受理".
    for modifier in t.generic_modifiers:
        if subject.startswith(modifier) and len(subject) > len(modifier):
            subject = subject[len(modifier) :]
            break
    return (
        not subject
        or subject in t.generic_subjects
        or (subject.endswith("率") and len(subject) <= 5)
    )


def _titles(doc: Document, section: Section | None) -> str:
    by_id = {s.id: s for s in doc.sections}
    titles = []
    while section is not None:
        titles.append(section.title)
        section = by_id.get(section.parent) if section.parent else None
    return " ".join(titles)


def _sentence_so_far(doc: Document, fact: Fact) -> str:
    """The sentence up to the fact: what follows it describes other numbers."""
    span = doc.sentence_at(fact.start)
    return doc.text[span[0] : fact.end] if span else fact.context


@cache
def _candidates(unit: str) -> tuple[Indicator, ...]:
    """Indicators, in table order, that a fact with this unit may map to."""
    t = table()
    return tuple(i for i in t.indicators if i.accepts(unit, t.count_units))


def map_fact(doc: Document, fact: Fact) -> str | None:
    t = table()
    clause = fact.subject + fact.context
    if t.delta_words and t.delta_words.search(fact.context):
        return None
    candidates = _candidates(fact.unit)
    for context in _contexts(doc, fact, clause, t):
        for indicator in candidates:
            if indicator.matches(context, fact.context):
                return indicator.id
    return None


def _contexts(doc: Document, fact: Fact, clause: str, t: Table) -> Iterator[str]:
    """The fact's clause, then for a generic subject its sentence, then with section titles."""
    yield clause
    if fact.kind != "distributed" and _is_generic(fact.subject, t):
        sentence = _sentence_so_far(doc, fact)
        yield sentence
        yield _titles(doc, doc.section_at(fact.start)) + sentence


def _report_value(facts: list[tuple[int, Fact]]) -> int:
    """Index of the fact that states the report-wide value."""
    main = [(i, f) for i, f in facts if not f.subordinate] or facts
    if main[0][1].is_rate:
        return main[0][0]
    return max(main, key=lambda item: item[1].value)[0]


_YEAR_CELL = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?(?:全年|上半年|1-\d{1,2}月)?")


def other_year_cells(doc: Document) -> set[int]:
    """Facts in a table column headed by another year than the report's.

    Tables arrive as one line per row with cells split by spaces; a comparison
    table ("项目 2022年 2023年") states last year's values beside this year's.
    """
    if doc.meta.year is None:
        return set()
    column_years: list[int | None] = []
    line_start = 0
    by_line: dict[int, list[int]] = {}
    for index, fact in enumerate(doc.facts):
        by_line.setdefault(doc.text.rfind("\n", 0, fact.start) + 1, []).append(index)
    skipped: set[int] = set()
    for line in doc.text.split("\n"):
        cells = line.split(" ")
        years = [int(c[:4]) if _YEAR_CELL.fullmatch(c) else None for c in cells]
        if sum(y is not None for y in years) >= 2:
            column_years = years
        elif len(cells) < 2:
            column_years = []
        elif len(cells) == len(column_years):
            offsets = [line_start + sum(len(c) + 1 for c in cells[:k]) for k in range(len(cells))]
            for index in by_line.get(line_start, []):
                column = max(k for k, o in enumerate(offsets) if o <= doc.facts[index].start)
                year = column_years[column]
                if year is not None and year != doc.meta.year:
                    skipped.add(index)
        line_start += len(line) + 1
    return skipped


def run(doc: Document) -> None:
    by_indicator: dict[str, list[tuple[int, Fact]]] = {}
    earlier_years = other_year_cells(doc)
    for index, fact in enumerate(doc.facts):
        fact.indicator = map_fact(doc, fact)
        if fact.indicator and index not in earlier_years:
            by_indicator.setdefault(fact.indicator, []).append((index, fact))
    order = [i.id for i in table().indicators]
    doc.indicators = {
        key: _report_value(by_indicator[key]) for key in sorted(by_indicator, key=order.index)
    }
