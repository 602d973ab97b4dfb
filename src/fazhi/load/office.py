"""Word processor files other than .docx, converted to .docx by LibreOffice.

Legacy Word (.doc), WPS Office (.wps, mostly a .doc inside), OpenDocument text
(.odt) and RTF. No Python library reads the binary formats reliably. An .odt
could be read from its content.xml, but its list numbers ("一、", "（二）") live
in list styles, not in the text; LibreOffice's .docx export writes them as Word
numbering, which `fazhi.load.docx` already renders, so every one of these
formats goes the same way and reads like the .docx it was saved from.

The format recorded for all of them is "doc": the analysis contract
(spec/analysis.md) names only txt, html, docx, pdf and doc.

LibreOffice runs as an untrusted converter: in a new session (one kill takes
it and the soffice.bin it forks), with a throwaway profile so that conversions
running at the same time, or a copy the user has open, never share state, in
its own temporary directory as cwd and HOME, with stdin closed, and under
limits on wall time, CPU time, memory and the size of any file it writes.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from fazhi.load import docx
from fazhi.load.errors import InputError, input_error

# A first start with a fresh profile takes one to a few seconds on an idle machine
# (about 1.5 s measured); two minutes leaves room for a loaded server and a large file.
TIMEOUT_SECONDS = 120
# Measured peak for a short report: about 220 MiB resident; 2 GiB of address
# space leaves room for images without letting a crafted file take the machine.
MEMORY_LIMIT_BYTES = 2 * 1024 * 1024 * 1024
# The .docx it writes cannot usefully be larger than what the .docx reader accepts.
OUTPUT_LIMIT_BYTES = docx.MAX_UNCOMPRESSED

SUFFIXES = frozenset({".doc", ".wps", ".odt"})

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_SAVE_AS = "请用 WPS 或 Word 打开后另存为 .docx 再提交"

# Sets the limits in the child, then becomes LibreOffice. A preexec_fn would do
# the same without a second interpreter, but it may deadlock when the caller has
# threads, as the platform's workers do. The CPU limit also holds if this
# process dies and can no longer enforce the timeout.
_LAUNCHER = """\
import os, resource, sys
for limit, value in zip((resource.RLIMIT_AS, resource.RLIMIT_CPU, resource.RLIMIT_FSIZE),
                        map(int, sys.argv[1:4])):
    hard = resource.getrlimit(limit)[1]
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(limit, (value, value))
os.execv(sys.argv[4], sys.argv[4:])
"""


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def is_odt(content: bytes) -> bool:
    """Whether a zip is an OpenDocument text; its `mimetype` member says so."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return False
            return archive.read(info).strip().startswith(_ODT_MIMETYPE)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
        return False


def _import_filter(content: bytes) -> tuple[str, str] | None:
    """The suffix and the LibreOffice import filter for what the content is.

    The filter is named rather than detected: LibreOffice imports bytes it does
    not recognise as plain text, which would analyse garbage instead of refusing it.
    """
    if content.startswith(_OLE_MAGIC):
        # A WPS Office .wps is this Word 97 format too; other OLE files (Excel,
        # PowerPoint) have no WordDocument stream.
        return (".doc", "MS Word 97") if _WORD_STREAM in content else None
    if content.lstrip()[:5] == b"{\\rtf":
        return ".rtf", "Rich Text Format"
    if is_odt(content):
        return ".odt", "writer8"
    return None


def _run(command: list[str], work: Path) -> bool:
    """Run LibreOffice sandboxed in `work`; False on timeout, after killing all it started."""
    env = {**os.environ, "HOME": str(work), "TMPDIR": str(work), "TMP": str(work)}
    launcher = [
        sys.executable,
        "-I",
        "-c",
        _LAUNCHER,
        str(MEMORY_LIMIT_BYTES),
        str(TIMEOUT_SECONDS),
        str(OUTPUT_LIMIT_BYTES),
    ]
    with subprocess.Popen(
        [*launcher, *command],
        cwd=work,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    ) as process:
        try:
            process.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            # The leader is not reaped yet, so its group id still names only its own processes.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return False
    return True


def convert(name: str, content: bytes) -> docx.Extracted:
    """Text of a .doc/.wps/.odt (or RTF) file via LibreOffice's .docx export."""
    if content.startswith(b"PK"):
        # An .odt is a zip too: refuse a zip bomb before LibreOffice unpacks it.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            docx.check_zip(name, archive)
    kind = _import_filter(content)
    if kind is None:
        raise input_error(name, "文件已损坏或不是有效的 Word/WPS/ODT 文档", _SAVE_AS)
    suffix, import_filter = kind
    soffice = find_soffice()
    if soffice is None:
        raise input_error(
            name,
            "本机未安装 LibreOffice，无法读取 .doc、.wps、.odt 文件",
            "请运行 sudo apt-get install libreoffice-writer-nogui（或项目的"
            " scripts/ensure-libreoffice.sh）安装后重试，或用 WPS 或 Word 另存为 .docx 后再提交",
        )
    with tempfile.TemporaryDirectory(prefix="fazhi-office-") as tmp:
        work = Path(tmp)
        source = work / f"input{suffix}"
        source.write_bytes(content)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"--infilter={import_filter}",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            finished = _run(command, work)
        except OSError as exc:
            raise _failed(name) from exc
        if not finished:
            raise input_error(
                name,
                f"LibreOffice 转换超时（超过 {TIMEOUT_SECONDS} 秒）",
                _SAVE_AS,
            )
        target = work / "out" / "input.docx"
        try:
            converted = target.read_bytes()
        except OSError as exc:
            raise _failed(name) from exc
    try:
        return docx.extract(name, converted)
    except InputError as exc:
        raise _failed(name) from exc


def _failed(name: str) -> InputError:
    return input_error(
        name,
        "LibreOffice 无法打开该文件（文件可能已损坏、设置了密码或并非 Word/WPS/ODT 文档）",
        _SAVE_AS,
    )
