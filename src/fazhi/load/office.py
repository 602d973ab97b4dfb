"""Legacy Word (.doc) and WPS (.wps) files, converted to .docx by LibreOffice.

No Python library reads these binary formats reliably; LibreOffice does, and
is run headless with a throwaway profile so that a copy the user has open
cannot swallow the conversion.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from fazhi.load import docx
from fazhi.load.errors import InputError, input_error

TIMEOUT_SECONDS = 120
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _input_suffix(name: str, content: bytes) -> str:
    """The suffix LibreOffice should see: it picks its import filter partly by it."""
    if content.startswith(_OLE_MAGIC) and _WORD_STREAM in content:
        return ".doc"
    if content.lstrip()[:5] == b"{\\rtf":
        return ".rtf"
    suffix = Path(name).suffix.lower()
    return suffix if suffix in (".doc", ".wps") else ".doc"


def _run(command: list[str], cwd: str) -> subprocess.CompletedProcess[bytes] | None:
    """Run LibreOffice; None on timeout, after killing everything it started."""
    with subprocess.Popen(
        command,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            out, err = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            # soffice forks soffice.bin; only its own process group catches both.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return None
        return subprocess.CompletedProcess(command, process.returncode, out, err)


def convert(name: str, content: bytes) -> docx.Extracted:
    """Text of a .doc/.wps (or RTF) file via LibreOffice's .docx export."""
    soffice = find_soffice()
    if soffice is None:
        raise input_error(
            name, "本机未安装 LibreOffice", "请安装后重试，或将文件另存为 .docx 后再提交"
        )
    with tempfile.TemporaryDirectory(prefix="fazhi-office-") as tmp:
        work = Path(tmp)
        source = work / f"input{_input_suffix(name, content)}"
        source.write_bytes(content)
        profile = (work / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            result = _run(command, tmp)
        except OSError as exc:
            raise _failed(name) from exc
        if result is None:
            raise input_error(
                name,
                f"LibreOffice 转换超时（超过 {TIMEOUT_SECONDS} 秒）",
                "请用 Word 或 WPS 打开后另存为 .docx 再提交",
            )
        target = work / "out" / "input.docx"
        if not target.is_file():
            raise _failed(name)
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
        "LibreOffice 无法转换该文件（可能已损坏或加密）",
        "请用 Word 或 WPS 打开后另存为 .docx 再提交",
    )
