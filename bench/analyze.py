"""Speed of the engine: one report, a batch on all cores, and corpus-wide compare.

Run `.venv/bin/python bench/analyze.py` (`--quick` for smaller sizes, `--check`
to exit non-zero when a target is missed).

0. Start-up: `fazhi analyze <the smallest seed> --json` run as a subprocess,
   timed from outside (median of several runs): what a user waits for.
1. Full pipeline per report (`fazhi.pipeline.analyze_bytes`) on the seed
   reports, median of many runs: milliseconds per report and per 10,000 chars.
2. Reports per second for a batch analysed by a process pool on all cores.
3. `fazhi analyze DIR --json` of 200 near-identical reports of sibling units,
   run as a subprocess and timed from outside: milliseconds per 10,000
   characters, and how many copy-paste findings it gives (one per report and
   shared passage, not one per pair of copies).
4. `fazhi.corpus.find_shared_passages` over synthetic reports built from the
   seeds. This does not need the pipeline.

The synthetic reports are a corpus with a known answer: each takes a seed's
paragraphs in shuffled order, drops some, renames the unit and changes the
numbers; more paragraphs are added until it is about 15,000 characters long.
The opening declaration (以习近平新时代中国特色社会主义思想为指导…) stays nearly
the same in every report: common wording the corpus step must skip. The other
long paragraphs are rewritten from clauses drawn at random from all seeds, so
they are unique text; and about one report in ten copies one or two paragraphs
of an earlier report with a few characters changed: the copying it must find.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/platform.py would shadow the standard library's `platform` module (which
# uuid, imported by pypdf, needs in every worker), so this folder leaves the path.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse
import json
import multiprocessing
import os
import random
import re
import resource
import statistics
import subprocess
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("FAZHI_SEEDS", ROOT / "samples" / "reports"))

TARGET_STARTUP_S = 0.5
# Issue 8: about 3x what rjieba takes to segment the same text (2.9 ms).
TARGET_MS_PER_10K = 10.0
TARGET_COMPARE_10K_S = 120.0
TARGET_DIR_MS_PER_10K = 15.0

_PARAGRAPH = re.compile(r"\n+|(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])")
_CLAUSE = re.compile(r"[^,，、;；。:：]+[,，、;；。:：]?")
_UNIT = re.compile(r"([\u4e00-\u9fff]{2,8}?)20\d\d年度?法治政府")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PLACE = "东南西北清溪金凤松湖山河城桥塘石龙虎安平宁和兴华新丰德福泰康长白云水田"
_SUFFIX = ("镇", "街道", "区", "县", "市", "局", "乡")


def load_seeds() -> list[tuple[str, bytes]]:
    seeds = [(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
    if not seeds:
        sys.exit(f"没有找到样本报告：{SEEDS}/*.txt")
    return seeds


@dataclass
class Corpus:
    texts: list[str]
    # (copying report, copied report, paragraph text as copied)
    copies: list[tuple[int, int, str]]


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH.split(text) if len(p.strip()) >= 2]


def _edit(text: str, rng: random.Random, changes: int) -> str:
    chars = list(text)
    for _ in range(changes):
        i = rng.randrange(len(chars))
        if "\u4e00" <= chars[i] <= "\u9fff":
            chars[i] = rng.choice(_PLACE)
    return "".join(chars)


def _numbers(text: str, rng: random.Random) -> str:
    return _NUMBER.sub(
        lambda m: str(rng.randint(1, 9999)) if len(m.group()) != 4 else m.group(), text
    )


def synthetic_corpus(seed_texts: list[str], n: int, seed: int = 7, chars: int = 15_000) -> Corpus:
    """`n` reports of about `chars` characters each, with planted copies."""
    rng = random.Random(seed)
    seeds = [_paragraphs(t) for t in seed_texts]
    clauses = [c for paras in seeds for p in paras for c in _CLAUSE.findall(p) if 4 <= len(c) <= 16]
    lengths = [len(p) for paras in seeds for p in paras if len(p) >= 40]
    units = []
    for t in seed_texts:
        m = _UNIT.search(t)
        units.append(m.group(1) if m else None)

    def rewrite(length: int) -> str:
        parts: list[str] = []
        size = 0
        while size < length:
            c = rng.choice(clauses)
            parts.append(c)
            size += len(c)
        new = _numbers("".join(parts), rng)
        return new if new[-1] in "。;；" else new[:-1] + "。"

    texts: list[str] = []
    copies: list[tuple[int, int, str]] = []
    rewritten: list[list[str]] = []  # per report: its unique paragraphs, for copying
    for i in range(n):
        k = rng.randrange(len(seeds))
        unit = "".join(rng.sample(_PLACE, rng.randint(2, 3))) + rng.choice(_SUFFIX)
        year = rng.randint(2019, 2023)
        # The opening declaration (习近平新时代…) is near-identical everywhere.
        head = [p for p in seeds[k] if "习近平" in p and len(p) >= 40][:1]
        rest = [p for p in seeds[k] if p not in head and rng.random() > 0.15]
        rng.shuffle(rest)
        out = [f"{unit}{year}年法治政府建设年度报告"]
        out.extend(_numbers(p.replace(units[k], unit) if units[k] else p, rng) for p in head)
        own: list[str] = []
        size = sum(map(len, out))
        while size < chars:
            if rest:
                p = rest.pop()
                if len(p) < 40:  # headings and short lines stay as they are
                    out.append(p)
                    size += len(p)
                    continue
                length = len(p)
            else:
                length = rng.choice(lengths)
            new = rewrite(length)
            out.append(new)
            own.append(new)
            size += len(new)
        if i and rng.random() < 0.1:
            j = rng.randrange(i)
            for p in rng.sample(rewritten[j], min(len(rewritten[j]), rng.randint(1, 2))):
                copied = _edit(p, rng, rng.randint(0, 3))
                out.insert(rng.randrange(2, len(out) + 1), copied)
                copies.append((i, j, copied))
        rewritten.append(own)
        texts.append("\n".join(out))
    return Corpus(texts, copies)


# -- measurements ------------------------------------------------------------


@dataclass
class Row:
    name: str
    result: str
    target: str
    ok: bool | None  # None: no target, or not measured


def _fazhi_command() -> list[str]:
    """The installed `fazhi` script beside this Python, else the module."""
    script = Path(sys.executable).with_name("fazhi")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "fazhi.cli"]


def _startup_seconds(command: list[str], env: dict[str, str], repeats: int) -> float | str:
    """Median wall time of `command` in seconds, or the error it ended with."""
    times = []
    for _ in range(repeats + 1):  # the first run fills the file and bytecode caches
        t = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
        if done.returncode not in (0, 1):  # 1: the report has error findings
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            return f"运行失败：{' '.join(message)}"
    return statistics.median(times[1:])


def bench_startup(repeats: int) -> list[Row]:
    target = f"≤ {TARGET_STARTUP_S:g} s"
    name = f"启动：fazhi analyze 单个小文件（{repeats} 次取中位数）"
    small = min(SEEDS.glob("*.txt"), key=lambda p: p.stat().st_size)
    command = [*_fazhi_command(), "analyze", str(small), "--json"]
    paths = [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}
    rows = []
    # An installed package runs from bytecode (pip compiles it). A checkout whose
    # environment forbids writing bytecode recompiles the sources on every run;
    # that time is shown too, without a target.
    with tempfile.TemporaryDirectory(prefix="fazhi-pycache-") as cache:
        cached = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        seconds = _startup_seconds(command, {**cached, "PYTHONPYCACHEPREFIX": cache}, repeats)
    if isinstance(seconds, str):
        return [Row(name, seconds, target, None)]
    rows.append(Row(name, f"{seconds:.2f} s", target, seconds <= TARGET_STARTUP_S))
    if env.get("PYTHONDONTWRITEBYTECODE"):
        seconds = _startup_seconds(command, env, repeats)
        result = seconds if isinstance(seconds, str) else f"{seconds:.2f} s"
        rows.append(Row("  不写字节码（PYTHONDONTWRITEBYTECODE），每次编译源码", result, "", None))
    return rows


def bench_single(seeds: list[tuple[str, bytes]], repeats: int) -> list[Row]:
    try:
        from fazhi.pipeline import analyze_bytes
    except Exception as exc:  # the pipeline is still being written
        return [Row("单篇分析", f"无法导入：{exc}", f"≤ {TARGET_MS_PER_10K:g} ms/万字", None)]
    per_report: list[float] = []
    per_10k: list[float] = []
    total_ms = total_chars = 0.0
    try:
        for name, content in seeds:
            analyze_bytes(name, content)  # warm caches (data files, regexes)
            chars = len(analyze_bytes(name, content).text) or 1
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                analyze_bytes(name, content)
                times.append((time.perf_counter() - t) * 1000)
            ms = statistics.median(times)
            per_report.append(ms)
            per_10k.append(ms * 10_000 / chars)
            total_ms += ms
            total_chars += chars
    except Exception as exc:
        traceback.print_exc()
        return [Row("单篇分析", f"运行失败：{exc}", f"≤ {TARGET_MS_PER_10K:g} ms/万字", None)]
    overall = total_ms * 10_000 / total_chars
    return [
        Row(
            f"单篇分析（{len(seeds)} 篇样本，各 {repeats} 次取中位数）",
            f"{statistics.median(per_report):.1f} ms/篇",
            "",
            None,
        ),
        Row(
            "单篇分析，每万字",
            f"{overall:.1f} ms/万字（最慢样本 {max(per_10k):.1f}）",
            f"≤ {TARGET_MS_PER_10K:g} ms/万字",
            overall <= TARGET_MS_PER_10K,
        ),
    ]


def _analyze_one(item: tuple[str, str]) -> int:
    from fazhi.pipeline import analyze_bytes

    return len(analyze_bytes(item[0], item[1].encode("utf-8")).findings)


def _warm() -> None:
    import fazhi.pipeline  # noqa: F401


def _warm_check(_: int) -> None:
    pass


def bench_batch(seed_texts: list[str], n: int) -> list[Row]:
    corpus = synthetic_corpus(seed_texts, n, seed=11)
    items = [(f"synthetic_{i:05d}.txt", t) for i, t in enumerate(corpus.texts)]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    try:
        with multiprocessing.Pool(cores, initializer=_warm) as pool:
            pool.map(_warm_check, range(cores))  # wait until every worker is up
            t = time.perf_counter()
            pool.map(_analyze_one, items, chunksize=8)
            elapsed = time.perf_counter() - t
    except Exception as exc:
        traceback.print_exc()
        return [Row(f"批量分析 {n} 篇（{cores} 核）", f"运行失败：{exc}", "", None)]
    return [
        Row(
            f"批量分析 {n} 篇（{cores} 核）",
            f"{n / elapsed:.0f} 篇/秒（{elapsed:.1f} s）",
            "",
            None,
        )
    ]


def sibling_reports(seeds: list[tuple[str, bytes]], n: int, seed: int = 3) -> list[str]:
    """`n` reports of sibling units that copy one another's.

    Report i is seed i % len(seeds) with the unit's name replaced by its own
    and a few figures changed, as towns of one county send in one model report.
    """
    from fazhi.pipeline import analyze_bytes

    rng = random.Random(seed)
    names: set[str] = set()
    out = []
    for i in range(n):
        name, content = seeds[i % len(seeds)]
        text = content.decode("utf-8", "replace")
        while (unit := "".join(rng.sample(_PLACE, 3))) in names:
            pass
        names.add(unit)
        own = analyze_bytes(name, content).meta.unit
        if own:
            text = text.replace(own, unit + rng.choice(_SUFFIX))
        short = _UNIT.search(text)
        if short:
            text = text.replace(short.group(1), unit)
        figures = [m for m in _NUMBER.finditer(text) if not re.fullmatch(r"(19|20)\d\d", m.group())]
        chars = list(text)
        for m in rng.sample(figures, min(3, len(figures))):
            chars[m.end() - 1] = str(rng.randrange(10))
        out.append("".join(chars))
    return out


def bench_analyze_dir(seeds: list[tuple[str, bytes]], n: int, repeats: int) -> list[Row]:
    target = f"≤ {TARGET_DIR_MS_PER_10K:g} ms/万字"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    name = f"fazhi analyze 文件夹：{n} 份近似报告（兄弟单位互相抄写，{cores} 核）"
    try:
        texts = sibling_reports(seeds, n)
    except Exception as exc:
        traceback.print_exc()
        return [Row(name, f"无法生成报告：{exc}", target, None)]
    chars = sum(map(len, texts))
    paths = [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, paths))
    with tempfile.TemporaryDirectory(prefix="fazhi-dir-") as tmp:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")  # as an installed package runs
        folder = Path(tmp) / "reports"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"sibling_{i:03d}.txt").write_text(text, encoding="utf-8")
        output = Path(tmp) / "out.jsonl"
        command = [*_fazhi_command(), "analyze", str(folder), "--json"]
        times, cpu = [], []
        for _ in range(repeats + 1):  # the first run fills the file and bytecode caches
            with output.open("wb") as out:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                done = subprocess.run(command, env=env, stdout=out, stderr=subprocess.PIPE)
                times.append(time.perf_counter() - t)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(sum(after[:2]) - sum(before[:2]))  # user + system
            if done.returncode not in (0, 1):  # 1: some report has error findings
                message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
                return [Row(name, f"运行失败：{' '.join(message)}", target, None)]
        results = [json.loads(line) for line in output.read_text("utf-8").splitlines()]
    seconds = statistics.median(times[1:])
    ms = seconds * 1000 * 10_000 / chars
    copies = [f for r in results for f in r["findings"] if f["rule"] == "copy-paste"]
    groups = {f.get("data", {}).get("group") for f in copies}
    pairs = sum(len(f.get("data", {}).get("others", [])) for f in copies) // 2
    return [
        Row(
            name,
            f"{ms:.1f} ms/万字（{seconds:.2f} s，{chars / 10_000:.0f} 万字，{repeats} 次取中位数）",
            target,
            ms <= TARGET_DIR_MS_PER_10K,
        ),
        Row(
            "  CPU 时间（各进程合计）",
            f"{statistics.median(cpu[1:]):.2f} s（平均用 {statistics.median(cpu[1:]) / seconds:.1f} 核）",
            "",
            None,
        ),
        Row(
            "  雷同提示（copy-paste）",
            f"{len(copies)} 条，{len(groups)} 组；每条列出同组全部报告（共 {pairs} 对）",
            "",
            None,
        ),
    ]


def bench_compare(seed_texts: list[str], n: int, target_s: float) -> list[Row]:
    from fazhi.corpus import find_shared_passages

    t = time.perf_counter()
    corpus = synthetic_corpus(seed_texts, n)
    built = time.perf_counter() - t
    chars = sum(map(len, corpus.texts))
    print(
        f"  合成语料 {n} 篇，共 {chars / 1e6:.1f} 百万字（生成用时 {built:.1f} s）", file=sys.stderr
    )
    t = time.perf_counter()
    shared = find_shared_passages(corpus.texts)
    elapsed = time.perf_counter() - t

    # Recall on the planted copies: one shared passage between the two reports
    # that covers the copied paragraph.
    by_pair: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for s in shared:
        by_pair.setdefault((s.a.doc, s.b.doc), []).append((s.b.start, s.b.end))
    found = 0
    for i, j, para in corpus.copies:
        start = corpus.texts[i].find(para)
        end = start + len(para)
        if any(b0 <= start + 5 and b1 >= end - 5 for b0, b1 in by_pair.get((j, i), [])):
            found += 1
    recall = found / len(corpus.copies) if corpus.copies else 1.0
    return [
        Row(
            f"全库比对 {n} 篇",
            f"{elapsed:.1f} s（{chars / elapsed / 1e6:.1f} 百万字/秒）",
            f"< {target_s:g} s",
            elapsed < target_s,
        ),
        Row(
            "  植入的抄袭段落找回",
            f"{found}/{len(corpus.copies)}（{recall:.0%}），共报告 {len(shared)} 处",
            "",
            None,
        ),
    ]


def _width(s: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def print_table(rows: list[Row]) -> None:
    head = Row("项目", "结果", "目标", None)
    widths = [
        max(_width(getattr(r, f)) for r in [head, *rows]) for f in ("name", "result", "target")
    ]
    for r in [head, *rows]:
        mark = "" if r.ok is None else ("达标" if r.ok else "未达标")
        cells = [_pad(r.name, widths[0]), _pad(r.result, widths[1]), _pad(r.target, widths[2])]
        print("  ".join([*cells, mark]).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="fazhi 性能测试")
    parser.add_argument("--quick", action="store_true", help="小规模快速运行")
    parser.add_argument("--check", action="store_true", help="未达标时以非零状态退出")
    parser.add_argument(
        "--only", choices=("startup", "single", "batch", "dir", "compare"), action="append"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))

    seeds = load_seeds()
    seed_texts = [content.decode("utf-8", "replace") for _, content in seeds]
    repeats, batch, compare_n = (5, 200, 1_000) if args.quick else (30, 1_000, 10_000)
    # The compare target scales with the corpus in quick mode.
    compare_target = TARGET_COMPARE_10K_S * compare_n / 10_000

    steps: dict[str, Callable[[], list[Row]]] = {
        "startup": lambda: bench_startup(5 if args.quick else 9),
        "single": lambda: bench_single(seeds, repeats),
        "batch": lambda: bench_batch(seed_texts, batch),
        "dir": lambda: bench_analyze_dir(seeds, 200, 1 if args.quick else 3),
        "compare": lambda: bench_compare(seed_texts, compare_n, compare_target),
    }
    rows: list[Row] = []
    for name in args.only or list(steps):
        print(f"… {name}", file=sys.stderr)
        rows.extend(steps[name]())
    print_table(rows)
    missed = [r for r in rows if r.ok is False]
    unmeasured = [r for r in rows if r.ok is None and r.target]
    if args.check and (missed or unmeasured):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
