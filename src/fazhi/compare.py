"""`fazhi compare`: the long passages that reports share with each other.

Only the text is needed, so loading stops after the cleaning stages (width
forms and page furniture); the rest of the pipeline does not run.

Without an index the files are compared in memory. With one
(`fazhi.corpus_index`) they are added to it, and the comparison runs over
every report it holds, which scales to corpora larger than memory.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fazhi.corpus import SharedPassage, find_shared_passages
from fazhi.corpus_index import Added, CorpusIndex, IndexFileError, Report, Unreadable, open_index
from fazhi.document import Document
from fazhi.load import InputError, load_path

# The most of each passage shown in the terminal; the JSON has all of it.
SHOW_CHARS = 400


@cache
def _cleaning_stages() -> list[Callable[[Document], None]]:
    stages = []
    for name in ("normalize", "boilerplate"):
        try:
            module = importlib.import_module(f"fazhi.stages.{name}")
        except ImportError:
            continue
        stages.append(module.run)
    return stages


def load_report(path: Path) -> Report:
    """The cleaned text of a report file; raises Unreadable with the reason."""
    try:
        doc = load_path(path)
    except InputError as exc:
        raise Unreadable(f"跳过：{exc}") from exc
    except OSError as exc:
        raise Unreadable(f"跳过：无法读取文件 {path}（{exc.strerror or exc}）。") from exc
    for stage in _cleaning_stages():
        stage(doc)
    return Report(doc.source.name, str(path), doc.text)


def _side(name: str, text: str, start: int, end: int) -> dict[str, Any]:
    return {
        "name": name,
        "start": start,
        "end": end,
        "line": text.count("\n", 0, start) + 1,
        "text": text[start:end],
    }


def _matches(
    shared: Iterable[SharedPassage], report: Callable[[int], tuple[str, str]]
) -> list[dict[str, Any]]:
    """Match records, most similar first; `report` gives a doc's name and text.

    Records are made in the order given (by report pair, so that an index
    fetches each text about once) and sorted afterwards.
    """
    records = [
        {
            "a": _side(*report(s.a.doc), s.a.start, s.a.end),
            "b": _side(*report(s.b.doc), s.b.start, s.b.end),
            "similarity": s.similarity,
            "chars": min(s.a.end - s.a.start, s.b.end - s.b.start),
        }
        for s in shared
    ]
    return sorted(records, key=lambda m: (-m["similarity"], -m["chars"]))


def compare(
    paths: list[Path], *, min_chars: int = 50, threshold: float = 0.8
) -> list[dict[str, Any]]:
    """Passages shared between any two of the files, most similar first.

    Each record is {"a": side, "b": side, "similarity": float, "chars": int},
    a side being {"name", "start", "end", "line", "text"} with offsets into the
    cleaned text of that report; `chars` is the length of the shorter side.
    Unreadable files are skipped with a message on stderr.
    """
    reports = []
    for path in paths:
        try:
            reports.append(load_report(path))
        except Unreadable as exc:
            print(exc, file=sys.stderr)
    texts = [r.text for r in reports]
    shared = find_shared_passages(texts, min_chars=min_chars, threshold=threshold)
    return _matches(shared, lambda doc: (reports[doc].name, texts[doc]))


def compare_index(index: CorpusIndex) -> list[dict[str, Any]]:
    """The records of `compare` for all reports in the index, in the order added.

    Texts are fetched from the index only for the reports in a match, a few at a time.
    """

    @lru_cache(maxsize=64)
    def report(doc: int) -> tuple[str, str]:
        return index.report(doc)[0], index.text(doc)

    return _matches(index.find_shared_passages(), report)


def add_to_index(index: CorpusIndex, paths: list[Path], console: Console) -> Added:
    """Add report files to the index, with progress and skipped files on `console`."""

    def progress(done: int) -> None:
        if done % 10_000 == 0:
            console.print(f"已处理 {done}/{len(paths)} 份报告…")

    # A process pool starts in about 0.1 s: worth it only for more than a few reports.
    return index.add(
        paths,
        load_report,
        workers=1 if len(paths) < 16 else None,
        on_skip=lambda message: console.print(message, style="yellow", markup=False),
        on_progress=progress,
    )


def compare_with_index(
    index_path: Path, paths: list[Path], *, add_only: bool, console: Console
) -> list[dict[str, Any]] | None:
    """Add the files to the index (made if missing), then compare all it holds.

    Returns None when only adding. Raises IndexFileError for an unusable
    index, or one with fewer than two reports to compare.
    """
    with open_index(index_path, create=bool(paths)) as index:
        if paths:
            added = add_to_index(index, paths, console)
            parts = [f"新增 {added.added} 份报告"]
            if added.duplicates:
                parts.append(f"{added.duplicates} 份已在索引中（内容相同），未重复收录")
            if added.unreadable:
                parts.append(f"{added.unreadable} 份无法读取")
            console.print(f"索引“{index_path}”：{'，'.join(parts)}；共收录 {len(index)} 份。")
        if add_only:
            return None
        if len(index) < 2:
            raise IndexFileError(
                f"索引“{index_path}”中只有 {len(index)} 份报告，比对至少需要两份。"
            )
        return compare_index(index)


def _marked(text: str, other: str) -> Text:
    """The passage with what the other copy does not have in bold red."""
    out = Text(text[:SHOW_CHARS] + ("…" if len(text) > SHOW_CHARS else ""))
    matcher = SequenceMatcher(None, text, other, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal" and i1 < SHOW_CHARS:
            out.stylize("bold red", i1, min(i2, SHOW_CHARS))
    return out


def print_matches(matches: list[dict[str, Any]], console: Console) -> None:
    """Both reports and both passages of every match, differences marked."""
    if not matches:
        console.print("未发现报告之间的雷同段落。")
        return
    names = {m["a"]["name"] for m in matches} | {m["b"]["name"] for m in matches}
    console.print(
        f"共发现 [bold]{len(matches)}[/bold] 处雷同段落，涉及 {len(names)} 份报告"
        "（红色粗体为两处文字不同的地方）。"
    )
    for n, m in enumerate(matches, 1):
        a, b = m["a"], m["b"]
        table = Table.grid(expand=True, padding=(0, 2))
        table.add_column(ratio=1, overflow="fold")
        table.add_column(ratio=1, overflow="fold")
        table.add_row(
            Text(f"《{a['name']}》第 {a['line']} 行", style="bold cyan"),
            Text(f"《{b['name']}》第 {b['line']} 行", style="bold cyan"),
        )
        table.add_row(_marked(a["text"], b["text"]), _marked(b["text"], a["text"]))
        title = f"雷同段落 {n}/{len(matches)}：相似度 {m['similarity']:.0%}，约 {m['chars']} 字"
        console.print(Panel(table, title=title, title_align="left"))
