"""Flags a long passage that a report shares with another report of the corpus.

## What it finds
A passage of at least 50 characters (letters, digits and Chinese characters;
punctuation and spaces do not count) whose character 5-grams overlap those of
a passage in another report by at least 80% (Jaccard index), so a copy with a
changed figure or unit name still counts. Matching sentence windows are joined
into the longest passage the two reports share. Each report gets a finding at
its own copy, naming the other report and the line where the passage starts.

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
unit may not have done and figures that are not its own.

## Example
    清溪镇2021年报告: 建立健全法律顾问制度,全年法律顾问出具法律意见书126份……
    松山湖2021年报告: 建立健全法律顾问制度,全年法律顾问出具法律意见书128份……
      ->  one finding in each report, pointing at the other
"""

from __future__ import annotations

from collections.abc import Sequence

from fazhi.document import Document
from fazhi.rules.base import rule_text

SLUG = "copy-paste"
TEXT = rule_text(SLUG)

MIN_CHARS = 50
THRESHOLD = 0.8
SNIPPET = 30


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


def _add(doc: Document, start: int, end: int, other: Document, other_start: int) -> None:
    finding = TEXT.finding(
        start,
        end,
        chars=end - start,
        other=other.source.name,
        other_line=other.line_col(other_start)[0],
        snippet=_snippet(doc.text[start:end]),
    )
    section = doc.section_at(start)
    finding.section = section.id if section else None
    doc.findings.append(finding)


def check_corpus(docs: Sequence[Document]) -> None:
    """Add a finding to both reports for every long passage two of them share."""
    # numpy and datasketch (with scipy) load only when a batch is checked.
    from fazhi.corpus import find_shared_passages

    shared = find_shared_passages(
        [d.text for d in docs],
        min_chars=MIN_CHARS,
        threshold=THRESHOLD,
        same_unit=[_report_key(d) for d in docs],
    )
    for s in shared:
        a, b = docs[s.a.doc], docs[s.b.doc]
        _add(a, s.a.start, s.a.end, b, s.b.start)
        _add(b, s.b.start, s.b.end, a, s.a.start)
