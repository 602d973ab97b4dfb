"""Shared test helpers: seeds beside the checkout and small documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.document import Document, Source
from fazhi.pipeline import STAGES

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


def analyze_text(text: str, name: str = "t.txt") -> Document:
    """Run the whole pipeline over text, as if loaded from a UTF-8 .txt file."""
    doc = Document(source=Source(name, "", "txt", "utf-8"), text=text)
    for stage in STAGES:
        stage(doc)
    return doc


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    found = {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}
    assert len(found) == 5, f"seed reports not found in {SEEDS}"
    return found
