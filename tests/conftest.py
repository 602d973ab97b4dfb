"""Shared test helpers: the seed reports shipped in samples/ and small documents."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fazhi.document import Document, Source
from fazhi.pipeline import STAGES

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "samples" / "reports"


def analyze_text(text: str, name: str = "t.txt") -> Document:
    """Run the whole pipeline over text, as if loaded from a UTF-8 .txt file."""
    doc = Document(source=Source(name, "", "txt", "utf-8"), text=text)
    for stage in STAGES:
        stage(doc)
    return doc


def stated_indicators(doc: Document) -> dict[str, Decimal]:
    """The report-wide value of each indicator the report states."""
    return {key: doc.facts[index].value for key, index in doc.indicators.items()}


def findings_with_text(doc: Document) -> set[tuple[str, str | None]]:
    """(rule, flagged text) of every finding but the page-furniture notes."""
    return {
        (f.rule, doc.text[f.start : f.end] if f.start is not None else None)
        for f in doc.findings
        if f.rule != "boilerplate"
    }


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    found = {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}
    assert len(found) == 5, f"seed reports not found in {SEEDS}"
    return found
