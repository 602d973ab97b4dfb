"""Accuracy of the engine on real report openings it was not written against.

Run `.venv/bin/python bench/accuracy.py` (`--errors` lists what went wrong on each
development excerpt; `--check` exits non-zero when a target is missed on the
held-out part).

The corpus is bench/corpus/batch-*.jsonl, annotated by hand under the rules in
bench/corpus/README.md. A quarter of it (by the hash of each page's address) is
held out: its totals are printed, never its individual errors, so that nobody
tunes the engine to it.

Scored per excerpt, then summed:
- facts: the multiset of (value, measure word) the engine states against the
  annotation; precision and recall of the matches;
- indicators: an indicator is right when the engine gives it with the annotated
  value; precision over the engine's indicators, recall over the annotated ones;
- meta: title, unit, level, year and date, each right or wrong (an annotated null
  must be null).

Where an excerpt was read a second time by another annotator, blind to the first
reading and to the engine (bench/corpus/second-reading/), the bench also prints
how the second reading scores against the first: what a careful human reaches on
the same indicators.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/platform.py would shadow the standard library's `platform` module (which
# uuid, imported by pypdf, needs), so this folder leaves the path.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"
META_FIELDS = ("title", "unit", "level", "year", "date")
TARGETS = {
    "facts P": 0.98,
    "facts R": 0.96,
    "indicators P": 0.90,
    "indicators R": 0.75,
    **{f"meta {name}": 0.92 for name in META_FIELDS},
}


def held_out(url: str) -> bool:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[-1] in "0123"


def load_corpus() -> list[dict]:
    excerpts: list[dict] = []
    seen: set[str] = set()
    for path in sorted(CORPUS.glob("batch-*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            excerpt = json.loads(line)
            if excerpt["url"] in seen:
                sys.exit(f"{path.name}:{number}: 重复的网页地址 {excerpt['url']}")
            seen.add(excerpt["url"])
            excerpts.append(excerpt)
    if not excerpts:
        sys.exit(f"没有找到评测语料：{CORPUS}/batch-*.jsonl")
    return excerpts


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _indicator_values(indicators: dict) -> dict[str, Decimal]:
    return {k: _number(v) for k, v in indicators.items() if v is not None}


def second_reading_agreement(excerpts: list[dict]) -> list[str]:
    """The second reading scored against the first, as the engine is, and how the
    third reader ruled where they disagreed.

    The batches hold the reference after the rulings; the first reading is the
    reference with each ruled indicator put back as the first reader gave it.
    """
    folder = CORPUS / "second-reading"
    rulings = {r["id"]: r for r in _jsonl(folder / "rulings.jsonl")}
    first = {}
    for excerpt in excerpts:
        values = dict(excerpt.get("indicators", {}))
        for key, value in rulings.get(excerpt["id"], {}).get("first", {}).items():
            values[key] = value
        first[excerpt["id"]] = _indicator_values(values)
    given = agreed = annotated = read = 0
    sided: Counter = Counter()
    for reading in _jsonl(folder / "readings.jsonl"):
        if reading["id"] not in first:
            continue
        read += 1
        second = _indicator_values(reading["indicators"])
        truth = first[reading["id"]]
        given += len(second)
        annotated += len(truth)
        agreed += sum(1 for k, v in second.items() if truth.get(k) == v)
        for key, value in rulings.get(reading["id"], {}).get("ruling", {}).items():
            ruled = None if value is None else _number(value)
            if ruled == truth.get(key):
                sided["第一遍"] += 1
            elif ruled == second.get(key):
                sided["第二遍"] += 1
            else:
                sided["另作"] += 1
    if not read:
        return []
    lines = [
        f"第二遍标注（{read} 篇，未见第一遍与引擎结果）对第一遍：指标 P {agreed / max(given, 1):.2f}"
        f" / R {agreed / max(annotated, 1):.2f}（第二遍 {given} 个，第一遍 {annotated} 个，相符 {agreed} 个）"
    ]
    if sided:
        lines.append(
            f"两遍不一致处由第三人复核 {sum(sided.values())} 个指标（{len(rulings)} 篇）："
            + "，".join(
                f"从{k} {n} 个" if k != "另作" else f"另作 {n} 个" for k, n in sided.items()
            )
            + "；上表以复核后的标注计分"
        )
    return lines


def _simplified() -> Callable[[str], str]:
    """Measure words compare in simplified script (`項` is `项`), as the spec allows."""
    try:
        import opencc
    except ImportError:
        return lambda s: s
    return opencc.OpenCC("t2s").convert


# 个 is the measure word of 8个领域 (the noun is what is counted); these are
# compound measure words of their own.
_COMPOUND_GE = ("个工作日", "个月", "个小时", "个百分点")


def _measure(unit: str, simplified: Callable[[str], str]) -> str:
    unit = simplified(unit)
    if unit.startswith("个") and not unit.startswith(_COMPOUND_GE):
        return "个"
    return unit


def _number(value: object) -> Decimal:
    return Decimal(str(value)).normalize()


@dataclass
class Tally:
    excerpts: int = 0
    facts_engine: int = 0
    facts_truth: int = 0
    facts_matched: int = 0
    indicators_engine: int = 0
    indicators_truth: int = 0
    indicators_matched: int = 0
    meta_right: Counter = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        for name in (
            "excerpts",
            "facts_engine",
            "facts_truth",
            "facts_matched",
            "indicators_engine",
            "indicators_truth",
            "indicators_matched",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.meta_right.update(other.meta_right)

    def scores(self) -> dict[str, float | None]:
        def ratio(a: int, b: int) -> float | None:
            return a / b if b else None

        out = {
            "facts P": ratio(self.facts_matched, self.facts_engine),
            "facts R": ratio(self.facts_matched, self.facts_truth),
            "indicators P": ratio(self.indicators_matched, self.indicators_engine),
            "indicators R": ratio(self.indicators_matched, self.indicators_truth),
        }
        for name in META_FIELDS:
            out[f"meta {name}"] = ratio(self.meta_right[name], self.excerpts)
        return out


def score_excerpt(excerpt: dict, simplified: Callable[[str], str]) -> tuple[Tally, list[str]]:
    from fazhi.pipeline import analyze_bytes

    doc = analyze_bytes(f"{excerpt['id']}.txt", excerpt["text"].encode("utf-8")).to_json()
    tally = Tally(excerpts=1)
    errors: list[str] = []

    engine_facts = Counter(
        (_number(f["value"]), _measure(f["unit"], simplified)) for f in doc["facts"]
    )
    truth_facts = Counter(
        (_number(f["value"]), _measure(f["unit"], simplified)) for f in excerpt.get("facts", [])
    )
    matched = engine_facts & truth_facts
    tally.facts_engine = sum(engine_facts.values())
    tally.facts_truth = sum(truth_facts.values())
    tally.facts_matched = sum(matched.values())
    for (value, unit), n in (engine_facts - truth_facts).items():
        errors.append(f"多出数据 {value}{unit}" + (f" ×{n}" if n > 1 else ""))
    for (value, unit), n in (truth_facts - engine_facts).items():
        errors.append(f"漏掉数据 {value}{unit}" + (f" ×{n}" if n > 1 else ""))

    engine_ind = {k: _number(v["value"]) for k, v in doc["indicators"].items()}
    truth_ind = {k: _number(v) for k, v in excerpt.get("indicators", {}).items()}
    tally.indicators_engine = len(engine_ind)
    tally.indicators_truth = len(truth_ind)
    tally.indicators_matched = sum(1 for k, v in engine_ind.items() if truth_ind.get(k) == v)
    for key in sorted(engine_ind.keys() | truth_ind.keys()):
        if engine_ind.get(key) != truth_ind.get(key):
            errors.append(f"指标 {key}：引擎 {engine_ind.get(key)}，标注 {truth_ind.get(key)}")

    for name in META_FIELDS:
        got, want = doc["meta"].get(name), excerpt["meta"].get(name)
        if isinstance(got, str):
            got = "".join(got.split())
        if isinstance(want, str):
            want = "".join(want.split())
        if got == want:
            tally.meta_right[name] += 1
        else:
            errors.append(f"meta.{name}：引擎 {got!r}，标注 {want!r}")
    return tally, errors


def _format(value: float | None) -> str:
    return "  —  " if value is None else f"{value:5.2f}"


def print_table(title: str, groups: dict[str, Tally]) -> None:
    names = list(TARGETS)
    width = max(len(g) for g in groups) + 2
    print(f"\n{title}")
    print(" " * width + "  n  " + " ".join(f"{n:>13}" for n in names))
    for group, tally in groups.items():
        scores = tally.scores()
        cells = " ".join(f"{_format(scores[n]):>13}" for n in names)
        print(f"{group:<{width}}{tally.excerpts:>4} {cells}")
    whole = groups["全部"]
    print(
        f"数据：引擎 {whole.facts_engine} 条，标注 {whole.facts_truth} 条，相符 {whole.facts_matched} 条；"
        f"指标：引擎 {whole.indicators_engine} 个，标注 {whole.indicators_truth} 个，"
        f"相符 {whole.indicators_matched} 个"
    )
    print(
        f"{'目标':<{width - 2}}     "
        + " ".join(f"{'≥' + format(t, '.2f'):>13}" for t in TARGETS.values())
    )


def run(excerpts: Iterable[dict], show_errors: bool) -> dict[str, dict[str, Tally]]:
    simplified = _simplified()
    tables: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for excerpt in excerpts:
        part = "held_out" if held_out(excerpt["url"]) else "dev"
        tally, errors = score_excerpt(excerpt, simplified)
        for group in ("全部", f"层级 {excerpt['level']}", f"字体 {excerpt['script']}"):
            tables[part][group].add(tally)
        if show_errors and part == "dev" and errors:
            print(f"\n{excerpt['id']} {excerpt['url']}")
            for error in errors:
                print(f"  {error}")
    return tables


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="列出开发集每篇的错误")
    parser.add_argument("--check", action="store_true", help="留出集未达目标时以非零退出")
    args = parser.parse_args()
    excerpts = load_corpus()
    units = {e["meta"].get("unit") or e["url"] for e in excerpts}
    print(f"评测语料：{len(excerpts)} 篇网页开头，{len(units)} 个单位")
    tables = run(excerpts, args.errors)
    for part, title in (("dev", "开发集（可用于调试）"), ("held_out", "留出集（只看总数）")):
        groups = tables[part]
        print_table(title, dict(sorted(groups.items(), key=lambda kv: (kv[0] != "全部", kv[0]))))
    agreement = second_reading_agreement(excerpts)
    if agreement:
        print("\n" + "\n".join(agreement))
    if args.check:
        overall = tables["held_out"]["全部"].scores()
        missed = [n for n, t in TARGETS.items() if overall[n] is not None and overall[n] < t]
        if missed:
            print("未达目标：" + "、".join(missed))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
