"""How well last year's plan items are matched to this year's report (fazhi_web.followup).

Run `.venv/bin/python bench/followup.py` (`--sweep` also prints the thresholds tried).

The evaluation set is `bench/followup/labels.json`: pairs of one unit's reports
for consecutive years, each of last year's plan items labelled by hand
(reported, partly, not_mentioned). Printed: the items found, the three-way
agreement, and precision and recall of "mentioned" (已报告 or 部分) against
未提及, which is what the plan-not-followed finding rests on.

A second, real but small set is `bench/followup/web_openings.jsonl`
(`WEB_OPENINGS.md`): a unit's published plan for a year against the opening of
its report for that year, both as stored web openings. A plan document is not a
report, so its items are taken as labelled, and only the matching is scored.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# bench/platform.py would shadow the standard library's `platform` module.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
sys.path.insert(0, str(ROOT / "src"))

from fazhi.pipeline import analyze_bytes, analyze_path  # noqa: E402
from fazhi.stages.sections import TOP_MARKER  # noqa: E402
from fazhi_web.followup import matching  # noqa: E402

LABELS = ROOT / "bench" / "followup" / "labels.json"
WEB_PAIRS = ROOT / "bench" / "followup" / "web_openings.jsonl"
NAMES = matching.STATUS_NAMES


def load() -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    pairs = json.loads(LABELS.read_text(encoding="utf-8"))["pairs"]
    return [
        (
            pair,
            analyze_path(ROOT / pair["last"]).to_json(),
            analyze_path(ROOT / pair["this"]).to_json(),
        )
        for pair in pairs
    ]


def evaluate(loaded: list[Any], verbose: bool) -> dict[str, float]:
    judged: list[tuple[str, str]] = []
    missing = 0
    for pair, last, this in loaded:
        rows = matching.follow_up(last, this)
        if verbose:
            print(f"\n{pair['unit']}（{pair['last']} → {pair['this']}）")
        if len(rows) != len(pair["labels"]):
            missing += abs(len(rows) - len(pair["labels"]))
        for row, (start, want, _) in zip(rows, pair["labels"], strict=False):
            if not row.item["summary"].startswith(start[:8]):
                missing += 1
                continue
            judged.append((want, row.status))
            if verbose:
                _print_row(row, want)
    return {"unaligned": missing, **scores(judged)}


def _print_row(row: Any, want: str) -> None:
    mark = "" if want == row.status else f"  ← 标注：{NAMES[want]}"
    print(
        f"  {NAMES[row.status]:<3} 要点{row.gist:.2f} 分句{row.coverage:.2f}  "
        f"{row.item['summary'][:30]}{mark}"
    )


def scores(judged: list[tuple[str, str]]) -> dict[str, float]:
    """Agreement and precision/recall of "mentioned" over (label, status) pairs."""
    confusion = Counter(judged)
    total = sum(confusion.values())
    agree = sum(n for (w, g), n in confusion.items() if w == g)

    def mentioned(status: str) -> bool:
        return status != matching.NOT_MENTIONED

    tp = sum(n for (w, g), n in confusion.items() if mentioned(w) and mentioned(g))
    fp = sum(n for (w, g), n in confusion.items() if not mentioned(w) and mentioned(g))
    fn = sum(n for (w, g), n in confusion.items() if mentioned(w) and not mentioned(g))
    tn = total - tp - fp - fn
    return {
        "items": total,
        "agree": agree / total if total else 0.0,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        # Of the items flagged 未提及, how many are truly not mentioned.
        "flag_precision": tn / (tn + fn) if tn + fn else 0.0,
        "flag_recall": tn / (tn + fp) if tn + fp else 0.0,
    }


_LEADING_MARKER = re.compile(rf"^{TOP_MARKER}")
_GIST_END = re.compile(r"[。;,:]")


def _plan_as_labelled(pair: dict[str, Any]) -> dict[str, Any]:
    """The plan document's analysis with its items as labelled: each from its label's
    start to the next one's, its gist the first clause after the marker."""
    plan = analyze_bytes("plan.txt", pair["plan_text"].encode("utf-8")).to_json()
    text = plan["text"]
    starts = [text.find(start) for start, _, _ in pair["labels"]]
    if -1 in starts:
        raise ValueError(f"{pair['unit']} {pair['year']}：标注的安排在文本中找不到")
    items = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        gist_from = start + (m.end() if (m := _LEADING_MARKER.match(text[start:end])) else 0)
        stop = _GIST_END.search(text, gist_from, min(end, gist_from + 60))
        summary = text[gist_from : stop.start() if stop else min(end, gist_from + 60)]
        items.append({"start": start, "end": end, "summary": summary})
    return {**plan, "plan_items": items}


