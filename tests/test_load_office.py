"""Reports in .doc, .wps, .odt and RTF, converted by the real LibreOffice.

The files are made here: a report is written as .docx with python-docx, and
LibreOffice saves it as .doc, .odt and RTF once per session. LibreOffice cannot
write a WPS Office file (asked for "wps" it writes Word 97, byte for byte the
.doc), and a .wps from WPS Office is usually that Word 97 format as well, so the
.wps case is the .doc under a .wps name.

What LibreOffice itself cannot be made to do on demand (hang, or ignore its
limits) is checked with a stand-in script run through the same sandbox.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import stat
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import docx
import pytest

from fazhi.cli import main
from fazhi.load import CONVERTED_SUFFIXES, SUPPORTED_SUFFIXES, InputError, load_bytes, office
from fazhi.pipeline import analyze_bytes
from tests.conftest import soffice_convert

REPO = Path(__file__).resolve().parents[1]
SEED = next((REPO / "samples" / "reports").glob("000_*.txt"))
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_STREAM = "WordDocument".encode("utf-16-le")
CANNOT_OPEN = "LibreOffice 无法打开该文件"
SAVE_AS = "请用 WPS 或 Word 打开后另存为 .docx 再提交"


def message_of(excinfo: pytest.ExceptionInfo[InputError], name: str) -> str:
    message = str(excinfo.value)
    assert message.startswith(f"无法读取“{name}”："), message
    assert "\n" not in message and message.endswith("。")
    return message


def seed_docx() -> bytes:
    """The first seed report as a town would type it in Word: real headings, a table, a list."""
    d = docx.Document()
    lines = [line for line in SEED.read_text("utf-8").split("\n") if line.strip()]
    d.add_heading(lines[0], level=0)
    for line in lines[1:]:
        if line[:2] in {"一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、"}:
            d.add_heading(line, level=1)
        elif line.startswith("(") and "、" not in line[:4] and ")" in line[:5]:
            d.add_heading(line, level=2)
        else:
            d.add_paragraph(line)
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标", "2019年", "2020年"], ["行政复议案件", "10件", "12件"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    # Automatic numbers are not in the text of an .odt; they must still come out.
    d.add_paragraph("开展执法检查36次", style="List Number")
    d.add_paragraph("办结信访件58件", style="List Number")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The seed report as .docx and as LibreOffice saved it in the other formats."""
    workdir = tmp_path_factory.mktemp("office")
    source = workdir / "report.docx"
    source.write_bytes(seed_docx())
    files = {"docx": source.read_bytes()}
    for target_format in ("doc", "odt", "rtf"):
        files[target_format] = soffice_convert(source, target_format, workdir)
    return files


def analysis(name: str, content: bytes) -> dict[str, Any]:
    result = analyze_bytes(name, content).to_json()
    del result["source"]
    return result


