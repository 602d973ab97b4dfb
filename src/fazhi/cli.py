"""The `fazhi` command: analyze reports, explain rules, compare a corpus.

Exit codes of `analyze`: 0 no error-severity findings, 1 findings with errors,
2 at least one input could not be used (the batch still goes on).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from fazhi.document import Document

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese usage errors and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"fazhi：参数错误：{message}", file=sys.stderr)
        raise SystemExit(EXIT_UNUSABLE)


class Consoles:
    """The terminal output and error consoles, each made when first printed to.

    rich takes longer to import than a small report takes to analyse, and
    `analyze --json` may print nothing through it.
    """

    @cached_property
    def out(self) -> Console:
        from rich.console import Console

        return Console(highlight=False)

    @cached_property
    def err(self) -> Console:
        from rich.console import Console

        return Console(stderr=True, highlight=False)


def expand(paths: Iterable[str], con: Consoles) -> tuple[list[Path], int]:
    """Files named, and supported files under folders named, in a stable order."""
    from fazhi.load import SUPPORTED_SUFFIXES

    files: list[Path] = []
    missing = 0
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
            if not found:
                con.err.print(f"[yellow]提示：文件夹“{path}”中没有可分析的报告文件。[/]")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            con.err.print(f"[red]错误：找不到“{path}”，请检查路径是否正确。[/]")
            missing += 1
    return files, missing


def _analyze_one(path: Path) -> Document | str:
    """The analysed report, or the Chinese message saying why the file was skipped.

    It runs in worker processes, so it reports failures as text rather than
    raising them across the process boundary.
    """
    from fazhi.load import InputError
    from fazhi.pipeline import analyze_path

    try:
        return analyze_path(path)
    except InputError as exc:
        return f"错误：{exc}"
    except Exception as exc:
        return (
            f"错误：分析“{path.name}”时出现内部错误（{type(exc).__name__}），"
            "该文件已跳过，请将文件反馈给维护人员。"
        )


def _workers(files: int, jobs: int | None) -> int:
    from fazhi.processes import default_workers, in_a_worker

    if in_a_worker():
        return 1  # a pool worker may not start a pool of its own
    return max(1, min(jobs or default_workers(), files))


def _leave_interrupts() -> None:
    """In a worker: Ctrl-C is for the main process, which stops the pool."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _outcomes(files: list[Path], workers: int, con: Consoles) -> Iterator[Document | str]:
    """`_analyze_one` of each file, in input order, on `workers` processes."""
    if workers <= 1:
        yield from map(_analyze_one, files)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from fazhi.processes import fork_is_safe

    methods = multiprocessing.get_all_start_methods()
    fork = fork_is_safe()
    method = "fork" if fork else "forkserver" if "forkserver" in methods else "spawn"
    done = 0
    if fork:
        # The engine loads libraries, data files and patterns on its first
        # report (0.4 s); done here once, the workers inherit them.
        yield _analyze_one(files[0])
        done = 1
    rest = files[done:]
    workers = min(workers, len(rest))
    if workers <= 1:
        yield from map(_analyze_one, rest)
        return
    executor = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context(method), initializer=_leave_interrupts
    )
    try:
        chunk = max(1, min(16, len(rest) // (workers * 4)))
        for outcome in executor.map(_analyze_one, rest, chunksize=chunk):
            yield outcome
            done += 1
    except BrokenProcessPool:
        con.err.print("[yellow]提示：并行分析的子进程意外退出，其余文件改为逐个分析。[/]")
        yield from map(_analyze_one, files[done:])
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _analyze_all(
    files: list[Path], con: Consoles, workers: int
) -> tuple[list[tuple[Path, Document]], int]:
    """Analyse the files on `workers` processes; skipped files are counted."""
    done: list[tuple[Path, Document]] = []
    unusable = 0
    for path, outcome in zip(files, _outcomes(files, workers, con), strict=True):
        if isinstance(outcome, str):
            from rich.markup import escape

            con.err.print(f"[red]{escape(outcome)}[/]", highlight=False)
            unusable += 1
        else:
            done.append((path, outcome))
    return done, unusable


def _digest(text: str) -> bytes:
    import hashlib

    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _send_corpus_finds(files: list[Path], conn: Any) -> None:
    """In a forked process: send the corpus rules' finds, with the reports they were made from."""
    from fazhi.pipeline import read_up_to_meta
    from fazhi.rules import CORPUS_RULES

    _leave_interrupts()
    try:
        read, docs = [], []
        for path in files:
            try:
                docs.append(read_up_to_meta(path))
            except Exception:  # the analysis reports it; the parent then checks the batch itself
                continue
            read.append(path)
        finds = [rule.find(docs) for rule in CORPUS_RULES]
        conn.send((read, [_digest(d.text) for d in docs], finds))
    finally:
        conn.close()


class _CorpusFinds:
    """The corpus rules' finds, worked out in a forked process while the reports are analysed.

    They read only what the stages up to meta give, a small part of the work,
    so checking the batch need not wait until every analysis is done: on
    sibling reports the copy check is otherwise a third of the run, on one core.
    """

    # Reading these takes a small part of their analysis; an office file or a PDF
    # would be parsed twice, and the second reading costs more than the check saves.
    CHEAP_TO_READ = frozenset({".txt", ".htm", ".html"})

    @classmethod
    def pays(cls, files: list[Path], workers: int) -> bool:
        """Whether checking beside the analyses saves time: several cores, and files
        whose second reading is cheap."""
        from fazhi.processes import fork_is_safe

        return (
            workers > 1
            and fork_is_safe()
            and all(f.suffix.lower() in cls.CHEAP_TO_READ for f in files)
        )

    def __init__(self, files: list[Path]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._reader, writer = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_send_corpus_finds, args=(files, writer), daemon=True
        )
        self._process.start()
        # Only the child may hold the writing end: if it dies, the reader sees the end of file.
        writer.close()

    def result(self, done: list[tuple[Path, Document]]) -> list[Any] | None:
        """The finds, if made from exactly these reports and texts; else None."""
        try:
            read, digests, finds = self._reader.recv()
        except (EOFError, OSError):
            return None
        if read != [path for path, _ in done] or digests != [_digest(d.text) for _, d in done]:
            return None
        return list(finds)

    def close(self) -> None:
        self._reader.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _corpus_checks(done: list[tuple[Path, Document]], early: _CorpusFinds | None) -> None:
    from fazhi.rules import CORPUS_RULES
    from fazhi.stages.checks import place

    if len(done) < 2:
        return
    docs = [doc for _, doc in done]
    finds = early.result(done) if early else None
    if finds is None:
        finds = [rule.find(docs) for rule in CORPUS_RULES]
    for rule, found in zip(CORPUS_RULES, finds, strict=True):
        rule.add_findings(docs, found)
    for doc in docs:
        place(doc, doc.findings)


def cmd_analyze(args: argparse.Namespace, con: Consoles) -> int:
    files, missing = expand(args.paths, con)
    workers = _workers(len(files), args.jobs)
    early = _CorpusFinds(files) if _CorpusFinds.pays(files, workers) else None
    try:
        done, unusable = _analyze_all(files, con, workers)
        _corpus_checks(done, early)
    finally:
        if early:
            early.close()
    unusable += missing
    results: list[dict[str, Any]] = [doc.to_json() for _, doc in done]

    if args.json:
        if len(results) == 1 and len(files) == 1:
            sys.stdout.write(json.dumps(results[0], ensure_ascii=False, indent=2) + "\n")
        else:
            for result in results:
                sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    elif not args.quiet:
        from fazhi.render import terminal

        for (path, _), result in zip(done, results, strict=True):
            terminal.render(result, con.out, path=str(path))
            con.out.print()
    if args.html:
        from fazhi.render.html import render_page

        Path(args.html).write_text(render_page(results), encoding="utf-8")
        con.err.print(f"已生成审查页面：{args.html}")
    if args.xlsx:
        from fazhi.render.xlsx import write_workbook

        write_workbook(results, Path(args.xlsx))
        con.err.print(f"已生成汇总表：{args.xlsx}")
    if len(files) + missing > 1 and not args.json:
        con.err.print(
            f"共 {len(files) + missing} 个文件：已分析 {len(done)} 个，无法读取 {unusable} 个。"
        )

    if unusable or not done:
        return EXIT_UNUSABLE
    has_errors = any(f["severity"] == "error" for r in results for f in r["findings"])
    return EXIT_ERRORS if has_errors else EXIT_OK


def cmd_rules(args: argparse.Namespace, con: Consoles) -> int:
    from rich.markdown import Markdown
    from rich.table import Table

    from fazhi.rules import ALL_RULES, by_slug
    from fazhi.rules.base import rule_text

    severity = {"error": "错误", "warning": "警告", "info": "提示"}
    if args.slug is None:
        table = Table(title="审查规则", show_lines=False)
        table.add_column("规则")
        table.add_column("名称")
        table.add_column("级别")
        table.add_column("说明")
        for rule in ALL_RULES:
            text = rule_text(rule.SLUG)
            table.add_row(rule.SLUG, text.name, severity[text.severity], text.summary)
        con.out.print(table)
        con.out.print("运行 fazhi rules 规则名 查看某条规则的详细说明。")
        return EXIT_OK
    found = by_slug(args.slug)
    if found is None:
        con.err.print(f"[red]错误：没有名为“{args.slug}”的规则。运行 fazhi rules 查看全部规则。[/]")
        return EXIT_UNUSABLE
    text = rule_text(found.SLUG)
    con.out.print(
        Markdown(f"# {found.SLUG}（{text.name}，{severity[text.severity]}）\n\n{text.explanation}")
    )
    return EXIT_OK


def cmd_compare(args: argparse.Namespace, con: Consoles) -> int:
    from rich.markup import escape

    from fazhi.compare import compare, compare_with_index, print_matches
    from fazhi.corpus_index import IndexFileError

    files, missing = expand(args.paths, con)
    if args.index is not None:
        try:
            found = compare_with_index(
                Path(args.index), files, add_only=args.add_only, console=con.err
            )
        except IndexFileError as exc:
            con.err.print(f"[red]错误：{escape(str(exc))}[/]", highlight=False)
            return EXIT_UNUSABLE
        if found is None:  # only added
            return EXIT_UNUSABLE if missing else EXIT_OK
        matches = found
    elif args.add_only:
        con.err.print("[red]错误：--add-only 只能与 --index 一起使用。[/]")
        return EXIT_UNUSABLE
    elif len(files) < 2:
        con.err.print("[red]错误：比对至少需要两份报告。[/]")
        return EXIT_UNUSABLE
    else:
        matches = compare(files)
    if args.json:
        for match in matches:
            sys.stdout.write(json.dumps(match, ensure_ascii=False) + "\n")
    else:
        print_matches(matches, con.out)
    return EXIT_UNUSABLE if missing else EXIT_OK


def cmd_deadline(args: argparse.Namespace, con: Consoles) -> int:
    import datetime as dt

    from fazhi import calendar, clocks

    try:
        start = dt.date.fromisoformat(args.date)
    except ValueError:
        print(
            f"fazhi：错误：“{args.date}”不是有效日期，请写成 2024-09-27 的形式。", file=sys.stderr
        )
        return EXIT_UNUSABLE
    try:
        length = int(args.length)
        deadline = clocks.compute(
            clocks.plain(length, calendar_days=args.calendar_days), start, calendar.national()
        )
    except ValueError as exc:
        message = exc if isinstance(exc, clocks.ClockError) else f"“{args.length}”不是整数天数"
        print(f"fazhi：错误：{message}。".replace("。。", "。"), file=sys.stderr)
        return EXIT_UNUSABLE
    except OverflowError:
        print("fazhi：错误：日期超出可计算的范围。", file=sys.stderr)
        return EXIT_UNUSABLE
    print(deadline.due)
    for line in deadline.explain():
        print(line)
    return EXIT_OK


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"“{value}”不是正整数")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="fazhi",
        description="法治政府建设年度报告审查工具：检查五项内容、报送时限、数据与文字问题，提取核心指标。",
    )
    parser.add_argument("--version", action="version", version=f"fazhi {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    analyze = sub.add_parser("analyze", help="分析报告文件或文件夹")
    analyze.add_argument("paths", nargs="+", metavar="文件或文件夹")
    analyze.add_argument("--json", action="store_true", help="输出 JSON（多份报告时每行一份）")
    analyze.add_argument("--html", metavar="OUT.html", help="生成可在浏览器中打开的审查页面")
    analyze.add_argument("--xlsx", metavar="OUT.xlsx", help="生成指标与问题汇总表")
    analyze.add_argument("--quiet", "-q", action="store_true", help="不在终端打印审查结果")
    analyze.add_argument(
        "--jobs", "-j", type=_positive, metavar="N", help="同时分析的进程数（默认：全部CPU核心）"
    )
    analyze.set_defaults(func=cmd_analyze)

    rules = sub.add_parser("rules", help="列出或解释审查规则")
    rules.add_argument("slug", nargs="?", metavar="规则名")
    rules.set_defaults(func=cmd_rules)

    compare = sub.add_parser(
        "compare",
        help="在一批报告中查找雷同段落",
        description="在一批报告中查找雷同段落。报告很多时用 --index 把它们收录进磁盘上的索引，"
        "以后只需把新报告加入同一索引。",
    )
    compare.add_argument("paths", nargs="*", metavar="文件或文件夹")
    compare.add_argument("--json", action="store_true", help="输出 JSON Lines")
    compare.add_argument(
        "--index",
        metavar="索引文件",
        help="把给出的报告加入这个索引文件（不存在时新建；已收录的报告不重复收录），"
        "再在索引收录的全部报告之间比对；不给报告时只比对索引中已有的报告",
    )
    compare.add_argument(
        "--add-only", action="store_true", help="只把报告加入索引，不比对（与 --index 一起使用）"
    )
    compare.set_defaults(func=cmd_compare)

    deadline = sub.add_parser(
        "deadline",
        help="计算期限届满日（工作日扣除周末、法定节假日，计入调休上班日）",
        description="计算期限届满日：自起算日的次日开始，数满 N 个工作日（或自然日）。"
        "第一行输出届满日，其后是计算过程。",
    )
    deadline.add_argument("date", metavar="起算日", help="如 2024-09-27")
    deadline.add_argument("length", metavar="天数", help="期限长度 N")
    deadline.add_argument(
        "--calendar-days",
        action="store_true",
        help="按自然日计算；最后一日遇周末或节假日顺延至其后第一个工作日",
    )
    deadline.set_defaults(func=cmd_deadline)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    con = Consoles()
    try:
        code: int = args.func(args, con)
    except KeyboardInterrupt:
        con.err.print("已中断。")
        return 130
    except OSError as exc:
        con.err.print(f"[red]错误：无法写入或读取文件：{exc.strerror or exc}。[/]")
        return EXIT_UNUSABLE
    return code


if __name__ == "__main__":
    sys.exit(main())
