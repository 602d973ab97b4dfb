"""`fazhi compare --index` at scale: build an index on disk, add to it, compare.

Run `.venv/bin/python bench/compare.py` (5,000 and 10,000 reports, about two
minutes; `--full` for 10,000, 50,000 and 100,000, about half an hour and 6 GB
of disk; `--sizes N ...` for others; `--check` to exit non-zero when the
target is missed).

For each size, in fresh processes so that each peak is its own:
1. build: synthetic reports are made and added to a new index (all cores);
2. compare: every indexed report against every other, as
   `fazhi compare --index PATH --json` does, records with texts included;
3. add: 1% more reports are added to the existing index.
Each step prints its wall time and peak memory: the largest sum of the RSS of
the process and its workers, sampled every 50 ms (shared pages count once per
process, so this is an upper bound). Then the index's size on disk.

The figures for 700,000 reports (five national years) are extrapolated
linearly from the two largest sizes measured, beside the target: 700,000
reports in at most 8 GiB.

The synthetic reports are those of bench/analyze.py (a seed's paragraphs
shuffled, some dropped, the unit renamed, numbers changed, long paragraphs
rewritten from clauses of all seeds; about 15,000 characters; one in ten
copies one or two paragraphs of an earlier report with a few characters
changed), but each is made from its own number alone, in the workers, so
that no corpus is held anywhere: report i copies from report j by making j
again.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/platform.py would shadow the standard library's `platform` module; the
# folder stays on the path, last, for bench/analyze.py's corpus vocabulary.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.append(str(Path(__file__).resolve().parent))

import argparse
import json
import random
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from analyze import (  # type: ignore[import-not-found]
    _CLAUSE,
    _PLACE,
    _SUFFIX,
    _UNIT,
    Row,
    _edit,
    _numbers,
    _paragraphs,
    load_seeds,
    print_table,
)

from fazhi.corpus_index import Report

TARGET_REPORTS = 700_000
TARGET_GIB = 8.0
CHARS = 15_000
COPY_SHARE = 0.1
SEED = 7


# -- synthetic reports, each from its number -------------------------------------


@dataclass(frozen=True)
class _Vocabulary:
    seeds: list[list[str]]  # paragraphs of each seed
    heads: list[list[str]]  # each seed's opening declaration (习近平…), at most one
    units: list[str | None]
    clauses: list[str]
    clause_chars: float  # mean clause length
    lengths: list[int]  # lengths of the seeds' long paragraphs


@cache
def _vocabulary() -> _Vocabulary:
    texts = [content.decode("utf-8", "replace") for _, content in load_seeds()]
    seeds = [_paragraphs(t) for t in texts]
    clauses = [c for paras in seeds for p in paras for c in _CLAUSE.findall(p) if 4 <= len(c) <= 16]
    units = []
    for t in texts:
        m = _UNIT.search(t)
        units.append(m.group(1) if m else None)
    return _Vocabulary(
        seeds=seeds,
        heads=[[p for p in paras if "习近平" in p and len(p) >= 40][:1] for paras in seeds],
        units=units,
        clauses=clauses,
        clause_chars=sum(map(len, clauses)) / len(clauses),
        lengths=[len(p) for paras in seeds for p in paras if len(p) >= 40],
    )


def _own(i: int) -> tuple[list[str], list[str]]:
    """Report i without what it copies: its lines, and its rewritten paragraphs."""
    v = _vocabulary()
    rng = random.Random(f"{SEED}-{i}")
    k = rng.randrange(len(v.seeds))
    unit = "".join(rng.sample(_PLACE, rng.randint(2, 3))) + rng.choice(_SUFFIX)
    year = rng.randint(2019, 2023)
    seed_unit = v.units[k]
    rest = [p for p in v.seeds[k] if p not in v.heads[k] and rng.random() > 0.15]
    rng.shuffle(rest)
    out = [f"{unit}{year}年法治政府建设年度报告"]
    out.extend(_numbers(p.replace(seed_unit, unit) if seed_unit else p, rng) for p in v.heads[k])
    own: list[str] = []
    size = sum(map(len, out))
    while size < CHARS:
        if rest:
            p = rest.pop()
            if len(p) < 40:  # headings and short lines stay as they are
                out.append(p)
                size += len(p)
                continue
            length = len(p)
        else:
            length = rng.choice(v.lengths)
        # One draw of about enough clauses, cut where the length is reached.
        parts = rng.choices(v.clauses, k=int(length / v.clause_chars) + 2)
        new = "".join(parts)[:length]
        new = new if new[-1] in "。;；" else new[:-1] + "。"
        out.append(new)
        own.append(new)
        size += len(new)
    return out, own


def _copies(i: int) -> list[tuple[int, str, float]]:
    """What report i copies: (earlier report, paragraph as copied, where it goes in 0..1)."""
    rng = random.Random(f"{SEED}-copy-{i}")
    if not i or rng.random() >= COPY_SHARE:
        return []
    j = rng.randrange(i)
    _, own = _own(j)
    picked = rng.sample(own, min(len(own), rng.randint(1, 2)))
    return [(j, _edit(p, rng, rng.randint(0, 3)), rng.random()) for p in picked]


def report_name(i: int) -> str:
    return f"合成报告{i:07d}.txt"


def synthetic_report(i: int) -> Report:
    """The index loader for report number i."""
    out, _ = _own(i)
    for _, copied, where in _copies(i):
        out.insert(2 + int(where * (len(out) - 1)), copied)
    return Report(report_name(i), "", "\n".join(out))


# -- the measured steps, each in its own process ---------------------------------


def _progress(label: str, total: int) -> Callable[[int], None]:
    started = time.perf_counter()

    def show(done: int) -> None:
        if done % 10_000 == 0:
            rate = done / (time.perf_counter() - started)
            print(f"    {label} {done}/{total}（{rate:.0f} 篇/秒）", file=sys.stderr, flush=True)

    return show


def step_add(index_path: Path, start: int, count: int) -> dict[str, object]:
    from fazhi.corpus_index import open_index

    _vocabulary()  # loaded once here, inherited by the forked workers
    started = time.perf_counter()
    with open_index(index_path, create=True) as index:
        added = index.add(
            range(start, start + count), synthetic_report, on_progress=_progress("已收录", count)
        )
        return {
            "seconds": time.perf_counter() - started,
            "added": added.added,
            "reports": len(index),
        }


def step_compare(index_path: Path) -> dict[str, object]:
    from fazhi.compare import compare_index
    from fazhi.corpus_index import open_index

    started = time.perf_counter()
    with open_index(index_path, create=False) as index:
        matches = compare_index(index)
        n = len(index)
    seconds = time.perf_counter() - started
    # Recall on the planted copies: a match between the two reports whose
    # copying side covers the copied paragraph (but for a few end characters).
    sides: dict[tuple[int, int], list[str]] = {}
    for m in matches:
        a, b = (int(m[s]["name"][4:11]) for s in ("a", "b"))
        sides.setdefault((a, b), []).append(m["b"]["text"])
    planted = found = 0
    for i in range(n):
        for j, copied, _ in _copies(i):
            planted += 1
            found += any(copied[5:-5] in text for text in sides.get((j, i), []))
    return {"seconds": seconds, "matches": len(matches), "planted": planted, "found": found}


# -- running the steps and measuring them ------------------------------------------


def _tree_rss(pid: int) -> int:
    """Bytes resident in process `pid` and all its descendants."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            with open(f"/proc/{p}/task/{p}/children", encoding="ascii") as f:
                todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total