def evaluate_web(verbose: bool) -> dict[str, float] | None:
    if not WEB_PAIRS.exists():
        return None
    judged: list[tuple[str, str]] = []
    lines = WEB_PAIRS.read_text(encoding="utf-8").splitlines()
    pairs = [json.loads(line) for line in lines if line.strip()]
    for pair in pairs:
        report = analyze_bytes("report.txt", pair["report_text"].encode("utf-8")).to_json()
        rows = matching.follow_up(_plan_as_labelled(pair), report)
        if verbose:
            print(f"\n{pair['unit']} {pair['year']}年（要点 → 同年报告开头）")
        for row, (_, want, _) in zip(rows, pair["labels"], strict=True):
            judged.append((want, row.status))
            if verbose:
                _print_row(row, want)
    return {"pairs": len(pairs), **scores(judged)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="去年安排落实情况对照的准确率")
    parser.add_argument("--sweep", action="store_true", help="列出各阈值组合的结果")
    parser.add_argument("--quiet", action="store_true", help="不逐项列出")
    args = parser.parse_args(argv)
    loaded = load()
    if args.sweep:
        print("要点·已报告  要点·部分  分句覆盖·已报告  分句找到  一致率  提及的精确率  召回率")
        for reported in (0.5, 0.6, 0.7):
            for partly in (0.25, 0.3, 0.35, 0.4):
                for covered in (0.3, 0.5, 0.7):
                    for clause in (0.4, 0.5, 0.6):
                        matching.REPORTED_AT, matching.PARTLY_AT = reported, partly
                        matching.COVERED_AT, matching.CLAUSE_FOUND_AT = covered, clause
                        r = evaluate(loaded, verbose=False)
                        print(
                            f"{reported:>9.2f} {partly:>9.2f} {covered:>14.2f} {clause:>8.2f}"
                            f" {r['agree']:>7.0%} {r['precision']:>11.0%} {r['recall']:>7.0%}"
                        )
        return 0
    r = evaluate(loaded, verbose=not args.quiet)
    print(
        f"\n去年安排对照（{len(loaded)} 对报告，{r['items']:.0f} 项安排，未对齐 {r['unaligned']:.0f} 项）"
    )
    print(f"  三类（已报告/部分/未提及）一致率 {r['agree']:.0%}")
    print(f"  已报告或部分：精确率 {r['precision']:.0%}，召回率 {r['recall']:.0%}")
    print(
        f"  未提及（plan-not-followed 提示）：精确率 {r['flag_precision']:.0%}，召回率 {r['flag_recall']:.0%}"
    )
    print(f"  每对报告对照用时（中位数）{speed(loaded):.1f} 毫秒")
    web = evaluate_web(verbose=not args.quiet)
    if web is not None:
        print(
            f"\n真实网页开头：同一单位同年的工作要点对报告开头（{web['pairs']:.0f} 对，"
            f"{web['items']:.0f} 项安排；样本太小，只作参考）"
        )
        print(f"  三类一致率 {web['agree']:.0%}")
        print(f"  已报告或部分：精确率 {web['precision']:.0%}，召回率 {web['recall']:.0%}")
        print(f"  未提及：精确率 {web['flag_precision']:.0%}，召回率 {web['flag_recall']:.0%}")
    return 0


def speed(loaded: list[Any], repeats: int = 10) -> float:
    """Milliseconds to match one pair (what the review page adds), median over pairs."""
    per_pair = []
    for _, last, this in loaded:
        started = time.perf_counter()
        for _ in range(repeats):
            matching.follow_up(last, this)
        per_pair.append((time.perf_counter() - started) * 1000 / repeats)
    return statistics.median(per_pair)


if __name__ == "__main__":
    sys.exit(main())