def fake_soffice(tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Put a Python script where LibreOffice would be; it runs through the same sandbox."""
    script = tmp_path / "soffice"
    script.write_text(f"#!{sys.executable}\nimport json, os, pathlib, sys, time\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(office, "find_soffice", lambda: str(script))


def encrypted(doc: bytes) -> bytes:
    """The .doc with its "encrypted" flag set, as Word marks a password-protected file."""
    content = bytearray(doc)
    # The WordDocument stream starts on a sector with the FIB's magic number 0xA5EC.
    starts = [i for i in range(512, len(content), 512) if content[i : i + 2] == b"\xec\xa5"]
    assert len(starts) == 1
    flags = starts[0] + 10
    content[flags + 1] |= 0x01  # fEncrypted is bit 8 of the little-endian flags word
    return bytes(content)


# -- real conversions ------------------------------------------------------------------


def test_the_saved_files_are_what_they_claim(saved: dict[str, bytes]) -> None:
    assert saved["doc"].startswith(OLE_MAGIC) and WORD_STREAM in saved["doc"]
    assert office.is_odt(saved["odt"]) and not office.is_odt(saved["docx"])
    assert saved["rtf"].startswith(b"{\\rtf")
    assert {".doc", ".wps", ".odt"} == CONVERTED_SUFFIXES <= SUPPORTED_SUFFIXES


@pytest.mark.parametrize(
    ("saved_as", "name"),
    [
        ("doc", "清溪镇2020.doc"),
        ("doc", "清溪镇2020.wps"),
        ("odt", "清溪镇2020.odt"),
        ("rtf", "清溪镇2020.doc"),
        # Named by the format it was meant to be saved in; the content decides.
        ("odt", "清溪镇2020.docx"),
    ],
    ids=["doc", "doc-as-wps", "odt", "rtf-as-doc", "odt-as-docx"],
)
def test_converted_report_reads_like_its_docx(
    saved: dict[str, bytes], saved_as: str, name: str
) -> None:
    expected = analysis("清溪镇2020.docx", saved["docx"])
    doc = analyze_bytes(name, saved[saved_as])
    # The analysis contract has no value of its own for these formats.
    assert doc.source.format == "doc"
    got = doc.to_json()
    del got["source"]
    assert got["text"] == expected["text"]
    assert "1.开展执法检查36次\n2.办结信访件58件" in got["text"]
    assert got["sections"] == expected["sections"]
    assert got["parts"] == expected["parts"]
    assert got["indicators"] == expected["indicators"] and got["indicators"]
    assert got == expected


def test_heading_hints_survive_conversion(saved: dict[str, bytes]) -> None:
    from_docx = load_bytes("r.docx", saved["docx"]).heading_hints
    assert len(from_docx) > 5
    assert load_bytes("r.doc", saved["doc"]).heading_hints == from_docx
    assert load_bytes("r.odt", saved["odt"]).heading_hints == from_docx


def test_concurrent_conversions_do_not_collide(
    saved: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    jobs = [("a.doc", saved["doc"]), ("b.odt", saved["odt"]), ("c.wps", saved["doc"])]
    with ThreadPoolExecutor(len(jobs)) as pool:
        texts = list(pool.map(lambda job: load_bytes(*job).text, jobs))
    assert texts == [load_bytes("r.docx", saved["docx"]).text] * len(jobs)
    assert list(tmp_path.iterdir()) == []


# -- files LibreOffice cannot open ------------------------------------------------------


def zeroed(doc: bytes) -> bytes:
    """The .doc with its first half, allocation tables included, overwritten."""
    return doc[:512] + bytes(len(doc) // 2 - 512) + doc[len(doc) // 2 :]


NOT_WORD = "文件已损坏或不是有效的 Word"


@pytest.mark.parametrize(
    ("name", "make", "problem"),
    [
        # Cut anywhere, a .doc loses its directory (at the end), and with it its WordDocument.
        ("报告.doc", lambda saved: saved["doc"][: len(saved["doc"]) // 2], NOT_WORD),
        ("报告.doc", lambda saved: zeroed(saved["doc"]), CANNOT_OPEN),
        ("报告.doc", lambda saved: encrypted(saved["doc"]), CANNOT_OPEN),
        ("报告.wps", lambda saved: OLE_MAGIC + random.Random(3).randbytes(4000), NOT_WORD),
        (
            "报告.doc",
            lambda saved: OLE_MAGIC + WORD_STREAM + random.Random(4).randbytes(4000),
            CANNOT_OPEN,
        ),
        (
            "报告.odt",
            lambda saved: saved["odt"].replace(b"content.xml", b"content.xmx"),
            CANNOT_OPEN,
        ),
        ("报告.odt", lambda saved: b"PK" + saved["odt"][2:].replace(b"<", b">"), CANNOT_OPEN),
        ("报告.odt", lambda saved: saved["odt"][: len(saved["odt"]) // 2], NOT_WORD),
    ],
    ids=[
        "truncated-doc",
        "zeroed-doc",
        "encrypted-doc",
        "random-wps",
        "random-doc",
        "odt-without-content",
        "garbled-odt",
        "truncated-odt",
    ],
)
def test_unopenable_file_is_refused_in_chinese(
    saved: dict[str, bytes], name: str, make: Any, problem: str
) -> None:
    with pytest.raises(InputError) as excinfo:
        load_bytes(name, make(saved))
    message = message_of(excinfo, name)
    assert problem in message and "另存为 .docx 再提交" in message


def test_random_bytes_named_doc_do_not_reach_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_conversion(*args: object) -> None:
        raise AssertionError("bytes that are no office file must not reach LibreOffice")

    monkeypatch.setattr(office, "convert", no_conversion)
    for suffix in sorted(CONVERTED_SUFFIXES):
        with pytest.raises(InputError) as excinfo:
            load_bytes(f"报告{suffix}", random.Random(5).randbytes(4000))
        message = message_of(excinfo, f"报告{suffix}")
        assert "文件已损坏或不是有效的 Word/WPS/ODT 文档" in message and SAVE_AS in message


def test_odt_zip_bomb_is_refused_before_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "find_soffice", lambda: pytest.fail("LibreOffice was started"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.odt", out.getvalue())
    assert "解压后体积过大" in message_of(excinfo, "报告.odt")


def test_without_libreoffice_the_message_says_how_to_install(
    saved: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    for name, content in (
        ("报告.doc", saved["doc"]),
        ("报告.wps", saved["doc"]),
        ("报告.odt", saved["odt"]),
    ):
        with pytest.raises(InputError) as excinfo:
            load_bytes(name, content)
        message = message_of(excinfo, name)
        assert "本机未安装 LibreOffice" in message
        assert "apt-get install libreoffice-writer-nogui" in message and ".docx" in message


def test_password_protected_office_file_never_reaches_libreoffice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(office, "convert", lambda *args: pytest.fail("LibreOffice was started"))
    content = OLE_MAGIC + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le")
    for name in ("报告.docx", "报告.doc", "报告.wps"):
        with pytest.raises(InputError) as excinfo:
            load_bytes(name, content)
        assert "已加密" in message_of(excinfo, name)


# -- the sandbox ------------------------------------------------------------------------


def test_memory_limit_is_enforced(saved: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    # LibreOffice cannot even map its libraries in 64 MiB: the limit reaches soffice.bin.
    monkeypatch.setattr(office, "MEMORY_LIMIT_BYTES", 64 * 1024 * 1024)
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.doc", saved["doc"])
    assert CANNOT_OPEN in message_of(excinfo, "报告.doc")


PROBE = """
import resource
limits = [resource.getrlimit(r) for r in (resource.RLIMIT_AS, resource.RLIMIT_CPU, resource.RLIMIT_FSIZE)]
pathlib.Path(os.environ["PROBE_LOG"]).write_text(json.dumps({
    "args": sys.argv[1:],
    "limits": limits,
    "cwd": os.getcwd(),
    "home": os.environ["HOME"],
    "tmpdir": os.environ["TMPDIR"],
    "stdin": sys.stdin.read(),
    "session_leader": os.getsid(0) == os.getpid(),
}))
"""


def test_libreoffice_runs_sandboxed(
    saved: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = tmp_path / "probe.json"
    monkeypatch.setenv("PROBE_LOG", str(log))
    fake_soffice(tmp_path, PROBE, monkeypatch)
    with pytest.raises(InputError) as excinfo:
        load_bytes("报告.doc", saved["doc"])
    # It wrote nothing, which is how LibreOffice reports a file it cannot open.
    assert CANNOT_OPEN in message_of(excinfo, "报告.doc")
    probe = json.loads(log.read_text())
    work = Path(probe["cwd"])
    assert work.name.startswith("fazhi-office-") and not work.exists()
    assert probe["home"] == probe["tmpdir"] == str(work)
    assert probe["stdin"] == ""
    assert probe["session_leader"]
    limits = [office.MEMORY_LIMIT_BYTES, office.TIMEOUT_SECONDS, office.OUTPUT_LIMIT_BYTES]
    assert probe["limits"] == [[value, value] for value in limits]
    args = probe["args"]
    assert f"-env:UserInstallation={(work / 'profile').as_uri()}" in args
    assert "--headless" in args and args[args.index("--convert-to") + 1] == "docx"
    assert args[-1] == str(work / "input.doc")


HANGING = """
import subprocess
child = subprocess.Popen(["sleep", "300"])
pathlib.Path(os.environ["PIDS_LOG"]).write_text(f"{os.getpid()} {child.pid}")
time.sleep(300)
"""


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"


def test_timeout_kills_everything_libreoffice_started(
    saved: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pids_log = tmp_path / "pids"
    monkeypatch.setenv("PIDS_LOG", str(pids_log))
    fake_soffice(tmp_path, HANGING, monkeypatch)
    monkeypatch.setattr(office, "TIMEOUT_SECONDS", 2)
    started = time.monotonic()
    try:
        with pytest.raises(InputError) as excinfo:
            load_bytes("报告.doc", saved["doc"])
        assert time.monotonic() - started < 30
        assert "LibreOffice 转换超时（超过 2 秒）" in message_of(excinfo, "报告.doc")
        pids = [int(pid) for pid in pids_log.read_text().split()]
        deadline = time.monotonic() + 10
        while not all(gone(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        # The forked child too, as soffice.bin is forked by the soffice launcher.
        assert all(gone(pid) for pid in pids)
    finally:
        for pid in (int(p) for p in pids_log.read_text().split()) if pids_log.exists() else ():
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)


# -- the command line -------------------------------------------------------------------


def test_cli_folder_scan_reads_doc_wps_and_odt(
    saved: dict[str, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "报告"
    folder.mkdir()
    for name, content in (
        ("1.doc", saved["doc"]),
        ("2.WPS", saved["doc"]),
        ("3.odt", saved["odt"]),
    ):
        (folder / name).write_bytes(content)
    code = main(["analyze", str(folder), "--json"])
    out, _ = capsys.readouterr()
    docs = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [d["source"]["name"] for d in docs] == ["1.doc", "2.WPS", "3.odt"]
    assert {d["source"]["format"] for d in docs} == {"doc"}
    expected = analysis("r.docx", saved["docx"])["indicators"]
    assert all(d["indicators"] == expected for d in docs)


def test_cli_without_libreoffice_says_how_to_install(
    saved: dict[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(office, "find_soffice", lambda: None)
    path = tmp_path / "报告.odt"
    path.write_bytes(saved["odt"])
    code = main(["analyze", str(path)])
    _, err = capsys.readouterr()
    assert code != 0
    assert "本机未安装 LibreOffice" in err and "libreoffice-writer-nogui" in err
    assert "Traceback" not in err
