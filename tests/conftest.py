"""Shared test helpers: the seed reports shipped in samples/ and small documents."""

from __future__ import annotations

import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from fazhi.document import Document, Source
from fazhi.load import office
from fazhi.pipeline import STAGES

# The CLI prints through rich, which wraps at the terminal's width: a long temporary
# path would then split a message the tests read as one line.
os.environ["COLUMNS"] = "300"

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


def soffice_convert(source: Path, target_format: str, workdir: Path) -> bytes:
    """`source` converted by the real LibreOffice, as a unit's .doc or .odt would be made."""
    soffice = office.find_soffice()
    assert soffice, "LibreOffice is required for these tests: run scripts/ensure-libreoffice.sh"
    outdir = workdir / target_format
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target_format,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=180,
    )
    return (outdir / f"{source.stem}.{target_format}").read_bytes()
