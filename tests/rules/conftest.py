"""Documents for rule tests: short inline texts and the real seed reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fazhi.document import Document, Source

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "reports"
SEED_NAMES = ("000", "001", "002", "003", "004")


def make_document(text: str) -> Document:
    return Document(source=Source("t.txt", "", "txt"), text=text)


def load_seed(prefix: str) -> Document:
    """A seed report with minimal cleaning: no blank lines, lines stripped."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    text = "\n".join(line.strip() for line in raw.split("\n") if line.strip())
    return Document(source=Source(path.name, "", "txt"), text=text)


@pytest.fixture
def doc() -> Callable[[str], Document]:
    return make_document


@pytest.fixture
def seed() -> Callable[[str], Document]:
    return load_seed
