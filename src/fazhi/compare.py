"""`fazhi compare`: the long passages that reports share with each other.

Only the text is needed, so loading stops after the cleaning stages (width
forms and page furniture); the rest of the pipeline does not run.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fazhi.corpus import find_shared_passages
from fazhi.document import Document
from fazhi.load import InputError, load_path

# The most of each passage shown in the terminal; the JSON has all of it.
SHOW_CHARS = 400


def _cleaning_stages() -> list[Callable[[Document], None]]:
    stages = []
    for name in ("normalize", "boilerplate"):
        try:
            module = importlib.import_module(f"fazhi.stages.{name}")
        except ImportError:
            continue
        stages.append(module.run)
    return stages


def _load(paths: list[Path]) -> list[Document]:
    stages = _cleaning_stages()
    docs = []
    for path in paths:
        try:
            doc = load_path(path)
        except InputError as exc:
            print(f"跳过：{exc}", file=sys.stderr)
            continue
        except OSError as exc:
            print(f"跳过：无法读取文件 {path}（{exc.strerror or exc}）。", file=sys.stderr)
            continue
        for stage in stages:
            stage(doc)
        docs.append(doc)
    return docs


def _side(doc: Document, start: int, end: int) -> dict[str, Any]:
    return {
        "name": doc.source.name,
        "start": start,
        "end": end,
        "line": doc.line_col(start)[0],
        "text": doc.text[start:end],
    }


def compare(
    paths: list[Path], *, min_chars: int = 50, threshold: float = 0.8
) -> list[dict[str, Any]]:
    """Passages shared between any two of the files, most similar first.

    Each record is {"a": side, "b": side, "similarity": float, "chars": int},
    a side being {"name", "start", "end", "line", "text"} with offsets into the
    cleaned text of that report; `chars` is the length of the shorter side.
    Unreadable files are skipped with a message on stderr.
    """
    docs = _load(paths)
    shared = find_shared_passages([d.text for d in docs], min_chars=min_chars, threshold=threshold)
    shared = sorted(
        shared,
        key=lambda s: (-s.similarity, -min(s.a.end - s.a.start, s.b.end - s.b.start)),
    )
    return [
        {
            "a": _side(docs[s.a.doc], s.a.start, s.a.end),
            "b": _side(docs[s.b.doc], s.b.start, s.b.end),
            "similarity": s.similarity,
            "chars": min(s.a.end - s.a.start, s.b.end - s.b.start),
        }
        for s in shared
    ]


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
