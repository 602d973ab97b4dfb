"""Stage: run every document rule and place its findings in the outline."""

from __future__ import annotations

from fazhi.document import Document, Finding
from fazhi.rules import DOCUMENT_RULES


def place(doc: Document, findings: list[Finding]) -> None:
    """Fill each finding's section and keep the list in text order."""
    for finding in findings:
        if finding.start is not None and finding.section is None:
            section = doc.section_at(finding.start)
            finding.section = section.id if section else None
    findings.sort(key=lambda f: (f.start is not None, f.start or 0))


def run(doc: Document) -> None:
    for rule in DOCUMENT_RULES:
        doc.findings.extend(rule.check(doc))
    place(doc, doc.findings)
