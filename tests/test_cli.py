"""The fazhi command as a reviewer runs it: outputs, exit codes, bad input in a batch."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

import fazhi.cli
from fazhi.cli import main
from fazhi.processes import fork_is_safe
from tests.conftest import SEEDS


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_single_report_json_is_the_contract(capsys):
    path = next(SEEDS.glob("002_*.txt"))
    code, out, _ = run(capsys, "analyze", str(path), "--json")
    doc = json.loads(out)
    assert code == 0
    assert doc["schema"] == "fazhi.analysis/1"
    assert set(doc) >= {
        "source",
        "meta",
        "text",
        "sections",
        "parts",
        "facts",
        "indicators",
        "findings",
        "score",
    }
    assert doc["source"]["name"] == path.name and doc["source"]["format"] == "txt"
    assert doc["source"]["encoding"] == "utf-8" and len(doc["source"]["sha256"]) == 64


def test_folder_gives_json_lines_in_input_order(capsys):
    code, out, _ = run(capsys, "analyze", str(SEEDS), "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d["source"]["name"][:3] for d in lines] == ["000", "001", "002", "003", "004"]
    assert code == 0


def test_terminal_review_shows_checklist_and_underlined_findings(capsys):
    path = next(SEEDS.glob("000_*.txt"))
    code, out, _ = run(capsys, "analyze", str(path))
    assert code == 0
    assert "主要举措和成效" in out and "存在的不足和原因" in out
    assert "repeated-char" in out and "^~" in out
    assert "12345" in out or "热线" in out


def test_html_and_xlsx_outputs(capsys, tmp_path):
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    code, _, err = run(
        capsys, "analyze", str(SEEDS), "-q", "--html", str(html), "--xlsx", str(xlsx)
    )
    assert code == 0
    page = html.read_text(encoding="utf-8")
    assert "<mark" in page and "金凤区2020年度法治政府建设情况报告" in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    book = openpyxl.load_workbook(xlsx)
    assert book["报告"].max_row >= 5 + 1
    assert "已生成" in err


def test_error_findings_give_exit_code_one(capsys, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(
        "XX局2021年法治政府建设年度报告\n一、主要举措和成效\n全年办理复议案件3件。\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "analyze", str(report))
    assert code == 1
    assert "missing-part" in out


def test_bad_input_in_a_batch_is_one_chinese_line_and_the_batch_goes_on(capsys, tmp_path):
    shutil.copy(next(SEEDS.glob("001_*.txt")), tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.docx").write_bytes(b"\x00\x01garbage" * 100)
    (tmp_path / "notes.xyz").write_text("ignored in folders")
    code, out, err = run(capsys, "analyze", str(tmp_path), "--json")
    assert code == 2
    assert len(out.splitlines()) == 1
    errors = [line for line in err.splitlines() if line.startswith("错误")]
    assert len(errors) == 2
    assert any("empty.txt" in line for line in errors) and any(
        "junk.docx" in line for line in errors
    )
    assert "Traceback" not in err


def test_unknown_extension_named_directly_is_refused(capsys, tmp_path):
    odd = tmp_path / "report.xls"
    odd.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    code, _, err = run(capsys, "analyze", str(odd))
    assert code == 2 and "report.xls" in err and "Traceback" not in err


def test_missing_path(capsys, tmp_path):
    code, _, err = run(capsys, "analyze", str(tmp_path / "nope.txt"))
    assert code == 2 and "找不到" in err


def test_rules_list_and_explain(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0
    for slug in ("missing-part", "late-report", "copy-paste", "private-info"):
        assert slug in out
    code, out, _ = run(capsys, "rules", "enumeration-gap")
    assert code == 0 and "序号" in out
    code, _, err = run(capsys, "rules", "no-such-rule")
    assert code == 2 and "no-such-rule" in err


def test_rules_lists_and_explains_the_platform_checked_rule(capsys):
    code, out, _ = run(capsys, "rules")
    # The table wraps long slugs across lines; the name is short enough to stay whole.
    assert code == 0 and "未报告整改情况" in out
    code, out, _ = run(capsys, "rules", "rectification-not-reported")
    assert code == 0 and "未报告整改情况" in out and "整改措施" in out


def test_batch_finds_copied_passages(capsys, tmp_path):
    seed = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(seed, encoding="utf-8")
    (tmp_path / "b.txt").write_text(seed.replace("清溪镇", "塘厦镇"), encoding="utf-8")
    code, out, _ = run(capsys, "analyze", str(tmp_path), "--json")
    docs = [json.loads(line) for line in out.splitlines()]
    assert all(any(f["rule"] == "copy-paste" for f in d["findings"]) for d in docs)
    code, out, _ = run(capsys, "compare", str(tmp_path))
    assert code == 0 and "a.txt" in out and "b.txt" in out


def _batch_with_copies_and_a_bad_file(folder: Path) -> None:
    seed = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    (folder / "a.txt").write_text(seed, encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    (folder / "c.txt").write_text(seed.replace("清溪镇", "塘厦镇"), encoding="utf-8")
    shutil.copy(next(SEEDS.glob("001_*.txt")), folder / "d.txt")
    (folder / "e.txt").write_text(seed.replace("清溪镇", "凤岗镇"), encoding="utf-8")


def test_parallel_analysis_gives_the_serial_output(capsys, tmp_path):
    _batch_with_copies_and_a_bad_file(tmp_path)
    serial = run(capsys, "analyze", str(tmp_path), "--json", "--jobs", "1")
    parallel = run(capsys, "analyze", str(tmp_path), "--json", "--jobs", "2")
    assert parallel == serial
    code, out, err = parallel
    assert code == 2 and "b.txt" in err and "Traceback" not in err
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["source"]["name"] for d in docs] == ["a.txt", "c.txt", "d.txt", "e.txt"]
    # The three copies are one group: one finding each, naming the other two.
    copies = {
        d["source"]["name"]: [f for f in d["findings"] if f["rule"] == "copy-paste"] for d in docs
    }
    assert copies["d.txt"] == []
    for name in ("a.txt", "c.txt", "e.txt"):
        [finding] = copies[name]
        others = [o["name"] for o in finding["data"]["others"]]
        assert others == sorted({"a.txt", "c.txt", "e.txt"} - {name})


def _dies_on_b(path: Path) -> object:
    if path.name == "b.txt" and multiprocessing.current_process().name != "MainProcess":
        os._exit(1)  # a worker killed mid-batch, e.g. by the out-of-memory killer
    return _analyze_one(path)


_analyze_one = fazhi.cli._analyze_one


def test_a_worker_that_dies_does_not_end_the_batch(capsys, tmp_path, monkeypatch):
    _batch_with_copies_and_a_bad_file(tmp_path)
    (tmp_path / "b.txt").write_text(next(SEEDS.glob("003_*.txt")).read_text("utf-8"), "utf-8")
    monkeypatch.setattr(fazhi.cli, "_analyze_one", _dies_on_b)
    code, out, err = run(capsys, "analyze", str(tmp_path), "--json", "--jobs", "2")
    assert "子进程意外退出" in err and "Traceback" not in err
    names = [json.loads(line)["source"]["name"] for line in out.splitlines()]
    assert names == ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]
    assert code == 0


def _copy_finds_made_here(monkeypatch) -> list[int]:
    """Calls of the copy check in this process; a forked process's calls are its own."""
    from fazhi.rules import copy_paste

    calls: list[int] = []
    find = copy_paste.find

    def counted(docs):
        calls.append(len(docs))
        return find(docs)

    monkeypatch.setattr(copy_paste, "find", counted)
    return calls


