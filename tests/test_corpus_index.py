"""The on-disk compare index (fazhi.corpus_index) and `fazhi compare --index`.

The index must find exactly what the in-memory `find_shared_passages` finds
over the same texts in the same order, however the texts were added.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from fazhi import corpus_index
from fazhi.cli import main
from fazhi.corpus import find_shared_passages
from fazhi.corpus_index import IndexFileError, Report, Unreadable, open_index
from tests.test_corpus import SHARED, SLOGAN, edited, report


def corpus_texts() -> list[str]:
    """Copies with edits, copies inside longer lines, common wording, empty texts."""
    texts = [report(seed, SLOGAN if seed % 3 else "") for seed in range(100, 118)]
    texts[2] = report(102, SHARED)
    texts[7] = report(107, "本镇另有说明。", edited(SHARED, (20, 95, 150)))
    texts[11] = report(111, "本年度重点抓好以下工作。" + SHARED + "下一步将继续努力。")
    texts[15] = report(115, SLOGAN, edited(SHARED, (5,)), SLOGAN)
    texts[4] = ""
    texts[9] = "短。"
    return texts


def load_text(item: tuple[int, str]) -> Report:
    doc, text = item
    if text == "无法读取":
        raise Unreadable(f"跳过：第 {doc} 份无法读取。")
    return Report(f"r{doc}.txt", f"/data/r{doc}.txt", text)


def build(path: Path, *parts: list[tuple[int, str]], workers: int = 1) -> list[object]:
    added = []
    for part in parts:
        with open_index(path, create=True) as index:
            added.append(index.add(part, load_text, workers=workers))
    return added


def indexed(path: Path) -> list[object]:
    with open_index(path, create=False) as index:
        return list(index.find_shared_passages())


def test_index_finds_what_memory_finds(tmp_path: Path) -> None:
    texts = corpus_texts()
    expected = find_shared_passages(texts)
    assert {(s.a.doc, s.b.doc) for s in expected} == {
        (2, 7),
        (2, 11),
        (2, 15),
        (7, 11),
        (11, 15),
    }
    build(tmp_path / "i.db", list(enumerate(texts)))
    assert indexed(tmp_path / "i.db") == expected
    with open_index(tmp_path / "i.db", create=False) as index:
        assert len(index) == len(texts)
        assert index.text(11) == texts[11]
        assert index.report(11) == ("r11.txt", "/data/r11.txt")


def test_incremental_adds_find_the_same_as_one_add(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = corpus_texts()
    items = list(enumerate(texts))
    # Small batches: several per add, and merging of small ones.
    monkeypatch.setattr(corpus_index, "FLUSH_RECORDS", 400)
    build(tmp_path / "i.db", items[:5], items[5:6], items[6:7], items[7:13], items[13:])
    assert indexed(tmp_path / "i.db") == find_shared_passages(texts)
    with sqlite3.connect(tmp_path / "i.db") as conn:
        batches = [n for (n,) in conn.execute("SELECT records FROM batches ORDER BY id")]
        total = sum(n for (n,) in conn.execute("SELECT windows FROM reports")) * 8  # 8 bands
    assert sum(batches) == total
    assert len(batches) < 8  # the one-report adds were merged into their neighbours


def test_new_reports_change_what_counts_as_common_wording(tmp_path: Path) -> None:
    # Two reports share the slogan: copying. Once six more have it, it is common wording.
    texts = [report(200, SLOGAN), report(201, SLOGAN)]
    build(tmp_path / "i.db", list(enumerate(texts)))
    assert [(s.a.doc, s.b.doc) for s in indexed(tmp_path / "i.db")] == [(0, 1)]
    more = [report(seed, SLOGAN) for seed in range(202, 208)]
    build(tmp_path / "i.db", list(enumerate(more, start=2)))
    assert indexed(tmp_path / "i.db") == find_shared_passages(texts + more) == []


def test_worker_processes_build_the_same_index(tmp_path: Path) -> None:
    items = list(enumerate(corpus_texts()))
    build(tmp_path / "one.db", items, workers=1)
    build(tmp_path / "two.db", items, workers=2)
    assert indexed(tmp_path / "two.db") == indexed(tmp_path / "one.db")


def test_a_report_already_indexed_is_not_added_again(tmp_path: Path) -> None:
    items = list(enumerate(corpus_texts()))
    [first] = build(tmp_path / "i.db", items)
    [again] = build(tmp_path / "i.db", items[3:8])
    assert (first.added, first.duplicates) == (len(items), 0)
    assert (again.added, again.duplicates) == (0, 5)
    assert indexed(tmp_path / "i.db") == find_shared_passages([t for _, t in items])


def test_unreadable_reports_are_skipped_with_their_message(tmp_path: Path) -> None:
    texts = [report(300, SHARED), "无法读取", report(301, SHARED)]
    messages: list[str] = []
    with open_index(tmp_path / "i.db", create=True) as index:
        added = index.add(enumerate(texts), load_text, workers=1, on_skip=messages.append)
        assert (added.added, added.unreadable) == (2, 1)
        assert messages == ["跳过：第 1 份无法读取。"]
        [s] = index.find_shared_passages()
    assert (s.a.doc, s.b.doc) == (0, 1)  # ids count indexed reports only


def test_an_interrupted_add_keeps_the_batches_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = corpus_texts()
    monkeypatch.setattr(corpus_index, "FLUSH_RECORDS", 400)

    def load_until_interrupted(item: tuple[int, str]) -> Report:
        if item[0] == 12:
            raise KeyboardInterrupt
        return load_text(item)

    with open_index(tmp_path / "i.db", create=True) as index, pytest.raises(KeyboardInterrupt):
        index.add(enumerate(texts), load_until_interrupted, workers=1)
    with open_index(tmp_path / "i.db", create=False) as index:
        kept = len(index)
        assert 0 < kept < 12
        assert index.find_shared_passages() == find_shared_passages(texts[:kept])
        index.add(list(enumerate(texts))[kept:], load_text, workers=1)
        assert index.find_shared_passages() == find_shared_passages(texts)


def test_two_writers_of_one_index_do_not_collide(tmp_path: Path) -> None:
    texts = corpus_texts()
    build(tmp_path / "i.db", list(enumerate(texts[:6])))
    with open_index(tmp_path / "i.db", create=False) as one:
        with open_index(tmp_path / "i.db", create=False) as other:
            other.add(list(enumerate(texts[6:12], 6)), load_text, workers=1)
        one.add(list(enumerate(texts[12:], 12)), load_text, workers=1)
        assert len(one) == len(texts)
        assert one.find_shared_passages() == find_shared_passages(texts)


def test_a_damaged_index_is_reported_not_raised(tmp_path: Path) -> None:
    build(tmp_path / "i.db", list(enumerate(corpus_texts())))
    with sqlite3.connect(tmp_path / "i.db") as conn:
        conn.execute("UPDATE texts SET text = x'00ff' WHERE id = 2")
    with (
        open_index(tmp_path / "i.db", create=False) as index,
        pytest.raises(IndexFileError, match="已经损坏"),
    ):
        index.find_shared_passages()


def test_unusable_index_paths_are_explained(tmp_path: Path) -> None:
    with pytest.raises(IndexFileError, match="是文件夹"):
        open_index(tmp_path, create=True)
    with pytest.raises(IndexFileError, match="找不到索引"):
        open_index(tmp_path / "无.db", create=False)
    with pytest.raises(IndexFileError, match=r"文件夹“.*”不存在"):
        open_index(tmp_path / "无" / "i.db", create=True)
    (tmp_path / "文本.txt").write_text("不是索引", encoding="utf-8")
    with pytest.raises(IndexFileError, match="不是 fazhi 比对索引"):
        open_index(tmp_path / "文本.txt", create=True)
    with sqlite3.connect(tmp_path / "别的.db") as conn:
        conn.execute("CREATE TABLE t(x)")
    with pytest.raises(IndexFileError, match="不是 fazhi 比对索引"):
        open_index(tmp_path / "别的.db", create=True)
    build(tmp_path / "i.db", [(0, report(400))])
    with sqlite3.connect(tmp_path / "i.db") as conn:
        conn.execute("UPDATE meta SET value = 'x' WHERE key = 'fingerprint'")
    with pytest.raises(IndexFileError, match="不兼容"):
        open_index(tmp_path / "i.db", create=False)
    assert not list(tmp_path.glob("*.new"))


# -- the command --------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err.replace("\n", "")  # rich wraps long lines


def write_reports(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for i, text in enumerate(corpus_texts()):
        path = folder / f"{i:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_compare_with_an_index_prints_what_compare_prints(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    paths = write_reports(tmp_path / "报告")
    code, plain, _ = run(capsys, "compare", str(tmp_path / "报告"), "--json")
    assert code == 0 and len(plain.splitlines()) == 5
    index = str(tmp_path / "比对索引.db")
    # Built in two runs: the second adds the rest and compares everything.
    code, out, err = run(capsys, "compare", "--index", index, *map(str, paths[:10]), "--add-only")
    assert (code, out) == (0, "") and "新增 9 份报告，1 份无法读取" in err  # 04.txt is empty
    code, out, err = run(capsys, "compare", "--index", index, str(tmp_path / "报告"), "--json")
    assert code == 0 and out == plain
    assert "新增 8 份报告，9 份已在索引中（内容相同），未重复收录，1 份无法读取" in err
    assert "共收录 17 份" in err
    code, out, _ = run(capsys, "compare", "--index", index, "--json")
    assert code == 0 and out == plain
    code, out, _ = run(capsys, "compare", "--index", index)
    assert code == 0 and "共发现 5 处雷同段落" in out


def test_compare_index_errors_are_chinese_and_exit_two(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(report(500, SHARED), encoding="utf-8")
    code, _, err = run(capsys, "compare", "--index", str(tmp_path / "无.db"))
    assert code == 2 and "错误：找不到索引" in err and "Traceback" not in err
    code, _, err = run(capsys, "compare", "--index", str(tmp_path), str(tmp_path / "a.txt"))
    assert code == 2 and "是文件夹" in err
    code, _, err = run(capsys, "compare", "--index", str(tmp_path / "a.txt"), str(tmp_path))
    assert code == 2 and "不是 fazhi 比对索引" in err
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == report(500, SHARED)
    code, _, err = run(
        capsys, "compare", "--index", str(tmp_path / "i.db"), str(tmp_path / "a.txt")
    )
    assert code == 2 and "只有 1 份报告" in err
    code, _, err = run(capsys, "compare", "--add-only", str(tmp_path))
    assert code == 2 and "--add-only 只能与 --index 一起使用" in err
    # A missing report is named and the exit is 2, but the others are indexed.
    (tmp_path / "b.txt").write_text(report(501, SHARED), encoding="utf-8")
    code, _, err = run(
        capsys,
        "compare",
        "--index",
        str(tmp_path / "i.db"),
        str(tmp_path / "无.txt"),
        str(tmp_path / "b.txt"),
        "--add-only",
    )
    assert code == 2 and "找不到“" in err and "新增 1 份报告" in err and "共收录 2 份" in err