@dataclass
class Measured:
    seconds: float  # as timed inside the step: no start-up, no recall check
    peak_bytes: int
    result: dict[str, Any]


def measure(*step: str) -> Measured:
    """Run `bench/compare.py --step ...` in a new process; its time, peak memory, result."""
    command = [sys.executable, str(Path(__file__).resolve()), "--step", *step]
    child = subprocess.Popen(command, stdout=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, _tree_rss(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"步骤 {' '.join(step)} 失败（退出码 {child.returncode}）")
    result = json.loads(out.decode().splitlines()[-1])
    return Measured(result["seconds"], peak, result)


@dataclass
class Size:
    reports: int
    build: Measured
    query: Measured
    add: Measured
    added: int
    disk_bytes: int


def run_size(n: int, folder: Path) -> Size:
    path = folder / f"bench-{n}.db"
    print(f"… {n} 篇：建立索引", file=sys.stderr, flush=True)
    build = measure("add", str(path), "0", str(n))
    disk = path.stat().st_size
    print(f"… {n} 篇：比对", file=sys.stderr, flush=True)
    query = measure("compare", str(path))
    added = max(1, n // 100)
    print(f"… {n} 篇：追加 {added} 篇", file=sys.stderr, flush=True)
    add = measure("add", str(path), str(n), str(added))
    path.unlink()
    return Size(n, build, query, add, added, disk)


def _mib(b: float) -> str:
    return f"{b / 2**20:.0f} MiB"


def _gib(b: float) -> str:
    return f"{b / 2**30:.1f} GiB"


def _duration(s: float) -> str:
    return f"{s:.1f} s" if s < 600 else f"{s / 60:.0f} min"


def rows_for(size: Size) -> list[Row]:
    n, q = size.reports, size.query.result
    return [
        Row(
            f"比对索引 {n} 篇：建立",
            f"{_duration(size.build.seconds)}（{n / size.build.seconds:.0f} 篇/秒），"
            f"峰值内存 {_mib(size.build.peak_bytes)}",
            "",
            None,
        ),
        Row(
            "  比对全部报告",
            f"{_duration(size.query.seconds)}，峰值内存 {_mib(size.query.peak_bytes)}，"
            f"{q['matches']} 处雷同，植入的抄袭找回 {q['found']}/{q['planted']}",
            "",
            None,
        ),
        Row(
            f"  追加 {size.added} 篇到已有索引",
            f"{_duration(size.add.seconds)}，峰值内存 {_mib(size.add.peak_bytes)}",
            "",
            None,
        ),
        Row(
            "  索引占用磁盘",
            f"{_gib(size.disk_bytes)}（{size.disk_bytes / n / 1024:.0f} KiB/篇）",
            "",
            None,
        ),
    ]


def estimate(sizes: list[Size]) -> list[Row]:
    """Memory and disk extrapolated linearly to TARGET_REPORTS from the two largest
    sizes; times in proportion to the largest, since a busy machine can make the
    smaller size the slower one and a two-point line then slopes the wrong way."""
    name = f"估算 {TARGET_REPORTS} 篇（五个全国年度）"
    target = f"≤ {TARGET_GIB:g} GiB"
    if len(sizes) < 2:
        return [Row(name, "需要至少两个规模才能外推", target, None)]
    small, large = sorted(sizes, key=lambda s: s.reports)[-2:]

    def at_target(value: Callable[[Size], float]) -> float:
        slope = (value(large) - value(small)) / (large.reports - small.reports)
        return value(large) + slope * (TARGET_REPORTS - large.reports)

    def in_proportion(value: Callable[[Size], float]) -> float:
        return value(large) * TARGET_REPORTS / large.reports

    peak = max(
        at_target(lambda s: s.build.peak_bytes),
        at_target(lambda s: s.query.peak_bytes),
    )
    return [
        Row(
            f"{name}：峰值内存",
            f"{_gib(peak)}（由 {small.reports} 与 {large.reports} 篇线性外推）",
            target,
            peak <= TARGET_GIB * 2**30,
        ),
        Row(
            "  建立 / 比对用时",
            f"{_duration(in_proportion(lambda s: s.build.seconds))} / "
            f"{_duration(in_proportion(lambda s: s.query.seconds))}"
            f"（按 {large.reports} 篇的用时成比例估算）",
            "",
            None,
        ),
        Row("  索引占用磁盘", _gib(at_target(lambda s: s.disk_bytes)), "", None),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="fazhi compare --index 的规模测试")
    parser.add_argument(
        "--full", action="store_true", help="测 10000、50000 与 100000 篇（约半小时，6 GB 磁盘）"
    )
    parser.add_argument("--sizes", type=int, nargs="+", metavar="篇数", help="指定要测的规模")
    parser.add_argument("--check", action="store_true", help="未达标时以非零状态退出")
    parser.add_argument("--dir", type=Path, help="放临时索引的文件夹（默认系统临时文件夹）")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.step:
        kind, path, *rest = args.step
        if kind == "add":
            result = step_add(Path(path), int(rest[0]), int(rest[1]))
        else:
            result = step_compare(Path(path))
        print(json.dumps(result))
        return 0

    sizes = args.sizes or ([10_000, 50_000, 100_000] if args.full else [5_000, 10_000])
    measured = []
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-compare-", dir=args.dir) as folder:
        for n in sizes:
            measured.append(run_size(n, Path(folder)))
    rows = [row for size in measured for row in rows_for(size)]
    rows.extend(estimate(measured))
    print_table(rows)
    if args.check and any(r.ok is False for r in rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