def test_the_copy_check_runs_beside_the_analyses(capsys, tmp_path, monkeypatch):
    _batch_with_copies_and_a_bad_file(tmp_path)
    serial = run(capsys, "analyze", str(tmp_path), "--json", "--jobs", "1")
    calls = _copy_finds_made_here(monkeypatch)
    forks = fork_is_safe()  # not once another test left a thread running
    assert run(capsys, "analyze", str(tmp_path), "--json", "--jobs", "2") == serial
    assert calls == ([] if forks else [4])  # [] : the forked process found the copies


def test_a_batch_with_office_files_is_checked_after_its_analyses(capsys, tmp_path, monkeypatch):
    import docx

    _batch_with_copies_and_a_bad_file(tmp_path)
    report = docx.Document()
    for line in (tmp_path / "a.txt").read_text(encoding="utf-8").splitlines():
        report.add_paragraph(line)
    report.save(tmp_path / "f.docx")
    serial = run(capsys, "analyze", str(tmp_path), "--json", "--jobs", "1")
    calls = _copy_finds_made_here(monkeypatch)
    assert run(capsys, "analyze", str(tmp_path), "--json", "--jobs", "2") == serial
    assert calls == [5]  # a second reading of the .docx would cost more than it saves


def _reads_another_text(path):
    from fazhi.pipeline import UP_TO_META, load_path

    doc = load_path(Path(path))
    doc.text += "。"
    for stage in UP_TO_META:
        stage(doc)
    return doc


def _dies(path):
    os._exit(1)


@pytest.mark.parametrize("early_read", [_reads_another_text, _dies])
def test_copy_finds_not_made_from_the_analysed_texts_are_made_again(
    capsys, tmp_path, monkeypatch, early_read
):
    _batch_with_copies_and_a_bad_file(tmp_path)
    serial = run(capsys, "analyze", str(tmp_path), "--json", "--jobs", "1")
    calls = _copy_finds_made_here(monkeypatch)
    monkeypatch.setattr("fazhi.pipeline.read_up_to_meta", early_read)
    assert run(capsys, "analyze", str(tmp_path), "--json", "--jobs", "2") == serial
    assert calls == [4]


def test_jobs_must_be_a_positive_number(capsys, tmp_path):
    for bad in ("0", "两个"):
        with pytest.raises(SystemExit) as exc:
            main(["analyze", str(tmp_path), "--jobs", bad])
        assert exc.value.code == 2
        assert "不是正整数" in capsys.readouterr().err


def test_usage_errors_are_chinese_and_exit_two(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["analyze"])
    assert exc.value.code == 2
    assert "参数错误" in capsys.readouterr().err
