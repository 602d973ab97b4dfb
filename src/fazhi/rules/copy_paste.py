"""Flags a long passage that a report shares with other reports of the corpus.

## What it finds
A passage of at least 50 characters (letters, digits and Chinese characters;
punctuation and spaces do not count) whose character 5-grams overlap those of
a passage in another report by at least 80% (Jaccard index), so a copy with a
changed figure or unit name still counts. Matching sentence windows are joined
into the longest passage the reports share.

The copies of one passage are one group, however many reports have it: each
report gets one finding at its own copy, naming every other report that shares
it and the line where it starts there. The finding's `data` holds the group's
number in the batch (`group`, from 1) and the other reports (`others`: `name`,
`unit`, `line`, `start`, `end`); the message names the first three.

Not reported: wording found in many reports, such as the opening
“以习近平新时代中国特色社会主义思想为指导……”, which reports repeat on purpose
(more than 20% of the corpus, at least 5 and at most 100 reports); passages
within one report (`duplicate-sentence`'s finding); and two files of the same
unit and year, or two identical files, which are the same report.

This rule needs the whole corpus: it runs when several reports are analysed
together, not on a single report.

## Why it matters
A report should describe what its own unit did that year. A paragraph copied
from another unit's report, often with only the name changed, states work the
unit may not have done and figures that are not its own. When sibling units
copy one model report, one finding per report naming all of them shows the
pattern; a finding per pair would bury it (40 copies make 780 pairs).

## Example
    清溪镇2021年报告: 建立健全法律顾问制度,全年法律顾问出具法律意见书126份……
    松山湖2021年报告: 建立健全法律顾问制度,全年法律顾问出具法律意见书128份……
    塘厦镇2021年报告: 建立健全法律顾问制度,全年法律顾问出具法律意见书131份……
      ->  one finding in each report, naming the other two
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fazhi import data
from fazhi.document import Document
from fazhi.rules.base import rule_text

if TYPE_CHECKING:
    from fazhi.corpus import CopyGroup

SLUG = "copy-paste"
TEXT = rule_text(SLUG)
OTHER_REPORT = data.load("rules")[SLUG]["other_report"]
MORE_REPORTS = data.load("rules")[SLUG]["more_reports"]

MIN_CHARS = 50
THRESHOLD = 0.8
SNIPPET = 30
# Other reports the message names; `data.others` lists all of them.
NAMED = 3


def _report_key(doc: Document) -> str | None:
    """What makes two files one report: same unit and year, or same bytes."""
    if doc.meta.unit and doc.meta.year:
        return f"unit:{doc.meta.unit}:{doc.meta.year}"
    if doc.source.sha256:
        return f"sha256:{doc.source.sha256}"
    return None


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[:SNIPPET] + "…"


def others_text(others: Sequence[dict[str, object]]) -> str:
    """The other reports as the message names them."""
    named = "、".join(OTHER_REPORT.format(name=o["name"], line=o["line"]) for o in others[:NAMED])
    if len(others) <= NAMED:
        return named
    return MORE_REPORTS.format(named=named, count=len(others))


def find(docs: Sequence[Document]) -> list[CopyGroup]:
    """The batch's copied passages, grouped.

    It reads only each report's text, source and meta, which the first stages
    give (`pipeline.read_up_to_meta`), so a batch may work this out while the
    reports are still being analysed.
    """
    # numpy loads only when a batch is checked.
    from fazhi.corpus import find_copy_groups

    return find_copy_groups(
        [d.text for d in docs],
        min_chars=MIN_CHARS,
        threshold=THRESHOLD,
        same_unit=[_report_key(d) for d in docs],
    )


def add_findings(docs: Sequence[Document], groups: Sequence[CopyGroup]) -> None:
    """Add a finding to each report at every long passage it shares with others."""
    for number, group in enumerate(groups, start=1):
        for passage, partners in zip(group.members, group.partners, strict=True):
            doc = docs[passage.doc]
            others: list[dict[str, object]] = []
            for i in partners:
                other = group.members[i]
                other_doc = docs[other.doc]
                others.append(
                    {
                        "name": other_doc.source.name,
                        "unit": other_doc.meta.unit,
                        "line": other_doc.line_col(other.start)[0],
                        "start": other.start,
                        "end": other.end,
                    }
                )
            finding = TEXT.finding(
                passage.start,
                passage.end,
                chars=passage.end - passage.start,
                others=others_text(others),
                snippet=_snippet(doc.text[passage.start : passage.end]),
            )
            finding.data = {"group": number, "others": others}
            section = doc.section_at(passage.start)
            finding.section = section.id if section else None
            doc.findings.append(finding)


def check_corpus(docs: Sequence[Document]) -> None:
    add_findings(docs, find(docs))
