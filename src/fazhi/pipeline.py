"""The analysis pipeline: the stages, in order, over one Document."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fazhi.document import Document
from fazhi.load import load_bytes, load_path
from fazhi.stages import (
    boilerplate,
    checks,
    facts,
    indicators,
    meta,
    normalize,
    parts,
    plan_items,
    score,
    script,
    sections,
)

Stage = Callable[[Document], None]

STAGES: tuple[Stage, ...] = (
    normalize.run,  # width forms, whitespace, paragraphs of one-line reports
    script.run,  # 繁體: later stages read a simplified view of the same length
    boilerplate.run,  # page furniture out, page metadata kept
    meta.run,  # title, unit, level, year, date, region, closing signature
    sections.run,  # heading tree
    parts.run,  # the five contents
    plan_items.run,  # the next year's plan, item by item
    facts.run,  # every stated quantity and percentage
    indicators.run,  # facts mapped to canonical indicators
    checks.run,  # the rules
    score.run,  # the transparent 0-100 score
    script.restore,  # 繁體: the text as written back; offsets unchanged
)

# What corpus rules read of a report (its text, source and meta) is complete
# after these stages, a small part of the work: a batch can start its corpus
# checks before the analyses are done.
UP_TO_META: tuple[Stage, ...] = (*STAGES[: STAGES.index(meta.run) + 1], script.restore)


def run(doc: Document) -> Document:
    for stage in STAGES:
        stage(doc)
    return doc


def analyze_path(path: str | Path) -> Document:
    return run(load_path(Path(path)))


def analyze_bytes(name: str, content: bytes) -> Document:
    return run(load_bytes(name, content))


def read_up_to_meta(path: str | Path) -> Document:
    """The report's text, source and meta, as `analyze_path` gives them."""
    doc = load_path(Path(path))
    for stage in UP_TO_META:
        stage(doc)
    return doc
